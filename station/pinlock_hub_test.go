package station_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestBadgeLockedOnOneStationIsLockedOnAll: two pick carts and a real
// hub on loopback. Wrong PINs at CART-01 reach its limit and lock the
// badge there; the lock goes up with its push, the hub sends it in the
// feed, and CART-02 refuses the badge, right PIN or not. A supervisor
// lifts the lock through the admin API and both carts take the badge
// again.
func TestBadgeLockedOnOneStationIsLockedOnAll(t *testing.T) {
	dir := t.TempDir()
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	tokens := map[string]string{}
	for _, id := range []string{"CART-01", "CART-02"} {
		tokens[id] = hub.NewToken(hub.TokenStation)
		if err := hs.RegisterStation(ctx, id, "", hub.HashToken(tokens[id]), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	imp := protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "CART-01")
	if _, err := hub.ImportSite(ctx, hs, imp, time.Now()); err != nil {
		t.Fatal(err)
	}
	admin, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: hub.AllScopes}, hub.Console("test"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	t.Cleanup(srv.Close)
	if _, err := hs.ImportReference(ctx, protocol.Reference{Operators: []protocol.Operator{
		{Badge: "B7001", Name: "Lee", Roles: []string{"picker"}, PIN: "246810"}}}); err != nil {
		t.Fatal(err)
	}

	statuses := make(chan struct{}, 64)
	type cart struct {
		st  *store.Store
		rep *replicator.Replicator
		s   *station.Station
	}
	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	carts := map[string]*cart{}
	for _, id := range []string{"CART-01", "CART-02"} {
		st, err := store.Open(ctx, filepath.Join(dir, id+".db"), id)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		if id == "CART-01" {
			st.SetPINMaxFailures(3) // its [station] pin_max_failures; the hub's stays 5
		}
		rep, err := replicator.New(st, replicator.Options{Hub: srv.URL, Token: tokens[id], Bench: protocol.BenchPick,
			PushInterval: 50 * time.Millisecond, PullInterval: 50 * time.Millisecond,
			OnStatus: func(replicator.Status) {
				select {
				case statuses <- struct{}{}:
				default:
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { rep.Run(rctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		s, err := station.Open(ctx, st, in, station.Options{ConfirmAbove: 10})
		if err != nil {
			t.Fatal(err)
		}
		carts[id] = &cart{st: st, rep: rep, s: s}
	}
	until := func(what string, cond func() bool) {
		t.Helper()
		// A status is reported only when it changes: look again now and
		// then too. The deadline is generous for -race on a loaded machine.
		deadline := time.After(90 * time.Second)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for !cond() {
			select {
			case <-statuses:
			case <-tick.C:
			case <-deadline:
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	standing := func(id string) (floor.PINStanding, bool) {
		op, err := carts[id].st.Operator(ctx, "B7001")
		if err != nil || op == nil {
			return floor.PINStanding{}, false
		}
		return op.PIN, true
	}
	until("both carts to know the badge", func() bool {
		_, a := standing("CART-01")
		_, b := standing("CART-02")
		return a && b
	})
	typed := func(id, v string) station.Outcome {
		t.Helper()
		o := carts[id].s.Handle(ctx, station.Action{Scan: floor.Scan{Source: "keyboard", Data: v}})
		if o.Err != nil {
			t.Fatalf("%s %q: %v", id, v, o.Err)
		}
		carts[id].rep.Kick()
		return o
	}
	var last station.Outcome
	for range 3 {
		typed("CART-01", "B7001")
		last = typed("CART-01", "000000")
	}
	if !strings.Contains(last.Feedback.Message, "now locked") {
		t.Fatalf("the third wrong PIN at CART-01: %q", last.Feedback.Message)
	}
	if o := typed("CART-01", "B7001"); !strings.Contains(o.Feedback.Message, "locked") {
		t.Fatalf("the locked badge at CART-01: %q", o.Feedback.Message)
	}
	until("the hub to hold the lock", func() bool {
		bs, err := hs.BadgeLocks(ctx)
		return err == nil && len(bs) == 1 && bs[0].Locked && bs[0].Station == "CART-01"
	})
	until("CART-02 to learn the lock", func() bool { p, _ := standing("CART-02"); return p.Locked })
	if o := typed("CART-02", "B7001"); !strings.Contains(o.Feedback.Message, "locked") || o.Feedback.Level != floor.Error {
		t.Fatalf("the locked badge at CART-02: %+v", o.Feedback)
	}

	// A supervisor lifts it at the hub.
	req, _ := http.NewRequest("POST", srv.URL+"/admin/v1/badges/B7001/unlock", nil)
	req.Header.Set("Authorization", "Bearer "+admin.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("unlock: %d", resp.StatusCode)
	}
	for _, id := range []string{"CART-01", "CART-02"} {
		carts[id].rep.Kick()
		until(id+" to learn the unlock", func() bool { p, _ := standing(id); return !p.Locked && p.Failures == 0 })
	}
	typed("CART-02", "B7001")
	if o := typed("CART-02", "246810"); !strings.Contains(o.Feedback.Message, "Lee") || o.Feedback.Level == floor.Error {
		t.Fatalf("the right PIN after the unlock: %+v", o.Feedback)
	}
}

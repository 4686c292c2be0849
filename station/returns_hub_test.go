package station_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/returns"
	"github.com/totewms/tote/station/returnsbench"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestReturnOnTheReturnsBenchReachesTheOMS: a real hub on loopback. An
// order is packed and shipped (its pack bench's and dock's events); the
// returns bench learns from its pull what shipped, a clerk takes one unit
// back to stock and refurbishes another, the push reaches the hub: its
// order shows the returned units, and the facts feed an OMS polls
// (GET /api/v1/facts) holds order.returned with condition, reason and
// disposition in tote's and Shopify's words. A unit past what shipped is
// refused at the bench, offline, before the hub would.
func TestReturnOnTheReturnsBenchReachesTheOMS(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	token := hub.NewToken(hub.TokenStation)
	for _, id := range []string{"CART-01", "PACK-01", "DOCK-01", "RET-01"} {
		tok := "unused-" + id
		if id == "RET-01" {
			tok = token
		}
		if err := hs.RegisterStation(ctx, id, "", hub.HashToken(tok), now); err != nil {
			t.Fatal(err)
		}
	}
	site := demo.Site(1, now.Add(24*time.Hour))
	imp := protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "CART-01")
	if _, err := hub.ImportSite(ctx, hs, imp, now); err != nil {
		t.Fatal(err)
	}
	if _, err := hs.ImportReference(ctx, protocol.Reference{Operators: []protocol.Operator{{Badge: "B7100", Name: "Rosa", Roles: []string{"returns"}}}}); err != nil {
		t.Fatal(err)
	}
	admin, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: hub.AllScopes}, hub.Console("test"), now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	t.Cleanup(srv.Close)

	// The order is packed at PACK-01 and leaves with DOCK-01's pickup.
	// An order whose first line asks for more than one unit: one unit is
	// restocked, the other refurbished.
	var o floor.Order
	for _, x := range site.Orders {
		if x.Lines[0].Qty > 1 {
			o = x
			break
		}
	}
	if o.ID == "" {
		t.Fatal("the demo site has no order of two units on a line")
	}
	l := o.Lines[0]
	const sscc = "006141410000000017"
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(hs.NoteBench(ctx, "PACK-01", protocol.BenchPack))
	must(hs.NoteBench(ctx, "DOCK-01", protocol.BenchDispatch))
	seq := map[string]int64{}
	push := func(station string, evs ...floor.Event) {
		t.Helper()
		var pe []protocol.Event
		for _, ev := range evs {
			seq[station]++
			pe = append(pe, protocol.Event{Station: station, Seq: seq[station], ID: station + "-" + string(rune('a'+seq[station])),
				DeviceTime: now, Type: string(ev.Type), Payload: ev.Payload})
		}
		resp, err := hs.Push(ctx, station, now, pe)
		must(err)
		for _, out := range resp.Outcomes {
			if out.Status != protocol.Accepted {
				t.Fatalf("%s's push: %+v", station, out)
			}
		}
	}
	push("PACK-01",
		floor.NewEvent(floor.EvPackLabelRequested, "B2001", floor.PackLabelPayload{Order: o.ID, Shipment: o.ID + "-1", Carton: 1, Cartons: 1,
			SSCC: sscc, Tracking: "TR1", Lines: []floor.CartonLine{{Line: l.LineNo, SKU: l.SKU, Qty: l.Qty}}}),
		floor.NewEvent(floor.EvPackShipmentCompleted, "B2001", floor.PackShipmentPayload{Order: o.ID, Shipment: o.ID + "-1", Cartons: 1}))
	push("DOCK-01",
		floor.NewEvent(floor.EvDispatchParcelLoaded, "B3001", floor.DispatchParcelPayload{SSCC: sscc, Order: o.ID, Shipment: o.ID + "-1", Pickup: "P1", Carrier: "UPS"}),
		floor.NewEvent(floor.EvDispatchPickupClosed, "B3001", floor.DispatchClosedPayload{Pickup: "P1", Carrier: "UPS", SSCCs: []string{sscc}}))

	// The returns bench: its own store, its replicator, its station.
	st, err := store.Open(ctx, filepath.Join(dir, "RET-01.db"), "RET-01")
	must(err)
	t.Cleanup(func() { st.Close() })
	news := make(chan struct{}, 64)
	rep, err := replicator.New(st, replicator.Options{Hub: srv.URL, Token: token, Bench: protocol.BenchReturns,
		PushInterval: 50 * time.Millisecond, PullInterval: 50 * time.Millisecond,
		OnStatus: func(replicator.Status) {
			select {
			case news <- struct{}{}:
			default:
			}
		}})
	must(err)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { rep.Run(rctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	until := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for !cond() {
			select {
			case <-news:
			case <-deadline:
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	until("the returns bench to learn what shipped", func() bool {
		r, _, err := st.Returnable(ctx, sscc)
		op, _ := st.Operator(ctx, "B7100")
		return err == nil && r != nil && op != nil
	})
	s, err := station.Open(ctx, st, interp(t), station.Options{Bench: returnsbench.Name, Committed: rep.Kick})
	must(err)
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	go s.Serve(sctx)
	do := func(a station.Action, want string) station.Outcome {
		t.Helper()
		if !s.Submit(a) {
			t.Fatal("not taken")
		}
		out := <-s.Outcomes()
		if !strings.Contains(out.Feedback.Message, want) {
			t.Fatalf("%+v: %q, want %q", a, out.Feedback.Message, want)
		}
		return out
	}
	cmd := func(c floor.Command) station.Action { return station.Action{Command: c} }
	var gtin string
	for _, it := range site.Items {
		if it.SKU == l.SKU {
			gtin = it.GTINs[0]
		}
	}
	home := ""
	for _, task := range site.Tasks {
		if task.SKU == l.SKU {
			home = task.Location
		}
	}
	do(typed("B7100"), "Hello Rosa")
	do(typed("RMA-5521"), "now scan")
	do(typed(sscc), "Return RET-01-R00001 for order "+o.ID)
	want := l.Qty
	for i := range want {
		do(typed(gtin), "line 1")
		if i == 0 {
			do(cmd(floor.CmdRetSellable), "Why")
			do(cmd(floor.CmdRetWhyUnwanted), "What becomes")
			do(cmd(floor.CmdRetRestock), "Scan the location")
			do(typed(home), "restock at "+home)
			continue
		}
		do(cmd(floor.CmdRetDamaged), "Why")
		do(cmd(floor.CmdRetWhyDefective), "What becomes")
		do(cmd(floor.CmdRetRefurbish), "recorded")
	}
	out := do(typed(gtin), "more than shipped") // offline: the bench knows what shipped
	if out.Feedback.Level != floor.Error || out.State.(returns.State).Return.Units() != want {
		t.Fatalf("one past what shipped: %+v", out)
	}
	do(cmd(floor.CmdOK), "finished")

	get := func(path string, v any) {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+admin.Token)
		resp, err := http.DefaultClient.Do(req)
		must(err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		must(json.Unmarshal(b, v))
	}
	var f protocol.Fulfilment
	until("the hub to count the returned units", func() bool {
		get("/api/v1/orders/"+o.ID, &f)
		return f.Lines[0].Returned == want
	})
	if f.Lines[0].Shipped != l.Qty || len(f.Returns) != want || f.Returns[0].Location != home || f.Returns[0].Station != "RET-01" {
		t.Fatalf("the hub's order after the return: %+v", f)
	}
	var page protocol.FactPage
	get("/api/v1/facts?after=0&limit=1000", &page)
	var got []protocol.FactReturn
	for _, fa := range page.Facts {
		if fa.Order == o.ID && fa.Kind == protocol.FactReturned {
			var d protocol.FactReturn
			must(json.Unmarshal(fa.Data, &d))
			got = append(got, d)
		}
	}
	if len(got) != want || got[0].Condition != "sellable" || got[0].Disposition != "restock" || got[0].Shopify != protocol.ShopifyRestocked ||
		got[0].Location != home || got[0].RMA != "RMA-5521" || got[0].Lines[0].SKU != l.SKU {
		t.Fatalf("order.returned in the feed: %+v", got)
	}
	if got[1].Condition != "damaged" || got[1].Reason != "defective" || got[1].Shopify != protocol.ShopifyProcessingRequired {
		t.Fatalf("the refurbished unit's fact: %+v", got[1])
	}
	// The hub's word comes back: the station forgets its own count once
	// the hub counts them, and the figures stay the same.
	until("the bench to hear the hub counted them", func() bool {
		var n int
		err := func() error {
			r, _, err := st.Returnable(ctx, o.ID)
			if err != nil {
				return err
			}
			n = r.Lines[0].Returned
			if len(r.Counted) != want {
				n = -1
			}
			return nil
		}()
		return err == nil && n == want
	})
}

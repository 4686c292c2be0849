package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// TestCartsNeverShareATote: a hub on loopback and two pick carts, each
// with its own store and the real replicator, each with a wave of its
// own. CART-01 picks its order into a tote through the real pick
// workflow; the hub tells every cart the tote holds that order, and
// CART-02's picker, scanning that tote for CART-02's order, is refused
// in words naming the order it holds, then takes an empty tote. The hub
// records no conflict: nothing of two orders went into one tote.
func TestCartsNeverShareATote(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs, url, tokens := loopbackHub(t, ctx, dir, "CART-01", "CART-02")
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	imp := protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "CART-01")
	if len(imp.Waves) != 1 || len(imp.Waves[0].Orders) < 2 {
		t.Fatalf("the demo site's waves: %+v", imp.Waves)
	}
	first, second := imp.Waves[0].Orders[0], imp.Waves[0].Orders[1]
	imp.Waves = []protocol.NewWave{{ID: "W-A", Orders: []string{first}, Station: "CART-01"}, {ID: "W-B", Orders: []string{second}, Station: "CART-02"}}
	if _, err := hub.ImportSite(ctx, hs, imp, time.Now()); err != nil {
		t.Fatal(err)
	}
	cart1 := startSynced(t, ctx, dir, "CART-01", url, tokens["CART-01"], protocol.BenchPick)
	cart2 := startSynced(t, ctx, dir, "CART-02", url, tokens["CART-02"], protocol.BenchPick)
	for _, c := range []*syncedStation{cart1, cart2} {
		c.await(t, "the cart has its wave", func() bool {
			var n int
			c.st.DB().R.QueryRow(`SELECT COUNT(*) FROM pick_tasks`).Scan(&n)
			return n > 0
		})
	}

	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	tote := hints.Tote(first)
	totes, err := actors.Pick(ctx, cart1.st, interp, 1, func(string) string { return tote })
	if err != nil {
		t.Fatal(err)
	}
	if len(totes) != 1 || totes[0] != tote {
		t.Fatalf("CART-01 filled %v, want %s", totes, tote)
	}
	cart2.await(t, "CART-02 learns the tote holds CART-01's order", func() bool {
		held, err := cart2.st.ToteHolds(ctx, tote)
		return err == nil && held == first
	})

	picker, err := station.Open(ctx, cart2.st, interp, station.Options{Bench: station.BenchPick})
	if err != nil {
		t.Fatal(err)
	}
	scan := func(data string) station.Outcome {
		t.Helper()
		o := picker.Handle(ctx, station.Action{Scan: floor.Scan{Source: "test", Data: data}})
		if o.Err != nil {
			t.Fatalf("scan %q: %v", data, o.Err)
		}
		return o
	}
	scan(actors.PickerBadge)
	s := picker.Snapshot().State.(pick.State)
	task, ok := s.Task()
	if s.Step != pick.StepTote || !ok || task.OrderID != second {
		t.Fatalf("CART-02 signed in: at %s for %q", s.Step, task.OrderID)
	}
	o := scan(tote)
	want := "Tote " + tote + " holds " + first + ": take an empty tote"
	if o.Feedback.Level != floor.Error || !strings.HasPrefix(o.Feedback.Message, want) {
		t.Fatalf("CART-02 scanning %s for %s: %v %q, want an error starting %q", tote, second, o.Feedback.Level, o.Feedback.Message, want)
	}
	if s := picker.Snapshot().State.(pick.State); s.Step != pick.StepTote || s.Tote != "" {
		t.Fatalf("after the refusal CART-02 is at %s with tote %q", s.Step, s.Tote)
	}
	empty := hints.Tote(second)
	if o := scan(empty); o.Feedback.Level == floor.Error {
		t.Fatalf("an empty tote refused: %q", o.Feedback.Message)
	}
	if s := picker.Snapshot().State.(pick.State); s.Step != pick.StepLocation || s.Tote != empty {
		t.Fatalf("after an empty tote CART-02 is at %s with tote %q", s.Step, s.Tote)
	}
	cs, err := hub.New(hs, hub.ServiceOptions{}).Conflicts(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Kind == hub.ConflictToteTwoOrders {
			t.Fatalf("a conflict of two orders in a tote: %+v", c)
		}
	}
}

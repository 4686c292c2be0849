package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/labels"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/dispatch"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// TestParcelTravelsFromBenchToDock: a hub on loopback, a pick cart, a pack
// bench and a dispatch bench, each with its own store and the real
// replicator. The cart picks an order, the bench packs it; the dispatch
// bench, which packed nothing, first says an SSCC it has not heard of is
// not known yet, then learns the parcel from the hub, refuses it while
// the office holds its order, loads it once released and closes the
// pickup: the hub ships the order, and the dock learns the parcel left.
func TestParcelTravelsFromBenchToDock(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs, url, tokens := loopbackHub(t, ctx, dir, "CART-01", "PACK-01", "DOCK-01")
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	site.Operators = append(site.Operators, floor.Operator{Badge: "B3001", Name: "Lou Loader", Roles: []floor.Role{floor.RoleLoader}})
	if _, err := hub.ImportSite(ctx, hs, protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "CART-01"), time.Now()); err != nil {
		t.Fatal(err)
	}
	cart := startSynced(t, ctx, dir, "CART-01", url, tokens["CART-01"], protocol.BenchPick)
	bench := startSynced(t, ctx, dir, "PACK-01", url, tokens["PACK-01"], protocol.BenchPack)
	dock := startSynced(t, ctx, dir, "DOCK-01", url, tokens["DOCK-01"], protocol.BenchDispatch)
	cart.await(t, "the cart has its wave", func() bool {
		var n int
		cart.st.DB().R.QueryRow(`SELECT COUNT(*) FROM pick_tasks`).Scan(&n)
		return n == len(site.Tasks)
	})
	for _, s := range []*syncedStation{bench, dock} {
		s.await(t, "the station has its operators", func() bool {
			op, err := s.st.Operator(ctx, "B3001")
			return err == nil && op != nil
		})
	}

	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	loader, err := station.Open(ctx, dock.st, interp, station.Options{Bench: station.BenchDispatch,
		Dispatch: station.DispatchOptions{Carrier: config.Default().Pack.Carrier, Printer: "zebra-1"}})
	if err != nil {
		t.Fatal(err)
	}
	load := func(a station.Action) (station.Outcome, dispatch.State) {
		t.Helper()
		o := loader.Handle(ctx, a)
		if o.Err != nil {
			t.Fatalf("dock %+v: %v", a, o.Err)
		}
		return o, loader.Snapshot().State.(dispatch.State)
	}
	typed := func(s string) station.Action { return station.Action{Scan: floor.Scan{Source: "test", Data: s}} }
	if _, st := load(typed("B3001")); st.Step != dispatch.StepCarrier {
		t.Fatalf("the loader's badge: at %s", st.Step)
	}
	nobody, err := labels.StationSSCC("0614141", 0, 9, 1) // no bench packed it
	if err != nil {
		t.Fatal(err)
	}
	o, st := load(typed(nobody))
	if msg := o.Feedback.Message; !strings.Contains(msg, "parcel "+nobody+" is not known here yet — last pull ") || !strings.Contains(msg, " s ago") ||
		o.Feedback.Level != floor.Error || st.Step != dispatch.StepCarrier || st.Pickup.ID != "" {
		t.Fatalf("an SSCC the dock has not heard of: %q at %s", msg, st.Step)
	}

	// The cart picks the first order; the pack bench packs its tote.
	firstOrder := site.Tasks[0].OrderID
	tote := hints.Tote(firstOrder)
	if _, err := actors.Pick(ctx, cart.st, interp, 1, hints.Tote); err != nil {
		t.Fatal(err)
	}
	bench.await(t, "the tote reaches the bench", func() bool {
		order, known, err := bench.st.ToteOrder(ctx, tote)
		if err != nil || !known || order != firstOrder {
			return false
		}
		// Every unit the cart picked (it may push over several batches).
		mine, err := cart.st.PackOrder(ctx, firstOrder)
		theirs, err2 := bench.st.PackOrder(ctx, firstOrder)
		if err != nil || err2 != nil || theirs == nil {
			return false
		}
		for i, l := range mine.Lines {
			if theirs.Lines[i].Picked != l.Picked || theirs.Lines[i].Short != l.Short {
				return false
			}
		}
		return true
	})
	sscc := packTote(t, ctx, bench.st, interp, tote)

	// The parcel reaches the dock, which packed nothing.
	dock.await(t, "the parcel reaches the dock", func() bool {
		p, err := dock.st.Parcel(ctx, sscc, "")
		return err == nil && p != nil && p.ShipmentStatus == "completed"
	})
	if n := count(t, dock.st, `SELECT COUNT(*) FROM cartons`); n != 0 {
		t.Fatalf("the dock packed %d cartons itself", n)
	}
	// A hold after packing stops it at the dock.
	if err := hs.PlaceHold(ctx, firstOrder, protocol.Hold{Reason: "ADDRESS", Note: "check the street"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	dock.await(t, "the hold reaches the dock", func() bool {
		p, err := dock.st.Parcel(ctx, sscc, "")
		return err == nil && p != nil && len(p.Standing.Holds) == 1
	})
	o, st = load(typed(sscc))
	if !strings.Contains(o.Feedback.Message, "is on hold (ADDRESS)") || st.Pickup.ID != "" {
		t.Fatalf("a held order's parcel: %q, pickup %q", o.Feedback.Message, st.Pickup.ID)
	}
	if err := hs.ReleaseHold(ctx, firstOrder, "ADDRESS"); err != nil {
		t.Fatal(err)
	}
	dock.await(t, "the release reaches the dock", func() bool {
		p, err := dock.st.Parcel(ctx, sscc, "")
		return err == nil && p != nil && len(p.Standing.Holds) == 0
	})
	o, st = load(typed(sscc))
	if st.Step != dispatch.StepLoad || len(st.Pickup.Parcels) != 1 || st.Pickup.Parcels[0].Order != firstOrder {
		t.Fatalf("loading the parcel: %q, %+v", o.Feedback.Message, st)
	}
	pickup := st.Pickup.ID
	if o, st = load(station.Action{Command: floor.CmdClosePickup}); st.Closed == nil || st.Closed.Pickup != pickup {
		t.Fatalf("closing the pickup: %q, %+v", o.Feedback.Message, st)
	}

	// Closed at the dock: the hub ships what the parcel holds (the cart's
	// one unit short is back-ordered), and tells the dock the parcel left.
	dock.await(t, "the hub hears the pickup closed", func() bool {
		f, err := hs.Fulfilment(ctx, firstOrder)
		return err == nil && f.State == protocol.StatePartiallyShipped
	})
	f, err := hs.Fulfilment(ctx, firstOrder)
	if err != nil {
		t.Fatal(err)
	}
	shipped, short := 0, 0
	for _, l := range f.Lines {
		shipped += l.Shipped
		short += l.Short
		if l.InTote != 0 || l.Packed != l.Shipped || l.Shipped+l.BackOrdered != l.Qty {
			t.Fatalf("at the hub, line %d: %+v", l.Line, l)
		}
	}
	if shipped == 0 || short != 1 {
		t.Fatalf("at the hub %s shipped %d, short %d: %+v", firstOrder, shipped, short, f)
	}
	dock.await(t, "the dock hears the parcel left", func() bool {
		var status, at string
		err := dock.st.DB().R.QueryRow(`SELECT status, pickup_id FROM hub_parcels WHERE sscc=?`, sscc).Scan(&status, &at)
		return err == nil && status == "shipped" && at == pickup
	})
	if o, _ = load(typed(sscc)); !strings.Contains(o.Feedback.Message, "already left with pickup "+pickup) {
		t.Fatalf("the shipped parcel scanned again: %q", o.Feedback.Message)
	}
}

// packTote packs the order in tote on a pack bench over st, as the demo's
// hints say, and returns its (one) parcel's SSCC.
func packTote(t *testing.T, ctx context.Context, st *store.Store, interp *barcode.Interpreter, tote string) string {
	t.Helper()
	rules := config.Default().Pack
	// The demo's first order has long items: a crate takes them whole.
	rules.Boxes = append(rules.Boxes, config.Box{Name: "crate", Code: "BOX-CRATE", LengthMM: 1200, WidthMM: 800, HeightMM: 800, TareG: 5000, FillFactor: 0.9})
	packer, err := station.Open(ctx, st, interp, station.Options{Bench: station.BenchPack,
		Pack: station.PackOptions{Rules: rules, Printer: "zebra-1"}})
	if err != nil {
		t.Fatal(err)
	}
	scan := func(data string) station.Outcome {
		t.Helper()
		o := packer.Handle(ctx, station.Action{Scan: floor.Scan{Source: "test", Data: data}})
		if o.Err != nil {
			t.Fatalf("scan %q: %v", data, o.Err)
		}
		return o
	}
	scan("B1002")
	if o := scan(tote); packState(packer).Step != pack.StepVerify {
		t.Fatalf("the tote at the bench: %q", o.Feedback.Message)
	}
	var ssccs []string
	for i := 0; packState(packer).Step != pack.StepDone; i++ {
		if i > 200 {
			t.Fatalf("packing did not finish: at %s", packState(packer).Step)
		}
		next, note := hints.Pack(packState(packer), nil)
		switch step := packState(packer).Step; {
		case next != "":
		case step == pack.StepBox || step == pack.StepPartial || step == pack.StepConfirm:
		default:
			t.Fatalf("at %s the bench wants %q", step, note)
		}
		o := scan(next)
		if o.Feedback.Level == floor.Error {
			t.Fatalf("packing, %q at %s: %s", next, packState(packer).Step, o.Feedback.Message)
		}
		for _, l := range o.Labels {
			ssccs = append(ssccs, l.SSCC)
		}
	}
	if len(ssccs) != 1 {
		t.Fatalf("the bench labelled %v, want one parcel", ssccs)
	}
	return ssccs[0]
}

func count(t *testing.T, st *store.Store, q string) int {
	t.Helper()
	var n int
	if err := st.DB().R.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

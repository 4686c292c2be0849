package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// syncedStation is a station's own store with the real replicator running
// against the hub; pulled is signalled after every status change.
type syncedStation struct {
	st     *store.Store
	rep    *replicator.Replicator
	status chan struct{}
}

func startSynced(t *testing.T, ctx context.Context, dir, id, url, token, bench string) *syncedStation {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(dir, id+".db"), id)
	if err != nil {
		t.Fatal(err)
	}
	s := &syncedStation{st: st, status: make(chan struct{}, 1)}
	s.rep, err = replicator.New(st, replicator.Options{Hub: url, Token: token, Bench: bench,
		PushInterval: 20 * time.Millisecond, PullInterval: 20 * time.Millisecond,
		OnStatus: func(replicator.Status) {
			select {
			case s.status <- struct{}{}:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { s.rep.Run(rctx); close(done) }()
	t.Cleanup(func() { stop(); <-done; st.Close() })
	return s
}

// await waits, replicator report by replicator report (every pull moves
// LastPull, so one comes with each pull), until cond holds.
func (s *syncedStation) await(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for !cond() {
		select {
		case <-s.status:
		case <-deadline:
			t.Fatalf("%s: not within 30 s (%+v)", what, s.rep.Status())
		}
	}
}

// TestToteTravelsFromCartToBench: a hub on loopback, a pick cart and a
// pack bench, each with its own store and the real replicator. The bench
// says a tote it has not heard of is not known yet; the cart picks an
// order into that tote through the real pick workflow (lots, serials and
// a short included); the hub sends the tote to the bench, which packs it
// through the real pack workflow; the hub then frees the tote, and the
// cart, which knew it as full, learns it is free.
func TestToteTravelsFromCartToBench(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs, url, tokens := loopbackHub(t, ctx, dir, "CART-01", "PACK-01")
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	if _, err := hub.ImportSite(ctx, hs, protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "CART-01"), time.Now()); err != nil {
		t.Fatal(err)
	}
	cart := startSynced(t, ctx, dir, "CART-01", url, tokens["CART-01"], protocol.BenchPick)
	bench := startSynced(t, ctx, dir, "PACK-01", url, tokens["PACK-01"], protocol.BenchPack)
	cart.await(t, "the cart has its wave", func() bool {
		var n int
		cart.st.DB().R.QueryRow(`SELECT COUNT(*) FROM pick_tasks`).Scan(&n)
		return n == len(site.Tasks)
	})
	bench.await(t, "the bench has pulled", func() bool { return !bench.rep.Status().LastPull.IsZero() })

	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	rules := config.Default().Pack
	// The demo's first order has long items: a crate takes them whole.
	rules.Boxes = append(rules.Boxes, config.Box{Name: "crate", Code: "BOX-CRATE", LengthMM: 1200, WidthMM: 800, HeightMM: 800, TareG: 5000, FillFactor: 0.9})
	packer, err := station.Open(ctx, bench.st, interp, station.Options{Bench: station.BenchPack,
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
	if s := packState(packer).Step; s != pack.StepOrder {
		t.Fatalf("after the badge the bench is at %s", s)
	}
	firstOrder := site.Tasks[0].OrderID
	tote := hints.Tote(firstOrder)
	o := scan(tote)
	if msg := o.Feedback.Message; !strings.Contains(msg, "Tote "+tote+" is not known here yet — last pull ") || !strings.Contains(msg, " s ago") {
		t.Fatalf("a tote not picked yet: %q", msg)
	}
	if packState(packer).Step != pack.StepOrder {
		t.Fatal("the bench guessed an order for a tote it does not know")
	}

	totes, err := actors.Pick(ctx, cart.st, interp, 1, hints.Tote)
	if err != nil {
		t.Fatal(err)
	}
	if len(totes) != 1 || totes[0] != tote {
		t.Fatalf("the cart filled %v, want %s", totes, tote)
	}
	if held, _ := cart.st.ToteHolds(ctx, tote); held != firstOrder {
		t.Fatalf("on the cart %s holds %q", tote, held)
	}
	// The tote, with every unit the cart put in it (the cart may push its
	// picks over several batches).
	units := func(st *store.Store) int {
		o, err := st.PackOrder(ctx, firstOrder)
		if err != nil || o == nil {
			return -1
		}
		n := 0
		for _, l := range o.Lines {
			n += l.Picked + l.Short
		}
		return n
	}
	want := units(cart.st)
	bench.await(t, "the tote reaches the bench", func() bool {
		order, known, err := bench.st.ToteOrder(ctx, tote)
		return err == nil && known && order == firstOrder && units(bench.st) == want
	})

	scan(tote)
	if s := packState(packer); s.Step != pack.StepVerify || s.Order.ID != firstOrder {
		t.Fatalf("the tote from the cart: bench at %s with %q", s.Step, s.Order.ID)
	}
	// What the bench packs against is what the cart picked: units, shorts,
	// lots and serials, line by line.
	picked, err := cart.st.PackOrder(ctx, firstOrder)
	if err != nil {
		t.Fatal(err)
	}
	got := packState(packer).Order.Lines
	if len(got) != len(picked.Lines) {
		t.Fatalf("the bench sees %d lines, the cart picked %d", len(got), len(picked.Lines))
	}
	short := 0
	for i, l := range picked.Lines {
		g := got[i]
		if g.Picked != l.Picked || g.Short != l.Short || fmt.Sprint(g.Lots) != fmt.Sprint(l.Lots) || fmt.Sprint(g.Serials) != fmt.Sprint(l.Serials) {
			t.Fatalf("line %d: the bench sees picked %d short %d lots %v serials %v; the cart picked %d short %d lots %v serials %v",
				l.LineNo, g.Picked, g.Short, g.Lots, g.Serials, l.Picked, l.Short, l.Lots, l.Serials)
		}
		short += l.Short
	}
	if short != 1 {
		t.Fatalf("the cart left %d units short, want the demo picker's one", short)
	}
	for i := 0; packState(packer).Step != pack.StepDone; i++ {
		if i > 200 {
			t.Fatalf("packing did not finish: at %s", packState(packer).Step)
		}
		next, note := hints.Pack(packState(packer), nil)
		switch step := packState(packer).Step; {
		case next != "":
		case step == pack.StepBox || step == pack.StepPartial || step == pack.StepConfirm:
			// Enter: the suggested box, shipping what is verified (the
			// cart's short), a confirmation.
		default:
			t.Fatalf("at %s the bench wants %q", step, note)
		}
		if o := scan(next); o.Feedback.Level == floor.Error {
			t.Fatalf("packing, %q at %s: %s", next, packState(packer).Step, o.Feedback.Message)
		}
	}

	// Packed on the bench: the hub frees the tote, and the cart learns it.
	cart.await(t, "the cart learns the tote is free", func() bool {
		held, err := cart.st.ToteHolds(ctx, tote)
		return err == nil && held == ""
	})
	bench.await(t, "the bench learns the tote is free", func() bool {
		ti, err := bench.st.ToteInfo(ctx, tote)
		return err == nil && ti.Order == "" && ti.FreedBy == protocol.ToteFreedPacked
	})
	if o := scan(tote); o.Feedback.Message != "No order to pack in tote "+tote+": it held "+firstOrder+", which was packed" {
		t.Fatalf("the packed tote scanned again: %q", o.Feedback.Message)
	}
	f, err := hs.Fulfilment(ctx, firstOrder)
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != protocol.StatusShipped && f.Status != protocol.StatusPacked {
		t.Fatalf("at the hub %s is %s", firstOrder, f.Status)
	}
}

// packState is the pack bench's state.
func packState(s *station.Station) pack.State { return s.Snapshot().State.(pack.State) }

package replicator_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// BenchmarkToteToBench measures how soon a tote a cart filled can be
// scanned on a pack bench that is another station, with the replicators'
// defaults (push at once after a commit and every 2 s, waiting pulls of
// 25 s, pull interval 10 s), against a real hub on loopback: from the
// cart's commit of the tote's last pick (its Kick, as the station's
// service does) to the bench's pull transaction that applied the tote
// with every unit in it. Each iteration releases a new order to the
// cart, picks all its lines but the last into a fresh tote and lets them
// reach the bench, then times the last pick. In the same run it times
// the bare round trips of a third station: one pull with nothing new and
// one push of one event. It reports p50 and p99 in milliseconds. Run it
// with -benchtime 200x.
func BenchmarkToteToBench(b *testing.B) {
	for _, kind := range sitetest.Kinds {
		b.Run(string(kind), func(b *testing.B) { benchToteToBench(b, kind) })
	}
}

func benchToteToBench(b *testing.B, kind sitetest.Kind) {
	const cartID, benchID = "CART-01", "PACK-01"
	dir := b.TempDir()
	h := sitetest.NewHubOn(b, kind, dir, hubstore.Options{}, nil)
	site := demo.Site(1, time.Now())
	cartTok, benchTok := sitetest.Register(b, h.API, cartID), sitetest.Register(b, h.API, benchID)
	sitetest.Import(b, h.API, sitetest.ImportOf(site, cartID))
	rt := newRoundTrips(b, h)

	cart := appliedJournal{Store: sitetest.OpenStation(b, dir+"/cart.db", cartID), applied: make(chan appliedPage, 4096)}
	bench := appliedJournal{Store: sitetest.OpenStation(b, dir+"/bench.db", benchID), applied: make(chan appliedPage, 4096)}
	cartRep := runReplicator(b, cart, replicator.Options{Hub: h.URL, Token: cartTok, Bench: protocol.BenchPick})
	runReplicator(b, bench, replicator.Options{Hub: h.URL, Token: benchTok, Bench: protocol.BenchPack})
	cart.until(b, "the cart's first pull", func(ch store.Change) bool { return ch.Task != nil })
	bench.until(b, "the bench's first pull", func(ch store.Change) bool { return ch.Operator != nil })

	// An order of two or more lines of items without lots or serials:
	// the cart's picks need nothing but the tote.
	plain := map[string]bool{}
	for _, it := range site.Items {
		plain[it.SKU] = !it.LotControlled && !it.SerialControlled
	}
	var tmpl protocol.Order
	for _, o := range site.Orders {
		if len(o.Lines) >= 2 && !slices.ContainsFunc(o.Lines, func(l floor.OrderLine) bool { return !plain[l.SKU] }) {
			tmpl = protocol.OrderOf(o)
			break
		}
	}
	if tmpl.ID == "" {
		b.Fatal("the demo site has no order of two plain lines")
	}

	var tote, pull, push []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		o := tmpl
		o.ID, o.Status, o.Holds = fmt.Sprintf("SO-T%06d", i), "", nil
		w, code := fmt.Sprintf("W-T%06d", i), fmt.Sprintf("T%05d", 90000-i)
		if _, err := h.API.ImportOrders(ctx, []protocol.Order{o}, time.Now()); err != nil {
			b.Fatal(err)
		}
		if _, err := h.API.CreateWave(ctx, protocol.NewWave{ID: w, Orders: []string{o.ID}, Station: cartID}, time.Now()); err != nil {
			b.Fatal(err)
		}
		var tasks []floor.PickTask
		cart.until(b, "wave "+w, func(ch store.Change) bool {
			if ch.Task != nil && ch.Task.WaveID == w {
				tasks = append(tasks, *ch.Task)
			}
			return len(tasks) > 0 && ch.Task != nil && ch.Task.WaveID == w && len(tasks) == countLines(o)
		})
		picks := make([]floor.Event, len(tasks))
		total := 0
		for k, t := range tasks {
			picks[k] = floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: t.ID, Order: t.OrderID,
				Line: t.LineNo, Location: t.Location, SKU: t.SKU}, Qty: t.Qty, Tote: code})
			total += t.Qty
		}
		last := len(picks) - 1
		if _, err := cart.Commit(ctx, time.Now(), picks[:last], nil); err != nil {
			b.Fatal(err)
		}
		cartRep.Kick()
		bench.until(b, "tote "+code+"'s first picks", toteWith(code, total-tasks[last].Qty))

		b.StartTimer()
		t0 := time.Now()
		if _, err := cart.Commit(ctx, time.Now(), picks[last:], nil); err != nil {
			b.Fatal(err)
		}
		cartRep.Kick()
		tote = append(tote, bench.until(b, "tote "+code+" full", toteWith(code, total)).Sub(t0))
		b.StopTimer()
		if info, err := bench.ToteInfo(ctx, code); err != nil || !info.Known || info.Order != o.ID {
			b.Fatalf("the bench cannot scan tote %s: %+v %v", code, info, err)
		}
		pull = append(pull, rt.pull(b))
		push = append(push, rt.push(b, int64(i+1)))
	}
	reportQuantiles(b, "tote", tote)
	reportQuantiles(b, "pull-rt", pull)
	reportQuantiles(b, "push-rt", push)
}

func countLines(o protocol.Order) int { return len(o.Lines) }

// toteWith: a change that brings tote code with units in it.
func toteWith(code string, units int) func(store.Change) bool {
	return func(ch store.Change) bool {
		if ch.Tote == nil || ch.Tote.Code != code {
			return false
		}
		n := 0
		for _, u := range ch.Tote.Units {
			n += u.Qty
		}
		return n == units
	}
}

// runReplicator runs a replicator for j until the benchmark ends.
func runReplicator(b *testing.B, j replicator.Journal, opts replicator.Options) *replicator.Replicator {
	rep, err := replicator.New(j, opts)
	if err != nil {
		b.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { rep.Run(c); close(done) }()
	b.Cleanup(func() { cancel(); <-done })
	return rep
}

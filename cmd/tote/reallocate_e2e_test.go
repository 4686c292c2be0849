package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// TestCartReopensItsWaveForAReallocatedTask: the hub re-offers a short's
// remainder from another location (short_remainder = reallocate) to the
// wave's cart. The cart shorts the wave's last task, which finishes the
// wave; the hub's new task reaches it over loopback, and the cart opens
// the wave again (journaled wave.started) at the new location, without a
// scan; picked there, the order is whole at the hub, nothing back-ordered.
func TestCartReopensItsWaveForAReallocatedTask(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs, url, tokens := loopbackHub(t, ctx, dir, "CART-01")
	now := time.Now()
	const gtin = "09501101530003"
	if _, err := hs.ImportReference(ctx, protocol.Reference{
		Operators: []protocol.Operator{{Badge: "B1001", Name: "Ana Picker", Roles: []string{"picker"}}},
		Locations: []protocol.Location{{Code: "A-01-01-1", Zone: "A", Aisle: 1, WalkSeq: 10}, {Code: "B-02-01-1", Zone: "B", Aisle: 2, WalkSeq: 20}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", GTINs: []string{gtin}, Location: "A-01-01-1",
			OtherLocations: []string{"B-02-01-1"}}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := hs.ImportOrders(ctx, []protocol.Order{{ID: "SO-1", ShipTo: protocol.Address{Name: "Olivia", Line1: "1 Main St", City: "Springfield", Country: "US"}, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 2}}}}, now); err != nil {
		t.Fatal(err)
	}
	if err := hs.SetSetting(ctx, hub.SettingShortRemainder, hub.ShortReallocate); err != nil {
		t.Fatal(err)
	}
	if _, err := hs.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, now); err != nil {
		t.Fatal(err)
	}
	cart := startSynced(t, ctx, dir, "CART-01", url, tokens["CART-01"], protocol.BenchPick)
	tasks := func() int {
		var n int
		cart.st.DB().R.QueryRow(`SELECT COUNT(*) FROM pick_tasks`).Scan(&n)
		return n
	}
	cart.await(t, "the cart has its wave", func() bool { return tasks() == 1 })

	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	picker, err := station.Open(ctx, cart.st, interp, station.Options{Bench: station.BenchPick})
	if err != nil {
		t.Fatal(err)
	}
	do := func(a station.Action, want pick.Step) station.Outcome {
		t.Helper()
		o := picker.Handle(ctx, a)
		if s := o.State.(pick.State); o.Err != nil || s.Step != want {
			t.Fatalf("%+v: at %s, want %s (%s; %v)", a, s.Step, want, o.Feedback.Message, o.Err)
		}
		return o
	}
	typed := func(s string) station.Action { return station.Action{Scan: floor.Scan{Source: "test", Data: s}} }
	do(typed("B1001"), pick.StepTote)
	do(typed("T00001"), pick.StepLocation)
	do(typed("A-01-01-1"), pick.StepItem)
	do(typed(gtin[1:]), pick.StepItem)
	do(station.Action{Command: floor.CmdShort}, pick.StepShort)
	o := do(typed("1"), pick.StepDone)
	if last := o.Events[len(o.Events)-1]; last.Type != floor.EvWaveCompleted {
		t.Fatalf("the short finished the wave with %s", last.Type)
	}

	// The hub re-offers the remainder at B: the task reaches the cart.
	cart.await(t, "the reallocated task reaches the cart", func() bool { return tasks() == 2 })
	// After a pull the screen refreshes a waiting picker: the wave opens again.
	o = do(station.Action{Refresh: true}, pick.StepLocation)
	s := o.State.(pick.State)
	task, _ := s.Task()
	if task.Location != "B-02-01-1" || task.Qty != 1 || s.Wave.Status != "in_progress" || len(o.Events) != 1 || o.Events[0].Type != floor.EvWaveStarted ||
		!strings.Contains(o.Feedback.Message, "Wave W1 has work again: 1 more task: 1 × MUG-1 from B-02-01-1") {
		t.Fatalf("after the task arrived: task %+v, wave %+v, events %+v (%s)", task, s.Wave, o.Events, o.Feedback.Message)
	}
	if w, err := cart.st.Wave(ctx, "W1"); err != nil || w.Status != "in_progress" {
		t.Fatalf("the reopened wave in the cart's store: %+v %v", w, err)
	}
	do(typed("B-02-01-1"), pick.StepItem)
	o = do(typed(gtin[1:]), pick.StepDone)
	if last := o.Events[len(o.Events)-1]; last.Type != floor.EvWaveCompleted {
		t.Fatalf("the reallocated pick ended with %s", last.Type)
	}
	cart.await(t, "the hub has the order picked whole", func() bool {
		f, err := hs.Fulfilment(ctx, "SO-1")
		return err == nil && f.State == protocol.StatePicked && f.Lines[0].InTote == 2 && f.Lines[0].BackOrdered == 0
	})
}

package store_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

func toteOrder(t *testing.T, s *store.Store, tote string) (string, bool) {
	t.Helper()
	o, known, err := s.ToteOrder(ctx, tote)
	if err != nil {
		t.Fatal(err)
	}
	return o, known
}

// lineCounts is a pack snapshot's picked and short per line, and its lots.
func lineCounts(t *testing.T, s *store.Store, order string) (picked, short map[int]int, lots map[int][]floor.LotCount) {
	t.Helper()
	o, err := s.PackOrder(ctx, order)
	if err != nil || o == nil {
		t.Fatalf("PackOrder(%s): %v, %v", order, o, err)
	}
	picked, short, lots = map[int]int{}, map[int]int{}, map[int][]floor.LotCount{}
	for _, l := range o.Lines {
		picked[l.LineNo], short[l.LineNo], lots[l.LineNo] = l.Picked, l.Short, l.Lots
	}
	return picked, short, lots
}

// TestToteFromTheHub: a pack bench that picked nothing of an order packs
// it from the tote the hub sent: the units (lots too) and the shorts of
// the carts count; the same record again changes nothing; a smaller fill
// (an undo at the cart) counts less; a restart keeps it; a freed tote is
// known and empty, and what it held still counts as picked; a tote never
// heard of is unknown.
func TestToteFromTheHub(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	o3 := floor.Order{ID: "ORD-3", Lines: []floor.OrderLine{{LineNo: 1, SKU: "MUG", Qty: 3}, {LineNo: 2, SKU: "CAN", Qty: 2}}}
	pull(t, s, "c1", append(syncSite(), store.Change{Order: &o3})...)
	if _, known := toteOrder(t, s, "T7"); known {
		t.Fatal("a tote nothing was heard of is known")
	}
	fill := func(units ...store.HubToteUnit) *store.HubTote {
		return &store.HubTote{Code: "T7", Order: "ORD-3", Fill: 1, Units: units,
			Shorts: []store.HubShort{{Station: "CART-01", Task: 31, Line: 2, Qty: 2}}}
	}
	l1 := store.HubToteUnit{Station: "CART-01", Seq: 5, Task: 30, Line: 1, SKU: "MUG", Qty: 1, Lot: "L1", Location: "A-01-01-1", Operator: "B1001"}
	l2 := store.HubToteUnit{Station: "CART-01", Seq: 6, Task: 30, Line: 1, SKU: "MUG", Qty: 1, Lot: "L2", Location: "A-01-01-1", Operator: "B1001"}
	sum := pull(t, s, "c2", store.Change{Tote: fill(l1, l2)})
	if sum.Totes != 1 || len(sum.Skipped) != 0 {
		t.Fatalf("pull summary %+v", sum)
	}
	want := func(what string, p1, s2 int, lots []floor.LotCount) {
		t.Helper()
		picked, short, got := lineCounts(t, s, "ORD-3")
		if picked[1] != p1 || short[2] != s2 || !reflect.DeepEqual(got[1], lots) {
			t.Fatalf("%s: line 1 picked %d (want %d) lots %v (want %v); line 2 short %d (want %d)", what, picked[1], p1, got[1], lots, short[2], s2)
		}
	}
	want("from the hub", 2, 2, []floor.LotCount{{Lot: "L1", Qty: 1}, {Lot: "L2", Qty: 1}})
	if o, known := toteOrder(t, s, "T7"); o != "ORD-3" || !known {
		t.Fatalf("T7 holds %q (known %v)", o, known)
	}
	pull(t, s, "c3", store.Change{Tote: fill(l1, l2)})
	want("the same record again", 2, 2, []floor.LotCount{{Lot: "L1", Qty: 1}, {Lot: "L2", Qty: 1}})
	pull(t, s, "c4", store.Change{Tote: fill(l1)})
	want("after an undo at the cart", 1, 2, []floor.LotCount{{Lot: "L1", Qty: 1}})

	s.Close()
	s = open(t, path)
	want("after a restart", 1, 2, []floor.LotCount{{Lot: "L1", Qty: 1}})
	if o, _ := toteOrder(t, s, "T7"); o != "ORD-3" {
		t.Fatalf("after a restart T7 holds %q", o)
	}

	pull(t, s, "c5", store.Change{Tote: &store.HubTote{Code: "T7", Fill: 1, Freed: "ORD-3", FreedBy: "packed"}})
	if ti, err := s.ToteInfo(ctx, "T7"); err != nil || ti != (store.ToteInfo{Known: true, Freed: "ORD-3", FreedBy: "packed"}) {
		t.Fatalf("a freed tote: %+v %v", ti, err)
	}
	want("once the tote is free", 1, 2, []floor.LotCount{{Lot: "L1", Qty: 1}})

	// Another bench shipped part of the order; the rest comes in a new
	// fill: this bench packs only the rest.
	pull(t, s, "c5b", store.Change{Tote: &store.HubTote{Code: "T9", Order: "ORD-3", Fill: 1,
		Units:  []store.HubToteUnit{{Station: "CART-01", Seq: 40, Task: 30, Line: 1, SKU: "MUG", Qty: 2}},
		Packed: []store.HubPacked{{Station: "PACK-02", Shipment: "ORD-3-1", Line: 1, Qty: 1}, {Station: "ST-01", Shipment: "ORD-3-1", Line: 1, Qty: 1}}}})
	o, err := s.PackOrder(ctx, "ORD-3")
	if err != nil {
		t.Fatal(err)
	}
	if l := o.Lines[0]; l.LineNo != 1 || l.Ordered != 2 || l.Picked != 2 {
		t.Fatalf("line 1 after another bench shipped 1 of 3: ordered %d picked %d, want 2 and 2 (this station's own entry is not counted)", l.Ordered, l.Picked)
	}

	// A tote naming an order this station does not have is skipped, with why.
	sum = pull(t, s, "c6", store.Change{Tote: &store.HubTote{Code: "T8", Order: "ORD-404", Fill: 1}})
	if len(sum.Skipped) != 1 {
		t.Fatalf("a tote of an unknown order: %+v", sum)
	}
}

// TestToteOfAStationThatPicksAndPacks: the hub's record of this station's
// own units is not counted again; a tote freed at the hub is empty on the
// cart that filled it, which may then fill it with another order.
func TestToteOfAStationThatPicksAndPacks(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	pull(t, s, "c1", syncSite()...)
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{picked(1, "ORD-1", 1)}, nil); err != nil {
		t.Fatal(err)
	}
	own := store.HubToteUnit{Station: "ST-01", Seq: 1, Task: 1, Line: 1, SKU: "MUG", Qty: 1}
	other := store.HubToteUnit{Station: "CART-02", Seq: 3, Task: 8, Line: 1, SKU: "MUG", Qty: 1}
	pull(t, s, "c2", store.Change{Tote: &store.HubTote{Code: "T1", Order: "ORD-1", Fill: 1, Units: []store.HubToteUnit{own, other}}})
	if picked, _, _ := lineCounts(t, s, "ORD-1"); picked[1] != 2 {
		t.Fatalf("ORD-1 line 1 picked %d, want 2: one here, one on CART-02", picked[1])
	}
	sum := pull(t, s, "c3", store.Change{Tote: &store.HubTote{Code: "T1", Fill: 1, Freed: "ORD-1", FreedBy: "packed"}})
	if !reflect.DeepEqual(sum.Freed, []string{"T1"}) {
		t.Fatalf("freed %v", sum.Freed)
	}
	if o, err := s.ToteHolds(ctx, "T1"); err != nil || o != "" {
		t.Fatalf("T1 holds %q after the hub freed it (%v)", o, err)
	}
	task2 := floor.TaskPayload{Task: 2, Order: "ORD-2", Line: 1, Location: "A-01-02-1", SKU: "CAN"}
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task2, Qty: 1, Tote: "T1"})}, nil); err != nil {
		t.Fatalf("another order into the freed tote: %v", err)
	}
	if o, _ := s.ToteHolds(ctx, "T1"); o != "ORD-2" {
		t.Fatalf("T1 holds %q, want ORD-2", o)
	}
}

package hubtest

import (
	"reflect"
	"testing"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// rowsRewritten: a tote, an order's figures and an order's life written
// again read back as last written, through their key and through what
// lists them (a tote by its order, orders by wave, shelved orders),
// whether the columns those lists go by stayed or moved.
func rowsRewritten(t *testing.T, s hub.Store) {
	put := func(f func(tx hub.StoreTx) error) { must(t, s.Tx(ctx, f)) }
	check := func(what string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %+v, want %+v", what, got, want)
		}
	}
	read := func(f func(tx hub.StoreTx) error) { must(t, s.Read(ctx, f)) }

	// A tote: its fill moves on the same order, then it goes to another.
	tote := hub.ToteRecord{Code: "T-1", Order: "SO-1", Fill: 1, Version: 1}
	put(func(tx hub.StoreTx) error { return tx.PutTote(tote) })
	tote.Fill, tote.Version = 2, 2
	put(func(tx hub.StoreTx) error { return tx.PutTote(tote) })
	read(func(tx hub.StoreTx) error {
		got, ok, err := tx.Tote("T-1")
		check("the tote refilled", [3]any{got, ok, err}, [3]any{tote, true, nil})
		on, err := tx.TotesOf("SO-1")
		check("totes of SO-1", [2]any{on, err}, [2]any{[]string{"T-1"}, nil})
		return nil
	})
	tote.Order, tote.Fill, tote.Freed, tote.FreedBy, tote.Version = "SO-2", 3, "", "", 3
	put(func(tx hub.StoreTx) error { return tx.PutTote(tote) })
	tote.Order, tote.Freed, tote.FreedBy = "", protocol.ToteFreedPacked, "PACK-01"
	put(func(tx hub.StoreTx) error { return tx.PutTote(tote) })
	read(func(tx hub.StoreTx) error {
		got, ok, err := tx.Tote("T-1")
		check("the tote freed", [3]any{got, ok, err}, [3]any{tote, true, nil})
		for _, o := range []string{"SO-1", "SO-2"} {
			on, err := tx.TotesOf(o)
			check("totes of "+o+" once the tote is free", [2]any{len(on), err}, [2]any{0, nil})
		}
		return nil
	})

	// An order's figures: picks on the same wave and state, then a new
	// state and another wave.
	agg := hub.AggOrder{Order: "SO-1", Wave: "W-1", State: "picking", Lines: 2, Units: 4, Picked: 1, Version: 1}
	put(func(tx hub.StoreTx) error { return tx.PutAggOrder(agg) })
	agg.Picked, agg.LinesDone, agg.Version = 3, 1, 2
	put(func(tx hub.StoreTx) error { return tx.PutAggOrder(agg) })
	read(func(tx hub.StoreTx) error {
		got, ok, err := tx.AggOrder("SO-1")
		check("the order's figures", [3]any{got, ok, err}, [3]any{agg, true, nil})
		on, err := tx.AggOrders("W-1")
		check("orders of W-1", [2]any{on, err}, [2]any{[]hub.AggOrder{agg}, nil})
		return nil
	})
	agg.Wave, agg.State, agg.Picked, agg.LinesDone, agg.Version = "W-2", "picked", 4, 2, 3
	put(func(tx hub.StoreTx) error { return tx.PutAggOrder(agg) })
	read(func(tx hub.StoreTx) error {
		on, err := tx.AggOrders("W-1")
		check("orders of W-1 once the order moved", [2]any{len(on), err}, [2]any{0, nil})
		on, err = tx.AggOrders("W-2")
		check("orders of W-2", [2]any{on, err}, [2]any{[]hub.AggOrder{agg}, nil})
		return nil
	})

	// An order's life: the same state and shelf with other lines, then
	// off the shelf.
	shelf := []protocol.ShelfEntry{{Location: "HOLD-01", Station: "PACK-01", Reason: "held", Units: 1, Lines: []protocol.LineQty{{Line: 1, Qty: 1}}, Since: at}}
	life := hub.LifeRecord{State: protocol.StatePicking, Lines: []protocol.LineLife{{Line: 1, SKU: "MUG-1", Ordered: 2, Picked: 1}}, Shelf: shelf}
	put(func(tx hub.StoreTx) error { return tx.PutOrderLife("SO-1", life) })
	life.Lines[0].Picked = 2
	put(func(tx hub.StoreTx) error { return tx.PutOrderLife("SO-1", life) })
	read(func(tx hub.StoreTx) error {
		got, ok, err := tx.OrderLife("SO-1")
		check("the order's life", [3]any{got, ok, err}, [3]any{life, true, nil})
		on, err := tx.ShelvedOrders()
		check("shelved orders", [2]any{on, err}, [2]any{[]string{"SO-1"}, nil})
		return nil
	})
	life.Shelf = nil
	put(func(tx hub.StoreTx) error { return tx.PutOrderLife("SO-1", life) })
	read(func(tx hub.StoreTx) error {
		got, ok, err := tx.OrderLife("SO-1")
		check("the order's life off the shelf", [3]any{got, ok, err}, [3]any{life, true, nil})
		on, err := tx.ShelvedOrders()
		check("shelved orders once the shelf is empty", [2]any{len(on), err}, [2]any{0, nil})
		return nil
	})
}

package hubtest

import (
	"reflect"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// lifeRecords: an order's life record is written whole and read back
// as written, replaced whole, and rolled back with its transaction;
// an item's other locations keep their order and are replaced.
func lifeRecords(t *testing.T, s hub.Store) {
	rec := hub.LifeRecord{State: protocol.StatePartiallyShipped,
		Lines: []protocol.LineLife{{Line: 1, SKU: "MUG-1", Ordered: 3, Shipped: 2, BackOrdered: 1, Picked: 2, Short: 1}},
		Shelf: []protocol.ShelfEntry{{Location: "HOLD-01", Station: "PACK-01", Reason: "held", Units: 2,
			Lines: []protocol.LineQty{{Line: 1, Qty: 2}}, Since: at}},
		Restock: []protocol.RestockTask{{Line: 1, SKU: "MUG-1", Qty: 1, From: "tote T1", Reason: "x", At: at}},
		Loaded:  map[string]string{"000000000000000017": "UPS-1"}}
	must(t, s.Tx(ctx, func(tx hub.StoreTx) error {
		if _, ok, err := tx.OrderLife("SO-1"); err != nil || ok {
			t.Fatalf("a life never written: %v %v", ok, err)
		}
		return tx.PutOrderLife("SO-1", rec)
	}))
	must(t, s.Tx(ctx, func(tx hub.StoreTx) error {
		return tx.PutOrderLife("SO-0", hub.LifeRecord{State: protocol.StateReleased})
	}))
	must(t, s.Read(ctx, func(tx hub.StoreTx) error {
		got, ok, err := tx.OrderLife("SO-1")
		if err != nil || !ok || !reflect.DeepEqual(got, rec) {
			t.Fatalf("read back %+v %v %v\nwant %+v", got, ok, err, rec)
		}
		if shelved, err := tx.ShelvedOrders(); err != nil || !reflect.DeepEqual(shelved, []string{"SO-1"}) {
			t.Fatalf("shelved orders %v %v", shelved, err)
		}
		return nil
	}))
	next := hub.LifeRecord{State: protocol.StateShipped, Lines: []protocol.LineLife{{Line: 1, SKU: "MUG-1", Ordered: 3, Shipped: 3}}}
	must(t, s.Tx(ctx, func(tx hub.StoreTx) error { return tx.PutOrderLife("SO-1", next) }))
	_ = s.Tx(ctx, func(tx hub.StoreTx) error {
		must(t, tx.PutOrderLife("SO-1", rec))
		return errRollback
	})
	must(t, s.Read(ctx, func(tx hub.StoreTx) error {
		got, ok, err := tx.OrderLife("SO-1")
		if err != nil || !ok || !reflect.DeepEqual(got, next) {
			t.Fatalf("after a replace and a rollback: %+v %v %v", got, ok, err)
		}
		if shelved, err := tx.ShelvedOrders(); err != nil || len(shelved) != 0 {
			t.Fatalf("shelved orders after the shelf was emptied: %v %v", shelved, err)
		}
		return nil
	}))

	must(t, s.Tx(ctx, func(tx hub.StoreTx) error {
		if err := tx.PutItemLocations("MUG-1", []string{"C-09", "B-01", "A-05"}); err != nil {
			return err
		}
		got, err := tx.ItemLocations("MUG-1")
		if err != nil || !reflect.DeepEqual(got, []string{"C-09", "B-01", "A-05"}) {
			t.Fatalf("other locations %v %v", got, err)
		}
		return tx.PutItemLocations("MUG-1", []string{"B-01"})
	}))
	must(t, s.Read(ctx, func(tx hub.StoreTx) error {
		got, err := tx.ItemLocations("MUG-1")
		if err != nil || !reflect.DeepEqual(got, []string{"B-01"}) {
			t.Fatalf("replaced other locations %v %v", got, err)
		}
		if none, err := tx.ItemLocations("CUP-1"); err != nil || len(none) != 0 {
			t.Fatalf("an item with none: %v %v", none, err)
		}
		return nil
	}))
}

// orderLife: the order's life moves with the push, in its transaction:
// a short reallocated to the item's other location (a task in the
// cart's feed), packed, shipped only by the pickup's close; the reads
// reconcile.
func orderLife(t *testing.T, h *hub.Service) {
	site(t, h, 1)
	register(t, h, "CART-01")
	_, err := h.ImportReference(ctx, protocol.Reference{
		Locations: []protocol.Location{{Code: "B-01", Zone: "B", WalkSeq: 30}},
		Items:     []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01", OtherLocations: []string{"B-01"}}},
	})
	must(t, err)
	must(t, h.SetSetting(ctx, hub.SettingShortRemainder, hub.ShortReallocate))
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	_, cursor := pullAll(t, h, "CART-01", "", 100)
	j := &journal{station: "CART-01"}
	tp := floor.TaskPayload{Order: "SO-1", Line: 1, SKU: "MUG-1", Location: "A-01"}
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{
		j.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: tp, Qty: 1, Tote: "T1"}),
		j.ev(string(floor.EvTaskShort), floor.ShortPayload{TaskPayload: tp, Short: 1}),
	})
	must(t, err)
	pages, _ := pullAll(t, h, "CART-01", cursor, 100)
	var tasks []protocol.Task
	for _, c := range changes(pages) {
		if c.Task != nil {
			tasks = append(tasks, *c.Task)
		}
	}
	if len(tasks) != 1 || tasks[0].Location != "B-01" || tasks[0].Qty != 1 {
		t.Fatalf("the short's new task: %+v", tasks)
	}
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{
		j.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: "SO-1", Line: 1, SKU: "MUG-1", Location: "B-01"}, Qty: 1, Tote: "T1"}),
		j.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: "SO-1", Line: 2, SKU: "CUP-1"}, Qty: 1, Tote: "T1"}),
		j.ev("pack.label_requested", map[string]any{"order": "SO-1", "shipment": "SH-1", "sscc": "000000000000000024",
			"lines": []map[string]int{{"line": 1, "qty": 2}, {"line": 2, "qty": 1}}}),
		j.ev("pack.shipment_completed", map[string]string{"order": "SO-1", "shipment": "SH-1"}),
	})
	must(t, err)
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if f.State != protocol.StatePacked || f.Lines[0].Shipped != 0 {
		t.Fatalf("packed: %+v", f)
	}
	ship(t, h, "000000000000000024")
	f, err = h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if f.State != protocol.StateShipped || f.Lines[0].Shipped != 2 || f.Lines[0].Short != 1 || f.Lines[1].Shipped != 1 {
		t.Fatalf("shipped: %+v", f)
	}
}

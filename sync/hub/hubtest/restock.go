package hubtest

import (
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	extra = append(extra, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"RestockOnTheFloor", restockOnTheFloor})
}

// restockOnTheFloor: a cancellation leaves restock tasks for the goods in
// a cart's tote; the cart's stock.returned events close them line by line
// (a part first), the units move to restocked and the lines reconcile;
// the office then has nothing left to confirm. An order whose office
// confirmed first takes the floor's event without a change.
func restockOnTheFloor(t *testing.T, h *hub.Service) {
	site(t, h, 2)
	register(t, h, "CART-01")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	j := &journal{station: "CART-01"}
	var picks []protocol.Event
	for _, o := range []string{"SO-1", "SO-2"} {
		tote := map[string]string{"SO-1": "T1", "SO-2": "T2"}[o]
		picks = append(picks,
			j.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: o, Line: 1, SKU: "MUG-1", Location: "A-01"}, Qty: 2, Tote: tote}),
			j.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: o, Line: 2, SKU: "CUP-1", Location: "A-02"}, Qty: 1, Tote: tote}))
	}
	_, err = h.Push(ctx, "CART-01", at, picks)
	must(t, err)
	must(t, h.CancelOrder(ctx, "SO-1", "customer changed their mind", at))
	must(t, h.CancelOrder(ctx, "SO-2", "fraud", at))
	returned := func(order, tote, sku, loc string, qty int) protocol.Event {
		return j.ev(string(floor.EvStockReturned), floor.StockReturnedPayload{Order: order,
			ReturnLine: floor.ReturnLine{Tote: tote, SKU: sku, Qty: qty, Location: loc}})
	}
	resp, err := h.Push(ctx, "CART-01", at, []protocol.Event{
		j.ev(string(floor.EvOrderWithdrawn), floor.WithdrawPayload{Order: "SO-1", Returns: []floor.ReturnLine{
			{Tote: "T1", SKU: "MUG-1", Qty: 2, Location: "A-01"}, {Tote: "T1", SKU: "CUP-1", Qty: 1, Location: "A-02"}}}),
		returned("SO-1", "T1", "MUG-1", "A-01", 1),
	})
	must(t, err)
	for _, o := range resp.Outcomes {
		if o.Status != protocol.Accepted {
			t.Fatalf("the floor's restock: %+v", resp.Outcomes)
		}
	}
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if len(f.RestockTasks) != 2 || f.RestockTasks[0].Returned != 1 || f.RestockTasks[0].Done != nil || f.RestockTasks[0].From != "tote T1" ||
		f.Lines[0].Restocked != 1 || f.Lines[0].InTote != 1 {
		t.Fatalf("one unit of two back: %+v / %+v", f.RestockTasks, f.Lines)
	}
	var cancel protocol.FactCancel
	lastFact(t, h, "SO-1", protocol.FactCancelled, &cancel) // a part back: not yet acknowledged
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{returned("SO-1", "T1", "MUG-1", "A-01", 1), returned("SO-1", "T1", "CUP-1", "A-02", 1)})
	must(t, err)
	var ack protocol.FactCancelAck
	lastFact(t, h, "SO-1", protocol.FactCancelAcknowledged, &ack)
	if len(ack.Restocked) != 2 || ack.Restocked[0] != (protocol.FactLine{Line: 1, SKU: "MUG-1", Qty: 1}) || ack.Restocked[1] != (protocol.FactLine{Line: 2, SKU: "CUP-1", Qty: 1}) {
		t.Fatalf("the floor's acknowledgement: %+v", ack)
	}
	f, err = h.Fulfilment(ctx, "SO-1")
	must(t, err)
	for _, k := range f.RestockTasks {
		if k.Done == nil || k.Returned != k.Qty {
			t.Fatalf("all back, a task open: %+v", f.RestockTasks)
		}
	}
	for _, l := range f.Lines {
		if l.Restocked != l.Qty || l.InTote != 0 || l.Open+l.InTote+l.Packed+l.Shipped+l.BackOrdered+l.Restocked+l.Cancelled != l.Qty {
			t.Fatalf("line %d after the restock: %+v", l.Line, l)
		}
	}
	_, err = h.RestockDone(ctx, "SO-1", at)
	wantCode(t, err, protocol.CodeConflict, "the office confirms what the floor put back")

	// The office first, then the floor: nothing changes twice.
	res, err := h.RestockDone(ctx, "SO-2", at)
	must(t, err)
	if res.Units != 3 {
		t.Fatalf("the office's restock of SO-2: %+v", res)
	}
	n := lastFact(t, h, "SO-2", protocol.FactCancelAcknowledged, &ack)
	if len(ack.Restocked) != 2 || ack.Restocked[0].Qty != 2 || ack.Restocked[1].Qty != 1 {
		t.Fatalf("the office's acknowledgement: %+v", ack)
	}
	resp, err = h.Push(ctx, "CART-01", at, []protocol.Event{returned("SO-2", "T2", "MUG-1", "A-01", 2)})
	must(t, err)
	if resp.Outcomes[0].Status != protocol.Accepted {
		t.Fatalf("the floor after the office: %+v", resp.Outcomes)
	}
	f, err = h.Fulfilment(ctx, "SO-2")
	must(t, err)
	if f.Lines[0].Restocked != 2 || f.Lines[1].Restocked != 1 || f.RestockTasks[0].Returned != 0 {
		t.Fatalf("SO-2 after both: %+v / %+v", f.Lines, f.RestockTasks)
	}
	if m := len(orderFacts(t, h, "SO-2")); m != n {
		t.Fatalf("the floor after the office wrote %d more facts", m-n)
	}
}

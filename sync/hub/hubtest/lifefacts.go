package hubtest

import (
	"encoding/json"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	extra = append(extra, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"FactsOfBackOrders", factsOfBackOrders})
}

// orderFacts is one order's facts from the feed, checking its seqs run
// from 1 without a gap.
func orderFacts(t *testing.T, h *hub.Service, order string) []protocol.Fact {
	t.Helper()
	var out []protocol.Fact
	for _, f := range allFacts(t, h) {
		if f.Order == order {
			out = append(out, f)
			if f.Seq != int64(len(out)) {
				t.Fatalf("%s: fact %s has seq %d, want %d", order, f.Kind, f.Seq, len(out))
			}
		}
	}
	return out
}

// lastFact decodes an order's last fact, which must be of kind.
func lastFact(t *testing.T, h *hub.Service, order, kind string, data any) int {
	t.Helper()
	fs := orderFacts(t, h, order)
	if len(fs) == 0 || fs[len(fs)-1].Kind != kind {
		t.Fatalf("%s: last fact is not %s: %+v", order, kind, fs)
	}
	must(t, json.Unmarshal(fs[len(fs)-1].Data, data))
	return len(fs)
}

// factsOfBackOrders: the OMS releasing one order's back order and closing
// another's each write their fact in the action's transaction, on the
// order's sequence; the closed order, with nothing else due, says so.
func factsOfBackOrders(t *testing.T, h *hub.Service) {
	site(t, h, 2)
	register(t, h, "CART-01")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	j := &journal{station: "CART-01"}
	var evs []protocol.Event
	for _, o := range []string{"SO-1", "SO-2"} {
		tp := floor.TaskPayload{Order: o, Line: 1, SKU: "MUG-1", Location: "A-01"}
		evs = append(evs,
			j.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: tp, Qty: 1, Tote: "T-" + o}),
			j.ev(string(floor.EvTaskShort), floor.ShortPayload{TaskPayload: tp, Short: 1}),
			j.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: o, Line: 2, SKU: "CUP-1", Location: "A-02"}, Qty: 1, Tote: "T-" + o}))
	}
	_, err = h.Push(ctx, "CART-01", at, evs)
	must(t, err)
	var back protocol.FactPick
	before := lastFact(t, h, "SO-1", protocol.FactBackordered, &back)

	rel, err := h.ReleaseBackOrder(ctx, "SO-1", at)
	must(t, err)
	var released protocol.FactBackOrder
	if n := lastFact(t, h, "SO-1", protocol.FactBackorderReleased, &released); n != before+1 {
		t.Fatalf("release wrote %d facts, want 1", n-before)
	}
	if len(released.Lines) != 1 || released.Lines[0] != (protocol.FactLine{Line: 1, SKU: "MUG-1", Qty: 1}) || released.State != rel.State {
		t.Fatalf("released: %+v (action said %+v)", released, rel)
	}
	_, err = h.ReleaseBackOrder(ctx, "SO-1", at)
	wantCode(t, err, protocol.CodeConflict, "nothing left to release")
	if n := len(orderFacts(t, h, "SO-1")); n != before+1 {
		t.Fatalf("a refused release wrote a fact: %d facts", n)
	}

	// SO-2's goods ship; the OMS then gives up on the back ordered mug.
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{
		j.ev("pack.label_requested", map[string]any{"order": "SO-2", "shipment": "SH-2", "sscc": "000000000000000024",
			"lines": []map[string]int{{"line": 1, "qty": 1}, {"line": 2, "qty": 1}}}),
		j.ev("pack.shipment_completed", map[string]string{"order": "SO-2", "shipment": "SH-2"}),
		j.ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "P1", SSCCs: []string{"000000000000000024"}}),
	})
	must(t, err)
	var shipped protocol.FactShipment
	before = lastFact(t, h, "SO-2", protocol.FactShipped, &shipped)
	res, err := h.CloseBackOrder(ctx, "SO-2", at)
	must(t, err)
	var closed protocol.FactBackOrder
	if n := lastFact(t, h, "SO-2", protocol.FactBackorderClosed, &closed); n != before+1 {
		t.Fatalf("close wrote %d facts, want 1", n-before)
	}
	if len(closed.Lines) != 1 || closed.Lines[0] != (protocol.FactLine{Line: 1, SKU: "MUG-1", Qty: 1}) ||
		closed.State != protocol.StateClosed || res.State != protocol.StateClosed {
		t.Fatalf("closed: %+v (action said %+v)", closed, res)
	}
}

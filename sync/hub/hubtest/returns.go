package hubtest

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	extra = append(extra, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"ReturnsFromAReturnsBench", returnsFromAReturnsBench})
}

func returned(order string, line int, sku string, qty int, c floor.ReturnCondition, d floor.Disposition, loc string) floor.ReturnReceivedPayload {
	return floor.ReturnReceivedPayload{Return: "RET-01-1", Order: order, Line: line, SKU: sku, Qty: qty, Condition: c,
		Reason: floor.ReasonUnwanted, Disposition: d, Location: loc, RMA: "RMA-5521"}
}

// returnsFromAReturnsBench: a return comes only from a returns bench
// (not-its-work otherwise) and only for units that shipped, never more
// than shipped counting earlier returns (does-not-reconcile); the SKU
// must be the line's and a restock location the site's. An accepted one
// counts the line's returned units (the line still reconciles), writes
// order.returned in the same push with the condition, reason and
// disposition in tote's and Shopify's words, and sends every returns
// bench the order's shipped and returned units.
func returnsFromAReturnsBench(t *testing.T, h *hub.Service) {
	site(t, h, 2)
	for _, s := range []string{"CART-01", "PACK-01", "DOCK-01", "RET-01", "RET-02"} {
		register(t, h, s)
	}
	must(t, h.NoteBench(ctx, "CART-01", protocol.BenchPick))
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	js := map[string]*journal{}
	push := func(station, typ string, payload any) protocol.Outcome {
		t.Helper()
		j := js[station]
		if j == nil {
			j = &journal{station: station}
			js[station] = j
		}
		resp, err := h.Push(ctx, station, at, []protocol.Event{j.ev(typ, payload)})
		must(t, err)
		return resp.Outcomes[0]
	}
	const sscc1 = "000000000000000017"
	for _, c := range []struct {
		station, typ string
		payload      any
	}{
		{"CART-01", string(floor.EvUnitsPicked), picked("SO-1", 1, 2)},
		{"PACK-01", "pack.label_requested", label("SO-1", "SH-1", sscc1)},
		{"PACK-01", "pack.shipment_completed", map[string]string{"order": "SO-1", "shipment": "SH-1"}},
		{"DOCK-01", protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: sscc1, Order: "SO-1", Shipment: "SH-1", Pickup: "P1"}},
		{"DOCK-01", protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "P1", SSCCs: []string{sscc1}}},
	} {
		if o := push(c.station, c.typ, c.payload); o.Status != protocol.Accepted {
			t.Fatalf("%s from %s: %+v", c.typ, c.station, o)
		}
	}
	// The returns benches learn what shipped.
	feed := func(station, cursor string) ([]protocol.Returnable, string) {
		t.Helper()
		resp, err := h.Pull(ctx, station, cursor, 1000, at)
		must(t, err)
		var out []protocol.Returnable
		for _, c := range resp.Changes {
			if c.Kind == protocol.KindReturnable {
				must(t, c.Returnable.Check())
				out = append(out, *c.Returnable)
			}
		}
		return out, resp.Cursor
	}
	rs, cur2 := feed("RET-02", "")
	if len(rs) != 1 || rs[0].Order != "SO-1" || !slices.Equal(rs[0].SSCCs, []string{sscc1}) || rs[0].Lines[0].Shipped != 2 || rs[0].Lines[0].Returned != 0 || rs[0].Lines[1].Shipped != 0 {
		t.Fatalf("a returns bench is sent %+v, want SO-1 with 2 MUG-1 shipped in %s", rs, sscc1)
	}
	if rs, _ := feed("PACK-01", ""); len(rs) != 0 {
		t.Fatalf("a pack bench is sent returnable orders: %+v", rs)
	}

	// SO-2 is cancelled before anything shipped: a unit of it coming back
	// is refused loudly, not kept without effect as a cancelled order's
	// other events are.
	must(t, h.CancelOrder(ctx, "SO-2", "customer asked", at))
	refused := []struct {
		station string
		payload floor.ReturnReceivedPayload
		kind    string
		says    string
	}{
		{"PACK-01", returned("SO-1", 1, "MUG-1", 1, floor.ConditionSellable, floor.DispositionRestock, "A-01"), hub.ConflictNotItsWork, "not the returns bench"},
		{"DOCK-01", returned("SO-1", 1, "MUG-1", 1, floor.ConditionSellable, floor.DispositionRestock, "A-01"), hub.ConflictNotItsWork, "not the returns bench"},
		{"RET-01", returned("SO-1", 2, "CUP-1", 1, floor.ConditionSellable, floor.DispositionRefurbish, ""), hub.ConflictNotReconciled, "0 shipped and not yet returned"},
		{"RET-01", returned("SO-1", 1, "MUG-1", 3, floor.ConditionSellable, floor.DispositionRefurbish, ""), hub.ConflictNotReconciled, "2 shipped and not yet returned"},
		{"RET-01", returned("SO-1", 1, "CUP-1", 1, floor.ConditionSellable, floor.DispositionRefurbish, ""), hub.ConflictNotReconciled, "line 1 is MUG-1, not CUP-1"},
		{"RET-01", returned("SO-1", 1, "MUG-1", 1, floor.ConditionSellable, floor.DispositionRestock, "Z-99"), hub.ConflictNotReconciled, "location Z-99 is not known"},
		{"RET-01", returned("SO-1", 1, "MUG-1", 1, "soggy", floor.DispositionDestroy, ""), hub.ConflictBadEvent, "condition \"soggy\""},
		{"RET-01", returned("SO-1", 1, "MUG-1", 1, floor.ConditionSellable, floor.DispositionRestock, ""), hub.ConflictBadEvent, "names no location"},
		{"RET-01", returned("SO-2", 1, "MUG-1", 1, floor.ConditionSellable, floor.DispositionDestroy, ""), hub.ConflictNotReconciled, "0 shipped"},
	}
	for _, c := range refused {
		o := push(c.station, protocol.EvReturnReceived, c.payload)
		if o.Status != protocol.Rejected || !strings.Contains(o.Reason, c.says) {
			t.Errorf("return %+v from %s: %+v, want refused saying %q", c.payload, c.station, o, c.says)
		}
	}
	cs, err := h.Conflicts(ctx, 0, 100)
	must(t, err)
	if len(cs) != len(refused) {
		t.Fatalf("conflicts %+v, want %d", cs, len(refused))
	}
	for i, c := range cs {
		if c.Kind != refused[i].kind {
			t.Errorf("conflict %d: %+v, want %s", i, c, refused[i].kind)
		}
	}
	if f, err := h.Fulfilment(ctx, "SO-1"); err != nil || f.Lines[0].Returned != 0 {
		t.Fatalf("SO-1 after the refusals: %+v %v", f, err)
	}
	if ks := kindsOf(allFacts(t, h), "SO-1"); slices.Contains(ks, protocol.FactReturned) {
		t.Fatalf("a refused return wrote a fact: %v", ks)
	}

	// Accepted: one restocked, one to refurbish; then a third is one
	// more than shipped, whichever bench sends it.
	if o := push("RET-01", protocol.EvReturnOpened, floor.ReturnPayload{Return: "RET-01-1", Order: "SO-1", SSCC: sscc1}); o.Status != protocol.Accepted {
		t.Fatalf("return.opened: %+v", o)
	}
	if o := push("RET-01", protocol.EvReturnReceived, returned("SO-1", 1, "mug-1", 1, floor.ConditionSellable, floor.DispositionRestock, "A-01")); o.Status != protocol.Accepted {
		t.Fatalf("a unit restocked: %+v", o)
	}
	if o := push("RET-02", protocol.EvReturnReceived, returned("SO-1", 1, "MUG-1", 1, floor.ConditionDamaged, floor.DispositionRefurbish, "")); o.Status != protocol.Accepted {
		t.Fatalf("a unit to refurbish: %+v", o)
	}
	if o := push("RET-01", protocol.EvReturnReceived, returned("SO-1", 1, "MUG-1", 1, floor.ConditionSellable, floor.DispositionDestroy, "")); o.Status != protocol.Rejected || !strings.Contains(o.Reason, "0 shipped and not yet returned") {
		t.Fatalf("a third unit of two shipped: %+v", o)
	}
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if f.Lines[0].Returned != 2 || f.Lines[0].Shipped != 2 {
		t.Fatalf("SO-1's line 1 after two returns: %+v", f.Lines[0])
	}
	if len(f.Returns) != 2 || f.Returns[0].Location != "A-01" || f.Returns[1].Disposition != "refurbish" || f.Lines[0].Open+f.Lines[0].InTote+f.Lines[0].Restocked != 0 {
		t.Fatalf("SO-1's returns: %+v", f)
	}
	var got []protocol.FactReturn
	var seqs []int64
	for _, fa := range allFacts(t, h) {
		if fa.Order == "SO-1" {
			seqs = append(seqs, fa.Seq)
		}
		if fa.Order == "SO-1" && fa.Kind == protocol.FactReturned {
			var d protocol.FactReturn
			must(t, json.Unmarshal(fa.Data, &d))
			got = append(got, d)
		}
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Fatalf("SO-1's facts are numbered %v, want 1… without gaps", seqs)
		}
	}
	want := []protocol.FactReturn{
		{Lines: []protocol.FactLine{{Line: 1, SKU: "MUG-1", Qty: 1}}, Return: "RET-01-1", RMA: "RMA-5521", Condition: "sellable", Reason: "unwanted",
			Disposition: "restock", Shopify: protocol.ShopifyRestocked, Location: "A-01", Station: "RET-01"},
		{Lines: []protocol.FactLine{{Line: 1, SKU: "MUG-1", Qty: 1}}, Return: "RET-01-1", RMA: "RMA-5521", Condition: "damaged", Reason: "unwanted",
			Disposition: "refurbish", Shopify: protocol.ShopifyProcessingRequired, Station: "RET-02"},
	}
	if !slices.EqualFunc(got, want, func(a, b protocol.FactReturn) bool { return reflectEqual(a, b) }) {
		t.Fatalf("order.returned facts:\n%+v\nwant\n%+v", got, want)
	}
	// Every returns bench hears of the returns, with the events counted.
	rs, _ = feed("RET-02", cur2)
	if len(rs) != 2 || rs[1].Lines[0].Returned != 2 || len(rs[1].Counted) != 2 || rs[1].Counted[1] != "RET-02-1" {
		t.Fatalf("the returns bench is sent after the returns: %+v", rs)
	}
}

func reflectEqual(a, b protocol.FactReturn) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

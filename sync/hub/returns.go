package hub

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Returns at the hub. A returns bench journals each unit that came back
// as return.received (its order line, condition, reason, disposition and,
// when restocked, the location). The hub is the authority on what may
// come back: only from a returns bench (validate_bench.go), only a line
// of the order with the line's SKU, and never more units than the line
// shipped, counting every earlier return of the site. An accepted one
// counts the units as returned on the line (they stay shipped: the line
// still reconciles), keeps the return in the order's life record, and
// writes order.returned in the same transaction (LifeFacts). Every
// returns bench is then sent the order's shipped and returned units
// again (returnsFeed), so the next bench refuses offline what it can.
//
// Restock: the hub keeps no stock figures per location; a restocked
// unit's location is kept in the record and in the fact, for the OMS's
// stock (docs/oms.md).

// ReturnsBenches is every returns bench of the site: where shipped orders go.
var ReturnsBenches = Audience(protocol.BenchReturns)

// addReturnRules admits a return.received's payload: a positive quantity,
// a condition, reason and disposition tote knows, a location when
// restocked. Whether it fits the order is judgeReturn's.
func addReturnRules(r *Rules) {
	r.Add(protocol.EvReturnReceived, func(ev protocol.Event, ref protocol.OrderRef, _ OrderState) Verdict {
		var p floor.ReturnReceivedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return unreadable(ev, err)
		}
		if why := returnPayloadFault(p); why != "" {
			v := Reject(why + ": the event is kept for review")
			v.Conflict = ConflictBadEvent
			return v
		}
		return Accept(Effect{Order: ref.Order, Line: ref.Line, Returned: p.Qty})
	})
	// A return's event from a bench before its order was cancelled is no
	// goods moving: nothing to put back.
}

// returnPayloadFault is what is wrong with a return.received, "" when
// nothing.
func returnPayloadFault(p floor.ReturnReceivedPayload) string {
	switch {
	case p.Order == "" || p.Line < 1:
		return fmt.Sprintf("the return names order %q line %d", floor.Printable(p.Order), p.Line)
	case p.Qty <= 0:
		return fmt.Sprintf("%d units returned is not a quantity", p.Qty)
	case !slices.Contains(floor.ReturnConditions, p.Condition):
		return fmt.Sprintf("condition %q is not one tote knows", floor.Printable(string(p.Condition)))
	case !slices.Contains(floor.ReturnReasons, p.Reason):
		return fmt.Sprintf("reason %q is not one tote knows", floor.Printable(string(p.Reason)))
	case !slices.Contains(floor.Dispositions, p.Disposition):
		return fmt.Sprintf("disposition %q is not one tote knows", floor.Printable(string(p.Disposition)))
	case p.Disposition == floor.DispositionRestock && p.Location == "":
		return "a restocked unit names no location"
	}
	return ""
}

// judgeReturn books an accepted return.received on the order's life: the
// line must be the order's with the payload's SKU, a restock location
// the site's, and the units must fit what shipped and is not back yet.
func judgeReturn(tx StoreTx, station string, at time.Time, ev protocol.Event, ref protocol.OrderRef, v Verdict, r LifeRecord, st Standing) (Verdict, *lifeStep, error) {
	var p floor.ReturnReceivedPayload
	_ = json.Unmarshal(ev.Payload, &p) // the rule read it
	sku := lineSKU(r, ref.Line)
	switch {
	case sku == "":
		return notReconciled(ev, ref.Order, fmt.Errorf("the order has no line %d: nothing of it can come back", ref.Line)), nil, nil
	case !floor.SameSKU(sku, p.SKU):
		return notReconciled(ev, ref.Order, fmt.Errorf("line %d is %s, not %s: the unit did not come from this line", ref.Line, floor.Printable(sku), floor.Printable(p.SKU))), nil, nil
	}
	if p.Location != "" {
		_, known, err := tx.Location(p.Location)
		if err != nil {
			return v, nil, err
		}
		if !known {
			return notReconciled(ev, ref.Order, fmt.Errorf("location %s is not known at the hub: the unit was restocked where no stock is kept", floor.Printable(p.Location))), nil, nil
		}
	}
	next, err := r.Apply(st, LineMove{ref.Line, Move{MoveReturn, p.Qty}})
	if err != nil {
		return notReconciled(ev, ref.Order, err), nil, nil
	}
	next.Returns = append(slices.Clone(r.Returns), protocol.ReturnEntry{Event: ev.ID, Return: p.Return, Station: station, Line: ref.Line,
		SKU: sku, Qty: p.Qty, Condition: string(p.Condition), Reason: string(p.Reason), Disposition: string(p.Disposition),
		Location: p.Location, RMA: p.RMA, At: at.UTC()})
	// The units count on the line whatever the order's standing (a
	// cancelled order's rules keep no effect: goods back are still back).
	v.Effects = []Effect{{Order: ref.Order, Line: ref.Line, Returned: p.Qty}}
	step := &lifeStep{}
	step.put(ref.Order, next)
	return v, step, nil
}

// returnFacts are the order.returned facts of the returns booked between
// two life records: one per return.received, in the order booked.
func returnFacts(before, after LifeRecord) []FactDraft {
	if len(after.Returns) <= len(before.Returns) {
		return nil
	}
	var out []FactDraft
	for _, e := range after.Returns[len(before.Returns):] {
		out = append(out, FactDraft{protocol.FactReturned, protocol.FactReturn{
			Lines:  []protocol.FactLine{{Line: e.Line, SKU: e.SKU, Qty: e.Qty}},
			Return: e.Return, RMA: e.RMA, Condition: e.Condition, Reason: e.Reason, Disposition: e.Disposition,
			Shopify: protocol.ShopifyDisposition(e.Disposition), Location: e.Location, Station: e.Station,
		}})
	}
	return out
}

// returnsFeed sends every returns bench the orders of the push whose
// shipped or returned units changed.
func (ls *lives) returnsFeed(tx StoreTx) ([]FeedEntry, error) {
	var out []FeedEntry
	for _, o := range ls.dirty {
		e := ls.recs[o]
		if shippedReturned(e.orig) == shippedReturned(e.r) {
			continue
		}
		rt, err := returnable(tx, o, e.r, e.st.Cancelled)
		if err != nil {
			return nil, err
		}
		out = append(out, FeedEntry{Station: ReturnsBenches, Change: protocol.Change{Kind: protocol.KindReturnable, Returnable: &rt}})
	}
	return out, nil
}

func shippedReturned(r LifeRecord) [2]int {
	var n [2]int
	for _, l := range r.Lines {
		n[0] += l.Shipped
		n[1] += l.Returned
	}
	return n
}

// returnable is an order as a returns bench needs it.
func returnable(tx StoreTx, order string, r LifeRecord, cancelled bool) (protocol.Returnable, error) {
	rt := protocol.Returnable{Order: order, Cancelled: cancelled}
	for _, l := range r.Lines {
		rt.Lines = append(rt.Lines, protocol.ReturnableLine{Line: l.Line, SKU: l.SKU, Shipped: l.Shipped, Returned: l.Returned})
	}
	for _, e := range r.Returns {
		rt.Counted = append(rt.Counted, e.Event)
	}
	ps, err := tx.Parcels(order)
	if err != nil {
		return rt, err
	}
	for _, p := range ps {
		if p.Status == ParcelShipped && p.SSCC != "" {
			rt.SSCCs = append(rt.SSCCs, p.SSCC)
		}
	}
	return rt, nil
}

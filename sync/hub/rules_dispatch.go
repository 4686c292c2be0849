package hub

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Dispatch: shipped means it left the dock. A dispatch bench scans each
// parcel's SSCC onto a carrier's pickup (dispatch.parcel_loaded) and
// closes the pickup when the truck leaves (dispatch.pickup_closed): only
// then are its parcels, and their units, shipped at the hub. The payloads
// are protocol.DispatchParcelLoaded and protocol.DispatchPickupClosed
// (docs/sync-protocol.md#dispatch).

// Conflicts of the dispatch and hold rules.
const (
	ConflictHeldOrder   = "held-order"
	ConflictUnknownSSCC = "unknown-sscc"
	ConflictVoidedLabel = "voided-label"
)

// Instructions given with a refused label, shipment or dispatch event, in
// the words the station shows.
const (
	OffTheLine          = "take the parcel off the line and void the label"
	CancelledOffTheLine = "order cancelled centrally: take the parcel off the line, void the label and return the goods to stock"
)

// stopsWhenHeld are the events that move an order's parcels towards the
// carrier: refused while the order is held.
var stopsWhenHeld = map[string]bool{
	string(floor.EvPackLabelRequested):    true,
	string(floor.EvPackShipmentCompleted): true,
	protocol.EvDispatchParcelLoaded:       true,
	protocol.EvDispatchPickupClosed:       true,
}

// heldGuard refuses a label, shipment or dispatch event for an order held
// when it reached the hub, with the instruction the station shows.
func heldGuard(ev protocol.Event, ref protocol.OrderRef, order OrderState) (Verdict, bool) {
	if ref.Order == "" || len(order.Holds) == 0 || order.Cancelled || !stopsWhenHeld[ev.Type] {
		return Verdict{}, false
	}
	v := Reject(fmt.Sprintf("order %s is ON HOLD centrally (%s): %s", floor.Printable(ref.Order),
		floor.Printable(strings.Join(order.Holds, ", ")), OffTheLine))
	v.Conflict = ConflictHeldOrder
	return v, true
}

// addDispatchRules reads the dispatch events: a payload that does not
// read, or lacks its SSCC or pickup, is refused for review. What the
// parcels are is for judgeLife, which sees the store.
func addDispatchRules(r *Rules) {
	// Loading moves a cancelled order's parcel on; unloading it is what
	// the instruction asks for, so it is accepted.
	r.goodsMoving[protocol.EvDispatchParcelLoaded] = CancelledOffTheLine
	r.Add(protocol.EvDispatchParcelLoaded, func(ev protocol.Event, ref protocol.OrderRef, _ OrderState) Verdict {
		var p protocol.DispatchParcelLoaded
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return unreadable(ev, err)
		}
		if p.SSCC == "" || p.Pickup == "" || p.Order == "" {
			return Reject("the loaded parcel has no SSCC, order or pickup: the event is kept for review")
		}
		return Accept()
	})
	r.Add(protocol.EvDispatchPickupClosed, func(ev protocol.Event, _ protocol.OrderRef, _ OrderState) Verdict {
		var p protocol.DispatchPickupClosed
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return unreadable(ev, err)
		}
		if p.Pickup == "" {
			return Reject("the closed pickup has no id: the event is kept for review")
		}
		if len(p.SSCCs) == 0 {
			return Reject(fmt.Sprintf("pickup %s was closed with no parcels: the event is kept for review", floor.Printable(p.Pickup)))
		}
		return Accept()
	})
}

// parcelOf finds the carton an SSCC names: its order, and its record.
func parcelOf(tx StoreTx, sscc string) (ParcelRef, ParcelRecord, bool, error) {
	refs, err := tx.ParcelsWithSSCC(sscc)
	if err != nil || len(refs) == 0 {
		return ParcelRef{}, ParcelRecord{}, false, err
	}
	parcels, err := tx.Parcels(refs[0].Order)
	if err != nil {
		return ParcelRef{}, ParcelRecord{}, false, err
	}
	for _, p := range parcels {
		if p.SSCC == sscc {
			return refs[0], p, true, nil
		}
	}
	return ParcelRef{}, ParcelRecord{}, false, nil
}

// loadParcel records a parcel loaded onto a pickup; an SSCC the hub does
// not know, one of another order, or a voided or shipped one is refused.
func loadParcel(tx StoreTx, ev protocol.Event, ref protocol.OrderRef, v Verdict, r LifeRecord) (Verdict, *lifeStep, error) {
	var p protocol.DispatchParcelLoaded
	_ = json.Unmarshal(ev.Payload, &p)
	owner, parcel, ok, err := parcelOf(tx, p.SSCC)
	if err != nil {
		return v, nil, err
	}
	sscc := floor.Printable(p.SSCC)
	switch {
	case !ok:
		v = Reject(fmt.Sprintf("SSCC %s is not a parcel the hub knows: keep it off the truck and ask the pack bench", sscc))
		v.Conflict = ConflictUnknownSSCC
		return v, nil, nil
	case owner.Order != ref.Order:
		v = Reject(fmt.Sprintf("SSCC %s is a parcel of order %s, not %s: keep it off the truck and check its label", sscc, floor.Printable(owner.Order), floor.Printable(ref.Order)))
		v.Conflict = ConflictUnknownSSCC
		return v, nil, nil
	case parcel.Status == ParcelVoided:
		v = Reject(fmt.Sprintf("the label of parcel %s was voided: %s", sscc, OffTheLine))
		v.Conflict = ConflictVoidedLabel
		return v, nil, nil
	case parcel.Status == ParcelShipped:
		return notReconciled(ev, ref.Order, fmt.Errorf("parcel %s left the dock already", sscc)), nil, nil
	}
	r.Loaded = cloneMap(r.Loaded)
	r.Loaded[p.SSCC] = p.Pickup
	step := &lifeStep{}
	step.put(ref.Order, r)
	return v, step, nil
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

// closePickup ships the pickup's parcels: each one's units leave the dock.
// A parcel the hub does not know, whose label was voided, or whose order
// is held or cancelled is not shipped and becomes a conflict with the
// instruction to take it off the truck; the pickup is refused only when
// none of its parcels ships.
func closePickup(tx StoreTx, ls *lives, station string, at time.Time, ev protocol.Event, v Verdict) (Verdict, *lifeStep, error) {
	var p protocol.DispatchPickupClosed
	_ = json.Unmarshal(ev.Payload, &p)
	step := &lifeStep{}
	var refused []string
	conflict := func(order, kind, reason string) {
		refused = append(refused, reason)
		step.conflicts = append(step.conflicts, protocol.Conflict{Station: station, Seq: ev.Seq, EventID: ev.ID, Order: order,
			Kind: kind, Reason: reason, At: at})
	}
	shipped := 0
	for _, sscc := range p.SSCCs {
		owner, parcel, ok, err := parcelOf(tx, sscc)
		if err != nil {
			return v, nil, err
		}
		name := floor.Printable(sscc)
		if !ok {
			conflict("", ConflictUnknownSSCC, fmt.Sprintf("SSCC %s is not a parcel the hub knows: take it off pickup %s", name, floor.Printable(p.Pickup)))
			continue
		}
		if parcel.Status == ParcelVoided {
			conflict(owner.Order, ConflictVoidedLabel, fmt.Sprintf("the label of parcel %s was voided: take it off pickup %s", name, floor.Printable(p.Pickup)))
			continue
		}
		if parcel.Status == ParcelShipped {
			continue // closed on this pickup already: the close was sent again
		}
		r, st, holds, err := step.life(tx, ls, owner.Order)
		if err != nil {
			return v, nil, err
		}
		if st.Cancelled {
			conflict(owner.Order, "cancelled-order", fmt.Sprintf("parcel %s: %s", name, CancelledOffTheLine))
			continue
		}
		if st.Held {
			conflict(owner.Order, ConflictHeldOrder, fmt.Sprintf("parcel %s: order %s is ON HOLD centrally (%s): %s",
				name, floor.Printable(owner.Order), floor.Printable(strings.Join(holds, ", ")), OffTheLine))
			continue
		}
		moves := make([]LineMove, 0, len(parcel.Lines))
		for _, l := range parcel.Lines {
			moves = append(moves, LineMove{l.Line, Move{MoveShip, l.Qty}})
		}
		next, err := r.Apply(st, moves...)
		if err != nil {
			conflict(owner.Order, ConflictNotReconciled, fmt.Sprintf("parcel %s of order %s: %v", name, floor.Printable(owner.Order), err))
			continue
		}
		next.Loaded = cloneMap(next.Loaded)
		next.Loaded[sscc] = p.Pickup
		step.put(owner.Order, next)
		parcel.Status = ParcelShipped
		parcel.Carrier = orElse(parcel.Carrier, p.Carrier)
		step.parcels = append(step.parcels, parcelWrite{owner.Order, parcel})
		shipped++
	}
	if shipped == 0 && len(refused) > 0 {
		v = Reject(fmt.Sprintf("pickup %s: no parcel shipped: %s", floor.Printable(p.Pickup), strings.Join(refused, "; ")))
		return v, &lifeStep{conflicts: step.conflicts}, nil
	}
	if len(refused) > 0 {
		v.Reason = fmt.Sprintf("pickup %s: %d parcels shipped; not shipped: %s", floor.Printable(p.Pickup), shipped, strings.Join(refused, "; "))
	}
	return v, step, nil
}

// life reads an order's life as this step left it (several parcels of a
// pickup may be one order's).
func (l *lifeStep) life(tx StoreTx, ls *lives, order string) (LifeRecord, Standing, []string, error) {
	r, st, holds, err := ls.load(tx, order, nil)
	if step, ok := l.records[order]; ok {
		r = step
	}
	return r, st, holds, err
}

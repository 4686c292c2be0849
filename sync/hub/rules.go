package hub

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// OrderState is what the rules know of the order an event names, read by
// the store inside the push transaction.
type OrderState struct {
	Known     bool
	Cancelled bool
	Holds     []string
}

// Verdict is the hub's decision on one event: its outcome, a conflict to
// record for a person (empty for none), and its effects on the fulfilment
// projection.
type Verdict struct {
	Status   string // protocol.Accepted or protocol.Rejected
	Reason   string
	Conflict string // the conflict's kind, e.g. "cancelled-order"
	Effects  []Effect
}

// Effect is one change to the fulfilment projection: unit deltas on one
// order line, a parcel recorded with its lines, a shipment's parcels moved
// to a status, or a wave's status.
type Effect struct {
	Order    string
	Line     int
	Picked   int
	Short    int
	Returned int
	// Parcel is recorded (keyed by SSCC, else tracking), replacing any
	// earlier record of the same carton.
	Parcel *ParcelEffect
	// Shipment moves every parcel of the order's shipment to a status.
	Shipment   *ShipmentEffect
	Wave       string
	WaveStatus string
}

// Parcel statuses. Packed and shipped parcels count their lines as packed
// (and shipped); voided ones count nothing.
const (
	ParcelPacked  = "packed"
	ParcelShipped = "shipped"
	ParcelVoided  = "voided"
)

// ParcelEffect records a carton of an order.
type ParcelEffect struct {
	Shipment string
	SSCC     string
	Tracking string
	Carrier  string
	Status   string
	Lines    []LineQty
}

// LineQty is a quantity of one order line.
type LineQty struct {
	Line int `json:"line"`
	Qty  int `json:"qty"`
}

// ShipmentEffect moves a shipment's parcels to Status ("" keeps it); Tracking, when set,
// is given to parcels that have none (a master tracking number).
type ShipmentEffect struct {
	Shipment string
	Status   string
	Tracking string
}

// Rule judges one event of a type. ref is what its payload names; order is
// that order's state (zero when the payload names none).
type Rule func(ev protocol.Event, ref protocol.OrderRef, order OrderState) Verdict

// Rules map event types to rules. A new event type (pack, ship, return)
// is projected by adding a Rule for it: the store applies any Effect.
// Types without a rule are kept and accepted with no effect, so a station
// newer than its hub is never refused for a fact it recorded.
type Rules struct {
	byType map[string]Rule
	// byPrefix catches families such as "pack." for the cancelled-order
	// guard until each type has its own rule.
	goodsMoving map[string]string // type prefix or exact type -> instruction when the order was cancelled
}

// Instructions given with a rejected event, in the words the station shows.
const (
	ReturnToStock  = "order cancelled centrally: return the goods to stock"
	UnpackRestock  = "order cancelled centrally: unpack the carton and return the goods to stock"
	StopAndRestock = "order cancelled centrally: stop the parcel and return the goods to stock"
)

// DefaultRules are the rules for the event types tote records today.
func DefaultRules() *Rules {
	r := &Rules{byType: map[string]Rule{}, goodsMoving: map[string]string{
		string(floor.EvUnitsPicked): ReturnToStock,
		// Packing that moves the order on. Starting, setting aside, holding
		// and voiding are what a bench does when it learns of a cancellation.
		"pack.unit_verified":      UnpackRestock,
		"pack.carton_closed":      UnpackRestock,
		"pack.partial":            UnpackRestock,
		"pack.label_requested":    CancelledOffTheLine,
		"pack.shipment_completed": CancelledOffTheLine,
		"ship.":                   StopAndRestock,
	}}
	r.Add(string(floor.EvUnitsPicked), func(ev protocol.Event, ref protocol.OrderRef, _ OrderState) Verdict {
		var p floor.UnitsPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return unreadable(ev, err)
		}
		if p.Qty <= 0 {
			return Reject(fmt.Sprintf("%d units picked is not a quantity: the event is kept for review", p.Qty))
		}
		return Accept(Effect{Order: ref.Order, Line: ref.Line, Picked: p.Qty})
	})
	r.Add(string(floor.EvPickUndone), func(ev protocol.Event, ref protocol.OrderRef, _ OrderState) Verdict {
		var p floor.UndoPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return unreadable(ev, err)
		}
		return Accept(Effect{Order: ref.Order, Line: ref.Line, Picked: -p.Qty})
	})
	r.Add(string(floor.EvTaskShort), func(ev protocol.Event, ref protocol.OrderRef, _ OrderState) Verdict {
		var p floor.ShortPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return unreadable(ev, err)
		}
		return Accept(Effect{Order: ref.Order, Line: ref.Line, Short: p.Short})
	})
	wave := func(status string) Rule {
		return func(ev protocol.Event, ref protocol.OrderRef, _ OrderState) Verdict {
			if ref.Wave == "" {
				return Accept()
			}
			return Accept(Effect{Wave: ref.Wave, WaveStatus: status})
		}
	}
	r.Add(string(floor.EvWaveStarted), wave("in_progress"))
	r.Add(string(floor.EvWaveCompleted), wave("done"))
	addPackRules(r)
	addResolveRules(r)
	addDispatchRules(r)
	addReturnRules(r)
	return r
}

// The pack events' payloads as the hub reads them: by their JSON names
// (which the floor never renames), so the hub needs no more of packing
// than these fields.
type (
	packLabel struct {
		Order    string    `json:"order"`
		Shipment string    `json:"shipment"`
		Lines    []LineQty `json:"lines"`
		SSCC     string    `json:"sscc"`
		Tracking string    `json:"tracking"`
		Carrier  string    `json:"carrier"`
	}
	packShipment struct {
		Order    string `json:"order"`
		Shipment string `json:"shipment"`
		Tracking string `json:"tracking"`
	}
)

// addPackRules projects packing: a carton's label request records the
// carton (SSCC, tracking, lines) as packed; completing the shipment keeps
// them packed (labels printed: nothing has left the dock until a dispatch
// bench closes their pickup, rules_dispatch.go) and gives them the master
// tracking number; voiding it voids them.
func addPackRules(r *Rules) {
	r.Add("pack.label_requested", func(ev protocol.Event, ref protocol.OrderRef, _ OrderState) Verdict {
		var p packLabel
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return unreadable(ev, err)
		}
		if p.SSCC == "" && p.Tracking == "" {
			return Reject("the carton's label request has neither an SSCC nor a tracking number: the event is kept for review")
		}
		for _, l := range p.Lines {
			if l.Line < 1 || l.Qty < 1 {
				return Reject(fmt.Sprintf("the carton lists line %d with quantity %d: the event is kept for review", l.Line, l.Qty))
			}
		}
		return Accept(Effect{Order: ref.Order, Parcel: &ParcelEffect{Shipment: p.Shipment, SSCC: p.SSCC, Tracking: p.Tracking,
			Carrier: p.Carrier, Status: ParcelPacked, Lines: p.Lines}})
	})
	shipment := func(status string) Rule {
		return func(ev protocol.Event, ref protocol.OrderRef, _ OrderState) Verdict {
			var p packShipment
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				return unreadable(ev, err)
			}
			return Accept(Effect{Order: ref.Order, Shipment: &ShipmentEffect{Shipment: p.Shipment, Status: status, Tracking: p.Tracking}})
		}
	}
	r.Add("pack.shipment_completed", shipment("")) // status kept: packed, or shipped if its pickup closed first
	r.Add("pack.voided", shipment(ParcelVoided))
}

// SSCCHolder is the carton the hub already records under an SSCC.
type SSCCHolder struct {
	Order    string
	Shipment string
}

// ConflictDuplicateSSCC is the conflict of a carton whose SSCC another
// carton already has.
const ConflictDuplicateSSCC = "duplicate-sscc"

// DuplicateSSCC is the verdict on a pushed carton whose SSCC the hub
// already records for another carton (another order, or another shipment
// of the same order): two cartons must never share one, since the carrier
// and the customer's goods-in scan it as the carton's identity. The event
// is kept without effect, and a person is told.
func DuplicateSSCC(sscc string, held SSCCHolder) Verdict {
	v := Reject(fmt.Sprintf("SSCC %s is already on a carton of order %s (shipment %s): two cartons must not share an SSCC. "+
		"The event is kept without effect; void this shipment, pack it again for a new label, and check that every bench has its own station number",
		floor.Printable(sscc), floor.Printable(held.Order), floor.Printable(held.Shipment)))
	v.Conflict = ConflictDuplicateSSCC
	return v
}

// Add sets the rule for an event type, replacing any.
func (r *Rules) Add(eventType string, rule Rule) { r.byType[eventType] = rule }

// Accept is an accepted verdict with effects.
func Accept(effects ...Effect) Verdict { return Verdict{Status: protocol.Accepted, Effects: effects} }

// Reject is a rejected verdict with a reason in plain words.
func Reject(reason string) Verdict { return Verdict{Status: protocol.Rejected, Reason: reason} }

func unreadable(ev protocol.Event, err error) Verdict {
	return Reject(fmt.Sprintf("the %s payload does not read (%v): the event is kept for review", floor.Printable(ev.Type), err))
}

// Judge decides one event. Guards come first, so every rule can trust
// them: an event about an order the hub does not know is rejected; one
// that moves goods for a cancelled order is rejected with the instruction
// to return them, and raises a conflict; any other event about a cancelled
// order is kept without effect (its fulfilment stopped at cancellation).
func (r *Rules) Judge(ev protocol.Event, ref protocol.OrderRef, order OrderState) Verdict {
	if ref.Order != "" && !order.Known {
		v := Reject(fmt.Sprintf("order %s is not known at the hub: the event is kept; check the order number with the office", floor.Printable(ref.Order)))
		v.Conflict = "unknown-order"
		return v
	}
	if v, held := heldGuard(ev, ref, order); held {
		return v
	}
	if ref.Order != "" && order.Cancelled {
		if instr := r.cancelInstruction(ev.Type); instr != "" {
			v := Reject(instr)
			v.Conflict = "cancelled-order"
			return v
		}
		v := r.rule(ev, ref, order)
		if v.Status == protocol.Accepted {
			v.Effects = nil
		}
		return v
	}
	return r.rule(ev, ref, order)
}

func (r *Rules) rule(ev protocol.Event, ref protocol.OrderRef, order OrderState) Verdict {
	if rule, ok := r.byType[ev.Type]; ok {
		return rule(ev, ref, order)
	}
	return Accept()
}

func (r *Rules) cancelInstruction(eventType string) string {
	if s, ok := r.goodsMoving[eventType]; ok {
		return s
	}
	for prefix, s := range r.goodsMoving {
		if strings.HasSuffix(prefix, ".") && strings.HasPrefix(eventType, prefix) {
			return s
		}
	}
	return ""
}

// FulfilmentStatus derives an order's status from its lines: the most
// advanced stage every unit not short has reached.
func FulfilmentStatus(cancelled bool, lines []protocol.LineProgress) string {
	if cancelled {
		return protocol.StatusCancelled
	}
	var due, picked, short, packed, shipped, returned int
	complete := len(lines) > 0
	for _, l := range lines {
		due += max(l.Qty-l.Short, 0)
		picked += l.Picked
		short += l.Short
		packed += l.Packed
		shipped += l.Shipped
		returned += l.Returned
		if l.Picked+l.Short < l.Qty {
			complete = false
		}
	}
	switch {
	case returned > 0 && returned >= shipped:
		return protocol.StatusReturned
	case shipped > 0 && shipped >= due:
		return protocol.StatusShipped
	case packed > 0 && packed >= due:
		return protocol.StatusPacked
	case complete && short > 0:
		return protocol.StatusShort
	case complete:
		return protocol.StatusPicked
	case picked > 0 || short > 0:
		return protocol.StatusInProgress
	}
	return protocol.StatusOpen
}

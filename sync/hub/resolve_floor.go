package hub

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// The exceptions the hub raises from stations' events, for the
// supervisor's queue (beside the hub's conflicts): short picks and
// damaged goods, holds met at pack, goods put on the holding shelf,
// weights outside the tolerance, labels in doubt, print failures, and
// events the hub refused without a conflict of their own. Raised in the
// push's transaction from the event as applied, so replaying the same
// pushes raises the same exceptions.

// FloorException is an exception raised from a station's event. Ref
// names what it is about (a print job, an order) so that the same trouble
// met again while one is open raises no second one.
type FloorException struct {
	ID       int64
	Station  string
	Seq      int64
	EventID  string
	Order    string
	Kind     string
	Ref      string
	Reason   string
	Detail   protocol.ExceptionDetail
	At       time.Time
	Resolved *Resolution // nil while open
}

// Conflict is the exception as the supervisor's queue lists it.
func (e FloorException) Conflict() protocol.Conflict {
	d := e.Detail
	return protocol.Conflict{ID: e.ID, Station: e.Station, Seq: e.Seq, EventID: e.EventID, Order: e.Order, Kind: e.Kind,
		Reason: e.Reason, At: e.At, Source: floor.SourceFloor, Detail: &d}
}

// raiseException raises the exception ev makes, if any.
func raiseException(tx StoreTx, station string, ev protocol.Event, ref protocol.OrderRef, v Verdict, at time.Time) error {
	e, ok := ExceptionOf(ev, v)
	if !ok {
		return nil
	}
	e.Station, e.Seq, e.EventID, e.Order, e.At = station, ev.Seq, ev.ID, orElse(e.Order, ref.Order), at
	if e.Detail.Line != 0 && e.Order != "" && e.Detail.Wave == "" {
		w, err := tx.OrderWave(e.Order)
		if err != nil {
			return err
		}
		e.Detail.Wave = w
	}
	_, _, err := tx.RaiseException(e)
	return err
}

// ExceptionOf is the exception an event raises as judged (false: none).
func ExceptionOf(ev protocol.Event, v Verdict) (FloorException, bool) {
	if v.Status != protocol.Accepted {
		// A conflict is in the queue already; a refused resolution is
		// the supervisor's own, told at their station.
		if v.Conflict != "" || ev.Type == string(floor.EvScanRejected) || ev.Type == string(floor.EvExceptionResolved) {
			return FloorException{}, false
		}
		return FloorException{Kind: floor.ExSyncRejected, Reason: v.Reason, Detail: protocol.ExceptionDetail{Event: ev.Type}}, true
	}
	switch floor.EventType(ev.Type) {
	case floor.EvTaskShort:
		var p floor.ShortPayload
		if json.Unmarshal(ev.Payload, &p) != nil || p.Short <= 0 {
			return FloorException{}, false
		}
		kind := floor.ExShortPick
		if p.Reason == floor.ShortDamaged {
			kind = floor.ExDamaged
		}
		return FloorException{Kind: kind, Order: p.Order,
			Reason: fmt.Sprintf("%d of %s short at %s (%s)", p.Short, p.SKU, p.Location, shortWords(p.Reason)),
			Detail: protocol.ExceptionDetail{Task: p.Task, Line: p.Line, Location: p.Location, SKU: p.SKU, Qty: p.Short}}, true
	case floor.EvPackHeld:
		var p floor.PackHeldPayload
		if json.Unmarshal(ev.Payload, &p) != nil {
			return FloorException{}, false
		}
		why := "held"
		if len(p.Holds) > 0 {
			why = "held (" + p.Holds[0].Reason + ")"
		}
		return FloorException{Kind: floor.ExHeldAtPack, Order: p.Order, Ref: p.Order,
			Reason: fmt.Sprintf("order %s %s at pack: %s to %s", p.Order, why, unitWords(p.Units), orElse(p.HoldingLocation, "the bench")),
			Detail: protocol.ExceptionDetail{Location: p.HoldingLocation, Qty: p.Units}}, true
	case floor.EvPackSetAside:
		var p floor.PackSetAsidePayload
		if json.Unmarshal(ev.Payload, &p) != nil || p.Location == "" {
			return FloorException{}, false
		}
		return FloorException{Kind: floor.ExHoldingShelf, Order: p.Order, Ref: p.Order,
			Reason: fmt.Sprintf("order %s on the holding shelf %s (%s): %s", p.Order, p.Location, p.Reason, unitWords(p.Units)),
			Detail: protocol.ExceptionDetail{Location: p.Location, Qty: p.Units}}, true
	case floor.EvPackWeightRecorded:
		var p floor.PackWeightPayload
		if json.Unmarshal(ev.Payload, &p) != nil || !p.Checked || p.Within {
			return FloorException{}, false
		}
		return FloorException{Kind: floor.ExWeightMismatch, Order: p.Order, Ref: p.Order + "/" + strconv.Itoa(p.Carton),
			Reason: fmt.Sprintf("carton %d of order %s weighs %.0f g, expected %.0f g ± %.0f g", p.Carton, p.Order, p.WeightG, p.ExpectedG, p.ToleranceG)}, true
	case floor.EvLabelInDoubt, floor.EvLabelFailed:
		var p floor.LabelTroublePayload
		if json.Unmarshal(ev.Payload, &p) != nil {
			return FloorException{}, false
		}
		kind, what := floor.ExLabelInDoubt, "may not have printed"
		if ev.Type == string(floor.EvLabelFailed) {
			kind, what = floor.ExPrintFailed, "did not print"
		}
		return FloorException{Kind: kind, Ref: "job:" + strconv.FormatInt(p.Job, 10),
			Reason: fmt.Sprintf("label %d (%s %s) on %s %s: %s", p.Job, p.Kind, p.Ref, p.Printer, what, p.Reason),
			Detail: protocol.ExceptionDetail{Job: p.Job, Printer: p.Printer}}, true
	}
	return FloorException{}, false
}

// unitWords is "1 unit", "3 units".
func unitWords(n int) string {
	if n == 1 {
		return "1 unit"
	}
	return strconv.Itoa(n) + " units"
}

func shortWords(r floor.ShortReason) string {
	switch r {
	case floor.ShortNotFound:
		return "not found"
	case floor.ShortDamaged:
		return "damaged"
	case floor.ShortQtyShort:
		return "quantity short"
	}
	return string(r)
}

// withFloorExceptions adds the open exceptions raised from the floor to
// the open conflicts: every one of them, oldest first, at most
// ExceptionsShown.
func withFloorExceptions(tx StoreTx, conflicts []protocol.Conflict) ([]protocol.Conflict, error) {
	out := conflicts
	for after := int64(0); ; {
		es, err := tx.OpenExceptions(after, ExceptionsShown)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			out = append(out, e.Conflict())
			after = e.ID
		}
		if len(es) < ExceptionsShown || len(out) >= 2*ExceptionsShown {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b protocol.Conflict) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if c := strings.Compare(a.Source, b.Source); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(out) > ExceptionsShown {
		out = out[:ExceptionsShown]
	}
	return out, nil
}

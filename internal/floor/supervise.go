package floor

import (
	"fmt"
	"slices"
	"strings"
)

// EvExceptionResolved: a supervisor resolved an exception (a hub
// conflict, or an exception the hub raised from a station's event, by
// its source and id) with an action and a reason. The hub applies it
// only from an operator the hub knows as a supervisor.
const EvExceptionResolved EventType = "supervisor.exception_resolved"

// Exceptions the floor raises, besides short picks, holds and weights
// that other events already say.
const (
	// EvLabelInDoubt: the station cannot tell whether a label printed
	// (some bytes went out, or tote stopped while sending).
	EvLabelInDoubt EventType = "label.in_doubt"
	// EvLabelFailed: a label did not print (nothing left the station); it
	// is journaled once per label, at its first failure.
	EvLabelFailed EventType = "label.failed"
	// EvCountRecorded: a picker counted a location for a cycle-count task
	// a supervisor's recount sent to the cart.
	EvCountRecorded EventType = "count.recorded"
)

// Resolution actions.
const (
	ResolveApproveShort = "approve_short" // ship short; the rest is a back order
	ResolveReleaseHeld  = "release_held"  // release the order's held goods (its hold, when named)
	ResolveReturnHeld   = "return_held"   // the held goods go back to stock
	ResolveLabelPrinted = "label_printed" // the label in doubt did print
	ResolveReprint      = "reprint"       // the label in doubt is printed again
	ResolveRecount      = "recount"       // a cycle-count task of the location to a cart
	ResolveRerelease    = "rerelease"     // the short remainder is picked again from another location
	ResolveReassignWave = "reassign_wave" // a down station's wave moves to another cart
	ResolveVoid         = "void"          // nothing to do: the exception is closed
)

// ResolveActions lists the actions in the order screens show them.
var ResolveActions = []string{ResolveApproveShort, ResolveRerelease, ResolveRecount, ResolveReleaseHeld, ResolveReturnHeld,
	ResolveLabelPrinted, ResolveReprint, ResolveReassignWave, ResolveVoid}

// Exception sources: where an exception's id comes from.
const (
	SourceConflict = ""      // a hub conflict (the conflicts' ids)
	SourceFloor    = "floor" // raised by the hub from a station's event
)

// ExceptionResolvedPayload is EvExceptionResolved's payload.
type ExceptionResolvedPayload struct {
	Exception int64  `json:"exception"`
	Source    string `json:"source,omitempty"` // SourceConflict or SourceFloor
	Action    string `json:"action"`
	Reason    string `json:"reason"`
	Order     string `json:"order,omitempty"`
	Hold      string `json:"hold,omitempty"`     // release_held: the hold to lift ("" for all)
	Location  string `json:"location,omitempty"` // rerelease: the other location; recount: the location
	Station   string `json:"station,omitempty"`  // recount: the cart to count; reassign_wave: the cart taking the wave
	Wave      string `json:"wave,omitempty"`     // reassign_wave
}

// LabelTroublePayload is EvLabelInDoubt's and EvLabelFailed's payload.
type LabelTroublePayload struct {
	Job     int64     `json:"job"`
	Printer string    `json:"printer"`
	Kind    LabelKind `json:"kind"`
	Ref     string    `json:"ref,omitempty"`
	Reason  string    `json:"reason"`
}

// CountRecordedPayload is EvCountRecorded's payload.
type CountRecordedPayload struct {
	Count    int64  `json:"count"` // the hub's cycle-count task
	Location string `json:"location"`
	SKU      string `json:"sku"`
	Counted  int    `json:"counted"`
}

// Exception kinds the hub raises from stations' events (the supervisor's
// queue, beside the hub's conflicts, whose kinds are the hub's).
const (
	ExShortPick      = "short-pick"      // pick.task_short
	ExDamaged        = "damaged"         // pick.task_short, reason damaged
	ExHeldAtPack     = "held-at-pack"    // pack.held: a hold met at the bench
	ExHoldingShelf   = "holding-shelf"   // pack.set_aside onto a holding location
	ExWeightMismatch = "weight-mismatch" // pack.weight_recorded outside the tolerance
	ExLabelInDoubt   = "label-in-doubt"  // label.in_doubt
	ExPrintFailed    = "print-failed"    // label.failed
	ExSyncRejected   = "sync-rejected"   // an event the hub refused (no conflict of its own)
)

// ActionFits says whether action resolves an exception of kind from
// source: void and reassigning a wave resolve any; a hub conflict takes
// any action (the supervisor reads its reason); the floor's kinds take
// the actions that act on what they name (a weight mismatch or a
// refused event is voided: the supervisor has looked at it).
func ActionFits(source, kind, action string) bool {
	switch action {
	case ResolveVoid, ResolveReassignWave:
		return true
	}
	if source == SourceConflict {
		return true
	}
	switch kind {
	case ExShortPick, ExDamaged:
		return action == ResolveApproveShort || action == ResolveRerelease || action == ResolveRecount
	case ExHeldAtPack, ExHoldingShelf:
		return action == ResolveReleaseHeld || action == ResolveReturnHeld
	case ExLabelInDoubt, ExPrintFailed:
		return action == ResolveLabelPrinted || action == ResolveReprint
	}
	return false
}

// ResolutionProblem is what is wrong with a resolution's payload on its
// face ("" when nothing): the hub's rule, and the station's before it
// journals one.
func ResolutionProblem(p ExceptionResolvedPayload) string {
	switch {
	case p.Exception <= 0 && p.Action != ResolveReassignWave:
		return "the resolution names no exception"
	case p.Exception < 0:
		return "the resolution names no exception"
	case p.Source != SourceConflict && p.Source != SourceFloor:
		return fmt.Sprintf("%q is not a source of exceptions", Printable(p.Source))
	case !slices.Contains(ResolveActions, p.Action):
		return fmt.Sprintf("%q is not a resolution (%s)", Printable(p.Action), strings.Join(ResolveActions, ", "))
	case strings.TrimSpace(p.Reason) == "":
		return "a resolution needs a reason"
	case p.Action == ResolveRerelease && p.Location == "":
		return "re-releasing the remainder needs the location to pick it from"
	case p.Action == ResolveReassignWave && p.Station == "":
		return "reassigning a wave needs the cart that takes it"
	}
	return ""
}

// ActionWords names a resolution's action for a screen or a sentence:
// "approve short", "re-release".
func ActionWords(action string) string {
	if action == ResolveRerelease {
		return "re-release"
	}
	return strings.ReplaceAll(action, "_", " ")
}

// ExceptionWords names an exception's kind for a sentence.
func ExceptionWords(kind string) string {
	switch kind {
	case ExShortPick:
		return "short pick"
	case ExDamaged:
		return "damaged goods"
	case ExHeldAtPack:
		return "hold met at pack"
	case ExHoldingShelf:
		return "goods on the holding shelf"
	case ExWeightMismatch:
		return "weight mismatch"
	case ExLabelInDoubt:
		return "label in doubt"
	case ExPrintFailed:
		return "print failure"
	case ExSyncRejected:
		return "refused event"
	case "":
		return "exception"
	}
	return "conflict (" + strings.ReplaceAll(kind, "-", " ") + ")"
}

// FittingActions lists the actions that resolve an exception of kind
// from source, in the order screens show them.
func FittingActions(source, kind string) []string {
	var out []string
	for _, a := range ResolveActions {
		if ActionFits(source, kind, a) {
			out = append(out, a)
		}
	}
	return out
}

// Package resolve is the station's rule for a supervisor's resolution of
// an exception and for a cycle count, pure: who asks, what they ask and
// why, in, the event to journal or the refusal in plain words, out. A
// picker's badge resolves and approves nothing, from any screen or
// command barcode; the hub checks the same again (a forged event from a
// station without a supervisor's sign-in is refused there).
package resolve

import (
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/workflow"
)

// Exception is what the supervisor resolves: its source and id at the
// hub and its kind (which actions fit).
type Exception struct {
	ID     int64
	Source string
	Kind   string
	Order  string
}

// Decide turns a resolution asked by op (nil: nobody signed in) into the
// event to journal; why is the refusal when it is not one.
func Decide(op *floor.Operator, ex Exception, p floor.ExceptionResolvedPayload) (ev floor.Event, why string) {
	switch {
	case op == nil:
		return ev, "Sign in with a supervisor's badge to resolve an exception"
	case !op.Has(floor.RoleSupervisor):
		return ev, fmt.Sprintf("%s is not a supervisor: only a supervisor resolves an exception or approves anything", op.Name)
	}
	p.Exception, p.Source = ex.ID, ex.Source
	if p.Order == "" {
		p.Order = ex.Order
	}
	reason, ok := workflow.FreeText(strings.TrimSpace(p.Reason))
	if !ok {
		return ev, "Type the reason in words (3 to 80 characters)"
	}
	p.Reason = reason
	if problem := floor.ResolutionProblem(p); problem != "" {
		return ev, capital(problem)
	}
	if ex.ID != 0 && !floor.ActionFits(ex.Source, ex.Kind, p.Action) {
		return ev, fmt.Sprintf("%s does not resolve this exception: choose another action", capital(floor.ActionWords(p.Action)))
	}
	return floor.NewEvent(floor.EvExceptionResolved, op.Badge, p), ""
}

// Done is what the supervisor reads once a resolution is journaled.
func Done(action string) string {
	return "Resolved (" + floor.ActionWords(action) + "): the office applies it at the next sync"
}

// Task is a cycle count as the cart holds it.
type Task struct {
	ID       int64
	Location string
	SKU      string
	Open     bool
}

// Count turns op's count of a task into count.recorded; any signed-in
// operator counts (the hub takes it only from the cart it sent it to).
func Count(op *floor.Operator, t Task, counted int) (ev floor.Event, why string) {
	switch {
	case op == nil:
		return ev, "Sign in with your badge to record a count"
	case !t.Open:
		return ev, fmt.Sprintf("Count task %d is not open on this cart", t.ID)
	case counted < 0 || counted > 1_000_000:
		return ev, fmt.Sprintf("%d is not a count: type the units you found at %s", counted, t.Location)
	}
	return floor.NewEvent(floor.EvCountRecorded, op.Badge, floor.CountRecordedPayload{Count: t.ID, Location: t.Location, SKU: t.SKU, Counted: counted}), ""
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

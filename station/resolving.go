package station

import (
	"context"
	"fmt"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/resolve"
)

// ResolveRequest is a supervisor's resolution of an exception at this
// station: the supervisor signs it with badge and PIN, whatever bench
// the station runs and whoever is signed in at it.
type ResolveRequest struct {
	Badge     string
	PIN       string
	Exception resolve.Exception
	// Payload carries the action, the reason and what the action needs
	// (a location, a cart, a wave, a hold); its exception fields are
	// Exception's.
	Payload floor.ExceptionResolvedPayload
}

// CountRequest is a picker's count of a cycle-count task sent to this
// cart.
type CountRequest struct {
	Badge   string
	Task    int64
	Counted int
}

// resolving answers a Resolve or Count action: the resolve rule decides
// (a picker's badge is refused, journaled as scan.rejected); the event is
// journaled, and sync takes it to the hub.
func (s *Station) resolving(ctx context.Context, a Action) Outcome {
	o := s.bench.Snapshot(a)
	badge, step, input := "", "", ""
	var ev floor.Event
	var why string
	switch {
	case a.Resolve != nil:
		r := a.Resolve
		badge, step, input = r.Badge, "resolve", r.Payload.Action
		op, err := s.store.Operator(ctx, r.Badge)
		if err != nil {
			return s.kit.Failed(o, err)
		}
		if op != nil && op.Has(floor.RoleSupervisor) && op.PINHash != "" && !op.PINMatches(r.PIN) {
			why = "Wrong PIN: supervisor, sign the resolution again"
		} else {
			ev, why = resolve.Decide(op, r.Exception, r.Payload)
		}
	default:
		c := a.Count
		badge, step, input = c.Badge, "count", fmt.Sprint(c.Counted)
		op, err := s.store.Operator(ctx, c.Badge)
		if err != nil {
			return s.kit.Failed(o, err)
		}
		t, ok, err := s.store.CountTask(ctx, c.Task)
		if err != nil {
			return s.kit.Failed(o, err)
		}
		if !ok {
			t.ID = c.Task
		}
		ev, why = resolve.Count(op, resolve.Task{ID: t.ID, Location: t.Location, SKU: t.SKU, Open: ok && t.Status == "open"}, c.Counted)
	}
	now := s.opts.Now()
	if why != "" {
		// The refusal is journaled as any rejected input, without the PIN.
		rej := floor.NewEvent(floor.EvScanRejected, badge, floor.RejectPayload{Step: step, Input: input, Kind: "command", Reason: why})
		committed, err := s.store.Commit(ctx, now, []floor.Event{rej}, nil)
		if err != nil {
			return s.kit.Failed(o, err)
		}
		o.Feedback, o.Events = floor.Feedback{Level: floor.Error, Message: why}, committed
		s.kit.Recorded(a, committed, o.Feedback)
		return o
	}
	committed, err := s.store.Commit(ctx, now, []floor.Event{ev}, nil)
	if err != nil {
		return s.kit.Failed(o, err)
	}
	msg := "Count recorded: the office is told"
	if a.Resolve != nil {
		msg = resolve.Done(a.Resolve.Payload.Action)
	}
	o.Feedback, o.Events = floor.Feedback{Level: floor.OK, Message: msg}, committed
	s.kit.Recorded(a, committed, o.Feedback)
	return o
}

package hub

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Exception resolutions: a supervisor's supervisor.exception_resolved
// event, judged by its payload (addResolveRules) and then by who sent it
// (checkResolution): the hub applies it only when the event's operator
// holds the supervisor role in the hub's own operator list, so a picker's
// badge, or a station that forged the event, resolves nothing.

// Resolution is an applied resolution of a hub conflict.
type Resolution struct {
	Conflict int64
	Station  string
	Seq      int64
	Operator string
	Action   string
	Reason   string
	At       time.Time
}

func addResolveRules(r *Rules) {
	r.Add(string(floor.EvExceptionResolved), func(ev protocol.Event, _ protocol.OrderRef, _ OrderState) Verdict {
		var p floor.ExceptionResolvedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return unreadable(ev, err)
		}
		switch {
		case p.Exception <= 0:
			return Reject("the resolution names no exception: the event is kept for review")
		case !slices.Contains(floor.ResolveActions, p.Action):
			return Reject(fmt.Sprintf("%q is not a resolution (%s): the event is kept for review",
				floor.Printable(p.Action), strings.Join(floor.ResolveActions, ", ")))
		case strings.TrimSpace(p.Reason) == "":
			return Reject("a resolution needs a reason: the event is kept for review")
		}
		return Accept()
	})
}

// checkResolution refuses an accepted resolution whose operator is not a
// supervisor at the hub, or whose exception the hub does not hold or
// holds resolved; else it records the resolution and does its action.
func checkResolution(tx StoreTx, ev protocol.Event, v Verdict, at time.Time) (Verdict, error) {
	if v.Status != protocol.Accepted || ev.Type != string(floor.EvExceptionResolved) {
		return v, nil
	}
	var p floor.ExceptionResolvedPayload
	_ = json.Unmarshal(ev.Payload, &p) // the rule read it already
	roles, ok, err := tx.OperatorRoles(ev.Operator)
	if err != nil {
		return v, err
	}
	if !ok || !slices.Contains(roles, floor.RoleSupervisor) {
		return Reject(fmt.Sprintf("badge %s is not a supervisor at the office: only a supervisor resolves an exception", floor.Printable(ev.Operator))), nil
	}
	c, ok, err := tx.Conflict(p.Exception)
	if err != nil {
		return v, err
	}
	if !ok {
		return Reject(fmt.Sprintf("exception %d is not known at the office", p.Exception)), nil
	}
	done, err := tx.PutResolution(Resolution{Conflict: p.Exception, Station: ev.Station, Seq: ev.Seq, Operator: ev.Operator,
		Action: p.Action, Reason: p.Reason, At: at})
	if err != nil {
		return v, err
	}
	if !done {
		return Reject(fmt.Sprintf("exception %d is resolved already", p.Exception)), nil
	}
	if p.Action == floor.ResolveReleaseHeld && p.Hold != "" && c.Order != "" {
		gone, err := tx.DeleteHold(c.Order, p.Hold)
		if err != nil {
			return v, err
		}
		if gone {
			feed, err := tellStations(tx, c.Order, protocol.KindHolds)
			if err != nil {
				return v, err
			}
			if err := appendFeed(tx, feed); err != nil {
				return v, err
			}
		}
	}
	return v, nil
}

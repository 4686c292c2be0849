package hub

import (
	"context"
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
// and what it resolves (applyResolution): the hub applies it only when
// the event's operator holds the supervisor role in the hub's own
// operator list, so a picker's badge, or a station that forged the
// event, resolves nothing. The action's effects (resolve_actions.go) are
// made in the push's transaction, and the station whose operator met the
// exception is told through its feed (a notice).

// Resolution is an applied resolution of a hub conflict (Conflict is its
// id) or of an exception raised from the floor (FloorException.Resolved).
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
		if why := floor.ResolutionProblem(p); why != "" {
			return Reject(why + ": the event is kept for review")
		}
		return Accept()
	})
}

// applyResolution refuses an accepted resolution whose operator is not
// a supervisor at the hub, or whose exception the hub does not hold or
// holds resolved, or whose action does not fit it or cannot be done;
// else it records the resolution, does its action and tells the station
// that met the exception.
func (s *Service) applyResolution(tx StoreTx, ls *lives, ev protocol.Event, v Verdict, at time.Time) (Verdict, error) {
	if v.Status == protocol.Accepted && ev.Type == string(floor.EvCountRecorded) {
		return applyCount(tx, ev, v)
	}
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
	ex, ok, err := exceptionOf(tx, p)
	if err != nil {
		return v, err
	}
	if !ok {
		return Reject(fmt.Sprintf("exception %d is not known at the office", p.Exception)), nil
	}
	if ex.Resolved != nil {
		return Reject(fmt.Sprintf("exception %d is resolved already", p.Exception)), nil
	}
	if !floor.ActionFits(p.Source, ex.Kind, p.Action) {
		return Reject(fmt.Sprintf("%s does not resolve a %s: choose another action", floor.ActionWords(p.Action), floor.ExceptionWords(ex.Kind))), nil
	}
	res := Resolution{Conflict: p.Exception, Station: ev.Station, Seq: ev.Seq, Operator: ev.Operator, Action: p.Action, Reason: p.Reason, At: at}
	// The action first: one that cannot be done refuses the resolution
	// and leaves the exception open.
	act := resolutionAct{tx: tx, ls: ls, ev: ev, p: p, ex: ex, at: at}
	if why, err := act.do(); err != nil || why != "" {
		if err != nil {
			return v, err
		}
		return Reject(why), nil
	}
	if ex.ID > 0 {
		var done bool
		if p.Source == floor.SourceFloor {
			done, err = tx.ResolveException(ex.ID, res)
		} else {
			done, err = tx.PutResolution(res)
		}
		if err != nil {
			return v, err
		}
		if !done {
			return Reject(fmt.Sprintf("exception %d is resolved already", p.Exception)), nil
		}
	}
	if err := appendFeed(tx, act.feed); err != nil {
		return v, err
	}
	return v, tell(tx, ex, p, ev, at)
}

// exceptionOf reads what the resolution names, as a FloorException (a
// conflict too); reassigning a wave may name none (ID 0).
func exceptionOf(tx StoreTx, p floor.ExceptionResolvedPayload) (FloorException, bool, error) {
	if p.Exception == 0 {
		return FloorException{Detail: protocol.ExceptionDetail{Wave: p.Wave}}, true, nil
	}
	if p.Source == floor.SourceFloor {
		return tx.FloorException(p.Exception)
	}
	c, ok, err := tx.Conflict(p.Exception)
	if err != nil || !ok {
		return FloorException{}, ok, err
	}
	e := FloorException{ID: c.ID, Station: c.Station, Seq: c.Seq, EventID: c.EventID, Order: c.Order, Kind: c.Kind, Reason: c.Reason, At: c.At}
	var done []Resolution
	if done, err = tx.Resolutions(c.ID-1, 1); err != nil {
		return e, true, err
	}
	if len(done) == 1 && done[0].Conflict == c.ID {
		e.Resolved = &done[0]
	}
	return e, true, nil
}

// tell sends the notice to the station that met the exception (none for
// an exception no station met).
func tell(tx StoreTx, ex FloorException, p floor.ExceptionResolvedPayload, ev protocol.Event, at time.Time) error {
	if ex.Station == "" {
		return nil
	}
	n := protocol.Notice{Exception: ex.ID, Source: p.Source, Kind: ex.Kind, Action: p.Action, Reason: p.Reason,
		Supervisor: ev.Operator, Order: ex.Order, Job: ex.Detail.Job, EventID: ex.EventID, At: at}
	n.Text = NoticeText(n, ex.Detail, p)
	return appendFeed(tx, []FeedEntry{{ex.Station, protocol.Change{Kind: protocol.KindNotice, Notice: &n}}})
}

// NoticeText says a resolution in plain words, for the operator who met
// the exception.
func NoticeText(n protocol.Notice, d protocol.ExceptionDetail, p floor.ExceptionResolvedPayload) string {
	what := floor.ExceptionWords(n.Kind)
	if n.Order != "" {
		what += " on order " + n.Order
	}
	var did string
	switch n.Action {
	case floor.ResolveApproveShort:
		did = "approved shipping short: the rest is a back order"
	case floor.ResolveRerelease:
		did = "sent the missing units to be picked from " + p.Location
	case floor.ResolveRecount:
		did = "sent a count of " + orElse(p.Location, d.Location) + " to " + orElse(p.Station, "this cart")
	case floor.ResolveReleaseHeld:
		did = "released the held goods: pack them"
	case floor.ResolveReturnHeld:
		did = "sent the held goods back to stock"
	case floor.ResolveLabelPrinted:
		did = "confirmed the label printed"
	case floor.ResolveReprint:
		did = "had the label printed again"
	case floor.ResolveReassignWave:
		did = "moved wave " + orElse(p.Wave, d.Wave) + " to " + p.Station
	default:
		did = "closed it"
	}
	return fmt.Sprintf("%s: %s %s (%s)", workflowCapital(what), n.Supervisor, did, n.Reason)
}

func workflowCapital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// applyCount records a cycle count from the cart the task was sent to;
// the first count stands.
func applyCount(tx StoreTx, ev protocol.Event, v Verdict) (Verdict, error) {
	var p floor.CountRecordedPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return unreadable(ev, err), nil
	}
	c, ok, err := tx.Count(p.Count)
	switch {
	case err != nil:
		return v, err
	case !ok:
		return Reject(fmt.Sprintf("count task %d is not known at the office", p.Count)), nil
	case c.Station != ev.Station:
		return Reject(fmt.Sprintf("count task %d was sent to %s, not to station %s", p.Count, c.Station, ev.Station)), nil
	case c.Status != protocol.CountOpen:
		return Reject(fmt.Sprintf("count task %d is counted already (%d)", p.Count, c.Counted)), nil
	case p.Counted < 0:
		return Reject("a count cannot be below zero"), nil
	}
	c.Status, c.Counted, c.CountedBy = protocol.CountCounted, p.Counted, ev.Operator
	return v, tx.PutCount(c)
}

// CountTask reads a cycle-count task.
func (s *Service) CountTask(ctx context.Context, id int64) (protocol.Count, bool, error) {
	var c protocol.Count
	var ok bool
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { c, ok, err = tx.Count(id); return err })
	return c, ok, err
}

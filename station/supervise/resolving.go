package supervise

import (
	"fmt"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/resolve"
	"github.com/totewms/tote/station/workflow"
	"github.com/totewms/tote/sync/protocol"
)

// Resolving an exception from the exceptions screen: the chosen exception
// (F6, Enter or CMD:SUP-RESOLVE) → the actions that fit it (↑↓, Enter) →
// for a re-release the other location, for a reassignment the cart that
// takes the wave → the reason, typed on the scan line. The resolve rule
// (station/resolve, the same as the station's resolving path) decides;
// the event is the signed-in supervisor's, journaled and synced.

// ResolveStep is where a resolution is.
type ResolveStep string

const (
	ResolveAction ResolveStep = "action" // choosing the action
	ResolveTarget ResolveStep = "target" // the location or cart the action needs
	ResolveReason ResolveStep = "reason" // typing the reason
)

// Resolving is a resolution under way ("" Step: none).
type Resolving struct {
	Step      ResolveStep
	Exception protocol.Conflict
	// Actions are the ones that fit the exception (floor.ActionFits),
	// Cursor the chosen one.
	Actions []string
	Cursor  int
	Action  string
	// Target is the location (rerelease) or cart (reassign_wave).
	Target string
}

// TargetAsk is what the target step asks for, "" when the action needs none.
func TargetAsk(action string) string {
	switch action {
	case floor.ResolveRerelease:
		return "Scan or type the other location to pick the remainder from"
	case floor.ResolveReassignWave:
		return "Type the cart that takes the wave"
	}
	return ""
}

func startResolving(s State, in Input) Result {
	if s.View != ViewExceptions {
		return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, "Resolve from the exceptions screen (F4): choose the exception first")
	}
	ex := s.Figures.Site.Exceptions
	if s.Cursor >= len(ex) {
		return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, "No exception to resolve")
	}
	e := ex[s.Cursor]
	s.Resolving = Resolving{Step: ResolveAction, Exception: e, Actions: floor.FittingActions(e.Source, e.Kind)}
	return Result{State: s, Feedback: floor.Feedback{Level: floor.Info,
		Message: fmt.Sprintf("Resolve %s: choose the action with ↑↓, Enter", exceptionName(e))}}
}

func exceptionName(e protocol.Conflict) string {
	name := floor.ExceptionWords(e.Kind)
	if e.Order != "" {
		name += " on " + floor.Printable(e.Order)
	}
	return name
}

func resolving(s State, in Input, cmd floor.Command) Result {
	r := &s.Resolving
	step := "resolve-" + string(r.Step)
	switch cmd {
	case floor.CmdLogout:
		s.Resolving = Resolving{}
		return board(s, in, cmd)
	case floor.CmdCancel, floor.CmdSupBack:
		if r.Step == ResolveAction {
			s.Resolving = Resolving{}
			return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: "Not resolved: the exception still waits"}}
		}
		r.Step, r.Target = ResolveAction, ""
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: "Choose the action with ↑↓, Enter"}}
	case floor.CmdHelp:
		return Result{State: s}
	case floor.CmdSupWaves, floor.CmdSupPeople, floor.CmdSupExceptions, floor.CmdSupHealth:
		s.Resolving = Resolving{} // another screen: the resolution is dropped
		return board(s, in, cmd)
	}
	if r.Step == ResolveAction {
		switch cmd {
		case floor.CmdSupUp:
			r.Cursor = max(r.Cursor-1, 0)
			return Result{State: s}
		case floor.CmdSupDown:
			r.Cursor = min(r.Cursor+1, len(r.Actions)-1)
			return Result{State: s}
		case floor.CmdOK, floor.CmdSupOpen, floor.CmdSupResolve:
			r.Action = r.Actions[r.Cursor]
			if ask := TargetAsk(r.Action); ask != "" {
				r.Step = ResolveTarget
				return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: ask}}
			}
			r.Step = ResolveReason
			return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: "Type the reason and press Enter (Esc: another action)"}}
		case "":
			return workflow.Reject(s, s.Operator.Badge, step, in.Scan, workflow.ScanReason(in.Scan, "Choose the action with ↑↓ and press Enter, or Esc"))
		}
		return workflow.Reject(s, s.Operator.Badge, step, in.Scan, fmt.Sprintf("%s does nothing while choosing the action: Enter or Esc", cmd.Barcode()))
	}
	if cmd != "" {
		return workflow.Reject(s, s.Operator.Badge, step, in.Scan, "Type on the scan line and press Enter, or Esc for another action")
	}
	text := workflow.Text(in.Scan)
	if r.Step == ResolveTarget {
		if in.Scan.Err == nil && in.Scan.Code != "" {
			text = in.Scan.Code // a location's barcode
		}
		if text == "" || len([]rune(text)) > 40 || floor.Printable(text) != text {
			return workflow.Reject(s, s.Operator.Badge, step, in.Scan, TargetAsk(r.Action))
		}
		r.Target, r.Step = text, ResolveReason
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: "Type the reason and press Enter (Esc: another action)"}}
	}
	p := floor.ExceptionResolvedPayload{Action: r.Action, Reason: text}
	if d := r.Exception.Detail; d != nil && r.Action == floor.ResolveRecount {
		p.Location = d.Location
	}
	switch r.Action {
	case floor.ResolveRerelease:
		p.Location = r.Target
	case floor.ResolveReassignWave:
		p.Station = r.Target
		if d := r.Exception.Detail; d != nil {
			p.Wave = d.Wave
		}
	}
	e := r.Exception
	op := s.Operator
	ev, why := resolve.Decide(&op, resolve.Exception{ID: e.ID, Source: e.Source, Kind: e.Kind, Order: e.Order}, p)
	if why != "" {
		return workflow.Reject(s, s.Operator.Badge, step, in.Scan, why)
	}
	s.Resolving = Resolving{}
	return Result{State: s, Events: []floor.Event{ev}, Feedback: floor.Feedback{Level: floor.OK, Message: resolve.Done(p.Action)}}
}

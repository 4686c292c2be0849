// Package supervise is the supervisor bench's workflow: a supervisor signs
// in with badge and PIN and moves through the site's figures — waves, one
// wave's orders, one order's lines and story, people, exceptions, the
// site's health — by key or command barcode (CMD:SUP-*).
//
// Like the other workflows it is pure: no I/O, no clock. The figures are
// the hub's, as the station last fetched them; the bench puts them in the
// state (Figures) before each input, and the workflow only moves the
// supervisor's place in them.
package supervise

import (
	"fmt"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/workflow"
	"github.com/totewms/tote/sync/protocol"
)

// Step is where the supervisor is.
type Step string

const (
	StepLogin Step = "login"
	StepPIN   Step = "pin"
	StepBoard Step = "board" // signed in: the figures
)

// View is which of the figures the board shows.
type View string

const (
	ViewWaves      View = "waves"
	ViewWave       View = "wave"  // one wave's orders
	ViewOrder      View = "order" // one order's lines and story
	ViewPeople     View = "people"
	ViewExceptions View = "exceptions"
	ViewHealth     View = "health"
)

// Figures are the hub's figures as the station holds them.
type Figures struct {
	Waves protocol.WavesView
	Site  protocol.SiteView
	// Wave is the open wave's detail, Story the open order's, when the
	// station has them (Wave.Progress.Wave, Story.Order name which).
	Wave  protocol.WaveDetail
	Story protocol.OrderStory
	// AsOf is when they were fetched (zero: never); Online is false when
	// the last fetch did not reach the hub.
	AsOf   time.Time
	Online bool
}

// State is the whole supervisor bench.
type State struct {
	Step     Step
	Operator floor.Operator
	// Badge waits for its PIN (StepPIN).
	Badge string
	View  View
	// Cursor is the chosen line of the view (waves, orders, exceptions).
	Cursor int
	// Wave and Order are the wave and order opened (ViewWave, ViewOrder).
	Wave, Order string
	Figures     Figures
	// Resolving is the resolution of an exception under way (resolving.go).
	Resolving Resolving
	// Now is when the bench last looked (the ages on the screens).
	Now time.Time
}

// LoggedIn reports whether a supervisor is signed in.
func (s State) LoggedIn() bool { return s.Step == StepBoard && s.Operator.Badge != "" }

// Input is one input with what the station resolved for it.
type Input struct {
	Command floor.Command
	Scan    barcode.Meaning
	// Operator is the badge's operator at the login (or the waiting
	// badge's at the PIN), nil when unknown.
	Operator *floor.Operator
	// Allowed says whether the station lets a supervisor sign in.
	Allowed bool
}

// Result is what one input did.
type Result = workflow.Result[State]

// Commands is the supervisor bench's command table.
var Commands = workflow.Commands(floor.SuperviseCommands)

// Apply is the workflow: the state after in, the events that record it and
// what the supervisor reads.
func Apply(s State, in Input) Result {
	cmd := workflow.CommandOf(in.Command, in.Scan)
	switch s.Step {
	case StepLogin, "":
		return login(s, in, cmd)
	case StepPIN:
		return pin(s, in, cmd)
	}
	if s.Operator.Badge == "" { // a state that should not happen: stay safe
		r := workflow.Reject(s, "", string(s.Step), in.Scan, "Log in first: scan your badge")
		r.State = State{Step: StepLogin, Figures: s.Figures, Now: s.Now}
		return r
	}
	return board(s, in, cmd)
}

func login(s State, in Input, cmd floor.Command) Result {
	si := workflow.Badge(cmd, in.Scan, in.Operator, floor.RoleSupervisor, in.Allowed)
	switch si.Next {
	case workflow.Rejected:
		return workflow.Reject(s, "", string(StepLogin), in.Scan, si.Why)
	case workflow.Refused:
		return Result{State: s, Events: []floor.Event{si.Event}, Feedback: floor.Feedback{Level: floor.Error, Message: si.Why}}
	case workflow.AskPIN:
		s.Step, s.Badge = StepPIN, si.Operator.Badge
		return Result{State: s, Feedback: si.Feedback}
	}
	return signedIn(s, si.Operator)
}

func pin(s State, in Input, cmd floor.Command) Result {
	if cmd == floor.CmdCancel {
		s.Step, s.Badge = StepLogin, ""
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: "Log in: scan your badge"}}
	}
	masked := in.Scan
	masked.Input = workflow.Masked // a typed PIN is never journaled
	si := workflow.PIN(in.Operator, s.Badge, workflow.Text(in.Scan))
	if cmd != "" || si.Next != workflow.SignedIn {
		why := si.Why
		if cmd != "" {
			why = "Type your PIN and press Enter, or cancel"
		}
		r := workflow.Reject(s, "", string(StepPIN), masked, why)
		if cmd == "" { // a wrong PIN sends the supervisor back to the badge
			r.State.Step, r.State.Badge = StepLogin, ""
		}
		return r
	}
	return signedIn(s, si.Operator)
}

func signedIn(s State, op floor.Operator) Result {
	s.Operator, s.Badge, s.Step, s.View, s.Cursor, s.Wave, s.Order = op, "", StepBoard, ViewWaves, 0, "", ""
	return Result{State: s, Events: []floor.Event{workflow.LoggedIn(op)},
		Feedback: floor.Feedback{Level: floor.OK, Message: "Hello " + floor.Printable(op.Name) + ": the site's waves"}}
}

// board moves the supervisor through the figures. Moving records nothing:
// only signing in and out are journaled.
func board(s State, in Input, cmd floor.Command) Result {
	if s.Resolving.Step != "" {
		return resolving(s, in, cmd)
	}
	if cmd == floor.CmdSupResolve || s.View == ViewExceptions && (cmd == floor.CmdOK || cmd == floor.CmdSupOpen) {
		return startResolving(s, in)
	}
	if cmd == floor.CmdSupReassign {
		return startReassign(s, in)
	}
	if cmd == "" {
		return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, workflow.ScanReason(in.Scan, "Scan a command from the supervisor's sheet, or use the keys"))
	}
	switch cmd {
	case floor.CmdLogout:
		ev := workflow.LoggedOut(s.Operator)
		return Result{State: State{Step: StepLogin, Figures: s.Figures, Now: s.Now}, Events: []floor.Event{ev},
			Feedback: floor.Feedback{Level: floor.OK, Message: "Logged out"}}
	case floor.CmdHelp:
		return Result{State: s}
	case floor.CmdSupUp:
		if s.Cursor > 0 {
			s.Cursor--
		}
		return Result{State: s}
	case floor.CmdSupDown:
		if s.Cursor < Rows(s)-1 {
			s.Cursor++
		}
		return Result{State: s}
	case floor.CmdOK, floor.CmdSupOpen:
		return open(s, in)
	case floor.CmdCancel, floor.CmdSupBack:
		return back(s)
	case floor.CmdSupWaves:
		return view(s, ViewWaves, "Waves")
	case floor.CmdSupPeople:
		return view(s, ViewPeople, "People: who needs help first")
	case floor.CmdSupExceptions:
		return view(s, ViewExceptions, "Exceptions, oldest first")
	case floor.CmdSupHealth:
		return view(s, ViewHealth, "Site health: stations and their devices")
	}
	return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, fmt.Sprintf("%s does nothing on the supervisor's screens", cmd.Barcode()))
}

func view(s State, v View, what string) Result {
	s.Resolving = Resolving{}
	s.View, s.Cursor, s.Wave, s.Order = v, 0, "", ""
	return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: what}}
}

// open drills down from the chosen line: a wave to its orders, an order
// to its lines and story.
func open(s State, in Input) Result {
	switch s.View {
	case ViewWaves:
		ws := s.Figures.Waves.Waves
		if s.Cursor >= len(ws) {
			return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, "No wave to open")
		}
		id := ws[s.Cursor].Wave
		s.View, s.Wave, s.Cursor = ViewWave, id, 0
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: "Wave " + floor.Printable(id) + ": its orders, late ones first"}}
	case ViewWave:
		os := Orders(s)
		if s.Cursor >= len(os) {
			return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, "No order to open")
		}
		id := os[s.Cursor].Order
		s.View, s.Order = ViewOrder, id
		return Result{State: s, Feedback: floor.Feedback{Level: floor.Info, Message: "Order " + floor.Printable(id) + ": its lines and who did what"}}
	}
	return workflow.Reject(s, s.Operator.Badge, string(s.View), in.Scan, "Nothing to open here")
}

// back goes up one level: an order to its wave's orders (the order
// chosen), a wave to the waves (the wave chosen).
func back(s State) Result {
	switch s.View {
	case ViewOrder:
		s.View, s.Cursor = ViewWave, 0
		for i, o := range Orders(s) {
			if o.Order == s.Order {
				s.Cursor = i
			}
		}
		s.Order = ""
		return Result{State: s}
	case ViewWave:
		s.View, s.Cursor = ViewWaves, 0
		for i, w := range s.Figures.Waves.Waves {
			if w.Wave == s.Wave {
				s.Cursor = i
			}
		}
		s.Wave = ""
		return Result{State: s}
	case ViewWaves:
		return Result{State: s}
	}
	return view(s, ViewWaves, "Waves")
}

// Orders are the open wave's orders as the screen lists them: late ones
// first, then in the hub's order (by order id). Empty while the station
// has not fetched the wave.
func Orders(s State) []protocol.OrderProgress {
	if s.Figures.Wave.Progress.Wave != s.Wave {
		return nil
	}
	var late, rest []protocol.OrderProgress
	for _, o := range s.Figures.Wave.Orders {
		if o.Late {
			late = append(late, o)
		} else {
			rest = append(rest, o)
		}
	}
	return append(late, rest...)
}

// Rows is how many lines of the view the cursor chooses from.
func Rows(s State) int {
	switch s.View {
	case ViewWaves:
		return len(s.Figures.Waves.Waves)
	case ViewWave:
		return len(Orders(s))
	case ViewExceptions:
		return len(s.Figures.Site.Exceptions)
	case ViewHealth:
		return len(s.Figures.Site.Stations)
	}
	return 0
}

// Fit keeps the cursor on a line after the figures changed under it.
func Fit(s State) State {
	if n := Rows(s); s.Cursor >= n {
		s.Cursor = max(n-1, 0)
	}
	return s
}

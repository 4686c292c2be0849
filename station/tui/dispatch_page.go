package tui

// The dispatch bench's page: log in, choose the carrier (dispatch_carrier.go),
// load the pickup (dispatch_load.go), and the side panel (dispatch_panel.go).

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/dispatch"
	"github.com/totewms/tote/station/pick"
)

// dispatchPage is a dispatch bench's screens; the bench's dispatch.State
// comes in the outcome's View and is kept in the model.
type dispatchPage struct{}

// NewDispatch makes the root model for a dispatch bench from the station's
// current state.
func NewDispatch(sub Submitter, outcomes <-chan station.Outcome, initial dispatch.State, opts Options) Model {
	opts.Bench = station.BenchDispatch
	m := New(sub, outcomes, pick.State{}, opts)
	m.page, m.dispatch = dispatchPage{}, initial
	m.feedback = m.startFeedback(initial.Operator)
	return m
}

func (dispatchPage) Operator(m Model) floor.Operator {
	if !m.dispatch.LoggedIn() {
		return floor.Operator{}
	}
	return m.dispatch.Operator
}

func (dispatchPage) Outcome(m *Model, o station.Outcome) {
	if s, ok := o.View.(dispatch.State); ok {
		m.dispatch = s
	}
	m.feedback = o.Feedback
}

func (dispatchPage) Press(m Model, k tea.KeyPressMsg) (pressed, bool) {
	return press(dispatchKeys, m.dispatch, k)
}

func (dispatchPage) EnterOK(Model) bool { return false }

func (dispatchPage) Keys(m Model, _ int) ([]key.Binding, string) {
	return active(m.keys.Help, dispatchKeys, m.dispatch), " "
}

func (dispatchPage) Secret(m Model) bool { return m.dispatch.Step == dispatch.StepPIN }

func (dispatchPage) Screen(m Model, w, h int) string {
	switch m.dispatch.Step {
	case dispatch.StepCarrier:
		return m.carrierScreen(w, h)
	case dispatch.StepLoad:
		return m.loadScreen(w, h)
	}
	return m.loginScreen(w, h, m.dispatch.Step == dispatch.StepPIN, m.st.Muted.Render("Dispatch bench: a loader's badge"))
}

func (dispatchPage) Beside(m Model, w, _ int) string {
	if m.dispatch.Step != dispatch.StepLoad {
		return ""
	}
	return m.parcelsPanel(w)
}

func (dispatchPage) Panel(m Model, w int) string { return m.dispatchPanelText(w) }

func (dispatchPage) Work(m Model) (string, string) {
	p := m.dispatch.Pickup
	if p.ID == "" {
		return "", ""
	}
	n := strconv.Itoa(len(p.Parcels)) + " "
	return floor.Printable(p.Carrier) + " " + p.ID + " " + n, n
}

func (dispatchPage) Hint(Model) string    { return "" }
func (dispatchPage) Idle(Model) bool      { return false }
func (dispatchPage) OfficeNow(Model) bool { return false }
func (dispatchPage) NewWave(Model) bool   { return false }

// dispatchKeys are the dispatch bench's command keys.
var dispatchKeys = func() []binding[dispatch.State] {
	d := func(k, label string, c floor.Command, when func(dispatch.State) bool) binding[dispatch.State] {
		return binding[dispatch.State]{Binding: key.NewBinding(key.WithKeys(k), key.WithHelp(label, dispatchWord(c))), Command: c, when: when}
	}
	loaded := func(s dispatch.State) bool { return s.Step == dispatch.StepLoad && len(s.Pickup.Parcels) > 0 }
	undo := d("f3", "F3", floor.CmdUndo, loaded)
	undo.why = func(s dispatch.State) string {
		if s.Step == dispatch.StepLoad {
			return "no parcel is on the pickup"
		}
		return ""
	}
	closing := d("f4", "F4", floor.CmdClosePickup, loaded)
	closing.why = undo.why
	// F4 before F3: a narrow help line drops the last of the least
	// needed first, and closing the pickup is what the dock must reach.
	return []binding[dispatch.State]{
		closing,
		undo,
		d("esc", "Esc", floor.CmdCancel, func(s dispatch.State) bool { return s.Step == dispatch.StepPIN || s.Step == dispatch.StepLoad }),
		d("f10", "F10", floor.CmdLogout, dispatch.State.LoggedIn),
	}
}()

// dispatchWord is the help line's word for a dispatch command.
func dispatchWord(c floor.Command) string {
	switch c {
	case floor.CmdClosePickup:
		return "close"
	case floor.CmdUndo:
		return "undo"
	case floor.CmdCancel:
		return "leave"
	}
	return describe(c)
}

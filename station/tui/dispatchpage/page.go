// Package dispatchpage is a dispatch bench's screens, one file per screen:
// log in, choose the carrier (carrier.go), load the pickup (load.go), with
// the parcels beside it on a wide screen and the side panel (panel.go). It
// registers itself for station.BenchDispatch and keeps the bench's
// dispatch.State from the bench's outcomes.
package dispatchpage

import (
	"slices"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/dispatch"
	"github.com/totewms/tote/station/tui/ui"
)

func init() { ui.Register(station.BenchDispatch, New) }

// Page is a dispatch bench's page: the bench's state.
type Page struct{ s dispatch.State }

// New makes the page from the bench's snapshot.
func New(initial station.Outcome) ui.Page { return Page{}.Outcome(initial) }

// State is the bench's state as the page shows it.
func (p Page) State() dispatch.State { return p.s }

// Outcome takes the bench's state from its outcome.
func (p Page) Outcome(o station.Outcome) ui.Page {
	if s, ok := o.State.(dispatch.State); ok {
		p.s = s
	}
	return p
}

func (p Page) Operator() floor.Operator {
	if !p.s.LoggedIn() {
		return floor.Operator{}
	}
	return p.s.Operator
}

func (p Page) Press(k tea.KeyPressMsg) (ui.Pressed, bool) { return ui.Press(keys, p.s, k) }

func (Page) EnterOK() bool { return false }

func (p Page) Keys(c ui.Context, _ int) ([]key.Binding, string) {
	return ui.Active(c.Keys.Help, keys, p.s), " "
}

func (p Page) Secret() bool { return p.s.Step == dispatch.StepPIN }

func (p Page) Screen(c ui.Context, w, h int) string {
	switch p.s.Step {
	case dispatch.StepCarrier:
		return p.carrierScreen(c, w, h)
	case dispatch.StepLoad:
		return p.loadScreen(c, w, h)
	}
	return ui.LoginScreen(c, w, h, p.s.Step == dispatch.StepPIN, c.Styles.Muted.Render("Dispatch bench: a loader's badge"))
}

func (p Page) Beside(c ui.Context, w, _ int) string {
	if p.s.Step != dispatch.StepLoad {
		return ""
	}
	return p.parcelsPanel(c, w)
}

func (p Page) Work() (string, string) {
	pu := p.s.Pickup
	if pu.ID == "" {
		return "", ""
	}
	n := strconv.Itoa(len(pu.Parcels)) + " "
	return floor.Printable(pu.Carrier) + " " + pu.ID + " " + n, n
}

// Hint is what F12 scans in the demo: the first parcel the demo knows is
// ready at the dock (Options.Hints) and not on the open pickup yet.
func (p Page) Hint(c ui.Context) string {
	if !p.s.LoggedIn() {
		return ""
	}
	for _, sscc := range c.Opts.Hints {
		if !slices.ContainsFunc(p.s.Pickup.Parcels, func(x dispatch.Parcel) bool { return x.SSCC == sscc }) {
			return sscc
		}
	}
	return ""
}

// Idle: at the carrier choice (and before it) the dock waits for parcels
// a pull may bring, packed on other benches: the carriers are read again.
func (p Page) Idle() bool {
	return p.s.Step == dispatch.StepCarrier || p.s.Step == dispatch.StepLogin || p.s.Step == ""
}

func (Page) OfficeNow() bool { return false }
func (Page) NewWave() bool   { return false }

// keys are the dispatch bench's command keys. F4 comes before F3: a
// narrow help line drops the last of the least needed first, and closing
// the pickup is what the dock must reach.
var keys = func() []ui.Binding[dispatch.State] {
	d := func(k, label string, c floor.Command, word string, when func(dispatch.State) bool) ui.Binding[dispatch.State] {
		b := ui.Bind(k, label, c, when)
		b.SetHelp(label, word)
		return b
	}
	loaded := func(s dispatch.State) bool { return s.Step == dispatch.StepLoad && len(s.Pickup.Parcels) > 0 }
	why := func(s dispatch.State) string {
		if s.Step == dispatch.StepLoad {
			return "no parcel is on the pickup"
		}
		return ""
	}
	closing := d("f4", "F4", floor.CmdClosePickup, "close", loaded)
	closing.Why = why
	undo := d("f3", "F3", floor.CmdUndo, "undo", loaded)
	undo.Why = why
	return []ui.Binding[dispatch.State]{
		closing,
		undo,
		d("esc", "Esc", floor.CmdCancel, "leave", func(s dispatch.State) bool { return s.Step == dispatch.StepPIN || s.Step == dispatch.StepLoad }),
		d("f10", "F10", floor.CmdLogout, "logout", dispatch.State.LoggedIn),
	}
}()

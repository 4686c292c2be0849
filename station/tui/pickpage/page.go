// Package pickpage is a pick cart's screens: log in, the task (task.go),
// the walk ahead beside it on a wide screen (upcoming.go) and the side
// panel (panel.go). It registers itself for station.BenchPick and keeps
// the cart's pick.State from the bench's outcomes.
package pickpage

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/tui/ui"
)

func init() { ui.Register(station.BenchPick, New) }

// Page is a pick cart's page: the cart's state as its last outcome left it.
type Page struct{ state pick.State }

// New makes the page from the cart's snapshot.
func New(initial station.Outcome) ui.Page { return Page{}.Outcome(initial) }

// State is the cart's state as the page shows it.
func (p Page) State() pick.State { return p.state }

// view is what a screen draws with: the page's state and the root's context.
type view struct {
	st    *ui.Styles
	opts  *ui.Options
	c     ui.Context
	state pick.State
}

func (p Page) view(c ui.Context) view {
	return view{st: c.Styles, opts: c.Opts, c: c, state: p.state}
}

func (p Page) Operator() floor.Operator { return p.state.Operator }

// Outcome takes the cart's state from the outcome (a pick.State).
func (p Page) Outcome(o station.Outcome) ui.Page {
	if s, ok := o.State.(pick.State); ok {
		p.state = s
	}
	return p
}

func (p Page) Press(k tea.KeyPressMsg) (ui.Pressed, bool) { return ui.Press(keys, p.state, k) }

func (Page) EnterOK() bool { return false }

func (p Page) Keys(c ui.Context, _ int) ([]key.Binding, string) {
	return ui.Active(c.Keys.Help, keys, p.state), ""
}

func (p Page) Secret() bool {
	return p.state.Step == pick.StepPIN || p.state.Step == pick.StepSupervisorPIN
}

func (p Page) Screen(c ui.Context, w, h int) string {
	m := p.view(c)
	switch m.state.Step {
	case pick.StepLogin, pick.StepPIN, "":
		below := m.st.Muted.Render("No wave waiting for this station")
		if m.state.Wave.ID != "" {
			done, total, _, _ := m.state.Progress()
			below = m.st.Label.Render("Wave ") + m.st.Value.Render(floor.Printable(m.state.Wave.ID)) +
				m.st.Muted.Render("  "+strconv.Itoa(done)+" of "+strconv.Itoa(total)+" tasks done")
		}
		return ui.LoginScreen(c, w, h, m.state.Step == pick.StepPIN, below)
	}
	return m.pickScreen(w, h)
}

func (p Page) Beside(c ui.Context, w, h int) string {
	if !p.state.LoggedIn() {
		return ""
	}
	return p.view(c).upcoming(w, h)
}

func (p Page) Panel(c ui.Context, w int) string { return p.view(c).panelText(w) }

func (p Page) Work() (string, string) {
	if p.state.Wave.ID == "" {
		return "", ""
	}
	done, total, _, _ := p.state.Progress()
	short := strconv.Itoa(done) + "/" + strconv.Itoa(total) + " "
	return floor.Printable(p.state.Wave.ID) + " " + short, short
}

func (p Page) Hint(ui.Context) string { return hints.Pick(p.state) }

func (p Page) Idle() bool {
	switch p.state.Step {
	case pick.StepLogin, pick.StepNoWork, pick.StepDone, "":
		return true
	}
	return false
}

func (Page) OfficeNow() bool { return true }

func (p Page) NewWave() bool {
	return p.state.LoggedIn() && (p.state.Step == pick.StepDone || p.state.Step == pick.StepNoWork)
}

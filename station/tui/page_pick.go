package tui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pick"
)

// pickPage is a pick cart's screens: log in, the task (pick.go), the
// walk ahead beside it on a wide screen, and the demo's side panel
// (panel.go).
type pickPage struct{}

func (pickPage) Operator(m Model) floor.Operator { return m.state.Operator }

func (pickPage) Outcome(m *Model, o station.Outcome) {
	m.state = o.State
	if !o.Action.Office || o.Feedback.Message != "" { // a look at the office's news that changed nothing says nothing
		m.feedback = o.Feedback
	}
}

func (pickPage) Press(m Model, k tea.KeyPressMsg) (pressed, bool) {
	return press(m.keys.Commands, m.state, k)
}

func (pickPage) EnterOK(Model) bool { return false }

func (pickPage) Keys(m Model, _ int) ([]key.Binding, string) {
	return active(m.keys.Help, m.keys.Commands, m.state), ""
}

func (pickPage) Secret(m Model) bool {
	return m.state.Step == pick.StepPIN || m.state.Step == pick.StepSupervisorPIN
}

func (pickPage) Screen(m Model, w, h int) string {
	switch m.state.Step {
	case pick.StepLogin, pick.StepPIN, "":
		below := m.st.Muted.Render("No wave waiting for this station")
		if m.state.Wave.ID != "" {
			done, total, _, _ := m.state.Progress()
			below = m.st.Label.Render("Wave ") + m.st.Value.Render(floor.Printable(m.state.Wave.ID)) +
				m.st.Muted.Render("  "+strconv.Itoa(done)+" of "+strconv.Itoa(total)+" tasks done")
		}
		return m.loginScreen(w, h, m.state.Step == pick.StepPIN, below)
	}
	return m.pickScreen(w, h)
}

func (pickPage) Beside(m Model, w, h int) string {
	if !m.state.LoggedIn() {
		return ""
	}
	return m.upcoming(w, h)
}

func (pickPage) Panel(m Model, w int) string { return m.pickPanelText(w) }

func (pickPage) Work(m Model) (string, string) {
	if m.state.Wave.ID == "" {
		return "", ""
	}
	done, total, _, _ := m.state.Progress()
	short := strconv.Itoa(done) + "/" + strconv.Itoa(total) + " "
	return floor.Printable(m.state.Wave.ID) + " " + short, short
}

func (pickPage) Hint(m Model) string { return hints.Pick(m.state) }

func (pickPage) Idle(m Model) bool {
	switch m.state.Step {
	case pick.StepLogin, pick.StepNoWork, pick.StepDone, "":
		return true
	}
	return false
}

func (pickPage) OfficeNow(Model) bool { return true }

func (pickPage) NewWave(m Model) bool {
	return m.state.LoggedIn() && (m.state.Step == pick.StepDone || m.state.Step == pick.StepNoWork)
}

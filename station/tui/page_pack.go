package tui

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pack"
)

// packPage is a packing bench's screens (pack.go): log in, the order,
// verify, box, weigh, done and the rest, the cartons beside them on a
// wide screen, and the demo's side panel.
type packPage struct{}

func (packPage) Operator(m Model) floor.Operator { return m.pack.Operator }

func (packPage) Outcome(m *Model, o station.Outcome) { m.packOutcome(o) }

func (packPage) Press(m Model, k tea.KeyPressMsg) (pressed, bool) {
	return press(m.keys.Pack, m.pack, k)
}

// EnterOK: docs/pack.md: Enter on an empty line is CMD:OK wherever that
// confirms something (the suggested box, a quantity).
func (packPage) EnterOK(m Model) bool { return m.keys.PackEnterOK(m.pack) }

func (packPage) Keys(m Model, _ int) ([]key.Binding, string) {
	return active(m.keys.Help, m.keys.Pack, m.pack), " " // a pack bench has more keys
}

func (packPage) Secret(m Model) bool {
	return m.pack.Step == pack.StepPIN || m.pack.Step == pack.StepSupervisorPIN
}

func (packPage) Screen(m Model, w, h int) string { return m.packScreen(w, h) }

func (packPage) Beside(m Model, w, h int) string {
	if m.pack.Order.ID == "" {
		return ""
	}
	return m.cartonsPanel(w)
}

func (packPage) Panel(m Model, w int) string { return m.packPanelText(w) }

func (packPage) Work(m Model) (string, string) {
	o := m.pack.Order
	if o.ID == "" {
		return "", ""
	}
	verified, picked := m.pack.Progress()
	short := strconv.Itoa(verified) + "/" + strconv.Itoa(picked) + " "
	return floor.Printable(o.ID) + " " + short, short
}

func (packPage) Hint(m Model) string {
	next, _ := hints.Pack(m.pack, m.freshHints())
	return next
}

func (packPage) Idle(Model) bool      { return false }
func (packPage) OfficeNow(Model) bool { return false }
func (packPage) NewWave(Model) bool   { return false }

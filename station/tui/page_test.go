package tui

import (
	"strconv"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pick"
)

// countPage is a third bench's page, a trivial "count" bench: it shows how
// many inputs the bench took. The root model must route to it with no
// word about which bench it is.
type countPage struct{}

func (countPage) Operator(Model) floor.Operator {
	return floor.Operator{Badge: "B9", Name: "Cleo Counter"}
}
func (countPage) Outcome(m *Model, o station.Outcome) {
	m.feedback = o.Feedback
}
func (countPage) Press(Model, tea.KeyPressMsg) (pressed, bool) { return pressed{}, false }
func (countPage) EnterOK(Model) bool                           { return false }
func (countPage) Keys(m Model, _ int) ([]key.Binding, string)  { return []key.Binding{m.keys.Help}, "" }
func (countPage) Secret(Model) bool                            { return false }
func (countPage) Screen(m Model, w, h int) string {
	return "COUNTED " + strconv.Itoa(len(m.feedback.Message))
}
func (countPage) Beside(Model, int, int) string { return "" }
func (countPage) Panel(Model, int) string       { return "count panel" }
func (countPage) Work(Model) (string, string)   { return "TALLY-7 ", "T7 " }
func (countPage) Hint(Model) string             { return "" }
func (countPage) Idle(Model) bool               { return false }
func (countPage) OfficeNow(Model) bool          { return false }
func (countPage) NewWave(Model) bool            { return false }

type takeAll struct{ got []station.Action }

func (s *takeAll) Submit(a station.Action) bool { s.got = append(s.got, a); return true }

// TestRootRoutesToTheBenchsPage: a bench the root model has never heard of
// plugs in as a page; the root keeps the status bar, the scan line and the
// message line, the page draws the rest.
func TestRootRoutesToTheBenchsPage(t *testing.T) {
	sub := &takeAll{}
	m := New(sub, nil, pick.State{}, Options{Station: "COUNT-01"})
	m.page = countPage{}
	for _, r := range "42" {
		next, _ := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		m = next.(Model)
	}
	next, _ := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	m = next.(Model)
	if len(sub.got) != 1 || sub.got[0].Scan.Data != "42" {
		t.Fatalf("the scan line did not submit 42: %+v", sub.got)
	}
	next, _ = m.Update(OutcomeMsg(station.Outcome{Action: sub.got[0], Feedback: floor.Feedback{Level: floor.OK, Message: "Counted 42"}}))
	m = next.(Model)
	s := ansi.Strip(m.render())
	for _, want := range []string{"tote COUNT-01 · Cleo Counter", "TALLY-7", "COUNTED 10", "✔ Counted 42", "> █"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
}

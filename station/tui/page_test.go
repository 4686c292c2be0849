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
	"github.com/totewms/tote/station/tui/ui"
)

// countPage is a third bench's page, a trivial "count" bench: it keeps the
// last count the bench's outcomes said. The root model must route to it
// with no word about which bench it is.
type countPage struct{ counted int }

const benchCount station.BenchName = "count-page-test"

func init() {
	ui.Register(benchCount, func(o station.Outcome) ui.Page { return countPage{}.Outcome(o) })
}

func (countPage) Operator() floor.Operator {
	return floor.Operator{Badge: "B9", Name: "Cleo Counter"}
}
func (p countPage) Outcome(o station.Outcome) ui.Page {
	p.counted += len(o.Action.Scan.Data)
	return p
}
func (countPage) Press(tea.KeyPressMsg) (ui.Pressed, bool) { return ui.Pressed{}, false }
func (countPage) EnterOK() bool                            { return false }
func (countPage) Keys(c ui.Context, _ int) ([]key.Binding, string) {
	return []key.Binding{c.Keys.Help}, ""
}
func (countPage) Secret() bool { return false }
func (p countPage) Screen(c ui.Context, w, h int) string {
	return "COUNTED " + strconv.Itoa(p.counted)
}
func (countPage) Beside(ui.Context, int, int) string { return "" }
func (countPage) Panel(ui.Context, int) string       { return "count panel" }
func (countPage) Work() (string, string)             { return "TALLY-7 ", "T7 " }
func (countPage) Hint(ui.Context) string             { return "" }
func (countPage) Idle() bool                         { return false }
func (countPage) OfficeNow() bool                    { return false }
func (countPage) NewWave() bool                      { return false }

type takeAll struct{ got []station.Action }

func (s *takeAll) Submit(a station.Action) bool { s.got = append(s.got, a); return true }

// TestRootRoutesToTheBenchsPage: a bench the root model has never heard of
// plugs in as a page, registered by the bench's name; the root keeps the
// status bar, the scan line and the message line, the page draws the rest
// from the state it keeps.
func TestRootRoutesToTheBenchsPage(t *testing.T) {
	sub := &takeAll{}
	m := New(sub, nil, station.Outcome{Bench: benchCount}, Options{Station: "COUNT-01"})
	for _, r := range "42" {
		next, _ := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		m = next.(Model)
	}
	next, _ := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	m = next.(Model)
	if len(sub.got) != 1 || sub.got[0].Scan.Data != "42" {
		t.Fatalf("the scan line did not submit 42: %+v", sub.got)
	}
	next, _ = m.Update(OutcomeMsg(station.Outcome{Bench: benchCount, Action: sub.got[0], Feedback: floor.Feedback{Level: floor.OK, Message: "Counted 42"}}))
	m = next.(Model)
	s := ansi.Strip(m.render())
	for _, want := range []string{"tote COUNT-01 · Cleo Counter", "TALLY-7", "COUNTED 2", "✔ Counted 42", "> █"} {
		if !strings.Contains(s, want) {
			t.Errorf("screen lacks %q:\n%s", want, s)
		}
	}
}

// TestABenchWithoutAPageSaysSo: a binary that offers a bench but not its
// page says so on the screen instead of failing to start.
func TestABenchWithoutAPageSaysSo(t *testing.T) {
	m := New(&takeAll{}, nil, station.Outcome{Bench: "nobody-drew-this"}, Options{Station: "X-01"})
	if s := ansi.Strip(m.render()); !strings.Contains(s, "No screens for bench nobody-drew-this") {
		t.Fatalf("screen:\n%s", s)
	}
}

// TestSavingCountsEveryDevicesInputs: "saving…" stays while the station
// says inputs wait behind an outcome (a serial scan goes to the station
// without the screen), and goes when none does.
func TestSavingCountsEveryDevicesInputs(t *testing.T) {
	m := New(&takeAll{}, nil, station.Outcome{Bench: benchCount}, Options{Station: "COUNT-01"})
	for _, c := range []struct {
		queued int
		saving bool
	}{{2, true}, {0, false}} {
		next, _ := m.Update(OutcomeMsg(station.Outcome{Bench: benchCount, Queued: c.queued,
			Action: station.Action{Scan: floor.Scan{Source: "cart-1", Data: "1"}}}))
		m = next.(Model)
		if got := strings.Contains(ansi.Strip(m.render()), "saving…"); got != c.saving {
			t.Fatalf("%d queued: saving shown %v:\n%s", c.queued, got, ansi.Strip(m.render()))
		}
	}
}

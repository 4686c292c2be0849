package switcher

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// counter is a station's screen for the tests: it counts what it got and
// says it in its view; its Init asks for a tick (a command whose answer
// must come back to it alone).
type counter struct {
	name  string
	typed string
	ticks int
	sizes int
}

type tickMsg struct{}

func (c counter) Init() tea.Cmd { return func() tea.Msg { return tickMsg{} } }

func (c counter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tickMsg:
		c.ticks++
	case tea.WindowSizeMsg:
		c.sizes++
	case tea.KeyPressMsg:
		switch msg.String() {
		case "q":
			return c, tea.Quit
		case "b":
			return c, tea.Batch(tea.Raw("\a"), func() tea.Msg { return tickMsg{} })
		}
		c.typed += msg.Text
	}
	return c, nil
}

func (c counter) View() tea.View {
	return tea.NewView(fmt.Sprintf("%s typed %q ticks %d", c.name, c.typed, c.ticks))
}

// run feeds msg to m as Bubble Tea would, and every message the commands
// answer after it, until none is left; the program's own messages (quit,
// raw output) are returned instead of being fed.
func run(t *testing.T, m Model, msg tea.Msg) (Model, []tea.Msg) {
	t.Helper()
	var program []tea.Msg
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		msg, queue = queue[0], queue[1:]
		switch msg := msg.(type) {
		case nil:
			continue
		case tea.QuitMsg, tea.RawMsg:
			program = append(program, msg)
			continue
		case tea.BatchMsg:
			for _, c := range msg {
				if c != nil {
					queue = append(queue, c())
				}
			}
			continue
		}
		next, cmd := m.Update(msg)
		m = next.(Model)
		if cmd != nil {
			queue = append(queue, cmd())
		}
	}
	return m, program
}

func station(m Model, i int) counter { return m.Station(i).(counter) }

func press(s string) tea.KeyPressMsg {
	switch s {
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "shift+tab":
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	}
	return tea.KeyPressMsg{Code: rune(s[0]), Text: s}
}

// TestTabMovesBetweenStationsAndEachKeepsItsState: keys go to the station
// shown; Tab shows the next (around the end), Shift+Tab the one before;
// what a station was typed stays with it while another is shown.
func TestTabMovesBetweenStationsAndEachKeepsItsState(t *testing.T) {
	m := New([]tea.Model{counter{name: "cart"}, counter{name: "bench"}, counter{name: "dock"}}, 1)
	if m.Shown() != 1 {
		t.Fatalf("starts at %d, want the bench (1)", m.Shown())
	}
	m, _ = run(t, m, press("x"))
	m, _ = run(t, m, press("tab"))
	m, _ = run(t, m, press("y"))
	m, _ = run(t, m, press("tab"))
	m, _ = run(t, m, press("z"))
	if got := m.View().Content; got != `cart typed "z" ticks 0` {
		t.Fatalf("after Tab from the dock: %s", got)
	}
	m, _ = run(t, m, press("shift+tab"))
	if got := m.View().Content; got != `dock typed "y" ticks 0` {
		t.Fatalf("after Shift+Tab: %s", got)
	}
	m, _ = run(t, m, press("shift+tab"))
	if got := m.View().Content; got != `bench typed "x" ticks 0` {
		t.Fatalf("back at the bench: %s", got)
	}
	one, _ := run(t, New([]tea.Model{counter{name: "only"}}, 5), press("tab"))
	if one.Shown() != 0 {
		t.Fatalf("one station: shows %d", one.Shown())
	}
}

// TestEachStationGetsItsOwnAnswers: a station's commands answer that
// station, shown or not, as do messages sent to it from outside (To);
// the program still gets its own messages (the bell, quitting); every
// station learns the terminal's size.
func TestEachStationGetsItsOwnAnswers(t *testing.T) {
	m := New([]tea.Model{counter{name: "cart"}, counter{name: "bench"}}, 0)
	m, _ = run(t, m, tea.BatchMsg{m.Init()})
	if station(m, 0).ticks != 1 || station(m, 1).ticks != 1 {
		t.Fatalf("Init's ticks: cart %d, bench %d; want one each", station(m, 0).ticks, station(m, 1).ticks)
	}
	m, _ = run(t, m, To(1, tickMsg{}))
	if station(m, 0).ticks != 1 || station(m, 1).ticks != 2 {
		t.Fatalf("a tick sent to the bench: cart %d, bench %d", station(m, 0).ticks, station(m, 1).ticks)
	}
	m, program := run(t, m, press("b")) // the cart's batch: the bell and a tick
	if len(program) != 1 || program[0] != tea.Msg(tea.RawMsg{Msg: "\a"}) {
		t.Fatalf("the program got %v, want the bell", program)
	}
	if station(m, 0).ticks != 2 || station(m, 1).ticks != 2 {
		t.Fatalf("the cart's batch: cart %d, bench %d ticks", station(m, 0).ticks, station(m, 1).ticks)
	}
	m, _ = run(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	if station(m, 0).sizes != 1 || station(m, 1).sizes != 1 {
		t.Fatal("not every station learnt the terminal's size")
	}
	m, _ = run(t, m, To(7, tickMsg{})) // no such station: nothing
	if _, program = run(t, m, press("q")); len(program) != 1 || program[0] != tea.Msg(tea.QuitMsg{}) {
		t.Fatalf("quitting on a station: the program got %v", program)
	}
}

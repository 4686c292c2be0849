// Package switcher shows several stations of one process on one terminal,
// one at a time: `tote demo`'s pick cart, pack bench and dispatch bench,
// each its own station with its own store, screen model and devices. A key
// (Tab; Shift+Tab goes back) moves to the next station; every station goes on running
// behind the one shown, so switching back finds it as it was left.
//
// Each station's model is a whole root model (station/tui) that does not
// know it shares the terminal. The switcher keeps them apart: what a
// model's commands answer comes back tagged with the model's place (To)
// and goes to that model only, as does whatever its station's devices and
// sync send (To again, from outside). Keys and pastes go to the station
// shown; the terminal's size goes to all.
package switcher

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// The keys that move between the stations. Tab, because every F-key is a
// bench's or the root's already; no scanner types it into the demo (its
// scanner is a virtual serial one, and a person types on the keyboard).
var (
	Next = key.NewBinding(key.WithKeys("tab"))
	Back = key.NewBinding(key.WithKeys("shift+tab"))
)

// KeyTo is the switch key as the help line of a station shows it: where
// Tab goes from there ("bench").
func KeyTo(name string) key.Binding {
	return key.NewBinding(key.WithKeys("tab"), key.WithHelp("Tab", name))
}

// Model shows one of its stations at a time.
type Model struct {
	stations []tea.Model
	shown    int
}

var _ tea.Model = Model{}

// New shows the stations, starting with number first (0-based).
func New(stations []tea.Model, first int) Model {
	if first < 0 || first >= len(stations) {
		first = 0
	}
	return Model{stations: stations, shown: first}
}

// Shown is the place of the station on the screen.
func (m Model) Shown() int { return m.shown }

// Station is the model of the station at place i as it is now.
func (m Model) Station(i int) tea.Model { return m.stations[i] }

// Routed is a message for the station at one place: what its model's own
// commands answered, or what its devices and sync sent.
type Routed struct {
	To  int
	Msg tea.Msg
}

// To addresses msg to the station at place i (for a Program's Send).
func To(i int, msg tea.Msg) tea.Msg { return Routed{To: i, Msg: msg} }

// Init starts every station's model.
func (m Model) Init() tea.Cmd {
	cmds := make([]tea.Cmd, len(m.stations))
	for i, s := range m.stations {
		cmds[i] = route(i, s.Init())
	}
	return tea.Batch(cmds...)
}

// route tags what cmd answers with the place of the model that asked.
func route(i int, cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg { return Routed{To: i, Msg: cmd()} }
}

// Update routes msg.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case Routed:
		return m.routed(msg)
	case tea.WindowSizeMsg:
		cmds := make([]tea.Cmd, len(m.stations))
		for i := range m.stations {
			cmds[i] = m.update(i, msg)
		}
		return m, tea.Batch(cmds...)
	case tea.KeyPressMsg:
		n := len(m.stations)
		switch {
		case n > 1 && key.Matches(msg, Next):
			m.shown = (m.shown + 1) % n
			return m, nil
		case n > 1 && key.Matches(msg, Back):
			m.shown = (m.shown + n - 1) % n
			return m, nil
		}
	}
	return m, m.update(m.shown, msg)
}

// routed hands a station its message. What only the program acts on (a
// batch of commands, quitting, the bell) goes back to it as it was.
func (m Model) routed(r Routed) (tea.Model, tea.Cmd) {
	if r.To < 0 || r.To >= len(m.stations) {
		return m, nil
	}
	switch msg := r.Msg.(type) {
	case nil:
		return m, nil
	case tea.BatchMsg:
		cmds := make([]tea.Cmd, len(msg))
		for i, c := range msg {
			cmds[i] = route(r.To, c)
		}
		return m, tea.Batch(cmds...)
	case tea.QuitMsg, tea.RawMsg:
		return m, func() tea.Msg { return msg }
	}
	return m, m.update(r.To, r.Msg)
}

// update gives station i msg; the model copy it returns replaces its own.
func (m *Model) update(i int, msg tea.Msg) tea.Cmd {
	stations := make([]tea.Model, len(m.stations))
	copy(stations, m.stations) // Bubble Tea copies the model: copies never share a slice
	next, cmd := stations[i].Update(msg)
	stations[i] = next
	m.stations = stations
	return route(i, cmd)
}

// View is the shown station's screen.
func (m Model) View() tea.View {
	if len(m.stations) == 0 {
		return tea.NewView("")
	}
	return m.stations[m.shown].View()
}

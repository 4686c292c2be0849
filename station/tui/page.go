package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
)

// Page is one bench's screens, as soft-serve routes to its pages: the root
// model owns the global keys, the sync and device messages, the scan line
// and the shared components (status bar, device line, message line, help
// line), and asks the active bench's page for the rest. A page reads the
// bench's state from the model and decides nothing: the rules it shows
// are the workflow's exported functions.
type Page interface {
	// Operator is who is logged in on the bench, zero when nobody is.
	Operator(m Model) floor.Operator
	// Outcome takes the bench's outcome of an input into the model.
	Outcome(m *Model, o station.Outcome)
	// Press maps a key to the bench's command, ok false when it is none.
	Press(m Model, k tea.KeyPressMsg) (p pressed, ok bool)
	// EnterOK: Enter on an empty line confirms something here (CMD:OK).
	EnterOK(m Model) bool
	// Keys are the help line's keys for the bench's step, and the
	// separator for a narrow screen ("" keeps the default).
	Keys(m Model, w int) (keys []key.Binding, narrowSep string)
	// Secret: the scan line is a PIN being typed, never shown.
	Secret(m Model) bool
	// Screen draws the bench's current step in w×h.
	Screen(m Model, w, h int) string
	// Beside is what a wide screen shows beside the work, "" for nothing.
	Beside(m Model, w, h int) string
	// Panel is the side panel F1 toggles: what to type next, the keys.
	Panel(m Model, w int) string
	// Work is the status bar's work part, long and short ("" for none).
	Work(m Model) (long, short string)
	// Hint is what F12 scans in the demo, "" when there is none.
	Hint(m Model) string
	// Idle: the bench waits for work a pull may bring (the root asks the
	// station to look at once); OfficeNow: office news applies at once,
	// not at the next scan; NewWave: F12 may ask the demo office for one.
	Idle(m Model) bool
	OfficeNow(m Model) bool
	NewWave(m Model) bool
}

// Package ui is what every bench's page shares: the Page contract the
// root model (station/tui) routes to, the Context a page draws with, the
// registry of pages by bench name, the styles, the keys every station
// answers to, and the components the screens are made of (big text, the
// login screen, the side panel's pieces, layout and wrapping).
//
// A page (station/tui/pickpage, station/tui/packpage, …) is one bench's
// screens, one file per screen. It keeps its own state, taken from the
// bench's typed outcomes, and decides nothing: where it shows a rule it
// calls the workflow's exported function.
package ui

import (
	"fmt"
	"sync"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
)

// Page is one bench's screens, as soft-serve routes to its pages: the root
// model owns the global keys, the sync and device messages, the scan line
// and the shared components (status bar, device line, message line, help
// line), and asks the active bench's page for the rest.
//
// A page is a value: Outcome returns the page with its new state, as
// Bubble Tea's Update returns the model, so the model's copies never share
// a page's state. The methods that draw get the Context.
type Page interface {
	// Operator is who is logged in on the bench, zero when nobody is.
	Operator() floor.Operator
	// Outcome takes the bench's outcome of an input (the bench's state in
	// it, typed) and returns the page as it now is. The message line is
	// the root's: it shows o.Feedback.
	Outcome(o station.Outcome) Page
	// Press maps a key to the bench's command, ok false when it is none.
	Press(k tea.KeyPressMsg) (p Pressed, ok bool)
	// EnterOK: Enter on an empty line confirms something here (CMD:OK).
	EnterOK() bool
	// Keys are the help line's keys for the bench's step, F1 (c.Keys.Help)
	// first, and the separator for a narrow screen ("" keeps the default).
	Keys(c Context, w int) (keys []key.Binding, narrowSep string)
	// Secret: the scan line is a PIN being typed, never shown.
	Secret() bool
	// Screen draws the bench's current step in w×h.
	Screen(c Context, w, h int) string
	// Beside is what a wide screen shows beside the work, "" for nothing.
	Beside(c Context, w, h int) string
	// Panel is the side panel F1 toggles: what to type next, the keys.
	Panel(c Context, w int) string
	// Work is the status bar's work part, long and short ("" for none).
	Work() (long, short string)
	// Hint is what F12 scans in the demo, "" when there is none.
	Hint(c Context) string
	// Idle: the bench waits for work a pull may bring (the root asks the
	// station to look at once, station.Action.Refresh); OfficeNow: office
	// news applies at once (station.Action.Office), not at the next scan;
	// NewWave: F12 may ask the demo office for one.
	Idle() bool
	OfficeNow() bool
	NewWave() bool
}

// Context is what a page draws with, lent by the root model at each call.
type Context struct {
	Styles *Styles
	Keys   *Keys
	Opts   *Options
	// Scale is the bench scale's latest reading, nil before the first.
	Scale *ScaleMsg
}

// Opener makes a bench's page from the bench's current state (its
// snapshot as an outcome).
type Opener func(initial station.Outcome) Page

var (
	pagesMu sync.RWMutex
	pages   = map[station.BenchName]Opener{}
)

// Register makes a page available for a bench, by the name the bench
// registers with station.Register. Each page package registers itself from
// init; the binary imports the pages it offers (cmd/tote/benches.go), next
// to the benches. Registering a name twice is a programming error.
func Register(bench station.BenchName, open Opener) {
	pagesMu.Lock()
	defer pagesMu.Unlock()
	if _, dup := pages[bench]; dup {
		panic(fmt.Sprintf("ui: page for bench %q registered twice", bench))
	}
	pages[bench] = open
}

// Open makes the page for the bench initial names ("" is
// station.DefaultBench), ok false when no page is registered for it.
func Open(initial station.Outcome) (Page, bool) {
	name := initial.Bench
	if name == "" {
		name = station.DefaultBench
	}
	pagesMu.RLock()
	open, ok := pages[name]
	pagesMu.RUnlock()
	if !ok {
		return nil, false
	}
	return open(initial), true
}

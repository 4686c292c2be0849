package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
)

// Binding is a key with the command it stands for, on a bench whose state
// is S (the bench's own state type). Printable keys are never bound: a
// keyboard-wedge scanner types them, so they all go to the scan line.
type Binding[S any] struct {
	key.Binding
	Command floor.Command
	// When says in which states the binding does something, so the help
	// line only ever shows keys that work now.
	When func(S) bool
	// Why, when set, says in words why the key does nothing now.
	Why func(S) string
}

// Bind makes a page's binding: the key k, shown as label, for command c,
// working when when says so.
func Bind[S any](k, label string, c floor.Command, when func(S) bool) Binding[S] {
	return Binding[S]{Binding: key.NewBinding(key.WithKeys(k), key.WithHelp(label, Describe(c))), Command: c, When: when}
}

// Keys are the keys every station answers to, whatever its bench; each
// page has its own command keys (Binding).
type Keys struct {
	Quit   key.Binding
	Submit key.Binding
	Erase  key.Binding
	Help   key.Binding
	// Noted acknowledges an office refusal on the message line.
	Noted key.Binding
}

// NewKeys returns the global keys: F-keys as on RF terminals (F1 help).
func NewKeys() Keys {
	return Keys{
		Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		// ctrl+j is a line feed: what a scanner set to an LF suffix sends,
		// and what Enter typed before the screen took the terminal (the
		// terminal's line mode turns CR into LF) arrives as.
		Submit: key.NewBinding(key.WithKeys("enter", "ctrl+j"), key.WithHelp("enter", "scan/confirm")),
		Erase:  key.NewBinding(key.WithKeys("backspace"), key.WithHelp("⌫", "erase")),
		Help:   key.NewBinding(key.WithKeys("f1"), key.WithHelp("F1", "help")),
		Noted:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("Esc", "noted")),
	}
}

// Describe is a command's word on the help line.
func Describe(c floor.Command) string {
	switch c {
	case floor.CmdQuantity:
		return "qty"
	case floor.CmdUndo:
		return "undo"
	case floor.CmdSkip:
		return "skip"
	case floor.CmdShort:
		return "short"
	case floor.CmdCancel:
		return "cancel"
	case floor.CmdLogout:
		return "logout"
	case floor.CmdCloseCarton:
		return "close"
	case floor.CmdComplete:
		return "complete"
	case floor.CmdPartial:
		return "partial"
	case floor.CmdReopen:
		return "reopen"
	case floor.CmdOverride:
		return "override"
	case floor.CmdReprint:
		return "reprint"
	case floor.CmdVoid:
		return "void"
	case floor.CmdOK:
		return "ok"
	case floor.CmdHelp:
		return "help"
	}
	return string(c)
}

// Active returns the bindings that do something in state s, F1 first.
func Active[S any](help key.Binding, bs []Binding[S], s S) []key.Binding {
	out := []key.Binding{help}
	for _, b := range bs {
		if b.When(s) {
			out = append(out, b.Binding)
		}
	}
	return out
}

// Pressed is a command key pressed on a bench.
type Pressed struct {
	Command floor.Command
	Label   string // the key as the help line names it, e.g. "F5"
	Works   bool   // the key does something in the state it was pressed in
	Why     string // when it does not, why (may be "")
}

// Press finds the command binding k presses in bs, if any, and says
// whether it works in state s.
func Press[S any](bs []Binding[S], s S, k tea.KeyPressMsg) (Pressed, bool) {
	for _, b := range bs {
		if !key.Matches(k, b.Binding) {
			continue
		}
		p := Pressed{Command: b.Command, Label: b.Help().Key, Works: b.When(s)}
		if !p.Works && b.Why != nil {
			p.Why = b.Why(s)
		}
		return p, true
	}
	return Pressed{}, false
}

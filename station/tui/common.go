package tui

import (
	"image/color"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
)

// Styles are every look the screens use, built in one place from a few
// tokens, named by meaning rather than colour.
type Styles struct {
	Bar   lipgloss.Style // the status bar
	Title lipgloss.Style
	Label lipgloss.Style
	Value lipgloss.Style
	Big   lipgloss.Style // the location, read at arm's length
	Muted lipgloss.Style
	OK    lipgloss.Style // feedback blocks
	Warn  lipgloss.Style // done, but look: a held order, an unchecked weight
	Error lipgloss.Style
	// ErrorText is red text without a block, for short marks in a line.
	ErrorText lipgloss.Style
	// WarnText is amber text without a block: SHORT, a moving scale.
	WarnText lipgloss.Style
	Info     lipgloss.Style
	Prompt   lipgloss.Style
	Panel    lipgloss.Style
	KeyHelp  lipgloss.Style
	Progress lipgloss.Style
}

// NewStyles builds the styles from the palette.
func NewStyles() Styles {
	var (
		ink    color.Color = lipgloss.Color("#F5F5F5")
		dim    color.Color = lipgloss.Color("#8A8A8A")
		accent color.Color = lipgloss.Color("#5FAFFF")
		good   color.Color = lipgloss.Color("#1E8E3E")
		bad    color.Color = lipgloss.Color("#C5221F")
		amber  color.Color = lipgloss.Color("#F9AB00")
		note   color.Color = lipgloss.Color("#3A3A3A")
	)
	return Styles{
		Bar:       lipgloss.NewStyle().Background(lipgloss.Color("#263238")).Foreground(ink),
		Title:     lipgloss.NewStyle().Bold(true).Foreground(accent),
		Label:     lipgloss.NewStyle().Foreground(dim),
		Value:     lipgloss.NewStyle().Bold(true),
		Big:       lipgloss.NewStyle().Foreground(lipgloss.Color("#FFD75F")).Bold(true),
		Muted:     lipgloss.NewStyle().Foreground(dim),
		OK:        lipgloss.NewStyle().Background(good).Foreground(ink).Bold(true),
		Warn:      lipgloss.NewStyle().Background(amber).Foreground(lipgloss.Color("#202124")).Bold(true),
		Error:     lipgloss.NewStyle().Background(bad).Foreground(ink).Bold(true),
		ErrorText: lipgloss.NewStyle().Foreground(bad).Bold(true),
		WarnText:  lipgloss.NewStyle().Foreground(amber).Bold(true),
		Info:      lipgloss.NewStyle().Background(note).Foreground(ink),
		Prompt:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Panel:     lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(dim).PaddingLeft(1),
		KeyHelp:   lipgloss.NewStyle().Foreground(dim),
		Progress:  lipgloss.NewStyle().Foreground(good),
	}
}

// binding is a key with the command it stands for, on a bench whose state
// is S (pick.State or pack.State). Printable keys are never bound: a
// keyboard-wedge scanner types them, so they all go to the scan line.
type binding[S any] struct {
	key.Binding
	Command floor.Command
	// when says in which states the binding does something, so the help
	// line only ever shows keys that work now.
	when func(S) bool
	// why, when set, says in words why the key does nothing now.
	why func(S) string
}

// Keys are every key the station answers to: the global ones, then the
// command keys of each bench.
type Keys struct {
	Quit   key.Binding
	Submit key.Binding
	Erase  key.Binding
	Help   key.Binding
	// Noted acknowledges an office refusal on the message line.
	Noted    key.Binding
	Commands []binding[pick.State] // a pick cart
	Pack     []binding[pack.State] // a packing bench
	// PackEnterOK says where Enter on an empty line confirms (CMD:OK) at
	// a packing bench; elsewhere it is an empty scan, as on a pick cart.
	PackEnterOK func(pack.State) bool
}

func steps(ss ...pick.Step) func(pick.State) bool {
	return func(s pick.State) bool {
		for _, x := range ss {
			if s.Step == x {
				return true
			}
		}
		return false
	}
}

func loggedIn(s pick.State) bool { return s.LoggedIn() }

// packSteps is steps for a packing bench.
func packSteps(ss ...pack.Step) func(pack.State) bool {
	return func(s pack.State) bool {
		for _, x := range ss {
			if s.Step == x {
				return true
			}
		}
		return false
	}
}

// cartonHasUnits: undo and close need something in the open carton.
func cartonHasUnits(s pack.State) bool {
	c, ok := s.OpenCarton()
	return s.Step == pack.StepVerify && ok && c.Count() > 0
}

// canFinish is when pack complete (or partial) works: at verify when the
// lines allow it, and at held to try the hold gate again with the same
// finish (it passes once the office has lifted the hold).
func canFinish(kind pack.Finish, can func(pack.State) (bool, string)) func(pack.State) bool {
	return func(s pack.State) bool {
		ok, _ := can(s)
		return ok && (s.Step == pack.StepVerify || s.Step == pack.StepHeld && s.Finishing == kind ||
			s.Step == pack.StepPartial && kind == pack.FinishPartial) // F6 again confirms
	}
}

func finishWhy(can func(pack.State) (bool, string)) func(pack.State) string {
	return func(s pack.State) string {
		if s.Step != pack.StepVerify && s.Step != pack.StepHeld {
			return ""
		}
		_, why := can(s)
		return why
	}
}

// NewKeys returns the key map: F-keys as on RF terminals (F1 help, F3 back).
func NewKeys() Keys {
	b := func(k, label string, c floor.Command, when func(pick.State) bool) binding[pick.State] {
		return binding[pick.State]{Binding: key.NewBinding(key.WithKeys(k), key.WithHelp(label, describe(c))), Command: c, when: when}
	}
	p := func(k, label string, c floor.Command, when func(pack.State) bool) binding[pack.State] {
		return binding[pack.State]{Binding: key.NewBinding(key.WithKeys(k), key.WithHelp(label, describe(c))), Command: c, when: when}
	}
	work := steps(pick.StepLocation, pick.StepItem)
	// F2 works once the item is scanned (pick.Apply refuses it before, and
	// for a serial item): the help line shows it only then.
	quantity := b("f2", "F2", floor.CmdQuantity, func(s pick.State) bool {
		t, ok := s.Task()
		return s.Step == pick.StepItem && ok && !t.SerialControlled && len(s.Picks) > 0
	})
	quantity.why = func(s pick.State) string {
		if t, ok := s.Task(); s.Step != pick.StepItem || !ok {
			return ""
		} else if t.SerialControlled {
			return "scan each unit, this item needs a serial number per unit"
		}
		return "scan the item once first, then F2"
	}
	// F8 at the cart: a supervisor releases a tote that holds an order
	// nobody will pack (the pack bench's F8 overrides a weight).
	release := b("f8", "F8", floor.CmdOverride, steps(pick.StepTote))
	release.Binding.SetHelp("F8", "release")
	complete := p("f5", "F5", floor.CmdComplete, canFinish(pack.FinishComplete, pack.State.CanComplete))
	complete.why = finishWhy(pack.State.CanComplete)
	partial := p("f6", "F6", floor.CmdPartial, canFinish(pack.FinishPartial, pack.State.CanPartial))
	partial.why = finishWhy(pack.State.CanPartial)
	return Keys{
		Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		// ctrl+j is a line feed: what a scanner set to an LF suffix sends,
		// and what Enter typed before the screen took the terminal (the
		// terminal's line mode turns CR into LF) arrives as.
		Submit: key.NewBinding(key.WithKeys("enter", "ctrl+j"), key.WithHelp("enter", "scan/confirm")),
		Erase:  key.NewBinding(key.WithKeys("backspace"), key.WithHelp("⌫", "erase")),
		Help:   key.NewBinding(key.WithKeys("f1"), key.WithHelp("F1", "help")),
		Noted:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("Esc", "noted")),
		Commands: []binding[pick.State]{
			quantity,
			b("f3", "F3", floor.CmdUndo, work),
			b("f4", "F4", floor.CmdSkip, work),
			b("f5", "F5", floor.CmdShort, work),
			release,
			b("esc", "Esc", floor.CmdCancel, steps(pick.StepPIN, pick.StepQuantity, pick.StepConfirm, pick.StepLot, pick.StepSerial, pick.StepShort,
				pick.StepSupervisor, pick.StepSupervisorPIN, pick.StepReleaseTote, pick.StepReleaseReason)),
			b("f10", "F10", floor.CmdLogout, loggedIn),
		},
		Pack: []binding[pack.State]{
			p("f2", "F2", floor.CmdQuantity, packSteps(pack.StepVerify)),
			p("f3", "F3", floor.CmdUndo, cartonHasUnits),
			p("f4", "F4", floor.CmdCloseCarton, cartonHasUnits),
			complete,
			partial,
			p("f7", "F7", floor.CmdReopen, packSteps(pack.StepMismatch)),
			p("f8", "F8", floor.CmdOverride, packSteps(pack.StepMismatch)),
			p("f9", "F9", floor.CmdReprint, packSteps(pack.StepDone)),
			p("f11", "F11", floor.CmdVoid, func(s pack.State) bool { return s.Step == pack.StepDone && !s.Shipped }),
			// Esc at verify puts the order aside (after a confirmation).
			p("esc", "Esc", floor.CmdCancel, packSteps(pack.StepPIN, pack.StepVerify, pack.StepQuantity, pack.StepConfirm,
				pack.StepCount, pack.StepLot, pack.StepSerial, pack.StepBox, pack.StepWeigh, pack.StepMismatch, pack.StepSupervisor,
				pack.StepSupervisorPIN, pack.StepReason, pack.StepSetAside, pack.StepPartial, pack.StepReprint, pack.StepReprintReason)),
			p("f10", "F10", floor.CmdLogout, pack.State.LoggedIn),
		},
		PackEnterOK: packSteps(pack.StepConfirm, pack.StepBox, pack.StepSetAside, pack.StepPartial, pack.StepHeld),
	}
}

func describe(c floor.Command) string {
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

// active returns the bindings that do something in state s, F1 first.
func active[S any](help key.Binding, bs []binding[S], s S) []key.Binding {
	out := []key.Binding{help}
	for _, b := range bs {
		if b.when(s) {
			out = append(out, b.Binding)
		}
	}
	return out
}

// pressed is a command key pressed on a bench.
type pressed struct {
	Command floor.Command
	Label   string // the key as the help line names it, e.g. "F5"
	Works   bool   // the key does something in the state it was pressed in
	Why     string // when it does not, why (may be "")
}

// press finds the command binding k presses in bs, if any, and says
// whether it works in state s.
func press[S any](bs []binding[S], s S, k tea.KeyPressMsg) (pressed, bool) {
	for _, b := range bs {
		if !key.Matches(k, b.Binding) {
			continue
		}
		p := pressed{Command: b.Command, Label: b.Help().Key, Works: b.when(s)}
		if !p.Works && b.why != nil {
			p.Why = b.why(s)
		}
		return p, true
	}
	return pressed{}, false
}

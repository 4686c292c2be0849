package tui

import (
	"image/color"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
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
	Error lipgloss.Style
	// ErrorText is red text without a block, for short marks in a line.
	ErrorText lipgloss.Style
	Info      lipgloss.Style
	Prompt    lipgloss.Style
	Panel     lipgloss.Style
	KeyHelp   lipgloss.Style
	Progress  lipgloss.Style
}

// NewStyles builds the styles from the palette.
func NewStyles() Styles {
	var (
		ink    color.Color = lipgloss.Color("#F5F5F5")
		dim    color.Color = lipgloss.Color("#8A8A8A")
		accent color.Color = lipgloss.Color("#5FAFFF")
		good   color.Color = lipgloss.Color("#1E8E3E")
		bad    color.Color = lipgloss.Color("#C5221F")
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
		Error:     lipgloss.NewStyle().Background(bad).Foreground(ink).Bold(true),
		ErrorText: lipgloss.NewStyle().Foreground(bad).Bold(true),
		Info:      lipgloss.NewStyle().Background(note).Foreground(ink),
		Prompt:    lipgloss.NewStyle().Bold(true).Foreground(accent),
		Panel:     lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(dim).PaddingLeft(1),
		KeyHelp:   lipgloss.NewStyle().Foreground(dim),
		Progress:  lipgloss.NewStyle().Foreground(good),
	}
}

// binding is a key with the command it stands for. Printable keys are never
// bound: a keyboard-wedge scanner types them, so they all go to the scan line.
type binding struct {
	key.Binding
	Command floor.Command
	// when says in which steps the binding does something, so the help
	// line only ever shows keys that work now.
	when func(pick.State) bool
}

// Keys are every key the station answers to.
type Keys struct {
	Quit     key.Binding
	Submit   key.Binding
	Erase    key.Binding
	Help     binding
	Commands []binding
}

func always(pick.State) bool { return true }

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

// NewKeys returns the key map: F-keys as on RF terminals (F1 help, F3 back).
func NewKeys() Keys {
	b := func(k, label string, c floor.Command, when func(pick.State) bool) binding {
		return binding{Binding: key.NewBinding(key.WithKeys(k), key.WithHelp(label, describe(c))), Command: c, when: when}
	}
	work := steps(pick.StepLocation, pick.StepItem)
	return Keys{
		Quit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "scan/confirm")),
		Erase:  key.NewBinding(key.WithKeys("backspace"), key.WithHelp("⌫", "erase")),
		Help:   binding{Binding: key.NewBinding(key.WithKeys("f1"), key.WithHelp("F1", "help")), Command: floor.CmdHelp, when: always},
		Commands: []binding{
			b("f2", "F2", floor.CmdQuantity, steps(pick.StepItem)),
			b("f3", "F3", floor.CmdUndo, work),
			b("f4", "F4", floor.CmdSkip, work),
			b("f5", "F5", floor.CmdShort, work),
			b("esc", "Esc", floor.CmdCancel, steps(pick.StepPIN, pick.StepQuantity, pick.StepConfirm, pick.StepLot, pick.StepSerial, pick.StepShort)),
			b("f10", "F10", floor.CmdLogout, loggedIn),
		},
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
	}
	return string(c)
}

// active returns the bindings that do something in state s.
func (k Keys) active(s pick.State) []key.Binding {
	out := []key.Binding{k.Help.Binding}
	for _, b := range k.Commands {
		if b.when(s) {
			out = append(out, b.Binding)
		}
	}
	return out
}

package supervisepage

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/station/tui/ui"
)

func init() { ui.Register(station.BenchSupervise, New) }

// Page is the supervisor bench's page: the bench's state, drawn as a
// Board once a supervisor is signed in.
type Page struct{ s supervise.State }

// New makes the page from the bench's snapshot.
func New(initial station.Outcome) ui.Page { return Page{}.Outcome(initial) }

// State is the bench's state as the page shows it.
func (p Page) State() supervise.State { return p.s }

// Outcome takes the bench's state from its outcome.
func (p Page) Outcome(o station.Outcome) ui.Page {
	if s, ok := o.State.(supervise.State); ok {
		p.s = s
	}
	return p
}

func (p Page) Operator() floor.Operator {
	if !p.s.LoggedIn() {
		return floor.Operator{}
	}
	return p.s.Operator
}

func (p Page) Press(k tea.KeyPressMsg) (ui.Pressed, bool) { return ui.Press(keys, p.s, k) }

// EnterOK: Enter on an empty line opens the chosen wave or order.
// On the exceptions, it starts resolving the chosen one, and while
// choosing the action it takes the chosen action.
func (p Page) EnterOK() bool {
	if p.s.Resolving.Step != "" {
		return p.s.Resolving.Step == supervise.ResolveAction
	}
	return p.s.LoggedIn() && (p.s.View == supervise.ViewWaves || p.s.View == supervise.ViewWave || p.s.View == supervise.ViewExceptions) && supervise.Rows(p.s) > 0
}

// Keys: the board lists its own keys with their barcodes; the help line
// keeps F1 and logging out.
func (p Page) Keys(c ui.Context, _ int) ([]key.Binding, string) {
	out := []key.Binding{c.Keys.Help}
	if p.s.LoggedIn() {
		out = append(out, logout.Binding)
	}
	if p.s.Step == supervise.StepPIN {
		out = append(out, cancel.Binding)
	}
	return out, " "
}

func (p Page) Secret() bool { return p.s.Step == supervise.StepPIN }

func (p Page) Screen(c ui.Context, w, h int) string {
	if !p.s.LoggedIn() {
		return ui.LoginScreen(c, w, h, p.s.Step == supervise.StepPIN, c.Styles.Muted.Render("Supervisor: a supervisor's badge"))
	}
	return p.Board().Screen(w, h)
}

// views maps the workflow's views to the screens.
var views = map[supervise.View]View{supervise.ViewWaves: ViewWaves, supervise.ViewWave: ViewWave, supervise.ViewOrder: ViewOrder,
	supervise.ViewPeople: ViewPeople, supervise.ViewExceptions: ViewExceptions, supervise.ViewHealth: ViewHealth}

// Board is what the screens draw from the bench's state.
func (p Page) Board() Board {
	f := p.s.Figures
	b := Board{View: views[p.s.View], Waves: f.Waves, Site: f.Site, Wave: f.Wave, Story: f.Story, Cursor: p.s.Cursor,
		AsOf: f.AsOf, Online: f.Online, Now: p.s.Now}
	if r := p.s.Resolving; r.Step != "" {
		b.Resolve = &Resolve{Exception: r.Exception, Actions: r.Actions, Cursor: r.Cursor, Action: r.Action, Target: r.Target,
			Ask: resolveAsk(r)}
	}
	switch p.s.View {
	case supervise.ViewWave:
		b.Opened = p.s.Wave
	case supervise.ViewOrder:
		b.Opened = p.s.Order
	}
	return b
}

// resolveAsk is what the resolution's step asks for.
func resolveAsk(r supervise.Resolving) string {
	switch r.Step {
	case supervise.ResolveAction:
		return "Choose the action with ↑↓, Enter"
	case supervise.ResolveTarget:
		return supervise.TargetAsk(r.Action)
	}
	return "Type the reason on the scan line, Enter"
}

func (Page) Beside(ui.Context, int, int) string { return "" }

func (p Page) Work() (string, string) {
	if !p.s.LoggedIn() {
		return "", ""
	}
	switch p.s.View {
	case supervise.ViewWave:
		return "supervising wave " + floor.Printable(p.s.Wave), floor.Printable(p.s.Wave)
	case supervise.ViewOrder:
		return "supervising order " + floor.Printable(p.s.Order), floor.Printable(p.s.Order)
	}
	return "supervising " + string(p.s.View), string(p.s.View)
}

// Panel is the side panel: what to do next, then every key and command
// barcode of the supervisor's sheet.
func (p Page) Panel(c ui.Context, w int) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("NEXT") + "\n")
	switch p.s.Step {
	case supervise.StepLogin, "":
		if c.Opts.Demo {
			b.WriteString(ui.DemoBadges(c))
		} else {
			b.WriteString(ansi.Wordwrap("Scan a supervisor's badge", w, "") + "\n")
		}
	case supervise.StepPIN:
		b.WriteString(ansi.Wordwrap("Type your PIN, Enter", w, "") + "\n")
		b.WriteString(ui.DemoPIN(c, p.s.Badge))
	default:
		next := "Choose with ↑↓, Enter to open, Esc to go back"
		switch r := p.s.Resolving; {
		case r.Step != "":
			next = resolveAsk(r) + "; Esc to go back"
		case p.s.View == supervise.ViewExceptions:
			next = "Choose with ↑↓, Enter or F6 to resolve"
		case p.s.View == supervise.ViewHealth:
			next = "Choose a station with ↑↓, F7 to reassign its wave"
		}
		b.WriteString(ansi.Wordwrap(next, w, "") + "\n")
	}
	b.WriteString("\n" + st.Title.Render("KEYS · BARCODES") + "\n")
	for _, cmd := range floor.SuperviseCommands {
		k, works := "", false
		for _, bd := range keys {
			if bd.Command == cmd.Command || bd.Command == floor.CmdCancel && cmd.Command == floor.CmdSupBack {
				k, works = bd.Help().Key, bd.When(p.s)
			}
		}
		row := lipgloss.NewStyle().MaxWidth(w).Render(fmt.Sprintf("%-6s%s", k, cmd.Command.Barcode()))
		if !works {
			row = st.Muted.Render(row)
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}

func (Page) Hint(ui.Context) string { return "" }
func (Page) Idle() bool             { return false }
func (Page) OfficeNow() bool        { return false }
func (Page) NewWave() bool          { return false }

var (
	logout = bind("f10", "F10", floor.CmdLogout, "logout", supervise.State.LoggedIn)
	cancel = bind("esc", "Esc", floor.CmdCancel, "back", func(s supervise.State) bool {
		return s.Step == supervise.StepPIN || s.LoggedIn() && s.View != supervise.ViewWaves
	})
)

// keys are the supervisor bench's command keys: F-keys and arrows only.
var keys = []ui.Binding[supervise.State]{
	bind("up", "↑", floor.CmdSupUp, "up", rows),
	bind("down", "↓", floor.CmdSupDown, "down", rows),
	cancel, // Esc: back one level on the board (as CMD:SUP-BACK), cancel at the PIN
	bind("f2", "F2", floor.CmdSupWaves, "waves", supervise.State.LoggedIn),
	bind("f3", "F3", floor.CmdSupPeople, "people", supervise.State.LoggedIn),
	bind("f4", "F4", floor.CmdSupExceptions, "exceptions", supervise.State.LoggedIn),
	bind("f5", "F5", floor.CmdSupHealth, "health", supervise.State.LoggedIn),
	bind("f6", "F6", floor.CmdSupResolve, "resolve", resolvable),
	bind("f7", "F7", floor.CmdSupReassign, "reassign", reassignable),
	logout,
}

func rows(s supervise.State) bool {
	if s.Resolving.Step != "" {
		return s.Resolving.Step == supervise.ResolveAction
	}
	return s.LoggedIn() && supervise.Rows(s) > 0
}

// resolvable: an exception is chosen, or its action is being chosen.
func resolvable(s supervise.State) bool {
	if s.Resolving.Step != "" {
		return s.Resolving.Step == supervise.ResolveAction
	}
	return s.LoggedIn() && s.View == supervise.ViewExceptions && supervise.Rows(s) > 0
}

// reassignable: a wave is chosen or opened, or a station on the health
// screen (the workflow says why when it has no wave to move).
func reassignable(s supervise.State) bool {
	if !s.LoggedIn() || s.Resolving.Step != "" {
		return false
	}
	switch s.View {
	case supervise.ViewWave, supervise.ViewOrder:
		return true
	case supervise.ViewWaves, supervise.ViewHealth:
		return supervise.Rows(s) > 0
	}
	return false
}

func bind(k, label string, c floor.Command, word string, when func(supervise.State) bool) ui.Binding[supervise.State] {
	b := ui.Bind(k, label, c, when)
	b.SetHelp(label, word)
	return b
}

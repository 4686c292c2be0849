// Package returnspage is a returns bench's screens, one file per screen:
// log in, name the order (order.go), scan the units (item.go), choose a
// unit's condition, reason and disposition (choose.go), scan a restock
// location (location.go), with the return's lines beside it on a wide
// screen (lines.go) and the side panel (panel.go). It registers itself
// for returnsbench.Name and keeps the bench's returns.State from the
// bench's outcomes.
package returnspage

import (
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/returns"
	"github.com/totewms/tote/station/returnsbench"
	"github.com/totewms/tote/station/tui/ui"
)

func init() { ui.Register(returnsbench.Name, New) }

// Page is a returns bench's page: the bench's state.
type Page struct{ s returns.State }

// New makes the page from the bench's snapshot.
func New(initial station.Outcome) ui.Page { return Page{}.Outcome(initial) }

// State is the bench's state as the page shows it.
func (p Page) State() returns.State { return p.s }

// Outcome takes the bench's state from its outcome.
func (p Page) Outcome(o station.Outcome) ui.Page {
	if s, ok := o.State.(returns.State); ok {
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

// Press finds the key among the bindings that work now first: F2 to F6
// name a choice, which is a condition, a reason or a disposition by the
// step.
func (p Page) Press(k tea.KeyPressMsg) (ui.Pressed, bool) {
	var now []ui.Binding[returns.State]
	for _, b := range keys {
		if b.When(p.s) {
			now = append(now, b)
		}
	}
	if pr, ok := ui.Press(now, p.s, k); ok {
		return pr, true
	}
	return ui.Press(keys, p.s, k)
}

func (Page) EnterOK() bool { return false }

func (p Page) Keys(c ui.Context, _ int) ([]key.Binding, string) {
	return ui.Active(c.Keys.Help, keys, p.s), " "
}

func (p Page) Secret() bool { return p.s.Step == returns.StepPIN }

func (p Page) Screen(c ui.Context, w, h int) string {
	switch p.s.Step {
	case returns.StepOrder:
		return p.orderScreen(c, w, h)
	case returns.StepItem:
		return p.itemScreen(c, w, h)
	case returns.StepCondition, returns.StepReason, returns.StepDisposition:
		return p.chooseScreen(c, w, h)
	case returns.StepLocation:
		return p.locationScreen(c, w, h)
	}
	return ui.LoginScreen(c, w, h, p.s.Step == returns.StepPIN, c.Styles.Muted.Render("Returns bench: a returns clerk's badge"))
}

func (p Page) Beside(c ui.Context, w, _ int) string {
	if p.s.Return == nil || !p.s.LoggedIn() {
		return ""
	}
	return p.linesPanel(c, w)
}

func (p Page) Work() (string, string) {
	r := p.s.Return
	if r == nil {
		return "", ""
	}
	n := strconv.Itoa(r.Units())
	return r.ID + " " + floor.Printable(r.Order.Order) + " " + n + " ", n + " "
}

// Hint: the demo has no returns bench; nothing to scan for the user.
func (Page) Hint(ui.Context) string { return "" }

// Idle: waiting for a parcel, the bench has nothing to look for.
func (Page) Idle() bool      { return false }
func (Page) OfficeNow() bool { return false }
func (Page) NewWave() bool   { return false }

// choosing reports whether the clerk is choosing (condition, reason,
// disposition).
func choosing(s returns.State) bool {
	return s.Step == returns.StepCondition || s.Step == returns.StepReason || s.Step == returns.StepDisposition
}

// Choices are the current choice step's commands with their words, in
// screen order (F2 the first).
func Choices(s returns.State) []Choice {
	var out []Choice
	switch s.Step {
	case returns.StepCondition:
		for _, c := range floor.ReturnConditions {
			out = append(out, Choice{Command: floor.ConditionCommands[c], Word: floor.Words(c)})
		}
	case returns.StepReason:
		for _, r := range floor.ReturnReasons {
			out = append(out, Choice{Command: floor.ReasonCommands[r], Word: floor.Words(r)})
		}
	case returns.StepDisposition:
		for _, d := range floor.Dispositions {
			why := ""
			if s.Hand != nil {
				why = returns.Restockable(s.Hand.Condition, d)
			}
			out = append(out, Choice{Command: floor.DispositionCommands[d], Word: floor.Words(d), Refused: why})
		}
	}
	return out
}

// Choice is one choice of a step: its command, its word, and why it is
// refused for the unit in hand ("" when it is not).
type Choice struct {
	Command floor.Command
	Word    string
	Refused string
}

var choiceKeys = []string{"f2", "f3", "f4", "f5", "f6"}

// keys are the returns bench's command keys: F2 to F6 are the step's
// choices (their command by the step), F4 finishes the return at the
// item step.
var keys = func() []ui.Binding[returns.State] {
	d := func(k, label string, c floor.Command, word string, when func(returns.State) bool) ui.Binding[returns.State] {
		b := ui.Bind(k, label, c, when)
		b.SetHelp(label, word)
		return b
	}
	var out []ui.Binding[returns.State]
	add := func(step returns.Step, cmds []floor.Command, words []string) {
		for i, c := range cmds {
			out = append(out, d(choiceKeys[i], "F"+strconv.Itoa(i+2), c, words[i], func(s returns.State) bool { return s.Step == step }))
		}
	}
	var cs, rs, ds []floor.Command
	var cw, rw, dw []string
	for _, c := range floor.ReturnConditions {
		cs, cw = append(cs, floor.ConditionCommands[c]), append(cw, floor.Words(c))
	}
	for _, r := range floor.ReturnReasons {
		rs, rw = append(rs, floor.ReasonCommands[r]), append(rw, floor.Words(r))
	}
	for _, x := range floor.Dispositions {
		ds, dw = append(ds, floor.DispositionCommands[x]), append(dw, floor.Words(x))
	}
	add(returns.StepCondition, cs, cw)
	add(returns.StepReason, rs, rw)
	add(returns.StepDisposition, ds, dw)
	finish := d("f4", "F4", floor.CmdOK, "finish", func(s returns.State) bool {
		return s.Step == returns.StepItem && s.Return != nil && len(s.Return.Received) > 0
	})
	finish.Why = func(s returns.State) string {
		if s.Step == returns.StepItem {
			return "nothing is recorded in this return yet"
		}
		return ""
	}
	return append(out,
		finish,
		d("esc", "Esc", floor.CmdCancel, "cancel", func(s returns.State) bool {
			return s.Step == returns.StepPIN || choosing(s) || s.Step == returns.StepLocation ||
				(s.Step == returns.StepItem && s.Return != nil && len(s.Return.Received) == 0) || (s.Step == returns.StepOrder && s.RMA != "")
		}),
		d("f10", "F10", floor.CmdLogout, "logout", returns.State.LoggedIn),
	)
}()

package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/tui/ui"
)

// noPage stands in for a bench whose page this binary does not have (its
// page package is not imported next to the bench's): it says so, rather
// than the station failing to start.
type noPage struct{ bench station.BenchName }

func (noPage) Operator() floor.Operator                 { return floor.Operator{} }
func (p noPage) Outcome(station.Outcome) ui.Page        { return p }
func (noPage) Press(tea.KeyPressMsg) (ui.Pressed, bool) { return ui.Pressed{}, false }
func (noPage) EnterOK() bool                            { return false }
func (noPage) Keys(c ui.Context, _ int) ([]key.Binding, string) {
	return []key.Binding{c.Keys.Help}, ""
}
func (noPage) Secret() bool { return false }
func (p noPage) Screen(c ui.Context, w, _ int) string {
	return c.Styles.ErrorText.Render("No screens for bench "+floor.Printable(string(p.bench))+" in this build") + "\n" +
		c.Styles.Prompt.Render("▶ Call a supervisor") + "\n"
}
func (noPage) Beside(ui.Context, int, int) string { return "" }
func (noPage) Panel(ui.Context, int) string       { return "" }
func (noPage) Work() (string, string)             { return "", "" }
func (noPage) Hint(ui.Context) string             { return "" }
func (noPage) Idle() bool                         { return false }
func (noPage) OfficeNow() bool                    { return false }
func (noPage) NewWave() bool                      { return false }

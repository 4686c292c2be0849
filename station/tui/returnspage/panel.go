package returnspage

// The side panel: what to do next, then every key and command barcode,
// the ones that do nothing now dimmed.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/returns"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) Panel(c ui.Context, w int) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("NEXT") + "\n")
	switch p.s.Step {
	case returns.StepLogin, "":
		if c.Opts.Demo {
			b.WriteString(ui.DemoBadges(c))
		} else {
			b.WriteString(ansi.Wordwrap("Scan a returns clerk's badge", w, "") + "\n")
		}
	case returns.StepPIN:
		b.WriteString(ansi.Wordwrap("Type your PIN, Enter", w, "") + "\n")
		b.WriteString(ui.DemoPIN(c, p.s.Badge))
	default:
		b.WriteString(ansi.Wordwrap(returns.Capital(returns.Prompt(p.s)), w, "") + "\n")
	}
	b.WriteString("\n" + st.Title.Render("KEYS · BARCODES") + "\n")
	for _, cmd := range floor.ReturnsCommands {
		k, works := "", false
		if cmd.Command == floor.CmdHelp {
			k, works = c.Keys.Help.Help().Key, true
		}
		for _, bd := range keys {
			if bd.Command == cmd.Command && (k == "" || bd.When(p.s)) {
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

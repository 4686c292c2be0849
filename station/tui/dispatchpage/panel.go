package dispatchpage

// The side panel: what to do next, then every key and command barcode,
// the ones that do nothing now dimmed.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/dispatch"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) Panel(c ui.Context, w int) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("NEXT") + "\n")
	switch p.s.Step {
	case dispatch.StepLogin, "":
		if c.Opts.Demo {
			b.WriteString(ui.DemoBadges(c))
		} else {
			b.WriteString(ansi.Wordwrap("Scan a loader's badge", w, "") + "\n")
		}
	case dispatch.StepPIN:
		b.WriteString(ansi.Wordwrap("Type your PIN, Enter", w, "") + "\n")
		b.WriteString(ui.DemoPIN(c, p.s.Badge))
	case dispatch.StepCarrier:
		b.WriteString(ansi.Wordwrap("Type a carrier's number, Enter; or scan a parcel", w, "") + "\n")
	case dispatch.StepLoad:
		b.WriteString(ansi.Wordwrap("Scan each parcel's SSCC; F4 when the truck leaves", w, "") + "\n")
	}
	if next := p.Hint(c); next != "" {
		b.WriteString(ansi.Wordwrap("Ready at the dock:", w, "") + "\n  " + next + "\n" + c.Styles.Muted.Render("F12 scans it for you") + "\n")
	}
	b.WriteString("\n" + st.Title.Render("KEYS · BARCODES") + "\n")
	for _, cmd := range floor.DispatchCommands {
		k, works := "", true
		if cmd.Command == floor.CmdHelp {
			k = c.Keys.Help.Help().Key
		}
		for _, bd := range keys {
			if bd.Command == cmd.Command {
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

package tui

// The dispatch page's side panel: what to do next, then every key and
// command barcode, the ones that do nothing now dimmed.

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/dispatch"
)

func (m Model) dispatchPanelText(w int) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("NEXT") + "\n")
	switch m.dispatch.Step {
	case dispatch.StepLogin, "":
		b.WriteString(ansi.Wordwrap("Scan a loader's badge", w, "") + "\n")
		for _, badge := range m.opts.Badges {
			b.WriteString("  " + m.st.Value.Render(floor.Printable(badge)) + "\n")
		}
	case dispatch.StepPIN:
		b.WriteString(ansi.Wordwrap("Type your PIN, Enter", w, "") + "\n")
		b.WriteString(m.demoPIN(m.dispatch.Badge))
	case dispatch.StepCarrier:
		b.WriteString(ansi.Wordwrap("Type a carrier's number, Enter; or scan a parcel", w, "") + "\n")
	case dispatch.StepLoad:
		b.WriteString(ansi.Wordwrap("Scan each parcel's SSCC; F4 when the truck leaves", w, "") + "\n")
	}
	b.WriteString("\n" + m.st.Title.Render("KEYS · BARCODES") + "\n")
	for _, c := range floor.DispatchCommands {
		k, works := "", true
		if c.Command == floor.CmdHelp {
			k = m.keys.Help.Help().Key
		}
		for _, bd := range dispatchKeys {
			if bd.Command == c.Command {
				k, works = bd.Help().Key, bd.when(m.dispatch)
			}
		}
		row := fmt.Sprintf("%-6s%s", k, c.Command.Barcode())
		row = lipgloss.NewStyle().MaxWidth(w).Render(row)
		if !works {
			row = m.st.Muted.Render(row)
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}

package packpage

// The pack page's side panels: the cartons beside the work on a wide
// screen, and the demo's panel.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pack"
)

// cartonsPanel lists every carton of the order, for wide screens.
func (m view) cartonsPanel(w int) string {
	s := m.pack
	var b strings.Builder
	b.WriteString(m.st.Title.Render("CARTONS") + "\n")
	if len(s.Cartons) == 0 {
		b.WriteString(m.st.Muted.Render("none yet: the first scan opens carton 1") + "\n")
	}
	for _, c := range s.Cartons {
		state := m.st.WarnText.Render("open")
		if c.Closed {
			state = m.st.Progress.Render("closed " + grams(c.WeightG))
			if c.Overridden {
				state += m.st.WarnText.Render(" override")
			}
		}
		box := c.Box
		if box == "" {
			box = "—"
		}
		b.WriteString(fmt.Sprintf("%d %-7s %-9s %s\n", c.No, floor.Printable(box), units(c.Count()), state))
		b.WriteString(m.st.Muted.Render(ansi.Truncate("  "+contentsOf(s, c), w, "…")) + "\n")
	}
	return b.String()
}

// panelText is the side panel of a packing bench: what to scan next,
// then every key and command barcode, the ones that do nothing now dimmed.
func (m view) panelText(w int) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("NEXT") + "\n")
	next, note := hints.Pack(m.pack, m.fresh())
	switch {
	case m.pack.Step == pack.StepLogin && m.opts.Demo:
		b.WriteString(ui.DemoBadges(m.c))
	case next != "":
		b.WriteString("Type, then Enter:\n  " + m.st.Value.Render(floor.Printable(next)) + "\n")
	case note != "":
		// Wrapped, not cut: the note is the whole instruction.
		b.WriteString(ansi.Wordwrap(note, w, "") + "\n")
	}
	if m.pack.Step == pack.StepPIN || m.pack.Step == pack.StepSupervisorPIN {
		b.WriteString(ui.DemoPIN(m.c, m.pack.Pending.Badge))
	}
	if m.opts.Demo && next != "" {
		b.WriteString(m.st.Muted.Render("F12 scans it for you") + "\n")
	}
	b.WriteString("\n" + m.st.Title.Render("KEYS · BARCODES") + "\n")
	for _, c := range floor.PackCommands {
		k, works := "", true
		switch c.Command {
		case floor.CmdOK:
			k = "Enter"
		case floor.CmdHelp:
			k = m.c.Keys.Help.Help().Key
		default:
			for _, bd := range keys {
				if bd.Command == c.Command {
					k, works = bd.Help().Key, bd.When(m.pack)
				}
			}
		}
		// The barcode names the command; the word is dropped before the
		// barcode is cut.
		row := fmt.Sprintf("%-6s%s", k, c.Command.Barcode())
		if w >= 27 {
			row = fmt.Sprintf("%-6s%-9s%s", k, ui.Describe(c.Command), c.Command.Barcode())
		}
		row = lipgloss.NewStyle().MaxWidth(w).Render(row)
		if !works {
			row = m.st.Muted.Render(row)
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}

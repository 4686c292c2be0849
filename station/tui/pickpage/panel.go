package pickpage

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/tui/ui"
)

// panelText is a pick cart's side panel: what to type next, then keys
// and command barcodes. F1 toggles it.
func (m view) panelText(w int) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("NEXT") + "\n")
	switch {
	case m.state.Step == pick.StepLogin && m.opts.Demo:
		b.WriteString(ui.DemoBadges(m.c))
	case m.state.Step == pick.StepLogin:
		b.WriteString("Scan your badge\n")
	case m.state.Step == pick.StepPIN:
		b.WriteString("Type your PIN, Enter\n")
		b.WriteString(ui.DemoPIN(m.c, m.state.Pending.Badge))
	default:
		if next := hints.Pick(m.state); next != "" {
			b.WriteString("Type, then Enter:\n  " + m.st.Value.Render(floor.Printable(next)) + "\n")
		}
		if m.state.Step == pick.StepConfirm {
			b.WriteString("Enter to confirm\n")
		}
	}
	if m.opts.Demo && hints.Pick(m.state) != "" { // at login F12 has nothing to scan: the badge is typed
		b.WriteString(m.st.Muted.Render("F12 scans it for you") + "\n")
	}
	b.WriteString("\n" + m.st.Title.Render("KEYS · BARCODES") + "\n")
	rows := []string{"F1  help    CMD:HELP"}
	for _, k := range keys {
		rows = append(rows, fmt.Sprintf("%-4s%-8s%s", k.Help().Key, k.Help().Desc, k.Command.Barcode()))
	}
	for _, r := range rows {
		b.WriteString(lipgloss.NewStyle().MaxWidth(w).Render(r) + "\n")
	}
	return b.String()
}

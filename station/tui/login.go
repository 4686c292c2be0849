package tui

import (
	"strconv"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
)

// loginScreen is the badge (and PIN) prompt of every bench.
func (m Model) loginScreen(w, h int) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("LOG IN") + "\n\n")
	pin := m.state.Step == pick.StepPIN
	if m.packing() {
		pin = m.pack.Step == pack.StepPIN
	}
	if pin {
		b.WriteString(m.st.Prompt.Render("▶ Type your PIN and press Enter") + "\n")
		b.WriteString(m.st.Muted.Render("  Esc to cancel") + "\n")
		return b.String()
	}
	if big := bigText("SCAN BADGE", w, 1); big != "" && h >= 12 {
		b.WriteString(m.st.Big.Render(big) + "\n\n")
	}
	b.WriteString(m.st.Prompt.Render("▶ Scan your badge") + "\n")
	switch {
	case m.packing():
		b.WriteString("\n" + m.st.Muted.Render("Packing bench: a packer's badge") + "\n")
	case m.state.Wave.ID != "":
		done, total, _, _ := m.state.Progress()
		b.WriteString("\n" + m.st.Label.Render("Wave ") + m.st.Value.Render(floor.Printable(m.state.Wave.ID)) +
			m.st.Muted.Render("  "+strconv.Itoa(done)+" of "+strconv.Itoa(total)+" tasks done") + "\n")
	default:
		b.WriteString("\n" + m.st.Muted.Render("No wave waiting for this station") + "\n")
	}
	return b.String()
}

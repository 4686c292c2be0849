package tui

import (
	"strconv"
	"strings"

	"github.com/totewms/tote/station/pick"
)

func (m Model) loginScreen(w, h int) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("LOG IN") + "\n\n")
	if m.state.Step == pick.StepPIN {
		b.WriteString(m.st.Prompt.Render("▶ Type your PIN and press Enter") + "\n")
		b.WriteString(m.st.Muted.Render("  Esc to cancel") + "\n")
		return b.String()
	}
	if big := bigText("SCAN BADGE", w, 1); big != "" && h >= 12 {
		b.WriteString(m.st.Big.Render(big) + "\n\n")
	}
	b.WriteString(m.st.Prompt.Render("▶ Scan your badge") + "\n")
	if m.state.Wave.ID != "" {
		done, total, _, _ := m.state.Progress()
		b.WriteString("\n" + m.st.Label.Render("Wave ") + m.st.Value.Render(m.state.Wave.ID) +
			m.st.Muted.Render("  "+strconv.Itoa(done)+" of "+strconv.Itoa(total)+" tasks done") + "\n")
	} else {
		b.WriteString("\n" + m.st.Muted.Render("No wave waiting for this station") + "\n")
	}
	return b.String()
}

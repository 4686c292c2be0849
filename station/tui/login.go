package tui

import (
	"strings"
)

// loginScreen is the badge (and PIN) prompt of every bench: a component
// the pages fill, pin when the badge waits for its PIN, below the line
// under the badge prompt (which wave waits, which badge the bench takes).
func (m Model) loginScreen(w, h int, pin bool, below string) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("LOG IN") + "\n\n")
	if pin {
		b.WriteString(m.st.Prompt.Render("▶ Type your PIN and press Enter") + "\n")
		b.WriteString(m.st.Muted.Render("  Esc to cancel") + "\n")
		return b.String()
	}
	if big := bigText("SCAN BADGE", w, 1); big != "" && h >= 12 {
		b.WriteString(m.st.Big.Render(big) + "\n\n")
	}
	b.WriteString(m.st.Prompt.Render("▶ Scan your badge") + "\n")
	b.WriteString("\n" + below + "\n")
	return b.String()
}

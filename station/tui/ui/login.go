package ui

import (
	"strings"
)

// LoginScreen is the badge (and PIN) prompt of every bench: a component
// the pages fill, pin when the badge waits for its PIN, below the line
// under the badge prompt (which wave waits, which badge the bench takes).
func LoginScreen(c Context, w, h int, pin bool, below string) string {
	st := c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render("LOG IN") + "\n\n")
	if pin {
		b.WriteString(st.Prompt.Render("▶ Type your PIN and press Enter") + "\n")
		b.WriteString(st.Muted.Render("  Esc to cancel") + "\n")
		return b.String()
	}
	if big := BigText("SCAN BADGE", w, 1); big != "" && h >= 12 {
		b.WriteString(st.Big.Render(big) + "\n\n")
	}
	b.WriteString(st.Prompt.Render("▶ Scan your badge") + "\n")
	b.WriteString("\n" + below + "\n")
	return b.String()
}

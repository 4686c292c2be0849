package dispatchpage

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/station/tui/ui"
)

// part is a block of a screen; when the screen is short of rows, the
// parts with the lowest keep go first, and the prompt never.
type part struct {
	text string
	keep int
}

const (
	keepPrompt = 100
	keepHead   = 90
	keepMain   = 60
	keepDetail = 40
	keepExtra  = 20
	blank      = " "
)

// fit joins the parts that fit in h rows, in order.
func fit(h int, parts ...part) string {
	kept := make([]bool, len(parts))
	rows := 0
	for i, p := range parts {
		if p.text != "" {
			kept[i] = true
			rows += lipgloss.Height(p.text)
		}
	}
	for rows > h {
		drop := -1
		for i, p := range parts {
			if kept[i] && p.keep < keepPrompt && (drop < 0 || p.keep <= parts[drop].keep) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		kept[drop] = false
		rows -= lipgloss.Height(parts[drop].text)
	}
	var out []string
	for i, p := range parts {
		if kept[i] {
			out = append(out, p.text)
		}
	}
	return strings.Join(out, "\n")
}

// prompt is what the bench waits for, wrapped rather than cut.
func prompt(c ui.Context, text string, w int) string {
	return c.Styles.Prompt.Width(w).Render("▶ " + text)
}

// big is word in the block font, twice as wide when there is room.
func big(word string, w int) string {
	if b := ui.BigText(word, w, 2); b != "" {
		return b
	}
	return ui.BigText(word, w, 1)
}

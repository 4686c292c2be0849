package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// Part is a block of a screen. When the screen is short of rows, the
// parts with the lowest Keep go first; a part at KeepPrompt never goes.
type Part struct {
	Text string
	Keep int
}

// KeepPrompt is the Keep of what the operator must do now.
const KeepPrompt = 100

// Fit joins the parts that fit in h rows, in order.
func Fit(h int, parts ...Part) string {
	kept := Fitting(h, parts)
	var out []string
	for i, p := range parts {
		if kept[i] {
			out = append(out, p.Text)
		}
	}
	return strings.Join(out, "\n")
}

// Fitting says which parts fit in h rows. A part with no text is no part.
func Fitting(h int, parts []Part) []bool {
	kept := make([]bool, len(parts))
	rows := 0
	for i, p := range parts {
		if p.Text != "" {
			kept[i] = true
			rows += lipgloss.Height(p.Text)
		}
	}
	for rows > h {
		drop := -1
		for i, p := range parts {
			if kept[i] && p.Keep < KeepPrompt && (drop < 0 || p.Keep <= parts[drop].Keep) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		kept[drop] = false
		rows -= lipgloss.Height(parts[drop].Text)
	}
	return kept
}

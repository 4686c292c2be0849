package ui

// Pieces of the side panel and the screens every page may use.

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
)

// DemoPIN is the panel line that tells a demo newcomer badge's PIN, or ""
// outside the demo or for a badge without one.
func DemoPIN(c Context, badge string) string {
	pin, ok := c.Opts.PINs[badge]
	if !c.Opts.Demo || !ok {
		return ""
	}
	return c.Styles.Muted.Render("demo PIN: ") + c.Styles.Value.Render(floor.Printable(pin)) + "\n"
}

// DemoBadges is the panel's NEXT at a demo's login: the badges to type.
func DemoBadges(c Context) string {
	var b strings.Builder
	b.WriteString("Type a badge, Enter:\n")
	for _, badge := range c.Opts.Badges {
		b.WriteString("  " + c.Styles.Value.Render(floor.Printable(badge)) + "\n")
	}
	return b.String()
}

// Centred is a big word (in the block font when there is room) over a
// line of text wrapped to w: a bench between tasks (WAVE DONE, NO WORK).
func Centred(c Context, word string, w, h int, line string) string {
	var b strings.Builder
	if big := BigText(word, w, 1); big != "" && h >= 9 {
		b.WriteString(c.Styles.Big.Render(big) + "\n\n")
	} else {
		b.WriteString(c.Styles.Big.Render(word) + "\n\n")
	}
	b.WriteString(lipgloss.NewStyle().Width(w).Render(line) + "\n")
	return b.String()
}

// OrDash is s made printable, or a dash when it is empty.
func OrDash(s string) string {
	if s == "" {
		return "—"
	}
	return floor.Printable(s)
}

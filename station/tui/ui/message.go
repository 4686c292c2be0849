package ui

// The message line: the latest feedback, at most two lines.

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
)

// MessageLine is the latest feedback, at most two lines, coloured by its
// level.
func MessageLine(st *Styles, fb floor.Feedback, w int) string {
	msg := floor.Printable(fb.Message)
	if msg == "" {
		return st.Muted.Width(w).Render(" ")
	}
	style := st.Info
	mark := "  "
	switch fb.Level {
	case floor.OK:
		style, mark = st.OK, "✔ "
	case floor.Warn:
		style, mark = st.Warn, "! "
	case floor.Error:
		style, mark = st.Error, "✖ "
	}
	// At most two lines, so the screen never scrolls.
	lines := WrapIn(mark+msg, w-2, 2)
	if len(lines) > 2 {
		lines = lines[:2]
		pad := strings.Repeat(" ", max(0, w-2-ansi.StringWidth(lines[1])))
		lines[1] = ansi.Truncate(lines[1]+pad, w-3, "…")
	}
	return style.Width(w).Padding(0, 1).Render(strings.Join(lines, "\n"))
}

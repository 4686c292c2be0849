package tui

// The message line: the latest feedback, at most two lines.

import (
	"github.com/totewms/tote/station/tui/ui"

	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
)

func (m Model) feedbackBlock(w int) string {
	msg := floor.Printable(m.feedback.Message)
	if msg == "" {
		return m.st.Muted.Width(w).Render(" ")
	}
	style := m.st.Info
	mark := "  "
	switch m.feedback.Level {
	case floor.OK:
		style, mark = m.st.OK, "✔ "
	case floor.Warn:
		style, mark = m.st.Warn, "! "
	case floor.Error:
		style, mark = m.st.Error, "✖ "
	}
	// At most two lines, so the screen never scrolls.
	lines := ui.WrapIn(mark+msg, w-2, 2)
	if len(lines) > 2 {
		lines = lines[:2]
		pad := strings.Repeat(" ", max(0, w-2-ansi.StringWidth(lines[1])))
		lines[1] = ansi.Truncate(lines[1]+pad, w-3, "…")
	}
	return style.Width(w).Padding(0, 1).Render(strings.Join(lines, "\n"))
}

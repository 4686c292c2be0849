package tui

// The scan line: what is being typed or scanned.

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
)

func (m Model) inputLine(w int, prompt string) string {
	line := string(m.line)
	if m.secret() {
		line = strings.Repeat("•", len(m.line))
	}
	line = floor.Printable(line)
	// Keep the end of a long line visible: that is where typing happens.
	room := w - 3
	if ansi.StringWidth(line) > room {
		line = "…" + ansi.TruncateLeft(line, ansi.StringWidth(line)-room+1, "")
	}
	return prompt + line + "█"
}

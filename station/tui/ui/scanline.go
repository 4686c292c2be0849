package ui

// The scan line: what is being typed or scanned.

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
)

// ScanLine is what is being typed or scanned after the prompt, bullets
// for a PIN (secret), the end kept in view on a long line.
func ScanLine(typed []rune, secret bool, w int, prompt string) string {
	line := string(typed)
	if secret {
		line = strings.Repeat("•", len(typed))
	}
	line = floor.Printable(line)
	// Keep the end of a long line visible: that is where typing happens.
	room := w - 3
	if ansi.StringWidth(line) > room {
		line = "…" + ansi.TruncateLeft(line, ansi.StringWidth(line)-room+1, "")
	}
	return prompt + line + "█"
}

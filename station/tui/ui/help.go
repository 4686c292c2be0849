package ui

// The help line: the keys that work at this step.

import (
	"slices"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

// HelpLine is the keys that work now (the page's, F1 first) on one line of
// w cells, with narrowSep between them on a narrow screen ("" keeps h's).
func HelpLine(h help.Model, keys []key.Binding, narrowSep string, w int) string {
	help := h        // this line's own: the shared one stays as it was made
	help.SetWidth(0) // measured here: help's own cut drops the last keys, F10 among them
	if w < 60 && narrowSep != "" {
		help.ShortSeparator = narrowSep
	}
	line := help.ShortHelpView(keys)
	// When the row is too narrow, whole keys go, the least needed first
	// (the last of equals first): F1 (which lists every key), Esc, F5 and
	// F10 stay, so short, complete and logout are always reachable.
	for ansi.StringWidth(line) > w && len(keys) > 1 {
		drop := len(keys) - 1
		for i := len(keys) - 1; i >= 0; i-- {
			if keyRank(keys[i]) < keyRank(keys[drop]) {
				drop = i
			}
		}
		keys = slices.Delete(slices.Clone(keys), drop, drop+1)
		line = help.ShortHelpView(keys) + " …"
	}
	return line
}

// keyRank is how much a key must stay on a narrow help line.
func keyRank(k key.Binding) int {
	switch k.Help().Key {
	case "F1", "Esc", "F5", "F10":
		return 3
	case "F6", "F7", "F8", "Tab":
		return 2
	case "F2":
		return 1
	}
	return 0
}

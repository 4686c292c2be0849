package tui

// The help line: the keys that work at this step.

import (
	"slices"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"
)

func (m Model) keyLine(w int) string {
	help := *m.help  // this line's own: the shared one stays as New made it
	help.SetWidth(0) // measured here: help's own cut drops the last keys, F10 among them
	keys, sep := m.page.Keys(m.ctx(), w)
	if w < 60 && sep != "" {
		help.ShortSeparator = sep
	}
	if m.refusalShown() {
		keys = append([]key.Binding{keys[0], m.keys.Noted}, keys[1:]...)
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
	case "F6", "F7", "F8":
		return 2
	case "F2":
		return 1
	}
	return 0
}

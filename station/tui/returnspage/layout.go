package returnspage

import "github.com/totewms/tote/station/tui/ui"

// part is a block of a screen (ui.Fit drops the lowest keep first).
type part = ui.Part

const (
	keepPrompt = ui.KeepPrompt // what to do now: never dropped
	keepHead   = 90
	keepMain   = 60
	keepDetail = 40
	keepExtra  = 20
	blank      = " "
)

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

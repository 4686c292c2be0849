package packpage

// The pack page's weight-mismatch screen.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
)

func (m view) mismatchScreen(w, h int) string {
	s := m.pack
	c, _ := s.OpenCarton()
	var word string
	if b := ui.BigText("WEIGHT OFF", w, 1); b != "" {
		word = m.st.ErrorText.Render(b)
	}
	off := c.WeightG - c.ExpectedG
	dir := "over"
	if off < 0 {
		dir, off = "under", -off
	}
	facts := lipgloss.NewStyle().Width(w).Render(fmt.Sprintf("Carton %d weighs %s, expected %s ± %s: %s %s",
		c.No, grams(c.WeightG), grams(c.ExpectedG), grams(c.ToleranceG), grams(off), dir))
	how, again := "scale", "put it back on the scale"
	reading := m.scaleLine(weighing{carton: c, expected: c.ExpectedG, tol: c.ToleranceG, known: c.ExpectedG > 0}, w)
	if !s.HasScale {
		how, again, reading = "type", "type the weight again", ""
	}
	choice := func(k, what, why string) string {
		if w < 60 {
			return fmt.Sprintf("  %-6s %s", k, what)
		}
		return fmt.Sprintf("  %-6s %-13s %s", k, what, m.st.Muted.Render(why))
	}
	choices := strings.Join([]string{
		choice(how, "weigh again", again),
		choice("F7", "REOPEN", "take everything out, verify it again"),
		choice("F8", "OVERRIDE", "a supervisor accepts "+grams(c.WeightG)),
		choice("box", "another box", "scan it, then weigh again"),
		choice("Esc", "keep it open", "add or take out units"),
	}, "\n")
	return ui.Fit(h,
		part{Text: m.st.Error.Width(w).Render(" WEIGHT OFF · carton " + strconv.Itoa(c.No) + " · order " + floor.Printable(s.Order.ID)), Keep: keepAlert},
		part{Text: word, Keep: keepExtra},
		part{Text: facts, Keep: keepHead},
		part{Text: reading, Keep: keepDetail},
		part{Text: choices, Keep: keepMain},
		part{Text: m.prompt("Weigh again, F7 reopen, F8 override or scan another box", w), Keep: keepPrompt},
	)
}

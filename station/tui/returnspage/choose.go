package returnspage

// The choice screen: the unit in hand, and the step's choices (its
// condition, why it came back, what becomes of it), each with its key
// and command barcode; a choice refused for the unit is dimmed.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/returns"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) chooseScreen(c ui.Context, w, h int) string {
	st, s := c.Styles, p.s
	hand := s.Hand
	if hand == nil || s.Return == nil {
		return p.itemScreen(c, w, h)
	}
	head := map[returns.Step]string{returns.StepCondition: "CONDITION?", returns.StepReason: "WHY BACK?", returns.StepDisposition: "WHAT BECOMES OF IT?"}[s.Step]
	unit := st.Value.Render(ansi.Truncate(fmt.Sprintf("%s · line %d", floor.Printable(orElse(hand.Name, hand.SKU)), hand.Line), w, "…"))
	var so []string
	if hand.Condition != "" {
		so = append(so, floor.Words(hand.Condition))
	}
	if hand.Reason != "" {
		so = append(so, floor.Words(hand.Reason))
	}
	var sofar string
	if len(so) > 0 {
		sofar = st.Muted.Render(ansi.Truncate(strings.Join(so, " · "), w, "…"))
	}
	var list strings.Builder
	for i, ch := range Choices(s) {
		if i > 0 {
			list.WriteString("\n")
		}
		row := ansi.Truncate(fmt.Sprintf("%s %-16s %s", st.Value.Render(fmt.Sprintf("F%d", i+2)), ch.Word, ch.Command.Barcode()), w, "…")
		if ch.Refused != "" {
			row = st.Muted.Render(ansi.Truncate(fmt.Sprintf("F%d %-16s not for a %s unit", i+2, ch.Word, floor.Words(hand.Condition)), w, "…"))
		}
		list.WriteString(row)
	}
	return ui.Fit(h,
		part{Text: title(c, s.Return, w), Keep: keepDetail},
		part{Text: st.Title.Render(head), Keep: keepHead},
		part{Text: unit, Keep: keepMain},
		part{Text: sofar, Keep: keepExtra},
		part{Text: blank, Keep: keepExtra},
		part{Text: list.String(), Keep: keepMain},
		part{Text: blank, Keep: keepExtra},
		part{Text: prompt(c, "Press a key, scan a command barcode or type the word · Esc puts it back", w), Keep: keepPrompt},
	)
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

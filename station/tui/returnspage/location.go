package returnspage

// The location screen: a restocked unit goes back to a location scanned.

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) locationScreen(c ui.Context, w, h int) string {
	st, s := c.Styles, p.s
	hand := s.Hand
	if hand == nil || s.Return == nil {
		return p.itemScreen(c, w, h)
	}
	unit := st.Value.Render(ansi.Truncate(fmt.Sprintf("%s · line %d", floor.Printable(orElse(hand.Name, hand.SKU)), hand.Line), w, "…"))
	so := st.Muted.Render(ansi.Truncate(fmt.Sprintf("%s · %s · restock", floor.Words(hand.Condition), floor.Words(hand.Reason)), w, "…"))
	word := ""
	if b := big("LOC", w); b != "" {
		word = st.Big.Render(b)
	}
	return ui.Fit(h,
		part{Text: title(c, s.Return, w), Keep: keepDetail},
		part{Text: st.Title.Render("RESTOCK"), Keep: keepHead},
		part{Text: unit, Keep: keepMain},
		part{Text: so, Keep: keepExtra},
		part{Text: blank, Keep: keepExtra},
		part{Text: word, Keep: keepExtra},
		part{Text: prompt(c, "Put it away and scan the location's label · Esc to choose again", w), Keep: keepPrompt},
	)
}

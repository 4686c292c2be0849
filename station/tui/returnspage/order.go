package returnspage

// The order screen: which order the parcel came back for (its SSCC, the
// order number, or the RMA first), and the return finished last.

import (
	"fmt"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/returns"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) orderScreen(c ui.Context, w, h int) string {
	st, s := c.Styles, p.s
	var rma, last string
	if s.RMA != "" {
		rma = st.Value.Render(ansi.Truncate("RMA "+floor.Printable(s.RMA), w, "…"))
	}
	if l := s.Last; l != nil {
		last = st.Muted.Render(ansi.Truncate(fmt.Sprintf("Last: return %s of %s, %d units", l.ID, floor.Printable(l.Order), l.Units), w, "…"))
	}
	return ui.Fit(h,
		part{Text: st.Title.Render("RETURN: WHICH ORDER?"), Keep: keepHead},
		part{Text: blank, Keep: keepExtra},
		part{Text: rma, Keep: keepMain},
		part{Text: prompt(c, returns.Capital(returns.Prompt(s)), w), Keep: keepPrompt},
		part{Text: blank, Keep: keepExtra},
		part{Text: last, Keep: keepDetail},
	)
}

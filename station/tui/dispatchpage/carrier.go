package dispatchpage

// The carrier screen: which carrier's pickup to load, and the pickup
// closed last.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/dispatch"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) carrierScreen(c ui.Context, w, h int) string {
	st, s := c.Styles, p.s
	var list strings.Builder
	if len(s.Carriers) == 0 {
		list.WriteString(st.Muted.Render("No parcel waits for a carrier"))
	}
	for i, name := range s.Carriers {
		if i > 0 {
			list.WriteString("\n")
		}
		list.WriteString(ansi.Truncate(fmt.Sprintf("%s %s", st.Value.Render(fmt.Sprintf("%2d", i+1)), floor.Printable(name)), w, "…"))
	}
	var last string
	if m := s.Closed; m != nil {
		last = st.Muted.Render(ansi.Truncate(fmt.Sprintf("Last: %s (%s) left with %d parcels", m.Pickup, floor.Printable(m.Carrier), len(m.SSCCs)), w, "…"))
	}
	ask := dispatch.CarrierPrompt(s.Carriers)
	return ui.Fit(h,
		part{Text: st.Title.Render("CHOOSE CARRIER"), Keep: keepHead},
		part{Text: blank, Keep: keepExtra},
		part{Text: list.String(), Keep: keepMain},
		part{Text: blank, Keep: keepExtra},
		part{Text: prompt(c, strings.ToUpper(ask[:1])+ask[1:], w), Keep: keepPrompt},
		part{Text: last, Keep: keepDetail},
	)
}

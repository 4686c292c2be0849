package tui

// The dispatch page's carrier screen: which carrier's pickup to load, and
// the pickup closed last.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/dispatch"
)

func (m Model) carrierScreen(w, h int) string {
	s := m.dispatch
	var list strings.Builder
	if len(s.Carriers) == 0 {
		list.WriteString(m.st.Muted.Render("No parcel waits for a carrier"))
	}
	for i, c := range s.Carriers {
		if i > 0 {
			list.WriteString("\n")
		}
		list.WriteString(ansi.Truncate(fmt.Sprintf("%s %s", m.st.Value.Render(fmt.Sprintf("%2d", i+1)), floor.Printable(c)), w, "…"))
	}
	var last string
	if c := s.Closed; c != nil {
		last = m.st.Muted.Render(ansi.Truncate(fmt.Sprintf("Last: %s (%s) left with %d parcels", c.Pickup, floor.Printable(c.Carrier), len(c.SSCCs)), w, "…"))
	}
	return fit(h,
		part{m.st.Title.Render("CHOOSE CARRIER"), keepHead},
		part{blank, keepExtra},
		part{list.String(), keepMain},
		part{blank, keepExtra},
		part{m.prompt(capitalise(dispatch.CarrierPrompt(s.Carriers)), w), keepPrompt},
		part{last, keepDetail},
	)
}

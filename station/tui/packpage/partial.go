package packpage

// The pack page's partial-shipment screen.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
)

// partialScreen asks before a partial shipment: what ships, what becomes
// a back order.
func (m view) partialScreen(w, h int) string {
	s := m.pack
	verified, ordered := 0, 0
	var back []string
	for _, l := range s.Order.Lines {
		v := s.Verified(l.LineNo)
		verified += v
		ordered += l.Ordered
		if v < l.Ordered {
			back = append(back, fmt.Sprintf("%d × %s", l.Ordered-v, floor.Printable(l.SKU)))
		}
	}
	return ui.Fit(h,
		part{Text: m.orderHead(w), Keep: keepHead},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.st.Big.Render("SHIP PARTIAL?"), Keep: keepMain},
		part{Text: lipgloss.NewStyle().Width(w).Render(fmt.Sprintf("%s of %d ship now in %s. Back order: %s.",
			units(verified), ordered, cartons(len(s.Cartons)), strings.Join(back, ", "))), Keep: keepDetail},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.prompt("Enter, CMD:OK or F6 ships partial · Esc goes on packing", w), Keep: keepPrompt},
	)
}

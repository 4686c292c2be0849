package packpage

// The pack page's set-aside screen.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
)

func (m view) setAsideScreen(w, h int) string {
	s := m.pack
	verified, _ := s.Progress()
	return ui.Fit(h,
		part{Text: m.orderHead(w), Keep: keepHead},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.st.Big.Render("PUT ASIDE?"), Keep: keepMain},
		part{Text: lipgloss.NewStyle().Width(w).Render(fmt.Sprintf("Order %s goes back unpacked: what was verified (%s in %s) is forgotten. Unpack the cartons back into the tote.",
			floor.Printable(s.Order.ID), units(verified), cartons(len(s.Cartons)))), Keep: keepDetail},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.prompt("Enter or CMD:OK puts it aside · Esc goes on packing", w), Keep: keepPrompt},
	)
}

package packpage

// The pack page's set-aside screen.

import (
	"fmt"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
)

func (m view) setAsideScreen(w, h int) string {
	s := m.pack
	verified, _ := s.Progress()
	return fit(h,
		part{m.orderHead(w), keepHead},
		part{blank, keepExtra},
		part{m.st.Big.Render("PUT ASIDE?"), keepMain},
		part{lipgloss.NewStyle().Width(w).Render(fmt.Sprintf("Order %s goes back unpacked: what was verified (%s in %s) is forgotten. Unpack the cartons back into the tote.",
			floor.Printable(s.Order.ID), units(verified), cartons(len(s.Cartons)))), keepDetail},
		part{blank, keepExtra},
		part{m.prompt("Enter or CMD:OK puts it aside · Esc goes on packing", w), keepPrompt},
	)
}

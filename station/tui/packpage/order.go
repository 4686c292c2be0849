package packpage

// The pack page's order screen: scan a tote, an order or a pick ticket.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"

	"github.com/totewms/tote/internal/floor"
)

func (m view) orderScreen(w, h int) string {
	var last string
	if n := len(m.labels); n > 0 {
		l := m.labels[0]
		last = m.st.Muted.Render(fmt.Sprintf("Last: %s for %s, %s", floor.Printable(l.Shipment), floor.Printable(l.Customer), cartons(n)))
	}
	word := ""
	if b := big("SCAN ORDER", w); b != "" {
		word = m.st.Big.Render(b)
	}
	return ui.Fit(h,
		part{Text: m.st.Title.Render("NEXT ORDER"), Keep: keepHead},
		part{Text: blank, Keep: keepExtra},
		part{Text: word, Keep: keepExtra},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.prompt("Scan a tote, an order number or a pick ticket", w), Keep: keepPrompt},
		part{Text: last, Keep: keepDetail},
	)
}

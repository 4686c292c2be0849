package packpage

// The pack page's order screen: scan a tote, an order or a pick ticket.

import (
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
	return fit(h,
		part{m.st.Title.Render("NEXT ORDER"), keepHead},
		part{blank, keepExtra},
		part{word, keepExtra},
		part{blank, keepExtra},
		part{m.prompt("Scan a tote, an order number or a pick ticket", w), keepPrompt},
		part{last, keepDetail},
	)
}

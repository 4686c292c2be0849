package packpage

// The pack page's held-order screen.

import (
	"github.com/totewms/tote/station/tui/ui"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
)

func (m view) heldScreen(w, h int) string {
	s := m.pack
	o := s.Order
	word, reason := "HOLD", "ON HOLD: "+holdText(o.Holds)
	if o.Status == floor.OrderCancelled {
		word, reason = "CANCELLED", "CANCELLED by the office"
	}
	var bigWord string
	if b := big(word, w); b != "" {
		bigWord = m.st.ErrorText.Render(b)
	} else {
		bigWord = m.st.ErrorText.Render(word)
	}
	loc := s.Holding()
	var bigLoc string
	if b := ui.BigText(loc, w, 1); b != "" {
		bigLoc = m.st.Big.Render(b)
	}
	verified, _ := s.Progress()
	help := ""
	if o.Status != floor.OrderCancelled {
		k := "F5"
		if s.Finishing == pack.FinishPartial {
			k = "F6"
		}
		help = m.st.Muted.Render("Hold lifted by the office? " + k + " tries the labels again")
	}
	return ui.Fit(h,
		part{Text: m.orderHead(w), Keep: keepHead},
		part{Text: bigWord, Keep: keepAlert},
		part{Text: m.st.Error.Width(w).Render(ansi.Truncate(" NO LABEL · "+reason, w, "…")), Keep: keepMain},
		part{Text: m.st.Label.Render("TAKE THE GOODS TO ") + m.st.Value.Render(loc) + m.st.Muted.Render("  "+cartons(len(s.Cartons))+", "+units(verified)), Keep: keepMain},
		part{Text: bigLoc, Keep: keepExtra},
		part{Text: m.prompt("Take the goods to "+loc+", then press Enter", w), Keep: keepPrompt},
		part{Text: help, Keep: keepDetail},
	)
}

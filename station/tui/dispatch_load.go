package tui

// The dispatch page's load screen: the open pickup, its count in big
// figures (read from across the dock), the last parcels loaded.

import (
	"fmt"
	"strconv"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
)

func (m Model) loadScreen(w, h int) string {
	p := m.dispatch.Pickup
	n := len(p.Parcels)
	title := spread(m.st.Title.Render("PICKUP ")+m.st.Value.Render(p.ID), m.st.Value.Render(floor.Printable(p.Carrier)), w)
	if ansi.StringWidth(title) > w {
		title = ansi.Truncate(title, w, "…")
	}
	count := m.st.Value.Render(strconv.Itoa(n)) + m.st.Muted.Render(" parcels loaded")
	if n == 1 {
		count = m.st.Value.Render("1") + m.st.Muted.Render(" parcel loaded")
	}
	word := ""
	if b := big(strconv.Itoa(n), w); b != "" {
		word = m.st.Big.Render(b)
	}
	var last string
	if n > 0 {
		x := p.Parcels[n-1]
		last = m.st.Muted.Render(ansi.Truncate(fmt.Sprintf("Last: %s · %s", x.SSCC, floor.Printable(x.Order)), w, "…"))
	}
	return fit(h,
		part{title, keepHead},
		part{count, keepMain},
		part{blank, keepExtra},
		part{word, keepExtra},
		part{blank, keepExtra},
		part{m.prompt("Scan the next parcel's SSCC · F4 closes the pickup", w), keepPrompt},
		part{last, keepDetail},
	)
}

// parcelsPanel lists the pickup's parcels, newest first, for wide screens.
func (m Model) parcelsPanel(w int) string {
	p := m.dispatch.Pickup
	out := m.st.Title.Render("ON THE PICKUP") + "\n"
	if len(p.Parcels) == 0 {
		return out + m.st.Muted.Render("none yet") + "\n"
	}
	for i := len(p.Parcels) - 1; i >= 0 && len(p.Parcels)-i <= 12; i-- {
		x := p.Parcels[i]
		out += ansi.Truncate(fmt.Sprintf("%3d %s", i+1, x.SSCC), w, "…") + "\n"
		out += m.st.Muted.Render(ansi.Truncate("    "+floor.Printable(x.Order), w, "…")) + "\n"
	}
	return out
}

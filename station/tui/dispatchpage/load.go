package dispatchpage

// The load screen: the open pickup, its count in big figures (read from
// across the dock), the last parcel loaded; the parcels beside it on a
// wide screen.

import (
	"fmt"
	"strconv"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) loadScreen(c ui.Context, w, h int) string {
	st, pu := c.Styles, p.s.Pickup
	n := len(pu.Parcels)
	title := ui.Spread(st.Title.Render("PICKUP ")+st.Value.Render(pu.ID), st.Value.Render(floor.Printable(pu.Carrier)), w)
	if ansi.StringWidth(title) > w {
		title = ansi.Truncate(title, w, "…")
	}
	count := st.Value.Render(strconv.Itoa(n)) + st.Muted.Render(" parcels loaded")
	if n == 1 {
		count = st.Value.Render("1") + st.Muted.Render(" parcel loaded")
	}
	word := ""
	if b := big(strconv.Itoa(n), w); b != "" {
		word = st.Big.Render(b)
	}
	var last string
	if n > 0 {
		x := pu.Parcels[n-1]
		last = st.Muted.Render(ansi.Truncate(fmt.Sprintf("Last: %s · %s", x.SSCC, floor.Printable(x.Order)), w, "…"))
	}
	return ui.Fit(h,
		part{Text: title, Keep: keepHead},
		part{Text: count, Keep: keepMain},
		part{Text: blank, Keep: keepExtra},
		part{Text: word, Keep: keepExtra},
		part{Text: blank, Keep: keepExtra},
		part{Text: prompt(c, "Scan the next parcel's SSCC · F4 closes the pickup", w), Keep: keepPrompt},
		part{Text: last, Keep: keepDetail},
	)
}

// parcelsPanel lists the pickup's parcels, newest first.
func (p Page) parcelsPanel(c ui.Context, w int) string {
	st, pu := c.Styles, p.s.Pickup
	out := st.Title.Render("ON THE PICKUP") + "\n"
	if len(pu.Parcels) == 0 {
		return out + st.Muted.Render("none yet") + "\n"
	}
	for i := len(pu.Parcels) - 1; i >= 0 && len(pu.Parcels)-i <= 12; i-- {
		x := pu.Parcels[i]
		out += ansi.Truncate(fmt.Sprintf("%3d %s", i+1, x.SSCC), w, "…") + "\n"
		out += st.Muted.Render(ansi.Truncate("    "+floor.Printable(x.Order), w, "…")) + "\n"
	}
	return out
}

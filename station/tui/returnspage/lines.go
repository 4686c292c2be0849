package returnspage

// Beside the screen on a wide terminal: the order's lines, what shipped,
// what came back before and in this return.

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) linesPanel(c ui.Context, w int) string {
	st, r := c.Styles, p.s.Return
	var b strings.Builder
	b.WriteString(st.Title.Render("ORDER "+floor.Printable(r.Order.Order)) + "\n")
	b.WriteString(st.Muted.Render(ansi.Truncate("ln SKU          sent back now", w, "…")) + "\n")
	for _, l := range r.Order.Lines {
		now := 0
		for _, x := range r.Received {
			if x.Line == l.Line {
				now += x.Qty
			}
		}
		row := ansi.Truncate(fmt.Sprintf("%2d %-12s %4d %4d %3d", l.Line, floor.Printable(l.SKU), l.Shipped, l.Returned, now), w, "…")
		if r.Left(l) == 0 {
			row = st.Muted.Render(row)
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}

package supervisepage

import (
	"fmt"

	"github.com/totewms/tote/sync/protocol"
)

// One wave's orders: late ones first, then by order.
func (b Board) orders(w int) []string {
	p := b.Wave.Progress
	out := []string{fmt.Sprintf("%s · %d/%d units picked · %d late", plural(p.Orders, "order"), p.Picked, p.Units, p.Late), ""}
	if w >= 60 {
		out = append(out, fmt.Sprintf("  %-14s %-12s %-6s %-9s %s", "ORDER", "STATE", "LINES", "UNITS", "SHIP BY"))
	}
	// Late orders first; the cursor counts the lines as shown.
	var shown []protocol.OrderProgress
	for _, o := range b.Wave.Orders {
		if o.Late {
			shown = append(shown, o)
		}
	}
	for _, o := range b.Wave.Orders {
		if !o.Late {
			shown = append(shown, o)
		}
	}
	for i, o := range shown {
		by := "—"
		if o.ShipBy != nil {
			by = o.ShipBy.UTC().Format("15:04")
		}
		flag := ""
		if o.Late {
			flag = " LATE"
		}
		var line string
		if w >= 60 {
			line = cursor(i == b.Cursor) + fmt.Sprintf("%-14s %-12s %d/%-4d %3d/%-5d %s%s", o.Order, o.State, o.LinesDone, o.Lines, o.Picked, o.Units, by, flag)
		} else {
			line = cursor(i == b.Cursor) + fmt.Sprintf("%s %s %d/%d%s", o.Order, o.State, o.Picked, o.Units, flag)
		}
		out = append(out, line)
	}
	return out
}

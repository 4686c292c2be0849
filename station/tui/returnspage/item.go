package returnspage

// The item screen: the return open, its units so far in big figures,
// what may still come back, and the last unit recorded.

import (
	"fmt"
	"strconv"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/returns"
	"github.com/totewms/tote/station/tui/ui"
)

func (p Page) itemScreen(c ui.Context, w, h int) string {
	st, r := c.Styles, p.s.Return
	if r == nil {
		return p.orderScreen(c, w, h)
	}
	n := r.Units()
	left := 0
	for _, l := range r.Order.Lines {
		left += r.Left(l)
	}
	word := ""
	if b := big(strconv.Itoa(n), w); b != "" {
		word = st.Big.Render(b)
	}
	count := st.Value.Render(strconv.Itoa(n)) + st.Muted.Render(fmt.Sprintf(" back · %d more may come back", left))
	var last string
	if k := len(r.Received); k > 0 {
		x := r.Received[k-1]
		where := floor.Words(x.Disposition)
		if x.Location != "" {
			where += " " + x.Location
		}
		last = st.Muted.Render(ansi.Truncate(fmt.Sprintf("Last: %s · %s · %s", floor.Printable(x.SKU), floor.Words(x.Condition), where), w, "…"))
	}
	ask := returns.Capital(returns.Prompt(p.s))
	if n > 0 {
		ask += " (F4)"
	}
	return ui.Fit(h,
		part{Text: title(c, r, w), Keep: keepHead},
		part{Text: count, Keep: keepMain},
		part{Text: blank, Keep: keepExtra},
		part{Text: word, Keep: keepExtra},
		part{Text: blank, Keep: keepExtra},
		part{Text: prompt(c, ask, w), Keep: keepPrompt},
		part{Text: last, Keep: keepDetail},
	)
}

// title is the return's head line: its id and order, and its RMA.
func title(c ui.Context, r *returns.Return, w int) string {
	st := c.Styles
	right := floor.Printable(r.Order.Order)
	if r.RMA != "" {
		right += " · " + floor.Printable(r.RMA)
	}
	t := ui.Spread(st.Title.Render("RETURN ")+st.Value.Render(r.ID), st.Value.Render(right), w)
	if ansi.StringWidth(t) > w {
		t = ansi.Truncate(t, w, "…")
	}
	return t
}

package pickpage

// The pick page's view beside the task on a wide screen: the walk ahead.

import (
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/floor"
)

// upcoming lists the tasks after the current one in walk order.
func (m view) upcoming(w, h int) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("NEXT UP") + "\n")
	seen := false
	n := 0
	for _, t := range m.state.Tasks.All() {
		if t.ID == m.state.Current {
			seen = true
			continue
		}
		if !seen || t.Status.Done() {
			continue
		}
		if n++; n > h-2 {
			break
		}
		line := fmt.Sprintf("%-10s %3d × %s", floor.Printable(t.Location), t.Remaining(), floor.Printable(t.SKU))
		b.WriteString(m.st.Muted.Render(line) + "\n")
	}
	if n == 0 {
		b.WriteString(m.st.Muted.Render("nothing after this task") + "\n")
	}
	return b.String()
}

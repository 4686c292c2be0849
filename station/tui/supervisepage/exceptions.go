package supervisepage

import (
	"fmt"
	"time"
)

func secs(n int64) time.Duration { return time.Duration(n) * time.Second }

// Exceptions, oldest first, with their age.
func (b Board) exceptions(w int) []string {
	if len(b.Site.Exceptions) == 0 {
		return []string{"", "No exception waits."}
	}
	var out []string
	for i, e := range b.Site.Exceptions {
		age := ago(b.Now.Sub(e.At))
		head := cursor(i == b.Cursor) + fmt.Sprintf("#%d %s %s", e.ID, e.Kind, e.Order)
		out = append(out, spread(head, age+" · "+e.Station, w))
		if w >= 60 {
			out = append(out, "    "+e.Reason)
		}
	}
	return out
}

package supervisepage

import (
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

func secs(n int64) time.Duration { return time.Duration(n) * time.Second }

// Exceptions, oldest first, from every station, with their age; the
// chosen one lists the actions that resolve it (R, or CMD:SUP-RESOLVE).
// The floor's own (short picks, holds at pack, labels…) are numbered
// #F…, the hub's conflicts #….
func (b Board) exceptions(w int) []string {
	if len(b.Site.Exceptions) == 0 {
		return []string{"", "No exception waits."}
	}
	var out []string
	for i, e := range b.Site.Exceptions {
		age := ago(b.Now.Sub(e.At))
		head := cursor(i == b.Cursor) + fmt.Sprintf("%s %s %s", ExceptionRef(e), floor.ExceptionWords(e.Kind), e.Order)
		out = append(out, spread(head, age+" · "+e.Station, w))
		if w >= 60 {
			out = append(out, "    "+e.Reason)
			if i == b.Cursor {
				out = append(out, clip("    resolve: "+resolveWith(e), w))
			}
		}
	}
	return out
}

// ExceptionRef is how the screens number an exception: #F12 for one the
// hub raised from the floor, #12 for a conflict.
func ExceptionRef(e protocol.Conflict) string {
	if e.Source == floor.SourceFloor {
		return fmt.Sprintf("#F%d", e.ID)
	}
	return fmt.Sprintf("#%d", e.ID)
}

// resolveWith lists the actions that resolve e, in words.
func resolveWith(e protocol.Conflict) string {
	if e.Source != floor.SourceFloor {
		return "read the conflict, then any action with a reason, or void"
	}
	return strings.ReplaceAll(strings.Join(floor.FittingActions(e.Source, e.Kind), " · "), "_", " ")
}

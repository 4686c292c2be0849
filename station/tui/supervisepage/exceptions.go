package supervisepage

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

func secs(n int64) time.Duration { return time.Duration(n) * time.Second }

// Exceptions, oldest first, from every station, with their age; the
// chosen one lists the actions that resolve it (F6, Enter or CMD:SUP-RESOLVE resolves it).
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
	var words []string
	for _, a := range floor.FittingActions(e.Source, e.Kind) {
		words = append(words, floor.ActionWords(a))
	}
	return strings.Join(words, " · ")
}

// resolving is the resolution under way: the exception, the actions that
// fit it (the chosen one marked, or the one taken), what it asks now.
func (b Board) resolving(w int) []string {
	r := b.Resolve
	e := r.Exception
	out := []string{clip(fmt.Sprintf("%s %s %s", ExceptionRef(e), floor.ExceptionWords(e.Kind), e.Order), w)}
	if w >= 60 {
		out = append(out, clip("  "+e.Reason, w), clip(fmt.Sprintf("  met at %s, %s ago", e.Station, ago(b.Now.Sub(e.At))), w))
	}
	out = append(out, "", "Action:")
	for i, a := range r.Actions {
		mark := cursor(r.Action == "" && i == r.Cursor)
		if r.Action != "" {
			if a != r.Action {
				continue
			}
			mark = "✓ "
		}
		out = append(out, clip(mark+floor.ActionWords(a), w))
	}
	if r.Target != "" {
		out = append(out, clip("  to "+r.Target, w))
	}
	out = append(out, "")
	for _, l := range strings.Split(ansi.Wordwrap(r.Ask, w, ""), "\n") {
		out = append(out, clip(l, w))
	}
	return out
}

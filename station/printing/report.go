package printing

import (
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/station/store"
)

// State is what a printer's queue is doing, as the operator sees it.
type State string

// Printer queue states.
const (
	StateIdle          State = "idle"           // nothing waiting
	StatePrinting      State = "printing"       // a label is going out
	StateHeld          State = "held"           // the printer is not ready: Problem, Instruction
	StateRetrying      State = "retrying"       // a send failed with nothing sent; tried again at RetryAt
	StateNotConfigured State = "not configured" // labels wait for a printer this station does not have
)

// Report is one printer's queue in words for the operator: why labels have
// not printed and what to do.
type Report struct {
	Printer     string
	State       State
	Problem     string    // what is wrong, e.g. "out of labels"; "" when nothing is
	Instruction string    // what to do, e.g. "load labels"
	Detail      string    // the error behind it, for the log and a supervisor
	RetryAt     time.Time // StateRetrying: when the next try is
	Waiting     int       // labels not printed yet (the one going out included)
	// InDoubt are labels that may or may not have printed: the operator
	// checks the printer, then reprints or confirms each.
	InDoubt []store.PrintJob
}

// String is the report on one line, e.g.
//
//	Printer ZEBRA-1: out of labels — load labels; 2 labels waiting
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Printer %s: ", r.Printer)
	switch {
	case r.Problem != "" && r.Instruction != "":
		fmt.Fprintf(&b, "%s — %s", r.Problem, r.Instruction)
	case r.Problem != "":
		b.WriteString(r.Problem)
	case r.State == StatePrinting:
		b.WriteString("printing")
	default:
		b.WriteString("nothing to print")
	}
	if r.State == StateRetrying && !r.RetryAt.IsZero() {
		fmt.Fprintf(&b, " (trying again at %s)", r.RetryAt.Local().Format("15:04:05"))
	}
	if r.Waiting > 0 {
		fmt.Fprintf(&b, "; %s waiting", labels(r.Waiting))
	}
	if n := len(r.InDoubt); n > 0 {
		refs := make([]string, 0, n)
		for _, j := range r.InDoubt {
			if j.Ref != "" {
				refs = append(refs, j.Ref)
			} else {
				refs = append(refs, fmt.Sprintf("job %d", j.ID))
			}
		}
		fmt.Fprintf(&b, "; %s may not have printed (%s) — check the printer, then reprint or confirm",
			labels(n), strings.Join(refs, ", "))
	}
	return b.String()
}

func labels(n int) string {
	if n == 1 {
		return "1 label"
	}
	return fmt.Sprintf("%d labels", n)
}

// same reports whether two reports would tell the operator the same.
func (r Report) same(o Report) bool {
	return r.State == o.State && r.Detail == o.Detail && r.String() == o.String()
}

// Package workflow is what every station workflow shares: the result of one
// input, the rejection that keeps the state exactly as it was (and
// journals why), badge and PIN sign-in, a supervisor's approval with a
// reason, and the command table. The workflows (station/pick,
// station/pack, and the benches to come) keep only their own rules.
//
// Like the workflows, it is pure: no I/O, no clock.
package workflow

import (
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// Result is what one input did: the new state, the events that record it,
// and what the operator sees and hears.
type Result[S any] struct {
	State    S
	Events   []floor.Event
	Feedback floor.Feedback
}

// Reject is the result of a refused input: the state before it, exactly,
// and one scan.rejected event recording the step, the input (clipped;
// the caller masks a typed PIN first), its kind and the reason, which is
// also what the operator reads, with the error tone.
func Reject[S any](before S, operator, step string, scan barcode.Meaning, reason string) Result[S] {
	return Result[S]{
		State: before,
		Events: []floor.Event{floor.NewEvent(floor.EvScanRejected, operator, floor.RejectPayload{
			Step: step, Input: Clip(floor.Printable(scan.Input)), Kind: string(scan.Kind), Reason: reason,
		})},
		Feedback: floor.Feedback{Level: floor.Error, Message: reason},
	}
}

// ScanReason is why a scan that is not what the step wants is refused: the
// interpreter's reason when it had one (a garbled scan says what is wrong
// with it), else what the step expected.
func ScanReason(m barcode.Meaning, expected string) string {
	if m.Err != nil {
		return Capitalise(m.Err.Error())
	}
	return expected
}

// CommandOf is the command an input carries: a key's, or a scanned
// command barcode's.
func CommandOf(key floor.Command, m barcode.Meaning) floor.Command {
	if key != "" {
		return key
	}
	if m.Kind == barcode.KindCommand && m.Err == nil {
		return floor.Command(m.Code)
	}
	return ""
}

// Text is a typed or scanned line taken as free text (a PIN, a quantity,
// a lot, a reason).
func Text(m barcode.Meaning) string { return strings.TrimSpace(m.Input) }

// Masked is what is journaled in place of a typed PIN.
const Masked = "****"

// Clip keeps a journaled input readable when a scanner sends garbage.
func Clip(s string) string {
	const limit = 256
	if len(s) <= limit {
		return s
	}
	return fmt.Sprintf("%s… (%d bytes)", strings.ToValidUTF8(s[:limit], ""), len(s))
}

// Capitalise upper-cases a message's first letter.
func Capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Commands is a workflow's command table: the commands its operators may
// give by key or by scanning CMD:<code>, in the order of the command sheet.
type Commands []floor.CommandInfo

// Has reports whether the table offers the command.
func (t Commands) Has(c floor.Command) bool {
	for _, x := range t {
		if x.Command == c {
			return true
		}
	}
	return false
}

// TypedNumber checks a lot or serial number typed (or scanned as plain
// text) at its prompt: 1 to 20 printable characters. what is "lot" or
// "serial"; a refusal's reason says the rule.
func TypedNumber(m barcode.Meaning, what string) (value, reason string) {
	value = Text(m)
	if value == "" || len(value) > 20 || strings.ContainsFunc(value, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", "A " + what + " number is 1 to 20 printable characters"
	}
	return value, ""
}

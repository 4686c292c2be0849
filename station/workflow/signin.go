package workflow

import (
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// Next is what a sign-in step leads to.
type Next int

const (
	Rejected Next = iota // refused: reject the input with Why (the state stays)
	Refused              // the operator may not work here: Event (operator.login_refused) is journaled, Why shown
	AskPIN               // Operator types their PIN next: prompt with Feedback
	SignedIn             // Operator is signed in
)

// SignIn is what one sign-in input decided.
type SignIn struct {
	Next     Next
	Operator floor.Operator // AskPIN, SignedIn: who
	Why      string         // Rejected, Refused: what the operator reads
	// Event is, for Refused, the journaled refusal; for a wrong PIN
	// (Rejected), the failure to journal beside the rejection
	// (operator.pin_failed or operator.badge_locked; Type "" otherwise).
	Event    floor.Event
	Feedback floor.Feedback // AskPIN: the prompt
}

// Badge decides a scan at a login prompt for work in role; allowed says
// whether the station offers the role. cmd is the input's command: a
// command is never a badge.
func Badge(cmd floor.Command, m barcode.Meaning, op *floor.Operator, role floor.Role, allowed bool) SignIn {
	if cmd != "" || m.Kind != barcode.KindBadge || m.Err != nil {
		return SignIn{Next: Rejected, Why: ScanReason(m, "Log in first: scan your badge")}
	}
	switch d, why := floor.BadgeSignIn(op, m.Code, role, allowed); d {
	case floor.SignInUnknown:
		return SignIn{Next: Rejected, Why: why}
	case floor.SignInRefused:
		return SignIn{Next: Refused, Why: why, Operator: *op,
			Event: floor.NewEvent(floor.EvLoginRefused, "", floor.LoginPayload{Badge: op.Badge, Name: op.Name})}
	case floor.SignInPIN:
		return SignIn{Next: AskPIN, Operator: *op, Feedback: askPIN(*op)}
	}
	return SignIn{Next: SignedIn, Operator: *op}
}

// PIN decides the PIN typed for the badge waiting at a PIN prompt (op is
// what the station found for that badge). The caller masks the typed PIN
// before it journals a rejection.
func PIN(op *floor.Operator, waiting, typed string) SignIn {
	if ok, why := floor.PINSignIn(op, waiting, typed); !ok {
		return pinRejected(op, waiting, why)
	}
	return SignIn{Next: SignedIn, Operator: *op}
}

// pinRejected is a refused PIN: a wrong PIN for a known, unlocked badge
// counts towards its lock (floor.PINFailure).
func pinRejected(op *floor.Operator, waiting, why string) SignIn {
	if op == nil || op.Badge != waiting || op.PIN.Locked {
		return SignIn{Next: Rejected, Why: why}
	}
	ev, why := floor.PINFailure(*op, "scan your badge again")
	return SignIn{Next: Rejected, Why: why, Event: ev}
}

// LoggedIn and LoggedOut are the session's journal events.
func LoggedIn(op floor.Operator) floor.Event {
	return floor.NewEvent(floor.EvLoggedIn, op.Badge, floor.LoginPayload{Badge: op.Badge, Name: op.Name})
}

func LoggedOut(op floor.Operator) floor.Event {
	return floor.NewEvent(floor.EvLoggedOut, op.Badge, floor.LoginPayload{Badge: op.Badge, Name: op.Name})
}

// Supervisor decides a scan at a "supervisor, scan your badge" prompt: a
// supervisor's badge signs in (AskPIN when they have a PIN); anything else
// is rejected. Cancel is the caller's to handle first.
func Supervisor(cmd floor.Command, m barcode.Meaning, op *floor.Operator) SignIn {
	switch {
	case cmd != "" || m.Kind != barcode.KindBadge || m.Err != nil:
		return SignIn{Next: Rejected, Why: ScanReason(m, "A supervisor must scan their badge, or cancel")}
	case op == nil:
		return SignIn{Next: Rejected, Why: "Unknown badge " + m.Code}
	case !op.Has(floor.RoleSupervisor):
		return SignIn{Next: Rejected, Why: fmt.Sprintf("%s is not a supervisor: a supervisor must scan their badge", op.Name)}
	case op.PIN.Locked:
		return SignIn{Next: Rejected, Why: op.PIN.LockedWhy(op.Name)}
	case op.PINHash != "":
		return SignIn{Next: AskPIN, Operator: *op, Feedback: askPIN(*op)}
	}
	return SignIn{Next: SignedIn, Operator: *op}
}

// SupervisorPIN decides the PIN typed by the supervisor whose badge
// waits. A wrong one sends the prompt back to the badge.
func SupervisorPIN(cmd floor.Command, op *floor.Operator, waiting, typed string) SignIn {
	switch {
	case cmd != "" || op == nil || op.Badge != waiting:
		return SignIn{Next: Rejected, Why: "Wrong PIN: supervisor, scan your badge again"}
	case op.PIN.Locked:
		return SignIn{Next: Rejected, Why: op.PIN.LockedWhy(op.Name)}
	case !op.PINMatches(typed):
		ev, why := floor.PINFailure(*op, "supervisor, scan your badge again")
		return SignIn{Next: Rejected, Why: why, Event: ev}
	}
	return SignIn{Next: SignedIn, Operator: *op}
}

// Reason takes a supervisor's typed reason: 3 to 80 characters of words,
// no control characters. ok is false for anything else (a command, a
// garbled scan), which the caller rejects with ReasonPrompt.
func Reason(cmd floor.Command, m barcode.Meaning) (reason string, ok bool) {
	if cmd != "" || m.Err != nil {
		return "", false
	}
	return FreeText(Text(m))
}

// ReasonPrompt is the rejection of a reason that is not one.
const ReasonPrompt = "Type the reason in words (3 to 80 characters), or cancel"

// FreeText accepts 3 to 80 characters without control characters.
func FreeText(s string) (string, bool) {
	n := len([]rune(s))
	if n < 3 || n > 80 || strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", false
	}
	return s, true
}

func askPIN(op floor.Operator) floor.Feedback {
	return floor.Feedback{Level: floor.Info, Message: op.Name + ": type your PIN and press Enter"}
}

// Journal adds the wrong PIN's failure (Event) to a rejection's events,
// when there is one, as the act of operator (the one signed in, or "").
func (si SignIn) Journal(events []floor.Event, operator string) []floor.Event {
	if si.Event.Type == "" || si.Next != Rejected {
		return events
	}
	ev := si.Event
	ev.Operator = operator
	return append(events, ev)
}

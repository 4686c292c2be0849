package workflow

import (
	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// Door is the login and PIN steps of a bench that signs in one role. The
// decisions are Badge's and PIN's; Door turns them into the workflow's
// results, so each new bench does not copy the steps again.
type Door[S any] struct {
	// MayNot is what an operator with the role hears, after their name,
	// where the station does not offer it ("may not load parcels here").
	MayNot             string
	LoginStep, PINStep string
	// AtLogin is s back at the badge; AtPIN is s waiting for badge's PIN.
	AtLogin  func(s S) S
	AtPIN    func(s S, badge string) S
	SignedIn func(s S, op floor.Operator) Result[S]
}

// Badge answers the login step for role: op is the scanned badge's
// operator (nil when unknown), allowed says which roles the station offers.
func (d Door[S]) Badge(s S, cmd floor.Command, scan barcode.Meaning, op *floor.Operator, role floor.Role, allowed func(floor.Role) bool) Result[S] {
	si := Badge(cmd, scan, op, role, allowed == nil || allowed(role))
	switch si.Next {
	case Rejected:
		return Reject(s, "", d.LoginStep, scan, si.Why)
	case Refused:
		if op.Has(role) { // the station does not offer it: say so in the role's words
			si.Why = floor.Printable(op.Name) + " " + d.MayNot
		}
		return Result[S]{State: s, Events: []floor.Event{si.Event}, Feedback: floor.Feedback{Level: floor.Error, Message: si.Why}}
	case AskPIN:
		return Result[S]{State: d.AtPIN(s, si.Operator.Badge), Feedback: si.Feedback}
	}
	return d.SignedIn(s, si.Operator)
}

// PIN answers the PIN step for the waiting badge: cancel goes back to the
// badge; a command is refused; a wrong PIN is journaled and goes back to
// the badge. A typed PIN is never journaled.
func (d Door[S]) PIN(s S, cmd floor.Command, scan barcode.Meaning, op *floor.Operator, badge string) Result[S] {
	masked := scan
	masked.Input = Masked
	if cmd == floor.CmdCancel {
		return Result[S]{State: d.AtLogin(s), Feedback: floor.Feedback{Level: floor.Info, Message: "Log in: scan your badge"}}
	}
	si := PIN(op, badge, Text(scan))
	if cmd != "" || si.Next != SignedIn {
		why := si.Why
		if cmd != "" {
			why = "Type your PIN and press Enter, or cancel"
		}
		r := Reject(s, "", d.PINStep, masked, why)
		if cmd == "" {
			r.State = d.AtLogin(r.State)
			r.Events = si.Journal(r.Events, "")
		}
		return r
	}
	return d.SignedIn(s, si.Operator)
}

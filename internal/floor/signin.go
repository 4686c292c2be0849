package floor

import "fmt"

// SignIn is what a badge scan at a login prompt decides; every workflow's
// login uses it, so who may work where is decided in one place.
type SignIn int

const (
	SignInUnknown SignIn = iota // no operator holds the badge: a rejection
	SignInRefused               // the operator may not work in the role here: operator.login_refused
	SignInPIN                   // the operator types their PIN next
	SignInOK                    // signed in
)

// BadgeSignIn decides a badge scan (code, and the operator it names or nil)
// for work in role; allowed says whether the station offers the role. why
// is what the operator reads when the answer is Unknown or Refused.
func BadgeSignIn(op *Operator, code string, role Role, allowed bool) (d SignIn, why string) {
	switch {
	case op == nil:
		return SignInUnknown, "Unknown badge " + code
	case !op.Has(role):
		return SignInRefused, fmt.Sprintf("%s is not a %s", op.Name, role)
	case !allowed:
		return SignInRefused, fmt.Sprintf("%s may not %s on this station", op.Name, roleVerb(role))
	case op.PIN.Locked:
		return SignInRefused, op.PIN.LockedWhy(op.Name)
	case op.PINHash != "":
		return SignInPIN, ""
	}
	return SignInOK, ""
}

// PINSignIn checks the PIN typed for the badge waiting at a PIN prompt (op
// is what the station found for that badge). why is the rejection; the
// typed PIN itself must never be journaled.
func PINSignIn(op *Operator, waiting, typed string) (ok bool, why string) {
	switch {
	case op == nil || op.Badge != waiting:
		return false, "Login failed: scan your badge again"
	case op.PIN.Locked:
		return false, op.PIN.LockedWhy(op.Name)
	case !op.PINMatches(typed):
		return false, fmt.Sprintf("Wrong PIN for %s: scan your badge again", op.Name)
	}
	return true, ""
}

// roleVerb is the work a role does, for messages: pick, pack.
func roleVerb(r Role) string {
	switch r {
	case RolePicker:
		return "pick"
	case RolePacker:
		return "pack"
	case RoleReturns:
		return "handle returns"
	case RoleLoader:
		return "load parcels"
	}
	return "work"
}

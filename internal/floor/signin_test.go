package floor

import "testing"

func TestBadgeSignIn(t *testing.T) {
	pam := &Operator{Badge: "B2001", Name: "Pam", Roles: []Role{RolePacker}}
	pia := &Operator{Badge: "B2002", Name: "Pia", Roles: []Role{RolePacker}, PINHash: HashPIN("B2002", "4711")}
	for _, c := range []struct {
		name    string
		op      *Operator
		role    Role
		allowed bool
		want    SignIn
		why     string
	}{
		{"unknown badge", nil, RolePacker, true, SignInUnknown, "Unknown badge B9999"},
		{"not in the role", pam, RolePicker, true, SignInRefused, "Pam is not a picker"},
		{"role not offered here", pam, RolePacker, false, SignInRefused, "Pam may not pack on this station"},
		{"PIN next", pia, RolePacker, true, SignInPIN, ""},
		{"signed in", pam, RolePacker, true, SignInOK, ""},
	} {
		d, why := BadgeSignIn(c.op, "B9999", c.role, c.allowed)
		if d != c.want || why != c.why {
			t.Errorf("%s: got %v %q, want %v %q", c.name, d, why, c.want, c.why)
		}
	}
	for _, c := range []struct {
		name, waiting, typed string
		op                   *Operator
		ok                   bool
		why                  string
	}{
		{"right PIN", "B2002", "4711", pia, true, ""},
		{"wrong PIN", "B2002", "1234", pia, false, "Wrong PIN for Pia: scan your badge again"},
		{"operator gone", "B2002", "4711", nil, false, "Login failed: scan your badge again"},
		{"another badge", "B2001", "4711", pia, false, "Login failed: scan your badge again"},
	} {
		ok, why := PINSignIn(c.op, c.waiting, c.typed)
		if ok != c.ok || why != c.why {
			t.Errorf("%s: got %v %q, want %v %q", c.name, ok, why, c.ok, c.why)
		}
	}
}

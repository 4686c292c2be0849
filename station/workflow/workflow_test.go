package workflow

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// TestRejectKeepsTheState: a rejection returns the state it was given and
// exactly one scan.rejected event, with the input clipped.
func TestRejectKeepsTheState(t *testing.T) {
	type st struct{ Step string }
	long := strings.Repeat("X", 300)
	r := Reject(st{"item"}, "B1", "item", barcode.Meaning{Input: long, Kind: barcode.KindUnknown}, "Scan the item")
	if r.State != (st{"item"}) || r.Feedback.Level != floor.Error || r.Feedback.Message != "Scan the item" {
		t.Fatalf("result %+v", r)
	}
	if len(r.Events) != 1 || r.Events[0].Type != floor.EvScanRejected || r.Events[0].Operator != "B1" {
		t.Fatalf("events %+v", r.Events)
	}
	var p floor.RejectPayload
	if err := json.Unmarshal(r.Events[0].Payload, &p); err != nil || p.Step != "item" || !strings.HasSuffix(p.Input, "(300 bytes)") {
		t.Fatalf("payload %+v %v", p, err)
	}
}

func TestSignIn(t *testing.T) {
	badge := barcode.Meaning{Kind: barcode.KindBadge, Code: "B1", Input: "B1"}
	pam := &floor.Operator{Badge: "B1", Name: "Pam", Roles: []floor.Role{floor.RolePacker}}
	pinned := &floor.Operator{Badge: "B1", Name: "Pam", Roles: []floor.Role{floor.RolePacker}, PINHash: floor.HashPIN("B1", "1234")}
	sup := &floor.Operator{Badge: "S1", Name: "Sue", Roles: []floor.Role{floor.RoleSupervisor}}
	cases := []struct {
		name string
		got  SignIn
		want Next
		why  string
	}{
		{"a command is no badge", Badge(floor.CmdOK, badge, pam, floor.RolePacker, true), Rejected, "Log in first: scan your badge"},
		{"a garbled scan says why", Badge("", barcode.Meaning{Kind: barcode.KindBadge, Err: errors.New("bad check digit")}, nil, floor.RolePacker, true), Rejected, "Bad check digit"},
		{"unknown badge", Badge("", badge, nil, floor.RolePacker, true), Rejected, "Unknown badge B1"},
		{"wrong role", Badge("", badge, pam, floor.RolePicker, true), Refused, "Pam is not a picker"},
		{"role not on this station", Badge("", badge, pam, floor.RolePacker, false), Refused, "Pam may not pack on this station"},
		{"PIN next", Badge("", badge, pinned, floor.RolePacker, true), AskPIN, ""},
		{"signed in", Badge("", badge, pam, floor.RolePacker, true), SignedIn, ""},
		{"right PIN", PIN(pinned, "B1", "1234"), SignedIn, ""},
		{"wrong PIN", PIN(pinned, "B1", "9999"), Rejected, "Wrong PIN for Pam (4 tries left before the badge locks): scan your badge again"},
		{"not a supervisor", Supervisor("", badge, pam), Rejected, "Pam is not a supervisor: a supervisor must scan their badge"},
		{"supervisor", Supervisor("", barcode.Meaning{Kind: barcode.KindBadge, Code: "S1"}, sup), SignedIn, ""},
		{"supervisor PIN as a command", SupervisorPIN(floor.CmdOK, pinned, "B1", "1234"), Rejected, "Wrong PIN: supervisor, scan your badge again"},
	}
	for _, c := range cases {
		if c.got.Next != c.want || c.got.Why != c.why {
			t.Errorf("%s: got %v %q, want %v %q", c.name, c.got.Next, c.got.Why, c.want, c.why)
		}
	}
	if si := Badge("", badge, pam, floor.RolePicker, true); si.Event.Type != floor.EvLoginRefused {
		t.Errorf("a refusal journals %q", si.Event.Type)
	}
	if _, ok := Reason("", barcode.Meaning{Input: "  box crushed  "}); !ok {
		t.Error("a reason in words was refused")
	}
	if _, ok := Reason("", barcode.Meaning{Input: "ok"}); ok {
		t.Error("a two-letter reason was taken")
	}
}

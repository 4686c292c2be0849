package workflow

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// TestPINLockout: each wrong PIN is a failure to journal with the count
// so far; the one that reaches the station's limit locks the badge; a
// locked badge signs in nowhere, even with the right PIN, and counts no
// more failures.
func TestPINLockout(t *testing.T) {
	hash := floor.HashPIN("B1", "123456")
	op := func(failures, limit int, locked bool) *floor.Operator {
		return &floor.Operator{Badge: "B1", Name: "Pam", Roles: []floor.Role{floor.RolePacker, floor.RoleSupervisor}, PINHash: hash,
			PIN: floor.PINStanding{Failures: failures, Limit: limit, Locked: locked}}
	}
	payload := func(ev floor.Event) floor.PINFailPayload {
		var p floor.PINFailPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}

	si := PIN(op(0, 3, false), "B1", "000000")
	if si.Next != Rejected || si.Event.Type != floor.EvPINFailed || payload(si.Event) != (floor.PINFailPayload{Badge: "B1", Name: "Pam", Failures: 1, Limit: 3}) {
		t.Fatalf("first wrong PIN: %+v %s", si, si.Event.Payload)
	}
	if !strings.Contains(si.Why, "2 tries left") {
		t.Errorf("first wrong PIN says %q", si.Why)
	}
	if si := PIN(op(1, 3, false), "B1", "000000"); !strings.Contains(si.Why, "1 try left") {
		t.Errorf("second wrong PIN says %q", si.Why)
	}
	si = PIN(op(2, 3, false), "B1", "000000")
	if si.Event.Type != floor.EvBadgeLocked || payload(si.Event).Failures != 3 || !strings.Contains(si.Why, "now locked") {
		t.Fatalf("the wrong PIN at the limit: %+v", si)
	}
	// The default limit holds when the station sets none.
	if si := PIN(op(floor.DefaultPINMaxFailures-1, 0, false), "B1", "000000"); si.Event.Type != floor.EvBadgeLocked {
		t.Fatalf("at the default limit: %+v", si)
	}
	// The right PIN signs in and journals no failure.
	if si := PIN(op(2, 3, false), "B1", "123456"); si.Next != SignedIn || si.Event.Type != "" {
		t.Fatalf("right PIN: %+v", si)
	}

	locked := op(3, 3, true)
	badge := barcode.Meaning{Kind: barcode.KindBadge, Code: "B1", Input: "B1"}
	if si := Badge("", badge, locked, floor.RolePacker, true); si.Next != Refused || !strings.Contains(si.Why, "locked") || si.Event.Type != floor.EvLoginRefused {
		t.Fatalf("a locked badge scanned: %+v", si)
	}
	if si := PIN(locked, "B1", "123456"); si.Next != Rejected || si.Event.Type != "" || !strings.Contains(si.Why, "locked") {
		t.Fatalf("the right PIN of a locked badge: %+v", si)
	}
	if si := Supervisor("", badge, locked); si.Next != Rejected || !strings.Contains(si.Why, "locked") {
		t.Fatalf("a locked supervisor's badge: %+v", si)
	}
	if si := SupervisorPIN("", locked, "B1", "123456"); si.Next != Rejected || si.Event.Type != "" {
		t.Fatalf("a locked supervisor's PIN: %+v", si)
	}
	si = SupervisorPIN("", op(0, 3, false), "B1", "000000")
	if si.Event.Type != floor.EvPINFailed || !strings.HasSuffix(si.Why, "supervisor, scan your badge again") {
		t.Fatalf("a supervisor's wrong PIN: %+v", si)
	}
	evs := si.Journal([]floor.Event{{Type: floor.EvScanRejected}}, "B7")
	if len(evs) != 2 || evs[1].Type != floor.EvPINFailed || evs[1].Operator != "B7" {
		t.Fatalf("journaled: %+v", evs)
	}
}

package store_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// TestPINLockoutIsDurable: the wrong PINs a workflow journals are counted
// in the same commit, survive a restart, lock the badge at the limit; the
// hub's feed locks a badge another station locked and lifts a lock; a
// sign-in starts the count again.
func TestPINLockoutIsDurable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := open(t, path)
	s.SetPINMaxFailures(3)
	if _, err := s.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: now, Changes: []store.Change{
		{Operator: &floor.Operator{Badge: "B1", Name: "Pam", Roles: []floor.Role{floor.RolePacker}}},
		{Operator: &floor.Operator{Badge: "B2", Name: "Bob", Roles: []floor.Role{floor.RolePacker}}}}}); err != nil {
		t.Fatal(err)
	}
	standing := func(s *store.Store, badge string) floor.PINStanding {
		t.Helper()
		op, err := s.Operator(ctx, badge)
		if err != nil || op == nil {
			t.Fatalf("operator %s: %v %v", badge, op, err)
		}
		return op.PIN
	}
	fail := func(s *store.Store, badge string) {
		t.Helper()
		op, err := s.Operator(ctx, badge)
		if err != nil {
			t.Fatal(err)
		}
		ev, _ := floor.PINFailure(*op, "scan your badge again")
		if _, err := s.Commit(ctx, now, []floor.Event{ev}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := standing(s, "B1"); got != (floor.PINStanding{Limit: 3}) {
		t.Fatalf("before any failure: %+v", got)
	}
	fail(s, "B1")
	fail(s, "B1")
	s.Close()

	s = open(t, path) // a restart keeps the count
	s.SetPINMaxFailures(3)
	if got := standing(s, "B1"); got != (floor.PINStanding{Failures: 2, Limit: 3}) {
		t.Fatalf("after a restart: %+v", got)
	}
	fail(s, "B1")
	if got := standing(s, "B1"); !got.Locked || got.Failures != 3 {
		t.Fatalf("at the limit: %+v", got)
	}
	// A sign-in journaled by an offline station does not lift a lock here.
	if _, err := s.Commit(ctx, now, []floor.Event{floor.NewEvent(floor.EvLoggedIn, "B1", floor.LoginPayload{Badge: "B1", Name: "Pam"})}, nil); err != nil {
		t.Fatal(err)
	}
	if !standing(s, "B1").Locked {
		t.Fatal("a sign-in lifted the lock")
	}

	// The hub locks B2 (another station's lock) and lifts B1's.
	if _, err := s.ApplyPull(ctx, store.Pulled{Cursor: "c2", At: now, Changes: []store.Change{
		{Badge: &store.BadgeLock{Badge: "B2", Locked: true, Failures: 5, Station: "ST-02", At: now}},
		{Badge: &store.BadgeLock{Badge: "B1", Locked: false}}}}); err != nil {
		t.Fatal(err)
	}
	if got := standing(s, "B1"); got != (floor.PINStanding{Limit: 3}) {
		t.Fatalf("B1 after the hub's unlock: %+v", got)
	}
	if got := standing(s, "B2"); !got.Locked {
		t.Fatalf("B2 after the hub's lock: %+v", got)
	}
	locked, err := s.LockedBadges(ctx)
	if err != nil || len(locked) != 1 || locked[0].Badge != "B2" || locked[0].Station != "ST-02" {
		t.Fatalf("locked badges: %+v %v", locked, err)
	}

	// A sign-in after failures starts the count again.
	fail(s, "B1")
	if _, err := s.Commit(ctx, now, []floor.Event{floor.NewEvent(floor.EvLoggedIn, "B1", floor.LoginPayload{Badge: "B1", Name: "Pam"})}, nil); err != nil {
		t.Fatal(err)
	}
	if got := standing(s, "B1"); got.Failures != 0 {
		t.Fatalf("after a sign-in: %+v", got)
	}
}

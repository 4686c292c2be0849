package store_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// The standing version moves with every change a hold gate decides on
// (holds placed and lifted, a cancellation) and with nothing else.
func TestStandingVersion(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	if err := s.LoadSite(ctx, store.Site{
		Operators: []floor.Operator{{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}}},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", WalkSeq: 1}},
		Items:     []floor.Item{{SKU: "MUG", Description: "Mug"}},
		Orders:    []floor.Order{{ID: "ORD-1", Status: floor.OrderOpen, Lines: []floor.OrderLine{{LineNo: 1, SKU: "MUG", Qty: 2}}}},
		Waves:     []floor.Wave{{ID: "W1"}},
		Tasks:     []floor.PickTask{{ID: 1, WaveID: "W1", OrderID: "ORD-1", LineNo: 1, Location: "A-01-01-1", SKU: "MUG", Qty: 2, SortKey: 1}},
	}); err != nil {
		t.Fatal(err)
	}
	version := func() int64 {
		t.Helper()
		v, err := s.StandingVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	pull := func(cursor string, c store.Change) {
		t.Helper()
		if _, err := s.ApplyPull(ctx, store.Pulled{Cursor: cursor, At: at, Changes: []store.Change{c}}); err != nil {
			t.Fatal(err)
		}
	}
	v0 := version()
	if _, err := s.Commit(ctx, at, []floor.Event{floor.NewEvent(floor.EvUnitsPicked, "B1001",
		floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: 1}, Qty: 1, Tote: "T00001"})}, nil); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v0 {
		t.Fatalf("a pick moved the standing version %d → %d", v0, v)
	}
	pull("c1", store.Change{Holds: &store.OrderHolds{Order: "ORD-1", Holds: []floor.Hold{{Reason: "HIGH_RISK_OF_FRAUD"}}}})
	v1 := version()
	if v1 == v0 {
		t.Fatal("a hold did not move the standing version")
	}
	st, err := s.OrderStanding(ctx, "ORD-1")
	if err != nil || len(st.Holds) != 1 || st.Holds[0].Reason != "HIGH_RISK_OF_FRAUD" {
		t.Fatalf("standing %+v %v", st, err)
	}
	pull("c2", store.Change{Holds: &store.OrderHolds{Order: "ORD-1"}})
	v2 := version()
	if v2 == v1 {
		t.Fatal("lifting the hold did not move the standing version")
	}
	pull("c3", store.Change{Cancel: &store.Cancellation{Order: "ORD-1", Reason: "customer"}})
	if v := version(); v == v2 {
		t.Fatal("a cancellation did not move the standing version")
	}
	if st, err := s.OrderStanding(ctx, "ORD-1"); err != nil || st.Status != floor.OrderCancelled || len(st.Holds) != 0 {
		t.Fatalf("standing after cancel %+v %v", st, err)
	}

	// A commit decided at an old version writes nothing, whatever it
	// holds: one event or more, none, a session journaled by its event (a
	// verified unit's), a counter its build took; at the current version
	// it commits.
	ev := floor.NewEvent(floor.EvPackUnitVerified, "B1001", floor.PackUnitPayload{Order: "ORD-1", Line: 1, SKU: "MUG", Qty: 1, Carton: 1})
	set := floor.NewEvent(floor.EvPackSetAside, "B1001", floor.PackSetAsidePayload{Order: "ORD-1", Reason: "moved", Units: 1})
	sess := &store.Session{Bench: "pack", Operator: "B1001", Step: "verify", Pending: []byte(`{"step":"verify"}`)}
	before, _ := s.Journal(ctx, 0, 1000)
	exceptions, _ := s.Exceptions(ctx)
	for _, c := range []struct {
		evs  []floor.Event
		sess *store.Session
	}{
		{[]floor.Event{ev}, sess},
		{[]floor.Event{ev}, &store.Session{Journaled: true}},
		{[]floor.Event{ev, set}, sess},
		{[]floor.Event{set, ev}, nil},
		{nil, sess},
	} {
		_, err = s.CommitAtStanding(ctx, at, c.sess, v2, func(tx *store.Tx) ([]floor.Event, error) {
			_, err := tx.Next(store.CounterTracking)
			return c.evs, err
		})
		if !errors.Is(err, store.ErrStandingMoved) {
			t.Fatalf("commit of %d events at a moved standing: %v", len(c.evs), err)
		}
	}
	after, _ := s.Journal(ctx, 0, 1000)
	if saved, _ := s.LoadSession(ctx); len(after) != len(before) || saved.Step == "verify" {
		t.Fatalf("a refused commit wrote: %d → %d events, session %+v", len(before), len(after), saved)
	}
	if ex, _ := s.Exceptions(ctx); len(ex) != len(exceptions) {
		t.Fatalf("a refused commit applied its events: %d → %d exceptions", len(exceptions), len(ex))
	}
	if n, err := s.Next(ctx, store.CounterTracking); err != nil || n != 1 {
		t.Fatalf("a refused commit kept its counter: next is %d (%v), want 1", n, err)
	}
	out, err := s.CommitAtStanding(ctx, at, sess, version(), func(*store.Tx) ([]floor.Event, error) { return []floor.Event{ev}, nil })
	if err != nil || len(out) != 1 || out[0].Seq != int64(len(before)+1) {
		t.Fatalf("commit at the current standing: %+v %v", out, err)
	}
}

package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// TestReturnableCountsEachUnitOnce: what the hub said came back, plus
// this station's own units until the hub's record names them (never
// twice), less those the hub refused; the parcel's SSCC names its order.
func TestReturnableCountsEachUnitOnce(t *testing.T) {
	c := context.Background()
	s, err := Open(c, filepath.Join(t.TempDir(), "s.db"), "RET-01")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	rec := func(returned int, counted ...string) {
		t.Helper()
		if _, err := s.ApplyPull(c, Pulled{Cursor: "c", At: now, Changes: []Change{{Returnable: &Returnable{Order: "SO-1", SSCCs: []string{"006141410000000017"},
			Lines: []ReturnableLine{{Line: 1, SKU: "MUG-1", Shipped: 3, Returned: returned}}, Counted: counted}}}}); err != nil {
			t.Fatal(err)
		}
	}
	back := func(named string) int {
		t.Helper()
		r, _, err := s.Returnable(c, named)
		if err != nil || r == nil {
			t.Fatalf("%s: %+v %v", named, r, err)
		}
		return r.Lines[0].Returned
	}
	rec(1, "other-bench-1")
	unit := func() floor.Event {
		t.Helper()
		evs, err := s.Commit(c, now, []floor.Event{floor.NewEvent(floor.EvReturnReceived, "B4001", floor.ReturnReceivedPayload{Return: "RET-01-R00001",
			Order: "SO-1", Line: 1, SKU: "MUG-1", Qty: 1, Condition: floor.ConditionOpened, Reason: floor.ReasonOther, Disposition: floor.DispositionDestroy})}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return evs[0]
	}
	a, b := unit(), unit()
	if n := back("SO-1"); n != 3 {
		t.Fatalf("1 from the hub and 2 of this bench: %d", n)
	}
	if r, sscc, err := s.Returnable(c, "006141410000000017"); err != nil || !sscc || r.Order != "SO-1" {
		t.Fatalf("by the parcel's SSCC: %+v %v %v", r, sscc, err)
	}
	rec(2, "other-bench-1", a.ID) // the hub counted a
	if n := back("SO-1"); n != 3 {
		t.Fatalf("a counted once: %d", n)
	}
	if err := s.RecordPush(c, PushAck{Mark: b.Seq, Rejections: []Rejection{{Seq: b.Seq, Reason: "order SO-1: line 1: …"}}, At: now}); err != nil {
		t.Fatal(err)
	}
	if n := back("SO-1"); n != 2 {
		t.Fatalf("b refused at the hub still counts: %d", n)
	}
	if r, _, err := s.Returnable(c, "SO-2"); err != nil || r != nil {
		t.Fatalf("an order that never shipped: %+v %v", r, err)
	}
}

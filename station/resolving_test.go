package station_test

import (
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/resolve"
	"github.com/totewms/tote/station/store"
)

// TestAPickerResolvesNothing: at a pick cart with a picker signed in, a
// resolution signed with the picker's badge is refused (journaled as a
// rejection), and no command barcode of the supervisor's screens makes
// one; the supervisor's badge with a wrong PIN is refused, with the
// right one it is journaled. A count sent to the cart is recorded once.
func TestAPickerResolvesNothing(t *testing.T) {
	st := demoStore(t)
	s := openStation(t, st)
	if o := s.Handle(ctx, typed("B1001")); o.Feedback.Level == floor.Error {
		t.Fatalf("the picker's login: %s", o.Feedback.Message)
	}
	ex := resolve.Exception{ID: 3, Source: floor.SourceFloor, Kind: floor.ExShortPick, Order: "SO-1"}
	ask := func(badge, pin, action string) station.Outcome {
		return s.Handle(ctx, station.Action{Resolve: &station.ResolveRequest{Badge: badge, PIN: pin, Exception: ex,
			Payload: floor.ExceptionResolvedPayload{Action: action, Reason: "customer agreed", Location: "A-02"}}})
	}
	for _, action := range floor.ResolveActions {
		if o := ask("B1001", "", action); o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "not a supervisor") {
			t.Fatalf("the picker's %s: %+v", action, o.Feedback)
		}
	}
	for _, code := range []string{"CMD:SUP-RESOLVE", "CMD:SUP-EXCEPTIONS", "CMD:SUP-OPEN", "CMD:OK", "CMD:SUP-APPROVE"} {
		s.Handle(ctx, typed(code))
	}
	if o := ask("B1004", "1111", floor.ResolveApproveShort); o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "Wrong PIN") {
		t.Fatalf("a wrong PIN: %+v", o.Feedback)
	}
	resolved := func() []floor.Event {
		evs, err := st.JournalAfter(ctx, 0, floor.EvExceptionResolved)
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}
	if evs := resolved(); len(evs) != 0 {
		t.Fatalf("journaled without a supervisor: %+v", evs)
	}
	if rej, _ := st.JournalAfter(ctx, 0, floor.EvScanRejected); len(rej) < len(floor.ResolveActions)+1 {
		t.Fatalf("%d refusals journaled", len(rej))
	}
	if o := ask("B1004", "2468", floor.ResolveApproveShort); o.Feedback.Level != floor.OK || len(o.Events) != 1 {
		t.Fatalf("the supervisor: %+v", o.Feedback)
	}
	if evs := resolved(); len(evs) != 1 || evs[0].Operator != "B1004" {
		t.Fatalf("the supervisor's resolution: %+v", evs)
	}

	// A count task arrives from the office; the picker counts it once.
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: clock(), Changes: []store.Change{{Count: &store.CountTask{ID: 7, Location: "A-02", SKU: "CUP-1", Reason: "check the bin", At: clock()}}}}); err != nil {
		t.Fatal(err)
	}
	count := func(n int) station.Outcome {
		return s.Handle(ctx, station.Action{Count: &station.CountRequest{Badge: "B1001", Task: 7, Counted: n}})
	}
	if o := count(4); o.Feedback.Level != floor.OK {
		t.Fatalf("the count: %+v", o.Feedback)
	}
	if o := count(5); o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "not open") {
		t.Fatalf("a second count: %+v", o.Feedback)
	}
	if c, ok, err := st.CountTask(ctx, 7); err != nil || !ok || c.Status != store.CountCounted || c.Counted != 4 || c.CountedBy != "B1001" {
		t.Fatalf("the task: %+v %v %v", c, ok, err)
	}
}

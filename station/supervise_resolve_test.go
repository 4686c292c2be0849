package station_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestSupervisorResolvesFromTheScreen: a supervisor at a cart's login
// resolves the chosen exception from the exceptions screen by keys and
// command barcodes: the actions offered are the ones that fit, a
// re-release asks the other location, the reason is typed; refusals are
// in plain words and journaled; the resolution is journaled once, as the
// signed-in supervisor's, with what it needs for the hub.
func TestSupervisorResolvesFromTheScreen(t *testing.T) {
	st := demoStore(t)
	keepFigures(t, st, replicator.Figures{AsOf: clock(), Site: protocol.SiteView{Exceptions: []protocol.Conflict{
		{ID: 1, Station: "PACK-01", Order: "SO-7", Kind: "duplicate-sscc", Reason: "SSCC on another carton", At: clock()},
		{ID: 3, Station: "CART-02", Order: "SO-4", Kind: floor.ExShortPick, Reason: "1 of MUG-1 short at A-01", At: clock(),
			Source: floor.SourceFloor, Detail: &protocol.ExceptionDetail{Wave: "W1", Line: 1, Location: "A-01", SKU: "MUG-1", Qty: 1}}}}})
	s := openWith(t, st, station.Options{})
	s.Handle(ctx, typed("B1004"))
	s.Handle(ctx, typed("2468"))
	resolved := func() []floor.Event {
		evs, err := st.JournalAfter(ctx, 0, floor.EvExceptionResolved)
		if err != nil {
			t.Fatal(err)
		}
		return evs
	}

	// Not from the waves: the exception is chosen on its screen.
	if o := s.Handle(ctx, typed("CMD:SUP-RESOLVE")); o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "exceptions screen") {
		t.Fatalf("resolving from the waves: %+v", o.Feedback)
	}
	s.Handle(ctx, key(floor.CmdSupExceptions))
	s.Handle(ctx, typed("CMD:SUP-DOWN"))
	o := s.Handle(ctx, key(floor.CmdSupResolve)) // F6
	sv := superviseState(t, o)
	want := []string{floor.ResolveApproveShort, floor.ResolveRerelease, floor.ResolveRecount, floor.ResolveReassignWave, floor.ResolveVoid}
	if sv.Resolving.Step != supervise.ResolveAction || sv.Resolving.Exception.ID != 3 || strings.Join(sv.Resolving.Actions, ",") != strings.Join(want, ",") {
		t.Fatalf("resolving the short pick: %+v", sv.Resolving)
	}
	if o := s.Handle(ctx, typed("found it")); o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "Choose the action") {
		t.Fatalf("text while choosing: %+v", o.Feedback)
	}
	s.Handle(ctx, key(floor.CmdSupDown))
	o = s.Handle(ctx, key(floor.CmdOK)) // Enter: re-release
	if sv = superviseState(t, o); sv.Resolving.Step != supervise.ResolveTarget || !strings.Contains(o.Feedback.Message, "other location") {
		t.Fatalf("re-release asks the location: %+v %q", sv.Resolving, o.Feedback.Message)
	}
	s.Handle(ctx, typed("B-07"))
	if o := s.Handle(ctx, typed("")); o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "reason in words") {
		t.Fatalf("no reason: %+v", o.Feedback)
	}
	if len(resolved()) != 0 {
		t.Fatal("journaled before the reason")
	}
	o = s.Handle(ctx, typed("found more at B-07"))
	if o.Feedback.Level != floor.OK || !strings.Contains(o.Feedback.Message, "Resolved (re-release)") || superviseState(t, o).Resolving.Step != "" {
		t.Fatalf("the resolution: %+v", o.Feedback)
	}
	evs := resolved()
	if len(evs) != 1 || evs[0].Operator != "B1004" {
		t.Fatalf("journaled: %+v", evs)
	}
	var p floor.ExceptionResolvedPayload
	if err := json.Unmarshal(evs[0].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p != (floor.ExceptionResolvedPayload{Exception: 3, Source: floor.SourceFloor, Action: floor.ResolveRerelease, Reason: "found more at B-07",
		Order: "SO-4", Location: "B-07"}) {
		t.Fatalf("payload %+v", p)
	}

	// A hub conflict by command barcodes only; Esc steps back, F-keys leave.
	s.Handle(ctx, typed("CMD:SUP-UP"))
	s.Handle(ctx, typed("CMD:SUP-RESOLVE"))
	s.Handle(ctx, typed("CMD:SUP-BACK"))
	if o := s.Handle(ctx, typed("CMD:SUP-RESOLVE")); superviseState(t, o).Resolving.Step != supervise.ResolveAction {
		t.Fatalf("again: %+v", superviseState(t, o).Resolving)
	}
	for range len(floor.ResolveActions) {
		s.Handle(ctx, typed("CMD:SUP-DOWN")) // to the last: void
	}
	s.Handle(ctx, typed("CMD:SUP-RESOLVE"))
	if o := s.Handle(ctx, typed("CMD:SUP-PEOPLE")); superviseState(t, o).Resolving.Step != "" || superviseState(t, o).View != supervise.ViewPeople {
		t.Fatalf("F3 while resolving: %+v", superviseState(t, o))
	}
	s.Handle(ctx, typed("CMD:SUP-EXCEPTIONS"))
	s.Handle(ctx, typed("CMD:SUP-RESOLVE"))
	for range len(floor.ResolveActions) {
		s.Handle(ctx, typed("CMD:SUP-DOWN"))
	}
	s.Handle(ctx, typed("CMD:SUP-OPEN"))
	if o := s.Handle(ctx, typed("duplicate label, carton relabelled")); o.Feedback.Level != floor.OK {
		t.Fatalf("voiding the conflict: %+v", o.Feedback)
	}
	if evs := resolved(); len(evs) != 2 || !strings.Contains(string(evs[1].Payload), `"action":"void"`) || strings.Contains(string(evs[1].Payload), "source") {
		t.Fatalf("the conflict's resolution: %s", evs[len(evs)-1].Payload)
	}
}

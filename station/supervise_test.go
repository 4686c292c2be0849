package station_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

func openWith(t *testing.T, st *store.Store, o station.Options) *station.Station {
	t.Helper()
	o.ConfirmAbove, o.Now = 10, clock
	s, err := station.Open(ctx, st, interp(t), o)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func superviseState(t *testing.T, o station.Outcome) supervise.State {
	t.Helper()
	s, ok := o.State.(supervise.State)
	if !ok {
		t.Fatalf("outcome of bench %q is %T, not the supervisor's state (feedback %q)", o.Bench, o.State, o.Feedback.Message)
	}
	return s
}

// keepFigures puts figures in the store as a fetch from the hub would.
func keepFigures(t *testing.T, st *store.Store, f replicator.Figures) {
	t.Helper()
	body, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutFigures(ctx, body, f.AsOf); err != nil {
		t.Fatal(err)
	}
}

// TestSupervisorBadgeAtACartsLogin: B1004 at a pick cart's login opens the
// supervisor bench there (badge, then PIN); the drill-downs work by
// command barcode; signing out gives the cart back at its login with its
// own session (its wave) untouched, and the journal holds the
// supervisor's sign-in and sign-out.
func TestSupervisorBadgeAtACartsLogin(t *testing.T) {
	st := demoStore(t)
	s := openWith(t, st, station.Options{})
	before, err := st.LoadSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	o := s.Handle(ctx, typed("B1004"))
	if o.Bench != station.BenchSupervise || !o.Switched {
		t.Fatalf("B1004 at the cart's login: bench %q switched %v (%q)", o.Bench, o.Switched, o.Feedback.Message)
	}
	if superviseState(t, o).Step != supervise.StepPIN {
		t.Fatalf("step %s, want the PIN", superviseState(t, o).Step)
	}
	o = s.Handle(ctx, typed("2468"))
	if sv := superviseState(t, o); !sv.LoggedIn() || sv.View != supervise.ViewWaves || o.Switched {
		t.Fatalf("after the PIN: %+v switched %v (%q)", sv.Step, o.Switched, o.Feedback.Message)
	}
	if o.Action.Scan.Data != "****" {
		t.Fatalf("the PIN came back in the outcome: %q", o.Action.Scan.Data)
	}
	for _, c := range []struct {
		scan string
		view supervise.View
	}{{"CMD:SUP-PEOPLE", supervise.ViewPeople}, {"CMD:SUP-HEALTH", supervise.ViewHealth},
		{"CMD:SUP-EXCEPTIONS", supervise.ViewExceptions}, {"CMD:SUP-WAVES", supervise.ViewWaves}} {
		o = s.Handle(ctx, typed(c.scan))
		if v := superviseState(t, o).View; v != c.view || o.Feedback.Level == floor.Error {
			t.Fatalf("%s: view %s (%q)", c.scan, v, o.Feedback.Message)
		}
	}
	// A scan that is no command is refused, the board stays.
	o = s.Handle(ctx, typed("T00001"))
	if o.Feedback.Level != floor.Error || o.Bench != station.BenchSupervise {
		t.Fatalf("a tote on the board: %q at %q", o.Feedback.Message, o.Bench)
	}
	o = s.Handle(ctx, key(floor.CmdLogout))
	if o.Bench != station.BenchPick || !o.Switched {
		t.Fatalf("signed out: bench %q switched %v", o.Bench, o.Switched)
	}
	if ps, ok := o.State.(pick.State); !ok || ps.Step != pick.StepLogin {
		t.Fatalf("the cart is not back at its login: %T %+v", o.State, o.State)
	}
	if s.Snapshot().Bench != station.BenchPick {
		t.Fatalf("snapshot of bench %q", s.Snapshot().Bench)
	}
	after, err := st.LoadSession(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Bench != before.Bench || after.WaveID != before.WaveID || after.Step != before.Step || after.Operator != before.Operator {
		t.Fatalf("the cart's session moved: %+v, was %+v", after, before)
	}
	evs, err := st.Journal(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var types []floor.EventType
	for _, e := range evs {
		if e.Operator == "B1004" {
			types = append(types, e.Type)
		}
	}
	want := []floor.EventType{floor.EvLoggedIn, floor.EvScanRejected, floor.EvLoggedOut}
	if len(types) != len(want) || types[0] != want[0] || types[1] != want[1] || types[2] != want[2] {
		t.Fatalf("journal of B1004: %v, want %v", types, want)
	}
	// The cart works as before: a picker signs in.
	if o = s.Handle(ctx, typed("B1001")); o.Bench != station.BenchPick || !o.State.(pick.State).LoggedIn() {
		t.Fatalf("picker after the visit: %q at %q", o.Feedback.Message, o.Bench)
	}
}

// TestPickerCannotOpenTheSupervisorBench: a picker's badge at a cart's
// login signs in to the cart; at a supervisor's own station it is
// refused; a wrong PIN of a supervisor ends the visit; a station whose
// roles do not let supervisors in keeps its own bench for B1004.
func TestPickerCannotOpenTheSupervisorBench(t *testing.T) {
	st := demoStore(t)
	cart := openWith(t, st, station.Options{})
	if o := cart.Handle(ctx, typed("B1001")); o.Bench != station.BenchPick || o.Switched {
		t.Fatalf("B1001 at a cart: bench %q switched %v", o.Bench, o.Switched)
	}

	sup := openWith(t, demoStore(t), station.Options{Bench: station.BenchSupervise})
	o := sup.Handle(ctx, typed("B1001"))
	if o.Feedback.Level != floor.Error || superviseState(t, o).LoggedIn() {
		t.Fatalf("a picker at the supervisor's station: %q", o.Feedback.Message)
	}
	if o := sup.Handle(ctx, key(floor.CmdSupPeople)); o.Feedback.Level != floor.Error || superviseState(t, o).LoggedIn() {
		t.Fatalf("a command before any sign-in: %q", o.Feedback.Message)
	}

	cart2 := openWith(t, demoStore(t), station.Options{})
	cart2.Handle(ctx, typed("B1004"))
	o = cart2.Handle(ctx, typed("1111"))
	if o.Bench != station.BenchPick || !o.Switched || o.Feedback.Level != floor.Error {
		t.Fatalf("a wrong PIN: bench %q switched %v (%q)", o.Bench, o.Switched, o.Feedback.Message)
	}

	pickersOnly := openWith(t, demoStore(t), station.Options{Roles: []floor.Role{floor.RolePicker}})
	o = pickersOnly.Handle(ctx, typed("B1004"))
	if o.Bench != station.BenchPick {
		t.Fatalf("B1004 at a pickers-only cart opened bench %q", o.Bench)
	}
}

// TestSupervisorDrillsDownOffline: with the hub out of reach, the bench
// shows the figures the store kept, as of when they were fetched, and
// drills down wave → orders → one order by key and barcode.
func TestSupervisorDrillsDownOffline(t *testing.T) {
	st := demoStore(t)
	asOf := clock().Add(-3 * time.Minute)
	keepFigures(t, st, replicator.Figures{AsOf: asOf,
		Waves: protocol.WavesView{Waves: []protocol.WaveProgress{{Wave: "W1", Orders: 2}, {Wave: "W2", Orders: 1}}}})
	wave := protocol.WaveDetail{Progress: protocol.WaveProgress{Wave: "W2"}, Orders: []protocol.OrderProgress{{Order: "SO-1"}, {Order: "SO-2", Late: true}}}
	body, _ := json.Marshal(wave)
	if err := st.PutFigure(ctx, "wave", body, asOf); err != nil {
		t.Fatal(err)
	}
	story := protocol.OrderStory{Order: "SO-2", Events: []protocol.StoryEvent{{Station: "CART-01", Type: "pick.units_picked"}}}
	body, _ = json.Marshal(story)
	if err := st.PutFigure(ctx, "story", body, asOf); err != nil {
		t.Fatal(err)
	}
	s := openWith(t, st, station.Options{Bench: station.BenchSupervise,
		Supervise: station.SuperviseOptions{Fetch: func(context.Context, string, string, time.Time) error {
			return errors.New("connection refused")
		}}})
	s.Handle(ctx, typed("B1004"))
	o := s.Handle(ctx, typed("2468"))
	sv := superviseState(t, o)
	if sv.Figures.Online || !sv.Figures.AsOf.Equal(asOf) || len(sv.Figures.Waves.Waves) != 2 {
		t.Fatalf("offline figures: online %v as of %v, %d waves", sv.Figures.Online, sv.Figures.AsOf, len(sv.Figures.Waves.Waves))
	}
	s.Handle(ctx, key(floor.CmdSupDown))
	o = s.Handle(ctx, key(floor.CmdOK)) // Enter: open W2
	sv = superviseState(t, o)
	if sv.View != supervise.ViewWave || sv.Wave != "W2" || len(supervise.Orders(sv)) != 2 {
		t.Fatalf("W2 opened: %+v", sv)
	}
	if first := supervise.Orders(sv)[0].Order; first != "SO-2" {
		t.Fatalf("late order not first: %s", first)
	}
	o = s.Handle(ctx, typed("CMD:SUP-OPEN"))
	sv = superviseState(t, o)
	if sv.View != supervise.ViewOrder || sv.Order != "SO-2" || sv.Figures.Story.Order != "SO-2" {
		t.Fatalf("SO-2 opened: view %s order %s story %q", sv.View, sv.Order, sv.Figures.Story.Order)
	}
	o = s.Handle(ctx, typed("CMD:SUP-BACK"))
	if sv = superviseState(t, o); sv.View != supervise.ViewWave || sv.Cursor != 0 {
		t.Fatalf("back: view %s cursor %d", sv.View, sv.Cursor)
	}
	o = s.Handle(ctx, key(floor.CmdCancel))
	if sv = superviseState(t, o); sv.View != supervise.ViewWaves || sv.Cursor != 1 {
		t.Fatalf("back to the waves: view %s cursor %d", sv.View, sv.Cursor)
	}
}

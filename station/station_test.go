package station_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

var ctx = context.Background()

var clock = func() time.Time { return time.Date(2026, 11, 22, 9, 30, 0, 0, time.UTC) }

func interp(t testing.TB) *barcode.Interpreter {
	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func openStation(t testing.TB, st *store.Store) *station.Station {
	t.Helper()
	s, err := openStationErr(st)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func openStationErr(st *store.Store) (*station.Station, error) {
	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		return nil, err
	}
	return station.Open(ctx, st, in, station.Options{ConfirmAbove: 10, Now: clock})
}

func demoStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "station.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.LoadSite(ctx, demo.Site(1, clock().Add(24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	return st
}

func typed(s string) station.Action {
	return station.Action{Scan: floor.Scan{Source: "keyboard", Data: s}}
}
func key(c floor.Command) station.Action { return station.Action{Command: c} }

// normal makes nil and empty slices compare equal.
func normal(s pick.State) pick.State {
	if len(s.Picks) == 0 {
		s.Picks = nil
	}
	if len(s.Operator.Roles) == 0 {
		s.Operator.Roles = nil
	}
	return s
}

// nextInput plays a diligent picker: it scans what the screen asks for,
// with some undo, quantity, skip and short along the way.
func nextInput(s pick.State, i int) station.Action {
	t, _ := s.Task()
	switch s.Step {
	case pick.StepLogin:
		return typed("B1001")
	case pick.StepTote:
		return typed(fmt.Sprintf("T%05d", 100+i))
	case pick.StepLocation:
		if i%23 == 0 {
			return key(floor.CmdSkip)
		}
		return typed(t.Location)
	case pick.StepItem:
		switch {
		case i%29 == 0:
			return key(floor.CmdLogout) // and log in again next time round
		case i%11 == 0 && len(s.Picks) > 0:
			return key(floor.CmdUndo)
		case i%17 == 0:
			return key(floor.CmdShort)
		case t.Remaining() > 3 && !t.SerialControlled && len(s.Picks) > 0: // a quantity follows one scan
			return key(floor.CmdQuantity)
		}
		return typed(strings.TrimPrefix(t.GTIN, "0"))
	case pick.StepQuantity:
		return typed(fmt.Sprint(t.Remaining()))
	case pick.StepConfirm:
		return key(floor.CmdOK)
	case pick.StepLot:
		return typed("LOT-" + fmt.Sprint(i))
	case pick.StepSerial:
		return typed("SN-" + fmt.Sprint(i))
	case pick.StepShort:
		return typed(fmt.Sprint(1 + i%3))
	}
	return key(floor.CmdLogout)
}

// TestResumeAtEveryStep picks the demo wave's first orders and, after every
// input, opens a second station on the same store as a restart would: it
// must come back with exactly the state the running station holds.
func TestResumeAtEveryStep(t *testing.T) {
	st := demoStore(t)
	s := openStation(t, st)
	steps := map[pick.Step]bool{}
	for i := 0; i < 120; i++ {
		o := s.Handle(ctx, nextInput(s.Snapshot().State.(pick.State), i))
		if o.Err != nil {
			t.Fatalf("input %d: %v", i, o.Err)
		}
		if o.Feedback.Level == pick.Error {
			t.Fatalf("input %d at %s rejected: %s", i, o.State.(pick.State).Step, o.Feedback.Message)
		}
		steps[o.State.(pick.State).Step] = true
		again := openStation(t, st)
		if got, want := normal(again.Snapshot().State.(pick.State)), normal(s.Snapshot().State.(pick.State)); !reflect.DeepEqual(got, want) {
			t.Fatalf("after input %d (%s) a restart resumes elsewhere:\n%s", i, o.Feedback.Message, stateDiff(got, want))
		}
	}
	for _, want := range []pick.Step{pick.StepTote, pick.StepLocation, pick.StepItem, pick.StepQuantity, pick.StepShort} {
		if !steps[want] {
			t.Errorf("the walk never reached step %s", want)
		}
	}
}

// TestServeKeepsOrder submits a burst of scans without waiting, as a
// scanner's buffer would deliver them: outcomes come back in order and the
// journal records them in that order.
func TestServeKeepsOrder(t *testing.T) {
	st := demoStore(t)
	s := openStation(t, st)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Serve(cctx)
	const n = 150
	for i := range n {
		if !s.Submit(typed(fmt.Sprintf("NOISE-%03d", i))) {
			t.Fatalf("submit %d refused", i)
		}
	}
	var last int64
	for i := range n {
		o := <-s.Outcomes()
		if o.Action.Scan.Data != fmt.Sprintf("NOISE-%03d", i) {
			t.Fatalf("outcome %d is for %q", i, o.Action.Scan.Data)
		}
		if len(o.Events) != 1 || o.Events[0].Seq != last+1 {
			t.Fatalf("outcome %d events %+v after seq %d", i, o.Events, last)
		}
		last = o.Events[0].Seq
	}
}

// TestNothingAcknowledgedWhenTheCommitFails: a full disk makes the commit
// fail; the operator is told it was not saved and the state stays put.
func TestNothingAcknowledgedWhenTheCommitFails(t *testing.T) {
	st := demoStore(t)
	s := openStation(t, st)
	s.Handle(ctx, typed("B1001"))
	before := s.Snapshot().State.(pick.State)
	var pages int
	st.DB().W.QueryRow("PRAGMA page_count").Scan(&pages)
	st.DB().W.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages))
	var o station.Outcome
	var last int64
	for i := 0; i < 50 && o.Err == nil; i++ {
		last, _ = st.LastSeq(ctx)
		o = s.Handle(ctx, typed("T00042"+strings.Repeat(" ", 3000)))
	}
	if o.Err == nil || !strings.Contains(o.Feedback.Message, "NOT SAVED") || !strings.Contains(o.Feedback.Message, "disk is full") {
		t.Fatalf("outcome %+v", o.Feedback)
	}
	notSaved(t, st, o, last) // nothing journaled, not even a rejection
	if !reflect.DeepEqual(normal(s.Snapshot().State.(pick.State)), normal(before)) {
		t.Fatal("state moved although nothing was saved")
	}
	st.DB().W.Exec("PRAGMA max_page_count = 1000000")
	if o := s.Handle(ctx, typed("T00042")); o.Err != nil || o.Feedback.Level != pick.OK {
		t.Fatalf("after room was made: %+v %v", o.Feedback, o.Err)
	}
}

// TestBadInput feeds the scans a broken scanner or a prankster produces:
// each is rejected with a reason, journaled, and shown neutralised.
func TestBadInput(t *testing.T) {
	st := demoStore(t)
	s := openStation(t, st)
	s.Handle(ctx, typed("B1001"))
	s.Handle(ctx, typed("T00001"))
	cases := map[string]string{
		"empty":            "",
		"over 4 KB":        strings.Repeat("9", 5000),
		"control chars":    "AB\x00\x07CD",
		"invalid UTF-8":    "\xff\xfeABC",
		"escape sequence":  "\x1b[2J\x1b]0;owned\x07",
		"bidi override":    "A-01\u202e-01-1",
		"only whitespace":  "   ",
		"GS in plain text": "ABC\x1dDEF",
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			before, _ := st.LastSeq(ctx)
			o := s.Handle(ctx, typed(data))
			if o.Err != nil || o.Feedback.Level != pick.Error {
				t.Fatalf("outcome %+v err %v", o.Feedback, o.Err)
			}
			if strings.ContainsAny(o.Feedback.Message, "\x1b\x00\x07\u202e") {
				t.Fatalf("feedback carries raw control characters: %q", o.Feedback.Message)
			}
			after, _ := st.LastSeq(ctx)
			if after != before+1 || len(o.Events) != 1 || o.Events[0].Type != floor.EvScanRejected {
				t.Fatalf("rejection not journaled: %d→%d %+v", before, after, o.Events)
			}
		})
	}
	if s.Snapshot().State.(pick.State).Step != pick.StepLocation {
		t.Fatalf("bad input moved the workflow to %s", s.Snapshot().State.(pick.State).Step)
	}
}

func TestDemoSiteIsWhatTheIssueAsks(t *testing.T) {
	site := demo.Site(1, clock())
	aisles := map[int]bool{}
	for _, l := range site.Locations {
		aisles[l.Aisle] = true
	}
	roles := map[floor.Role]bool{}
	for _, op := range site.Operators {
		for _, r := range op.Roles {
			roles[r] = true
		}
	}
	in := interp(t)
	for _, it := range site.Items {
		m := in.Interpret("", strings.TrimPrefix(it.GTINs[0], "0"))
		if m.Err != nil || m.Kind != barcode.KindGTIN || m.GTIN != it.GTINs[0] {
			t.Fatalf("item %s GTIN %s: %+v", it.SKU, it.GTINs[0], m)
		}
	}
	if len(aisles) < 3 || len(site.Locations) < 200 || len(site.Items) < 500 || len(site.Orders) < 50 || len(roles) != 4 {
		t.Fatalf("aisles %d locations %d items %d orders %d roles %d", len(aisles), len(site.Locations), len(site.Items), len(site.Orders), len(roles))
	}
}

// stateDiff says how two states differ: the tasks that differ, then the
// rest, so a failure reads in a screenful.
func stateDiff(got, want pick.State) string {
	var b strings.Builder
	for i := range max(got.Tasks.Len(), want.Tasks.Len()) {
		var g, w floor.PickTask
		if i < got.Tasks.Len() {
			g = *got.Tasks.At(i)
		}
		if i < want.Tasks.Len() {
			w = *want.Tasks.At(i)
		}
		if g != w {
			fmt.Fprintf(&b, "task %d:\n got %+v\nwant %+v\n", i, g, w)
		}
	}
	got.Tasks, want.Tasks = pick.Walk{}, pick.Walk{}
	if !reflect.DeepEqual(got, want) {
		fmt.Fprintf(&b, "state:\n got %+v\nwant %+v\n", got, want)
	}
	return b.String()
}

// TestWaveArrivingWhileIdle: a picker logged in with no work gets the wave
// that sync brings in later, at the next scan, without logging out; that
// scan (a tote) is applied to the wave, not swallowed (issue 14, 11b).
func TestWaveArrivingWhileIdle(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	site := demo.Site(1, clock())
	waves, tasks := site.Waves, site.Tasks
	site.Waves, site.Tasks = nil, nil
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	s := openStation(t, st)
	if o := s.Handle(ctx, typed("B1001")); o.State.(pick.State).Step != pick.StepNoWork {
		t.Fatalf("login without a wave: %s", o.State.(pick.State).Step)
	}
	if err := st.LoadSite(ctx, store.Site{Waves: waves, Tasks: tasks}); err != nil {
		t.Fatal(err)
	}
	o := s.Handle(ctx, typed("T00001"))
	if o.State.(pick.State).Step != pick.StepLocation || o.State.(pick.State).Wave.ID != demo.WaveID || o.State.(pick.State).Tote != "T00001" ||
		len(o.Events) != 2 || o.Events[0].Type != floor.EvWaveStarted {
		t.Fatalf("after the wave arrived: step %s wave %q events %+v (%s)", o.State.(pick.State).Step, o.State.(pick.State).Wave.ID, o.Events, o.Feedback.Message)
	}
}

// TestRefreshStartsAWaveForAWaitingPicker: issue 14 (11b). After a pull,
// the screen asks the station to look for work: a picker waiting with no
// work gets the new wave without scanning anything; anywhere else a
// refresh records nothing.
func TestRefreshStartsAWaveForAWaitingPicker(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	site := demo.Site(1, clock())
	waves, tasks := site.Waves, site.Tasks
	site.Waves, site.Tasks = nil, nil
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	s := openStation(t, st)
	if o := s.Handle(ctx, station.Action{Refresh: true}); len(o.Events) != 0 || o.State.(pick.State).Step != pick.StepLogin {
		t.Fatalf("refresh at login: %+v", o)
	}
	s.Handle(ctx, typed("B1001"))
	if o := s.Handle(ctx, station.Action{Refresh: true}); len(o.Events) != 0 || o.State.(pick.State).Step != pick.StepNoWork {
		t.Fatalf("refresh with no wave: %+v", o)
	}
	if err := st.LoadSite(ctx, store.Site{Waves: waves, Tasks: tasks}); err != nil {
		t.Fatal(err)
	}
	o := s.Handle(ctx, station.Action{Refresh: true})
	if o.State.(pick.State).Step != pick.StepTote || len(o.Events) != 1 || o.Events[0].Type != floor.EvWaveStarted || o.Err != nil {
		t.Fatalf("after the wave arrived: step %s events %+v (%s)", o.State.(pick.State).Step, o.Events, o.Feedback.Message)
	}
	if o := s.Handle(ctx, station.Action{Refresh: true}); len(o.Events) != 0 || o.State.(pick.State).Step != pick.StepTote {
		t.Fatalf("refresh while picking recorded something: %+v", o)
	}
}

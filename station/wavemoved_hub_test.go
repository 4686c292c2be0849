package station_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestMovedWaveLeavesTheDownCart: a real hub on loopback, two carts and a
// supervisor's station, each with its own store and replicator. CART-01
// picks part of its wave, goes down (its replicator stops) and picks one
// more unit offline. The supervisor, on the health screen, chooses
// CART-01, F7, types CART-02 and a reason: the reassignment syncs under
// B1004 and the hub moves the wave; CART-02 gets its tasks. CART-01 comes
// back: its offline pick syncs and the hub refuses it (the supervisor
// sees it in the exceptions), the feed tells it the wave moved, and its
// screen says who moved it and why, and it picks the wave no more. A
// reassignment forged under a picker's badge is refused at the hub.
func TestMovedWaveLeavesTheDownCart(t *testing.T) {
	dir := t.TempDir()
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	ids := []string{"CART-01", "CART-02", "SUP-01"}
	tokens := map[string]string{}
	for _, id := range ids {
		tokens[id] = hub.NewToken(hub.TokenStation)
		if err := hs.RegisterStation(ctx, id, "", hub.HashToken(tokens[id]), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	imp := protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "CART-01")
	if _, err := hub.ImportSite(ctx, hs, imp, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	t.Cleanup(srv.Close)
	wave := site.Waves[0].ID

	statuses := make(chan struct{}, 64)
	type node struct {
		st   *store.Store
		rep  *replicator.Replicator
		stop func()
	}
	nodes := map[string]*node{}
	run := func(id string) {
		n := nodes[id]
		rep, err := replicator.New(n.st, replicator.Options{Hub: srv.URL, Token: tokens[id], RequestTimeout: 5 * time.Second,
			PushInterval: 50 * time.Millisecond, PullInterval: 50 * time.Millisecond,
			OnStatus: func(replicator.Status) {
				select {
				case statuses <- struct{}{}:
				default:
				}
			}})
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { rep.Run(rctx); close(done) }()
		n.rep = rep
		n.stop = sync1(func() { cancel(); <-done })
		t.Cleanup(n.stop)
	}
	for _, id := range ids {
		st, err := store.Open(ctx, filepath.Join(dir, id+".db"), id)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		nodes[id] = &node{st: st}
		run(id)
	}
	until := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.After(2 * time.Minute) // a loaded machine under -race is slow
		for !cond() {
			for _, n := range nodes {
				if n.rep != nil {
					n.rep.Kick()
				}
			}
			select {
			case <-statuses:
			case <-time.After(100 * time.Millisecond):
			case <-deadline:
				t.Fatalf("timed out waiting for %s", what)
			}
		}
	}
	waiting := func(id string) int {
		ss, err := nodes[id].st.SyncState(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return ss.Waiting
	}
	tasksOf := func(id string) int {
		ts, err := nodes[id].st.WaveTasks(ctx, wave)
		if err != nil {
			t.Fatal(err)
		}
		return len(ts)
	}
	until("CART-01 to have its wave and B1004 to be known at SUP-01", func() bool {
		op, err := nodes["SUP-01"].st.Operator(ctx, "B1004")
		return tasksOf("CART-01") > 0 && err == nil && op != nil
	})

	// CART-01 picks: three units online, then one offline.
	cart, err := station.Open(ctx, nodes["CART-01"].st, interp(t), station.Options{Bench: station.BenchPick, ConfirmAbove: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	do := func(a station.Action) station.Outcome {
		t.Helper()
		o := cart.Handle(ctx, a)
		if o.Err != nil {
			t.Fatalf("CART-01: %v", o.Err)
		}
		return o
	}
	do(typed("B1001"))
	totes := 0
	pickUnits := func(n int) {
		t.Helper()
		for picked := 0; picked < n; {
			s := cart.Snapshot().State.(pick.State)
			tk, ok := s.Task()
			if !ok {
				t.Fatalf("no task at step %s", s.Step)
			}
			var o station.Outcome
			switch s.Step {
			case pick.StepTote:
				totes++
				o = do(typed(fmt.Sprintf("T%05d", 900+totes)))
			case pick.StepLocation:
				o = do(typed(tk.Location))
			case pick.StepItem:
				o = do(typed(strings.TrimPrefix(tk.GTIN, "0")))
				picked++
			case pick.StepLot:
				o = do(typed("LOT2611A"))
			case pick.StepSerial:
				o = do(typed(fmt.Sprintf("SN%06d", s.Current*100+int64(tk.QtyPicked))))
			default:
				t.Fatalf("step %s", s.Step)
			}
			if o.Feedback.Level == floor.Error {
				t.Fatalf("CART-01 at %s: %s", s.Step, o.Feedback.Message)
			}
		}
	}
	pickUnits(3)
	until("CART-01's picks to reach the hub", func() bool { return waiting("CART-01") == 0 })
	nodes["CART-01"].stop() // CART-01 goes down
	nodes["CART-01"].rep = nil
	pickUnits(1)
	offline := waiting("CART-01")
	if offline == 0 {
		t.Fatal("the offline pick is not waiting")
	}

	// The supervisor reassigns CART-01's wave from the health screen.
	sup, err := station.Open(ctx, nodes["SUP-01"].st, interp(t), station.Options{Bench: station.BenchSupervise})
	if err != nil {
		t.Fatal(err)
	}
	fetch := func() {
		t.Helper()
		if err := nodes["SUP-01"].rep.FetchSupervisor(ctx, nodes["SUP-01"].st, "", "", time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	fetch()
	sdo := func(a station.Action) supervise.State {
		t.Helper()
		o := sup.Handle(ctx, a)
		if o.Err != nil || o.Feedback.Level == floor.Error {
			t.Fatalf("SUP-01 %+v: %v %q", a, o.Err, o.Feedback.Message)
		}
		return superviseState(t, o)
	}
	sdo(typed("B1004"))
	sv := sdo(typed("2468"))
	sv = sdo(key(floor.CmdSupHealth))
	i := slices.IndexFunc(sv.Figures.Site.Stations, func(s protocol.StationState) bool { return s.ID == "CART-01" })
	if i < 0 {
		t.Fatalf("CART-01 is not on the health screen: %+v", sv.Figures.Site.Stations)
	}
	for range i {
		sdo(key(floor.CmdSupDown))
	}
	sv = sdo(typed("CMD:SUP-REASSIGN"))
	if !sv.Resolving.Reassigning() || sv.Resolving.Exception.Detail.Wave != wave {
		t.Fatalf("F7 on CART-01: %+v", sv.Resolving)
	}
	sdo(typed("CART-02"))
	sdo(typed("CART-01 is down"))
	until("the reassignment to reach the hub and CART-02 to get the wave", func() bool {
		return waiting("SUP-01") == 0 && tasksOf("CART-02") > 0
	})
	if ss, _ := nodes["SUP-01"].st.SyncState(ctx); ss.Rejected != 0 {
		t.Fatalf("the hub refused the reassignment")
	}

	// A reassignment back to CART-01 forged under a picker's badge.
	forged := floor.NewEvent(floor.EvExceptionResolved, "B1001", floor.ExceptionResolvedPayload{Action: floor.ResolveReassignWave,
		Wave: wave, Station: "CART-01", Reason: "forged"})
	if _, err := nodes["SUP-01"].st.Commit(ctx, time.Now(), []floor.Event{forged}, nil); err != nil {
		t.Fatal(err)
	}
	until("the forged event to be answered", func() bool { return waiting("SUP-01") == 0 })
	if ss, _ := nodes["SUP-01"].st.SyncState(ctx); ss.Rejected != 1 {
		t.Fatalf("the forged reassignment: %d refused", ss.Rejected)
	}

	// CART-01 comes back.
	run("CART-01")
	until("CART-01 to push its offline pick and learn the move", func() bool {
		_, moved, err := nodes["CART-01"].st.WaveMoved(ctx, wave)
		return err == nil && moved && waiting("CART-01") == 0
	})
	// Every event CART-01 journaled offline for the moved wave synced
	// and was refused, none lost: the supervisor's queue has them.
	if ss, _ := nodes["CART-01"].st.SyncState(ctx); ss.Rejected != offline || ss.Pushed == 0 {
		t.Fatalf("CART-01's %d offline events of the moved wave: %d refused", offline, ss.Rejected)
	}
	var why string
	if err := nodes["CART-01"].st.DB().R.QueryRow(`SELECT reason FROM sync_rejections LIMIT 1`).Scan(&why); err != nil || !strings.Contains(why, "CART-02") {
		t.Fatalf("the refusal: %q %v", why, err)
	}
	o := do(station.Action{Office: true}) // as the screen does when the news arrives
	want := "Wave " + wave + " was moved to CART-02 by B1004 (CART-01 is down): stop picking it and put its totes on the holding shelf"
	if o.Feedback.Level != floor.Warn || !strings.Contains(o.Feedback.Message, want) {
		t.Fatalf("CART-01 is told: %+v", o.Feedback)
	}
	if s := cart.Snapshot().State.(pick.State); s.Wave.ID != "" || s.Tasks.Len() != 0 || s.Step != pick.StepNoWork {
		t.Fatalf("CART-01 after the move: wave %q, %d tasks, step %s", s.Wave.ID, s.Tasks.Len(), s.Step)
	}
	ts, err := nodes["CART-01"].st.WaveTasks(ctx, wave)
	if err != nil {
		t.Fatal(err)
	}
	var open floor.PickTask
	for _, tk := range ts {
		if !tk.Status.Done() {
			open = tk
		}
	}
	if o := do(typed(open.Location)); o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "No pick work") {
		t.Fatalf("a scan of the moved wave's location %s: %+v", open.Location, o.Feedback)
	}
	if s := cart.Snapshot().State.(pick.State); s.Wave.ID != "" {
		t.Fatalf("CART-01 took wave %s again", s.Wave.ID)
	}
	// The refused pick is in the supervisor's queue.
	fetch()
	sv = sdo(key(floor.CmdSupExceptions))
	if !slices.ContainsFunc(sv.Figures.Site.Exceptions, func(c protocol.Conflict) bool { return c.Station == "CART-01" }) {
		t.Fatalf("CART-01's refused pick is not among the exceptions: %+v", sv.Figures.Site.Exceptions)
	}
}

// sync1 makes f safe to call more than once.
func sync1(f func()) func() {
	done := false
	return func() {
		if !done {
			done = true
			f()
		}
	}
}

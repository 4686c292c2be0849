package station_test

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// picker plays a diligent picker who takes a fresh tote for each order.
type picker struct {
	t     *testing.T
	s     *station.Station
	totes int
}

func (p *picker) input() station.Action {
	st := p.s.Snapshot().State.(pick.State)
	task, _ := st.Task()
	switch st.Step {
	case pick.StepLogin:
		return typed("B1001")
	case pick.StepTote:
		p.totes++
		return typed(fmt.Sprintf("T%05d", 500+p.totes))
	case pick.StepLocation:
		return typed(task.Location)
	case pick.StepItem:
		return typed(strings.TrimPrefix(task.GTIN, "0"))
	case pick.StepLot, pick.StepSerial:
		return typed(fmt.Sprintf("L-%d", task.ID))
	}
	p.t.Fatalf("picker at step %s", st.Step)
	return station.Action{}
}

func (p *picker) do(a station.Action) station.Outcome {
	p.t.Helper()
	o := p.s.Handle(ctx, a)
	if o.Err != nil {
		p.t.Fatalf("%+v: %v", a, o.Err)
	}
	return o
}

// TestNewWaveAsksForATote: the last wave's last tote still holds its order
// (no pack bench has emptied it): the new wave's first order asks for a
// tote, and that one is refused, naming the order.
func TestNewWaveAsksForATote(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	site := demo.Site(1, clock())
	first := site.Tasks[0].OrderID
	var w1, w2 []floor.PickTask
	for _, task := range site.Tasks {
		switch task.OrderID {
		case first:
			w1 = append(w1, task)
		case site.Orders[1].ID:
			task.WaveID = "W-TWO"
			w2 = append(w2, task)
		}
	}
	site.Tasks = w1
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	p := &picker{t: t, s: openStation(t, st)}
	for i := 0; p.s.Snapshot().State.(pick.State).Step != pick.StepDone; i++ {
		if i > 100 {
			t.Fatalf("the first wave does not end: %s", p.s.Snapshot().State.(pick.State).Step)
		}
		p.do(p.input())
	}
	tote := p.s.Snapshot().State.(pick.State).Tote
	if err := st.LoadSite(ctx, store.Site{Waves: []floor.Wave{{ID: "W-TWO", Status: "released"}}, Tasks: w2}); err != nil {
		t.Fatal(err)
	}
	o := p.do(typed("x"))
	if o.State.(pick.State).Wave.ID != "W-TWO" || o.State.(pick.State).Step != pick.StepTote || o.State.(pick.State).Tote != "" {
		t.Fatalf("the new wave: wave %s step %s tote %q (%s)", o.State.(pick.State).Wave.ID, o.State.(pick.State).Step, o.State.(pick.State).Tote, o.Feedback.Message)
	}
	o = p.do(typed(tote))
	if want := fmt.Sprintf("Tote %s holds %s: take an empty tote", tote, first); o.Feedback.Level != floor.Error || !strings.HasPrefix(o.Feedback.Message, want) || o.State.(pick.State).Step != pick.StepTote {
		t.Fatalf("the last wave's tote again: %s %q, want %q", o.State.(pick.State).Step, o.Feedback.Message, want)
	}
	// A supervisor empties it by hand and releases it, with a reason.
	for _, in := range []station.Action{key(floor.CmdOverride), typed("B1004"), typed("2468"), typed(tote), typed("emptied into returns cage")} {
		if o = p.do(in); o.Feedback.Level == floor.Error {
			t.Fatalf("release, at %+v: %s", in, o.Feedback.Message)
		}
	}
	if !strings.Contains(o.Feedback.Message, "released by Dana Supervisor") || o.State.(pick.State).Step != pick.StepTote {
		t.Fatalf("after the release: %s %q", o.State.(pick.State).Step, o.Feedback.Message)
	}
	evs, _ := st.Journal(ctx, 0, 10000)
	for _, e := range evs {
		if strings.Contains(string(e.Payload), "2468") {
			t.Fatalf("the supervisor's PIN was journaled: %s %s", e.Type, e.Payload)
		}
	}
	if o = p.do(typed(tote)); o.State.(pick.State).Step != pick.StepLocation || o.State.(pick.State).Tote != tote {
		t.Fatalf("the released tote: %s %q", o.State.(pick.State).Step, o.Feedback.Message)
	}
}

// TestOfficeNewsReachTheWalk: a pull's cancellation takes the order's tasks
// out of a running station's walk, with its goods sent back to stock; a
// held order's tasks wait, also across a restart, and come back on release.
func TestOfficeNewsReachTheWalk(t *testing.T) {
	st := demoStore(t)
	p := &picker{t: t, s: openStation(t, st)}
	p.do(p.input()) // login
	// Pick the first order's first task, so it has goods in a tote.
	first, _ := p.s.Snapshot().State.(pick.State).Task()
	for task, _ := p.s.Snapshot().State.(pick.State).Task(); task.ID == first.ID; task, _ = p.s.Snapshot().State.(pick.State).Task() {
		p.do(p.input())
	}
	var orders []string
	for _, task := range p.s.Snapshot().State.(pick.State).Tasks.All() {
		if !slices.Contains(orders, task.OrderID) {
			orders = append(orders, task.OrderID)
		}
	}
	cancelled, held := first.OrderID, orders[3]
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", Changes: []store.Change{
		{Cancel: &store.Cancellation{Order: cancelled, Reason: "customer asked"}},
		{Holds: &store.OrderHolds{Order: held, Holds: []floor.Hold{{Reason: "INCORRECT_ADDRESS"}}}},
	}}); err != nil {
		t.Fatal(err)
	}
	// Sync's news reaches the running station.
	o := p.do(station.Action{Office: true})
	want := fmt.Sprintf("%s cancelled: its tasks left your walk. Return to stock: from tote T00501 %d × %s", cancelled, first.Qty, first.SKU)
	if !strings.Contains(o.Feedback.Message, want) || !strings.Contains(o.Feedback.Message, held+" on hold: its tasks wait") ||
		len(o.Events) != 1 || o.Events[0].Type != floor.EvOrderWithdrawn {
		t.Fatalf("the office's news: %q %+v\nwant %q", o.Feedback.Message, o.Events, want)
	}
	// A restart keeps the walk: the hold is read again from the store.
	again := openStation(t, st)
	if got, want := normal(again.Snapshot().State.(pick.State)), normal(p.s.Snapshot().State.(pick.State)); !reflect.DeepEqual(got, want) {
		t.Fatalf("a restart after the news resumes elsewhere:\n%s", stateDiff(got, want))
	}
	p.s = again
	// Walk on: neither order is offered; at the end the held order waits.
	for i := 0; p.s.Snapshot().State.(pick.State).Step != pick.StepWaiting; i++ {
		if i > 2000 {
			t.Fatalf("the walk does not end: %s", p.s.Snapshot().State.(pick.State).Step)
		}
		if task, ok := p.s.Snapshot().State.(pick.State).Task(); ok && (task.OrderID == cancelled || task.OrderID == held) {
			t.Fatalf("task %d of %s offered", task.ID, task.OrderID)
		}
		if p.s.Snapshot().State.(pick.State).Step == pick.StepDone {
			t.Fatal("the wave completed with a held order's tasks not picked")
		}
		p.do(p.input())
	}
	if o := p.do(typed("A-01-01-1")); o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "On hold: "+held) {
		t.Fatalf("a scan while waiting: %q", o.Feedback.Message)
	}
	// The release brings the held order's tasks back at the next input.
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c2", Changes: []store.Change{{Holds: &store.OrderHolds{Order: held}}}}); err != nil {
		t.Fatal(err)
	}
	o = p.do(typed("T09999"))
	if task, ok := o.State.(pick.State).Task(); !ok || task.OrderID != held || o.State.(pick.State).Step != pick.StepLocation ||
		!strings.Contains(o.Feedback.Message, held+" released: its tasks are back in your walk") {
		t.Fatalf("after the release: %s task %+v %q", o.State.(pick.State).Step, task, o.Feedback.Message)
	}
}

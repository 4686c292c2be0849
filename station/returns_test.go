package station_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// TestGoodsGoBackToStockOnTheFloor: an order cancelled after its first
// task was picked leaves goods in the cart's tote. The picker scans that
// tote, then the location each line goes back to: a wrong location is
// refused; each line put back is a journaled stock.returned, and the
// store forgets it. A restart in the middle resumes at the line in hand.
func TestGoodsGoBackToStockOnTheFloor(t *testing.T) {
	st := demoStore(t)
	p := &picker{t: t, s: openStation(t, st)}
	p.do(p.input()) // login
	first, _ := p.s.Snapshot().State.(pick.State).Task()
	for task, _ := p.s.Snapshot().State.(pick.State).Task(); task.ID == first.ID; task, _ = p.s.Snapshot().State.(pick.State).Task() {
		p.do(p.input())
	}
	tote := p.s.Snapshot().State.(pick.State).Tote
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", Changes: []store.Change{
		{Cancel: &store.Cancellation{Order: first.OrderID, Reason: "customer asked"}}}}); err != nil {
		t.Fatal(err)
	}
	o := p.do(station.Action{Office: true})
	if !strings.Contains(o.Feedback.Message, "scan the tote, then each location") {
		t.Fatalf("the withdrawal's instruction: %q", o.Feedback.Message)
	}
	waiting, err := st.WaitingReturns(ctx)
	if err != nil || len(waiting) == 0 {
		t.Fatalf("goods waiting to go back: %+v %v", waiting, err)
	}
	units := 0
	for _, r := range waiting {
		if r.Order != first.OrderID || r.Tote != tote || r.Location != first.Location || r.SKU != first.SKU {
			t.Fatalf("a waiting line: %+v (task %+v, tote %s)", r, first, tote)
		}
		units += r.Qty
	}
	if units != first.Qty {
		t.Fatalf("%d units wait to go back, the task picked %d", units, first.Qty)
	}
	if got := p.s.Snapshot().State.(pick.State).Returns; !reflect.DeepEqual(got, waiting) {
		t.Fatalf("the walk's returns %+v, the store's %+v", got, waiting)
	}
	back := p.s.Snapshot().State.(pick.State).Step

	o = p.do(typed(tote))
	if s := o.State.(pick.State); s.Step != pick.StepReturn || !strings.Contains(o.Feedback.Message, "back at "+first.Location+", then scan the location") || len(o.Events) != 0 {
		t.Fatalf("the tote with goods to put back: %s %q %+v", s.Step, o.Feedback.Message, o.Events)
	}
	// A restart with the line in hand resumes at it.
	p.s = openStation(t, st)
	if s := p.s.Snapshot().State.(pick.State); s.Step != pick.StepReturn || s.Pending.Tote != tote || len(s.Returns) != len(waiting) {
		t.Fatalf("a restart mid-return: %s %+v", s.Step, s.Pending)
	}
	wrong := "B-01-01-1"
	if first.Location == wrong {
		wrong = "A-01-01-1"
	}
	o = p.do(typed(wrong))
	if o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "goes back to "+first.Location) || o.State.(pick.State).Step != pick.StepReturn {
		t.Fatalf("a wrong location: %q", o.Feedback.Message)
	}
	for i, r := range waiting {
		o = p.do(typed(first.Location))
		if len(o.Events) != 1 || o.Events[0].Type != floor.EvStockReturned || !strings.Contains(string(o.Events[0].Payload), `"order":"`+first.OrderID+`"`) {
			t.Fatalf("line %d put back: %+v (%s)", i, o.Events, o.Feedback.Message)
		}
		left, err := st.WaitingReturns(ctx)
		if err != nil || len(left) != len(waiting)-i-1 {
			t.Fatalf("after line %d (%+v) the store still waits for %+v (%v)", i, r, left, err)
		}
	}
	if s := o.State.(pick.State); s.Step != back || !strings.Contains(o.Feedback.Message, "Tote "+tote+" is empty") || len(s.Returns) != 0 {
		t.Fatalf("all back: %s %q", s.Step, o.Feedback.Message)
	}
	// The tote is an ordinary tote again.
	if o = p.do(typed(tote)); o.State.(pick.State).Step == pick.StepReturn {
		t.Fatalf("the emptied tote again: %q", o.Feedback.Message)
	}
}

// TestFinishedWaveStaysNamed: once the wave is picked and no other waits,
// the cart keeps the finished wave (WAVE DONE names it) through inputs
// and refreshes, rather than forgetting it.
func TestFinishedWaveStaysNamed(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	site := demo.Site(1, clock())
	first := site.Tasks[0].OrderID
	var mine []floor.PickTask
	for _, task := range site.Tasks {
		if task.OrderID == first {
			mine = append(mine, task)
		}
	}
	site.Tasks = mine
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	p := &picker{t: t, s: openStation(t, st)}
	for i := 0; p.s.Snapshot().State.(pick.State).Step != pick.StepDone; i++ {
		if i > 100 {
			t.Fatalf("the wave does not end: %s", p.s.Snapshot().State.(pick.State).Step)
		}
		p.do(p.input())
	}
	for _, a := range []station.Action{{Refresh: true}, typed("A-01-01-1")} {
		if s := p.do(a).State.(pick.State); s.Step != pick.StepDone || s.Wave.ID != demo.WaveID || s.Wave.Status != "done" {
			t.Fatalf("after %+v: %s, wave %+v", a, s.Step, s.Wave)
		}
	}
}

package station_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestPickedThroughTheHub runs the whole loop. A station that starts empty
// pulls the demo site from a hub. An operator picks the first orders
// through the real workflow, each outcome kicking the replicator as the
// terminal does, and the hub's read API shows those orders picked. Then
// the office cancels the next order: the station learns it at its next
// pull, a unit picked for it anyway is rejected by the hub, and the
// station holds the rejection as an exception.
func TestPickedThroughTheHub(t *testing.T) {
	dir := t.TempDir()
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	token := hub.NewToken(hub.TokenStation)
	if err := hs.RegisterStation(ctx, "DEMO-01", "", hub.HashToken(token), time.Now()); err != nil {
		t.Fatal(err)
	}
	imp := protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "DEMO-01")
	if _, err := hub.ImportSite(ctx, hs, imp, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	defer srv.Close()

	st, err := store.Open(ctx, filepath.Join(dir, "station.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	reported := make(chan replicator.Status, 1)
	rep, err := replicator.New(st, replicator.Options{Hub: srv.URL, Token: token, PushInterval: 50 * time.Millisecond,
		PullInterval: 50 * time.Millisecond, OnStatus: func(s replicator.Status) {
			select {
			case <-reported:
			default:
			}
			reported <- s
		}})
	if err != nil {
		t.Fatal(err)
	}
	var stop func()
	run := func() {
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { rep.Run(rctx); close(done) }()
		stop = func() { cancel(); <-done }
	}
	run()
	defer func() { stop() }()
	// until waits for cond, looking again at each status the replicator reports.
	until := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for !cond() {
			select {
			case <-reported:
			case <-deadline:
				t.Fatalf("timed out waiting for %s; status %+v", what, rep.Status())
			}
		}
	}
	until("the site to arrive", func() bool { w, _ := st.NextWave(ctx); return w.ID == demo.WaveID })

	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	s, err := station.Open(ctx, st, in, station.Options{ConfirmAbove: 10})
	if err != nil {
		t.Fatal(err)
	}
	input := func(state pick.State, i int) station.Action {
		typed := func(v string) station.Action { return station.Action{Scan: floor.Scan{Source: "keyboard", Data: v}} }
		task, _ := state.Task()
		switch state.Step {
		case pick.StepLogin:
			return typed("B1001")
		case pick.StepTote:
			return typed(fmt.Sprintf("T%05d", 1+i))
		case pick.StepLocation:
			return typed(task.Location)
		case pick.StepItem:
			return typed(strings.TrimPrefix(task.GTIN, "0"))
		case pick.StepQuantity:
			return typed(fmt.Sprint(task.Remaining()))
		case pick.StepConfirm:
			return station.Action{Command: floor.CmdOK}
		case pick.StepLot:
			return typed(fmt.Sprintf("LOT-%d", i))
		case pick.StepSerial:
			return typed(fmt.Sprintf("SN-%d", i))
		}
		t.Fatalf("unexpected step %s", state.Step)
		return station.Action{}
	}
	picked, next := site.Orders[:3], site.Orders[3]
	handle := func(i int) station.Outcome {
		t.Helper()
		o := s.Handle(ctx, input(s.Snapshot().State.(pick.State), i))
		if o.Err != nil {
			t.Fatalf("input %d: %v", i, o.Err)
		}
		rep.Kick()
		return o
	}
	i := 0
	for ; i < 500; i++ {
		if task, ok := s.Snapshot().State.(pick.State).Task(); ok && task.OrderID == next.ID {
			break
		}
		handle(i)
	}
	// The store's count, not the status: a status reported before the last
	// scans were journaled still says nothing waits.
	until("the journal to drain", func() bool { s, err := st.SyncState(ctx); return err == nil && s.Waiting == 0 })
	for _, o := range picked {
		f, err := hs.Fulfilment(ctx, o.ID)
		if err != nil || f.Status != protocol.StatusPicked {
			t.Fatalf("%s at the hub: %+v %v", o.ID, f, err)
		}
	}

	// The office cancels the order while the cart is out of reach: the
	// picker, not told yet, picks a unit of it.
	stop()
	if err := hs.CancelOrder(ctx, next.ID, "customer asked", time.Now()); err != nil {
		t.Fatal(err)
	}
	for unit := false; !unit && i < 520; i++ {
		for _, e := range handle(i).Events {
			unit = unit || e.Type == floor.EvUnitsPicked
		}
	}
	run()
	until("the cancellation to arrive", func() bool {
		gate, _ := st.LabelGate(ctx, next.ID)
		return strings.HasPrefix(gate, "order cancelled centrally")
	})
	// At the next input the order's tasks leave the walk, and the unit
	// goes back to where it came from.
	o := handle(i)
	i++
	var withdrawn *floor.WithdrawPayload
	for _, e := range o.Events {
		if e.Type == floor.EvOrderWithdrawn {
			withdrawn = new(floor.WithdrawPayload)
			if err := json.Unmarshal(e.Payload, withdrawn); err != nil {
				t.Fatal(err)
			}
		}
	}
	if withdrawn == nil || withdrawn.Order != next.ID || len(withdrawn.Returns) != 1 || withdrawn.Returns[0].Qty != 1 ||
		!strings.Contains(o.Feedback.Message, next.ID+" cancelled: its tasks left your walk. Return to stock: from tote") {
		t.Fatalf("after the cancellation arrived: %+v %q", withdrawn, o.Feedback.Message)
	}
	for ; i < 540; i++ {
		if task, ok := s.Snapshot().State.(pick.State).Task(); ok && task.OrderID == next.ID {
			t.Fatalf("the cancelled order's task %d is still offered", task.ID)
		}
		if s.Snapshot().State.(pick.State).Step == pick.StepDone {
			break
		}
		handle(i)
	}
	until("the rejection", func() bool {
		s, err := st.SyncState(ctx)
		return err == nil && rep.Status().Rejected == 1 && s.Waiting == 0
	})
	exc, err := st.Exceptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rejected := slices.IndexFunc(exc, func(e store.Exception) bool { return e.Kind == "sync-rejected" })
	if rejected < 0 || exc[rejected].OrderID != next.ID || exc[rejected].Reason != hub.ReturnToStock {
		t.Fatalf("station exceptions: %+v", exc)
	}
	if f, _ := hs.Fulfilment(ctx, next.ID); f.Status != protocol.StatusCancelled || len(f.Conflicts) != 1 {
		t.Fatalf("%s at the hub: %+v", next.ID, f)
	}
}

package station_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/workflow"
)

// A third bench, made only here: a "count" workflow that counts the items
// scanned after a badge sign-in. It plugs in by one registration and
// touches nothing in station: the proof that a bench is one package.

const benchCount station.BenchName = "count"

const evCounted floor.EventType = "count.counted"

func init() {
	station.Register(benchCount, func(k *station.Kit) (station.Bench, error) { return &counter{kit: k}, nil })
}

// countState is the whole workflow's state; it is the session record.
type countState struct {
	Operator floor.Operator `json:"operator"`
	Count    int            `json:"count"`
}

// countApply is the pure workflow, built on the kernel.
func countApply(s countState, m barcode.Meaning, op *floor.Operator, cmd floor.Command) workflow.Result[countState] {
	if s.Operator.Badge == "" {
		si := workflow.Badge(cmd, m, op, floor.RolePicker, true)
		if si.Next != workflow.SignedIn {
			return workflow.Reject(s, "", "login", m, si.Why)
		}
		s.Operator = si.Operator
		return workflow.Result[countState]{State: s, Events: []floor.Event{workflow.LoggedIn(si.Operator)},
			Feedback: floor.Feedback{Level: floor.OK, Message: "Hello " + si.Operator.Name + ": scan items to count"}}
	}
	if m.GTIN == "" {
		return workflow.Reject(s, s.Operator.Badge, "count", m, workflow.ScanReason(m, "Scan an item to count it"))
	}
	s.Count++
	return workflow.Result[countState]{State: s,
		Events:   []floor.Event{floor.NewEvent(evCounted, s.Operator.Badge, map[string]any{"gtin": m.GTIN, "count": s.Count})},
		Feedback: floor.Feedback{Level: floor.OK, Message: fmt.Sprintf("Counted %d", s.Count)}}
}

type counter struct {
	kit   *station.Kit
	state countState
}

func (c *counter) Load(ctx context.Context) error {
	sess, err := c.kit.Store.LoadSession(ctx)
	if err != nil || sess.Bench != string(benchCount) {
		return err
	}
	return json.Unmarshal(sess.Pending, &c.state)
}

func (c *counter) Snapshot(a station.Action) station.Outcome { return station.Outcome{Action: a} }

func (c *counter) Handle(ctx context.Context, a station.Action, now time.Time) station.Outcome {
	o := c.Snapshot(a)
	m := c.kit.Meaning(a.Scan)
	var op *floor.Operator
	if m.Kind == barcode.KindBadge {
		var err error
		if op, err = c.kit.Store.Operator(ctx, m.Code); err != nil {
			return c.kit.Failed(o, err)
		}
	}
	res := countApply(c.state, m, op, a.Command)
	p, _ := json.Marshal(res.State)
	committed, err := c.kit.Store.Commit(ctx, now, res.Events,
		&store.Session{Bench: string(benchCount), Operator: res.State.Operator.Badge, Step: "count", Pending: p})
	if err != nil {
		return c.kit.Failed(o, err)
	}
	c.state = res.State
	c.kit.Recorded(a, committed, res.Feedback)
	o.Feedback, o.Events = res.Feedback, committed
	return o
}

// TestThirdBenchPlugsIn drives the count bench end to end through the
// station: Submit, Serve, the commit, the outcomes, and a resume after a
// restart from the bench's own session record.
func TestThirdBenchPlugsIn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "count.db")
	st, err := store.Open(ctx, path, "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.LoadSite(ctx, store.Site{Operators: []floor.Operator{{Badge: "B1001", Name: "Alice", Roles: []floor.Role{floor.RolePicker}}}}); err != nil {
		t.Fatal(err)
	}
	open := func(st *store.Store) *station.Station {
		s, err := station.Open(ctx, st, interp(t), station.Options{Bench: benchCount, Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	run := func(s *station.Station, scans ...string) []station.Outcome {
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		go s.Serve(c)
		var out []station.Outcome
		for _, sc := range scans {
			if !s.Submit(typed(sc)) {
				t.Fatal("not taken")
			}
		}
		for range scans {
			out = append(out, <-s.Outcomes())
		}
		return out
	}
	s := open(st)
	if s.Bench() != benchCount {
		t.Fatalf("bench %q", s.Bench())
	}
	got := run(s, "B1001", "09501101530003", "A-01-01-1", "09501101530003")
	want := []string{"Hello Alice: scan items to count", "Counted 1", "Scan an item to count it", "Counted 2"}
	for i, o := range got {
		if o.Err != nil || o.Feedback.Message != want[i] || o.Bench != benchCount || len(o.Events) != 1 || o.Events[0].Seq == 0 {
			t.Fatalf("outcome %d: %+v, want %q", i, o, want[i])
		}
	}
	if got[2].Events[0].Type != floor.EvScanRejected {
		t.Fatalf("a location at the count bench journals %q", got[2].Events[0].Type)
	}
	st.Close()

	st, err = store.Open(ctx, path, "DEMO-01") // a restart resumes the count
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if o := run(open(st), "09501101530010")[0]; o.Feedback.Message != "Counted 3" {
		t.Fatalf("after a restart: %+v", o)
	}
}

// Package pickcart is the pick cart bench: the pick workflow
// (station/pick) on a station, with its walk loaded from the store, the
// office's news (cancellations, holds) applied to it, and its session
// record. It registers itself as station.BenchPick.
package pickcart

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

func init() {
	station.Register(station.BenchPick, func(k *station.Kit) (station.Bench, error) {
		return &Cart{kit: k, store: k.Store, officeSeen: -1, tasksSeen: -1, countsSeen: -1}, nil
	})
	station.RegisterRole(station.BenchPick, floor.RolePicker)
}

// Cart is a pick cart's bench. Only the station's Serve goroutine uses it.
type Cart struct {
	kit   *station.Kit
	store *store.Store
	state pick.State
	// officeSeen is the standing version the cart last applied to its
	// wave, -1 before the first, and officeNews the store's OfficeNews
	// then.
	officeSeen, officeNews int64
	// tasksSeen is the store's OfficeNews when the cart last looked for
	// tasks that arrived for its wave (arrived.go), -1 before the first.
	tasksSeen int64
	// countsSeen is the store's OfficeNews when the cart last read its
	// count tasks, -1 before the first: they arrive only by a pull.
	countsSeen int64
}

// Snapshot is the cart's state as an outcome of a.
func (c *Cart) Snapshot(a station.Action) station.Outcome {
	return station.Outcome{Action: a, Bench: station.BenchPick, State: c.state}
}

// WaitsForBadge: nobody is signed in (a supervisor's badge opens their
// bench here, station.Login).
func (c *Cart) WaitsForBadge() bool { return c.state.Step == pick.StepLogin || c.state.Step == "" }

// Load restores the cart from its session row and its wave.
func (c *Cart) Load(ctx context.Context) error {
	opts := c.kit.Opts
	st := pick.State{ConfirmAbove: opts.ConfirmAbove, PickHeld: opts.PickHeld, ShortReasons: shortReasons(opts.ShortReasons), Step: pick.StepLogin}
	defer func() { c.state = st }()
	sess, err := c.store.LoadSession(ctx)
	if err != nil {
		return err
	}
	if sess.Bench != "" && sess.Bench != string(station.BenchPick) {
		c.kit.Log.Warn("the saved session is another bench's; this station picks: log in again", "bench", sess.Bench, "operator", sess.Operator, "step", sess.Step)
		sess = store.Session{}
	}
	if sess.Step != "" {
		st.Step = pick.Step(sess.Step)
	}
	if len(sess.Pending) > 0 {
		if err := json.Unmarshal(sess.Pending, &st.Pending); err != nil {
			return fmt.Errorf("session pending data: %w", err)
		}
	}
	if sess.Operator != "" {
		op, err := c.store.Operator(ctx, sess.Operator)
		if err != nil {
			return err
		}
		if op != nil {
			st.Operator = *op
		} else {
			st.Step = pick.StepLogin // the operator was removed: log in again
		}
	}
	st.Tote, st.ToteOrder = sess.Tote, sess.ToteOrder
	st.Current = sess.TaskID
	if sess.WaveID != "" {
		w, err := c.store.Wave(ctx, sess.WaveID)
		if err != nil {
			return err
		}
		st.Wave = w
	} else if st.Wave, err = c.store.NextWave(ctx); err != nil {
		return err
	}
	if st.Wave.ID != "" {
		tasks, err := c.store.WaveTasks(ctx, st.Wave.ID)
		if err != nil {
			return err
		}
		st.Tasks = pick.TasksOf(tasks)
		// Holds are the store's, read afresh; cancellations not yet
		// applied to the walk are applied at the first input (office).
		ws, err := c.store.WaveStanding(ctx, st.Wave.ID)
		if err != nil {
			return err
		}
		st.Held = ws.Held
	}
	if st.Returns, err = c.store.WaitingReturns(ctx); err != nil {
		return err
	}
	news := c.store.OfficeNews() // read first: a later pull is seen next time
	if st.Counts, err = c.counts(ctx); err != nil {
		return err
	}
	c.countsSeen = news
	if st.Current != 0 {
		rows, err := c.store.TaskPicks(ctx, st.Current)
		if err != nil {
			return err
		}
		for _, r := range rows {
			st.Picks = append(st.Picks, pick.Pick{Qty: r.Qty, Tote: r.Tote, Lot: r.Lot, Serial: r.Serial})
		}
	}
	return nil
}

// Handle runs one input through the pick workflow and commits it.
func (c *Cart) Handle(ctx context.Context, a station.Action, now time.Time) station.Outcome {
	if a.Weight != nil { // a scale on a pick cart: nothing to weigh
		o := c.Snapshot(a)
		o.Feedback = floor.Feedback{Level: floor.Info, Message: "No carton is waiting to be weighed"}
		return o
	}
	// Between waves (logged out, or logged in with nothing to do), look for
	// a wave that arrived since: assigned centrally and pulled by sync.
	idle := c.state.Step == pick.StepLogin || c.state.Step == pick.StepNoWork || c.state.Step == pick.StepDone
	var err error
	if idle && (c.state.Wave.ID == "" || c.state.Wave.Status == "done") {
		if err = c.reloadWave(ctx); err != nil {
			return c.kit.Failed(c.Snapshot(a), err)
		}
	}
	arrived, err := c.arrived(ctx)
	if err != nil {
		return c.kit.Failed(c.Snapshot(a), err)
	}
	news, newsEvents, err := c.office(ctx, now, a.Office)
	if err != nil {
		return c.kit.Failed(c.Snapshot(a), err)
	}
	if arrived != "" {
		news.Message = strings.TrimPrefix(news.Message+". "+arrived, ". ")
		news.Level = max(news.Level, floor.Warn)
	}
	if err = c.newCounts(ctx); err != nil { // a count task comes with the office's news
		return c.kit.Failed(c.Snapshot(a), err)
	}
	if a.Office {
		o := c.Snapshot(a)
		o.Feedback, o.Events = news, newsEvents
		return o
	}
	secret := c.state.Step == pick.StepPIN || c.state.Step == pick.StepSupervisorPIN
	var in pick.Input
	if a.Refresh {
		waiting := c.state.LoggedIn() && (c.state.Step == pick.StepNoWork || c.state.Step == pick.StepDone)
		if !waiting || c.state.Wave.ID == "" || c.state.Wave.Status == "done" {
			o := c.Snapshot(a)
			o.Feedback, o.Events = news, newsEvents
			return o
		}
		// A new wave for a picker waiting for work: start it now, as
		// any input would (the empty input is not a scan to apply).
		in = pick.Input{Today: now, RoleAllowed: c.kit.RoleAllowed(floor.RolePicker)}
	} else if in, err = c.resolve(ctx, a, now); err != nil {
		if secret {
			a.Scan.Data = "****"
		}
		return c.kit.Failed(c.Snapshot(a), err)
	}
	if secret {
		a.Scan.Data = "****" // a typed PIN goes no further than the workflow
	}
	res := pick.Apply(c.state, in)
	committed, err := c.store.Commit(ctx, now, res.Events, sessionOf(res.State))
	if err != nil {
		return c.kit.Failed(c.Snapshot(a), err)
	}
	c.state = res.State
	c.kit.Recorded(a, committed, res.Feedback)
	fb := res.Feedback
	if news.Message != "" { // the office's news first, then what the input did
		fb = floor.Feedback{Level: max(news.Level, fb.Level), Message: news.Message + ". " + fb.Message}
	}
	o := c.Snapshot(a)
	o.Feedback, o.Events = fb, append(newsEvents, committed...)
	return o
}

// office applies what sync brought about the wave's orders, when their
// standing moved since the last look: the workflow withdraws a cancelled
// order's tasks (with its goods' way back to stock) and lets a held
// order's tasks wait. The feedback is empty when the picker need not know.
func (c *Cart) office(ctx context.Context, now time.Time, force bool) (floor.Feedback, []floor.Event, error) {
	if c.state.Wave.ID == "" {
		return floor.Feedback{}, nil, nil
	}
	// Orders change by a pull or a site load in this process: a scan
	// looks at the store only after one of those (or when told to).
	news := c.store.OfficeNews()
	if !force && c.officeSeen >= 0 && news == c.officeNews {
		return floor.Feedback{}, nil, nil
	}
	v, err := c.store.StandingVersion(ctx) // read first: a later move is seen next time
	if err != nil {
		return floor.Feedback{}, nil, err
	}
	if fb, evs, moved, err := c.moved(ctx, now, news); moved || err != nil {
		return fb, evs, err
	}
	if v == c.officeSeen {
		c.officeNews = news
		return floor.Feedback{}, nil, nil
	}
	ws, err := c.store.WaveStanding(ctx, c.state.Wave.ID)
	if err != nil {
		return floor.Feedback{}, nil, err
	}
	in := pick.Office{Held: ws.Held}
	for _, o := range ws.Cancelled {
		goods, err := c.store.PickedGoods(ctx, o)
		if err != nil {
			return floor.Feedback{}, nil, err
		}
		in.Cancelled = append(in.Cancelled, pick.Withdrawal{Order: o, Goods: goods})
	}
	res := pick.Apply(c.state, pick.Input{Office: &in, Today: now})
	committed, err := c.store.Commit(ctx, now, res.Events, sessionOf(res.State))
	if err != nil {
		return floor.Feedback{}, nil, err
	}
	c.state, c.officeSeen, c.officeNews = res.State, v, news
	if len(committed) > 0 {
		c.kit.Log.Info("office news applied to the walk", "news", res.Feedback.Message)
		if c.kit.Opts.Committed != nil {
			c.kit.Opts.Committed()
		}
	}
	return res.Feedback, committed, nil
}

// moved looks whether a supervisor moved the cart's wave to another cart
// (the pull said so): the walk drops it and the picker is told.
func (c *Cart) moved(ctx context.Context, now time.Time, news int64) (floor.Feedback, []floor.Event, bool, error) {
	m, ok, err := c.store.WaveMoved(ctx, c.state.Wave.ID)
	if err != nil || !ok {
		return floor.Feedback{}, nil, false, err
	}
	res := pick.Apply(c.state, pick.Input{Office: &pick.Office{Moved: &pick.Moved{Wave: m.Wave, To: m.To, By: m.By, Reason: m.Reason}}, Today: now})
	committed, err := c.store.Commit(ctx, now, res.Events, sessionOf(res.State))
	if err != nil {
		return floor.Feedback{}, nil, true, err
	}
	c.state, c.officeSeen, c.officeNews, c.tasksSeen = res.State, -1, news, -1
	c.kit.Log.Info("the wave was moved to another cart", "wave", m.Wave, "to", m.To, "by", m.By)
	return res.Feedback, committed, true, nil
}

func (c *Cart) reloadWave(ctx context.Context) error {
	w, err := c.store.NextWave(ctx)
	if err != nil {
		return err
	}
	if w.ID == c.state.Wave.ID && w.Status == c.state.Wave.Status {
		return nil
	}
	if w.ID == "" && c.state.Wave.ID != "" {
		return nil // no new work: the finished wave stays on the screen (WAVE DONE names it)
	}
	st := c.state
	st.Wave, st.Tasks, st.Current, st.Picks, st.Held = w, pick.Walk{}, 0, nil, nil
	if w.ID != "" {
		tasks, err := c.store.WaveTasks(ctx, w.ID)
		if err != nil {
			return err
		}
		st.Tasks = pick.TasksOf(tasks)
	}
	c.state, c.officeSeen, c.tasksSeen = st, -1, -1 // the new wave's orders are read afresh
	return nil
}

// arrived looks, after a pull, for tasks that arrived for the wave since
// the walk was loaded (a short's remainder the hub offers again from
// another location): the walk takes them, and a wave picked to the end
// opens again (pick.Arrived). The news is "" when nothing changed.
func (c *Cart) arrived(ctx context.Context) (string, error) {
	news := c.store.OfficeNews()
	if c.state.Wave.ID == "" || news == c.tasksSeen {
		return "", nil
	}
	tasks, err := c.store.WaveTasks(ctx, c.state.Wave.ID)
	if err != nil {
		return "", err
	}
	var said string
	c.state, said = pick.Arrived(c.state, tasks)
	c.tasksSeen = news
	if said != "" {
		c.kit.Log.Info("tasks arrived for the wave", "wave", c.state.Wave.ID, "news", said)
	}
	return said, nil
}

// resolve interprets a scan and looks up what it names.
func (c *Cart) resolve(ctx context.Context, a station.Action, now time.Time) (pick.Input, error) {
	in := pick.Input{Command: a.Command, Today: now, RoleAllowed: c.kit.RoleAllowed(floor.RolePicker)}
	if a.Command != "" {
		return in, nil
	}
	m := c.kit.Meaning(a.Scan)
	in.Scan = m
	var err error
	switch {
	case c.state.Step == pick.StepPIN:
		in.Operator, err = c.store.Operator(ctx, c.state.Pending.Badge)
	case c.state.Step == pick.StepSupervisorPIN:
		in.Operator, err = c.store.Operator(ctx, c.state.Pending.Supervisor)
	case m.Err != nil:
	case m.Kind == barcode.KindBadge:
		in.Operator, err = c.store.Operator(ctx, m.Code)
	case m.Kind == barcode.KindTote:
		in.ToteHolds, err = c.store.ToteHolds(ctx, m.Code)
	case m.GTIN != "":
		if in.Item = c.expectedItem(m.GTIN, ""); in.Item == nil {
			in.Item, err = c.store.ItemByGTIN(ctx, m.GTIN)
		}
	case m.Kind == barcode.KindUnknown && c.state.Step == pick.StepItem:
		if in.Item = c.expectedItem("", m.Input); in.Item == nil {
			in.Item, err = c.store.ItemBySKU(ctx, m.Input)
		}
	}
	return in, err
}

// expectedItem answers the common case, a scan of the item the current
// task expects, from the task itself without a catalogue query.
func (c *Cart) expectedItem(gtin, sku string) *floor.Item {
	t, ok := c.state.Task()
	if !ok || (gtin == "" || gtin != t.GTIN) && (sku == "" || !floor.SameSKU(sku, t.SKU)) {
		return nil
	}
	return &floor.Item{SKU: t.SKU, GTINs: []string{t.GTIN}, Description: t.Description,
		LotControlled: t.LotControlled, SerialControlled: t.SerialControlled}
}

// nothingPending is json.Marshal's bytes for an empty Pending, what most
// scans record: made once, not by reflection at each scan.
var nothingPending = func() []byte {
	b, _ := json.Marshal(pick.Pending{}) // plain struct: cannot fail
	return b[:len(b):len(b)]             // an append never writes into it
}()

// sessionOf is the cart's session record.
func sessionOf(st pick.State) *store.Session {
	p := nothingPending // the store only reads it (and clones what it keeps)
	if st.Pending != (pick.Pending{}) {
		p, _ = json.Marshal(st.Pending) // plain struct: cannot fail
	}
	return &store.Session{Bench: string(station.BenchPick), Operator: st.Operator.Badge, WaveID: st.Wave.ID, Tote: st.Tote, ToteOrder: st.ToteOrder,
		TaskID: st.Current, Step: string(st.Step), Pending: p}
}

// shortReasons are [pick] short_reasons as the pick flow takes them.
func shortReasons(words []string) []floor.ShortReason {
	out := make([]floor.ShortReason, len(words))
	for i, w := range words {
		out[i] = floor.ShortReason(w)
	}
	return out
}

// newCounts reads the cart's count tasks again after a pull, the only
// way one arrives (the cart's own count is taken off its state by the
// workflow as it is committed): most scans read nothing.
func (c *Cart) newCounts(ctx context.Context) error {
	news := c.store.OfficeNews() // read first: a later pull is seen next time
	if news == c.countsSeen {
		return nil
	}
	counts, err := c.counts(ctx)
	if err != nil {
		return err
	}
	c.state.Counts, c.countsSeen = counts, news
	return nil
}

// counts are the open count tasks the office sent to this cart.
func (c *Cart) counts(ctx context.Context) ([]pick.CountTask, error) {
	ts, err := c.store.CountTasks(ctx, true)
	var out []pick.CountTask
	for _, t := range ts {
		out = append(out, pick.CountTask{ID: t.ID, Location: t.Location, SKU: t.SKU, Reason: t.Reason})
	}
	return out, err
}

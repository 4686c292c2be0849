// Package station runs a station's workflows: every input (a scan from any
// scanner, or a command from a key) is interpreted, resolved against the
// store, applied to the workflow, and committed with its events in one
// durable transaction before the operator is told anything.
//
// Inputs are handled one at a time, in arrival order, by a single goroutine
// (Serve), so two scans in one burst can never be reordered or interleaved.
// The terminal UI and the serial scanners both go through Submit.
package station

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// Bench is the workflow a station runs.
type Bench string

const (
	BenchPick Bench = "pick" // a pick cart: station/pick
	BenchPack Bench = "pack" // a packing bench: station/pack
)

// Options are the parts of the configuration the workflows use.
type Options struct {
	// Bench is the workflow; "" means picking.
	Bench Bench
	// Pack is what a packing bench needs besides the workflow's rules.
	Pack PackOptions
	// ConfirmAbove: keyed quantities above this are confirmed.
	ConfirmAbove int
	// PickHeld: a held order's tasks are picked anyway ([pick] on_hold =
	// "pick"); by default they wait until the hold is released.
	PickHeld bool
	// Roles allowed to log in on this station.
	Roles []floor.Role
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	Log *slog.Logger
	// Committed, when set, is called after each commit that recorded
	// events (sync pushes soon after). It must not block.
	Committed func()
	// Observe, when set, sees every outcome as it is made (the demo's
	// virtual scale listens). It must not block.
	Observe func(Outcome)
}

// Action is one input: a scan, a command, or a scale's stable reading.
type Action struct {
	Scan    floor.Scan
	Command floor.Command // when set, Scan is ignored
	// Weight is a stable reading of the bench's scale (pack benches only);
	// when set, Scan and Command are ignored.
	Weight *pack.ScaleReading
	// Refresh asks a pick cart between waves to look for work a pull
	// brought: nothing is recorded unless a logged-in picker waiting for
	// work gets a new wave, which starts at once. When set, the rest is
	// ignored.
	Refresh bool
	// Acknowledge records that the operator read the office's refusals
	// of the journal's events up to this sequence (Esc on the notice), so
	// they are not announced again, even after a restart.
	Acknowledge int64
	// Office says sync brought news of orders: a pick cart reads its
	// wave's orders again (cancelled tasks leave the walk, held ones wait).
	// Scan and Command are ignored. Every input does this too.
	Office bool
}

// Outcome is what an Action did, for the screen.
type Outcome struct {
	Action   Action
	Bench    Bench
	State    pick.State // a pick bench's state
	Pack     pack.State // a pack bench's state
	Feedback floor.Feedback
	Events   []floor.Event // as committed, with sequence numbers
	// Err is set when the outcome could not be made durable: nothing was
	// recorded and the operator must repeat the input.
	Err error
}

// Station owns the workflow state and the store.
type Station struct {
	store  *store.Store
	interp *barcode.Interpreter
	opts   Options
	log    *slog.Logger
	state  pick.State // a pick bench's workflow
	pack   pack.State // a pack bench's workflow
	// packRules are opts.Pack.Rules in the workflow's terms.
	packRules pack.Rules

	inbox    chan Action
	outcomes chan Outcome

	weigh   atomic.Uint64 // round<<1 | weighing: see WeighRound
	scaleOK atomic.Bool
	// standingRead is the pack bench's last read of its order's standing
	// (only Serve's goroutine touches it).
	standingRead standingRead
	// officeSeen is the standing version a pick cart last applied to its
	// wave, -1 before the first, and officeNews the store's OfficeNews
	// then (only Serve's goroutine touches them).
	officeSeen, officeNews int64
}

// Open loads the station's state from the store, resuming whatever step the
// last run left.
func Open(ctx context.Context, st *store.Store, interp *barcode.Interpreter, opts Options) (*Station, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Bench == "" {
		opts.Bench = BenchPick
	}
	if opts.Pack.DPI == 0 {
		opts.Pack.DPI = 203
	}
	s := &Station{store: st, interp: interp, opts: opts, log: opts.Log,
		inbox: make(chan Action, 256), outcomes: make(chan Outcome, 256), officeSeen: -1,
		packRules: PackRules(opts.Pack.Rules)}
	var err error
	switch opts.Bench {
	case BenchPick:
		s.state, err = s.load(ctx)
	case BenchPack:
		s.pack, err = s.loadPack(ctx)
		s.noteWeighing("", s.pack.Step)
	default:
		return nil, fmt.Errorf("unknown bench %q: want pick or pack", opts.Bench)
	}
	if err != nil {
		return nil, fmt.Errorf("loading the station's state: %w", err)
	}
	return s, nil
}

// State returns the current workflow state. Only safe when Serve is not
// running, or from the goroutine that reads Outcomes.
func (s *Station) State() pick.State { return s.state }

// Store is the station's store.
func (s *Station) Store() *store.Store { return s.store }

// Bench is the workflow this station runs.
func (s *Station) Bench() Bench { return s.opts.Bench }

func (s *Station) load(ctx context.Context) (pick.State, error) {
	st := pick.State{ConfirmAbove: s.opts.ConfirmAbove, PickHeld: s.opts.PickHeld, Step: pick.StepLogin}
	sess, err := s.store.LoadSession(ctx)
	if err != nil {
		return st, err
	}
	if sess.Bench != "" && sess.Bench != string(BenchPick) {
		s.log.Warn("the saved session is a packing session; this station picks: log in again", "operator", sess.Operator, "step", sess.Step)
		sess = store.Session{}
	}
	if sess.Step != "" {
		st.Step = pick.Step(sess.Step)
	}
	if len(sess.Pending) > 0 {
		if err := json.Unmarshal(sess.Pending, &st.Pending); err != nil {
			return st, fmt.Errorf("session pending data: %w", err)
		}
	}
	if sess.Operator != "" {
		op, err := s.store.Operator(ctx, sess.Operator)
		if err != nil {
			return st, err
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
		w, err := s.store.Wave(ctx, sess.WaveID)
		if err != nil {
			return st, err
		}
		st.Wave = w
	} else if st.Wave, err = s.store.NextWave(ctx); err != nil {
		return st, err
	}
	if st.Wave.ID != "" {
		if st.Tasks, err = s.store.WaveTasks(ctx, st.Wave.ID); err != nil {
			return st, err
		}
		// Holds are the store's, read afresh; cancellations not yet
		// applied to the walk are applied at the first input (office).
		ws, err := s.store.WaveStanding(ctx, st.Wave.ID)
		if err != nil {
			return st, err
		}
		st.Held = ws.Held
	}
	if st.Current != 0 {
		rows, err := s.store.TaskPicks(ctx, st.Current)
		if err != nil {
			return st, err
		}
		for _, r := range rows {
			st.Picks = append(st.Picks, pick.Pick{Qty: r.Qty, Tote: r.Tote, Lot: r.Lot, Serial: r.Serial})
		}
	}
	return st, nil
}

// Submit queues an action for Serve without blocking. It returns false when
// the queue is full, which only a stuck store can cause.
func (s *Station) Submit(a Action) bool {
	select {
	case s.inbox <- a:
		return true
	default:
		// The data is not logged: it may be a PIN.
		s.log.Warn("input not taken: the station's queue is full; the operator was asked to scan again",
			"source", floor.Printable(a.Scan.Source), "command", a.Command, "weight", a.Weight != nil, "queued", len(s.inbox))
		return false
	}
}

// Outcomes delivers one Outcome per submitted action, in order.
func (s *Station) Outcomes() <-chan Outcome { return s.outcomes }

// Serve handles submitted actions one at a time until ctx ends.
func (s *Station) Serve(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case a := <-s.inbox:
			o := s.Handle(ctx, a)
			select {
			case s.outcomes <- o:
			case <-ctx.Done():
				return
			}
		}
	}
}

// Handle runs one action through the workflow and commits it. The returned
// Outcome's feedback is only OK when the events are durable.
func (s *Station) Handle(ctx context.Context, a Action) Outcome {
	now := s.opts.Now()
	var o Outcome
	switch {
	case a.Acknowledge > 0:
		o = s.acknowledge(ctx, a)
	case (a.Refresh || a.Office) && s.opts.Bench == BenchPack:
		// A bench has no walk to refresh: it scans its orders, and reads
		// their standing at each scan.
		o = Outcome{Action: a, Bench: BenchPack, Pack: s.pack}
	case s.opts.Bench == BenchPack:
		o = s.handlePack(ctx, a, now)
	case a.Weight != nil: // a scale on a pick cart: nothing to weigh
		o = Outcome{Action: a, Bench: BenchPick, State: s.state, Feedback: floor.Feedback{Level: floor.Info, Message: "No carton is waiting to be weighed"}}
	default:
		o = s.handlePick(ctx, a, now)
	}
	if s.opts.Observe != nil {
		s.opts.Observe(o)
	}
	return o
}

func (s *Station) handlePick(ctx context.Context, a Action, now time.Time) Outcome {
	// Between waves (logged out, or logged in with nothing to do), look for
	// a wave that arrived since: assigned centrally and pulled by sync.
	idle := s.state.Step == pick.StepLogin || s.state.Step == pick.StepNoWork || s.state.Step == pick.StepDone
	var err error
	if idle && (s.state.Wave.ID == "" || s.state.Wave.Status == "done") {
		if err = s.reloadWave(ctx); err != nil {
			return s.failed(a, err)
		}
	}
	news, newsEvents, err := s.office(ctx, now, a.Office)
	if err != nil {
		return s.failed(a, err)
	}
	if a.Office {
		return Outcome{Action: a, Bench: BenchPick, State: s.state, Feedback: news, Events: newsEvents}
	}
	secret := s.state.Step == pick.StepPIN || s.state.Step == pick.StepSupervisorPIN
	var in pick.Input
	if a.Refresh {
		waiting := s.state.LoggedIn() && (s.state.Step == pick.StepNoWork || s.state.Step == pick.StepDone)
		if !waiting || s.state.Wave.ID == "" || s.state.Wave.Status == "done" {
			return Outcome{Action: a, Bench: BenchPick, State: s.state, Feedback: news, Events: newsEvents}
		}
		// A new wave for a picker waiting for work: start it now, as
		// any input would (the empty input is not a scan to apply).
		in = pick.Input{Today: now, RoleAllowed: s.roleAllowed(floor.RolePicker)}
	} else if in, err = s.resolve(ctx, a, now); err != nil {
		if secret {
			a.Scan.Data = "****"
		}
		return s.failed(a, err)
	}
	if secret {
		a.Scan.Data = "****" // a typed PIN goes no further than the workflow
	}
	res := pick.Apply(s.state, in)
	committed, err := s.store.Commit(ctx, now, res.Events, sessionOf(res.State))
	if err != nil {
		return s.failed(a, err)
	}
	s.state = res.State
	if len(committed) > 0 && s.opts.Committed != nil {
		s.opts.Committed()
	}
	for _, ev := range committed {
		if ev.Type == floor.EvScanRejected {
			s.log.Info("scan rejected", "seq", ev.Seq, "reason", res.Feedback.Message, "input", floor.Printable(a.Scan.Data))
		}
	}
	fb := res.Feedback
	if news.Message != "" { // the office's news first, then what the input did
		fb = floor.Feedback{Level: max(news.Level, fb.Level), Message: news.Message + ". " + fb.Message}
	}
	return Outcome{Action: a, Bench: BenchPick, State: s.state, Feedback: fb, Events: append(newsEvents, committed...)}
}

// office applies what sync brought about the wave's orders, when their
// standing moved since the last look: the workflow withdraws a cancelled
// order's tasks (with its goods' way back to stock) and lets a held
// order's tasks wait. The feedback is empty when the picker need not know.
func (s *Station) office(ctx context.Context, now time.Time, force bool) (floor.Feedback, []floor.Event, error) {
	if s.state.Wave.ID == "" {
		return floor.Feedback{}, nil, nil
	}
	// Orders change by a pull or a site load in this process: a scan
	// looks at the store only after one of those (or when told to).
	news := s.store.OfficeNews()
	if !force && s.officeSeen >= 0 && news == s.officeNews {
		return floor.Feedback{}, nil, nil
	}
	v, err := s.store.StandingVersion(ctx) // read first: a later move is seen next time
	if err != nil {
		return floor.Feedback{}, nil, err
	}
	if v == s.officeSeen {
		s.officeNews = news
		return floor.Feedback{}, nil, nil
	}
	ws, err := s.store.WaveStanding(ctx, s.state.Wave.ID)
	if err != nil {
		return floor.Feedback{}, nil, err
	}
	in := pick.Office{Held: ws.Held}
	for _, o := range ws.Cancelled {
		goods, err := s.store.PickedGoods(ctx, o)
		if err != nil {
			return floor.Feedback{}, nil, err
		}
		in.Cancelled = append(in.Cancelled, pick.Withdrawal{Order: o, Goods: goods})
	}
	res := pick.Apply(s.state, pick.Input{Office: &in, Today: now})
	committed, err := s.store.Commit(ctx, now, res.Events, sessionOf(res.State))
	if err != nil {
		return floor.Feedback{}, nil, err
	}
	s.state, s.officeSeen, s.officeNews = res.State, v, news
	if len(committed) > 0 {
		s.log.Info("office news applied to the walk", "news", res.Feedback.Message)
		if s.opts.Committed != nil {
			s.opts.Committed()
		}
	}
	return res.Feedback, committed, nil
}

func (s *Station) failed(a Action, err error) Outcome {
	msg := "NOT SAVED: " + err.Error() + ". Scan again; if it keeps failing call a supervisor"
	if sqlitedb.IsFull(err) {
		msg = "NOT SAVED: the disk is full. Nothing was recorded: call a supervisor to free space, then scan again"
	}
	var holds *store.ErrToteHolds
	if errors.As(err, &holds) {
		msg = fmt.Sprintf("NOT SAVED: tote %s holds %s: take an empty tote and scan it", holds.Tote, floor.Printable(holds.Order))
	}
	s.log.Error("input not recorded", "err", err, "input", floor.Printable(a.Scan.Data), "command", a.Command)
	return Outcome{Action: a, Bench: s.opts.Bench, State: s.state, Pack: s.pack, Feedback: floor.Feedback{Level: floor.Error, Message: msg}, Err: err}
}

func (s *Station) reloadWave(ctx context.Context) error {
	w, err := s.store.NextWave(ctx)
	if err != nil {
		return err
	}
	if w.ID == s.state.Wave.ID && w.Status == s.state.Wave.Status {
		return nil
	}
	st := s.state
	st.Wave, st.Tasks, st.Current, st.Picks, st.Held = w, nil, 0, nil, nil
	if w.ID != "" {
		if st.Tasks, err = s.store.WaveTasks(ctx, w.ID); err != nil {
			return err
		}
	}
	s.state, s.officeSeen = st, -1 // the new wave's orders are read afresh
	return nil
}

// resolve interprets a scan and looks up what it names.
func (s *Station) resolve(ctx context.Context, a Action, now time.Time) (pick.Input, error) {
	in := pick.Input{Command: a.Command, Today: now, RoleAllowed: s.roleAllowed(floor.RolePicker)}
	if a.Command != "" {
		return in, nil
	}
	var m barcode.Meaning
	if a.Scan.Problem != "" {
		m = barcode.Meaning{Input: a.Scan.Data, Symbology: a.Scan.AIM, Kind: barcode.KindUnknown, Err: errors.New(a.Scan.Problem)}
	} else {
		m = s.interp.Interpret(a.Scan.AIM, a.Scan.Data)
	}
	in.Scan = m
	var err error
	switch {
	case s.state.Step == pick.StepPIN:
		in.Operator, err = s.store.Operator(ctx, s.state.Pending.Badge)
	case s.state.Step == pick.StepSupervisorPIN:
		in.Operator, err = s.store.Operator(ctx, s.state.Pending.Supervisor)
	case m.Err != nil:
	case m.Kind == barcode.KindBadge:
		in.Operator, err = s.store.Operator(ctx, m.Code)
	case m.Kind == barcode.KindTote:
		in.ToteHolds, err = s.store.ToteHolds(ctx, m.Code)
	case m.GTIN != "":
		if in.Item = s.expectedItem(m.GTIN, ""); in.Item == nil {
			in.Item, err = s.store.ItemByGTIN(ctx, m.GTIN)
		}
	case m.Kind == barcode.KindUnknown && s.state.Step == pick.StepItem:
		if in.Item = s.expectedItem("", m.Input); in.Item == nil {
			in.Item, err = s.store.ItemBySKU(ctx, m.Input)
		}
	}
	return in, err
}

// expectedItem answers the common case, a scan of the item the current
// task expects, from the task itself without a catalogue query.
func (s *Station) expectedItem(gtin, sku string) *floor.Item {
	t, ok := s.state.Task()
	if !ok || (gtin == "" || gtin != t.GTIN) && (sku == "" || !floor.SameSKU(sku, t.SKU)) {
		return nil
	}
	return &floor.Item{SKU: t.SKU, GTINs: []string{t.GTIN}, Description: t.Description,
		LotControlled: t.LotControlled, SerialControlled: t.SerialControlled}
}

func (s *Station) roleAllowed(r floor.Role) bool {
	if len(s.opts.Roles) == 0 {
		return true
	}
	for _, x := range s.opts.Roles {
		if x == r {
			return true
		}
	}
	return false
}

func sessionOf(st pick.State) *store.Session {
	p, _ := json.Marshal(st.Pending) // plain struct: cannot fail
	return &store.Session{Bench: string(BenchPick), Operator: st.Operator.Badge, WaveID: st.Wave.ID, Tote: st.Tote, ToteOrder: st.ToteOrder,
		TaskID: st.Current, Step: string(st.Step), Pending: p}
}

// ErrQueueFull is reported to the operator when Submit refuses an input.
var ErrQueueFull = errors.New("the station is busy: scan again")

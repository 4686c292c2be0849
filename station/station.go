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
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/store"
)

// Options are the parts of the configuration the workflows use.
type Options struct {
	// Bench is the registered bench to run; "" means a pick cart.
	Bench BenchName
	// Pack is what a packing bench needs besides the workflow's rules.
	Pack PackOptions
	// Dispatch is what a dispatch bench needs besides its workflow.
	Dispatch DispatchOptions
	// Supervise is what a supervisor bench needs: the hub's figures.
	Supervise SuperviseOptions
	// ConfirmAbove: keyed quantities above this are confirmed.
	ConfirmAbove int
	// PickHeld: a held order's tasks are picked anyway ([pick] on_hold =
	// "pick"); by default they wait until the hold is released.
	PickHeld bool
	// ShortReasons are the reasons a picker may give for a short ([pick]
	// short_reasons), as configured; none: floor.ShortReasons.
	ShortReasons []string
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
	// Resolve is a supervisor's resolution of an exception and Count a
	// cycle count (resolving.go): the station answers them itself, in
	// turn with the bench's inputs. When set, the rest is ignored.
	Resolve *ResolveRequest
	Count   *CountRequest
	// Office says sync brought news of orders: a pick cart reads its
	// wave's orders again (cancelled tasks leave the walk, held ones wait).
	// Scan and Command are ignored. Every input does this too.
	Office bool
}

// Outcome is what an Action did, for the screen.
type Outcome struct {
	Action Action
	Bench  BenchName
	// State is the bench's state for its page, typed by the bench:
	// pick.State at a pick cart, pack.State at a pack bench, a new bench's
	// own type. The station never looks into it; the bench's page asserts
	// its type (ui.Page.Outcome).
	State    any
	Feedback floor.Feedback
	Events   []floor.Event // as committed, with sequence numbers
	// What the screens show of the input, typed: never journal JSON for
	// them to re-parse. Labels are the labels this input queued, with the
	// SSCC and tracking number the station gave each; Named are the codes
	// it named at an order prompt, taken or refused (a tote, an order),
	// which the demo then offers no more.
	Labels []floor.PackLabelPayload
	Named  []string
	// Err is set when the outcome could not be made durable: nothing was
	// recorded and the operator must repeat the input.
	Err error
	// Switched: with this input the station opened a visiting bench or
	// came back to its own (visit.go); the screens open Bench's page anew.
	Switched bool
	// Queued is how many inputs wait behind this one (Serve), from every
	// device: the screen says "saving…" while there are.
	Queued int
}

// Station takes a station's inputs one at a time to its bench.
type Station struct {
	store *store.Store
	kit   *Kit
	opts  Options
	log   *slog.Logger
	// bench is the bench inputs go to: home, the station's own, or a
	// visiting bench while one is open (visiting names it). Only Serve's
	// goroutine reads bench; other goroutines use home.
	bench, home Bench
	visiting    BenchName
	visitors    map[BenchName]Bench
	visitOrder  []BenchName

	inbox    chan Action
	outcomes chan Outcome
}

// Open makes the bench opts.Bench names and loads its state from the store,
// resuming whatever step the last run left.
func Open(ctx context.Context, st *store.Store, interp *barcode.Interpreter, opts Options) (*Station, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	opts.Bench = cmp.Or(opts.Bench, DefaultBench)
	if opts.Pack.DPI == 0 {
		opts.Pack.DPI = 203
	}
	if opts.Dispatch.DPI == 0 {
		opts.Dispatch.DPI = 203
	}
	open, ok := opener(opts.Bench)
	if !ok {
		return nil, fmt.Errorf("unknown bench %q: this build has %v", opts.Bench, Benches())
	}
	s := &Station{store: st, opts: opts, log: opts.Log,
		kit:   &Kit{Store: st, Interp: interp, Opts: opts, Log: opts.Log},
		inbox: make(chan Action, 256), outcomes: make(chan Outcome, 256)}
	var err error
	if s.bench, err = open(s.kit); err != nil {
		return nil, err
	}
	s.home = s.bench
	if err := s.openVisitors(); err != nil {
		return nil, err
	}
	if err := s.bench.Load(ctx); err != nil {
		return nil, fmt.Errorf("loading the station's state: %w", err)
	}
	return s, nil
}

// Snapshot is the bench's current state as an outcome (the screens open
// the bench's page from it). Only safe when Serve is not running, or from
// the goroutine that reads Outcomes.
func (s *Station) Snapshot() Outcome { return s.bench.Snapshot(Action{}) }

// Store is the station's store.
func (s *Station) Store() *store.Store { return s.store }

// Bench is the bench this station runs (its own: not a visiting one).
func (s *Station) Bench() BenchName { return s.opts.Bench }

// WeighRound says whether the bench waits for a weight now, and which
// weighing it is (see Scale); a bench without a scale never weighs. Safe
// from any goroutine.
func (s *Station) WeighRound() (round uint64, weighing bool) {
	if sc, ok := s.home.(Scale); ok {
		return sc.WeighRound()
	}
	return 0, false
}

// Weighs says whether the bench weighs with a scale (it is a Scale): the
// bench scale's poller runs only for one.
func (s *Station) Weighs() bool {
	_, ok := s.home.(Scale)
	return ok
}

// SetScale tells the bench whether its scale is connected: with a working
// scale typed weights are refused; without one the packer types the
// weight. Safe from any goroutine.
func (s *Station) SetScale(ok bool) {
	if sc, is := s.home.(Scale); is {
		sc.SetScale(ok)
	}
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
	s.background(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case a := <-s.inbox:
			o := s.Handle(ctx, a)
			o.Queued = len(s.inbox)
			select {
			case s.outcomes <- o:
			case <-ctx.Done():
				return
			}
		}
	}
}

// Handle runs one action through the bench and commits it. The returned
// Outcome's feedback is only OK when the events are durable.
func (s *Station) Handle(ctx context.Context, a Action) Outcome {
	var o Outcome
	if a.Acknowledge > 0 {
		o = s.acknowledge(ctx, a)
	} else if a.Resolve != nil || a.Count != nil {
		o = s.resolving(ctx, a)
	} else {
		o = s.route(ctx, a, s.opts.Now())
	}
	o.Bench = cmp.Or(s.visiting, s.opts.Bench)
	if s.opts.Observe != nil {
		s.opts.Observe(o)
	}
	return o
}

// ErrQueueFull is reported to the operator when Submit refuses an input.
var ErrQueueFull = errors.New("the station is busy: scan again")

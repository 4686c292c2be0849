// Package supervisebench is the supervisor's bench: the supervise
// workflow (station/supervise) on a station, with the hub's figures as
// the station last fetched them. It registers itself as
// station.BenchSupervise, for the supervisor role, and as a visiting
// bench: a supervisor's badge at any station's login opens it there, and
// signing out gives the station back to its own bench (station/visit.go).
//
// Its Background fetches the figures from the hub on a timer while a
// supervisor is signed in (station.SuperviseOptions.Fetch), off the
// inputs' goroutine, and then asks the station for a refresh: the bench
// reads the figures from the store, so offline it shows the last ones,
// as of when they were fetched.
package supervisebench

import (
	"cmp"
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/sync/replicator"
)

func init() {
	station.Register(station.BenchSupervise, func(k *station.Kit) (station.Bench, error) {
		return &Bench{kit: k, store: k.Store, opts: k.Opts.Supervise, kick: make(chan struct{}, 1)}, nil
	})
	station.RegisterRole(station.BenchSupervise, floor.RoleSupervisor)
	station.RegisterVisitor(station.BenchSupervise)
}

// Bench is a supervisor bench. Only the station's Serve goroutine uses
// its state; Background shares only focus, online and kick.
type Bench struct {
	kit   *station.Kit
	store *store.Store
	opts  station.SuperviseOptions
	state supervise.State

	mu    sync.Mutex
	focus focus
	// online: the last fetch reached the hub.
	online atomic.Bool
	// kick asks Background to fetch now (a supervisor signed in, or
	// opened a wave or an order).
	kick chan struct{}
}

// focus is what Background fetches: nothing unless a supervisor is
// signed in; the open wave's and order's detail when there are.
type focus struct {
	on          bool
	wave, order string
}

// Snapshot is the bench's state as an outcome of a.
func (b *Bench) Snapshot(a station.Action) station.Outcome {
	return station.Outcome{Action: a, Bench: station.BenchSupervise, State: b.state}
}

// WaitsForBadge: nobody is signed in (a visit ends there).
func (b *Bench) WaitsForBadge() bool {
	return b.state.Step == supervise.StepLogin || b.state.Step == ""
}

// Load starts at the login: a supervisor signs in again after a restart,
// and each visit starts afresh. The session row is never written: at a
// visited station it is the station's own bench's.
func (b *Bench) Load(ctx context.Context) error {
	b.state = supervise.State{Step: supervise.StepLogin, Now: b.kit.Opts.Now()}
	b.setFocus(focus{})
	return nil
}

// Handle runs one input through the supervise workflow; signing in and
// out (and a refused input) are journaled, moving through the figures is
// not.
func (b *Bench) Handle(ctx context.Context, a station.Action, now time.Time) station.Outcome {
	b.state.Now = now
	if err := b.readFigures(ctx); err != nil {
		return b.kit.Failed(b.Snapshot(a), err)
	}
	if a.Refresh || a.Office || a.Weight != nil {
		return b.Snapshot(a) // new figures, or nothing for this bench
	}
	secret := b.state.Step == supervise.StepPIN
	in, err := b.resolve(ctx, a)
	if secret {
		a.Scan.Data = "****" // a typed PIN goes no further than the workflow
	}
	if err != nil {
		return b.kit.Failed(b.Snapshot(a), err)
	}
	res := supervise.Apply(b.state, in)
	var committed []floor.Event
	if len(res.Events) > 0 {
		if committed, err = b.store.Commit(ctx, now, res.Events, nil); err != nil {
			return b.kit.Failed(b.Snapshot(a), err)
		}
	}
	b.state = res.State
	b.kit.Recorded(a, committed, res.Feedback)
	if err := b.readFigures(ctx); err != nil { // the wave or order opened, as the store has it
		b.kit.Log.Warn("reading the figures", "err", err)
	}
	b.setFocus(focus{on: b.state.LoggedIn(), wave: b.state.Wave, order: b.state.Order})
	o := b.Snapshot(a)
	o.Feedback, o.Events = res.Feedback, committed
	return o
}

// resolve interprets a scan and finds the badge's operator.
func (b *Bench) resolve(ctx context.Context, a station.Action) (supervise.Input, error) {
	in := supervise.Input{Command: a.Command, Allowed: b.kit.RoleAllowed(floor.RoleSupervisor)}
	if a.Command != "" {
		return in, nil
	}
	m := b.kit.Meaning(a.Scan)
	in.Scan = m
	var err error
	switch {
	case b.state.Step == supervise.StepPIN:
		in.Operator, err = b.store.Operator(ctx, b.state.Badge)
	case b.state.Step == supervise.StepLogin && m.Err == nil && m.Kind == barcode.KindBadge:
		in.Operator, err = b.store.Operator(ctx, m.Code)
	}
	return in, err
}

// readFigures puts the figures the store holds into the state: the
// site's, and the open wave's and order's when they are the ones kept.
func (b *Bench) readFigures(ctx context.Context) error {
	f := supervise.Figures{Online: b.online.Load() && b.opts.Fetch != nil}
	last, ok, err := replicator.LastFigures(ctx, b.store)
	if err != nil {
		return err
	}
	if ok {
		f.Waves, f.Site, f.AsOf = last.Waves, last.Site, last.AsOf
	}
	if b.state.Wave != "" {
		if d, ok, err := replicator.LastWave(ctx, b.store); err != nil {
			return err
		} else if ok && d.Progress.Wave == b.state.Wave {
			f.Wave = d
		}
	}
	if b.state.Order != "" {
		if s, ok, err := replicator.LastStory(ctx, b.store); err != nil {
			return err
		} else if ok && s.Order == b.state.Order {
			f.Story = s
		}
	}
	b.state.Figures = f
	b.state = supervise.Fit(b.state)
	return nil
}

func (b *Bench) setFocus(f focus) {
	b.mu.Lock()
	changed := b.focus != f
	b.focus = f
	b.mu.Unlock()
	if changed && f.on {
		select {
		case b.kick <- struct{}{}:
		default:
		}
	}
}

func (b *Bench) focusNow() focus {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.focus
}

// Background fetches the figures while a supervisor is signed in: at
// once when they sign in or open a wave or an order, then every
// SuperviseOptions.Every. After each fetch, reached or not, it asks the
// station to refresh the bench, which reads them from the store.
func (b *Bench) Background(ctx context.Context, submit func(station.Action) bool) {
	t := time.NewTicker(cmp.Or(b.opts.Every, 5*time.Second))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-b.kick:
		}
		f := b.focusNow()
		if !f.on {
			continue
		}
		if b.opts.Fetch != nil {
			err := b.opts.Fetch(ctx, f.wave, f.order, b.kit.Opts.Now())
			if ctx.Err() != nil {
				return
			}
			if err != nil && b.online.Load() {
				b.kit.Log.Warn("the hub's figures not fetched: showing the last ones", "err", err)
			}
			b.online.Store(err == nil)
		}
		submit(station.Action{Refresh: true}) // refused only when busy: the next tick asks again
	}
}

package station

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/totewms/tote/internal/barcode"
)

// A visiting bench opens on any station for its role's badge: a
// supervisor scans their badge at a pick cart's login, works at the
// supervisor bench there, and when they sign out the cart is back at its
// login, its own session untouched. The station decides this the same
// way for every bench, by the registered role and two small interfaces;
// it never asks which bench it runs.

var visitors = map[BenchName]bool{}

// RegisterVisitor makes a registered bench a visiting one: at any other
// station's login, a badge of the role the bench registered with
// (RegisterRole) opens it, when the station lets that role sign in. A
// bench registers it from init, next to Register.
func RegisterVisitor(name BenchName) {
	registryMu.Lock()
	defer registryMu.Unlock()
	visitors[name] = true
}

// Login is a bench with a login: WaitsForBadge says nobody is signed in
// and no badge waits for its PIN. Only at such a login does a visiting
// bench open, and a visiting bench back at its login leaves.
type Login interface {
	WaitsForBadge() bool
}

// Background is a bench with work of its own off the inputs' goroutine
// (the supervisor's timed fetch of the hub's figures). Serve runs it for
// as long as it serves, for its own bench and each visiting one; it tells
// the bench what it found by submitting an input (Action.Refresh), never
// by touching the bench's state, and must not block.
type Background interface {
	Background(ctx context.Context, submit func(Action) bool)
}

// openVisitors opens the visiting benches this station may host: every
// registered one but its own.
func (s *Station) openVisitors() error {
	registryMu.RLock()
	others := maps.Clone(visitors)
	registryMu.RUnlock()
	delete(others, s.opts.Bench)
	names := slices.Sorted(maps.Keys(others))
	s.visitors = map[BenchName]Bench{}
	for _, name := range names {
		open, ok := opener(name)
		if !ok {
			return fmt.Errorf("visiting bench %q is not registered", name)
		}
		b, err := open(s.kit)
		if err != nil {
			return err
		}
		s.visitors[name] = b
		s.visitOrder = append(s.visitOrder, name)
	}
	return nil
}

// visitFor is the visiting bench a badge scanned at the station's own
// login opens, "" for none: the first (by name) whose role the badge's
// operator has and the station lets sign in.
func (s *Station) visitFor(ctx context.Context, a Action) BenchName {
	if len(s.visitOrder) == 0 || a.Command != "" || a.Refresh || a.Office || a.Weight != nil {
		return ""
	}
	if l, ok := s.home.(Login); !ok || !l.WaitsForBadge() {
		return ""
	}
	m := s.kit.Meaning(a.Scan)
	if m.Err != nil || m.Kind != barcode.KindBadge {
		return ""
	}
	op, err := s.store.Operator(ctx, m.Code)
	if err != nil || op == nil { // the station's own bench meets the same
		return ""
	}
	registryMu.RLock()
	defer registryMu.RUnlock()
	for _, name := range s.visitOrder {
		if role, ok := roles[name]; ok && op.Has(role) && s.kit.RoleAllowed(role) {
			return name
		}
	}
	return ""
}

// route hands an input to the bench it is for: the visiting bench while
// one is open, one a badge opens now, else the station's own. Opening
// and leaving are marked Switched, so the screens open the page anew.
func (s *Station) route(ctx context.Context, a Action, now time.Time) Outcome {
	if s.visiting == "" {
		name := s.visitFor(ctx, a)
		if name == "" {
			return s.bench.Handle(ctx, a, now)
		}
		v := s.visitors[name]
		if err := v.Load(ctx); err != nil {
			return s.kit.Failed(s.bench.Snapshot(a), err)
		}
		s.bench, s.visiting = v, name
		s.log.Info("visiting bench opened", "bench", name)
		o := s.leave(v.Handle(ctx, a, now))
		o.Switched = true
		return o
	}
	return s.leave(s.bench.Handle(ctx, a, now))
}

// leave ends the visit when the visiting bench is back at its login
// (signed out, a wrong PIN, a cancelled PIN): the station's own bench
// shows again, with what the visit's last input said.
func (s *Station) leave(o Outcome) Outcome {
	if l, ok := s.bench.(Login); !ok || !l.WaitsForBadge() {
		o.Bench = s.visiting
		return o
	}
	s.log.Info("visiting bench left", "bench", s.visiting)
	s.bench, s.visiting = s.home, ""
	home := s.bench.Snapshot(o.Action)
	home.Feedback, home.Events, home.Err, home.Switched = o.Feedback, o.Events, o.Err, true
	return home
}

// Serve's background work: each bench's own (Background).
func (s *Station) background(ctx context.Context) {
	bs := []Bench{s.home}
	for _, name := range s.visitOrder {
		bs = append(bs, s.visitors[name])
	}
	for _, b := range bs {
		if bg, ok := b.(Background); ok {
			go bg.Background(ctx, s.Submit)
		}
	}
}

// Package weightest is what the scale poller's tests share (station/weigh
// and the demo's scale in station/demo/actors): a pack bench as the
// poller sees it, recorded, and the poller started as the station starts
// it. Only tests import it.
package weightest

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/weigh"
)

// Bench is a pack bench as far as the scale poller sees it: the
// station's three methods, recorded. The real *station.Station cannot be
// put at a weigh step from here yet (its pack bench is being wired), so the
// poller's tests drive the round themselves; TestScaleOnRealStation runs
// the poller against the real station.
type Bench struct {
	Mu       sync.Mutex
	Round    uint64
	Weighing bool
	Actions  []station.Action
	ScaleOK  []bool
	Msgs     []any
	poke     chan struct{}
}

var _ weigh.Station = (*Bench)(nil)

// NewBench is a bench at no weigh step.
func NewBench() *Bench { return &Bench{poke: make(chan struct{}, 1)} }

// WeighRound, Submit and SetScale are the station's, as the poller uses them.
func (b *Bench) WeighRound() (uint64, bool) {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	return b.Round, b.Weighing
}

func (b *Bench) Submit(a station.Action) bool {
	b.record(func() { b.Actions = append(b.Actions, a) })
	return true
}

func (b *Bench) SetScale(ok bool) { b.record(func() { b.ScaleOK = append(b.ScaleOK, ok) }) }

// Send records what the poller shows (a weigh.Reading, a devices.State).
func (b *Bench) Send(m any) { b.record(func() { b.Msgs = append(b.Msgs, m) }) }

func (b *Bench) record(f func()) {
	b.Mu.Lock()
	f()
	b.Mu.Unlock()
	select {
	case b.poke <- struct{}{}:
	default:
	}
}

// Weigh starts a new weigh round, as the bench does when a carton comes to
// be weighed.
func (b *Bench) Weigh() {
	b.Mu.Lock()
	b.Round++
	b.Weighing = true
	b.Mu.Unlock()
}

// WaitFor waits until cond (called with the lock held) holds.
func (b *Bench) WaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(15 * time.Second)
	defer deadline.Stop()
	for {
		b.Mu.Lock()
		ok := cond()
		b.Mu.Unlock()
		if ok {
			return
		}
		select {
		case <-b.poke:
		case <-deadline.C:
			b.Mu.Lock()
			defer b.Mu.Unlock()
			t.Fatalf("waited 15s for %s; submitted %v, scale ok %v, last messages %v", what, b.Weights(), b.ScaleOK, tail(b.Msgs, 5))
		}
	}
}

// Weights are the submitted weights; call with the lock held.
func (b *Bench) Weights() []float64 {
	var ws []float64
	for _, a := range b.Actions {
		if a.Weight != nil {
			ws = append(ws, a.Weight.Grams)
		}
	}
	return ws
}

// Readings are the ScaleMsgs sent so far; call with the lock held.
func (b *Bench) Readings() []weigh.Reading {
	var rs []weigh.Reading
	for _, m := range b.Msgs {
		if r, ok := m.(weigh.Reading); ok {
			rs = append(rs, r)
		}
	}
	return rs
}

// LastDevice is the last DeviceMsg sent; call with the lock held.
func (b *Bench) LastDevice() (devices.State, bool) {
	for i := len(b.Msgs) - 1; i >= 0; i-- {
		if d, ok := b.Msgs[i].(devices.State); ok {
			return d, true
		}
	}
	return devices.State{}, false
}

// MoreReadings waits for n readings after the ones already sent, so a test
// can say "the poller looked n more times and did nothing".
func (b *Bench) MoreReadings(t *testing.T, n int) {
	t.Helper()
	b.Mu.Lock()
	from := len(b.Readings())
	b.Mu.Unlock()
	b.WaitFor(t, fmt.Sprintf("%d more readings", n), func() bool { return len(b.Readings()) >= from+n })
}

// Submitted are the weights submitted so far.
func (b *Bench) Submitted() []float64 {
	b.Mu.Lock()
	defer b.Mu.Unlock()
	return b.Weights()
}

// tail is the last n of s.
func tail[T any](s []T, n int) []T { return s[max(0, len(s)-n):] }

// StartPoller runs a poller on c until the returned func or the test's
// end, which both wait for Run to return.
func StartPoller(t *testing.T, c scale.Config, st weigh.Station, send func(any), log *slog.Logger) context.CancelFunc {
	t.Helper()
	p, err := weigh.New(c, st, weigh.Options{EmptyBelowG: EmptyBelowG, Log: log,
		Reading: func(r weigh.Reading) { send(r) }, Device: func(s devices.State) { send(s) }})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); p.Run(ctx) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return stop
}

// EmptyBelowG is [pack] scale_empty_below_g's default.
const EmptyBelowG = 20

// DiscardLog is a logger that writes nothing.
func DiscardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

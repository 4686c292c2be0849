package actors

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

// The demo scale's tests run it through the real poller (station/weigh)
// against this stand-in, a copy of weigh's own test stand-in.

// benchStandIn is a pack bench as far as the scale poller sees it: the
// station's three methods, recorded. The real *station.Station cannot be
// put at a weigh step from here yet (its pack bench is being wired), so the
// poller's tests drive the round themselves; TestScaleOnRealStation runs
// the poller against the real station.
type benchStandIn struct {
	mu       sync.Mutex
	round    uint64
	weighing bool
	actions  []station.Action
	scaleOK  []bool
	msgs     []any
	poke     chan struct{}
}

var _ weigh.Station = (*benchStandIn)(nil)

func newBenchStandIn() *benchStandIn { return &benchStandIn{poke: make(chan struct{}, 1)} }

func (b *benchStandIn) WeighRound() (uint64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.round, b.weighing
}

func (b *benchStandIn) Submit(a station.Action) bool {
	b.record(func() { b.actions = append(b.actions, a) })
	return true
}

func (b *benchStandIn) SetScale(ok bool) { b.record(func() { b.scaleOK = append(b.scaleOK, ok) }) }

func (b *benchStandIn) send(m any) { b.record(func() { b.msgs = append(b.msgs, m) }) }

func (b *benchStandIn) record(f func()) {
	b.mu.Lock()
	f()
	b.mu.Unlock()
	select {
	case b.poke <- struct{}{}:
	default:
	}
}

// weigh starts a new weigh round, as the bench does when a carton comes to
// be weighed.
func (b *benchStandIn) weigh() {
	b.mu.Lock()
	b.round++
	b.weighing = true
	b.mu.Unlock()
}

// waitFor waits until cond (called with the lock held) holds.
func (b *benchStandIn) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(15 * time.Second)
	defer deadline.Stop()
	for {
		b.mu.Lock()
		ok := cond()
		b.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-b.poke:
		case <-deadline.C:
			b.mu.Lock()
			defer b.mu.Unlock()
			t.Fatalf("waited 15s for %s; submitted %v, scale ok %v, last messages %v", what, b.weights(), b.scaleOK, tail(b.msgs, 5))
		}
	}
}

// weights are the submitted weights; call with the lock held.
func (b *benchStandIn) weights() []float64 {
	var ws []float64
	for _, a := range b.actions {
		if a.Weight != nil {
			ws = append(ws, a.Weight.Grams)
		}
	}
	return ws
}

// readings are the ScaleMsgs sent so far; call with the lock held.
func (b *benchStandIn) readings() []weigh.Reading {
	var rs []weigh.Reading
	for _, m := range b.msgs {
		if r, ok := m.(weigh.Reading); ok {
			rs = append(rs, r)
		}
	}
	return rs
}

// lastDevice is the last DeviceMsg sent; call with the lock held.
func (b *benchStandIn) lastDevice() (devices.State, bool) {
	for i := len(b.msgs) - 1; i >= 0; i-- {
		if d, ok := b.msgs[i].(devices.State); ok {
			return d, true
		}
	}
	return devices.State{}, false
}

// moreReadings waits for n readings after the ones already sent, so a test
// can say "the poller looked n more times and did nothing".
func (b *benchStandIn) moreReadings(t *testing.T, n int) {
	t.Helper()
	b.mu.Lock()
	from := len(b.readings())
	b.mu.Unlock()
	b.waitFor(t, fmt.Sprintf("%d more readings", n), func() bool { return len(b.readings()) >= from+n })
}

func tail[T any](s []T, n int) []T { return s[max(0, len(s)-n):] }

// startPoller runs a poller on c until the returned func or the test's
// end, which both wait for Run to return.
func startPoller(t *testing.T, c scale.Config, st weigh.Station, send func(any), log *slog.Logger) context.CancelFunc {
	t.Helper()
	p, err := weigh.New(c, st, weigh.Options{EmptyBelowG: testEmptyBelowG, Log: log,
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

// testEmptyBelowG is [pack] scale_empty_below_g's default.
const testEmptyBelowG = 20

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

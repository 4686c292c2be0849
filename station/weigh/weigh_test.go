package weigh_test

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
	_ "github.com/totewms/tote/station/pickcart" // the real station below is a pick cart
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/weigh"
)

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

func (b *benchStandIn) submitted() []float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.weights()
}

func tail[T any](s []T, n int) []T { return s[max(0, len(s)-n):] }

// logRecords keeps what the poller logs, to check it logs once per change.
type logRecords struct {
	mu   sync.Mutex
	recs []string
}

func (l *logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecords) Handle(_ context.Context, r slog.Record) error {
	line := r.Level.String() + " " + r.Message
	r.Attrs(func(a slog.Attr) bool { line += " " + a.String(); return true })
	l.mu.Lock()
	l.recs = append(l.recs, line)
	l.mu.Unlock()
	return nil
}
func (l *logRecords) WithAttrs([]slog.Attr) slog.Handler { return l }
func (l *logRecords) WithGroup(string) slog.Handler      { return l }

func (l *logRecords) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.recs {
		if strings.Contains(r, substr) {
			n++
		}
	}
	return n
}

func testScaleConfig(link string) scale.Config {
	return scale.Config{Name: "bench-scale", Protocol: scale.ProtocolMTSICS, Port: link, Baud: 9600, DataBits: 8, Parity: "none", StopBits: 1,
		ReadTimeout: 100 * time.Millisecond}
}

func newTestSim(t *testing.T, link string) *sim.ScaleSim {
	t.Helper()
	s, err := sim.NewScale(link, sim.ProtocolMTSICS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// runPoller starts the scale as the station does; the returned func ends
// its context (the station shutting down).
func runPoller(t *testing.T, link string, st weigh.Station, send func(any), log *slog.Logger) context.CancelFunc {
	t.Helper()
	return startPoller(t, testScaleConfig(link), st, send, log)
}

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

// emptyPanFirst shows the poller an empty pan, as every weighing after a
// start needs (pack.ScaleArm), then puts grams on it.
func emptyPanFirst(t *testing.T, s *sim.ScaleSim, b *benchStandIn, grams float64) {
	t.Helper()
	s.Set(0, true)
	b.waitFor(t, "the empty pan read", func() bool {
		r := b.readings()
		return len(r) > 0 && r[len(r)-1].Stable && r[len(r)-1].Grams == 0
	})
	s.Set(grams, true)
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// near: the sim answers in kg with three decimals, so to the gram.
func near(g, want float64) bool { return math.Abs(g-want) <= 0.5 }

func TestScaleSubmitsStableReadingOncePerRound(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s := newTestSim(t, link)
	b := newBenchStandIn()
	b.weigh()
	runPoller(t, link, b, b.send, discardLog())
	emptyPanFirst(t, s, b, 1250)

	b.waitFor(t, "the first stable reading submitted", func() bool { return len(b.weights()) == 1 })
	if w := b.submitted(); !near(w[0], 1250) {
		t.Fatalf("submitted %v, want 1250 g", w)
	}
	// Four readings a second, one submission.
	b.moreReadings(t, 6)
	if w := b.submitted(); len(w) != 1 {
		t.Fatalf("the same weight was submitted again: %v", w)
	}

	// A gram of jitter is not a new weight.
	s.Set(1251, true)
	b.waitFor(t, "1251 g shown", func() bool { r := b.readings(); return near(r[len(r)-1].Grams, 1251) })
	b.moreReadings(t, 3)
	if w := b.submitted(); len(w) != 1 {
		t.Fatalf("1 g of jitter was submitted: %v", w)
	}

	// An item added: checked again.
	s.Set(1400, true)
	b.waitFor(t, "the changed weight submitted", func() bool { return len(b.weights()) == 2 })
	if w := b.submitted(); !near(w[1], 1400) {
		t.Fatalf("submitted %v, want 1250 then 1400", w)
	}
	b.moreReadings(t, 4)
	if w := b.submitted(); len(w) != 2 {
		t.Fatalf("submitted %v after the change, want it once", w)
	}

	// The next carton weighs the same: it counts only once the pan was
	// empty in between (TestScaleNextCartonNeedsEmptyPan).
	b.weigh()
	s.Set(0, true)
	b.waitFor(t, "the pan read empty", func() bool { r := b.readings(); return r[len(r)-1].Grams == 0 })
	s.Set(1400, true)
	b.waitFor(t, "the same weight submitted in a new round", func() bool { return len(b.weights()) == 3 })
	if w := b.submitted(); !near(w[2], 1400) {
		t.Fatalf("submitted %v, want 1400 again", w)
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, a := range b.actions {
		if a.Weight == nil || a.Command != "" || a.Scan.Data != "" {
			t.Errorf("submitted %+v, want only a weight", a)
		}
	}
	for _, r := range b.readings() {
		if r.Scale != "bench-scale" {
			t.Errorf("reading from %q, want bench-scale", r.Scale)
		}
	}
}

func TestScaleMotionRangeAndSilenceNotSubmitted(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s := newTestSim(t, link)
	s.Set(0, true) // an empty pan when the carton comes to be weighed
	b := newBenchStandIn()
	b.weigh()
	runPoller(t, link, b, b.send, discardLog())

	b.waitFor(t, "an empty pan shown", func() bool { r := b.readings(); return len(r) > 0 && r[len(r)-1].Stable })
	b.moreReadings(t, 2)
	if w := b.submitted(); len(w) != 0 {
		t.Fatalf("an empty pan was submitted: %v", w)
	}

	s.Set(900, false)
	b.waitFor(t, "a moving weight shown", func() bool {
		r := b.readings()
		last := r[len(r)-1]
		return !last.Stable && near(last.Grams, 900) && strings.Contains(last.Problem, "moving")
	})
	b.moreReadings(t, 4)

	s.SetOverload(true)
	b.waitFor(t, "overload shown", func() bool {
		r := b.readings()
		return !r[len(r)-1].Stable && strings.Contains(r[len(r)-1].Problem, "too heavy")
	})
	s.SetOverload(false)
	s.SetUnderload(true)
	b.waitFor(t, "underload shown", func() bool {
		r := b.readings()
		return !r[len(r)-1].Stable && strings.Contains(r[len(r)-1].Problem, "below zero")
	})
	s.SetUnderload(false)

	s.Set(900, true)
	s.SetMute(true)
	b.waitFor(t, "silence shown and the scale not OK", func() bool {
		r := b.readings()
		d, ok := b.lastDevice()
		return strings.Contains(r[len(r)-1].Problem, "no reply") && ok && !devices.State(d).OK() &&
			len(b.scaleOK) > 0 && !b.scaleOK[len(b.scaleOK)-1]
	})
	if w := b.submitted(); len(w) != 0 {
		t.Fatalf("motion, overload, underload or silence submitted: %v", w)
	}

	s.SetMute(false)
	b.waitFor(t, "the settled weight submitted", func() bool { return len(b.weights()) == 1 })
	if w := b.submitted(); !near(w[0], 900) {
		t.Fatalf("submitted %v, want 900 g", w)
	}
}

func TestScaleNotWeighingOnlyShows(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s := newTestSim(t, link)
	b := newBenchStandIn()
	runPoller(t, link, b, b.send, discardLog())
	emptyPanFirst(t, s, b, 1250)

	b.waitFor(t, "two stable readings shown", func() bool {
		n := 0
		for _, r := range b.readings() {
			if r.Stable && near(r.Grams, 1250) {
				n++
			}
		}
		return n >= 2
	})
	if w := b.submitted(); len(w) != 0 {
		t.Fatalf("submitted %v while nothing waits to be weighed", w)
	}
	b.weigh()
	b.waitFor(t, "the weight submitted once weighing starts", func() bool { return len(b.weights()) == 1 })
}

func TestScaleUnpluggedAndBack(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s, err := sim.NewScale(link, sim.ProtocolMTSICS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	b := newBenchStandIn()
	b.weigh() // four polls a second, so the test is quick
	logs := &logRecords{}
	stop := runPoller(t, link, b, b.send, slog.New(logs))
	emptyPanFirst(t, s, b, 700)

	connected := func() bool {
		d, ok := b.lastDevice()
		return ok && devices.State(d).OK() && d.Kind == devices.KindScale && d.Device == "bench-scale" &&
			len(b.scaleOK) > 0 && b.scaleOK[len(b.scaleOK)-1]
	}
	b.waitFor(t, "the scale connected", connected)
	b.waitFor(t, "700 g submitted", func() bool { return len(b.weights()) == 1 })

	s.Close() // unplugged
	b.waitFor(t, "the scale reported lost", func() bool {
		d, ok := b.lastDevice()
		return ok && !devices.State(d).OK() && d.Reason != "" && !b.scaleOK[len(b.scaleOK)-1]
	})
	b.moreReadings(t, 4)
	b.mu.Lock()
	r := b.readings()
	last := r[len(r)-1]
	states := 0
	for _, m := range b.msgs {
		if _, ok := m.(devices.State); ok {
			states++
		}
	}
	b.mu.Unlock()
	if last.Stable || last.Problem == "" {
		t.Errorf("reading from an unplugged scale %+v, want a problem", last)
	}
	// Each change logged once, however often the poller retried.
	if n := logs.count("device state"); n != states {
		t.Errorf("%d device state log lines for %d changes", n, states)
	}
	if n := logs.count("scale reading refused"); n != 0 {
		t.Errorf("port failures logged again as reading problems %d times", n)
	}

	s2 := newTestSim(t, link) // plugged back in
	s2.Set(700, true)
	b.waitFor(t, "the scale back", connected)

	b.mu.Lock()
	w := b.weights()
	b.mu.Unlock()
	if len(w) != 1 {
		t.Errorf("submitted %v; the same carton back on a replugged scale is the same round", w)
	}

	// The station shuts down: the poller stops, says there is no scale,
	// and leaves the port free for whoever opens it next.
	stop()
	b.waitFor(t, "the station told it has no scale", func() bool { return !b.scaleOK[len(b.scaleOK)-1] })
	next, err := scale.New(testScaleConfig(link), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer next.Close()
	rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer rcancel()
	if g, err := next.Read(rctx); err != nil || !near(g.Grams, 700) {
		t.Fatalf("after stop the port is not free: %+v, %v", g, err)
	}
}

// TestScaleNextCartonNeedsEmptyPan is issue 14's fifth defect: the last
// carton's 850 g, still on the pan, was taken at once for the next carton,
// so two identical orders in a row passed unweighed. A weight counts only
// after the pan read empty since the last one taken.
func TestScaleNextCartonNeedsEmptyPan(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s := newTestSim(t, link)
	b := newBenchStandIn()
	b.weigh()
	runPoller(t, link, b, b.send, discardLog())
	emptyPanFirst(t, s, b, 850)
	b.waitFor(t, "the first carton's weight submitted", func() bool { return len(b.weights()) == 1 })

	// The next carton comes to be weighed; the first is still on the pan.
	b.weigh()
	b.waitFor(t, "the reading marked as not taken", func() bool {
		r := b.readings()
		return r[len(r)-1].Note == pack.LiftFirstNote && near(r[len(r)-1].Grams, 850)
	})
	b.moreReadings(t, 6)
	if w := b.submitted(); len(w) != 1 {
		t.Fatalf("the last carton's weight was taken for the next one: submitted %v", w)
	}

	// Moving on the way off is not enough, nor is a moving reading that
	// never goes under the threshold.
	s.Set(400, false)
	b.moreReadings(t, 2)
	s.Set(850, true)
	b.moreReadings(t, 3)
	if w := b.submitted(); len(w) != 1 {
		t.Fatalf("a carton lifted but never off the pan counted: submitted %v", w)
	}

	// Lifted off (a few grams of drift still read as empty) and the next
	// carton put on: it counts, at the same weight.
	s.Set(4, true)
	b.waitFor(t, "the empty pan read", func() bool { r := b.readings(); return near(r[len(r)-1].Grams, 4) })
	s.Set(850, true)
	b.waitFor(t, "the next carton's weight submitted", func() bool { return len(b.weights()) == 2 })
	b.mu.Lock()
	r := b.readings()
	b.mu.Unlock()
	if last := r[len(r)-1]; last.Note != "" {
		t.Errorf("a weight taken still says %q", last.Note)
	}
}

// TestScaleOnRealStation runs the poller against a real station on a real
// store. A pick bench never weighs, so its readings are shown and nothing
// reaches the station: the first outcome is the test's own input.
func TestScaleOnRealStation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "station.db"), "TEST-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	stn, err := station.Open(ctx, st, interp, station.Options{})
	if err != nil {
		t.Fatal(err)
	}
	go stn.Serve(ctx)

	link := filepath.Join(t.TempDir(), "scale")
	s := newTestSim(t, link)
	s.Set(1250, true)
	b := newBenchStandIn() // only as the screen here
	runPoller(t, link, stn, b.send, discardLog())
	b.waitFor(t, "three stable readings and the scale connected", func() bool {
		d, ok := b.lastDevice()
		n := 0
		for _, r := range b.readings() {
			if r.Stable {
				n++
			}
		}
		return ok && devices.State(d).OK() && n >= 3
	})
	if round, weighing := stn.WeighRound(); weighing {
		t.Fatalf("a pick bench is weighing (round %d)", round)
	}
	if !stn.Submit(station.Action{Command: floor.CmdHelp}) {
		t.Fatal("the station refused an input")
	}
	select {
	case o := <-stn.Outcomes():
		if o.Action.Weight != nil || o.Action.Command != floor.CmdHelp {
			t.Fatalf("first outcome is for %+v, want the test's help key: a reading reached a station that is not weighing", o.Action)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no outcome within 15s")
	}
}

package weigh_test

import (
	"context"
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
	"github.com/totewms/tote/station/weigh/weightest"
)

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
	return weightest.StartPoller(t, testScaleConfig(link), st, send, log)
}

// emptyPanFirst shows the poller an empty pan, as every weighing after a
// start needs (pack.ScaleArm), then puts grams on it.
func emptyPanFirst(t *testing.T, s *sim.ScaleSim, b *weightest.Bench, grams float64) {
	t.Helper()
	s.Set(0, true)
	b.WaitFor(t, "the empty pan read", func() bool {
		r := b.Readings()
		return len(r) > 0 && r[len(r)-1].Stable && r[len(r)-1].Grams == 0
	})
	s.Set(grams, true)
}

// near: the sim answers in kg with three decimals, so to the gram.
func near(g, want float64) bool { return math.Abs(g-want) <= 0.5 }

func TestScaleSubmitsStableReadingOncePerRound(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s := newTestSim(t, link)
	b := weightest.NewBench()
	b.Weigh()
	runPoller(t, link, b, b.Send, weightest.DiscardLog())
	emptyPanFirst(t, s, b, 1250)

	b.WaitFor(t, "the first stable reading submitted", func() bool { return len(b.Weights()) == 1 })
	if w := b.Submitted(); !near(w[0], 1250) {
		t.Fatalf("submitted %v, want 1250 g", w)
	}
	// Four readings a second, one submission.
	b.MoreReadings(t, 6)
	if w := b.Submitted(); len(w) != 1 {
		t.Fatalf("the same weight was submitted again: %v", w)
	}

	// A gram of jitter is not a new weight.
	s.Set(1251, true)
	b.WaitFor(t, "1251 g shown", func() bool { r := b.Readings(); return near(r[len(r)-1].Grams, 1251) })
	b.MoreReadings(t, 3)
	if w := b.Submitted(); len(w) != 1 {
		t.Fatalf("1 g of jitter was submitted: %v", w)
	}

	// An item added: checked again.
	s.Set(1400, true)
	b.WaitFor(t, "the changed weight submitted", func() bool { return len(b.Weights()) == 2 })
	if w := b.Submitted(); !near(w[1], 1400) {
		t.Fatalf("submitted %v, want 1250 then 1400", w)
	}
	b.MoreReadings(t, 4)
	if w := b.Submitted(); len(w) != 2 {
		t.Fatalf("submitted %v after the change, want it once", w)
	}

	// The next carton weighs the same: it counts only once the pan was
	// empty in between (TestScaleNextCartonNeedsEmptyPan).
	b.Weigh()
	s.Set(0, true)
	b.WaitFor(t, "the pan read empty", func() bool { r := b.Readings(); return r[len(r)-1].Grams == 0 })
	s.Set(1400, true)
	b.WaitFor(t, "the same weight submitted in a new round", func() bool { return len(b.Weights()) == 3 })
	if w := b.Submitted(); !near(w[2], 1400) {
		t.Fatalf("submitted %v, want 1400 again", w)
	}

	b.Mu.Lock()
	defer b.Mu.Unlock()
	for _, a := range b.Actions {
		if a.Weight == nil || a.Command != "" || a.Scan.Data != "" {
			t.Errorf("submitted %+v, want only a weight", a)
		}
	}
	for _, r := range b.Readings() {
		if r.Scale != "bench-scale" {
			t.Errorf("reading from %q, want bench-scale", r.Scale)
		}
	}
}

func TestScaleMotionRangeAndSilenceNotSubmitted(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s := newTestSim(t, link)
	s.Set(0, true) // an empty pan when the carton comes to be weighed
	b := weightest.NewBench()
	b.Weigh()
	runPoller(t, link, b, b.Send, weightest.DiscardLog())

	b.WaitFor(t, "an empty pan shown", func() bool { r := b.Readings(); return len(r) > 0 && r[len(r)-1].Stable })
	b.MoreReadings(t, 2)
	if w := b.Submitted(); len(w) != 0 {
		t.Fatalf("an empty pan was submitted: %v", w)
	}

	s.Set(900, false)
	b.WaitFor(t, "a moving weight shown", func() bool {
		r := b.Readings()
		last := r[len(r)-1]
		return !last.Stable && near(last.Grams, 900) && strings.Contains(last.Problem, "moving")
	})
	b.MoreReadings(t, 4)

	s.SetOverload(true)
	b.WaitFor(t, "overload shown", func() bool {
		r := b.Readings()
		return !r[len(r)-1].Stable && strings.Contains(r[len(r)-1].Problem, "too heavy")
	})
	s.SetOverload(false)
	s.SetUnderload(true)
	b.WaitFor(t, "underload shown", func() bool {
		r := b.Readings()
		return !r[len(r)-1].Stable && strings.Contains(r[len(r)-1].Problem, "below zero")
	})
	s.SetUnderload(false)

	s.Set(900, true)
	s.SetMute(true)
	b.WaitFor(t, "silence shown and the scale not OK", func() bool {
		r := b.Readings()
		d, ok := b.LastDevice()
		return strings.Contains(r[len(r)-1].Problem, "no reply") && ok && !devices.State(d).OK() &&
			len(b.ScaleOK) > 0 && !b.ScaleOK[len(b.ScaleOK)-1]
	})
	if w := b.Submitted(); len(w) != 0 {
		t.Fatalf("motion, overload, underload or silence submitted: %v", w)
	}

	s.SetMute(false)
	b.WaitFor(t, "the settled weight submitted", func() bool { return len(b.Weights()) == 1 })
	if w := b.Submitted(); !near(w[0], 900) {
		t.Fatalf("submitted %v, want 900 g", w)
	}
}

func TestScaleNotWeighingOnlyShows(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s := newTestSim(t, link)
	b := weightest.NewBench()
	runPoller(t, link, b, b.Send, weightest.DiscardLog())
	emptyPanFirst(t, s, b, 1250)

	b.WaitFor(t, "two stable readings shown", func() bool {
		n := 0
		for _, r := range b.Readings() {
			if r.Stable && near(r.Grams, 1250) {
				n++
			}
		}
		return n >= 2
	})
	if w := b.Submitted(); len(w) != 0 {
		t.Fatalf("submitted %v while nothing waits to be weighed", w)
	}
	b.Weigh()
	b.WaitFor(t, "the weight submitted once weighing starts", func() bool { return len(b.Weights()) == 1 })
}

func TestScaleUnpluggedAndBack(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	s, err := sim.NewScale(link, sim.ProtocolMTSICS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	b := weightest.NewBench()
	b.Weigh() // four polls a second, so the test is quick
	logs := &logRecords{}
	stop := runPoller(t, link, b, b.Send, slog.New(logs))
	emptyPanFirst(t, s, b, 700)

	connected := func() bool {
		d, ok := b.LastDevice()
		return ok && devices.State(d).OK() && d.Kind == devices.KindScale && d.Device == "bench-scale" &&
			len(b.ScaleOK) > 0 && b.ScaleOK[len(b.ScaleOK)-1]
	}
	b.WaitFor(t, "the scale connected", connected)
	b.WaitFor(t, "700 g submitted", func() bool { return len(b.Weights()) == 1 })

	s.Close() // unplugged
	b.WaitFor(t, "the scale reported lost", func() bool {
		d, ok := b.LastDevice()
		return ok && !devices.State(d).OK() && d.Reason != "" && !b.ScaleOK[len(b.ScaleOK)-1]
	})
	b.MoreReadings(t, 4)
	b.Mu.Lock()
	r := b.Readings()
	last := r[len(r)-1]
	states := 0
	for _, m := range b.Msgs {
		if _, ok := m.(devices.State); ok {
			states++
		}
	}
	b.Mu.Unlock()
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
	b.WaitFor(t, "the scale back", connected)

	b.Mu.Lock()
	w := b.Weights()
	b.Mu.Unlock()
	if len(w) != 1 {
		t.Errorf("submitted %v; the same carton back on a replugged scale is the same round", w)
	}

	// The station shuts down: the poller stops, says there is no scale,
	// and leaves the port free for whoever opens it next.
	stop()
	b.WaitFor(t, "the station told it has no scale", func() bool { return !b.ScaleOK[len(b.ScaleOK)-1] })
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
	b := weightest.NewBench()
	b.Weigh()
	runPoller(t, link, b, b.Send, weightest.DiscardLog())
	emptyPanFirst(t, s, b, 850)
	b.WaitFor(t, "the first carton's weight submitted", func() bool { return len(b.Weights()) == 1 })

	// The next carton comes to be weighed; the first is still on the pan.
	b.Weigh()
	b.WaitFor(t, "the reading marked as not taken", func() bool {
		r := b.Readings()
		return r[len(r)-1].Note == pack.LiftFirstNote && near(r[len(r)-1].Grams, 850)
	})
	b.MoreReadings(t, 6)
	if w := b.Submitted(); len(w) != 1 {
		t.Fatalf("the last carton's weight was taken for the next one: submitted %v", w)
	}

	// Moving on the way off is not enough, nor is a moving reading that
	// never goes under the threshold.
	s.Set(400, false)
	b.MoreReadings(t, 2)
	s.Set(850, true)
	b.MoreReadings(t, 3)
	if w := b.Submitted(); len(w) != 1 {
		t.Fatalf("a carton lifted but never off the pan counted: submitted %v", w)
	}

	// Lifted off (a few grams of drift still read as empty) and the next
	// carton put on: it counts, at the same weight.
	s.Set(4, true)
	b.WaitFor(t, "the empty pan read", func() bool { r := b.Readings(); return near(r[len(r)-1].Grams, 4) })
	s.Set(850, true)
	b.WaitFor(t, "the next carton's weight submitted", func() bool { return len(b.Weights()) == 2 })
	b.Mu.Lock()
	r := b.Readings()
	b.Mu.Unlock()
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
	b := weightest.NewBench() // only as the screen here
	runPoller(t, link, stn, b.Send, weightest.DiscardLog())
	b.WaitFor(t, "three stable readings and the scale connected", func() bool {
		d, ok := b.LastDevice()
		n := 0
		for _, r := range b.Readings() {
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

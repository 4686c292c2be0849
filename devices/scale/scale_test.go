package scale_test

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/devices/serialport"
	"github.com/totewms/tote/devices/sim"
)

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// states records what a scale reported.
type states struct {
	mu  sync.Mutex
	all []devices.State
}

func (s *states) add(st devices.State) {
	s.mu.Lock()
	s.all = append(s.all, st)
	s.mu.Unlock()
}

func (s *states) last() devices.State {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.all) == 0 {
		return devices.State{}
	}
	return s.all[len(s.all)-1]
}

func newScale(t *testing.T, port, protocol string) (*scale.Scale, *states) {
	t.Helper()
	rec := &states{}
	sc, err := scale.New(scale.Config{Name: "bench-scale", Port: port, Protocol: protocol,
		ReadTimeout: 100 * time.Millisecond, ReplyTimeout: 500 * time.Millisecond}, rec.add)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	return sc, rec
}

func newSim(t *testing.T, link, protocol string) *sim.ScaleSim {
	t.Helper()
	s, err := sim.NewScale(link, protocol)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// tolerance is half the sim's display step in each protocol's default unit.
var tolerance = map[string]float64{sim.ProtocolMTSICS: 0.5, sim.ProtocolSCP01: 0.005 * 453.59237}

func weighing(t *testing.T, protocol string) {
	link := filepath.Join(t.TempDir(), "ttyScale")
	s := newSim(t, link, protocol)
	sc, rec := newScale(t, link, protocol)

	// A parcel still settling: no weight is accepted.
	s.Set(1250, false)
	w, err := sc.Read(ctxFor(t, 3*time.Second))
	if !errors.Is(err, scale.ErrMotion) || w.Stable {
		t.Fatalf("moving parcel: %+v, %v; want ErrMotion", w, err)
	}
	if rec.last().Status != devices.StatusConnected {
		t.Errorf("state after a reply %v", rec.last())
	}

	// Settled: accepted, in grams.
	s.Set(1250, true)
	w, err = sc.Read(ctxFor(t, 3*time.Second))
	if err != nil || !w.Stable || math.Abs(w.Grams-1250) > tolerance[protocol] {
		t.Fatalf("settled parcel: %+v, %v; want 1250 g stable", w, err)
	}
	if w.Raw == "" {
		t.Error("no raw reply kept")
	}

	s.SetOverload(true)
	if _, err := sc.Read(ctxFor(t, 3*time.Second)); !errors.Is(err, scale.ErrOverload) {
		t.Errorf("overload: %v", err)
	}
	s.SetOverload(false)
	s.SetUnderload(true)
	if _, err := sc.Read(ctxFor(t, 3*time.Second)); !errors.Is(err, scale.ErrUnderload) {
		t.Errorf("underload: %v", err)
	}
	s.SetUnderload(false)

	if err := sc.Zero(ctxFor(t, 3*time.Second)); err != nil {
		t.Fatalf("zero: %v", err)
	}
	if w, err := sc.Read(ctxFor(t, 3*time.Second)); err != nil || w.Grams != 0 {
		t.Errorf("after zero: %+v, %v", w, err)
	}

	// A scale that stays silent: no reply within the timeout, state unknown.
	s.SetMute(true)
	start := time.Now()
	_, err = sc.Read(ctxFor(t, 3*time.Second))
	if !errors.Is(err, scale.ErrNoReply) {
		t.Fatalf("silent scale: %v", err)
	}
	if took := time.Since(start); took < 400*time.Millisecond || took > 1500*time.Millisecond {
		t.Errorf("gave up after %v, want about the 500ms timeout", took)
	}
	if st := rec.last(); st.Status != devices.StatusUnknown || !strings.Contains(st.Reason, "no reply to") {
		t.Errorf("silent scale state %v", st)
	}
	s.SetMute(false)
	if _, err := sc.Read(ctxFor(t, 3*time.Second)); err != nil {
		t.Errorf("answering again: %v", err)
	}
}

func TestWeighingMTSICS(t *testing.T) { weighing(t, sim.ProtocolMTSICS) }
func TestWeighingSCP01(t *testing.T)  { weighing(t, sim.ProtocolSCP01) }

func TestUnitsConverted(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyScale")
	s := newSim(t, link, sim.ProtocolMTSICS)
	sc, _ := newScale(t, link, scale.ProtocolMTSICS)
	for _, unit := range []string{"g", "kg", "lb", "oz"} {
		if err := s.SetUnit(unit); err != nil {
			t.Fatal(err)
		}
		s.Set(2000, true)
		w, err := sc.Read(ctxFor(t, 3*time.Second))
		// %10.3f in the unit: the rounding step is 0.0005 of a unit.
		if err != nil || math.Abs(w.Grams-2000) > 0.0005*453.6 {
			t.Errorf("%s: %+v, %v", unit, w, err)
		}
	}
}

func TestScaleUnpluggedAndBack(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyScale")
	sc, rec := newScale(t, link, scale.ProtocolMTSICS)

	_, err := sc.Read(ctxFor(t, 3*time.Second))
	if !errors.Is(err, serialport.ErrNotFound) {
		t.Fatalf("missing scale: %v", err)
	}
	if st := rec.last(); st.Status != devices.StatusError || st.Reason != "port "+link+" not found" || st.Kind != devices.KindScale {
		t.Errorf("missing scale state %v", st)
	}

	s, err := sim.NewScale(link, sim.ProtocolMTSICS)
	if err != nil {
		t.Fatal(err)
	}
	s.Set(500, true)
	if w, err := sc.Read(ctxFor(t, 3*time.Second)); err != nil || w.Grams != 500 {
		t.Fatalf("plugged in: %+v, %v", w, err)
	}
	s.Close()
	if _, err := sc.Read(ctxFor(t, 3*time.Second)); err == nil {
		t.Fatal("read from an unplugged scale succeeded")
	}
	if st := rec.last(); st.Status != devices.StatusReconnecting {
		t.Errorf("unplugged state %v", st)
	}
	s2 := newSim(t, link, sim.ProtocolMTSICS)
	s2.Set(750, true)
	if w, err := sc.Read(ctxFor(t, 3*time.Second)); err != nil || w.Grams != 750 {
		t.Fatalf("plugged back: %+v, %v", w, err)
	}
	if st := rec.last(); st.Status != devices.StatusConnected {
		t.Errorf("back state %v", st)
	}
}

func TestWrongProtocolIsNamed(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyScale")
	newSim(t, link, sim.ProtocolSCP01)
	sc, _ := newScale(t, link, scale.ProtocolMTSICS)
	// An SCP-01 scale answers SI with "\n?\r\x03": the station says the
	// reply is unreadable and points at the setting, rather than inventing a
	// weight or blaming silence.
	_, err := sc.Read(ctxFor(t, 3*time.Second))
	if err == nil {
		t.Fatal("weight read with the wrong protocol")
	}
	if !errors.Is(err, scale.ErrBadReply) || !strings.Contains(err.Error(), "check the protocol setting") {
		t.Errorf("wrong protocol: %v", err)
	}
}

func TestConfig(t *testing.T) {
	for want, c := range map[string]scale.Config{
		"scale without a name":                      {Port: "/dev/ttyUSB0", Protocol: "mt-sics"},
		`protocol "toledo": want mt-sics or scp-01`: {Name: "s", Port: "/dev/ttyUSB0", Protocol: "toledo"},
		"no port path given":                        {Name: "s", Protocol: "scp-01"},
	} {
		if _, err := scale.New(c, nil); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%+v) = %v, want error with %q", c, err, want)
		}
	}
}

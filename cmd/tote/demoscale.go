package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"time"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
)

// startDemoScale plugs a virtual MT-SICS scale in at dir/scale and returns
// it with the [[scales]] entry that reads it, so the demo's pack bench runs
// the same serial code a real scale does. The caller closes the sim.
func startDemoScale(dir string) (*sim.ScaleSim, config.Scale, error) {
	sc, err := sim.NewScale(filepath.Join(dir, "scale"), sim.ProtocolMTSICS)
	if err != nil {
		return nil, config.Scale{}, err
	}
	return sc, config.Scale{Name: "demo-scale", Protocol: config.ProtocolMTSICS,
		Serial: config.Serial{Port: sc.Path(), Baud: 9600, DataBits: 8, Parity: config.ParityNone, StopBits: 1,
			ReadTimeout: 200 * time.Millisecond}}, nil
}

// demoSettleStep is how long each stage of a parcel settling on the demo
// scale lasts: long enough to see the weight move, short enough not to wait.
const demoSettleStep = 400 * time.Millisecond

// demoUnknownUnitG stands in for an item whose weight the catalogue lacks.
const demoUnknownUnitG = 250

// demoScaleObserver is the demo's packer putting cartons on the virtual
// scale: when an outcome shows a carton waiting to be weighed, the pan is
// cleared, then the sim's weight moves and settles near the carton's
// expected weight (within the tolerance, so the check passes); when the
// carton is closed it comes off the scale. It never blocks: the settling runs on its own goroutine.
// Pass it as station.Options.Observe.
func demoScaleObserver(sc *sim.ScaleSim) func(station.Outcome) {
	return newDemoScale(sc, demoSettleStep, rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x746f7465))).observe
}

// demoScale is the state of the demo's scale hand.
type demoScale struct {
	sim  *sim.ScaleSim
	step time.Duration

	mu     sync.Mutex
	rng    *rand.Rand
	gen    uint64 // bumped by each placing and removal, so older settling stops
	placed string // the carton on the scale, "" when the pan is empty
}

func newDemoScale(sc *sim.ScaleSim, step time.Duration, rng *rand.Rand) *demoScale {
	return &demoScale{sim: sc, step: step, rng: rng}
}

func (d *demoScale) observe(o station.Outcome) {
	if o.Err != nil || o.Bench != station.BenchPack {
		return // nothing was recorded, or not a pack bench
	}
	s := o.Pack
	d.mu.Lock()
	defer d.mu.Unlock()
	switch s.Step {
	case pack.StepWeigh:
		c, ok := s.OpenCarton()
		if !ok {
			return
		}
		// The same carton answered again (a refused scan, say) stays put.
		key := fmt.Sprintf("%s/%d/%s/%d", s.Order.ID, c.No, c.Box, c.Count())
		if key == d.placed {
			return
		}
		d.placed = key
		d.settle(demoWeight(s, c, d.rng))
	case pack.StepMismatch, pack.StepSupervisor, pack.StepSupervisorPIN, pack.StepReason:
		// The carton stays on the scale while its weight is argued about.
	default:
		if d.placed != "" {
			d.placed = ""
			d.gen++
			d.sim.Set(0, true) // carton taken off
		}
	}
}

// settle puts grams on the scale the way a packer does: whatever was on
// the pan comes off first (the scale reads empty for a moment, which a
// weight needs to count: pack.ScaleArm), then the carton lands, moving
// around its weight, then stable. Call with mu held.
func (d *demoScale) settle(grams float64) {
	d.gen++
	gen := d.gen
	stages := []struct {
		g      float64
		stable bool
	}{{0, true}, {grams * 0.6, false}, {grams * 1.1, false}, {grams * 0.98, false}, {grams, true}}
	d.sim.Set(math.Round(stages[0].g), stages[0].stable)
	go func() {
		t := time.NewTimer(d.step)
		defer t.Stop()
		for _, st := range stages[1:] {
			<-t.C
			d.mu.Lock()
			if d.gen != gen {
				d.mu.Unlock()
				return // another carton, or the pan was cleared
			}
			d.sim.Set(math.Round(st.g), st.stable)
			d.mu.Unlock()
			t.Reset(d.step)
		}
	}()
}

// demoWeight is what carton c weighs on the demo scale: its expected weight
// give or take up to half the tolerance, in whole grams (unless the
// tolerance is under a gram). Items whose weight
// is unknown count demoUnknownUnitG each, so the weight stays plausible.
func demoWeight(s pack.State, c pack.Carton, rng *rand.Rand) float64 {
	b, _ := s.Box(c.Box)
	g, known := s.ExpectedWeight(c, b)
	if !known {
		for _, u := range c.Units {
			if l, _ := s.Line(u.Line); l.UnitWeightG <= 0 {
				g += float64(u.Qty) * demoUnknownUnitG
			}
		}
	}
	if g < 100 {
		g = 100 // a carton with nothing known about it still weighs something
	}
	tol := s.Tolerance(g)
	g += (rng.Float64()*2 - 1) * tol / 2
	if tol >= 1 {
		g = math.Round(g) // the demo scale shows whole grams
	}
	return g
}

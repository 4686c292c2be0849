// Package actors plays the people and the office around a demo station, so
// one person can try it alone: the cart that picks before a demo pack
// bench opens (Pick), the hand that puts cartons on the virtual scale
// (ScaleHand), and the office that holds, cancels and releases orders on
// the demo hub (Office). Each works through the same routes a person's
// would: scans into the station, weights through the serial scale, the
// office's changes through the hub.
package actors

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
)

// settleStep is how long each stage of a parcel settling on the demo
// scale lasts: long enough to see the weight move, short enough not to wait.
const settleStep = 400 * time.Millisecond

// unknownUnitG stands in for an item whose weight the catalogue lacks.
const unknownUnitG = 250

// ScaleHand is the demo's packer putting cartons on the virtual
// scale: when an outcome shows a carton waiting to be weighed, the pan is
// cleared, then the sim's weight moves and settles near the carton's
// expected weight (within the tolerance, so the check passes); when the
// carton is closed it comes off the scale. It never blocks: the settling runs on its own goroutine.
// Pass it as station.Options.Observe.
func ScaleHand(sc *sim.ScaleSim) func(station.Outcome) {
	return newHand(sc, settleStep, rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x746f7465))).observe
}

// hand is the state of the demo's scale hand.
type hand struct {
	sim  *sim.ScaleSim
	step time.Duration

	mu     sync.Mutex
	rng    *rand.Rand
	gen    uint64 // bumped by each placing and removal, so older settling stops
	placed string // the carton on the scale, "" when the pan is empty
}

func newHand(sc *sim.ScaleSim, step time.Duration, rng *rand.Rand) *hand {
	return &hand{sim: sc, step: step, rng: rng}
}

func (d *hand) observe(o station.Outcome) {
	s, ok := o.State.(pack.State)
	if o.Err != nil || !ok {
		return // nothing was recorded, or not a pack bench
	}
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
		d.settle(cartonWeight(s, c, d.rng))
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
func (d *hand) settle(grams float64) {
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

// cartonWeight is what carton c weighs on the demo scale: its expected weight
// give or take up to half the tolerance, in whole grams (unless the
// tolerance is under a gram). Items whose weight
// is unknown count unknownUnitG each, so the weight stays plausible.
func cartonWeight(s pack.State, c pack.Carton, rng *rand.Rand) float64 {
	b, _ := s.Box(c.Box)
	g, known := s.ExpectedWeight(c, b)
	if !known {
		for _, u := range c.Units {
			if l, _ := s.Line(u.Line); l.UnitWeightG <= 0 {
				g += float64(u.Qty) * unknownUnitG
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

// Package weigh feeds a bench scale's readings into the station: it polls
// the scale on its own goroutine, shows every reading, and submits a stable
// weight as the waiting carton's, once per weigh round, when the pan read
// empty since the last weight taken (pack.ScaleArm). It sits between the
// device (devices/scale, which may not import station) and the station (whose
// serve loop must never wait on a serial port), as the scanners' frames do
// between the port and the screen.
package weigh

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
)

// How often the bench scale is read, and which stable readings go to the
// station.
const (
	// scaleWeighEvery: while a carton waits to be weighed the packer must
	// see the weight settle and the check follow at once.
	scaleWeighEvery = 250 * time.Millisecond
	// scaleIdleEvery: otherwise the reading is only for the display.
	scaleIdleEvery = time.Second
)

// Station is what the scale poller needs of a station.
type Station interface {
	WeighRound() (round uint64, weighing bool)
	Submit(station.Action) bool
	SetScale(ok bool)
}

var _ Station = (*station.Station)(nil)

// Reading is one reading of the scale, for the screen.
type Reading struct {
	Scale   string  // the scale's configured name
	Grams   float64 // the reading
	Stable  bool    // settled: the station only takes stable readings
	Problem string  // why there is no reading (e.g. "overload"), "" when fine
	// Note: why a stable reading is not taken as the carton's weight
	// (pack.LiftFirstNote), "" when it is or nothing waits.
	Note string
}

// Options says where the poller reports, besides the station.
type Options struct {
	// EmptyBelowG is [pack] scale_empty_below_g: a carton's weight counts
	// only after the pan read under it since the last weight taken.
	EmptyBelowG float64
	Reading     func(Reading)       // every reading; never blocks
	Device      func(devices.State) // the scale's device state on each change; never blocks
	Log         *slog.Logger
}

// New opens the scale c for the station st. Run reads it.
func New(c scale.Config, st Station, o Options) (*Poller, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Reading == nil {
		o.Reading = func(Reading) {}
	}
	if o.Device == nil {
		o.Device = func(devices.State) {}
	}
	p := &Poller{station: st, reading: o.Reading, device: o.Device, log: o.Log.With("device", c.Name), arm: pack.ScaleArm{EmptyBelowG: o.EmptyBelowG}}
	var err error
	if p.scale, err = scale.New(c, p.stateChanged); err != nil {
		return nil, err
	}
	return p, nil
}

// Run reads the scale until ctx ends: its device state reaches the screen
// and the station (SetScale); every reading reaches the screen; stable
// readings go to the station while it weighs. When ctx ends the poller
// closes the port and tells the station it has no scale, then returns.
func (p *Poller) Run(ctx context.Context) {
	p.run(ctx)
	p.scale.Close()
	// Last, so a station that hears "no scale" knows the port is free.
	p.station.SetScale(false)
}

// Poller reads one scale on its own goroutine, so a slow or silent
// scale never holds up the screen or the station.
type Poller struct {
	scale   *scale.Scale
	station Station
	reading func(Reading)
	device  func(devices.State)
	log     *slog.Logger

	// Only the poller's goroutine touches these.
	arm     pack.ScaleArm // which readings count as a carton's weight
	problem string        // the last reading problem seen, "" for none
	warned  bool          // problem was logged as a warning
	busy    bool          // the station's queue refused the last submission
}

// stateChanged hears the scale's device state; the scale reports only
// changes, so this logs once per change.
func (p *Poller) stateChanged(s devices.State) {
	p.log.Info("device state", "kind", s.Kind, "status", s.Status, "reason", s.Reason)
	p.station.SetScale(s.OK())
	p.device(s)
}

// run reads the scale until ctx ends: every scaleWeighEvery while the
// station weighs, every scaleIdleEvery otherwise. It looks for a new weigh
// round every scaleWeighEvery, so weighing starts without waiting out the
// idle interval.
func (p *Poller) run(ctx context.Context) {
	tick := time.NewTicker(scaleWeighEvery)
	defer tick.Stop()
	var last time.Time
	for {
		_, weighing := p.station.WeighRound()
		// Ticks are scaleWeighEvery apart: allow half of one for jitter.
		if weighing || last.IsZero() || time.Since(last) >= scaleIdleEvery-scaleWeighEvery/2 {
			last = time.Now()
			p.poll(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// poll reads the scale once, shows the reading, and submits it when the
// scale arming rule says it counts as the waiting carton's weight.
func (p *Poller) poll(ctx context.Context) {
	w, err := p.scale.Read(ctx)
	if ctx.Err() != nil {
		return // stopping: the read was cut short, not a scale problem
	}
	msg := Reading{Scale: p.scale.Name(), Grams: w.Grams, Stable: err == nil && w.Stable}
	if err != nil {
		msg.Problem = err.Error()
	}
	p.noteProblem(err)
	// Ask after the read: the round may have started while it ran.
	round, weighing := p.station.WeighRound()
	r := pack.PanReading{Grams: w.Grams, Stable: msg.Stable, Moving: errors.Is(err, scale.ErrMotion),
		BelowZero: errors.Is(err, scale.ErrUnderload), Round: round, Weighing: weighing}
	switch p.arm.Read(r) {
	case pack.ScaleOffer:
		p.offer(round, w.Grams)
	case pack.ScaleLiftFirst:
		msg.Note = pack.LiftFirstNote
	}
	p.reading(msg)
}

// offer submits a stable weight the arming rule let through.
func (p *Poller) offer(round uint64, g float64) {
	if !p.station.Submit(station.Action{Weight: &pack.ScaleReading{Grams: g}}) {
		// Tried again on the next reading; logged once until it works.
		if !p.busy {
			p.log.Warn("station queue full: scale reading not submitted yet", "grams", g)
		}
		p.busy = true
		return
	}
	p.busy = false
	p.arm.Taken(round, g)
}

// noteProblem logs a reading problem once when it starts or changes, not on
// every poll. Port and silence problems are device states, logged by
// stateChanged.
func (p *Poller) noteProblem(err error) {
	var now string
	if err != nil {
		now = err.Error()
	}
	if now == p.problem {
		return
	}
	p.problem = now
	switch {
	case err == nil:
		if p.warned {
			p.log.Info("scale reading again")
		}
		p.warned = false
	case !p.scale.State().OK():
		// Already logged as the device's state.
	case errors.Is(err, scale.ErrMotion):
		p.log.Debug("scale moving") // every parcel moves before it settles
	default:
		p.log.Warn("scale reading refused", "err", err)
		p.warned = true
	}
}

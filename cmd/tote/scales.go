package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/tui"
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

// weighStation is what the scale poller needs of a station.
type weighStation interface {
	WeighRound() (round uint64, weighing bool)
	Submit(station.Action) bool
	SetScale(ok bool)
}

var _ weighStation = (*station.Station)(nil)

// scaleConfig maps a configured scale onto the device's settings.
func scaleConfig(c config.Scale) scale.Config {
	return scale.Config{
		Name: c.Name, Port: c.Serial.Port, Baud: c.Serial.Baud, DataBits: c.Serial.DataBits,
		Parity: string(c.Serial.Parity), StopBits: c.Serial.StopBits, ReadTimeout: c.Serial.ReadTimeout,
		Protocol: string(c.Protocol), UnitOverride: c.UnitOverride,
	}
}

// startScale runs the bench scale until ctx ends. Its device state reaches
// the screen (tui.DeviceMsg) and the station (SetScale); every reading
// reaches the screen (tui.ScaleMsg); stable readings go to the station
// while it weighs. When ctx ends the poller stops, closes the port and
// tells the station it has no scale.
//
// emptyBelowG is [pack] scale_empty_below_g: a carton's weight counts only
// after the pan read under it since the last weight taken (pack.ScaleArm).
func startScale(ctx context.Context, c config.Scale, emptyBelowG float64, st weighStation, send func(tea.Msg), log *slog.Logger) error {
	p := &scalePoller{station: st, send: send, log: log.With("device", c.Name), arm: pack.ScaleArm{EmptyBelowG: emptyBelowG}}
	var err error
	if p.scale, err = scale.New(scaleConfig(c), p.stateChanged); err != nil {
		return err
	}
	go func() {
		p.run(ctx)
		p.scale.Close()
		// Last, so a station that hears "no scale" knows the port is free.
		st.SetScale(false)
	}()
	return nil
}

// scalePoller reads one scale on its own goroutine, so a slow or silent
// scale never holds up the screen or the station.
type scalePoller struct {
	scale   *scale.Scale
	station weighStation
	send    func(tea.Msg)
	log     *slog.Logger

	// Only the poller's goroutine touches these.
	arm     pack.ScaleArm // which readings count as a carton's weight
	problem string        // the last reading problem seen, "" for none
	warned  bool          // problem was logged as a warning
	busy    bool          // the station's queue refused the last submission
}

// stateChanged hears the scale's device state; the scale reports only
// changes, so this logs once per change.
func (p *scalePoller) stateChanged(s devices.State) {
	p.log.Info("device state", "kind", s.Kind, "status", s.Status, "reason", s.Reason)
	p.station.SetScale(s.OK())
	p.send(tui.DeviceMsg(s))
}

// run reads the scale until ctx ends: every scaleWeighEvery while the
// station weighs, every scaleIdleEvery otherwise. It looks for a new weigh
// round every scaleWeighEvery, so weighing starts without waiting out the
// idle interval.
func (p *scalePoller) run(ctx context.Context) {
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
func (p *scalePoller) poll(ctx context.Context) {
	w, err := p.scale.Read(ctx)
	if ctx.Err() != nil {
		return // stopping: the read was cut short, not a scale problem
	}
	msg := tui.ScaleMsg{Scale: p.scale.Name(), Grams: w.Grams, Stable: err == nil && w.Stable}
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
	p.send(msg)
}

// offer submits a stable weight the arming rule let through.
func (p *scalePoller) offer(round uint64, g float64) {
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
func (p *scalePoller) noteProblem(err error) {
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

// Package intake is the one route every scanner's input takes into the
// station: a serial scanner's frame and a keyboard-wedge scanner's line
// (the screen's scan line at Enter) both become a station.Action with a
// floor.Scan and go to station.Submit, the station's one ordered queue.
// A serial scan goes from the goroutine that read it: the screen is no
// relay, so a redraw never delays it. The screen learns of it as of any
// input, from its outcome.
//
// An input the station could not take (its queue full: a stuck store) is
// never dropped without a word: it is logged by the station, and the
// intake tells whoever shows it (NotTaken: the screen says "scan it
// again" with the bell). The screen's own inputs are told by Submit's
// result, where the typed line is kept to send again.
package intake

import (
	"sync/atomic"

	"github.com/totewms/tote/devices/scanner"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
)

// Station is the station's queue (station.Station).
type Station interface {
	Submit(station.Action) bool
}

// Intake feeds the station every scanner's input.
type Intake struct {
	stn      Station
	notTaken atomic.Pointer[func(station.Action)]
}

// New makes the intake of stn.
func New(stn Station) *Intake { return &Intake{stn: stn} }

// NotTaken sets who is told of a device's input the station did not take
// (the screen, once it runs). Safe from any goroutine.
func (in *Intake) NotTaken(tell func(station.Action)) { in.notTaken.Store(&tell) }

// Submit queues an input the caller tells the operator about itself when
// it is not taken (the screen's scan line and keys).
func (in *Intake) Submit(a station.Action) bool { return in.stn.Submit(a) }

// Frame queues a serial scanner's frame; a frame the scanner rejected
// (too long, garbled) goes too, with its problem, so the operator hears
// why. Safe from any goroutine; frames of one scanner keep their order.
func (in *Intake) Frame(f scanner.Frame) {
	in.Device(station.Action{Scan: ScanOf(f)})
}

// Device queues a device's input; when the station does not take it, the
// screen is told.
func (in *Intake) Device(a station.Action) bool {
	if in.stn.Submit(a) {
		return true
	}
	if tell := in.notTaken.Load(); tell != nil {
		(*tell)(a)
	}
	return false
}

// ScanOf is a serial scanner's frame as a scan.
func ScanOf(f scanner.Frame) floor.Scan {
	scan := floor.Scan{Source: f.Device, AIM: f.AIM, Data: f.Data, At: f.At}
	if f.Err != nil {
		scan.Problem = f.Err.Error()
	}
	return scan
}

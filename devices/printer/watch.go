package printer

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/serialport"
)

// DefaultWatchEvery is how often Watch asks a printer for its status.
const DefaultWatchEvery = 2 * time.Second

// Watch asks p for its status now and every interval until ctx is done,
// passing each answer to onStatus (for the print queue: hold jobs unless
// Ready) and each change of the device state to onState (for the operator).
// Asking is also what reopens a serial printer after it was unplugged.
// Either callback may be nil; both run on Watch's goroutine.
func Watch(ctx context.Context, name string, p Printer, every time.Duration,
	onStatus func(Status, error), onState func(devices.State)) {
	if every <= 0 {
		every = DefaultWatchEvery
	}
	rep := devices.NewReporter(name, devices.KindPrinter, onState, nil)
	defer rep.Set(devices.StatusUnknown, "stopped")
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		st, err := p.Status(ctx)
		if ctx.Err() != nil {
			return
		}
		if onStatus != nil {
			onStatus(st, err)
		}
		s := StateOf(rep.State(), st, err)
		rep.Set(s.Status, s.Reason)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// StateOf maps a status query's result to the printer's device state, given
// its previous state:
//
//	ready                     connected
//	ready with a warning      connected, reason says what to do
//	fault (paper out, ...)    error, reason "out of labels: Load labels"
//	no reply / no status      unknown, reason from the error
//	port or network failure   reconnecting if it was connected, else error
func StateOf(prev devices.State, st Status, err error) devices.State {
	s := prev
	switch {
	case err == nil && st.Ready():
		s.Status, s.Reason = devices.StatusConnected, strings.ToLower(st.Instruction())
	case err == nil && st.Known:
		s.Status = devices.StatusError
		s.Reason = strings.Join(st.Problems(), ", ") + ": " + st.Instruction()
	case errors.Is(err, ErrNoReply), errors.Is(err, ErrNoStatus), errors.Is(err, ErrBadReply):
		s.Status, s.Reason = devices.StatusUnknown, err.Error()
	case err == nil:
		s.Status, s.Reason = devices.StatusUnknown, "printer not answering"
	default:
		s.Status, s.Reason = devices.StatusError, err.Error()
		if prev.Status == devices.StatusConnected || prev.Status == devices.StatusReconnecting ||
			errors.Is(err, serialport.ErrHangup) {
			s.Status = devices.StatusReconnecting
		}
	}
	return s
}

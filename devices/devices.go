// Package devices holds what every station device shares: the State report
// that scanners, printers and scales publish so the operator always sees
// whether each device is connected, reconnecting or in error, and why.
//
// The transports live in subpackages, one per outside thing:
//
//	devices/serialport  serial ports (github.com/tarm/serial; termios on macOS) with hangup detection
//	devices/scanner     barcode scanner framing and the scanner device
//	devices/printer     ZPL printers over serial, TCP 9100 or a spool, and ~HS status
//	devices/scale       MT-SICS and SCP-01 shipping scales
//	devices/sim         virtual scanner, printer and scale over pseudo-terminals
//
// This package must never import its subpackages or do any I/O: it is the
// small shared vocabulary the TUI, the print queue and the doctor import.
package devices

import (
	"fmt"
	"sync"
	"time"
)

// Device kinds, as used in State.Kind.
const (
	KindScanner = "scanner"
	KindPrinter = "printer"
	KindScale   = "scale"
)

// Device statuses, as used in State.Status.
const (
	// StatusConnected: the device is open and answering.
	StatusConnected = "connected"
	// StatusReconnecting: the device was connected and went away (unplugged,
	// hung up); it is being reopened with backoff.
	StatusReconnecting = "reconnecting"
	// StatusError: the device cannot be used (not found, busy, refused,
	// faulted); the reason says what to do. Runs keep retrying.
	StatusError = "error"
	// StatusUnknown: nothing is known yet, the device is silent, or its run
	// has stopped.
	StatusUnknown = "unknown"
)

// State is one device's condition as the operator should see it.
type State struct {
	Device string    // the device's name in the station config
	Kind   string    // KindScanner, KindPrinter or KindScale
	Status string    // StatusConnected, StatusReconnecting, StatusError or StatusUnknown
	Reason string    // plain words, e.g. "port /dev/ttyACM0 not found"
	Since  time.Time // when Status last changed
}

// String renders the state on one line, e.g.
// "scanner cart-1: reconnecting (device unplugged)".
func (s State) String() string {
	if s.Reason == "" {
		return fmt.Sprintf("%s %s: %s", s.Kind, s.Device, s.Status)
	}
	return fmt.Sprintf("%s %s: %s (%s)", s.Kind, s.Device, s.Status, s.Reason)
}

// OK reports whether the device is connected.
func (s State) OK() bool { return s.Status == StatusConnected }

// Reporter keeps one device's current State and passes changes on. It only
// reports when the status or the reason changes, so a device that keeps
// failing the same way does not flood the operator, and Since moves only
// when the status changes. Safe for concurrent use.
type Reporter struct {
	report sync.Mutex // held while notifying, so reports arrive in order
	mu     sync.Mutex // guards state
	state  State
	notify func(State)
	now    func() time.Time
}

// NewReporter starts a device in StatusUnknown. notify may be nil; now may be
// nil for time.Now (tests inject a clock).
func NewReporter(device, kind string, notify func(State), now func() time.Time) *Reporter {
	if now == nil {
		now = time.Now
	}
	return &Reporter{
		state:  State{Device: device, Kind: kind, Status: StatusUnknown, Since: now()},
		notify: notify,
		now:    now,
	}
}

// Set records a status and reason and reports them if they changed. It
// returns the resulting state. The notify callback must not call Set.
func (r *Reporter) Set(status, reason string) State {
	r.report.Lock()
	defer r.report.Unlock()
	r.mu.Lock()
	if r.state.Status == status && r.state.Reason == reason {
		s := r.state
		r.mu.Unlock()
		return s
	}
	if r.state.Status != status {
		r.state.Since = r.now()
	}
	r.state.Status, r.state.Reason = status, reason
	s, notify := r.state, r.notify
	// Notify outside mu so the callback may read State.
	r.mu.Unlock()
	if notify != nil {
		notify(s)
	}
	return s
}

// State returns the current state.
func (r *Reporter) State() State {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// Package scanner reads barcode scans from serial and USB-CDC scanners: it
// frames the byte stream into scans ([prefix][AIM identifier][data][suffix]),
// keeps the AIM symbology identifier and GS separators, rejects over-long
// scans with a message, and keeps the scanner connected for a whole shift,
// reopening it with backoff after it is unplugged.
//
// Several scanners run at once, each with its own Scanner and Run. Keyboard
// wedge scanners do not come through here: they arrive as key presses in the
// TUI (a Framer can still frame them).
//
// This package must never interpret scan data (GS1, orders, totes): it hands
// frames on exactly as scanned.
package scanner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/serialport"
)

// Config is one scanner's settings from the station config. Zero fields take
// defaults: 9600 8N1, suffix auto, DefaultMaxFrame, 200 ms read timeout.
type Config struct {
	Name        string        // config name, shown to the operator
	Port        string        // /dev/serial/by-id/..., /dev/ttyACM0, COM3
	Baud        int           // ignored by USB CDC scanners
	DataBits    int           // 5 to 8
	Parity      string        // none, odd, even
	StopBits    int           // 1 or 2
	Prefix      string        // bytes the scanner sends before each scan, stripped; "" for none
	Suffix      string        // CR, LF, CRLF or auto
	MaxFrame    int           // longest scan accepted, in bytes between suffixes
	ReadTimeout time.Duration // serial read timeout, 100 ms to 25.5 s

	// Reopen backoff after an unplug or failed open; zero for 100 ms doubling
	// to 1 s.
	BackoffMin time.Duration
	BackoffMax time.Duration
}

// Serial is the port part of the config.
func (c Config) Serial() serialport.Config {
	return serialport.Config{
		Path:        c.Port,
		Baud:        c.Baud,
		DataBits:    c.DataBits,
		Parity:      c.Parity,
		StopBits:    c.StopBits,
		ReadTimeout: c.ReadTimeout,
	}.WithDefaults()
}

// Validate says in plain words what is wrong with the config.
func (c Config) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return errors.New("scanner without a name")
	}
	if err := c.Serial().Validate(); err != nil {
		return fmt.Errorf("scanner %s: %w", c.Name, err)
	}
	suffix, err := ParseSuffix(c.Suffix)
	if err != nil {
		return fmt.Errorf("scanner %s: %w", c.Name, err)
	}
	if _, err := NewFramer(c.Name, c.Prefix, suffix, c.MaxFrame); err != nil {
		return fmt.Errorf("scanner %s: %w", c.Name, err)
	}
	if c.BackoffMin < 0 || c.BackoffMax < 0 {
		return fmt.Errorf("scanner %s: negative reconnect backoff", c.Name)
	}
	return nil
}

// Scanner is one configured scanner.
type Scanner struct {
	cfg     Config
	suffix  Suffix
	backoff serialport.Backoff
	running atomic.Bool
}

// New checks the config and makes a scanner; nothing is opened until Run.
func New(cfg Config) (*Scanner, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	suffix, _ := ParseSuffix(cfg.Suffix)
	return &Scanner{
		cfg:     cfg,
		suffix:  suffix,
		backoff: serialport.Backoff{Min: cfg.BackoffMin, Max: cfg.BackoffMax},
	}, nil
}

// Name is the scanner's config name.
func (s *Scanner) Name() string { return s.cfg.Name }

// ErrAlreadyRunning is returned by a second concurrent Run of one Scanner.
var ErrAlreadyRunning = errors.New("scanner is already running")

// Run reads scans until ctx is done and then returns nil. It opens the port,
// reopens it with backoff whenever it fails or the scanner is unplugged, and
// never gives up. Each complete scan goes to onFrame (rejected scans too, with
// Err set); each change of connection state goes to onState (may be nil).
// When the scanner goes away mid-scan the partial scan is reported with
// ErrCut; scans already received are never dropped. Both callbacks run on
// Run's goroutine and should return quickly.
func (s *Scanner) Run(ctx context.Context, onFrame func(Frame), onState func(devices.State)) error {
	if !s.running.CompareAndSwap(false, true) {
		return fmt.Errorf("scanner %s: %w", s.cfg.Name, ErrAlreadyRunning)
	}
	defer s.running.Store(false)
	if onFrame == nil {
		onFrame = func(Frame) {}
	}
	rep := devices.NewReporter(s.cfg.Name, devices.KindScanner, onState, nil)
	framer, err := NewFramer(s.cfg.Name, s.cfg.Prefix, s.suffix, s.cfg.MaxFrame)
	if err != nil {
		return err // New validated this; kept for safety
	}
	defer rep.Set(devices.StatusUnknown, "stopped")

	failures := 0     // failed opens in a row, for the backoff
	everOpen := false // after the first connection, failures mean "reconnecting"
	for ctx.Err() == nil {
		port, err := serialport.Open(s.cfg.Serial())
		if err != nil {
			status := devices.StatusError
			if everOpen {
				status = devices.StatusReconnecting
			}
			rep.Set(status, err.Error())
			if !wait(ctx, s.backoff.Delay(failures)) {
				break
			}
			failures++
			continue
		}
		everOpen = true
		rep.Set(devices.StatusConnected, "")
		opened := time.Now()
		err = s.read(ctx, port, framer, onFrame)
		port.Close()
		if fr, ok := framer.Cut(time.Now()); ok {
			onFrame(fr)
		}
		if ctx.Err() != nil {
			break
		}
		rep.Set(devices.StatusReconnecting, err.Error())
		// A port that drops right after opening must not be reopened in a
		// tight loop: only a connection that lasted resets the backoff.
		if time.Since(opened) >= s.backoff.Longest() {
			failures = 0
		}
		if !wait(ctx, s.backoff.Delay(failures)) {
			break
		}
		failures++
	}
	return nil
}

// read frames what the port delivers until the port fails or ctx is done.
func (s *Scanner) read(ctx context.Context, port *serialport.Port, framer *Framer, onFrame func(Frame)) error {
	buf := make([]byte, 4096)
	for ctx.Err() == nil {
		n, err := port.Read(buf)
		// Deliver what arrived before looking at the error: a scan that was
		// fully received is never lost to a hangup right after it.
		for _, fr := range framer.Feed(buf[:n], time.Now()) {
			onFrame(fr)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// wait sleeps for d unless ctx ends first; it reports whether to go on.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

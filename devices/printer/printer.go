// Package printer sends ZPL to Zebra-compatible label printers and asks them
// how they are: over a serial port (tarm/serial, via devices/serialport), raw
// TCP (port 9100) or a spool file or directory (CUPS raw queues, tests).
// Status sends ~HS and parses the three-line reply; silence within the
// timeout means the status is unknown, never "fine".
//
// Send reports whether anything left this host, so a print queue can tell a
// job that is safe to retry (ErrNotSent) from one that may be half printed
// (ErrPartlySent).
//
// This package must never queue, retry or reprint: that is the print
// queue's job, which alone knows whether a label was printed already.
package printer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/devices/serialport"
)

// Printer is a label printer.
type Printer interface {
	// Send sends one job (one or more ^XA...^XZ formats). An error wraps
	// ErrNotSent when nothing was sent, ErrPartlySent when some was.
	Send(ctx context.Context, zpl []byte) error
	// Status asks the printer how it is. When it does not answer in time the
	// Status has Known false and the error wraps ErrNoReply.
	Status(ctx context.Context) (Status, error)
	// Close releases the port or connection.
	Close() error
}

// Errors for errors.Is.
var (
	ErrNotSent    = errors.New("label not sent")
	ErrPartlySent = errors.New("label partly sent")
	ErrNoReply    = errors.New("printer did not answer")
	ErrNoStatus   = errors.New("printer has no status channel")
	ErrBadReply   = errors.New("printer sent a reply tote cannot read")
)

// Transports.
const (
	TransportSerial = "serial"
	TransportTCP    = "tcp"
	TransportSpool  = "spool"
)

// DefaultStatusTimeout is how long Status waits for the ~HS reply.
const DefaultStatusTimeout = time.Second

// Config is one printer's settings from the station config. Transport may be
// left empty when exactly one of Port, Address and Path is set.
type Config struct {
	Name      string
	Transport string // serial, tcp or spool

	// Serial.
	Port        string // /dev/serial/by-id/..., /dev/ttyUSB0, COM4
	Baud        int
	DataBits    int
	Parity      string
	StopBits    int
	ReadTimeout time.Duration

	Address string // tcp: host or host:port (port 9100 if left out)
	Path    string // spool: a file to append jobs to, or a directory for one file per job

	StatusTimeout time.Duration // ~HS reply wait; default 1s
}

// Serial is the port part of the config.
func (c Config) Serial() serialport.Config {
	return serialport.Config{Path: c.Port, Baud: c.Baud, DataBits: c.DataBits,
		Parity: c.Parity, StopBits: c.StopBits, ReadTimeout: c.ReadTimeout}.WithDefaults()
}

// transport works out the transport when it was left empty.
func (c Config) transport() (string, error) {
	if c.Transport != "" {
		t := strings.ToLower(c.Transport)
		switch t {
		case TransportSerial, TransportTCP, TransportSpool:
			return t, nil
		}
		return "", fmt.Errorf("printer %s: transport %q: want serial, tcp or spool", c.Name, c.Transport)
	}
	var set []string
	if c.Port != "" {
		set = append(set, TransportSerial)
	}
	if c.Address != "" {
		set = append(set, TransportTCP)
	}
	if c.Path != "" {
		set = append(set, TransportSpool)
	}
	if len(set) != 1 {
		return "", fmt.Errorf("printer %s: set exactly one of port (serial), address (tcp) or path (spool)", c.Name)
	}
	return set[0], nil
}

// Validate says in plain words what is wrong with the config.
func (c Config) Validate() error {
	if strings.TrimSpace(c.Name) == "" {
		return errors.New("printer without a name")
	}
	t, err := c.transport()
	if err != nil {
		return err
	}
	if c.StatusTimeout < 0 {
		return fmt.Errorf("printer %s: negative status timeout", c.Name)
	}
	switch t {
	case TransportSerial:
		if err := c.Serial().Validate(); err != nil {
			return fmt.Errorf("printer %s: %w", c.Name, err)
		}
	case TransportTCP:
		if strings.TrimSpace(c.Address) == "" {
			return fmt.Errorf("printer %s: no address for the tcp transport", c.Name)
		}
	case TransportSpool:
		if strings.TrimSpace(c.Path) == "" {
			return fmt.Errorf("printer %s: no path for the spool transport", c.Name)
		}
	}
	return nil
}

// New makes the printer the config describes. Nothing is opened yet: the
// port or connection is opened on first use and reopened after a failure.
func New(c Config) (Printer, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	t, _ := c.transport()
	timeout := c.StatusTimeout
	if timeout == 0 {
		timeout = DefaultStatusTimeout
	}
	switch t {
	case TransportSerial:
		return NewSerial(c.Serial(), timeout), nil
	case TransportTCP:
		return NewTCP(c.Address, timeout), nil
	default:
		return NewSpool(c.Path)
	}
}

// replyReader collects a ~HS reply from a byte stream.
type replyReader struct {
	buf []byte
}

// maxReply bounds what is collected while looking for a reply: a real one is
// under 100 bytes.
const maxReply = 1024

// add takes more bytes and returns the reply once three lines have arrived
// (from the first STX up to the third ETX). Bytes before the first STX are
// noise and dropped.
func (r *replyReader) add(p []byte) ([]byte, error) {
	r.buf = append(r.buf, p...)
	start := -1
	for i, c := range r.buf {
		if c == stx {
			start = i
			break
		}
	}
	if start < 0 {
		r.buf = r.buf[:0]
		return nil, nil
	}
	etxs := 0
	for i := start; i < len(r.buf); i++ {
		if r.buf[i] == etx {
			etxs++
			if etxs == 3 {
				return r.buf[start : i+1], nil
			}
		}
	}
	if len(r.buf) > maxReply {
		return nil, fmt.Errorf("%w: no complete status reply in %d bytes", ErrBadReply, len(r.buf))
	}
	return nil, nil
}

// noReply is the error for a printer that stayed silent.
func noReply(where string, timeout time.Duration) error {
	return fmt.Errorf("%w: no reply to ~HS within %v from %s", ErrNoReply, timeout, where)
}

// statusDeadline is when a status query gives up: the timeout, or ctx's
// deadline if sooner.
func statusDeadline(ctx context.Context, timeout time.Duration) time.Time {
	d := time.Now().Add(timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		return cd
	}
	return d
}

// sendError wraps a failed write in ErrNotSent or ErrPartlySent; err must
// name the printer.
func sendError(written int, err error) error {
	if written == 0 {
		return fmt.Errorf("%w: %w", ErrNotSent, err)
	}
	return fmt.Errorf("%w (%d bytes went out; the printer may print a broken label): %w", ErrPartlySent, written, err)
}

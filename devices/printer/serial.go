package printer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/totewms/tote/devices/serialport"
)

// SerialPrinter is a printer on a serial port. The port is opened on first
// use and, after the printer is unplugged or the port fails, closed and
// reopened on the next call, so a printer that comes back is used again.
// Zebra printers default to XON/XOFF flow control, which the serial library
// does not do: send one format at a time and watch BufferFull and
// FormatsInBuffer.
type SerialPrinter struct {
	cfg     serialport.Config
	timeout time.Duration

	mu   sync.Mutex // one exchange at a time: a status reply must meet its query
	port *serialport.Port
}

var _ Printer = (*SerialPrinter)(nil)

// NewSerial makes a serial printer; statusTimeout 0 means 1s.
func NewSerial(cfg serialport.Config, statusTimeout time.Duration) *SerialPrinter {
	if statusTimeout <= 0 {
		statusTimeout = DefaultStatusTimeout
	}
	return &SerialPrinter{cfg: cfg.WithDefaults(), timeout: statusTimeout}
}

// open returns the open port, opening it if needed. Call with mu held.
func (p *SerialPrinter) open() (*serialport.Port, error) {
	if p.port != nil {
		return p.port, nil
	}
	port, err := serialport.Open(p.cfg)
	if err != nil {
		return nil, err
	}
	p.port = port
	return port, nil
}

// drop closes a port that failed, so the next call reopens it.
func (p *SerialPrinter) drop() {
	if p.port != nil {
		p.port.Close()
		p.port = nil
	}
}

// Send writes the job to the port.
func (p *SerialPrinter) Send(ctx context.Context, zpl []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return sendError(0, fmt.Errorf("printer on %s: %w", p.cfg.Path, err))
	}
	port, err := p.open()
	if err != nil {
		return sendError(0, err)
	}
	n, err := port.Write(zpl)
	if err != nil {
		p.drop()
		return sendError(n, err)
	}
	return nil
}

// Status sends ~HS and reads the reply.
func (p *SerialPrinter) Status(ctx context.Context) (Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	port, err := p.open()
	if err != nil {
		return Status{}, err
	}
	// A late reply to an earlier query must not pass for this one.
	if err := port.DiscardInput(); err != nil {
		p.drop()
		return Status{}, err
	}
	if _, err := port.Write([]byte("~HS")); err != nil {
		p.drop()
		return Status{}, err
	}
	deadline := statusDeadline(ctx, p.timeout)
	var r replyReader
	buf := make([]byte, 256)
	for time.Now().Before(deadline) {
		if err := ctx.Err(); err != nil {
			return Status{}, fmt.Errorf("status of %s: %w", p.cfg.Path, err)
		}
		n, err := port.Read(buf)
		if n > 0 {
			reply, rerr := r.add(buf[:n])
			if rerr != nil {
				return Status{}, fmt.Errorf("%s: %w", p.cfg.Path, rerr)
			}
			if reply != nil {
				st, perr := ParseHostStatus(reply)
				if perr != nil {
					return Status{}, fmt.Errorf("%w from %s: %v", ErrBadReply, p.cfg.Path, perr)
				}
				return st, nil
			}
		}
		if err != nil {
			if errors.Is(err, serialport.ErrHangup) {
				p.drop()
			}
			return Status{}, err
		}
	}
	return Status{}, noReply(p.cfg.Path, p.timeout)
}

// Close closes the port; the next call opens it again.
func (p *SerialPrinter) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drop()
	return nil
}

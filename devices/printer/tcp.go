package printer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// DefaultTCPPort is the raw printing port of Zebra print servers.
const DefaultTCPPort = "9100"

// TCPPrinter is a networked printer on raw TCP. Each Send and Status uses
// its own connection, as `nc printer 9100 < label.zpl` does: nothing can go
// stale between jobs, and a status reply comes back on the connection that
// asked for it.
type TCPPrinter struct {
	addr    string
	timeout time.Duration
	// writeTimeout bounds a Send when ctx has no deadline.
	writeTimeout time.Duration
}

var _ Printer = (*TCPPrinter)(nil)

// NewTCP makes a TCP printer at address (host or host:port; port 9100 if
// left out); statusTimeout 0 means 1s.
func NewTCP(address string, statusTimeout time.Duration) *TCPPrinter {
	if _, _, err := net.SplitHostPort(address); err != nil {
		address = net.JoinHostPort(address, DefaultTCPPort)
	}
	if statusTimeout <= 0 {
		statusTimeout = DefaultStatusTimeout
	}
	return &TCPPrinter{addr: address, timeout: statusTimeout, writeTimeout: 10 * time.Second}
}

// Address is host:port.
func (p *TCPPrinter) Address() string { return p.addr }

func (p *TCPPrinter) dial(ctx context.Context, limit time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: limit}
	c, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return nil, fmt.Errorf("cannot reach printer at %s: %w", p.addr, plainNetErr(err))
	}
	return c, nil
}

// Send connects, writes the job and closes.
func (p *TCPPrinter) Send(ctx context.Context, zpl []byte) error {
	conn, err := p.dial(ctx, p.writeTimeout)
	if err != nil {
		return sendError(0, err)
	}
	defer conn.Close()
	deadline := time.Now().Add(p.writeTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = conn.SetWriteDeadline(deadline)
	n, err := conn.Write(zpl)
	if err != nil {
		return sendError(n, fmt.Errorf("printer at %s: %w", p.addr, plainNetErr(err)))
	}
	// Close after the write: the kernel still delivers what was written.
	if err := conn.Close(); err != nil {
		return sendError(n, fmt.Errorf("printer at %s: %w", p.addr, plainNetErr(err)))
	}
	return nil
}

// Status connects, sends ~HS and reads the reply.
func (p *TCPPrinter) Status(ctx context.Context) (Status, error) {
	deadline := statusDeadline(ctx, p.timeout)
	conn, err := p.dial(ctx, time.Until(deadline))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			return Status{}, noReply(p.addr, p.timeout)
		}
		return Status{}, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(deadline)
	if _, err := conn.Write([]byte("~HS")); err != nil {
		return Status{}, fmt.Errorf("cannot ask printer at %s: %v", p.addr, plainNetErr(err))
	}
	var r replyReader
	buf := make([]byte, 256)
	for {
		n, err := conn.Read(buf)
		if n > 0 {
			reply, rerr := r.add(buf[:n])
			if rerr != nil {
				return Status{}, fmt.Errorf("%s: %w", p.addr, rerr)
			}
			if reply != nil {
				st, perr := ParseHostStatus(reply)
				if perr != nil {
					return Status{}, fmt.Errorf("%w from %s: %v", ErrBadReply, p.addr, perr)
				}
				return st, nil
			}
		}
		if err != nil {
			if isTimeout(err) {
				return Status{}, noReply(p.addr, p.timeout)
			}
			return Status{}, fmt.Errorf("printer at %s closed the connection without answering ~HS: %v", p.addr, plainNetErr(err))
		}
	}
}

// Close does nothing: connections are not kept.
func (p *TCPPrinter) Close() error { return nil }

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// plainNetErr drops the "dial tcp 1.2.3.4:9100:" prefix Go puts on errors.
func plainNetErr(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		var se *os.SyscallError
		if errors.As(oe.Err, &se) {
			return se.Err
		}
		return oe.Err
	}
	return err
}

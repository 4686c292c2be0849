// Package serialport opens serial ports for station devices with
// github.com/tarm/serial and makes them safe to keep open for a whole shift:
// a read timeout is always set (tarm/serial's Close deadlocks without one),
// an unplugged device is told apart from a quiet one, the port is locked so
// two tote processes never share it, and failures carry plain-words reasons
// ("port /dev/ttyACM0 not found").
//
// Reads return (0, nil) when the timeout passes with no data and ErrHangup
// once the device has gone; the caller closes the port and reopens it with
// Backoff. On Linux a hangup reads exactly like a timeout (an empty read), so
// Port tells them apart by asking the kernel (poll reports POLLHUP on the
// port), by timing (empty reads that return at once, several in a row) and by
// checking that the device node still exists and is the same device.
//
// This package must never parse device data or retry on its own: framing
// belongs to the device packages, reconnect policy to their run loops.
package serialport

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Errors a Port reports, for errors.Is. The error values returned carry the
// port path and plain words for the operator.
var (
	ErrNotFound   = errors.New("serial port not found")
	ErrBusy       = errors.New("serial port busy")
	ErrPermission = errors.New("no permission to open serial port")
	ErrNotSerial  = errors.New("not a serial port")
	ErrHangup     = errors.New("serial device hung up")
	ErrClosed     = errors.New("serial port closed")
	ErrBadConfig  = errors.New("bad serial settings")
)

// PortError is a failure on one port: Kind is one of the Err values above,
// Detail says more in plain words.
type PortError struct {
	Path   string
	Kind   error
	Detail string
}

func (e *PortError) Error() string {
	var msg string
	switch e.Kind {
	case ErrNotFound:
		msg = fmt.Sprintf("port %s not found", e.Path)
	case ErrBusy:
		msg = fmt.Sprintf("port %s is busy (another program has it open)", e.Path)
	case ErrPermission:
		msg = fmt.Sprintf("no permission to open port %s (add the user to the dialout group)", e.Path)
	case ErrNotSerial:
		msg = fmt.Sprintf("%s is not a serial port", e.Path)
	case ErrHangup:
		msg = fmt.Sprintf("port %s hung up (device unplugged or switched off)", e.Path)
	case ErrClosed:
		msg = fmt.Sprintf("port %s is closed", e.Path)
	case ErrBadConfig:
		msg = fmt.Sprintf("bad settings for port %s", e.Path)
	default:
		msg = fmt.Sprintf("port %s failed", e.Path)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *PortError) Unwrap() error { return e.Kind }

// Defaults used when a Config field is zero.
const (
	DefaultBaud        = 9600
	DefaultDataBits    = 8
	DefaultParity      = "none"
	DefaultStopBits    = 1
	DefaultReadTimeout = 200 * time.Millisecond
)

// Config is one port's settings. Zero fields take the defaults (9600 8N1,
// 200 ms read timeout); USB CDC devices ignore the line settings.
type Config struct {
	Path        string        // /dev/serial/by-id/..., /dev/ttyACM0, COM3
	Baud        int           // a standard rate: 1200 ... 115200 ... 4000000
	DataBits    int           // 5, 6, 7 or 8
	Parity      string        // none, odd, even, mark or space (also N, O, E, M, S)
	StopBits    int           // 1 or 2
	ReadTimeout time.Duration // 100 ms to 25.5 s, in whole tenths of a second
}

// standardBauds are the rates tarm/serial accepts on Linux.
var standardBauds = []int{50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800,
	2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000,
	576000, 921600, 1000000, 1152000, 1500000, 2000000, 2500000, 3000000,
	3500000, 4000000}

// WithDefaults returns c with zero fields set to the defaults.
func (c Config) WithDefaults() Config {
	if c.Baud == 0 {
		c.Baud = DefaultBaud
	}
	if c.DataBits == 0 {
		c.DataBits = DefaultDataBits
	}
	if c.Parity == "" {
		c.Parity = DefaultParity
	}
	if c.StopBits == 0 {
		c.StopBits = DefaultStopBits
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = DefaultReadTimeout
	}
	return c
}

// Validate checks the settings (after defaults) and says in plain words what
// is wrong.
func (c Config) Validate() error {
	c = c.WithDefaults()
	bad := func(format string, a ...any) error {
		return &PortError{Path: c.Path, Kind: ErrBadConfig, Detail: fmt.Sprintf(format, a...)}
	}
	if strings.TrimSpace(c.Path) == "" {
		return &PortError{Path: "(none)", Kind: ErrBadConfig, Detail: "no port path given"}
	}
	okBaud := false
	for _, b := range standardBauds {
		if b == c.Baud {
			okBaud = true
			break
		}
	}
	if !okBaud {
		return bad("baud %d is not a standard rate (e.g. 9600, 19200, 38400, 57600, 115200)", c.Baud)
	}
	if c.DataBits < 5 || c.DataBits > 8 {
		return bad("data bits %d: want 5, 6, 7 or 8", c.DataBits)
	}
	if _, err := parseParity(c.Parity); err != nil {
		return bad("%v", err)
	}
	if c.StopBits != 1 && c.StopBits != 2 {
		return bad("stop bits %d: want 1 or 2", c.StopBits)
	}
	if c.ReadTimeout < 100*time.Millisecond || c.ReadTimeout > 25500*time.Millisecond {
		return bad("read timeout %v: want 100ms to 25.5s", c.ReadTimeout)
	}
	// The driver counts tenths of a second and would round silently.
	if c.ReadTimeout%(100*time.Millisecond) != 0 {
		return bad("read timeout %v: want whole tenths of a second, e.g. 200ms", c.ReadTimeout)
	}
	return nil
}

func parseParity(s string) (rawParity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "n", "":
		return parityNone, nil
	case "odd", "o":
		return parityOdd, nil
	case "even", "e":
		return parityEven, nil
	case "mark", "m":
		return parityMark, nil
	case "space", "s":
		return paritySpace, nil
	}
	return 0, fmt.Errorf("parity %q: want none, odd, even, mark or space", s)
}

// fastEmptyLimit is how many empty reads in a row that return well before
// the timeout mean the device has hung up.
const fastEmptyLimit = 3

// Port is an open serial port. Read and Write may run in different
// goroutines; Close may be called from any goroutine and makes a pending Read
// return within the read timeout.
type Port struct {
	cfg  Config
	sp   *rawPort
	side *sideHandle // lock, hangup poll and node identity (nil where unsupported)

	readMu    sync.Mutex // one reader at a time: fastEmpty is per read loop
	fastEmpty int

	mu     sync.Mutex
	closed bool
	hungUp error
}

// Open opens and locks the port. Errors wrap ErrNotFound, ErrBusy,
// ErrPermission, ErrNotSerial or ErrBadConfig.
func Open(c Config) (*Port, error) {
	c = c.WithDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	parity, _ := parseParity(c.Parity)
	side, err := openSide(c.Path)
	if err != nil {
		return nil, err
	}
	// tarm/serial does mark and space parity on Windows only; on Linux the
	// side handle sets it (CMSPAR) after the open.
	markSpace := side.canMarkSpace() && (parity == parityMark || parity == paritySpace)
	openParity := parity
	if markSpace {
		openParity = parityNone
	}
	sp, err := openRaw(&rawConfig{
		Name:        c.Path,
		Baud:        c.Baud,
		Size:        byte(c.DataBits),
		Parity:      openParity,
		StopBits:    rawStopBits(c.StopBits),
		ReadTimeout: c.ReadTimeout,
	})
	if err != nil {
		side.close()
		if errors.Is(err, errBadParity) {
			return nil, &PortError{Path: c.Path, Kind: ErrBadConfig, Detail: fmt.Sprintf("parity %s is not supported on this system", c.Parity)}
		}
		return nil, classifyOpen(c.Path, err)
	}
	if markSpace {
		if err := side.setMarkSpace(parity == parityMark); err != nil {
			sp.Close()
			side.close()
			return nil, &PortError{Path: c.Path, Kind: ErrBadConfig, Detail: "cannot set parity " + c.Parity + ": " + err.Error()}
		}
	}
	side.exclusive()
	return &Port{cfg: c, sp: sp, side: side}, nil
}

// Path is the configured port path.
func (p *Port) Path() string { return p.cfg.Path }

// Config is the port's settings with defaults filled in.
func (p *Port) Config() Config { return p.cfg }

// Read reads what has arrived. It returns (0, nil) when the read timeout
// passes with nothing to read, and an error wrapping ErrHangup once the device
// has gone (then close the port and reopen it) or ErrClosed after Close.
func (p *Port) Read(b []byte) (int, error) {
	if err := p.usable(); err != nil {
		return 0, err
	}
	if len(b) == 0 {
		return 0, nil
	}
	p.readMu.Lock()
	defer p.readMu.Unlock()
	start := time.Now()
	n, err := p.sp.Read(b)
	if n > 0 {
		p.fastEmpty = 0
		return n, nil
	}
	if cerr := p.usable(); cerr != nil {
		return 0, cerr
	}
	// On Linux tarm/serial returns io.EOF for a timeout, on Windows nil; any
	// other error (EIO) means the device is gone.
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, p.markHangup("read failed: " + plainErr(err))
	}
	if p.side.reportsHangup() {
		return 0, p.markHangup("the device reported a hangup")
	}
	if time.Since(start) < p.cfg.ReadTimeout/2 {
		p.fastEmpty++
		if p.fastEmpty >= fastEmptyLimit {
			return 0, p.markHangup("reads return nothing at once")
		}
	} else {
		p.fastEmpty = 0
	}
	if why := p.side.nodeChanged(p.cfg.Path); why != "" {
		return 0, p.markHangup(why)
	}
	return 0, nil
}

// Write writes b. A failed write means the device is gone: the error wraps
// ErrHangup.
func (p *Port) Write(b []byte) (int, error) {
	if err := p.usable(); err != nil {
		return 0, err
	}
	n, err := p.sp.Write(b)
	if err != nil {
		if cerr := p.usable(); cerr != nil {
			return n, cerr
		}
		return n, p.markHangup("write failed: " + plainErr(err))
	}
	return n, nil
}

// DiscardInput drops bytes received but not yet read, e.g. a late reply to
// an earlier status query. Unlike tarm/serial's Flush it keeps output that is
// still being sent.
func (p *Port) DiscardInput() error {
	if err := p.usable(); err != nil {
		return err
	}
	if err := p.side.discardInput(); err != nil {
		// The tty refuses ioctls (EIO) once it has hung up.
		return p.markHangup("discarding input failed: " + plainErr(err))
	}
	return nil
}

// Close releases the port and its lock. A Read pending in another goroutine
// returns within the read timeout. Closing twice is harmless.
func (p *Port) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.mu.Unlock()
	p.side.close()
	return p.sp.Close()
}

func (p *Port) usable() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return &PortError{Path: p.cfg.Path, Kind: ErrClosed}
	}
	return p.hungUp
}

func (p *Port) markHangup(detail string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.hungUp == nil {
		p.hungUp = &PortError{Path: p.cfg.Path, Kind: ErrHangup, Detail: detail}
	}
	return p.hungUp
}

// classifyOpen turns an open error into plain words.
func classifyOpen(path string, err error) error {
	var pe *PortError
	if errors.As(err, &pe) {
		return pe
	}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &PortError{Path: path, Kind: ErrNotFound}
	case errors.Is(err, os.ErrPermission):
		return &PortError{Path: path, Kind: ErrPermission}
	case isBusy(err):
		return &PortError{Path: path, Kind: ErrBusy}
	case isNotTTY(err):
		return &PortError{Path: path, Kind: ErrNotSerial}
	}
	return &PortError{Path: path, Kind: ErrNotSerial, Detail: plainErr(err)}
}

// plainErr drops the Go-specific "op path:" prefix from an *os.PathError.
func plainErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Backoff is the wait between reopen attempts: Min, doubling each failed
// attempt, never more than Max.
type Backoff struct {
	Min time.Duration
	Max time.Duration
}

// Default backoff: reopen quickly at first and at least once a second, so a
// replugged device is back within about a second.
const (
	DefaultBackoffMin = 100 * time.Millisecond
	DefaultBackoffMax = time.Second
)

func (b Backoff) withDefaults() Backoff {
	if b.Min <= 0 {
		b.Min = DefaultBackoffMin
	}
	if b.Max <= 0 {
		b.Max = DefaultBackoffMax
	}
	if b.Max < b.Min {
		b.Max = b.Min
	}
	return b
}

// Longest is the most Delay ever waits.
func (b Backoff) Longest() time.Duration { return b.withDefaults().Max }

// Delay is the wait before attempt number n (0 for the first retry).
func (b Backoff) Delay(n int) time.Duration {
	b = b.withDefaults()
	d := b.Min
	for i := 0; i < n && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

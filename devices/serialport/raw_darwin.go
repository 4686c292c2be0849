//go:build darwin

package serialport

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// The raw port on macOS: the terminal set up with termios through
// golang.org/x/sys/unix, no cgo (tarm/serial needs cgo here). Raw mode,
// the configured size, parity and stop bits, and reads that return after
// ReadTimeout with nothing (VMIN 0, VTIME), as tarm/serial does on Linux.

type rawParity byte

const (
	parityNone  rawParity = 'N'
	parityOdd   rawParity = 'O'
	parityEven  rawParity = 'E'
	parityMark  rawParity = 'M'
	paritySpace rawParity = 'S'
)

type rawStopBits byte

type rawConfig struct {
	Name        string
	Baud        int
	Size        byte
	Parity      rawParity
	StopBits    rawStopBits
	ReadTimeout time.Duration
}

var errBadParity = errors.New("serial: unsupported parity")

type rawPort struct{ f *os.File }

func openRaw(c *rawConfig) (*rawPort, error) {
	fd, err := unix.Open(c.Name, unix.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: c.Name, Err: err}
	}
	fail := func(err error) (*rawPort, error) {
		unix.Close(fd)
		return nil, err
	}
	t, err := unix.IoctlGetTermios(fd, unix.TIOCGETA)
	if err != nil {
		return fail(&os.PathError{Op: "tcgetattr", Path: c.Name, Err: err})
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF | unix.IXANY
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB | unix.PARODD | unix.CSTOPB | unix.CRTSCTS
	t.Cflag |= unix.CREAD | unix.CLOCAL
	switch c.Size {
	case 5:
		t.Cflag |= unix.CS5
	case 6:
		t.Cflag |= unix.CS6
	case 7:
		t.Cflag |= unix.CS7
	default:
		t.Cflag |= unix.CS8
	}
	switch c.Parity {
	case parityNone, 0:
	case parityOdd:
		t.Cflag |= unix.PARENB | unix.PARODD
	case parityEven:
		t.Cflag |= unix.PARENB
	default:
		return fail(errBadParity)
	}
	if c.StopBits == 2 {
		t.Cflag |= unix.CSTOPB
	}
	t.Ispeed, t.Ospeed = uint64(c.Baud), uint64(c.Baud)
	// VTIME counts tenths of a second, at most 25.5 s.
	t.Cc[unix.VMIN] = 0
	t.Cc[unix.VTIME] = uint8(min(max(c.ReadTimeout/(100*time.Millisecond), 1), 255))
	if err := unix.IoctlSetTermios(fd, unix.TIOCSETA, t); err != nil {
		return fail(&os.PathError{Op: "tcsetattr", Path: c.Name, Err: err})
	}
	if err := unix.SetNonblock(fd, false); err != nil {
		return fail(err)
	}
	return &rawPort{f: os.NewFile(uintptr(fd), c.Name)}, nil
}

func (p *rawPort) Read(b []byte) (int, error)  { return p.f.Read(b) }
func (p *rawPort) Write(b []byte) (int, error) { return p.f.Write(b) }
func (p *rawPort) Close() error                { return p.f.Close() }

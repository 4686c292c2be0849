//go:build linux

package sim

import (
	"os"

	"golang.org/x/sys/unix"
)

// makeRaw puts the tty in raw mode (as cfmakeraw does) so nothing is echoed
// or translated before the station opens it and sets its own mode.
func makeRaw(tty *os.File) error {
	return control(tty, func(fd int) error {
		t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
		if err != nil {
			return err
		}
		t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
		t.Oflag &^= unix.OPOST
		t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		t.Cflag &^= unix.CSIZE | unix.PARENB
		t.Cflag |= unix.CS8
		t.Cc[unix.VMIN] = 1
		t.Cc[unix.VTIME] = 0
		return unix.IoctlSetTermios(fd, unix.TCSETS, t)
	})
}

// inputQueued is how many bytes wait in the tty's input queue.
func inputQueued(tty *os.File) (int, error) {
	var n int
	err := control(tty, func(fd int) error {
		var err error
		n, err = unix.IoctlGetInt(fd, unix.TIOCINQ)
		return err
	})
	return n, err
}

// control runs fn on the descriptor without making the file blocking.
func control(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

// pollable returns a non-blocking duplicate of f, registered with Go's
// poller so deadlines work and Close interrupts a pending Read; f is closed.
func pollable(f *os.File) (*os.File, error) {
	var dup int
	err := control(f, func(fd int) error {
		var err error
		if dup, err = unix.Dup(fd); err != nil {
			return err
		}
		return unix.SetNonblock(dup, true)
	})
	if err != nil {
		return nil, err
	}
	f.Close()
	return os.NewFile(uintptr(dup), f.Name()), nil
}

//go:build linux

package serialport

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// sideHandle is a second descriptor on the port that tote keeps beside
// tarm/serial's (which it does not expose). Through it the port is locked
// with flock, marked exclusive (TIOCEXCL) and asked whether it hung up.
type sideHandle struct {
	f    *os.File
	rdev uint64 // device number at open, to notice a replaced node
}

func openSide(path string) (*sideHandle, error) {
	f, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY|unix.O_NONBLOCK, 0)
	if err != nil {
		return nil, classifyOpen(path, err)
	}
	var ttyErr, lockErr, statErr error
	var st unix.Stat_t
	rc, err := f.SyscallConn()
	if err == nil {
		err = rc.Control(func(fd uintptr) {
			if _, ttyErr = unix.IoctlGetTermios(int(fd), unix.TCGETS); ttyErr != nil {
				return
			}
			lockErr = unix.Flock(int(fd), unix.LOCK_EX|unix.LOCK_NB)
			statErr = unix.Fstat(int(fd), &st)
		})
	}
	switch {
	case err != nil:
		f.Close()
		return nil, &PortError{Path: path, Kind: ErrNotSerial, Detail: plainErr(err)}
	case ttyErr != nil:
		f.Close()
		return nil, &PortError{Path: path, Kind: ErrNotSerial}
	case errors.Is(lockErr, unix.EWOULDBLOCK):
		f.Close()
		return nil, &PortError{Path: path, Kind: ErrBusy, Detail: "another tote process holds its lock"}
	case lockErr != nil:
		f.Close()
		return nil, &PortError{Path: path, Kind: ErrBusy, Detail: "cannot lock it: " + lockErr.Error()}
	case statErr != nil:
		f.Close()
		return nil, &PortError{Path: path, Kind: ErrNotSerial, Detail: statErr.Error()}
	}
	return &sideHandle{f: f, rdev: st.Rdev}, nil
}

// control runs fn on the raw descriptor without switching the file to
// blocking mode (as Fd would).
func (h *sideHandle) control(fn func(fd int)) {
	if h == nil {
		return
	}
	if rc, err := h.f.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { fn(int(fd)) })
	}
}

// exclusive makes later opens of the tty by other (non-root) programs fail
// with EBUSY, as go.bug.st/serial does.
func (h *sideHandle) exclusive() {
	h.control(func(fd int) { _, _, _ = unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TIOCEXCL, 0) })
}

// reportsHangup asks the kernel: a hung-up tty (USB device unplugged, pty
// master closed) polls with POLLHUP.
func (h *sideHandle) reportsHangup() bool {
	hup := false
	h.control(func(fd int) {
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		if n, err := unix.Poll(fds, 0); err == nil && n > 0 {
			hup = fds[0].Revents&(unix.POLLHUP|unix.POLLNVAL) != 0
		}
	})
	return hup
}

// nodeChanged says why the path no longer leads to the opened device, or ""
// if it still does.
func (h *sideHandle) nodeChanged(path string) string {
	if h == nil {
		return ""
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		if errors.Is(err, unix.ENOENT) {
			return "the device node is gone"
		}
		return ""
	}
	if st.Rdev != h.rdev {
		return "the path now leads to another device"
	}
	return ""
}

func (h *sideHandle) canMarkSpace() bool { return h != nil }

// setMarkSpace sets mark (or space) parity: parity on, "stick" (CMSPAR), odd
// for mark. Termios belongs to the tty, so the side handle can set it for
// tarm/serial's descriptor.
func (h *sideHandle) setMarkSpace(mark bool) error {
	var err error
	h.control(func(fd int) {
		var t *unix.Termios
		if t, err = unix.IoctlGetTermios(fd, unix.TCGETS); err != nil {
			return
		}
		t.Cflag |= unix.PARENB | unix.CMSPAR
		if mark {
			t.Cflag |= unix.PARODD
		} else {
			t.Cflag &^= unix.PARODD
		}
		err = unix.IoctlSetTermios(fd, unix.TCSETS, t)
	})
	return err
}

func (h *sideHandle) discardInput() error {
	var err error
	h.control(func(fd int) { err = unix.IoctlSetInt(fd, unix.TCFLSH, unix.TCIFLUSH) })
	return err
}

func (h *sideHandle) close() {
	if h == nil {
		return
	}
	h.control(func(fd int) { _, _, _ = unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.TIOCNXCL, 0) })
	h.f.Close()
}

func isBusy(err error) bool   { return errors.Is(err, unix.EBUSY) }
func isNotTTY(err error) bool { return errors.Is(err, unix.ENOTTY) || errors.Is(err, unix.EINVAL) }

// Access says why the current user cannot open path for reading and
// writing, or "" if it can.
func Access(path string) string {
	if err := unix.Access(path, unix.R_OK|unix.W_OK); err != nil {
		if errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) {
			return "no permission: add the user to the dialout group"
		}
		return err.Error()
	}
	return ""
}

// Package sim provides virtual devices that speak like the real ones: a
// barcode scanner, a ZPL label printer and a shipping scale. Each sits on
// the master side of a pseudo-terminal (github.com/creack/pty) whose tty is
// linked at a path of your choice, so a station opens it exactly like a real
// serial port and the real serial code paths run; the printer can also
// listen on TCP like a networked Zebra (port 9100).
//
// Closing a sim is unplugging the device: the station sees a hangup. A new
// sim at the same link path is the device plugged back in.
//
// This package is for the demo, tests and bench setups. It must never be
// wired to real hardware, and it must never import the station's device
// packages: it is the other end of the wire and has to stay independent of
// the code it checks.
package sim

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/creack/pty"
)

// line is one pseudo-terminal with its tty linked at a path. The sim keeps
// the tty open itself so the master never reads EIO while no station has the
// port open, and so bytes sent before the station connects wait for it.
type line struct {
	master *os.File
	tty    *os.File
	link   string

	closeOnce sync.Once
	closeErr  error
}

// openLine creates a pty, makes its tty raw and links it at link, replacing
// an earlier link there (a replugged device) but never a file that is not a
// symlink.
func openLine(link string) (*line, error) {
	if link == "" {
		return nil, errors.New("no link path given")
	}
	abs, err := filepath.Abs(link)
	if err != nil {
		return nil, fmt.Errorf("link path %q: %w", link, err)
	}
	if fi, err := os.Lstat(abs); err == nil && fi.Mode()&os.ModeSymlink == 0 {
		return nil, fmt.Errorf("%s exists and is not a symlink; refusing to replace it", abs)
	}
	master, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("cannot create a pseudo-terminal: %w", err)
	}
	l := &line{master: master, tty: tty, link: abs}
	// creack/pty leaves the master in blocking mode, where Close cannot
	// interrupt a Read; swap in a pollable copy so Close unplugs at once.
	if l.master, err = pollable(master); err != nil {
		l.master = master
		l.closeFiles()
		return nil, fmt.Errorf("cannot set up the pseudo-terminal: %w", err)
	}
	if err := makeRaw(tty); err != nil {
		l.closeFiles()
		return nil, fmt.Errorf("cannot set the pseudo-terminal raw: %w", err)
	}
	// Link atomically so a station polling the path never sees it missing
	// or half made.
	tmp := fmt.Sprintf("%s.%d.%d.tmp", abs, os.Getpid(), time.Now().UnixNano())
	if err := os.Symlink(tty.Name(), tmp); err != nil {
		l.closeFiles()
		return nil, fmt.Errorf("cannot link %s: %w", abs, err)
	}
	if err := os.Rename(tmp, abs); err != nil {
		os.Remove(tmp)
		l.closeFiles()
		return nil, fmt.Errorf("cannot link %s: %w", abs, err)
	}
	return l, nil
}

// Path is the link path. TTY is the pseudo-terminal it points at.
func (l *line) Path() string { return l.link }
func (l *line) TTY() string  { return l.tty.Name() }

// close removes the link (if it is still ours) and closes the pty: to the
// station this is an unplug.
func (l *line) close() error {
	l.closeOnce.Do(func() {
		// Remove the link before closing, while the pty number is still ours
		// and cannot have been handed to a new sim at the same path.
		if target, err := os.Readlink(l.link); err == nil && target == l.tty.Name() {
			os.Remove(l.link)
		}
		l.closeErr = l.closeFiles()
	})
	return l.closeErr
}

func (l *line) closeFiles() error {
	err := l.master.Close()
	if terr := l.tty.Close(); err == nil {
		err = terr
	}
	return err
}

// write sends bytes to the station, failing rather than blocking for ever
// when nobody reads the port and its buffer is full.
func (l *line) write(b []byte) error {
	_ = l.master.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err := l.master.Write(b)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("nobody is reading %s: its buffer is full", l.link)
	}
	return err
}

// waitRead waits until the station has read every byte sent so far (the
// tty's input queue is empty) or ctx ends. Bytes written a moment ago may
// still be on their way into that queue, so call it once the station has
// shown it is reading.
func (l *line) waitRead(ctx context.Context) error {
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		n, err := inputQueued(l.tty)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the station has not read %d bytes from %s: %w", n, l.link, ctx.Err())
		case <-t.C:
		}
	}
}

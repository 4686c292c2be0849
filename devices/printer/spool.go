package printer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// SpoolPrinter hands jobs to a spool: appended to a file (a device such as
// /dev/usb/lp0, or a file another program forwards) or written one file per
// job into a directory (a watched folder, a CUPS raw queue's input, tests).
// A spool cannot say how the printer is: Status always returns ErrNoStatus.
type SpoolPrinter struct {
	path string
	dir  bool

	mu  sync.Mutex
	seq int
}

var _ Printer = (*SpoolPrinter)(nil)

// NewSpool makes a spool printer. An existing directory means one file per
// job; anything else is a file to append to, whose directory must exist.
func NewSpool(path string) (*SpoolPrinter, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return &SpoolPrinter{path: path, dir: true}, nil
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return nil, fmt.Errorf("spool %s: directory %s does not exist", path, filepath.Dir(path))
	}
	return &SpoolPrinter{path: path}, nil
}

// Send writes the job. In a directory it appears whole or not at all (it is
// written under a temporary name and renamed).
func (p *SpoolPrinter) Send(ctx context.Context, zpl []byte) error {
	if err := ctx.Err(); err != nil {
		return sendError(0, fmt.Errorf("spool %s: %w", p.path, err))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dir {
		return p.sendFile(zpl)
	}
	f, err := os.OpenFile(p.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return sendError(0, fmt.Errorf("spool %s: %w", p.path, plainPathErr(err)))
	}
	n, err := f.Write(zpl)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return sendError(n, fmt.Errorf("spool %s: %w", p.path, plainPathErr(err)))
	}
	return nil
}

func (p *SpoolPrinter) sendFile(zpl []byte) error {
	tmp, err := os.CreateTemp(p.path, ".tote-job-*.tmp")
	if err != nil {
		return sendError(0, fmt.Errorf("spool %s: %w", p.path, plainPathErr(err)))
	}
	_, err = tmp.Write(zpl)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return sendError(0, fmt.Errorf("spool %s: %w", p.path, plainPathErr(err)))
	}
	p.seq++
	// Names sort in the order jobs were sent; the temp name's random part
	// keeps two stations sharing a folder apart.
	random := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(tmp.Name()), ".tote-job-"), ".tmp")
	name := fmt.Sprintf("job-%s-%06d-%s.zpl", time.Now().UTC().Format("20060102T150405.000000000"), p.seq, random)
	if err := os.Rename(tmp.Name(), filepath.Join(p.path, name)); err != nil {
		os.Remove(tmp.Name())
		return sendError(0, fmt.Errorf("spool %s: %w", p.path, plainPathErr(err)))
	}
	return nil
}

// Status always fails: a spool has no way back from the printer.
func (p *SpoolPrinter) Status(ctx context.Context) (Status, error) {
	return Status{}, fmt.Errorf("%w: spool %s cannot report the printer's state; check the printer itself", ErrNoStatus, p.path)
}

// Close does nothing.
func (p *SpoolPrinter) Close() error { return nil }

func plainPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

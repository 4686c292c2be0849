package sim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a printer condition the sim can be switched into.
type Fault string

// Faults. FaultNone is a ready printer.
const (
	FaultNone      Fault = "none"
	FaultPaperOut  Fault = "paper-out"
	FaultHeadOpen  Fault = "head-open"
	FaultPaused    Fault = "pause"
	FaultRibbonOut Fault = "ribbon-out"
)

// ParseFault reads a fault name as typed on the sim's standard input.
func ParseFault(s string) (Fault, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none", "ok", "ready", "resume", "paper-in", "close-head":
		return FaultNone, nil
	case "paper-out", "paperout":
		return FaultPaperOut, nil
	case "head-open", "headopen":
		return FaultHeadOpen, nil
	case "pause", "paused":
		return FaultPaused, nil
	case "ribbon-out", "ribbonout":
		return FaultRibbonOut, nil
	}
	return "", fmt.Errorf("fault %q: want none, paper-out, head-open, pause or ribbon-out", s)
}

// Job is one ^XA...^XZ format the sim printed.
type Job struct {
	Seq  int       // 1, 2, ... in the order printed
	Path string    // the file it was written to
	ZPL  []byte    // the format, ^XA to ^XZ
	At   time.Time // when it was printed
}

// maxJob bounds one format, so a stream without ^XZ cannot eat memory.
const maxJob = 8 << 20

// PrinterSim is a virtual Zebra-compatible printer. It answers ~HS with its
// status, prints each ^XA...^XZ format to its own file in a directory, and
// can be switched into paper-out, head-open, pause or ribbon-out and back.
// While faulted it keeps received formats in its buffer (as a real printer
// does) and prints them when the fault clears.
type PrinterSim struct {
	dir string

	line     *line        // serial: the pty
	listener net.Listener // tcp

	mu      sync.Mutex
	fault   Fault
	mute    bool
	held    [][]byte // formats received while faulted
	jobs    []Job
	nextSeq int
	changed chan struct{} // closed and replaced whenever a job prints
	errs    []error       // what went wrong writing files or replying

	wg       sync.WaitGroup
	closeErr error
	once     sync.Once
	done     chan struct{}
	conns    map[net.Conn]struct{}
}

// NewPrinter creates a virtual serial printer linked at link that writes
// jobs into dir (created if missing).
func NewPrinter(link, dir string) (*PrinterSim, error) {
	p, err := newPrinter(dir)
	if err != nil {
		return nil, err
	}
	if p.line, err = openLine(link); err != nil {
		return nil, err
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		p.serve(p.line.master, p.line.write)
	}()
	return p, nil
}

// NewPrinterTCP creates a virtual network printer listening on addr (e.g.
// "127.0.0.1:9100", or port 0 for any free port; see Addr).
func NewPrinterTCP(addr, dir string) (*PrinterSim, error) {
	p, err := newPrinter(dir)
	if err != nil {
		return nil, err
	}
	if p.listener, err = net.Listen("tcp", addr); err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

func newPrinter(dir string) (*PrinterSim, error) {
	if dir == "" {
		return nil, errors.New("no job directory given")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("job directory: %w", err)
	}
	next, err := nextJobNumber(dir)
	if err != nil {
		return nil, err
	}
	return &PrinterSim{dir: dir, fault: FaultNone, nextSeq: next, changed: make(chan struct{}),
		done: make(chan struct{}), conns: map[net.Conn]struct{}{}}, nil
}

var jobName = regexp.MustCompile(`^job-(\d+)\.zpl$`)

// nextJobNumber continues after the files an earlier run left in dir.
func nextJobNumber(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("job directory: %w", err)
	}
	next := 1
	for _, e := range entries {
		if m := jobName.FindStringSubmatch(e.Name()); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil && n >= next {
				next = n + 1
			}
		}
	}
	return next, nil
}

// Path is the serial link path ("" for TCP); Addr the TCP address ("" for serial).
func (p *PrinterSim) Path() string {
	if p.line == nil {
		return ""
	}
	return p.line.Path()
}

// Addr is the address the TCP printer listens on.
func (p *PrinterSim) Addr() string {
	if p.listener == nil {
		return ""
	}
	return p.listener.Addr().String()
}

// Dir is where printed jobs go.
func (p *PrinterSim) Dir() string { return p.dir }

func (p *PrinterSim) accept() {
	defer p.wg.Done()
	for {
		c, err := p.listener.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		select {
		case <-p.done:
			p.mu.Unlock()
			c.Close()
			return
		default:
		}
		p.conns[c] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.serve(c, func(b []byte) error {
				_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
				_, err := c.Write(b)
				return err
			})
			p.mu.Lock()
			delete(p.conns, c)
			p.mu.Unlock()
			c.Close()
		}()
	}
}

// serve reads one stream (the pty or a connection) until it ends.
func (p *PrinterSim) serve(r interface{ Read([]byte) (int, error) }, reply func([]byte) error) {
	var z zplStream
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		for _, ev := range z.feed(buf[:n]) {
			if ev.status {
				if b := p.statusReply(); b != nil {
					if err := reply(b); err != nil {
						p.noteErr(fmt.Errorf("replying to ~HS: %w", err))
					}
				}
				continue
			}
			p.receive(ev.job)
		}
		if z.err != nil {
			p.noteErr(z.err)
			z.err = nil
		}
		if err != nil {
			return
		}
	}
}

// receive prints a format now, or holds it while the printer is faulted.
func (p *PrinterSim) receive(job []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fault != FaultNone {
		p.held = append(p.held, job)
		return
	}
	p.print(job)
}

// print writes a job file. Call with mu held.
func (p *PrinterSim) print(job []byte) {
	seq := p.nextSeq
	p.nextSeq++
	path := filepath.Join(p.dir, fmt.Sprintf("job-%04d.zpl", seq))
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, job, 0o644); err != nil {
		p.errs = append(p.errs, err)
		return
	}
	if err := os.Rename(tmp, path); err != nil {
		p.errs = append(p.errs, err)
		return
	}
	p.jobs = append(p.jobs, Job{Seq: seq, Path: path, ZPL: job, At: time.Now()})
	close(p.changed)
	p.changed = make(chan struct{})
}

func (p *PrinterSim) noteErr(err error) {
	p.mu.Lock()
	p.errs = append(p.errs, err)
	p.mu.Unlock()
}

// statusReply is the ~HS answer for the current state, or nil when muted.
func (p *PrinterSim) statusReply() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mute {
		return nil
	}
	b := func(on bool) int {
		if on {
			return 1
		}
		return 0
	}
	return fmt.Appendf(nil,
		"\x02030,%d,%d,1218,%03d,0,0,0,000,0,0,0\x03\r\n\x02001,0,%d,%d,0,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n",
		b(p.fault == FaultPaperOut), b(p.fault == FaultPaused), min(len(p.held), 999),
		b(p.fault == FaultHeadOpen), b(p.fault == FaultRibbonOut))
}

// SetFault switches the printer into a fault, or back with FaultNone; then
// formats held during the fault print.
func (p *PrinterSim) SetFault(f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault = f
	if f != FaultNone {
		return
	}
	for _, job := range p.held {
		p.print(job)
	}
	p.held = nil
}

// Fault is the current fault.
func (p *PrinterSim) Fault() Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.fault
}

// SetMute makes the printer ignore ~HS (as some do when faulted) or answer again.
func (p *PrinterSim) SetMute(mute bool) {
	p.mu.Lock()
	p.mute = mute
	p.mu.Unlock()
}

// Held is how many formats wait in the printer for a fault to clear.
func (p *PrinterSim) Held() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.held)
}

// Jobs lists the jobs printed so far.
func (p *PrinterSim) Jobs() []Job {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Job(nil), p.jobs...)
}

// WaitJobs waits until at least n jobs have printed and returns them all.
func (p *PrinterSim) WaitJobs(ctx context.Context, n int) ([]Job, error) {
	for {
		p.mu.Lock()
		jobs, changed := append([]Job(nil), p.jobs...), p.changed
		p.mu.Unlock()
		if len(jobs) >= n {
			return jobs, nil
		}
		select {
		case <-ctx.Done():
			return jobs, fmt.Errorf("%d of %d jobs printed: %w", len(jobs), n, ctx.Err())
		case <-changed:
		}
	}
}

// Errors returns what went wrong inside the sim (files it could not write,
// replies it could not send, formats too long), so tests can check for none.
func (p *PrinterSim) Errors() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.errs...)
}

// Command runs one line typed on the sim's standard input and returns the
// answer to show.
func (p *PrinterSim) Command(cmd string) (string, error) {
	cmd = strings.ToLower(strings.TrimSpace(cmd))
	switch cmd {
	case "":
		return "", nil
	case "mute":
		p.SetMute(true)
		return "not answering ~HS", nil
	case "unmute":
		p.SetMute(false)
		return "answering ~HS", nil
	case "status":
		return p.describe(), nil
	case "help", "?":
		return "commands: paper-out, head-open, pause, ribbon-out, ok (clear the fault), mute, unmute, status, quit", nil
	}
	f, err := ParseFault(cmd)
	if err != nil {
		return "", fmt.Errorf("unknown command %q (try help)", cmd)
	}
	p.SetFault(f)
	return p.describe(), nil
}

func (p *PrinterSim) describe() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := fmt.Sprintf("fault %s, %d printed, %d held", p.fault, len(p.jobs), len(p.held))
	if p.mute {
		s += ", not answering ~HS"
	}
	return s
}

// Close stops the printer (for serial, an unplug). Held formats are lost, as
// when a real printer is switched off.
func (p *PrinterSim) Close() error {
	p.once.Do(func() {
		close(p.done)
		if p.line != nil {
			p.closeErr = p.line.close()
		}
		if p.listener != nil {
			p.closeErr = p.listener.Close()
			p.mu.Lock()
			for c := range p.conns {
				c.Close()
			}
			p.mu.Unlock()
		}
		p.wg.Wait()
	})
	return p.closeErr
}

// zplStream splits what a printer receives into formats and ~HS queries.
type zplStream struct {
	carry []byte // an incomplete command at the end of the last read
	inJob bool
	job   []byte
	err   error
}

type zplEvent struct {
	status bool   // a ~HS query
	job    []byte // or a complete ^XA...^XZ format
}

func (z *zplStream) feed(p []byte) []zplEvent {
	data := append(z.carry, p...)
	z.carry = nil
	var out []zplEvent
	for i := 0; i < len(data); {
		c := data[i]
		if c == '^' || c == '~' {
			if i+3 > len(data) {
				z.carry = append([]byte(nil), data[i:]...)
				break
			}
			cmd := strings.ToUpper(string(data[i+1 : i+3]))
			switch {
			case c == '~' && cmd == "HS":
				out = append(out, zplEvent{status: true})
				i += 3
				continue
			case c == '^' && cmd == "XA":
				if z.inJob {
					z.err = errors.New("a format began before the last one ended (^XA without ^XZ); dropped the unfinished one")
				}
				z.inJob, z.job = true, append(z.job[:0], data[i:i+3]...)
				i += 3
				continue
			case c == '^' && cmd == "XZ" && z.inJob:
				out = append(out, zplEvent{job: append(bytes.Clone(z.job), data[i:i+3]...)})
				z.inJob, z.job = false, z.job[:0]
				i += 3
				continue
			}
		}
		if z.inJob {
			if len(z.job) >= maxJob {
				z.err = fmt.Errorf("a format grew past %d bytes without ^XZ; dropped it", maxJob)
				z.inJob, z.job = false, z.job[:0]
			} else {
				z.job = append(z.job, c)
			}
		}
		i++
	}
	return out
}

package printing_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/devices/serialport"
	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/printing"
	"github.com/totewms/tote/station/store"
)

// Fast timings so held printers are asked again quickly.
const (
	testPoll          = 40 * time.Millisecond
	testStatusTimeout = 300 * time.Millisecond
)

func openStore(t testing.TB, path string) *store.Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "station.db")
	}
	st, err := store.Open(context.Background(), path, "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// serialSim is a virtual printer on a pseudo-terminal and the station's
// serial printer talking to it.
func serialSim(t *testing.T) (*sim.PrinterSim, printer.Printer) {
	t.Helper()
	dir := t.TempDir()
	ps, err := sim.NewPrinter(filepath.Join(dir, "ttyZebra"), filepath.Join(dir, "printed"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ps.Close() })
	p := printer.NewSerial(serialport.Config{Path: ps.Path()}, testStatusTimeout)
	t.Cleanup(func() { p.Close() })
	return ps, p
}

// logBuffer collects the spooler's log for the test to read.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// running is a spooler running in the background until the test ends.
type running struct {
	*printing.Spooler
	st  *store.Store
	log *logBuffer

	mu       sync.Mutex
	heard    []string // every report OnReport heard, in order
	mismatch []string
}

func startSpooler(t *testing.T, st *store.Store, printers map[string]printer.Printer) *running {
	t.Helper()
	r := &running{st: st, log: &logBuffer{}}
	sp, err := printing.New(st, printers, printing.Options{
		Log:       slog.New(slog.NewTextHandler(r.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PollEvery: testPoll, RetryMin: 20 * time.Millisecond, RetryMax: 200 * time.Millisecond,
		OnReport: func(rep printing.Report) {
			// Calling back is allowed, and Reports already has what is heard.
			latest, _ := r.report(rep.Printer)
			r.mu.Lock()
			defer r.mu.Unlock()
			r.heard = append(r.heard, rep.String())
			if latest.String() != rep.String() {
				r.mismatch = append(r.mismatch, rep.String()+" but Reports has "+latest.String())
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	r.Spooler = sp
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sp.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the spooler did not stop")
		}
		r.mu.Lock()
		if len(r.mismatch) > 0 {
			t.Errorf("OnReport and Reports disagree: %q", r.mismatch)
		}
		r.mu.Unlock()
		if t.Failed() {
			t.Logf("spooler log:\n%s", r.log)
		}
	})
	return r
}

// history is what OnReport heard for a printer, in order.
func (r *running) history(name string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, h := range r.heard {
		if strings.HasPrefix(h, "Printer "+name+":") {
			out = append(out, h)
		}
	}
	return out
}

// report is the latest report for a printer.
func (r *running) report(name string) (printing.Report, bool) {
	for _, rep := range r.Reports() {
		if rep.Printer == name {
			return rep, true
		}
	}
	return printing.Report{}, false
}

// waitReport waits for a printer's report to say exactly want.
func (r *running) waitReport(t *testing.T, name, want string) printing.Report {
	t.Helper()
	var got printing.Report
	waitFor(t, fmt.Sprintf("report %q", want), func() bool {
		got, _ = r.report(name)
		return got.String() == want
	}, func() string { return fmt.Sprintf("latest report %q", got.String()) })
	return got
}

func (r *running) enqueue(t *testing.T, printerName, ref string) int64 {
	t.Helper()
	id, err := r.Enqueue(context.Background(), "B1001", store.NewPrintJob{Printer: printerName, Kind: floor.LabelShipping, Ref: ref, ZPL: label(ref)})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// waitJob waits until a job is in the given status.
func waitJob(t *testing.T, st *store.Store, id int64, want store.PrintStatus) store.PrintJob {
	t.Helper()
	var j store.PrintJob
	waitFor(t, fmt.Sprintf("job %d %s", id, want), func() bool {
		var err error
		j, err = st.PrintJob(context.Background(), id)
		return err == nil && j.Status == want
	}, func() string { return fmt.Sprintf("job %d is %s (%s)", id, j.Status, j.Reason) })
	return j
}

// waitFor polls cond until it holds or 15 s pass.
func waitFor(t *testing.T, what string, cond func() bool, state func() string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %s", what, state())
		}
		<-tick.C
	}
}

// label is a small ZPL label whose text names it, so the printed copies
// can be counted per label.
func label(ref string) []byte {
	return []byte("^XA^CF0,40^FO40,40^FDLABEL " + ref + "^FS^XZ")
}

// refOf reads back which label a printed format is.
func refOf(zpl []byte) string {
	s := string(zpl)
	i := strings.Index(s, "^FDLABEL ")
	if i < 0 {
		return "?" + s
	}
	s = s[i+len("^FDLABEL "):]
	if j := strings.Index(s, "^FS"); j >= 0 {
		s = s[:j]
	}
	return s
}

func printedRefs(jobs []sim.Job) []string {
	out := make([]string, len(jobs))
	for i, j := range jobs {
		out[i] = refOf(j.ZPL)
	}
	return out
}

func waitPrinted(t *testing.T, ps *sim.PrinterSim, n int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	jobs, err := ps.WaitJobs(ctx, n)
	if err != nil {
		t.Fatalf("printer: %v (printed %v)", err, printedRefs(jobs))
	}
	return printedRefs(jobs)
}

// hsReady is a ready printer's ~HS reply (the sample in the ZPL manual).
const hsReady = "\x02030,0,0,0959,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n"

// breakingPrinter is a network printer on 127.0.0.1 that answers ~HS as
// ready and drops the connection in the middle of the first label it is
// sent (as a print server rebooting would); later labels it takes whole.
type breakingPrinter struct {
	ln net.Listener

	mu       sync.Mutex
	broken   int      // labels cut off
	received [][]byte // labels taken whole
	changed  chan struct{}
}

func newBreakingPrinter(t *testing.T) *breakingPrinter {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &breakingPrinter{ln: ln, changed: make(chan struct{})}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { b.serve(c) })
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return b
}

func (b *breakingPrinter) serve(c net.Conn) {
	defer c.Close()
	head := make([]byte, 3)
	if _, err := io.ReadFull(c, head); err != nil {
		return
	}
	if string(head) == "~HS" {
		c.Write([]byte(hsReady))
		return
	}
	b.mu.Lock()
	first := b.broken == 0
	if first {
		b.broken++
	}
	b.mu.Unlock()
	if first {
		// Reset rather than close: the sender's next write fails at once.
		c.(*net.TCPConn).SetLinger(0)
		b.note(nil)
		return
	}
	rest, err := io.ReadAll(c)
	if err == nil {
		b.note(append(head, rest...))
	}
}

func (b *breakingPrinter) note(job []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if job != nil {
		b.received = append(b.received, job)
	}
	close(b.changed)
	b.changed = make(chan struct{})
}

func (b *breakingPrinter) counts() (broken, whole int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.broken, len(b.received)
}

func (b *breakingPrinter) waitWhole(t *testing.T, n int) [][]byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for {
		b.mu.Lock()
		got, ch := append([][]byte(nil), b.received...), b.changed
		b.mu.Unlock()
		if len(got) >= n {
			return got
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d of %d labels received whole", len(got), n)
		case <-ch:
		}
	}
}

package printer_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/devices/serialport"
	"github.com/totewms/tote/devices/sim"
)

const label = "^XA^FO50,50^A0N,40,40^FDTOTE-0042^FS^XZ"

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// rig is a printer sim with a station-side Printer talking to it.
type rig struct {
	sim *sim.PrinterSim
	p   printer.Printer
}

func serialRig(t *testing.T) rig {
	t.Helper()
	dir := t.TempDir()
	s, err := sim.NewPrinter(filepath.Join(dir, "ttyZebra"), filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p, err := printer.New(printer.Config{Name: "packing", Port: s.Path(), ReadTimeout: 100 * time.Millisecond, StatusTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return rig{s, p}
}

func tcpRig(t *testing.T) rig {
	t.Helper()
	s, err := sim.NewPrinterTCP("127.0.0.1:0", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	p, err := printer.New(printer.Config{Name: "packing", Address: s.Addr(), StatusTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return rig{s, p}
}

func (r rig) status(t *testing.T) printer.Status {
	t.Helper()
	st, err := r.p.Status(ctxFor(t, 3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The station's side of paper-out: it asks before sending and holds the job
// while the printer is not ready (the print queue does this; here the test
// does it), then sends it once when the paper is back.
func paperOutThenBack(t *testing.T, r rig) {
	if st := r.status(t); !st.Ready() {
		t.Fatalf("fresh printer not ready: %v", st)
	}
	r.sim.SetFault(sim.FaultPaperOut)
	st := r.status(t)
	if !st.Known || !st.PaperOut || st.Ready() || st.Instruction() != "Load labels" {
		t.Fatalf("paper out: got %+v, instruction %q", st, st.Instruction())
	}
	state := printer.StateOf(devices.State{Device: "packing", Kind: devices.KindPrinter}, st, nil)
	if state.Status != devices.StatusError || state.Reason != "out of labels: Load labels" {
		t.Errorf("operator sees %v", state)
	}
	held := []byte(label) // not sent: the printer is not ready

	r.sim.SetFault(sim.FaultNone)
	if st := r.status(t); !st.Ready() {
		t.Fatalf("after loading labels: %v", st)
	}
	if err := r.p.Send(ctxFor(t, 3*time.Second), held); err != nil {
		t.Fatal(err)
	}
	if _, err := r.sim.WaitJobs(ctxFor(t, 3*time.Second), 1); err != nil {
		t.Fatal(err)
	}
	// One more round trip so a duplicate would have arrived by now.
	r.status(t)
	jobs := r.sim.Jobs()
	if len(jobs) != 1 || string(jobs[0].ZPL) != label {
		t.Fatalf("printed %d jobs %+v, want the label once", len(jobs), jobs)
	}
	onDisk, err := os.ReadFile(jobs[0].Path)
	if err != nil || string(onDisk) != label {
		t.Fatalf("job file %q, %v", onDisk, err)
	}
	if errs := r.sim.Errors(); len(errs) != 0 {
		t.Errorf("sim errors: %v", errs)
	}
}

func TestSerialPaperOutThenBack(t *testing.T) { paperOutThenBack(t, serialRig(t)) }
func TestTCPPaperOutThenBack(t *testing.T)    { paperOutThenBack(t, tcpRig(t)) }

// A job that reaches the printer while it is out of paper waits inside it
// and prints once, when the paper is back.
func heldInPrinter(t *testing.T, r rig) {
	r.sim.SetFault(sim.FaultPaperOut)
	if err := r.p.Send(ctxFor(t, 3*time.Second), []byte(label)); err != nil {
		t.Fatal(err)
	}
	for st := r.status(t); st.FormatsInBuffer != 1; st = r.status(t) {
		if !st.PaperOut {
			t.Fatalf("status %+v", st)
		}
	}
	if n := len(r.sim.Jobs()); n != 0 {
		t.Fatalf("%d jobs printed without paper", n)
	}
	r.sim.SetFault(sim.FaultNone)
	if _, err := r.sim.WaitJobs(ctxFor(t, 3*time.Second), 1); err != nil {
		t.Fatal(err)
	}
	if st := r.status(t); !st.Ready() || st.FormatsInBuffer != 0 || len(r.sim.Jobs()) != 1 {
		t.Fatalf("after paper back: %+v, %d jobs", st, len(r.sim.Jobs()))
	}
}

func TestSerialJobHeldInPrinter(t *testing.T) { heldInPrinter(t, serialRig(t)) }
func TestTCPJobHeldInPrinter(t *testing.T)    { heldInPrinter(t, tcpRig(t)) }

func faults(t *testing.T, r rig) {
	for f, want := range map[sim.Fault]string{
		sim.FaultHeadOpen:  "Close the print head",
		sim.FaultPaused:    "Press pause to resume",
		sim.FaultRibbonOut: "Load a new ribbon",
	} {
		r.sim.SetFault(f)
		if st := r.status(t); st.Ready() || st.Instruction() != want {
			t.Errorf("%s: %+v says %q, want %q", f, st, st.Instruction(), want)
		}
	}
}

func TestSerialFaults(t *testing.T) { faults(t, serialRig(t)) }
func TestTCPFaults(t *testing.T)    { faults(t, tcpRig(t)) }

// A printer that never answers ~HS is unknown, within the timeout.
func silent(t *testing.T, r rig) {
	r.sim.SetMute(true)
	start := time.Now()
	st, err := r.p.Status(ctxFor(t, 5*time.Second))
	took := time.Since(start)
	if st.Known || !errors.Is(err, printer.ErrNoReply) {
		t.Fatalf("silent printer: %+v, %v", st, err)
	}
	if !strings.Contains(err.Error(), "no reply to ~HS within 500ms") {
		t.Errorf("message %q", err)
	}
	if took < 400*time.Millisecond || took > 1500*time.Millisecond {
		t.Errorf("gave up after %v, want about the 500ms timeout", took)
	}
	state := printer.StateOf(devices.State{Status: devices.StatusConnected}, st, err)
	if state.Status != devices.StatusUnknown || !strings.Contains(state.Reason, "no reply to ~HS") {
		t.Errorf("operator sees %v", state)
	}
	if st.Instruction() != "Check that the printer is switched on and connected" {
		t.Errorf("instruction %q", st.Instruction())
	}
	r.sim.SetMute(false)
	if st := r.status(t); !st.Ready() {
		t.Errorf("answering again: %+v", st)
	}
}

func TestSerialSilent(t *testing.T) { silent(t, serialRig(t)) }
func TestTCPSilent(t *testing.T)    { silent(t, tcpRig(t)) }

func TestSerialPrinterMissingThenPluggedThenUnplugged(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "ttyZebra")
	p, err := printer.New(printer.Config{Name: "packing", Port: link, ReadTimeout: 100 * time.Millisecond, StatusTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = p.Status(ctxFor(t, 3*time.Second))
	if !errors.Is(err, serialport.ErrNotFound) || err.Error() != "port "+link+" not found" {
		t.Fatalf("missing port status: %v", err)
	}
	err = p.Send(ctxFor(t, 3*time.Second), []byte(label))
	if !errors.Is(err, printer.ErrNotSent) || !errors.Is(err, serialport.ErrNotFound) {
		t.Fatalf("missing port send: %v", err)
	}

	s, err := sim.NewPrinter(link, filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	if st, err := p.Status(ctxFor(t, 3*time.Second)); err != nil || !st.Ready() {
		t.Fatalf("after plugging in: %+v, %v", st, err)
	}
	s.Close() // unplugged
	st, err := p.Status(ctxFor(t, 3*time.Second))
	if st.Known || err == nil {
		t.Fatalf("after unplug: %+v, %v", st, err)
	}
	if !errors.Is(err, serialport.ErrHangup) && !errors.Is(err, serialport.ErrNotFound) {
		t.Errorf("after unplug: %v, want hangup or not found", err)
	}

	s2, err := sim.NewPrinter(link, filepath.Join(dir, "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if st, err := p.Status(ctxFor(t, 3*time.Second)); err != nil || !st.Ready() {
		t.Fatalf("after replug: %+v, %v", st, err)
	}
	if err := p.Send(ctxFor(t, 3*time.Second), []byte(label)); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.WaitJobs(ctxFor(t, 3*time.Second), 1); err != nil {
		t.Fatal(err)
	}
}

func TestSerialPrinterBusyPort(t *testing.T) {
	r := serialRig(t)
	holder, err := serialport.Open(serialport.Config{Path: r.sim.Path()})
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	_, err = r.p.Status(ctxFor(t, 3*time.Second))
	if !errors.Is(err, serialport.ErrBusy) {
		t.Fatalf("status on a held port: %v", err)
	}
	state := printer.StateOf(devices.State{Status: devices.StatusUnknown}, printer.Status{}, err)
	if state.Status != devices.StatusError || !strings.Contains(state.Reason, "busy") {
		t.Errorf("operator sees %v", state)
	}
}

func TestTCPPrinterUnreachable(t *testing.T) {
	// A port that was just free: nothing listens there.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	p := printer.NewTCP(addr, 300*time.Millisecond)
	err = p.Send(ctxFor(t, 3*time.Second), []byte(label))
	if !errors.Is(err, printer.ErrNotSent) || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("send to nobody: %v", err)
	}
	st, err := p.Status(ctxFor(t, 3*time.Second))
	if st.Known || err == nil || !strings.Contains(err.Error(), "cannot reach printer at "+addr) {
		t.Fatalf("status of nobody: %+v, %v", st, err)
	}
}

func TestTCPDefaultPort(t *testing.T) {
	if got := printer.NewTCP("zebra-07.local", 0).Address(); got != "zebra-07.local:9100" {
		t.Errorf("address %q", got)
	}
}

func TestSpoolDirectory(t *testing.T) {
	dir := t.TempDir()
	p, err := printer.New(printer.Config{Name: "cups", Path: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range []string{label, strings.Replace(label, "0042", "0043", 1)} {
		if err := p.Send(context.Background(), []byte(z)); err != nil {
			t.Fatal(err)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "job-*.zpl"))
	if err != nil || len(files) != 2 {
		t.Fatalf("files %v, %v", files, err)
	}
	second, _ := os.ReadFile(files[1])
	if !strings.Contains(string(second), "TOTE-0043") {
		t.Errorf("jobs out of order: second file holds %q", second)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".tote-job-*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	st, err := p.Status(context.Background())
	if st.Known || !errors.Is(err, printer.ErrNoStatus) {
		t.Errorf("spool status: %+v, %v", st, err)
	}
}

func TestSpoolFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	p, err := printer.NewSpool(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := p.Send(context.Background(), []byte(label)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != label+label {
		t.Fatalf("spool file %q, %v", got, err)
	}
	if _, err := printer.NewSpool(filepath.Join(t.TempDir(), "no", "such", "lp0")); err == nil {
		t.Error("spool in a missing directory accepted")
	}
}

func TestConfig(t *testing.T) {
	bad := map[string]printer.Config{
		"printer without a name":  {Port: "/dev/ttyUSB0"},
		"set exactly one of port": {Name: "p", Port: "/dev/ttyUSB0", Address: "10.0.0.7"},
		"transport \"usb\"":       {Name: "p", Transport: "usb"},
		"baud 7":                  {Name: "p", Port: "/dev/ttyUSB0", Baud: 7},
		"no address":              {Name: "p", Transport: "tcp"},
	}
	for want, c := range bad {
		if _, err := printer.New(c); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%+v) = %v, want error with %q", c, err, want)
		}
	}
}

func TestWatch(t *testing.T) {
	r := serialRig(t)
	ctx, cancel := context.WithCancel(context.Background())
	states := make(chan devices.State, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		printer.Watch(ctx, "packing", r.p, 20*time.Millisecond, nil, func(s devices.State) { states <- s })
	}()
	await := func(status, reason string) {
		t.Helper()
		deadline := time.After(3 * time.Second)
		for {
			select {
			case s := <-states:
				if s.Status == status && strings.Contains(s.Reason, reason) {
					if s.Device != "packing" || s.Kind != devices.KindPrinter {
						t.Errorf("state names %s %s", s.Kind, s.Device)
					}
					return
				}
			case <-deadline:
				t.Fatalf("no %s state with %q", status, reason)
			}
		}
	}
	await(devices.StatusConnected, "")
	r.sim.SetFault(sim.FaultHeadOpen)
	await(devices.StatusError, "print head open: Close the print head")
	r.sim.SetFault(sim.FaultNone)
	await(devices.StatusConnected, "")
	r.sim.Close()
	await(devices.StatusReconnecting, "")
	cancel()
	<-done
	await(devices.StatusUnknown, "stopped")
}

func benchStatus(b *testing.B, p printer.Printer) {
	b.ReportAllocs()
	for b.Loop() {
		st, err := p.Status(context.Background())
		if err != nil || !st.Ready() {
			b.Fatalf("%+v, %v", st, err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
}

// BenchmarkStatusSerial measures one ~HS round trip over a pseudo-terminal.
func BenchmarkStatusSerial(b *testing.B) {
	dir := b.TempDir()
	s, err := sim.NewPrinter(filepath.Join(dir, "tty"), filepath.Join(dir, "out"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p := printer.NewSerial(serialport.Config{Path: s.Path(), ReadTimeout: 100 * time.Millisecond}, time.Second)
	defer p.Close()
	benchStatus(b, p)
}

// BenchmarkStatusTCP measures one ~HS round trip on a fresh 127.0.0.1 connection.
func BenchmarkStatusTCP(b *testing.B) {
	s, err := sim.NewPrinterTCP("127.0.0.1:0", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	benchStatus(b, printer.NewTCP(s.Addr(), time.Second))
}

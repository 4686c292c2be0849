package scanner_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/scanner"
	"github.com/totewms/tote/devices/sim"
)

// station runs one Scanner the way a station does and collects what it reports.
type station struct {
	frames chan scanner.Frame
	states chan devices.State
	stop   context.CancelFunc
	done   chan error
}

func run(t *testing.T, cfg scanner.Config) *station {
	t.Helper()
	sc, err := scanner.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	st := &station{
		frames: make(chan scanner.Frame, 100),
		states: make(chan devices.State, 100),
		stop:   cancel,
		done:   make(chan error, 1),
	}
	go func() {
		st.done <- sc.Run(ctx, func(f scanner.Frame) { st.frames <- f }, func(s devices.State) { st.states <- s })
	}()
	t.Cleanup(func() { st.halt(t) })
	return st
}

// halt stops Run and checks it returns promptly and cleanly.
func (st *station) halt(t *testing.T) {
	t.Helper()
	st.stop()
	select {
	case err, ok := <-st.done:
		if ok && err != nil {
			t.Errorf("Run returned %v", err)
		}
		if ok {
			close(st.done)
		}
	case <-time.After(3 * time.Second):
		t.Error("Run did not stop within 3s of cancel")
	}
}

func (st *station) frame(t *testing.T) scanner.Frame {
	t.Helper()
	select {
	case f := <-st.frames:
		return f
	case <-time.After(3 * time.Second):
		t.Fatal("no frame within 3s")
	}
	return scanner.Frame{}
}

// await waits for a report with the given status and returns it.
func (st *station) await(t *testing.T, status string, within time.Duration) devices.State {
	t.Helper()
	deadline := time.After(within)
	for {
		select {
		case s := <-st.states:
			if s.Status == status {
				return s
			}
		case <-deadline:
			t.Fatalf("no %q state within %v", status, within)
		}
	}
}

func config(name, port string) scanner.Config {
	return scanner.Config{Name: name, Port: port, ReadTimeout: 100 * time.Millisecond}
}

func newSim(t *testing.T, link string, opt sim.ScannerOptions) *sim.ScannerSim {
	t.Helper()
	s, err := sim.NewScanner(link, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func expect(t *testing.T, f scanner.Frame, aim, data string) {
	t.Helper()
	if f.Err != nil || f.AIM != aim || f.Data != data {
		t.Fatalf("frame {AIM %q Data %q Err %v}, want {AIM %q Data %q}", f.AIM, f.Data, f.Err, aim, data)
	}
}

func TestScansOverPTY(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyScan")
	s := newSim(t, link, sim.ScannerOptions{AIM: "]C1"})
	cfg := config("cart-1", link)
	cfg.MaxFrame = 64
	st := run(t, cfg)
	st.await(t, devices.StatusConnected, 2*time.Second)

	// GS1-128 with a GS separator, as a scanner sends it.
	if err := s.Send(sim.ExpandGS("010950110153000310ABC123<GS>17261231")); err != nil {
		t.Fatal(err)
	}
	f := st.frame(t)
	expect(t, f, "]C1", "010950110153000310ABC123\x1d17261231")
	if f.Device != "cart-1" || f.At.IsZero() {
		t.Errorf("frame device %q at %v", f.Device, f.At)
	}

	// One scan split over separate writes, each read before the next is sent.
	for _, part := range []string{"]d201095", "0110153000", "3\r"} {
		if err := s.SendRaw([]byte(part)); err != nil {
			t.Fatal(err)
		}
		if err := s.WaitRead(ctxFor(t, 2*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SendRaw([]byte("\n")); err != nil {
		t.Fatal(err)
	}
	expect(t, st.frame(t), "]d2", "0109501101530003")

	// Several scans merged into one write.
	if err := s.SendRaw([]byte("]E05012345678900\r\n]Q3HELLO\r\n]e0X\r\n")); err != nil {
		t.Fatal(err)
	}
	expect(t, st.frame(t), "]E0", "5012345678900")
	expect(t, st.frame(t), "]Q3", "HELLO")
	expect(t, st.frame(t), "]e0", "X")

	// An over-long scan is rejected with a message and the next one is fine.
	if err := s.Send(strings.Repeat("7", 200)); err != nil {
		t.Fatal(err)
	}
	f = st.frame(t)
	if !errors.Is(f.Err, scanner.ErrTooLong) || !strings.Contains(f.Err.Error(), "64 bytes") {
		t.Fatalf("over-long scan gave %+v, want ErrTooLong naming the limit", f)
	}
	if err := s.Send("AFTER"); err != nil {
		t.Fatal(err)
	}
	expect(t, st.frame(t), "]C1", "AFTER")
}

func TestUnplugAndReplug(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyScan")
	first, err := sim.NewScanner(link, sim.ScannerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := run(t, config("bench-2", link))
	st.await(t, devices.StatusConnected, 2*time.Second)

	// Two whole scans and the start of a third, then the cable is pulled.
	if err := first.SendRaw([]byte("]E0111\r\n]E0222\r\n]E03")); err != nil {
		t.Fatal(err)
	}
	expect(t, st.frame(t), "]E0", "111")
	expect(t, st.frame(t), "]E0", "222")
	if err := first.WaitRead(ctxFor(t, 2*time.Second)); err != nil {
		t.Fatal(err)
	}
	first.Close()

	f := st.frame(t)
	if !errors.Is(f.Err, scanner.ErrCut) || f.Data != "3" {
		t.Fatalf("half scan at unplug gave %+v, want ErrCut with data 3", f)
	}
	lost := st.await(t, devices.StatusReconnecting, 2*time.Second)
	if !strings.Contains(lost.Reason, "hung up") {
		t.Errorf("reason %q does not say the device hung up", lost.Reason)
	}
	// Left unplugged, the station keeps trying and says why it cannot reopen.
	for s := st.await(t, devices.StatusReconnecting, 2*time.Second); !strings.Contains(s.Reason, "not found"); {
		s = st.await(t, devices.StatusReconnecting, 2*time.Second)
	}

	plugged := time.Now()
	second := newSim(t, link, sim.ScannerOptions{})
	st.await(t, devices.StatusConnected, 2*time.Second)
	if took := time.Since(plugged); took > 2*time.Second {
		t.Fatalf("reconnected %v after replug, want within 2s", took)
	}
	t.Logf("reconnected %v after replug", time.Since(plugged))

	if err := second.Send("]E0444"); err != nil {
		t.Fatal(err)
	}
	expect(t, st.frame(t), "]E0", "444")
	if len(st.frames) != 0 {
		t.Errorf("%d unexpected extra frames, e.g. %+v", len(st.frames), <-st.frames)
	}
}

func TestMissingPortKeepsRetrying(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyNotYet")
	st := run(t, config("cart-3", link))
	s := st.await(t, devices.StatusError, 2*time.Second)
	if want := "port " + link + " not found"; s.Reason != want {
		t.Errorf("reason %q, want %q", s.Reason, want)
	}
	if s.Device != "cart-3" || s.Kind != devices.KindScanner {
		t.Errorf("state names %s %s", s.Kind, s.Device)
	}
	// Plugging it in later is picked up by the retries.
	sc := newSim(t, link, sim.ScannerOptions{})
	st.await(t, devices.StatusConnected, 2*time.Second)
	if err := sc.Send("LATE"); err != nil {
		t.Fatal(err)
	}
	expect(t, st.frame(t), "", "LATE")
}

func TestBusyPort(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyShared")
	s := newSim(t, link, sim.ScannerOptions{})
	holder := run(t, config("holder", link))
	holder.await(t, devices.StatusConnected, 2*time.Second)

	second := run(t, config("second", link))
	busy := second.await(t, devices.StatusError, 2*time.Second)
	if !strings.Contains(busy.Reason, "busy") {
		t.Fatalf("reason %q does not say busy", busy.Reason)
	}
	// When the holder lets go the second one gets the port.
	holder.halt(t)
	second.await(t, devices.StatusConnected, 2*time.Second)
	if err := s.Send("MINE"); err != nil {
		t.Fatal(err)
	}
	f := second.frame(t)
	expect(t, f, "", "MINE")
	if f.Device != "second" {
		t.Errorf("frame from %q", f.Device)
	}
}

func TestNotASerialPort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	st := run(t, config("cart-4", path))
	s := st.await(t, devices.StatusError, 2*time.Second)
	if want := path + " is not a serial port"; s.Reason != want {
		t.Errorf("reason %q, want %q", s.Reason, want)
	}
}

func TestSeveralScanners(t *testing.T) {
	dir := t.TempDir()
	a := newSim(t, filepath.Join(dir, "ttyA"), sim.ScannerOptions{AIM: "]E0", Suffix: "CR"})
	b := newSim(t, filepath.Join(dir, "ttyB"), sim.ScannerOptions{AIM: "]d2", Suffix: "LF"})
	ca, cb := config("left", a.Path()), config("right", b.Path())
	ca.Suffix, cb.Suffix = "CR", "LF"
	sa, sb := run(t, ca), run(t, cb)
	sa.await(t, devices.StatusConnected, 2*time.Second)
	sb.await(t, devices.StatusConnected, 2*time.Second)
	for i := 0; i < 3; i++ {
		if err := a.Send("A"); err != nil {
			t.Fatal(err)
		}
		if err := b.Send("B"); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 3; i++ {
		fa, fb := sa.frame(t), sb.frame(t)
		if fa.Device != "left" || fa.AIM != "]E0" || fa.Data != "A" || fb.Device != "right" || fb.AIM != "]d2" || fb.Data != "B" {
			t.Fatalf("frames mixed up: %+v %+v", fa, fb)
		}
	}
}

func TestQuietScannerStaysConnected(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyQuiet")
	s := newSim(t, link, sim.ScannerOptions{})
	st := run(t, config("quiet", link))
	st.await(t, devices.StatusConnected, 2*time.Second)
	// Ten read timeouts with no data must not look like an unplug.
	select {
	case s := <-st.states:
		t.Fatalf("quiet port changed state: %v", s)
	case <-time.After(time.Second):
	}
	if err := s.Send("STILL"); err != nil {
		t.Fatal(err)
	}
	expect(t, st.frame(t), "", "STILL")
}

func TestRunTwiceRefused(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyOnce")
	newSim(t, link, sim.ScannerOptions{})
	sc, err := scanner.New(config("once", link))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	states := make(chan devices.State, 10)
	done := make(chan error, 1)
	go func() { done <- sc.Run(ctx, nil, func(s devices.State) { states <- s }) }()
	for s := range states {
		if s.Status == devices.StatusConnected {
			break
		}
	}
	if err := sc.Run(ctx, nil, nil); !errors.Is(err, scanner.ErrAlreadyRunning) {
		t.Errorf("second Run = %v, want ErrAlreadyRunning", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
}

func TestConfigErrorsInPlainWords(t *testing.T) {
	cases := map[string]scanner.Config{
		"scanner without a name": {Port: "/dev/ttyACM0"},
		"no port path given":     {Name: "x"},
		"baud 1234":              {Name: "x", Port: "/dev/ttyACM0", Baud: 1234},
		"parity \"sticky\"":      {Name: "x", Port: "/dev/ttyACM0", Parity: "sticky"},
		"suffix \"TAB\"":         {Name: "x", Port: "/dev/ttyACM0", Suffix: "TAB"},
		"stop bits 3":            {Name: "x", Port: "/dev/ttyACM0", StopBits: 3},
		"read timeout 10ms":      {Name: "x", Port: "/dev/ttyACM0", ReadTimeout: 10 * time.Millisecond},
	}
	for want, cfg := range cases {
		_, err := scanner.New(cfg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New(%+v) = %v, want an error mentioning %q", cfg, err, want)
		}
	}
}

// BenchmarkScanOverPTY measures one scan from the virtual scanner's write to
// the frame reaching the station, through the real serial path.
func BenchmarkScanOverPTY(b *testing.B) {
	link := filepath.Join(b.TempDir(), "ttyBench")
	s, err := sim.NewScanner(link, sim.ScannerOptions{AIM: "]C1"})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sc, err := scanner.New(config("bench", link))
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	frames := make(chan scanner.Frame, 1)
	connected := make(chan struct{})
	go sc.Run(ctx, func(f scanner.Frame) { frames <- f }, func(st devices.State) {
		if st.Status == devices.StatusConnected {
			close(connected)
		}
	})
	<-connected
	data := sim.ExpandGS("010950110153000310ABC123<GS>17261231")
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Send(data); err != nil {
			b.Fatal(err)
		}
		if f := <-frames; f.Data != data {
			b.Fatalf("frame %+v", f)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "scans/s")
}

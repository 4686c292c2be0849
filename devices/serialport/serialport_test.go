package serialport

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/devices/sim"
)

func newLine(t *testing.T) *sim.ScannerSim {
	t.Helper()
	s, err := sim.NewScanner(filepath.Join(t.TempDir(), "ttyT"), sim.ScannerOptions{Suffix: "LF"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func open(t *testing.T, path string) *Port {
	t.Helper()
	p, err := Open(Config{Path: path, ReadTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// readUntil reads until an error or until want bytes arrived.
func readUntil(p *Port, want int, limit time.Duration) ([]byte, error) {
	var got []byte
	buf := make([]byte, 64)
	deadline := time.Now().Add(limit)
	for len(got) < want && time.Now().Before(deadline) {
		n, err := p.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			return got, err
		}
	}
	return got, nil
}

func TestReadTimeoutIsNotAnError(t *testing.T) {
	s := newLine(t)
	p := open(t, s.Path())
	for i := 0; i < 3; i++ {
		n, err := p.Read(make([]byte, 8))
		if n != 0 || err != nil {
			t.Fatalf("quiet read %d = %d, %v; want 0, nil", i, n, err)
		}
	}
	if err := s.Send("hello"); err != nil {
		t.Fatal(err)
	}
	got, err := readUntil(p, 6, 2*time.Second)
	if err != nil || string(got) != "hello\n" {
		t.Fatalf("read %q, %v", got, err)
	}
}

// hangupCase unplugs the device and checks Read reports ErrHangup promptly.
func hangupCase(t *testing.T, p *Port, s *sim.ScannerSim) {
	t.Helper()
	s.Close()
	start := time.Now()
	_, err := readUntil(p, 1, 2*time.Second)
	if !errors.Is(err, ErrHangup) {
		t.Fatalf("read after unplug = %v, want ErrHangup", err)
	}
	if !strings.Contains(err.Error(), "hung up (device unplugged or switched off)") {
		t.Errorf("message %q is not plain", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("hangup noticed after %v", took)
	}
	if _, err := p.Read(make([]byte, 1)); !errors.Is(err, ErrHangup) {
		t.Errorf("next read = %v, want ErrHangup again", err)
	}
	if _, err := p.Write([]byte("x")); !errors.Is(err, ErrHangup) {
		t.Errorf("write after hangup = %v, want ErrHangup", err)
	}
}

func TestHangupReportedByKernel(t *testing.T) {
	s := newLine(t)
	hangupCase(t, open(t, s.Path()), s)
}

// Without the side handle (as on platforms other than Linux) a hangup is
// still told from a timeout by timing: empty reads that return at once.
func TestHangupByTiming(t *testing.T) {
	s := newLine(t)
	p := open(t, s.Path())
	p.side.close()
	p.side = nil
	if n, err := p.Read(make([]byte, 4)); n != 0 || err != nil {
		t.Fatalf("quiet read = %d, %v", n, err)
	}
	hangupCase(t, p, s)
	if !strings.Contains(p.hungUp.Error(), "reads return nothing at once") {
		t.Errorf("detected by %q, want the timing rule", p.hungUp)
	}
}

func TestWriteFailsAfterUnplug(t *testing.T) {
	s := newLine(t)
	p := open(t, s.Path())
	s.Close()
	if _, err := p.Write([]byte("~HS")); !errors.Is(err, ErrHangup) {
		t.Fatalf("write after unplug = %v, want ErrHangup", err)
	}
}

func TestCloseStopsPendingRead(t *testing.T) {
	s := newLine(t)
	p, err := Open(Config{Path: s.Path(), ReadTimeout: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	reading := make(chan struct{})
	go func() {
		close(reading)
		var err error
		for err == nil {
			_, err = p.Read(make([]byte, 8))
		}
		done <- err
	}()
	<-reading
	start := time.Now()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, ErrClosed) {
			t.Errorf("pending read ended with %v, want ErrClosed", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("pending read still blocked 3s after Close")
	}
	t.Logf("pending read returned %v after Close", time.Since(start))
	if err := p.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "ttyGone")
	_, err := Open(Config{Path: missing})
	if !errors.Is(err, ErrNotFound) || err.Error() != "port "+missing+" not found" {
		t.Errorf("missing port: %v", err)
	}

	file := filepath.Join(dir, "plain")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Open(Config{Path: file})
	if !errors.Is(err, ErrNotSerial) || err.Error() != file+" is not a serial port" {
		t.Errorf("plain file: %v", err)
	}

	s := newLine(t)
	open(t, s.Path())
	_, err = Open(Config{Path: s.Path()})
	if !errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), "is busy") {
		t.Errorf("second open: %v", err)
	}

	_, err = Open(Config{Path: s.Path(), Baud: 9601})
	if !errors.Is(err, ErrBadConfig) || !strings.Contains(err.Error(), "baud 9601 is not a standard rate") {
		t.Errorf("bad baud: %v", err)
	}
}

func TestLockReleasedOnClose(t *testing.T) {
	s := newLine(t)
	p, err := Open(Config{Path: s.Path()})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	q, err := Open(Config{Path: s.Path()})
	if err != nil {
		t.Fatalf("reopen after Close: %v", err)
	}
	q.Close()
}

func TestDiscardInput(t *testing.T) {
	s := newLine(t)
	p := open(t, s.Path())
	if err := s.Send("stale"); err != nil {
		t.Fatal(err)
	}
	// Wait until the stale bytes sit in the port's input queue, then drop them.
	deadline := time.Now().Add(2 * time.Second)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for ; ; <-tick.C {
		n, err := s.Queued()
		if err != nil {
			t.Fatal(err)
		}
		if n == 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d bytes queued, want 6", n)
		}
	}
	if err := p.DiscardInput(); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Queued(); n != 0 || err != nil {
		t.Fatalf("after discard %d bytes queued (%v)", n, err)
	}
	if err := s.Send("fresh"); err != nil {
		t.Fatal(err)
	}
	got, err := readUntil(p, 6, 2*time.Second)
	if err != nil || string(got) != "fresh\n" {
		t.Fatalf("after discard read %q, %v; want only the fresh bytes", got, err)
	}
}

func TestBackoff(t *testing.T) {
	b := Backoff{Min: 100 * time.Millisecond, Max: time.Second}
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := b.Delay(i); got != w*time.Millisecond {
			t.Errorf("Delay(%d) = %v, want %v", i, got, w*time.Millisecond)
		}
	}
	if got := (Backoff{}).Delay(0); got != DefaultBackoffMin {
		t.Errorf("zero backoff first delay %v", got)
	}
	if got := (Backoff{}).Longest(); got != DefaultBackoffMax {
		t.Errorf("zero backoff longest %v", got)
	}
}

func TestValidate(t *testing.T) {
	good := Config{Path: "/dev/ttyUSB0"}
	if err := good.Validate(); err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
	d := good.WithDefaults()
	if d.Baud != 9600 || d.DataBits != 8 || d.Parity != "none" || d.StopBits != 1 || d.ReadTimeout != 200*time.Millisecond {
		t.Errorf("defaults %+v", d)
	}
	for _, c := range []Config{
		{Path: "x", DataBits: 9},
		{Path: "x", Parity: "sticky"},
		{Path: "x", ReadTimeout: 250 * time.Millisecond},
		{Path: "x", StopBits: 3},
		{Path: "x", ReadTimeout: 30 * time.Second},
		{Path: " "},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestListUnder(t *testing.T) {
	dev := t.TempDir()
	for _, n := range []string{"ttyACM0", "ttyUSB1", "ttyS0"} {
		if err := os.WriteFile(filepath.Join(dev, n), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	byID := filepath.Join(dev, "serial", "by-id")
	if err := os.MkdirAll(byID, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../ttyACM0", filepath.Join(byID, "usb-Honeywell_Scanner-if00")); err != nil {
		t.Fatal(err)
	}
	got, err := listUnder(dev)
	if err != nil {
		t.Fatal(err)
	}
	want := []Candidate{
		{Path: filepath.Join(byID, "usb-Honeywell_Scanner-if00"), Target: filepath.Join(dev, "ttyACM0"), Stable: true},
		{Path: filepath.Join(dev, "ttyACM0")},
		{Path: filepath.Join(dev, "ttyUSB1")},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("candidate %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

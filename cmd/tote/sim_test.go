package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/devices/scanner"
)

// simCLI runs `tote ARGS` in-process with piped standard input and output.
type simCLI struct {
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan int
	errs *lockedBuffer
}

func startCLI(t *testing.T, args ...string) *simCLI {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	c := &simCLI{in: inW, out: bufio.NewReader(outR), done: make(chan int, 1), errs: &lockedBuffer{}}
	go func() {
		code := run(args, stdio{in: inR, out: outW, err: c.errs})
		outW.Close()
		c.done <- code
	}()
	t.Cleanup(func() { inW.Close() })
	return c
}

// firstLine is what the sim printed on standard output: its path or address.
func (c *simCLI) firstLine(t *testing.T) string {
	t.Helper()
	line, err := c.out.ReadString('\n')
	if err != nil {
		t.Fatalf("no path printed: %v (stderr: %s)", err, c.errs)
	}
	go io.Copy(io.Discard, c.out)
	return strings.TrimSpace(line)
}

func (c *simCLI) say(t *testing.T, line string) {
	t.Helper()
	if _, err := io.WriteString(c.in, line+"\n"); err != nil {
		t.Fatal(err)
	}
}

func (c *simCLI) exit(t *testing.T) int {
	t.Helper()
	select {
	case code := <-c.done:
		return code
	case <-time.After(5 * time.Second):
		t.Fatal("sim did not exit")
	}
	return -1
}

// lockedBuffer collects standard error from the command's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// eventually polls cond until it holds, failing after 3s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(3 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 3s", what)
		}
		<-tick.C
	}
}

func ctxFor(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestSimScannerCommand(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyScan")
	cli := startCLI(t, "sim", "scanner", "--link", link, "--aim", "]C1", "--exit-on-eof")
	if got := cli.firstLine(t); got != link {
		t.Fatalf("printed %q, want %q", got, link)
	}
	sc, err := scanner.New(scanner.Config{Name: "cart", Port: link, ReadTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	frames := make(chan scanner.Frame, 10)
	connected := make(chan struct{})
	go sc.Run(ctx, func(f scanner.Frame) { frames <- f }, func(s devices.State) {
		if s.Status == devices.StatusConnected {
			close(connected)
		}
	})
	<-connected
	cli.say(t, "010950110153000310ABC123<GS>17261231")
	select {
	case f := <-frames:
		if f.AIM != "]C1" || f.Data != "010950110153000310ABC123\x1d17261231" {
			t.Fatalf("frame %+v", f)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no scan arrived")
	}
	cli.in.Close()
	if code := cli.exit(t); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestSimPrinterCommand(t *testing.T) {
	dir := t.TempDir()
	cli := startCLI(t, "sim", "printer", "--tcp", "127.0.0.1:0", "--dir", dir)
	addr := cli.firstLine(t)
	p := printer.NewTCP(addr, time.Second)
	if err := p.Send(ctxFor(t, 3*time.Second), []byte("^XA^FDHELLO^FS^XZ")); err != nil {
		t.Fatal(err)
	}
	// The sim says so on standard error once the label is out.
	eventually(t, "label printed", func() bool { return strings.Contains(cli.errs.String(), "printed ") })
	cli.say(t, "paper-out")
	// The command and the query race; ask until the printer says paper out.
	eventually(t, "paper out reported", func() bool {
		st, err := p.Status(ctxFor(t, 3*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		return st.PaperOut
	})
	cli.say(t, "quit")
	if code := cli.exit(t); code != 0 {
		t.Fatalf("exit %d: %s", code, cli.errs)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "job-*.zpl"))
	if len(files) != 1 || !strings.Contains(cli.errs.String(), "printed "+files[0]) {
		t.Fatalf("printed files %v; stderr %s", files, cli.errs)
	}
}

func TestSimScaleCommand(t *testing.T) {
	link := filepath.Join(t.TempDir(), "ttyScale")
	cli := startCLI(t, "sim", "scale", "--link", link, "--protocol", "scp-01", "--unit", "kg")
	if got := cli.firstLine(t); got != link {
		t.Fatalf("printed %q", got)
	}
	sc, err := scale.New(scale.Config{Name: "s", Port: link, Protocol: scale.ProtocolSCP01, ReadTimeout: 100 * time.Millisecond}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	cli.say(t, "1.25kg moving")
	eventually(t, "motion reported", func() bool {
		_, err := sc.Read(ctxFor(t, 3*time.Second))
		return errors.Is(err, scale.ErrMotion)
	})
	cli.say(t, "stable")
	var w scale.Weight
	eventually(t, "stable weight", func() bool {
		var err error
		w, err = sc.Read(ctxFor(t, 3*time.Second))
		return err == nil
	})
	if w.Grams != 1250 || !w.Stable {
		t.Fatalf("settled weight %+v", w)
	}
	cli.say(t, "quit")
	if code := cli.exit(t); code != 0 {
		t.Fatalf("exit %d", code)
	}
}

func TestSimUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"sim"},
		{"sim", "toaster"},
		{"sim", "scanner"},
		{"sim", "printer", "--link", "x", "--tcp", "127.0.0.1:0"},
		{"sim", "scale", "--link", "x", "--protocol", "toledo"},
		{"sim", "scanner", "--link", "x", "--prefix", `\q`},
		{"devices", "extra"},
	} {
		var out, errOut strings.Builder
		if code := run(args, stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, errOut.String())
		}
	}
}

func TestDevicesCommand(t *testing.T) {
	var out, errOut strings.Builder
	if code := run([]string{"devices"}, stdio{in: strings.NewReader(""), out: &out, err: &errOut}); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "/dev/") {
		t.Errorf("output names no ports and gives no hint: %q", out.String())
	}
}

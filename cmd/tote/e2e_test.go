package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// buildTote builds the real binary once for the end-to-end tests.
var buildTote = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "tote-e2e-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "tote")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{out: string(out), err: err}
	}
	return bin, nil
})

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

// terminal is the real tote binary running in a pseudo-terminal, read the
// way a person reads the screen.
type terminal struct {
	t    *testing.T
	cmd  *exec.Cmd
	pty  *os.File
	mu   sync.Mutex
	seen bytes.Buffer
	done chan struct{}
}

func startTote(t *testing.T, args ...string) *terminal {
	t.Helper()
	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	term := &terminal{t: t, cmd: cmd, pty: f, done: make(chan struct{})}
	go func() {
		defer close(term.done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			term.mu.Lock()
			term.seen.Write(buf[:n])
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
	})
	return term
}

// screenText is what the terminal shows now.
func (term *terminal) screenText() string {
	term.mu.Lock()
	out := append([]byte(nil), term.seen.Bytes()...)
	term.mu.Unlock()
	sc := newScreen(24, 80)
	sc.feed(out)
	return sc.text()
}

// waitFor waits until the screen shows text, or fails after 10s.
func (term *terminal) waitFor(text string) {
	term.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		s := term.screenText()
		if strings.Contains(s, text) {
			return
		}
		select {
		case <-ctx.Done():
			term.t.Fatalf("%q never appeared on the screen; it shows:\n%s", text, s)
		case <-tick.C:
		}
	}
}

func (term *terminal) typeKeys(s string) {
	term.t.Helper()
	if _, err := term.pty.Write([]byte(s)); err != nil {
		term.t.Fatal(err)
	}
}

const keyF12 = "\x1b[24~"

// TestDemoEndToEnd runs `tote demo` as a person would: log in, pick through
// the virtual serial scanner with F12, quit; then kill -9 a second run in
// the middle of picking and check a third run resumes where it stopped with
// every acknowledged scan kept.
func TestDemoEndToEnd(t *testing.T) {
	dir := t.TempDir()
	term := startTote(t, "demo", "--dir", dir)
	term.waitFor("Scan your badge")
	term.waitFor("● demo-scanner")
	term.typeKeys("B1001\r")
	term.waitFor("Hello Ana Picker")
	term.typeKeys(keyF12) // the tote, through the virtual serial scanner
	term.waitFor("Picking into tote")
	term.typeKeys(keyF12) // the location
	term.waitFor("scan CAND-435")
	term.typeKeys(keyF12) // the item
	term.waitFor("Picked 1 × CAND-435")
	term.waitFor("online 0↑") // every event reached the demo's hub
	term.typeKeys("\x03")     // ctrl+c
	select {
	case <-term.done:
	case <-time.After(10 * time.Second):
		t.Fatal("tote did not quit on ctrl+c")
	}
	if err := term.cmd.Wait(); err != nil {
		t.Fatalf("tote demo exited with %v", err)
	}

	// Second run on the same data: resumes logged in, picks, is killed.
	term = startTote(t, "demo", "--dir", dir)
	term.waitFor("Resumed where Ana Picker left off")
	term.typeKeys(keyF12)
	term.waitFor("At A-05-09-2")
	term.typeKeys(keyF12)
	term.waitFor("1 of 2")
	term.cmd.Process.Signal(syscall.SIGKILL)
	term.cmd.Wait()

	st, err := store.Open(context.Background(), filepath.Join(dir, "CART-01", "station.db"), "CART-01")
	if err != nil {
		t.Fatalf("store after kill -9: %v", err)
	}
	evs, err := st.Journal(context.Background(), 0, 1000)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	units := 0
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("journal gap at %d", i)
		}
		if e.Type == floor.EvUnitsPicked {
			units++
		}
	}
	if units != 2 {
		t.Fatalf("%d units picked in the journal, want 2 (one per acknowledged item scan)", units)
	}

	// Third run: back at the same task, one unit already in.
	term = startTote(t, "demo", "--dir", dir)
	term.waitFor("1 of 2 picked")
	term.typeKeys(keyF12)
	term.waitFor("Picked 2 × YOGA-217")
}

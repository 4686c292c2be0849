//go:build unix

package frame

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"
)

// typer shows what was typed and the terminal's size.
type typer struct {
	typed string
	w, h  int
}

func (m typer) Init() tea.Cmd { return nil }

func (m typer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		m.typed += msg.Text
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	}
	return m, nil
}

func (m typer) View() tea.View {
	v := tea.NewView(fmt.Sprintf("size %dx%d\ntyped: %s", m.w, m.h, m.typed))
	v.WindowTitle = "typer"
	return v
}

// A program on a real pseudo-terminal: keys arrive one by one (raw mode),
// each is on the screen at once, a resize is drawn at the new size, and
// at the end the terminal is given back: the main screen, the cursor, and
// its line mode as before.
func TestProgramOnATerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 10, Cols: 40}); err != nil {
		t.Fatal(err)
	}
	before, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var stream []byte
	seen := make(chan struct{}, 1)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			stream = append(stream, buf[:n]...)
			mu.Unlock()
			select {
			case seen <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	screen := func(cols, rows int) string {
		mu.Lock()
		defer mu.Unlock()
		vt := newVTerm(t, cols, rows)
		vt.lenient = true
		vt.feed(stream)
		return vt.text()
	}
	waitFor := func(cols, rows int, want string) {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for !strings.Contains(screen(cols, rows), want) {
			select {
			case <-seen:
			case <-deadline:
				t.Fatalf("%q never shown; the screen:\n%s", want, screen(cols, rows))
			}
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := New(ctx, typer{}, Options{In: tty, Out: tty, NoSignals: true, Env: []string{"TERM=xterm-256color"}})
	done := make(chan tea.Model)
	go func() {
		m, _ := p.Run()
		done <- m
	}()
	waitFor(40, 10, "size 40x10")
	if _, err := ptmx.WriteString("ab"); err != nil { // no Enter: raw mode or nothing
		t.Fatal(err)
	}
	waitFor(40, 10, "typed: ab")

	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 12, Cols: 60}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil { // as the terminal's owner would be told
		t.Fatal(err)
	}
	waitFor(60, 12, "size 60x12")

	// Quit, not the context: a cancelled program does not wait for its
	// keyboard reader, which would race the test's closing the terminal.
	p.Send(tea.Quit())
	m := <-done
	if got := m.(typer).typed; got != "ab" {
		t.Fatalf("the program ended with %q typed", got)
	}
	deadline := time.After(10 * time.Second)
	for {
		mu.Lock()
		out := string(stream)
		mu.Unlock()
		if strings.HasSuffix(out, undo) {
			break
		}
		select {
		case <-seen:
		case <-deadline:
			t.Fatalf("the terminal was not given back: the stream ends %q", out[max(0, len(out)-80):])
		}
	}
	after, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if after.Lflag != before.Lflag || after.Iflag != before.Iflag || after.Oflag != before.Oflag {
		t.Fatalf("the terminal's modes were not restored: %+v, was %+v", after, before)
	}
}

// ringer rings the bell for an x, then says so on the screen.
type ringer struct{ said string }

type rang struct{}

func (m ringer) Init() tea.Cmd { return nil }

func (m ringer) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if msg.Text == "x" {
			// In order: the bell's message, then the one the frame shows.
			return m, tea.Sequence(tea.Raw("\a"), func() tea.Msg { return rang{} })
		}
	case rang:
		m.said = "after the bell"
	}
	return m, nil
}

func (m ringer) View() tea.View { return tea.NewView("ready " + m.said) }

// The bell an outcome asks for (tea.Raw) is written when its message
// arrives, before the next frame, and once: not queued for Bubble Tea's
// output ticker, which would write it up to a frame later, after frames
// already drawn.
func TestTheBellRingsBeforeTheNextFrame(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 5, Cols: 40}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var stream []byte
	seen := make(chan struct{}, 1)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			stream = append(stream, buf[:n]...)
			mu.Unlock()
			select {
			case seen <- struct{}{}:
			default:
			}
			if err != nil {
				return
			}
		}
	}()
	waitFor := func(want string) string {
		t.Helper()
		deadline := time.After(10 * time.Second)
		for {
			mu.Lock()
			out := string(stream)
			mu.Unlock()
			if strings.Contains(out, want) {
				return out
			}
			select {
			case <-seen:
			case <-deadline:
				t.Fatalf("%q never written; the stream: %q", want, out)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := New(ctx, ringer{}, Options{In: tty, Out: tty, NoSignals: true, Env: []string{"TERM=xterm-256color"}})
	done := make(chan tea.Model)
	go func() {
		m, _ := p.Run()
		done <- m
	}()
	waitFor("ready")
	if _, err := ptmx.WriteString("x"); err != nil {
		t.Fatal(err)
	}
	out := waitFor("after the bell")
	if before := out[:strings.Index(out, "after the bell")]; strings.Count(before, "\a") != 1 {
		t.Fatalf("before the frame after the bell, %d bells were written: %q", strings.Count(before, "\a"), before)
	}
	p.Send(tea.Quit())
	<-done
	out = waitFor(undo)
	if n := strings.Count(strings.TrimSuffix(out, undo), "\a"); n != 1 {
		t.Fatalf("the bell was written %d times: %q", n, out)
	}
}

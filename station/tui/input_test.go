package tui

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// openStation opens a real station on the demo site; observe sees every
// outcome as it is made.
func openStation(t *testing.T, observe func(station.Outcome)) *station.Station {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.LoadSite(ctx, demo.Site(1, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))); err != nil {
		t.Fatal(err)
	}
	in, _ := barcode.NewInterpreter(barcode.DefaultPatterns())
	stn, err := station.Open(ctx, st, in, station.Options{Observe: observe,
		Now: func() time.Time { return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	return stn
}

// TestEnterTypedBeforeTheScreenStartsIsSent: issue 14 defect 12. A badge
// typed with Enter while the demo bench was still starting stayed on the
// scan line. The cause: before the screen takes the terminal, the
// terminal is in line mode, which turns Enter's CR into LF; the screen
// then reads "B1002\n", and LF is ctrl+j, which was not Enter. A scanner
// set to an LF suffix sends the same. This runs the real program on a
// real pseudo-terminal with the typing done before it starts.
func TestEnterTypedBeforeTheScreenStartsIsSent(t *testing.T) {
	outcomes := make(chan station.Outcome, 8)
	stn := openStation(t, func(o station.Outcome) { outcomes <- o })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go stn.Serve(ctx)

	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	defer tty.Close()
	go io.Copy(io.Discard, master) // the echo of line mode
	// Typed while the station was starting: the terminal is still in line mode.
	if _, err := master.Write([]byte("B1001\r")); err != nil {
		t.Fatal(err)
	}
	// The terminal handles input on its own time: wait until it has made
	// the line (CR turned into LF), as it had when the screen started.
	fds := []unix.PollFd{{Fd: int32(tty.Fd()), Events: unix.POLLIN}}
	if n, err := unix.Poll(fds, 5000); n != 1 || err != nil {
		t.Fatalf("the typed line never reached the terminal: %d, %v", n, err)
	}
	m := New(stn, stn.Outcomes(), stn.Snapshot(), Options{Station: "DEMO-01"})
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(tty), tea.WithOutput(io.Discard),
		tea.WithoutSignalHandler(), tea.WithWindowSize(80, 24))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()
	defer func() { p.Quit(); <-done }()

	select {
	case o := <-outcomes:
		if o.Action.Scan.Data != "B1001" || !o.State.(pick.State).LoggedIn() {
			t.Fatalf("the station got %+v: %s", o.Action, o.Feedback.Message)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the badge typed with Enter before the screen started was never sent")
	}
}

// TestAnInputTheStationCannotTakeIsNotDropped: when Submit refuses (the
// queue is full), the operator hears the bell and reads why at once, and
// the typed scan stays on the line to send again.
func TestAnInputTheStationCannotTakeIsNotDropped(t *testing.T) {
	stn := openStation(t, nil) // not serving: nothing drains its queue
	for stn.Submit(station.Action{Command: floor.CmdHelp}) {
	}
	m := New(stn, nil, stn.Snapshot(), Options{Station: "DEMO-01"})
	for _, r := range "B1002" {
		next, _ := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		m = next.(Model)
	}
	next, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	m = next.(Model)
	if string(m.line) != "B1002" {
		t.Fatalf("the scan line is %q after a refused Enter, want B1002 kept", string(m.line))
	}
	if m.feedback.Level != floor.Error || !strings.Contains(m.feedback.Message, "still on the line") {
		t.Fatalf("feedback %+v", m.feedback)
	}
	if !bellIn(cmd) {
		t.Fatal("no bell for an input the station did not take")
	}
	if m.pending != 0 {
		t.Fatalf("pending %d for an input not taken", m.pending)
	}
	// A serial scan has no line to keep: it is named, so it can be scanned again.
	next, cmd = m.Update(NotTakenMsg{Scan: floor.Scan{Source: "cart-1", Data: "T00001"}})
	m = next.(Model)
	if !strings.Contains(m.feedback.Message, "scan T00001 again") || !bellIn(cmd) {
		t.Fatalf("serial scan not taken: feedback %+v", m.feedback)
	}
}

package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/intake"
	"github.com/totewms/tote/station/tui"
)

// scanQueue is a station's queue as the intake sees it: every scan it
// takes, in order.
type scanQueue chan station.Action

func (q scanQueue) Submit(a station.Action) bool { q <- a; return true }

// TestScannersReachTheStation wires a virtual serial scanner exactly as
// the station does and checks that scans (AIM id and GS kept) and
// over-long frames reach the station's queue through the intake, in
// order, without the screen, and that state changes reach the screen.
func TestScannersReachTheStation(t *testing.T) {
	sc, err := sim.NewScanner(filepath.Join(t.TempDir(), "scanner"), sim.ScannerOptions{AIM: "]C1", Suffix: "CR"})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	cfg := config.Default()
	cfg.Scanners = []config.Scanner{{Name: "cart-1", Suffix: config.SuffixAuto, MaxFrame: 64,
		Serial: config.Serial{Port: sc.Path(), Baud: 9600, DataBits: 8, Parity: config.ParityNone, StopBits: 1, ReadTimeout: 100 * time.Millisecond}}}
	msgs := make(chan tea.Msg, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	queue := make(scanQueue, 16)
	if err := startScanners(goWith(ctx), cfg, intake.New(queue), func(m tea.Msg) { msgs <- m }, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	next := func() tea.Msg {
		t.Helper()
		select {
		case m := <-msgs:
			return m
		case <-time.After(5 * time.Second):
			t.Fatal("no message from the scanner within 5s")
		}
		return nil
	}
	for {
		if d, ok := next().(tui.DeviceMsg); ok && d.Status == "connected" {
			break
		}
	}
	sc.Send("0109501101530003" + "10ABC\x1d" + "17261231")
	sc.Send(strings.Repeat("9", 100))
	var scans []floor.Scan
	for len(scans) < 2 {
		select {
		case a := <-queue:
			scans = append(scans, a.Scan)
		case m := <-msgs:
			if _, ok := m.(tui.DeviceMsg); !ok {
				t.Fatalf("the screen got %T: a scan goes to the station, not through the screen", m)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no scan reached the station within 5s")
		}
	}
	if s := scans[0]; s.AIM != "]C1" || s.Data != "0109501101530003"+"10ABC\x1d"+"17261231" || s.Source != "cart-1" || s.Problem != "" {
		t.Fatalf("first scan %+v", s)
	}
	if s := scans[1]; s.Problem == "" || !strings.Contains(s.Problem, "64") {
		t.Fatalf("over-long frame not reported as a problem: %+v", s)
	}
}

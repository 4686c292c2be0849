package intake_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/devices/scanner"
	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/intake"
	_ "github.com/totewms/tote/station/pickcart"
	"github.com/totewms/tote/station/store"
)

func openStation(t *testing.T) *station.Station {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "CART-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	in, _ := barcode.NewInterpreter(barcode.DefaultPatterns())
	stn, err := station.Open(ctx, st, in, station.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return stn
}

// TestFramesReachTheStationInOrder: a serial scanner's frames go to the
// real station's queue as scans, in order, a rejected frame with its
// problem, and each is answered by an outcome.
func TestFramesReachTheStationInOrder(t *testing.T) {
	stn := openStation(t)
	in := intake.New(stn)
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	in.Frame(scanner.Frame{Device: "cart-1", AIM: "]C1", Data: "B0000", At: at})
	in.Frame(scanner.Frame{Device: "cart-1", Data: "9999", Err: errors.New("longer than 64 bytes")})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go stn.Serve(ctx)
	for i, want := range []string{"B0000", "9999"} {
		o := <-stn.Outcomes()
		if s := o.Action.Scan; s.Data != want || s.Source != "cart-1" {
			t.Fatalf("outcome %d is of %+v, want %s from cart-1", i, s, want)
		}
		if i == 0 && (o.Action.Scan.AIM != "]C1" || !o.Action.Scan.At.Equal(at)) {
			t.Fatalf("AIM or time lost: %+v", o.Action.Scan)
		}
		if i == 1 && o.Action.Scan.Problem == "" {
			t.Fatalf("the rejected frame lost its problem: %+v", o.Action.Scan)
		}
	}
}

// TestAFrameNotTakenIsTold: when the station's queue is full, a serial
// scan is not dropped without a word: NotTaken hears which.
func TestAFrameNotTakenIsTold(t *testing.T) {
	stn := openStation(t) // not serving: its queue fills
	in := intake.New(stn)
	var told []station.Action
	in.NotTaken(func(a station.Action) { told = append(told, a) })
	n := 0
	for len(told) == 0 {
		in.Frame(scanner.Frame{Device: "cart-1", Data: "T00001"})
		if n++; n > 10000 {
			t.Fatal("the queue never filled")
		}
	}
	if len(told) != 1 || told[0].Scan.Data != "T00001" || told[0].Scan.Source != "cart-1" {
		t.Fatalf("told %+v", told)
	}
	// The screen's own input is told by Submit's result, not to NotTaken.
	if in.Submit(station.Action{Scan: floor.Scan{Source: "keyboard", Data: "T00002"}}) {
		t.Fatal("a full queue took the screen's input")
	}
	if len(told) != 1 {
		t.Fatalf("the screen's own input was told as a device's: %+v", told)
	}
}

package main

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/store"
)

// TestCloseWaitsForGoroutinesBeforeStore is the shutdown order: Close
// cancels every goroutine, waits for each to return, and only then closes
// the store. A real station serves on a real store while a worker keeps
// reading it and finishes one last read after its context ends (as a
// replicator finishing its round does); the store's close is recorded
// against both returning. Run with -race: the waiting is also what orders
// the goroutines' last touches before the close.
func TestCloseWaitsForGoroutinesBeforeStore(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "station.db"), "TEST-01")
	if err != nil {
		t.Fatal(err)
	}
	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	app := newStationApp(context.Background(), st)
	stn, err := station.Open(app.ctx, st, interp, station.Options{})
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var order []string
	note := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }
	app.closeStore = func() error { note("store closed"); return st.Close() }

	app.Go(func(ctx context.Context) { stn.Serve(ctx); note("serve returned") })
	var lastRead atomic.Value
	started := make(chan struct{})
	app.Go(func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		// A last round after the cancel, as a replicator finishing its
		// push does: without the wait, Close closes the store in the same
		// breath as it cancels, before this goroutine is even scheduled.
		_, err := st.NextWave(context.Background())
		lastRead.Store(errString(err))
		note("worker returned")
	})
	<-started
	if !stn.Submit(station.Action{Command: floor.CmdHelp}) {
		t.Fatal("the station refused an input")
	}
	<-stn.Outcomes()

	if err := app.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(order) != 3 || order[2] != "store closed" {
		t.Fatalf("shutdown order %q: want both goroutines returned, then the store closed", order)
	}
	if e := lastRead.Load(); e != "" {
		t.Errorf("the worker's last read after cancel failed: %v (the store closed under it)", e)
	}
	if err := app.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

package main

import (
	"context"
	"sync"

	"github.com/totewms/tote/station/store"
)

// stationApp is one running station: its store and every goroutine that
// uses it. Each goroutine is started with Go, so Close can stop them all
// and wait for them before the store closes: a reader or writer never
// finds the store shut under it.
type stationApp struct {
	ctx    context.Context // ends when Close starts
	cancel context.CancelFunc
	wg     sync.WaitGroup
	st     *store.Store
	// closeStore closes st; the shutdown-order test records when.
	closeStore func() error
	once       sync.Once
	closeErr   error
}

func newStationApp(parent context.Context, st *store.Store) *stationApp {
	ctx, cancel := context.WithCancel(parent)
	return &stationApp{ctx: ctx, cancel: cancel, st: st, closeStore: st.Close}
}

// Go runs f on its own goroutine until the app's context ends; Close
// waits for it to return.
func (a *stationApp) Go(f func(ctx context.Context)) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		f(a.ctx)
	}()
}

// Close stops the station in order: cancel every goroutine, wait for each
// to return, and only then close the store. Calling it again returns the
// first call's error.
func (a *stationApp) Close() error {
	a.once.Do(func() {
		a.cancel()
		a.wg.Wait()
		a.closeErr = a.closeStore()
	})
	return a.closeErr
}

// starter starts a goroutine that runs until its context ends:
// stationApp.Go, or goWith for a caller that does not wait.
type starter func(f func(ctx context.Context))

// goWith starts f with ctx on a plain goroutine, not waited for (tests).
func goWith(ctx context.Context) starter {
	return func(f func(context.Context)) { go f(ctx) }
}

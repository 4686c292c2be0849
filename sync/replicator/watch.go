package replicator

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// Watch hands the replicator's status on to whoever shows it. Status
// changes arrive on the replicator's goroutines, which must never wait on
// a screen, so Note keeps the latest and Run delivers it on its own
// goroutine.
type Watch struct {
	latest atomic.Pointer[Status]
	wake   chan struct{}
}

// NewWatch makes a watch; pass its Note as Options.OnStatus.
func NewWatch() *Watch { return &Watch{wake: make(chan struct{}, 1)} }

// Note keeps s as the latest status and wakes Run. It never blocks.
func (w *Watch) Note(s Status) {
	w.latest.Store(&s)
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// WaitForWork waits until a pull from the hub has worked and ready says
// the work it brought is there, so a fresh demo station has its wave before
// anyone logs in. It gives up when sync stops or after limit.
func (w *Watch) WaitForWork(ctx context.Context, limit time.Duration, ready func() bool) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		if s := w.latest.Load(); s != nil {
			if !s.LastPull.IsZero() && ready() {
				return nil
			}
			if s.Stopped != "" {
				return errors.New(s.Stopped)
			}
		}
		select {
		case <-ctx.Done():
			last := "no answer"
			if s := w.latest.Load(); s != nil && s.LastError != "" {
				last = s.LastError
			}
			return fmt.Errorf("no work from the hub within %s: %s", limit, last)
		case <-w.wake:
		case <-tick.C:
		}
	}
}

// Shown is a status as the station shows it.
type Shown struct {
	Status
	// OfflineSince: when the hub went out of reach, zero while online.
	// The last exchange that worked (durable), else when this run first
	// saw the hub out of reach.
	OfflineSince time.Time
}

// Run calls show with status() on every change Note hears, and every
// `every` so the age of the oldest waiting event stays true, until ctx
// ends. show runs on Run's goroutine.
func (w *Watch) Run(ctx context.Context, status func() Status, every time.Duration, show func(Shown)) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var offline time.Time // when this run first saw the hub out of reach
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-tick.C:
		}
		s := Shown{Status: status()}
		if !s.Online {
			s.OfflineSince = s.LastPull
			if s.LastPush.After(s.OfflineSince) {
				s.OfflineSince = s.LastPush
			}
		}
		switch {
		case s.Online:
			offline = time.Time{}
		case !s.OfflineSince.IsZero():
		case offline.IsZero():
			offline = time.Now()
			s.OfflineSince = offline
		default:
			s.OfflineSince = offline
		}
		show(s)
	}
}

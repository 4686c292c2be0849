package hub

import (
	"context"
	"sync"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// A waiting pull (long-poll). A station that is up to date asks with a
// wait; the hub answers at once when the station's feed has changes past
// its cursor, and otherwise holds the request until a change for that
// station commits or the wait ends.
//
// Two things wake a waiting pull. The feed bell: every Tx of this Service
// that appended feed entries rings, after it committed, for the stations
// it addressed, so a change made through this hub reaches a waiting
// station within one read. And a re-check of the feed every
// ServiceOptions.FeedRecheck (1 s by default) while waiting: a change
// committed by another hub process on the same database rings no bell
// here, and a PostgreSQL store's safe mark may stand below a change that
// has committed. The bell is only a shortcut; the re-check is what makes
// a waiting pull correct.

// DefaultFeedRecheck is how often a waiting pull reads its feed again.
const DefaultFeedRecheck = time.Second

// feedBell wakes the pulls waiting on stations' feeds.
type feedBell struct {
	mu    sync.Mutex
	rings map[string]chan struct{} // closed when the station's feed moved
}

func newFeedBell() *feedBell { return &feedBell{rings: map[string]chan struct{}{}} }

// listen returns a channel closed at the next ring for station. Take it
// before reading the feed, so a change committed between the read and
// the wait still wakes the waiter.
func (b *feedBell) listen(station string) <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch, ok := b.rings[station]
	if !ok {
		ch = make(chan struct{})
		b.rings[station] = ch
	}
	return ch
}

// ring wakes the waiters of the addressed stations. An address that is
// not one station (EveryStation, or a group such as every pack bench)
// wakes them all: a waiter woken for nothing reads its feed once and
// waits on.
func (b *feedBell) ring(addressed map[string]bool) {
	if len(addressed) == 0 {
		return
	}
	all := false
	for a := range addressed {
		all = all || protocol.CheckStationID(a) != nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for st, ch := range b.rings {
		if all || addressed[st] {
			close(ch)
			delete(b.rings, st)
		}
	}
}

// bellStore is the Service's Store with the feed bell: it notes whom a
// Tx's feed entries address, and rings for them once the Tx committed.
type bellStore struct {
	Store
	bell *feedBell
}

func (s bellStore) Tx(ctx context.Context, fn func(StoreTx) error) error {
	var addressed map[string]bool
	err := s.Store.Tx(ctx, func(tx StoreTx) error {
		// A store may run fn again (a PostgreSQL serialization failure):
		// only the last run's entries are the ones that commit.
		btx := &bellTx{StoreTx: tx}
		err := fn(btx)
		addressed = btx.addressed
		return err
	})
	if err == nil {
		s.bell.ring(addressed)
	}
	return err
}

// bellTx notes the stations of the feed entries appended through it.
type bellTx struct {
	StoreTx
	addressed map[string]bool
}

func (t *bellTx) AppendFeed(changes ...FeedEntry) error {
	if err := t.StoreTx.AppendFeed(changes...); err != nil {
		return err
	}
	if t.addressed == nil {
		t.addressed = map[string]bool{}
	}
	for _, c := range changes {
		t.addressed[c.Station] = true
	}
	return nil
}

// PullWait is Pull held open for up to wait: it answers at once when the
// station has changes after cursor (or a reset), and otherwise when a
// change for the station commits, wait has passed, or stop closes (the
// hub is shutting down), with whatever the feed holds then (often
// nothing, with the same cursor). An ended ctx (the station hung up)
// ends it with ctx's error. The pull time is written once, at the answer.
func (s *Service) PullWait(ctx context.Context, station, cursor string, limit int, wait time.Duration, stop <-chan struct{}, now func() time.Time) (protocol.PullResponse, error) {
	var deadline <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		deadline = t.C
	}
	var recheck *time.Ticker
	for {
		rung := s.bell.listen(station)
		resp, err := s.readPull(ctx, station, cursor, limit)
		if err != nil {
			return protocol.PullResponse{}, err
		}
		if len(resp.Changes) > 0 || resp.Reset || resp.More || wait <= 0 {
			return resp, s.notePulled(ctx, station, now())
		}
		if recheck == nil {
			recheck = time.NewTicker(s.recheck)
			defer recheck.Stop()
		}
		select {
		case <-rung:
		case <-recheck.C:
		case <-ctx.Done():
			return protocol.PullResponse{}, ctx.Err()
		case <-deadline:
			return resp, s.notePulled(ctx, station, now())
		case <-stop:
			return resp, s.notePulled(ctx, station, now())
		}
	}
}

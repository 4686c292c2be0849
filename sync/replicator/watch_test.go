package replicator_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/sync/replicator"
)

// watched runs a Watch whose statuses are those the test notes, and returns
// the note function and what Run shows, in order.
func watched(t *testing.T) (*replicator.Watch, func(replicator.Status), <-chan replicator.Shown) {
	t.Helper()
	w := replicator.NewWatch()
	var mu sync.Mutex
	var cur replicator.Status
	note := func(s replicator.Status) {
		mu.Lock()
		cur = s
		mu.Unlock()
		w.Note(s)
	}
	shown := make(chan replicator.Shown, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx, func() replicator.Status { mu.Lock(); defer mu.Unlock(); return cur }, time.Hour, func(s replicator.Shown) { shown <- s })
	}()
	t.Cleanup(func() { cancel(); <-done })
	return w, note, shown
}

func next(t *testing.T, c <-chan replicator.Shown) replicator.Shown {
	t.Helper()
	select {
	case s := <-c:
		return s
	case <-time.After(10 * time.Second):
		t.Fatal("nothing shown within 10s")
	}
	return replicator.Shown{}
}

// TestWatchShowsWhenTheHubWentOutOfReach: offline since the last exchange
// that worked; with none, since this run first saw it, kept until the hub
// answers again.
func TestWatchShowsWhenTheHubWentOutOfReach(t *testing.T) {
	_, note, shown := watched(t)
	before := time.Now()
	note(replicator.Status{LastError: "connection refused"})
	first := next(t, shown).OfflineSince
	if first.Before(before) || first.After(time.Now()) {
		t.Fatalf("offline since %v; want when the run first saw it, after %v", first, before)
	}
	note(replicator.Status{LastError: "connection refused", Waiting: 1})
	if s := next(t, shown); !s.OfflineSince.Equal(first) || s.Waiting != 1 {
		t.Fatalf("still offline: %+v; want offline since %v and the new status", s, first)
	}
	pushed := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	note(replicator.Status{LastPush: pushed, LastPull: pushed.Add(-time.Minute)})
	if s := next(t, shown); !s.OfflineSince.Equal(pushed) {
		t.Fatalf("offline since %v; want the last push that worked, %v", s.OfflineSince, pushed)
	}
	note(replicator.Status{Online: true, LastPush: pushed})
	if s := next(t, shown); !s.OfflineSince.IsZero() {
		t.Fatalf("online, but offline since %v", s.OfflineSince)
	}
	note(replicator.Status{})
	if s := next(t, shown); s.OfflineSince.IsZero() || s.OfflineSince.Before(first) {
		t.Fatalf("offline again: since %v; want a new first sight", s.OfflineSince)
	}
}

// TestWatchWaitForWork: it waits for a pull that worked and the work, stops
// at once when sync stopped, and says why when time runs out.
func TestWatchWaitForWork(t *testing.T) {
	ctx := context.Background()
	w := replicator.NewWatch()
	var mu sync.Mutex
	ready := false
	isReady := func() bool { mu.Lock(); defer mu.Unlock(); return ready }
	errc := make(chan error, 1)
	go func() { errc <- w.WaitForWork(ctx, 10*time.Second, isReady) }()
	w.Note(replicator.Status{LastPull: time.Now()}) // a pull, but its work not there yet
	mu.Lock()
	ready = true
	mu.Unlock()
	w.Note(replicator.Status{LastPull: time.Now()})
	if err := <-errc; err != nil {
		t.Fatalf("work arrived: %v", err)
	}

	stopped := replicator.NewWatch()
	stopped.Note(replicator.Status{Stopped: "hub refused the token (401): check token_file"})
	if err := stopped.WaitForWork(ctx, 10*time.Second, isReady); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("sync stopped: %v", err)
	}

	silent := replicator.NewWatch()
	silent.Note(replicator.Status{LastError: "connection refused"})
	if err := silent.WaitForWork(ctx, 50*time.Millisecond, isReady); err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("no pull: %v", err)
	}
}

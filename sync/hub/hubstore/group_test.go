package hubstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// TestGroupCommit: write transactions that queue while the writer is
// busy commit together, each in its own savepoint: the ones that succeed
// are all held once answered, the one that fails leaves nothing, and the
// one whose caller gave up while it waited does not run.
func TestGroupCommit(t *testing.T) {
	s, ctx := openBare(t)
	release, first := holdWriter(ctx, s, func(tx hub.StoreTx) error { return tx.PutSetting("first", "1") })

	errRefused := errors.New("refused")
	gone, hangUp := context.WithCancel(ctx)
	const n = 6
	results := make([]chan error, n)
	for i := range n {
		results[i] = make(chan error, 1)
		callCtx := ctx
		if i == 3 {
			callCtx = gone
		}
		go func() {
			results[i] <- s.Tx(callCtx, func(tx hub.StoreTx) error {
				if err := tx.PutSetting(fmt.Sprintf("call%d", i), "1"); err != nil {
					return err
				}
				if i == 1 {
					return errRefused // after writing: its savepoint goes
				}
				return nil
			})
		}()
	}
	waitQueued(s, n) // the n calls wait behind the busy one
	hangUp()
	close(release)

	if err := <-first; err != nil {
		t.Fatalf("the first call: %v", err)
	}
	for i := range n {
		err := <-results[i]
		switch i {
		case 1:
			if !errors.Is(err, errRefused) {
				t.Fatalf("the failing call answered %v", err)
			}
		case 3:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("the call given up answered %v", err)
			}
		default:
			if err != nil {
				t.Fatalf("call %d answered %v", i, err)
			}
		}
	}
	var set map[string]string
	if err := s.Read(ctx, func(tx hub.StoreTx) (err error) { set, err = tx.Settings(); return err }); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"first": "1", "call0": "1", "call2": "1", "call4": "1", "call5": "1"}
	for k := range set {
		if want[k] == "" {
			t.Errorf("setting %s held: its call failed or did not run", k)
		}
	}
	for k := range want {
		if set[k] == "" {
			t.Errorf("setting %s missing: its call was answered OK", k)
		}
	}
}

// TestGroupCommitUndoesALargePush: a push that wrote far more than
// SQLite's sub-journal keeps in memory by default (64 KiB) and then
// failed leaves nothing, while the pushes committed with it keep all
// their rows; the writer keeps its sub-journal in memory.
func TestGroupCommitUndoesALargePush(t *testing.T) {
	s, ctx := openBare(t)
	var store int
	if err := s.db.W.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&store); err != nil || store != 2 {
		t.Fatalf("the writer's temp_store is %d (%v), want 2 (memory)", store, err)
	}
	const n = 600 // about 600 KiB of payloads a push
	payload := []byte(`{"input":"` + strings.Repeat("X", 1000) + `"}`)
	stations := []string{"CART-01", "CART-02", "CART-03"}
	if err := s.Tx(ctx, func(tx hub.StoreTx) error {
		for i, st := range stations {
			if err := tx.InsertStation(protocol.StationInfo{ID: st, Number: i + 1, RegisteredAt: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	release, busy := holdWriter(ctx, s, func(hub.StoreTx) error { return nil })
	errRefused := errors.New("refused")
	results := make([]chan error, len(stations))
	for i, st := range stations {
		results[i] = make(chan error, 1)
		go func() {
			results[i] <- s.Tx(ctx, func(tx hub.StoreTx) error {
				for seq := int64(1); seq <= n; seq++ {
					e := heldEvent(st, seq)
					e.Payload = payload
					if err := tx.InsertEvent(e); err != nil {
						return err
					}
				}
				if i == 1 {
					if err := tx.(*storeTx).sendHeld(); err != nil { // the rows are written, then refused
						return err
					}
					return errRefused
				}
				return nil
			})
		}()
	}
	waitQueued(s, len(stations))
	close(release)
	if err := <-busy; err != nil {
		t.Fatal(err)
	}
	for i, st := range stations {
		err := <-results[i]
		want := n
		if i == 1 {
			want = 0
			if !errors.Is(err, errRefused) {
				t.Fatalf("the failing push answered %v", err)
			}
		} else if err != nil {
			t.Fatalf("push %d answered %v", i, err)
		}
		var held int
		if err := s.db.R.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE station=? AND length(payload)=?`, st, len(payload)).Scan(&held); err != nil {
			t.Fatal(err)
		}
		if held != want {
			t.Errorf("station %s: %d events held, want %d", st, held, want)
		}
	}
}

// holdWriter starts a write transaction that keeps the writer busy, so
// that the calls made next queue behind it, until release is closed; then
// it runs fn and its result arrives on done.
func holdWriter(ctx context.Context, s *SQLite, fn func(hub.StoreTx) error) (release chan struct{}, done chan error) {
	release, done = make(chan struct{}), make(chan error, 1)
	started := make(chan struct{})
	go func() {
		done <- s.Tx(ctx, func(tx hub.StoreTx) error {
			close(started)
			<-release
			return fn(tx)
		})
	}()
	<-started
	return release, done
}

// waitQueued returns once n calls wait in the writer's queue.
func waitQueued(s *SQLite, n int) {
	for queued := 0; queued < n; {
		s.group.mu.Lock()
		queued = len(s.group.queue)
		s.group.mu.Unlock()
		runtime.Gosched()
	}
}

package hub_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

// inFlight is the SQLite store with the feed's safe mark held at safe, as
// a PostgreSQL store reports it while the transactions that took the
// sequences above it have not committed.
type inFlight struct {
	*hubstore.SQLite
	safe int64
}

func (s *inFlight) Read(ctx context.Context, fn func(hub.StoreTx) error) error {
	return s.SQLite.Read(ctx, func(tx hub.StoreTx) error { return fn(capped{tx, s.safe}) })
}

type capped struct {
	hub.StoreTx
	safe int64
}

func (c capped) FeedSafe() (int64, error) { return c.safe, nil }

// TestPullStopsAtTheSafeMark: a pull reads the feed only up to the store's
// safe mark, so a change that becomes visible later below the head of the
// feed is still pulled; the cursor never steps past it.
func TestPullStopsAtTheSafeMark(t *testing.T) {
	ctx := context.Background()
	hs, err := hubstore.OpenStore(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	store := &inFlight{SQLite: hs, safe: 1 << 62}
	svc := hub.New(store, hub.ServiceOptions{})
	if err := svc.RegisterStation(ctx, "CART-01", "", "h", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}, {Code: "A-02"}, {Code: "A-03"}, {Code: "A-04"}}}); err != nil {
		t.Fatal(err)
	}
	store.safe = 2 // changes 3 and 4 are "still committing"
	first, err := svc.Pull(ctx, "CART-01", "", 100, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Changes) != 2 || first.Changes[1].Seq != 2 || first.More {
		t.Fatalf("a pull under safe mark 2: %+v", first)
	}
	store.safe = 4
	next, err := svc.Pull(ctx, "CART-01", first.Cursor, 100, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if next.Reset || len(next.Changes) != 2 || next.Changes[0].Seq != 3 || next.Changes[1].Location.Code != "A-04" {
		t.Fatalf("the pull after the commits: %+v", next)
	}
	// A cursor above the safe mark is not one this hub gave: start again.
	store.safe = 2
	again, err := svc.Pull(ctx, "CART-01", next.Cursor, 100, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !again.Reset || len(again.Changes) != 2 {
		t.Fatalf("a cursor above the safe mark: %+v", again)
	}
}

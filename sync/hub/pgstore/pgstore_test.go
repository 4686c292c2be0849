package pgstore_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/pgstore"
	"github.com/totewms/tote/sync/protocol"
)

var ctx = context.Background()

func open(t *testing.T, dsn string) *pgstore.Store {
	t.Helper()
	s, err := pgstore.Open(ctx, dsn, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestHubsStartTogether: hubs opening one new database at once migrate it
// once (the advisory lock) and all name it by the same hub id.
func TestHubsStartTogether(t *testing.T) {
	dsn := pgtest.DSN(t)
	const n = 6
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			s, err := pgstore.OpenStore(ctx, dsn, 2)
			if err != nil {
				errs[i] = err
				return
			}
			ids[i] = s.HubID()
			s.Close()
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("hub %d did not start: %v", i, errs[i])
		}
		if ids[i] == "" || ids[i] != ids[0] {
			t.Fatalf("hub ids %q: one database, one id", ids)
		}
	}
	s := open(t, dsn)
	var versions, hubIDs int
	if err := s.Pool().QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM schema_migrations), (SELECT COUNT(*) FROM hub_meta WHERE key='hub_id')`).Scan(&versions, &hubIDs); err != nil {
		t.Fatal(err)
	}
	if versions != len(pgstore.Migrations()) || hubIDs != 1 || s.HubID() != ids[0] {
		t.Fatalf("%d migrations recorded (want %d), %d hub ids, id %s after %s", versions, len(pgstore.Migrations()), hubIDs, s.HubID(), ids[0])
	}
}

// TestNewerDatabaseRefused: a database migrated by a newer tote is
// refused with a reason, not written to.
func TestNewerDatabaseRefused(t *testing.T) {
	dsn := pgtest.DSN(t)
	s := open(t, dsn)
	if _, err := s.Pool().Exec(ctx, `INSERT INTO schema_migrations(version, name) VALUES (99, '0099_future.sql')`); err != nil {
		t.Fatal(err)
	}
	_, err := pgstore.OpenStore(ctx, dsn, 0)
	if err == nil || !strings.Contains(err.Error(), "newer than this tote knows") {
		t.Fatalf("opening a newer database: %v", err)
	}
}

// TestFeedSafeStopsBelowAnOpenTransaction: while a transaction that
// appended to the feed is open (its append sent: appends wait in the
// tail until the commit or a read of the feed), a second append waits
// for it (the publish lock), a pull sees neither, and once both commit a pull from the old
// cursor gets both, in sequence order: no change is skipped however the
// commits interleave.
func TestFeedSafeStopsBelowAnOpenTransaction(t *testing.T) {
	s := open(t, pgtest.DSN(t))
	if err := s.RegisterStation(ctx, "CART-01", "", "h", time.Now()); err != nil {
		t.Fatal(err)
	}
	loc := func(code string) protocol.Reference {
		return protocol.Reference{Locations: []protocol.Location{{Code: code}}}
	}
	if _, err := s.ImportReference(ctx, loc("A-01")); err != nil {
		t.Fatal(err)
	}
	first, err := s.Pull(ctx, "CART-01", "", 100, time.Now())
	if err != nil || len(first.Changes) != 1 {
		t.Fatalf("first pull %+v %v", first, err)
	}

	appended, release := make(chan struct{}), make(chan struct{})
	slow := make(chan error, 1)
	go func() {
		slow <- s.Tx(ctx, func(tx hub.StoreTx) error {
			l := protocol.Location{Code: "A-02"}
			if err := tx.PutLocation(l); err != nil {
				return err
			}
			if err := tx.AppendFeed(hub.FeedEntry{Station: hub.EveryStation, Change: protocol.Change{Kind: protocol.KindLocation, Location: &l}}); err != nil {
				return err
			}
			if _, err := tx.FeedSafe(); err != nil { // sends the append
				return err
			}
			select {
			case <-appended: // a rerun after a serialization failure
			default:
				close(appended)
			}
			<-release
			return nil
		})
	}()
	<-appended
	fast := make(chan error, 1)
	go func() {
		_, err := s.ImportReference(ctx, loc("A-03"))
		fast <- err
	}()
	// The second append is waiting for the feed lock.
	waitForAdvisoryWaiter(t, s, fast)
	mid, err := s.Pull(ctx, "CART-01", first.Cursor, 100, time.Now())
	if err != nil || len(mid.Changes) != 0 || mid.Reset {
		t.Fatalf("a pull while the feed's appends are open: %+v %v", mid, err)
	}
	close(release)
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	if err := <-fast; err != nil {
		t.Fatal(err)
	}
	last, err := s.Pull(ctx, "CART-01", mid.Cursor, 100, time.Now())
	if err != nil || len(last.Changes) != 2 || last.Reset {
		t.Fatalf("the pull after the commits: %+v %v", last, err)
	}
	if a, b := last.Changes[0], last.Changes[1]; a.Location.Code != "A-02" || b.Location.Code != "A-03" || a.Seq >= b.Seq {
		t.Fatalf("changes after the commits: %+v then %+v", a.Location, b.Location)
	}
}

// TestFeedCompleteUnderConcurrentHubs: two hubs on one database take
// central actions at once while a station pulls through a third; when
// they are done the station has every change addressed to it, once, in
// sequence order.
func TestFeedCompleteUnderConcurrentHubs(t *testing.T) {
	dsn := pgtest.DSN(t)
	a, b, reader := open(t, dsn), open(t, dsn), open(t, dsn)
	if err := a.RegisterStation(ctx, "CART-01", "", "h", time.Now()); err != nil {
		t.Fatal(err)
	}
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		h := a
		if w%2 == 1 {
			h = b
		}
		wg.Go(func() {
			for i := range each {
				code := "L-" + string(rune('A'+w)) + "-" + string(rune('a'+i%26)) + string(rune('a'+i/26))
				if _, err := h.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: code}, {Code: code + "-2"}}}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	seen := map[string]int64{}
	cursor, last := "", int64(0)
	pull := func() bool {
		p, err := reader.Pull(ctx, "CART-01", cursor, 7, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if p.Reset {
			t.Fatalf("a reset while pulling: %+v", p)
		}
		for _, c := range p.Changes {
			if c.Seq <= last {
				t.Fatalf("change %d after %d", c.Seq, last)
			}
			if _, dup := seen[c.Location.Code]; dup {
				t.Fatalf("location %s twice", c.Location.Code)
			}
			seen[c.Location.Code], last = c.Seq, c.Seq
		}
		cursor = p.Cursor
		return len(p.Changes) > 0
	}
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
			pull()
		}
	}
	for pull() {
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != writers*each*2 {
		t.Fatalf("the station pulled %d locations, want %d", len(seen), writers*each*2)
	}
	t.Logf("%d changes pulled; %d transactions run again", len(seen), a.Retries()+b.Retries())
}

// TestStationsRegisterAtOnceOnTwoHubs: stations registered at the same
// moment through two hubs all get in, each with its own number.
func TestStationsRegisterAtOnceOnTwoHubs(t *testing.T) {
	dsn := pgtest.DSN(t)
	hubs := []*pgstore.Store{open(t, dsn), open(t, dsn)}
	const n = 12
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			errs[i] = hubs[i%2].RegisterStation(ctx, "CART-"+string(rune('A'+i)), "", "hash-"+string(rune('A'+i)), time.Now())
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("station %d: %v", i, err)
		}
	}
	sts, err := hubs[0].Stations(ctx)
	if err != nil || len(sts) != n {
		t.Fatalf("stations %+v %v", sts, err)
	}
	seen := map[int]bool{}
	for _, s := range sts {
		if s.Number < 1 || s.Number > n || seen[s.Number] {
			t.Fatalf("station numbers %+v", sts)
		}
		seen[s.Number] = true
	}
}

// TestConflictIdsCommitInOrder: a conflict recorded while another
// transaction that recorded one is still open waits for it, so an office
// paging conflicts by id never steps past one that commits later.
func TestConflictIdsCommitInOrder(t *testing.T) {
	s := open(t, pgtest.DSN(t))
	inserted, release := make(chan struct{}), make(chan struct{})
	slow := make(chan error, 1)
	go func() {
		slow <- s.Tx(ctx, func(tx hub.StoreTx) error {
			if err := tx.InsertConflict(protocol.Conflict{Station: "CART-01", Seq: 1, Kind: "unknown-order", Reason: "first", At: time.Now()}); err != nil {
				return err
			}
			select {
			case <-inserted:
			default:
				close(inserted)
			}
			<-release
			return nil
		})
	}()
	<-inserted
	fast := make(chan error, 1)
	go func() {
		fast <- s.Tx(ctx, func(tx hub.StoreTx) error {
			return tx.InsertConflict(protocol.Conflict{Station: "CART-02", Seq: 1, Kind: "unknown-order", Reason: "second", At: time.Now()})
		})
	}()
	waitForAdvisoryWaiter(t, s, fast)
	if cs, err := s.Conflicts(ctx, 0, 10); err != nil || len(cs) != 0 {
		t.Fatalf("conflicts while both are open: %+v %v", cs, err)
	}
	close(release)
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	if err := <-fast; err != nil {
		t.Fatal(err)
	}
	cs, err := s.Conflicts(ctx, 0, 10)
	if err != nil || len(cs) != 2 || cs[0].Reason != "first" || cs[1].Reason != "second" || cs[0].ID >= cs[1].ID {
		t.Fatalf("conflicts after both committed: %+v %v", cs, err)
	}
}

// waitForAdvisoryWaiter waits until one transaction waits for an
// advisory lock; done must not finish first.
func waitForAdvisoryWaiter(t *testing.T, s *pgstore.Store, done chan error) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var waiting int
		if err := s.Pool().QueryRow(ctx, `SELECT COUNT(*) FROM pg_locks WHERE locktype='advisory' AND NOT granted`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == 1 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the second transaction never waited for the lock")
		}
		select {
		case err := <-done:
			t.Fatalf("the second transaction finished while the first was open: %v", err)
		case <-time.After(time.Millisecond):
		}
	}
}

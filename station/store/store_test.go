package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station/store"
)

var ctx = context.Background()

func open(t *testing.T, path string) *store.Store {
	t.Helper()
	s, err := store.Open(ctx, path, "ST-01")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestMigrateFromEveryEarlierVersion(t *testing.T) {
	all := store.Migrations()
	for from := 0; from < len(all); from++ {
		t.Run(fmt.Sprintf("from_%d", from), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.db")
			if from > 0 {
				db, err := sqlitedb.Open(ctx, path, all[:from])
				if err != nil {
					t.Fatal(err)
				}
				db.Close()
			}
			s := open(t, path)
			if got := s.DB().Version; got != len(all) {
				t.Fatalf("version %d, want %d", got, len(all))
			}
			var v int
			s.DB().R.QueryRow("PRAGMA user_version").Scan(&v)
			if v != len(all) {
				t.Fatalf("user_version %d", v)
			}
			var mode string
			s.DB().W.QueryRow("PRAGMA journal_mode").Scan(&mode)
			var sync int
			s.DB().W.QueryRow("PRAGMA synchronous").Scan(&sync)
			if mode != "wal" || sync != 2 {
				t.Fatalf("journal_mode %q synchronous %d, want wal and 2 (FULL)", mode, sync)
			}
			// The migrations ran with foreign keys off; the writer has them
			// on again.
			var fk int
			s.DB().W.QueryRow("PRAGMA foreign_keys").Scan(&fk)
			if fk != 1 {
				t.Fatalf("foreign_keys %d on the writer after migrating, want 1", fk)
			}
		})
	}
}

func TestNewerDatabaseIsRefusedUntouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	if _, err := s.DB().W.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().W.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := fileHash(t, path)
	_, err := store.Open(ctx, path, "ST-01")
	if !errors.Is(err, sqlitedb.ErrNewerSchema) {
		t.Fatalf("err = %v, want ErrNewerSchema", err)
	}
	var oe *sqlitedb.OpenError
	if !errors.As(err, &oe) || oe.Path != path || !bytes.Contains([]byte(err.Error()), []byte(path)) {
		t.Fatalf("error does not name the file: %v", err)
	}
	if fileHash(t, path) != before {
		t.Fatal("a newer database was changed")
	}
}

func TestCorruptFilesAreRefusedUntouched(t *testing.T) {
	t.Run("not a database", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "s.db")
		os.WriteFile(path, bytes.Repeat([]byte("this is not sqlite "), 400), 0o600)
		before := fileHash(t, path)
		_, err := store.Open(ctx, path, "ST-01")
		if !errors.Is(err, sqlitedb.ErrCorrupt) {
			t.Fatalf("err = %v, want ErrCorrupt", err)
		}
		if fileHash(t, path) != before {
			t.Fatal("corrupt file was changed")
		}
	})
	t.Run("damaged page", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "s.db")
		s := open(t, path)
		site := store.Site{}
		for i := range 400 {
			site.Locations = append(site.Locations, floor.Location{Code: fmt.Sprintf("A-%02d-%02d-1", i/20, i%20), Zone: "A", WalkSeq: i})
		}
		if err := s.LoadSite(ctx, site); err != nil {
			t.Fatal(err)
		}
		s.DB().W.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		s.Close()
		b, _ := os.ReadFile(path)
		page := 4096
		if len(b) < 6*page {
			t.Fatalf("database only %d bytes", len(b))
		}
		// Scribble over the b-tree page headers, as a failing disk would.
		for p := page; p < len(b); p += page {
			for i := p; i < p+12; i++ {
				b[i] = 0xA5
			}
		}
		os.WriteFile(path, b, 0o600)
		before := fileHash(t, path)
		_, err := store.Open(ctx, path, "ST-01")
		if !errors.Is(err, sqlitedb.ErrCorrupt) {
			t.Fatalf("err = %v, want ErrCorrupt", err)
		}
		if fileHash(t, path) != before {
			t.Fatal("corrupt file was changed")
		}
	})
}

func TestAnotherStationsDatabaseIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	open(t, path).Close()
	_, err := store.Open(ctx, path, "ST-02")
	if !errors.Is(err, store.ErrOtherStation) {
		t.Fatalf("err = %v", err)
	}
}

func ev(t floor.EventType, v any) floor.Event { return floor.NewEvent(t, "B1001", v) }

// TestGaplessUnderConcurrentWriters commits from many goroutines through two
// store handles on one file (two connections, as two processes would have):
// the sequence must be 1..N with no gap and no duplicate.
func TestGaplessUnderConcurrentWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	a := open(t, path)
	b := open(t, path)
	const writers, each = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		s := a
		if w%2 == 1 {
			s = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				evs := []floor.Event{ev(floor.EvScanRejected, floor.RejectPayload{Input: fmt.Sprintf("w%d-%d", w, i), Reason: "test"})}
				if i%3 == 0 { // some commits carry two events
					evs = append(evs, ev(floor.EvScanRejected, floor.RejectPayload{Input: "second"}))
				}
				if _, err := s.Commit(ctx, time.Now(), evs, nil); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("commit: %v", err)
	}
	evs, err := a.Journal(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	want := writers*each + writers*((each+2)/3)
	if len(evs) != want {
		t.Fatalf("%d events, want %d", len(evs), want)
	}
	ids := map[string]bool{}
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d: gap or duplicate", i, e.Seq)
		}
		if ids[e.ID] || e.Station != "ST-01" {
			t.Fatalf("event %d: id %s station %s", i, e.ID, e.Station)
		}
		ids[e.ID] = true
	}
}

// loadWave writes a tiny site: one wave with one two-unit task.
func loadWave(t *testing.T, s *store.Store) {
	t.Helper()
	err := s.LoadSite(ctx, store.Site{
		Operators: []floor.Operator{{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}}},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", Aisle: 1, Bay: 1, Level: 1, WalkSeq: 1}},
		Items:     []floor.Item{{SKU: "MUG", GTINs: []string{"04006381333931"}, Description: "Mug"}},
		Orders:    []floor.Order{{ID: "ORD-0001", Lines: []floor.OrderLine{{LineNo: 1, SKU: "MUG", Qty: 2}}}},
		Waves:     []floor.Wave{{ID: "W1"}},
		Tasks:     []floor.PickTask{{ID: 1, WaveID: "W1", OrderID: "ORD-0001", LineNo: 1, Location: "A-01-01-1", SKU: "MUG", Qty: 2, SortKey: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

var task1 = floor.TaskPayload{Task: 1, Order: "ORD-0001", Line: 1, Location: "A-01-01-1", SKU: "MUG"}

func TestProjections(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	loadWave(t, s)
	commit := func(evs ...floor.Event) error {
		_, err := s.Commit(ctx, time.Now(), evs, &store.Session{Operator: "B1001", WaveID: "W1", TaskID: 1, Step: "item"})
		return err
	}
	line := func() (picked, short int) {
		s.DB().R.QueryRow(`SELECT qty_picked, qty_short FROM order_line_progress WHERE order_id='ORD-0001'`).Scan(&picked, &short)
		return
	}
	if err := commit(ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T00001", Lot: "L1"})); err != nil {
		t.Fatal(err)
	}
	tasks, _ := s.WaveTasks(ctx, "W1")
	picks, _ := s.TaskPicks(ctx, 1)
	if p, _ := line(); tasks[0].QtyPicked != 1 || tasks[0].Tote != "T00001" || len(picks) != 1 || picks[0].Lot != "L1" || p != 1 {
		t.Fatalf("after pick: task %+v picks %+v line %d", tasks[0], picks, p)
	}
	if err := commit(ev(floor.EvPickUndone, floor.UndoPayload{TaskPayload: task1, Qty: 1})); err != nil {
		t.Fatal(err)
	}
	tasks, _ = s.WaveTasks(ctx, "W1")
	if p, _ := line(); tasks[0].QtyPicked != 0 || p != 0 {
		t.Fatalf("after undo: %+v line %d", tasks[0], p)
	}

	// An undo with nothing to undo fails the whole transaction: neither the
	// event nor anything else is recorded.
	last, _ := s.LastSeq(ctx)
	err := commit(ev(floor.EvScanRejected, floor.RejectPayload{Input: "x"}), ev(floor.EvPickUndone, floor.UndoPayload{TaskPayload: task1, Qty: 1}))
	if err == nil {
		t.Fatal("impossible undo was accepted")
	}
	if now, _ := s.LastSeq(ctx); now != last {
		t.Fatalf("journal moved from %d to %d on a failed commit", last, now)
	}

	if err := commit(ev(floor.EvTaskShort, floor.ShortPayload{TaskPayload: task1, Short: 2, Reason: floor.ShortDamaged})); err != nil {
		t.Fatal(err)
	}
	ex, _ := s.Exceptions(ctx)
	if _, sh := line(); sh != 2 || len(ex) != 1 || ex[0].Reason != "damaged" || ex[0].Location != "A-01-01-1" || ex[0].Operator != "B1001" {
		t.Fatalf("after short: line short %d exceptions %+v", sh, ex)
	}
	if err := commit(ev(floor.EvWaveCompleted, floor.WavePayload{Wave: "W1"})); err != nil {
		t.Fatal(err)
	}
	if w, _ := s.Wave(ctx, "W1"); w.Status != "done" {
		t.Fatalf("wave %+v", w)
	}
	if w, _ := s.NextWave(ctx); w.ID != "" {
		t.Fatalf("next wave after the only one is done: %+v", w)
	}
}

func TestRestartKeepsJournalAndSession(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	loadWave(t, s)
	sess := &store.Session{Operator: "B1001", WaveID: "W1", Tote: "T00009", TaskID: 1, Step: "quantity", Pending: []byte(`{"qty":2}`)}
	out, err := s.Commit(ctx, time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC), []floor.Event{ev(floor.EvToteAssigned, floor.TotePayload{Tote: "T00009", Wave: "W1"})}, sess)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	got, _ := s.LoadSession(ctx)
	if got.Operator != sess.Operator || got.Tote != sess.Tote || got.Step != sess.Step || string(got.Pending) != string(sess.Pending) || got.TaskID != 1 {
		t.Fatalf("session after restart %+v", got)
	}
	evs, _ := s.Journal(ctx, 0, 10)
	if len(evs) != 1 || evs[0].ID != out[0].ID || evs[0].Seq != 1 || !evs[0].DeviceTime.Equal(out[0].DeviceTime) {
		t.Fatalf("journal after restart %+v, committed %+v", evs, out)
	}
	if err := s.DB().IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestDiskFull fills the database to its page limit: commits fail with a
// clear error, nothing half-written remains, and writing resumes once there
// is room.
func TestDiskFull(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	var pages int
	s.DB().W.QueryRow("PRAGMA page_count").Scan(&pages)
	if _, err := s.DB().W.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+2)); err != nil {
		t.Fatal(err)
	}
	big := string(bytes.Repeat([]byte("x"), 3000))
	var full error
	for i := 0; i < 100 && full == nil; i++ {
		_, full = s.Commit(ctx, time.Now(), []floor.Event{ev(floor.EvScanRejected, floor.RejectPayload{Input: big})}, nil)
	}
	if !sqlitedb.IsFull(full) {
		t.Fatalf("expected a full database, got %v", full)
	}
	n, _ := s.LastSeq(ctx)
	if err := s.DB().IntegrityCheck(ctx); err != nil {
		t.Fatalf("integrity after full: %v", err)
	}
	if _, err := s.DB().W.Exec("PRAGMA max_page_count = 1000000"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{ev(floor.EvScanRejected, floor.RejectPayload{Input: big})}, nil); err != nil {
		t.Fatalf("commit after making room: %v", err)
	}
	if m, _ := s.LastSeq(ctx); m != n+1 {
		t.Fatalf("seq %d after %d", m, n)
	}
}

// TestMigrationToJournaledSessions: a session saved before through_seq
// existed included the whole journal, so nothing in it is replayed.
func TestMigrationToJournaledSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	old, err := sqlitedb.Open(ctx, path, store.Migrations()[:6])
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO journal(seq, event_id, station, device_time, type, payload) VALUES (1, 'a', 'ST-01', 't', 'pack.started', '{}')`,
		`INSERT INTO journal(seq, event_id, station, device_time, type, payload) VALUES (2, 'b', 'ST-01', 't', 'pack.unit_verified', '{}')`,
		`UPDATE session SET bench='pack', operator='B2001', step='verify', pending='{"step":"verify"}'`,
	} {
		if _, err := old.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	s := open(t, path)
	sess, err := s.LoadSession(ctx)
	if err != nil || sess.Through != 2 || sess.Bench != "pack" {
		t.Fatalf("session %+v %v", sess, err)
	}
	if evs, err := s.JournalAfter(ctx, sess.Through, floor.EvPackUnitVerified); err != nil || len(evs) != 0 {
		t.Fatalf("to replay after migrating: %+v %v", evs, err)
	}
	if evs, err := s.JournalAfter(ctx, 0, floor.EvPackUnitVerified); err != nil || len(evs) != 1 || evs[0].Seq != 2 {
		t.Fatalf("JournalAfter(0) %+v %v", evs, err)
	}
}

// TestJournaledCommitLeavesTheSessionRow: a commit whose events alone
// record the change appends them and leaves the row (and its through_seq)
// as it was; the next commit with a session writes it, even one equal to
// the row, since the row is stale.
func TestJournaledCommitLeavesTheSessionRow(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	sess := &store.Session{Bench: "pack", Operator: "B2001", Step: "verify", Pending: []byte(`{"step":"verify"}`)}
	ev := func() floor.Event { return floor.NewEvent(floor.EvPackUnitVerified, "B2001", map[string]int{"qty": 1}) }
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{ev()}, sess); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{ev(), ev()}, &store.Session{Journaled: true}); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadSession(ctx)
	if err != nil || got.Through != 1 || got.Step != "verify" || got.Operator != "B2001" {
		t.Fatalf("after a journaled commit: %+v %v", got, err)
	}
	if evs, _ := s.JournalAfter(ctx, got.Through, floor.EvPackUnitVerified); len(evs) != 2 || evs[0].Seq != 2 {
		t.Fatalf("to replay %+v", evs)
	}
	// The same session as saved (say, an undo back to it) is written again.
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{floor.NewEvent(floor.EvPackUnitUndone, "B2001", map[string]int{"qty": 1})}, sess); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.LoadSession(ctx); got.Through != 4 {
		t.Fatalf("the row was not rewritten after a journaled commit: %+v", got)
	}
}

package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station/store"
)

// benchEvents is how many events the start-up benchmark's journal holds:
// TOTE_BENCH_EVENTS, else one million.
func benchEvents(b *testing.B) int {
	if s := os.Getenv("TOTE_BENCH_EVENTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 1_000_000
}

// bigJournal makes a store at path whose journal holds n pick events a
// year old, all acknowledged by the hub and behind the session: one bulk
// INSERT in one transaction, not n commits.
func bigJournal(b *testing.B, path string, n int) {
	s, err := store.Open(ctx, path, "ST-01")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = s.DB().W.Exec(`WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM i WHERE n < ?)
		INSERT INTO journal(seq, event_id, station, operator, device_time, type, payload)
		SELECT n, printf('%08x-%04x-4%03x-8%03x-%012x', n, n % 65536, n % 4096, n % 4096, n * 7919), 'ST-01', 'B1001',
			strftime('%Y-%m-%dT%H:%M:%fZ', '2025-06-01', '+' || (n / 10) || ' seconds'), 'pick.units_picked',
			printf('{"order":"ORD-%06d","task":%d,"location":"A-%02d-%02d-1","sku":"SKU-%05d","qty":1,"tote":"T%05d"}',
				n / 4, n, n % 40, n % 20, n % 9973, n % 50000)
		FROM i`, n)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB().W.Exec(`UPDATE sync_state SET pushed = ?`, n); err != nil {
		b.Fatal(err)
	}
	if _, err := s.DB().W.Exec(`UPDATE session SET through_seq = ?`, n); err != nil {
		b.Fatal(err)
	}
	s.DB().W.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	fi, _ := os.Stat(path)
	b.Logf("journal of %d events: %.0f MB, written in %s", n, float64(fi.Size())/1e6, time.Since(start).Round(time.Millisecond))
}

// openClose opens the store at path and closes it, returning how long the
// open took (what a station start waits for) and why a full check ran.
func openClose(b *testing.B, path string, o sqlitedb.Options) (time.Duration, string) {
	start := time.Now()
	s, err := store.OpenWith(ctx, path, "ST-01", o)
	if err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	if _, err := s.LoadSession(ctx); err != nil { // what a station reads next
		b.Fatal(err)
	}
	if _, err := s.LastSeq(ctx); err != nil {
		b.Fatal(err)
	}
	why := s.DB().FullCheck
	s.Close()
	return took, why
}

// BenchmarkStoreOpen measures a station store's open, interleaved in one
// run: an empty store (the baseline), a store with a big journal after a
// clean shutdown (no full check), the same with the full check (what an
// unclean shutdown costs), and the same once pruning moved the journal
// into the archive. The page cache is warm throughout.
//
//	go test ./station/store -run '^$' -bench StoreOpen -benchtime 3x -timeout 1h
//	TOTE_BENCH_EVENTS=10000000 TOTE_BENCH_PRUNE=0 go test ./station/store -run '^$' -bench StoreOpen -benchtime 2x -timeout 1h
func BenchmarkStoreOpen(b *testing.B) {
	n := benchEvents(b)
	dir := b.TempDir()
	empty, big := filepath.Join(dir, "empty.db"), filepath.Join(dir, "big.db")
	s, err := store.Open(ctx, empty, "ST-01")
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	bigJournal(b, big, n)
	openClose(b, big, sqlitedb.Options{}) // the first open after the bulk insert checks ("new file" state aside)

	var tEmpty, tClean, tFull time.Duration
	for b.Loop() {
		d, why := openClose(b, empty, sqlitedb.Options{})
		tEmpty += d
		if why != "" {
			b.Fatalf("empty store checked: %s", why)
		}
		d, why = openClose(b, big, sqlitedb.Options{CheckEvery: 168 * time.Hour})
		tClean += d
		if why != "" {
			b.Fatalf("big store checked after a clean close: %s", why)
		}
		d, _ = openClose(b, big, sqlitedb.Options{FullCheck: true})
		tFull += d
	}
	k := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / k }
	b.ReportMetric(ms(tEmpty), "empty-ms")
	b.ReportMetric(ms(tClean), "clean-ms")
	b.ReportMetric(ms(tFull), "fullcheck-ms")
	b.ReportMetric(ms(tClean)/ms(tEmpty), "clean/empty")
	b.ReportMetric(ms(tFull)/ms(tEmpty), "fullcheck/empty")

	// Pruning, as the running station does it in the background
	// (TOTE_BENCH_PRUNE=0 leaves it out: about 1,000 events/s on a busy
	// machine, hours for ten million).
	if os.Getenv("TOTE_BENCH_PRUNE") == "0" {
		return
	}
	s, err = store.Open(ctx, big, "ST-01")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	moved, err := s.Prune(ctx, store.PruneOptions{Mode: store.PushedArchive, KeepPushed: 720 * time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	took := time.Since(start)
	s.DB().W.Exec("VACUUM") // not needed to start fast; shows the file's own size after
	s.Close()
	fi, _ := os.Stat(big)
	ai, _ := os.Stat(store.ArchivePath(big))
	var tPruned, tPrunedFull time.Duration
	const rounds = 5
	for range rounds {
		d, _ := openClose(b, big, sqlitedb.Options{})
		tPruned += d
		d, _ = openClose(b, big, sqlitedb.Options{FullCheck: true})
		tPrunedFull += d
	}
	b.ReportMetric(float64(tPruned.Microseconds())/1000/rounds, "pruned-ms")
	b.ReportMetric(float64(tPrunedFull.Microseconds())/1000/rounds, "pruned-fullcheck-ms")
	fmt.Fprintf(os.Stderr, "pruned %d events into the archive in %s (%.0f events/s); store %.1f MB, archive %.0f MB\n",
		moved, took.Round(time.Millisecond), float64(moved)/took.Seconds(), float64(fi.Size())/1e6, float64(ai.Size())/1e6)
}

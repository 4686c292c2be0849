package sqlitedb_test

import (
	"context"
	"errors"
	"path/filepath"
	"runtime/metrics"
	"testing"

	"github.com/totewms/tote/internal/sqlitedb"
)

func goroutinesCreated() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestShortReadsWatchNoContext: a read of a row (QueryRow) or a few
// (Query) on a context that can be cancelled starts no goroutine to watch
// it (database/sql and the driver started two per read), still reads its
// rows, and is refused when the context has already ended.
func TestShortReadsWatchNoContext(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "t.db"), sqlitedb.Options{})
	defer db.Close()
	if _, err := db.W.Exec(`INSERT INTO t(v) VALUES ('a'), ('b')`); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const q = `SELECT v FROM t WHERE id=1`
	read := func() (string, error) {
		var v string
		err := db.QueryRow(ctx, q).Scan(&v)
		return v, err
	}
	list := func() (string, error) {
		rows, err := db.Query(ctx, `SELECT v FROM t ORDER BY id`)
		if err != nil {
			return "", err
		}
		defer rows.Close()
		var all string
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return "", err
			}
			all += v
		}
		return all, rows.Err()
	}
	// The first of each prepares it.
	if v, err := read(); err != nil || v != "a" {
		t.Fatalf("read %q, %v", v, err)
	}
	if v, err := list(); err != nil || v != "ab" {
		t.Fatalf("list %q, %v", v, err)
	}
	const reads = 100
	before := goroutinesCreated()
	for range reads {
		if v, err := read(); err != nil || v != "a" {
			t.Fatalf("read %q, %v", v, err)
		}
		if v, err := list(); err != nil || v != "ab" {
			t.Fatalf("list %q, %v", v, err)
		}
	}
	// Nothing else here starts goroutines; the margin is for the runtime's own.
	if n := goroutinesCreated() - before; n >= reads/10 {
		t.Errorf("%d reads started %d goroutines, want none", 2*reads, n)
	}
	cancel()
	if _, err := read(); !errors.Is(err, context.Canceled) {
		t.Errorf("read on an ended context: %v, want context.Canceled", err)
	}
	if _, err := list(); !errors.Is(err, context.Canceled) {
		t.Errorf("list on an ended context: %v, want context.Canceled", err)
	}
}

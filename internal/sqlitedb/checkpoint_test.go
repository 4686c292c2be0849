package sqlitedb_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/totewms/tote/internal/sqlitedb"
)

// TestCheckpointsLeaveTheCommit: the WAL is copied into the file by the
// checkpointer, not by the commit that fills it (SQLite's automatic
// checkpoint is only a backstop, far above the mark); the copy is whole,
// the WAL starts again from its beginning, and every commit is there.
func TestCheckpointsLeaveTheCommit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "t.db")
	db := open(t, p, sqlitedb.Options{})
	defer db.Close()
	type result struct{ frames, copied int }
	// The first checkpoint waits for the test to look at the file.
	release, checked := make(chan struct{}), make(chan result, 1)
	var once sync.Once
	let := func() { once.Do(func() { close(release) }) }
	defer let() // before Close, which waits for the checkpointer
	db.OnCheckpoint(func() { <-release }, func(frames, copied int, err error) {
		if err != nil {
			t.Errorf("checkpoint: %v", err)
		}
		select {
		case checked <- result{frames, copied}:
		default: // a later one
		}
	})
	size := func() int64 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	row := strings.Repeat("x", 6000) // two pages a commit: a row and its overflow
	commits := 0
	commit := func() {
		t.Helper()
		if err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.Exec(`INSERT INTO t(v) VALUES (?)`, row)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		commits++
	}
	for db.WALFrames() < sqlitedb.CheckpointPages {
		commit()
		if commits > sqlitedb.CheckpointPages {
			t.Fatalf("%d commits and the WAL holds %d pages", commits, db.WALFrames())
		}
	}
	if got := size(); got != before {
		t.Fatalf("the commit that filled the WAL copied it: the file grew from %d to %d bytes", before, got)
	}
	let()
	r := <-checked
	if r.frames < sqlitedb.CheckpointPages || r.copied != r.frames {
		t.Fatalf("checkpoint copied %d of %d pages, want all of at least %d", r.copied, r.frames, sqlitedb.CheckpointPages)
	}
	if size() <= before {
		t.Fatalf("the checkpoint left the file at %d bytes", size())
	}
	commit()
	if n := db.WALFrames(); n >= r.frames {
		t.Fatalf("the WAL did not start again: %d pages after the checkpoint's %d", n, r.frames)
	}
	var n int
	if err := db.R.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != commits {
		t.Fatalf("%d rows (%v), want %d", n, err, commits)
	}
}

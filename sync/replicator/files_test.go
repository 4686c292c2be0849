package replicator_test

import (
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"testing"
)

// copyDB copies a closed SQLite file to a fresh path.
func copyDB(tb testing.TB, from, to string) {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+from+"?mode=ro")
	if err == nil {
		_, err = db.Exec(`VACUUM INTO ?`, to)
		db.Close()
	}
	if err != nil {
		tb.Fatalf("copying %s: %v", from, err)
	}
}

func removeDB(tb testing.TB, path string) {
	tb.Helper()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			tb.Fatal(err)
		}
	}
}

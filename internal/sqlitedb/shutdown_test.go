package sqlitedb_test

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/sqlitedb"
)

var ctx = context.Background()

var schema = []sqlitedb.Migration{{Version: 1, Name: "0001_t.sql", SQL: `CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);`}}

// fill writes enough rows for several b-tree pages.
func fill(t *testing.T, db *sqlitedb.DB) {
	t.Helper()
	if _, err := db.W.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2000)
		INSERT INTO t(id, v) SELECT i, printf('%0100d', i) FROM n`); err != nil {
		t.Fatal(err)
	}
}

func open(t *testing.T, p string, o sqlitedb.Options) *sqlitedb.DB {
	t.Helper()
	db, err := sqlitedb.OpenWith(ctx, p, schema, o)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	return db
}

const childEnv = "SQLITEDB_TEST_CHILD_DB"

// killedWhileOpen runs this test binary as a child that opens p, writes,
// says so and waits; it is killed with SIGKILL while the file is open.
func killedWhileOpen(t *testing.T, p string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+p)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "open") {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q, %v", line, err)
	}
	cmd.Process.Kill() // SIGKILL: no Close, no deferred anything
	cmd.Wait()
}

// TestMain runs as killedWhileOpen's child when asked: open, write, say
// so, wait to be killed.
func TestMain(m *testing.M) {
	if p := os.Getenv(childEnv); p != "" {
		db, err := sqlitedb.Open(ctx, p, schema)
		if err == nil {
			_, err = db.W.Exec(`INSERT INTO t(v) VALUES ('written by the child')`)
		}
		if err != nil {
			os.Stdout.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString("open\n")
		select {}
	}
	os.Exit(m.Run())
}

// TestCleanShutdownSkipsTheFullCheck: a new file counts as checked, and
// after a clean Close the next open does not read the whole file.
func TestCleanShutdownSkipsTheFullCheck(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.db")
	db := open(t, p, sqlitedb.Options{})
	if db.FullCheck != "new file" {
		t.Fatalf("new file: FullCheck = %q", db.FullCheck)
	}
	fill(t, db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		db = open(t, p, sqlitedb.Options{})
		if db.FullCheck != "" {
			t.Fatalf("open after a clean close ran the full check: %q", db.FullCheck)
		}
		db.Close()
	}
	if m, _ := filepath.Glob(p + "-open.*"); len(m) != 0 {
		t.Fatalf("markers left after clean closes: %v", m)
	}
}

// TestUncleanShutdownRunsTheFullCheck: a process killed with the file open
// leaves its marker; the next open checks, and passes on a sound file.
func TestUncleanShutdownRunsTheFullCheck(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.db")
	db := open(t, p, sqlitedb.Options{})
	fill(t, db)
	db.Close()
	killedWhileOpen(t, p)
	db = open(t, p, sqlitedb.Options{})
	if db.FullCheck != "unclean shutdown" {
		t.Fatalf("open after a kill: FullCheck = %q", db.FullCheck)
	}
	var n int
	if err := db.R.QueryRow(`SELECT COUNT(*) FROM t`).Scan(&n); err != nil || n != 2001 {
		t.Fatalf("rows after the kill: %d, %v (the child's commit must be there)", n, err)
	}
	db.Close()
	db = open(t, p, sqlitedb.Options{})
	if db.FullCheck != "" {
		t.Fatalf("the check passed, yet the next open checked again: %q", db.FullCheck)
	}
	db.Close()
}

// damage scribbles over every b-tree page header but the first and puts
// back the file's modification time, as a failing disk would leave it.
func damage(t *testing.T, p string) {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	for pg := 4096; pg < len(b); pg += 4096 {
		for i := pg; i < pg+12; i++ {
			b[i] = 0xA5
		}
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
}

// TestCorruptFileIsRefusedAfterAnUncleanShutdown: the same damage a clean
// open does not look for (it reads no data page) is refused, untouched,
// once a crash left doubt.
func TestCorruptFileIsRefusedAfterAnUncleanShutdown(t *testing.T) {
	dir := t.TempDir()
	clean, crashed := filepath.Join(dir, "clean.db"), filepath.Join(dir, "crashed.db")
	for _, p := range []string{clean, crashed} {
		db := open(t, p, sqlitedb.Options{})
		fill(t, db)
		db.W.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		db.Close()
	}
	killedWhileOpen(t, crashed)
	for _, p := range []string{clean, crashed} {
		damage(t, p)
	}
	db, err := sqlitedb.Open(ctx, clean, schema)
	if err != nil {
		t.Fatalf("a clean close's file is opened without the full check, damage and all: %v", err)
	}
	db.Close()
	before, _ := os.ReadFile(crashed)
	_, err = sqlitedb.Open(ctx, crashed, schema)
	if !errors.Is(err, sqlitedb.ErrCorrupt) {
		t.Fatalf("after an unclean shutdown: err = %v, want ErrCorrupt", err)
	}
	after, _ := os.ReadFile(crashed)
	if string(before) != string(after) {
		t.Fatal("the corrupt file was changed")
	}
	// Refused again: the crash's marker stays until a check passes.
	if _, err := sqlitedb.Open(ctx, crashed, schema); !errors.Is(err, sqlitedb.ErrCorrupt) {
		t.Fatalf("second open: err = %v, want ErrCorrupt", err)
	}
}

// TestFullCheckOnScheduleOnDemandAndAfterAChange.
func TestFullCheckOnScheduleOnDemandAndAfterAChange(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.db")
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	week := sqlitedb.Options{CheckEvery: 168 * time.Hour, Now: clock}
	db := open(t, p, week)
	fill(t, db)
	db.Close()
	now = now.Add(167 * time.Hour)
	if db = open(t, p, week); db.FullCheck != "" {
		t.Fatalf("within the week: %q", db.FullCheck)
	}
	db.Close()
	now = now.Add(time.Hour)
	if db = open(t, p, week); !strings.HasPrefix(db.FullCheck, "last full check over") {
		t.Fatalf("a week on: %q", db.FullCheck)
	}
	db.Close()
	if db = open(t, p, week); db.FullCheck != "" {
		t.Fatalf("just checked: %q", db.FullCheck)
	}
	db.Close()
	if db = open(t, p, sqlitedb.Options{FullCheck: true}); db.FullCheck != "asked for" {
		t.Fatalf("asked for: %q", db.FullCheck)
	}
	db.Close()
	// Written behind tote's back (a copy put in place): checked.
	later := time.Now().Add(time.Minute)
	os.Chtimes(p, later, later)
	if db = open(t, p, week); db.FullCheck != "file changed since the last clean shutdown" {
		t.Fatalf("changed file: %q", db.FullCheck)
	}
	db.Close()
}

// TestAnotherLiveOpenerIsNoCrash: a marker a live handle holds is not
// taken for a crash, and each Close removes only its own.
func TestAnotherLiveOpenerIsNoCrash(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.db")
	a := open(t, p, sqlitedb.Options{})
	b := open(t, p, sqlitedb.Options{})
	if b.FullCheck != "" {
		t.Fatalf("second opener checked: %q", b.FullCheck)
	}
	a.Close()
	if m, _ := filepath.Glob(p + "-open.*"); len(m) != 1 {
		t.Fatalf("markers with b still open: %v", m)
	}
	b.Close()
	if m, _ := filepath.Glob(p + "-open.*"); len(m) != 0 {
		t.Fatalf("markers left: %v", m)
	}
}

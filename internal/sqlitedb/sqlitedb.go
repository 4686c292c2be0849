// Package sqlitedb opens the SQLite files tote keeps its facts in, with the
// settings that make a returned commit durable: WAL with synchronous=FULL,
// one writer connection whose transactions begin IMMEDIATE, a busy timeout,
// and a separate pool of read-only connections.
//
// It also runs a caller's embedded migrations and refuses, without writing a
// byte, a file that is corrupt or was written by a newer tote. Callers own
// their schema; this package knows nothing of stations or hubs.
package sqlitedb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// BusyTimeoutMS is how long a writer waits for another process's lock.
const BusyTimeoutMS = 5000

// DB is one SQLite file with its writer and its readers.
type DB struct {
	Path string
	// W has exactly one connection: all writes are serialised through it.
	W *sql.DB
	// R is for queries that must not wait on the writer.
	R *sql.DB
	// Version is the schema version after migrations.
	Version int
	// FullCheck says why Open ran the full check (quick_check) on the
	// file, "" when it did not (see shutdown.go).
	FullCheck string

	marker *marker
	ck     *checkpointer

	mu    sync.Mutex
	stmts map[stmtKey]*sql.Stmt
}

type stmtKey struct {
	write bool
	query string
}

// ErrNewerSchema means the file was written by a newer tote.
var ErrNewerSchema = errors.New("database is from a newer version of tote")

// ErrCorrupt means the file failed SQLite's checks.
var ErrCorrupt = errors.New("database is corrupt")

// OpenError names the file and says what the operator can do.
type OpenError struct {
	Path string
	Err  error  // ErrNewerSchema, ErrCorrupt or the underlying error
	Hint string // what to do, in words
}

func (e *OpenError) Error() string {
	s := fmt.Sprintf("%s: %v", e.Path, e.Err)
	if e.Hint != "" {
		s += ": " + e.Hint
	}
	return s
}

func (e *OpenError) Unwrap() error { return e.Err }

// Migration is one numbered schema step.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads files named NNNN_name.sql from dir in fsys, in order.
// Numbers must start at 1 and have no gaps.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.Name, i+1)
		}
	}
	return ms, nil
}

// MustLoadMigrations is LoadMigrations for files embedded in the binary:
// they are part of the build, so a bad one is a programming error.
func MustLoadMigrations(fsys fs.FS, dir string) []Migration {
	ms, err := LoadMigrations(fsys, dir)
	if err != nil {
		panic(err)
	}
	return ms
}

func dsn(p string, write bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(BusyTimeoutMS)+")")
	q.Add("_pragma", "foreign_keys(1)")
	if write {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_pragma", "wal_autocheckpoint("+strconv.Itoa(backstopPages)+")")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + p + "?" + q.Encode()
}

// Open opens (creating if absent) the database at p and migrates it to the
// newest of migrations, with the full check only after an unclean shutdown.
func Open(ctx context.Context, p string, migrations []Migration) (*DB, error) {
	return OpenWith(ctx, p, migrations, Options{})
}

// OpenWith is Open with the full check's schedule (Options).
func OpenWith(ctx context.Context, p string, migrations []Migration, o Options) (*DB, error) {
	known := len(migrations)
	var reason string
	var abandoned []string
	if _, err := os.Stat(p); err == nil {
		reason, abandoned = checkReason(p, o)
		if err := probe(ctx, p, known, reason != ""); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, &OpenError{Path: p, Err: err, Hint: "check the path and its permissions"}
	} else {
		reason = "new file" // nothing to check: it counts as checked now
		// Created owner-only: the database holds customers' addresses and
		// PIN hashes. SQLite gives the -wal and -shm files the mode of the
		// database file.
		f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil && !errors.Is(err, os.ErrExist) {
			return nil, &OpenError{Path: p, Err: err, Hint: "check that tote may create files in " + filepath.Dir(p)}
		}
		if f != nil {
			f.Close()
		}
	}
	m, err := placeMarker(p)
	if err != nil {
		return nil, &OpenError{Path: p, Err: err, Hint: "check that tote may create files in " + filepath.Dir(p)}
	}

	w, err := sql.Open("sqlite", dsn(p, true))
	if err != nil {
		m.remove()
		return nil, &OpenError{Path: p, Err: err}
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	db := &DB{Path: p, W: w, marker: m}
	if err := db.migrate(ctx, migrations); err != nil {
		w.Close()
		m.release() // a migration may have begun writing: the next open checks
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(p, false))
	if err != nil {
		w.Close()
		m.remove()
		return nil, &OpenError{Path: p, Err: err}
	}
	r.SetMaxOpenConns(4)
	db.R = r
	if db.ck, err = startCheckpointer(p); err != nil {
		r.Close()
		w.Close()
		m.remove()
		return nil, &OpenError{Path: p, Err: err, Hint: "check that tote may read the files next to " + filepath.Base(p)}
	}
	if reason != "" {
		db.FullCheck = reason
		st, _ := readState(p)
		st.Checked = time.Now()
		if o.Now != nil {
			st.Checked = o.Now()
		}
		writeState(p, st) // lost, it costs one more check
		for _, a := range abandoned {
			os.Remove(a)
		}
	}
	return db, nil
}

// probe checks an existing file read-only before anything may write to it.
// With full it also runs quick_check, which reads every page.
func probe(ctx context.Context, p string, known int, full bool) error {
	c, err := sql.Open("sqlite", "file:"+p+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return &OpenError{Path: p, Err: err}
	}
	defer c.Close()
	var v int
	if err := c.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		if isCorrupt(err) {
			return corrupt(p, err.Error())
		}
		return &OpenError{Path: p, Err: err, Hint: "check that the file is readable and not locked by another program"}
	}
	if v > known {
		return &OpenError{Path: p, Err: fmt.Errorf("%w (schema %d, this tote knows up to %d)", ErrNewerSchema, v, known),
			Hint: "run the newer tote that wrote it; this one has not changed the file"}
	}
	if !full {
		return nil
	}
	var res string
	if err := c.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res); err != nil {
		return corrupt(p, err.Error())
	}
	if res != "ok" {
		return corrupt(p, res)
	}
	return nil
}

func corrupt(p, detail string) error {
	return &OpenError{Path: p, Err: fmt.Errorf("%w (%s)", ErrCorrupt, detail),
		Hint: "the file has not been changed: keep it for recovery, move it aside and start the station again to begin an empty store, then let sync refill it"}
}

func isCorrupt(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_CORRUPT || c == sqlite3.SQLITE_NOTADB
	}
	return false
}

func (db *DB) migrate(ctx context.Context, ms []Migration) error {
	var v int
	if err := db.W.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		if isCorrupt(err) {
			return corrupt(db.Path, err.Error())
		}
		return &OpenError{Path: db.Path, Err: err}
	}
	if v > len(ms) {
		return &OpenError{Path: db.Path, Err: fmt.Errorf("%w (schema %d, this tote knows up to %d)", ErrNewerSchema, v, len(ms))}
	}
	if v == len(ms) {
		db.Version = v
		return nil
	}
	// Foreign keys are off while the schema changes, as SQLite's procedure
	// for rebuilding a table asks: dropping a table others refer to would
	// otherwise delete through the references. The writer has one
	// connection, so the pragma holds for every migration below;
	// foreign_key_check then proves, inside each migration's transaction,
	// that no reference dangles.
	if _, err := db.W.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return &OpenError{Path: db.Path, Err: err}
	}
	for _, m := range ms[v:] {
		err := db.Write(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			if err := foreignKeyCheck(ctx, tx); err != nil {
				return fmt.Errorf("migration %s: %w", m.Name, err)
			}
			// user_version moves in the same transaction as the schema.
			_, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.Version))
			return err
		})
		if err != nil {
			return &OpenError{Path: db.Path, Err: err}
		}
	}
	if _, err := db.W.ExecContext(ctx, "PRAGMA foreign_keys = ON"); err != nil {
		return &OpenError{Path: db.Path, Err: err}
	}
	db.Version = len(ms)
	return nil
}

// foreignKeyCheck fails when a row refers to a row that does not exist.
func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var dangling []string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return err
		}
		if len(dangling) < 5 {
			dangling = append(dangling, fmt.Sprintf("%s row %d refers to a missing %s", table, rowid.Int64, parent))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(dangling) > 0 {
		return fmt.Errorf("references left dangling: %s", strings.Join(dangling, "; "))
	}
	return nil
}

// Prepare prepares queries on the writer (write) or the read pool and keeps
// them: parsing SQL was most of the CPU a scan cost. Writer statements must
// be prepared here, outside any transaction: the writer has one connection,
// and a transaction holds it.
func (db *DB) Prepare(ctx context.Context, write bool, queries ...string) error {
	for _, q := range queries {
		if _, err := db.prepared(ctx, write, q, true); err != nil {
			return fmt.Errorf("preparing %q: %w", q, err)
		}
	}
	return nil
}

// prepared returns the cached statement; with create it prepares a missing
// one (only safe when no transaction holds the pool's connections).
func (db *DB) prepared(ctx context.Context, write bool, query string, create bool) (*sql.Stmt, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	k := stmtKey{write, query}
	if st, ok := db.stmts[k]; ok || !create {
		return st, nil
	}
	pool := db.R
	if write {
		pool = db.W
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if db.stmts == nil {
		db.stmts = map[stmtKey]*sql.Stmt{}
	}
	db.stmts[k] = st
	return st, nil
}

// Exec runs query inside tx, as a prepared statement when Prepare has
// prepared it.
func (db *DB) Exec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st, _ := db.prepared(ctx, true, query, false); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// TxQueryRow runs query inside tx, prepared when Prepare has prepared it.
func (db *DB) TxQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st, _ := db.prepared(ctx, true, query, false); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// shortRead readies a short read of the local file (QueryRow, Query):
// prepared once on the read pool and kept (readers are never held by the
// writer's transaction, so preparing here is safe), begun only while ctx
// is live and then run to its end. On a context that is never done,
// database/sql and the driver start no goroutine to watch the read, where
// they started two per read, each woken again when it ended (a pack bench
// starting an order reads a dozen times). The context it gives is the one
// to run the read on.
func (db *DB) shortRead(ctx context.Context, query string) (context.Context, *sql.Stmt, error) {
	if err := ctx.Err(); err != nil {
		return ctx, nil, err
	}
	ctx = context.WithoutCancel(ctx)
	st, err := db.prepared(ctx, false, query, true)
	return ctx, st, err
}

// QueryRow runs a one-row read on the read pool (shortRead).
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	ctx, st, err := db.shortRead(ctx, query)
	if err != nil {
		return db.R.QueryRowContext(ctx, query, args...) // the error surfaces at Scan
	}
	return st.QueryRowContext(ctx, args...)
}

// Query runs a read of a few rows (an order's lines) on the read pool
// (shortRead). A long read (a report, a replay) that should stop with ctx
// goes to db.R itself.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	ctx, st, err := db.shortRead(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// Write runs fn in one IMMEDIATE transaction on the writer and commits. When
// Write returns nil the transaction is durable.
func (db *DB) Write(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	err = tx.Commit()
	if err == nil && db.ck != nil {
		db.ck.committed()
	}
	return err
}

// IntegrityCheck runs PRAGMA integrity_check and returns nil when it says ok.
func (db *DB) IntegrityCheck(ctx context.Context) error {
	rows, err := db.R.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrCorrupt, strings.Join(problems, "; "))
	}
	return nil
}

// IsCorrupt reports whether err is SQLite finding the file damaged.
func IsCorrupt(err error) bool { return isCorrupt(err) }

// Corrupt is the error for a file found damaged on open, naming it.
func Corrupt(p string, err error) error { return corrupt(p, err.Error()) }

// Close closes readers and the writer; when both closed cleanly it records
// the file as tote left it and removes this open's marker (shutdown.go).
func (db *DB) Close() error {
	var errs []error
	db.mu.Lock()
	for _, st := range db.stmts {
		errs = append(errs, st.Close())
	}
	db.stmts = nil
	db.mu.Unlock()
	if db.ck != nil {
		errs = append(errs, db.ck.stop())
		defer db.ck.shm.Close() // after the writer: see checkpointer.shm
	}
	if db.R != nil {
		errs = append(errs, db.R.Close())
	}
	errs = append(errs, db.W.Close())
	err := errors.Join(errs...)
	if db.marker != nil && err == nil {
		st, _ := readState(db.Path)
		if fi, serr := os.Stat(db.Path); serr == nil {
			st.ClosedSize, st.ClosedMTime = fi.Size(), fi.ModTime().UnixNano()
		}
		if werr := writeState(db.Path, st); werr != nil {
			return werr // the marker stays: the next open checks
		}
		err = db.marker.remove()
		db.marker = nil
	}
	return err
}

// IsFull reports whether err is SQLite saying the disk or database is full.
func IsFull(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_FULL
}

// Package hubstore is the hub's store on SQLite: every station's events
// exactly once (primary key station+seq), each station's high-water mark,
// the central data (reference data, orders, waves, holds, cancellations,
// carrier labels), the fulfilment projection, and the append-only change
// feed stations pull.
//
// It implements the hub.Store port and holds SQL only: every decision
// (outcomes, conflicts, what a station is sent, what an admin action may
// do) is hub.Service's. Open gives the store with the service over it, as
// `tote hub` runs it. hubtest.Run is the suite it passes.
package hubstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/sync/hub"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations are the hub schema's steps, embedded in the binary.
func Migrations() []sqlitedb.Migration {
	return sqlitedb.MustLoadMigrations(migrationFS, "migrations")
}

// Options tune the service Open puts over the store.
type Options struct {
	// Rules judge pushed events; nil: hub.DefaultRules().
	Rules *hub.Rules
	// InApply, when set, runs inside each push transaction after the
	// batch is written and before it commits. Fault tests use it to kill
	// the hub in the middle of an apply; nothing else should.
	InApply func(station string, mark int64)
}

// Store is the hub's SQLite database with the hub's service over it:
// what `tote hub` runs.
type Store struct {
	*hub.Service
	*SQLite
}

// SQLite is the hub.Store port on SQLite, with no service over it.
type SQLite struct {
	db    *sqlitedb.DB
	hubID string
	// stmts are the writer's statements, prepared once: writeStatements
	// at open, any other the first time a write transaction runs it
	// (prepared.go). Parsing SQL at each call was a tenth of a push.
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
	// group gathers the write transactions waiting for the writer;
	// commits counts the transactions it committed (Commits).
	group   writeGroup
	commits atomic.Int64
}

var (
	_ hub.Store = (*SQLite)(nil)
	_ hub.API   = (*Store)(nil)
)

// Open opens or creates the hub database at path, with the service over it.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	s, err := OpenStore(ctx, path)
	if err != nil {
		return nil, err
	}
	return &Store{Service: hub.New(s, hub.ServiceOptions{Rules: opts.Rules, InApply: opts.InApply}), SQLite: s}, nil
}

// OpenStore opens or creates the hub database at path as the bare port
// (the conformance suite puts its own service over it).
func OpenStore(ctx context.Context, path string) (*SQLite, error) {
	db, err := sqlitedb.Open(ctx, path, Migrations())
	if err != nil {
		return nil, err
	}
	// The writer keeps its sub-journal in memory: each push of a group
	// commit runs in a savepoint (group.go), and past 64 KiB SQLite wrote
	// every page a push first touched to a temporary file, a write call
	// each, until the commit. The sub-journal only undoes a savepoint
	// within the transaction; the WAL and its fsync at commit are as
	// before. Set after the migrations, so an index they build on a large
	// table still sorts on disk.
	if _, err := db.W.ExecContext(ctx, "PRAGMA temp_store = MEMORY"); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := &SQLite{db: db, stmts: map[string]*sql.Stmt{}}
	for _, q := range writeStatements {
		st, err := db.W.PrepareContext(ctx, q)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		s.stmts[q] = st
	}
	err = db.W.QueryRowContext(ctx, `SELECT value FROM hub_meta WHERE key='hub_id'`).Scan(&s.hubID)
	if errors.Is(err, sql.ErrNoRows) {
		var b [8]byte
		_, _ = rand.Read(b[:])
		s.hubID = hex.EncodeToString(b[:])
		err = db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO hub_meta(key, value) VALUES ('hub_id', ?)`, s.hubID)
			return err
		})
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *SQLite) Close() error {
	s.mu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.mu.Unlock()
	return s.db.Close()
}

// Commits is how many write transactions this store has run: with
// pushes committing together, fewer than its Tx calls.
func (s *SQLite) Commits() int64 { return s.commits.Load() }

// DB gives tests, benchmarks and tools the underlying database.
func (s *SQLite) DB() *sqlitedb.DB { return s.db }

// HubID identifies this hub database in pull cursors.
func (s *SQLite) HubID() string { return s.hubID }

// Tx runs fn in a transaction on the single writer: Tx transactions run
// one at a time, and the feed's sequences commit in order. Calls that
// meet the writer busy commit together (group.go); each returns once
// the commit holding its work is durable.
func (s *SQLite) Tx(ctx context.Context, fn func(hub.StoreTx) error) error {
	return s.group.run(ctx, s, fn)
}

// Read runs fn in a read-only transaction on the read pool: one WAL
// snapshot.
func (s *SQLite) Read(ctx context.Context, fn func(hub.StoreTx) error) error {
	tx, err := s.db.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(&storeTx{ctx: ctx, s: s, tx: tx})
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

func stampPtr(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := parseStamp(s)
	return &t
}

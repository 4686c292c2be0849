// Package pgstore is the hub's store on PostgreSQL, through pgx: the
// hub.Store port in SQL, no decisions (hub.Service holds every rule), with
// the same tables as hubstore's SQLite schema. Several `tote hub`
// processes may serve one database: everything that matters is in the
// database, and nothing in a process's memory.
//
// Migrations are embedded and run at Open under a session advisory lock,
// so hubs that start together migrate once, one after the other. Each is
// the PostgreSQL dialect of hubstore's migration of the same number: a new
// hub migration comes in both (TEXT COLLATE "C" for keys and anything
// listed in order, BIGINT for sequences and counts, BOOLEAN for flags,
// BIGSERIAL for a store-given id, ON CONFLICT for INSERT OR REPLACE), and
// a new StoreTx method in both stores, queued with run when it only
// writes.
//
// Transactions. Tx runs fn SERIALIZABLE and runs it again, from the
// start, when PostgreSQL reports a serialization failure (40001) or a
// deadlock (40P01): Tx transactions then behave as if run one at a time,
// as the port promises. A transaction run again first takes the rerun
// lock (an advisory lock on its connection, from before its BEGIN to
// after its end), so the ones that failed run again one at a time
// instead of failing each other again: when 50 stations' first pushes
// all add new keys (totes, tallies, aggregates) to index pages the
// others read, they ran about three times each. Read runs fn on one
// REPEATABLE READ, read-only snapshot. A write transaction's plain
// writes are queued and sent in one round trip with its next read (a
// pipeline) or with its commit, so fn still sees its own writes at the
// cost of no extra round trip; its BEGIN goes with its first statements
// and its COMMIT with its last (tx.go), the rows a push writes per event as one INSERT per table
// (bulk.go), and what it read of an order, a wave, its station and the
// settings is kept for the transaction (cache.go).
//
// The feed-ordering invariant. On PostgreSQL a sequence alone does not
// make a feed safe to page through: a transaction that took seq 11 can
// commit, and be seen, before the one that took 10, and a station whose
// cursor then stood at 11 would never be sent 10. So a feed sequence is
// taken only under the publish lock, a transaction-level advisory lock
// (pg_advisory_xact_lock) that the appending transaction holds until it
// ends. PostgreSQL makes a committed transaction visible before it
// releases its locks, so the next appender can take its sequences only
// after every lower sequence is committed and visible (or rolled back,
// leaving a gap nothing will fill). Commit order is sequence order: any
// snapshot that sees a change sees every change below it, and FeedSafe
// is simply the highest sequence the snapshot sees. The supervisor's
// aggregates take their versions under the same lock, with the same
// promise (aggregates.go).
//
// Pushes append to the feed too (the totes and cartons they move) and
// keep the aggregates, so every push takes the publish lock. It is taken
// last: the writes that need it (the tail) are queued, sent with the
// transaction's last writes and followed at once by the commit, so the
// lock is held for one round trip and the commit's flush, not while the
// push reads and judges. Conflicts, which an office pages through by id
// (Conflicts after an id), get their ids the same way under a lock of
// their own: only the rare push that records a conflict takes it.
package pgstore

import (
	"context"
	crand "crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/totewms/tote/sync/hub"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one step of the schema.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations are the schema's steps, in order.
func Migrations() []Migration {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		panic(err)
	}
	var ms []Migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			panic("pgstore: migration " + e.Name() + ": name must start with a number and '_'")
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			panic(err)
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			panic(fmt.Sprintf("pgstore: migration %s: expected number %d", m.Name, i+1))
		}
	}
	return ms
}

// Advisory lock keys (pg_advisory_lock's one bigint space, shared with
// anything else in the database: these are "tote" and two small numbers).
const (
	migrateLock  int64 = 0x746f7465_00000001
	feedLock     int64 = 0x746f7465_00000002
	conflictLock int64 = 0x746f7465_00000003
	rerunLock    int64 = 0x746f7465_00000004
)

// Options tune the service Open puts over the store.
type Options struct {
	// Rules judge pushed events; nil: hub.DefaultRules().
	Rules *hub.Rules
	// InApply, when set, runs inside each push transaction after the
	// batch is written and before it commits (fault tests only).
	InApply func(station string, mark int64)
	// MaxConns caps the pool (0: pgx's default, the larger of 4 and
	// the number of CPUs).
	MaxConns int32
}

// Store is the hub's PostgreSQL database with the hub's service over it:
// what `tote hub --postgres` runs.
type Store struct {
	*hub.Service
	*Postgres
}

// Postgres is the hub.Store port on PostgreSQL, with no service over it.
type Postgres struct {
	pool  *pgxpool.Pool
	hubID string
	where string
	// retries counts transactions run again after a serialization
	// failure (for the benchmarks' report).
	retries atomic.Int64
}

var (
	_ hub.Store = (*Postgres)(nil)
	_ hub.API   = (*Store)(nil)
)

// Open connects to the database at dsn (a PostgreSQL connection string
// or URL), migrates it, and puts the service over it.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	p, err := OpenStore(ctx, dsn, opts.MaxConns)
	if err != nil {
		return nil, err
	}
	return &Store{Service: hub.New(p, hub.ServiceOptions{Rules: opts.Rules, InApply: opts.InApply}), Postgres: p}, nil
}

// OpenStore connects and migrates, giving the bare port (the conformance
// suite puts its own service over it). maxConns 0 is pgx's default.
func OpenStore(ctx context.Context, dsn string, maxConns int32) (*Postgres, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("the PostgreSQL connection string does not read: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	// Under SERIALIZABLE a sequential scan locks the whole table for
	// conflict detection, so two stations' pushes (each reading and
	// writing only its own rows of small tables like stations and
	// line_progress) would fail each other; index scans lock only the
	// rows and index pages read. The hub's queries all have an index.
	cfg.ConnConfig.RuntimeParams["enable_seqscan"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres %s: %w", where(cfg), err)
	}
	p := &Postgres{pool: pool, where: where(cfg)}
	if err := p.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres %s: %w", where(cfg), err)
	}
	return p, nil
}

// where names the database for messages, without its password.
func where(cfg *pgxpool.Config) string {
	return fmt.Sprintf("database %s on %s:%d", cfg.ConnConfig.Database, cfg.ConnConfig.Host, cfg.ConnConfig.Port)
}

// migrate brings the schema to the newest version and reads the hub's id
// (making it on a new database), all under the migration lock.
func (p *Postgres) migrate(ctx context.Context) error {
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLock); err != nil {
		return err
	}
	defer func() {
		// A lost connection drops the lock with it.
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLock)
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		return err
	}
	var version int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return err
	}
	ms := Migrations()
	if version > len(ms) {
		return fmt.Errorf("the hub database is at schema version %d, newer than this tote knows (%d): run the newer tote, or restore a backup made for this one", version, len(ms))
	}
	for _, m := range ms[version:] {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations(version, name) VALUES ($1, $2)`, m.Version, m.Name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.Name, err)
		}
	}
	var b [8]byte
	_, _ = crand.Read(b[:])
	if _, err := conn.Exec(ctx, `INSERT INTO hub_meta(key, value) VALUES ('hub_id', $1) ON CONFLICT (key) DO NOTHING`, hex.EncodeToString(b[:])); err != nil {
		return err
	}
	return conn.QueryRow(ctx, `SELECT value FROM hub_meta WHERE key='hub_id'`).Scan(&p.hubID)
}

// Close closes the pool.
func (p *Postgres) Close() error {
	p.pool.Close()
	return nil
}

// Where names the database and its server, without the password.
func (p *Postgres) Where() string { return p.where }

// Pool gives tests, benchmarks and tools the connection pool.
func (p *Postgres) Pool() *pgxpool.Pool { return p.pool }

// HubID identifies this hub database in pull cursors: made once, kept in
// hub_meta, the same for every hub process on the database.
func (p *Postgres) HubID() string { return p.hubID }

// Retries is how many times a transaction was run again after a
// serialization failure or deadlock since Open.
func (p *Postgres) Retries() int64 { return p.retries.Load() }

// maxAttempts bounds the reruns of one Tx: past it the failure is
// returned (a hub that cannot get a transaction through is unwell).
// maxUniqueAttempts bounds those after a unique violation, which two
// transactions racing to insert one key can meet instead of a
// serialization failure (two hubs registering stations at once, say):
// run again, fn sees the other's row and decides on it; a key that is
// simply taken fails the same way each time.
const (
	maxAttempts       = 100
	maxUniqueAttempts = 3
)

// Tx runs fn in one SERIALIZABLE transaction, again from the start after
// a serialization failure or deadlock, then under the rerun lock (see
// the package doc). The lock is taken before BEGIN, so a rerun waiting
// for it holds nothing (no snapshot either: once it has the lock, it
// reads what the rerun before it wrote), and one holding it waits only
// for what first attempts hold, which never wait for it: no deadlock.
func (p *Postgres) Tx(ctx context.Context, fn func(hub.StoreTx) error) error {
	uniques := 0
	for attempt := 1; ; attempt++ {
		err := p.tx(ctx, fn, uniques > 0, attempt > 1)
		if isUnique(err) && uniques < maxUniqueAttempts-1 {
			uniques++ // and claim event ids carefully (eventids.go)
		} else if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		p.retries.Add(1)
		// A short random pause lets the transaction that won finish.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(rand.N(attempt*200)+50) * time.Microsecond):
		}
	}
}

func (p *Postgres) tx(ctx context.Context, fn func(hub.StoreTx) error, careful, rerun bool) error {
	conn, err := p.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if rerun {
		// A session lock, taken outside the transaction: an advisory lock
		// taken inside it would come after the snapshot its statement
		// takes, so the rerun would read from before the wait.
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, rerunLock); err != nil {
			return err
		}
		defer func() {
			if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, rerunLock); err != nil {
				// A closed connection is not put back in the pool, and
				// its session's locks end with it.
				_ = conn.Conn().Close(context.WithoutCancel(ctx))
			}
		}()
	}
	// The BEGIN goes with the first statements and the COMMIT with the
	// last (tx.go): two round trips fewer than pgx.Tx's own.
	t := &storeTx{ctx: ctx, tx: conn, write: true, begin: true, careful: careful}
	if err = fn(t); err == nil {
		err = t.commit()
	}
	if err != nil && conn.Conn().PgConn().TxStatus() != 'I' {
		// Begun, failed or not committed: end it, so the connection goes
		// back to the pool clean (else the pool closes it).
		_, _ = conn.Exec(context.WithoutCancel(ctx), `ROLLBACK`)
	}
	return err
}

// retryable: PostgreSQL could not serialize the transaction; running it
// again is the documented answer.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Read runs fn on one read-only snapshot.
func (p *Postgres) Read(ctx context.Context, fn func(hub.StoreTx) error) error {
	tx, err := p.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := fn(&storeTx{ctx: ctx, tx: tx}); err != nil {
		return err
	}
	return tx.Commit(ctx)
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

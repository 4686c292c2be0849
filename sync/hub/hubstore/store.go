// Package hubstore is the hub's store on SQLite: every station's events
// exactly once (primary key station+seq), each station's high-water mark
// moved in the same transaction as the events up to it, the central data
// (reference data, orders, waves, holds, cancellations, carrier labels),
// the fulfilment projection, and the append-only change feed stations pull.
//
// It implements hub.Store; a PostgreSQL store would implement the same
// interface with the same transactions. It never decides an outcome
// itself: hub.Rules do.
package hubstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations are the hub schema's steps, embedded in the binary.
func Migrations() []sqlitedb.Migration {
	return sqlitedb.MustLoadMigrations(migrationFS, "migrations")
}

// Options tune a Store.
type Options struct {
	// Rules judge pushed events; nil: hub.DefaultRules().
	Rules *hub.Rules
	// InApply, when set, runs inside each push transaction after the
	// batch is written and before it commits. Fault tests use it to kill
	// the hub in the middle of an apply; nothing else should.
	InApply func(station string, mark int64)
}

// Store is the hub's SQLite database.
type Store struct {
	db      *sqlitedb.DB
	rules   *hub.Rules
	hubID   string
	inApply func(string, int64)
}

var _ hub.Store = (*Store)(nil)

// Open opens or creates the hub database at path.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	db, err := sqlitedb.Open(ctx, path, Migrations())
	if err != nil {
		return nil, err
	}
	if opts.Rules == nil {
		opts.Rules = hub.DefaultRules()
	}
	s := &Store{db: db, rules: opts.Rules, inApply: opts.InApply}
	if err := db.Prepare(ctx, true, writeStatements...); err != nil {
		db.Close()
		return nil, err
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
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB gives tests, benchmarks and tools the underlying database.
func (s *Store) DB() *sqlitedb.DB { return s.db }

// HubID identifies this hub database in pull cursors.
func (s *Store) HubID() string { return s.hubID }

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

// Authenticate finds the principal of a token hash.
func (s *Store) Authenticate(ctx context.Context, tokenHash string) (hub.Principal, error) {
	var p hub.Principal
	err := s.db.QueryRow(ctx, `SELECT kind, station FROM tokens WHERE hash=?`, tokenHash).Scan(&p.Kind, &p.Station)
	if errors.Is(err, sql.ErrNoRows) {
		return p, protocol.Errorf(protocol.CodeUnauth, "the hub does not know this token: check the token file, or ask for a new token")
	}
	return p, err
}

// RegisterStation adds a station with its first token.
func (s *Store) RegisterStation(ctx context.Context, id, name, tokenHash string, at time.Time) error {
	if err := protocol.CheckStationID(id); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stations WHERE id=?`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return protocol.Errorf(protocol.CodeConflict, "station %s is registered already; to give it a new token, ask for a token of kind station", id)
		}
		// The next station number, never reused: it keeps this station's
		// SSCCs and tracking numbers apart from every other's.
		var number int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM stations`).Scan(&number); err != nil {
			return err
		}
		if number > protocol.MaxStationNumber {
			return protocol.Errorf(protocol.CodeConflict, "this hub has given out all %d station numbers; station %s was not registered", protocol.MaxStationNumber, id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stations(id, name, registered_at, number) VALUES (?,?,?,?)`, id, name, stamp(at), number); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO tokens(hash, kind, station, created_at) VALUES (?,?,?,?)`, tokenHash, hub.TokenStation, id, stamp(at))
		return err
	})
}

// AddToken adds a token. A station token needs a registered station.
func (s *Store) AddToken(ctx context.Context, kind, station, tokenHash string, at time.Time) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		if kind == hub.TokenStation {
			if err := stationExists(ctx, tx, station); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO tokens(hash, kind, station, created_at) VALUES (?,?,?,?)`, tokenHash, kind, station, stamp(at))
		return err
	})
}

func stationExists(ctx context.Context, tx *sql.Tx, station string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stations WHERE id=?`, station).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return protocol.Errorf(protocol.CodeNotFound, "station %s is not registered at this hub", station)
	}
	return nil
}

// Stations lists the registered stations.
func (s *Store) Stations(ctx context.Context) ([]protocol.StationInfo, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name, COALESCE(number, 0), mark, epoch, registered_at, last_push_at, last_pull_at FROM stations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []protocol.StationInfo
	for rows.Next() {
		var si protocol.StationInfo
		var reg, push, pull string
		if err := rows.Scan(&si.ID, &si.Name, &si.Number, &si.Mark, &si.Epoch, &reg, &push, &pull); err != nil {
			return nil, err
		}
		si.RegisteredAt, si.LastPush, si.LastPull = parseStamp(reg), stampPtr(push), stampPtr(pull)
		out = append(out, si)
	}
	return out, rows.Err()
}

// Hello is what the hub knows of station for the station itself: its name
// and its number. It writes nothing.
func (s *Store) Hello(ctx context.Context, station string) (protocol.Hello, error) {
	h := protocol.Hello{Station: station, Version: protocol.Version}
	err := s.db.R.QueryRowContext(ctx, `SELECT name, COALESCE(number, 0) FROM stations WHERE id=?`, station).Scan(&h.Name, &h.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return h, protocol.Errorf(protocol.CodeNotFound, "station %s is not registered at this hub", station)
	}
	return h, err
}

// ResetStation bumps the station's epoch: its next pull starts again from
// the beginning of its slice.
func (s *Store) ResetStation(ctx context.Context, station string) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stations SET epoch=epoch+1 WHERE id=?`, station)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return protocol.Errorf(protocol.CodeNotFound, "station %s is not registered at this hub", station)
		}
		return nil
	})
}

// HasToken reports whether any token of kind exists, so `tote hub` can
// make the first admin token on a new database.
func (s *Store) HasToken(ctx context.Context, kind string) (bool, error) {
	var n int
	err := s.db.R.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tokens WHERE kind=?)`, kind).Scan(&n)
	return n == 1, err
}

// StationRegistered reports whether a station is registered.
func (s *Store) StationRegistered(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.db.R.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM stations WHERE id=?)`, id).Scan(&n)
	return n == 1, err
}

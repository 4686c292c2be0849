package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
)

// CounterSSCC numbers the serial references of SSCCs this station issues.
const CounterSSCC = "sscc"

const qNextCounter = `INSERT INTO counters(name, value) VALUES (?, 1)
	ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`

// nextInTx takes the next value (1, 2, 3, …) of a counter inside tx: the
// number is used exactly when the transaction that records its use commits.
func (s *Store) nextInTx(ctx context.Context, tx *sql.Tx, name string) (uint64, error) {
	var v uint64
	err := s.db.TxQueryRow(ctx, tx, qNextCounter, name).Scan(&v)
	return v, err
}

// Next takes the next value of a counter in a transaction of its own.
func (s *Store) Next(ctx context.Context, name string) (uint64, error) {
	var v uint64
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		v, err = s.nextInTx(ctx, tx, name)
		return err
	})
	return v, err
}

// stationNumberTx is the number the hub gave this station at registration
// (learnt at a pull, see Pulled), 0 when it has none yet. It leads the
// serial reference of every SSCC and tracking number the station issues,
// so no two stations of one hub issue the same one (docs/labels.md).
func (s *Store) stationNumberTx(ctx context.Context, tx *sql.Tx) (int, error) {
	var v string
	err := tx.QueryRowContext(ctx, `SELECT value FROM station_meta WHERE key='station_number'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(v)
}

// StationNumber reads the station's number outside a transaction.
func (s *Store) StationNumber(ctx context.Context) (int, error) {
	var v string
	err := s.db.QueryRow(ctx, `SELECT value FROM station_meta WHERE key='station_number'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(v)
}

// SetStationNumber stores the station's number as a pull from the hub
// does; for tests and for tools that set a station up.
func (s *Store) SetStationNumber(ctx context.Context, n int) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error { return setStationNumberTx(ctx, tx, n) })
}

func setStationNumberTx(ctx context.Context, tx *sql.Tx, n int) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO station_meta(key, value) VALUES ('station_number', ?)
		ON CONFLICT(key) DO UPDATE SET value=excluded.value`, strconv.Itoa(n))
	return err
}

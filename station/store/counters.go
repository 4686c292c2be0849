package store

import (
	"context"
	"database/sql"
)

// CounterSSCC numbers the serial references of SSCCs this station issues.
const CounterSSCC = "sscc"

const qNextCounter = `INSERT INTO counters(name, value) VALUES (?, 1)
	ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`

// NextInTx takes the next value (1, 2, 3, …) of a counter inside tx: the
// number is used exactly when the transaction that records its use commits.
func (s *Store) NextInTx(ctx context.Context, tx *sql.Tx, name string) (uint64, error) {
	var v uint64
	err := s.db.TxQueryRow(ctx, tx, qNextCounter, name).Scan(&v)
	return v, err
}

// Next takes the next value of a counter in a transaction of its own.
func (s *Store) Next(ctx context.Context, name string) (uint64, error) {
	var v uint64
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		var err error
		v, err = s.NextInTx(ctx, tx, name)
		return err
	})
	return v, err
}

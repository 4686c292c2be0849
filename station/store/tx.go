package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Tx is one commit in progress (CommitWith, CommitAtStanding): the steps
// a bench takes inside it to complete its facts — a counter's next value,
// the station's number, a print job queued, a label copied. It never
// appends journal rows (the commit does) and is only valid inside build.
type Tx struct {
	ctx context.Context
	s   *Store
	tx  *sql.Tx
}

// Next takes the next value (1, 2, 3, …) of a counter (CounterSSCC,
// CounterTracking): it is used exactly when the commit is.
func (t *Tx) Next(counter string) (uint64, error) { return t.s.nextInTx(t.ctx, t.tx, counter) }

// StationNumber is the number the hub gave this station, 0 before it
// registered.
func (t *Tx) StationNumber() (int, error) { return t.s.stationNumberTx(t.ctx, t.tx) }

// Enqueue queues a print job with the commit, so a label exists exactly
// when the fact that asked for it does.
func (t *Tx) Enqueue(now time.Time, j NewPrintJob) (int64, error) {
	return enqueueTx(t.ctx, t.tx, now, j)
}

// CartonJob is a carton's label job, for a reprint; a carton without one
// is Refused.
func (t *Tx) CartonJob(shipment string, carton int) (int64, error) {
	return cartonJobTx(t.ctx, t.tx, shipment, carton)
}

// Reprint queues a copy of job for printer ("" for the original's): a
// label not printed yet (ErrNotPrinted) or cancelled is Refused. It
// returns the original and the copy's id.
func (t *Tx) Reprint(now time.Time, job int64, printer string) (PrintJob, int64, error) {
	return reprintTx(t.ctx, t.tx, now, job, printer)
}

// ErrRefused is what every refusal of the store is (errors.Is): a reason
// in the floor's words not to do what was asked, which a bench records as
// a rejected scan. Any other error from the store is the store failing
// (the disk, I/O, a corrupt file): nothing was recorded, and the operator
// must be told NOT SAVED — never that the scan was rejected.
var ErrRefused = errors.New("refused")

// Refused is a refusal (see ErrRefused), in words an operator reads.
type Refused struct{ Why string }

func (r *Refused) Error() string        { return r.Why }
func (r *Refused) Is(target error) bool { return target == ErrRefused }

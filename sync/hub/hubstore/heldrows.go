package hubstore

import (
	"strings"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// A push's events, their order-story rows and its picks' tote units are
// written as multi-row INSERTs: one statement for many rows instead of
// one per row, which was most of what a push cost while it held the
// writer. The rows wait in the transaction until a read of their table
// needs them, or the transaction ends (SQLite.Tx sends them before the
// commit). A row a constraint refuses fails the transaction as before,
// only later in it.

// heldRowsMax is the most rows one statement inserts; rows go in pieces
// of powers of two, so the writer keeps few statements per table.
const heldRowsMax = 64

// heldInsert is one table's rows not sent yet, as the statement's
// arguments, width to a row.
type heldInsert struct {
	head, row string
	tail      string // after the rows (an upsert's ON CONFLICT)
	width     int
	args      []any
}

func (h *heldInsert) count() int { return len(h.args) / h.width }

// query is the INSERT of n rows.
func (h *heldInsert) query(n int) string {
	return h.head + h.row + strings.Repeat(","+h.row, n-1) + h.tail
}

// piece is the largest power of two at most n and heldRowsMax.
func piece(n int) int {
	p := 1
	for p*2 <= n && p*2 <= heldRowsMax {
		p *= 2
	}
	return p
}

// send inserts the held rows.
func (h *heldInsert) send(t *storeTx) error {
	args := h.args
	h.args = h.args[:0]
	for len(args) > 0 {
		n := piece(len(args) / h.width)
		if err := t.run(h.query(n), args[:n*h.width]...); err != nil {
			return err
		}
		args = args[n*h.width:]
	}
	return nil
}

// heldRows are a write transaction's rows not sent yet.
type heldRows struct {
	events, story, units heldInsert
	// received is the last receipt time stamped, with its text: a push's
	// events share one.
	received     time.Time
	receivedText string
}

// rows are t's held rows, made at the first.
func (t *storeTx) rows() *heldRows {
	if t.held != nil {
		return t.held
	}
	t.held = &heldRows{
		events: heldInsert{head: `INSERT INTO events(station, seq, event_id, operator, device_time, received_at, type, payload, outcome, reason) VALUES `,
			row: `(?,?,?,?,?,?,?,?,?,?)`, width: 10},
		story: heldInsert{head: `INSERT OR IGNORE INTO order_events(order_id, station, seq) VALUES `, row: `(?,?,?)`, width: 3},
		units: heldInsert{head: `INSERT OR IGNORE INTO tote_units(station, seq, tote, fill, order_id, task, line_no, sku, qty, lot, serial, expiry, location, operator) VALUES `,
			row: `(?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, width: 14},
	}
	return t.held
}

// hold adds a row to h, sending h's rows when they fill a statement.
func (t *storeTx) hold(h *heldInsert, args ...any) error {
	h.args = append(h.args, args...)
	if h.count() >= heldRowsMax || !t.write { // a read transaction refuses it now
		return h.send(t)
	}
	return nil
}

// sendHeld writes every row held back.
func (t *storeTx) sendHeld() error {
	if t.held == nil {
		return nil
	}
	for _, h := range []*heldInsert{&t.held.events, &t.held.story, &t.held.units} {
		if err := h.send(t); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) InsertEvent(e protocol.StoredEvent) error {
	h := t.rows()
	if !e.ReceivedAt.Equal(h.received) || h.receivedText == "" {
		h.received, h.receivedText = e.ReceivedAt, stamp(e.ReceivedAt)
	}
	return t.hold(&h.events, e.Station, e.Seq, e.ID, e.Operator, stamp(e.DeviceTime), h.receivedText, e.Type, string(e.Payload), e.Status, e.Reason)
}

func (t *storeTx) IndexOrderEvent(order, station string, seq int64) error {
	return t.hold(&t.rows().story, order, station, seq)
}

func (t *storeTx) InsertToteUnit(u hub.ToteUnitRecord) error {
	return t.hold(&t.rows().units, u.Station, u.Seq, u.Tote, u.Fill, u.Order, u.Task, u.Line, u.SKU, u.Qty, u.Lot, u.Serial, u.Expiry, u.Location, u.Operator)
}

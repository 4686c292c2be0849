package pgstore

import (
	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// A push writes a row or two per event into events, order_events and
// tote_units. One INSERT per row cost PostgreSQL more than the rest of the
// push together (a 200-event push queued about 300 of them), so these
// rows are gathered, column by column, and written as one INSERT ... SELECT
// FROM unnest(...) per table. It is an ordinary statement, so it goes in
// the pipeline with the next read or the commit (COPY would need a round
// trip of its own) and keeps ON CONFLICT.
//
// The gathered rows are queued (spill) before any other write and before
// any read, so every statement still sees the rows written before it, as
// with one INSERT each. The three tables have no foreign keys between
// them or to anything a push writes, so their rows may go in any order
// among themselves.

type bulkRows struct {
	// claims are event ids to claim in event_ids (eventids.go).
	claims      []string
	events      eventCols
	orderEvents orderEventCols
	toteUnits   toteUnitCols
}

type eventCols struct {
	station, id, operator, deviceTime, receivedAt, typ, payload, outcome, reason []string
	seq                                                                          []int64
}

type orderEventCols struct {
	order, station []string
	seq            []int64
}

type toteUnitCols struct {
	station, tote, order, sku, lot, serial, expiry, location, operator []string
	seq, fill, task                                                    []int64
	line, qty                                                          []int32
}

const (
	qBulkEvents = `INSERT INTO events(station, seq, event_id, operator, device_time, received_at, type, payload, outcome, reason)
		SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`
	qBulkOrderEvents = `INSERT INTO order_events(order_id, station, seq)
		SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT DO NOTHING`
	qBulkToteUnits = `INSERT INTO tote_units(station, seq, tote, fill, order_id, task, line_no, sku, qty, lot, serial, expiry, location, operator)
		SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::int[], $8::text[], $9::int[],
		$10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) ON CONFLICT DO NOTHING`
)

func (t *storeTx) InsertEvent(e protocol.StoredEvent) error {
	if !t.claimed[e.ID] {
		t.claim(e.ID)
		t.bulk.claims = append(t.bulk.claims, e.ID)
	}
	c := &t.bulk.events
	c.station = append(c.station, e.Station)
	c.seq = append(c.seq, e.Seq)
	c.id = append(c.id, e.ID)
	c.operator = append(c.operator, e.Operator)
	c.deviceTime = append(c.deviceTime, stamp(e.DeviceTime))
	c.receivedAt = append(c.receivedAt, stamp(e.ReceivedAt))
	c.typ = append(c.typ, e.Type)
	c.payload = append(c.payload, string(e.Payload))
	c.outcome = append(c.outcome, e.Status)
	c.reason = append(c.reason, e.Reason)
	return t.bulkFull(len(c.seq))
}

func (t *storeTx) IndexOrderEvent(order, station string, seq int64) error {
	c := &t.bulk.orderEvents
	c.order = append(c.order, order)
	c.station = append(c.station, station)
	c.seq = append(c.seq, seq)
	return t.bulkFull(len(c.seq))
}

func (t *storeTx) InsertToteUnit(u hub.ToteUnitRecord) error {
	c := &t.bulk.toteUnits
	c.station = append(c.station, u.Station)
	c.seq = append(c.seq, u.Seq)
	c.tote = append(c.tote, u.Tote)
	c.fill = append(c.fill, u.Fill)
	c.order = append(c.order, u.Order)
	c.task = append(c.task, u.Task)
	c.line = append(c.line, int32(u.Line))
	c.sku = append(c.sku, u.SKU)
	c.qty = append(c.qty, int32(u.Qty))
	c.lot = append(c.lot, u.Lot)
	c.serial = append(c.serial, u.Serial)
	c.expiry = append(c.expiry, u.Expiry)
	c.location = append(c.location, u.Location)
	c.operator = append(c.operator, u.Operator)
	return t.bulkFull(len(c.seq))
}

// bulkMax sends a long run of gathered rows before it grows without bound
// (an import of a large backlog).
const bulkMax = 4096

func (t *storeTx) bulkFull(n int) error {
	if n < bulkMax {
		return nil
	}
	t.spill()
	return t.flush()
}

// spill queues the gathered rows, one INSERT per table, and empties them.
func (t *storeTx) spill() {
	b := &t.bulk
	if len(b.claims)+len(b.events.seq)+len(b.orderEvents.seq)+len(b.toteUnits.seq) == 0 {
		return
	}
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	if len(b.claims) > 0 {
		t.batch.Queue(qClaimIDs, b.claims)
	}
	if c := b.events; len(c.seq) > 0 {
		t.batch.Queue(qBulkEvents, c.station, c.seq, c.id, c.operator, c.deviceTime, c.receivedAt, c.typ, c.payload, c.outcome, c.reason)
	}
	if c := b.orderEvents; len(c.seq) > 0 {
		t.batch.Queue(qBulkOrderEvents, c.order, c.station, c.seq)
	}
	if c := b.toteUnits; len(c.seq) > 0 {
		t.batch.Queue(qBulkToteUnits, c.station, c.seq, c.tote, c.fill, c.order, c.task, c.line, c.sku, c.qty,
			c.lot, c.serial, c.expiry, c.location, c.operator)
	}
	*b = bulkRows{}
}

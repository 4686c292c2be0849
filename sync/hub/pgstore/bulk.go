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
//
// The arrays are unnested in the select list, not in FROM: in FROM,
// PostgreSQL first copies each array's elements into a tuplestore of
// its own, which cost about a fifth of the events' INSERT. Arrays of
// one length unnest in step, row by row, the same rows.
//
// order_events and tote_units take plain INSERTs, without ON CONFLICT
// (whose speculative insertion cost about half as much again): their
// key is an event's (station, seq), written once by the transaction
// that writes the event, whose own primary key (station, seq) refuses
// it a second time, and events are never deleted.

type bulkRows struct {
	// claimNew and claimHeld are event ids to claim in event_ids, as
	// new or as maybe held (eventids.go).
	claimNew, claimHeld claims
	events              eventCols
	orderEvents         orderEventCols
	toteUnits           toteUnitCols
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
		SELECT unnest($1::text[]), unnest($2::bigint[]), unnest($3::text[]), unnest($4::text[]), unnest($5::text[]),
		unnest($6::text[]), unnest($7::text[]), unnest($8::text[]), unnest($9::text[]), unnest($10::text[])`
	qBulkOrderEvents = `INSERT INTO order_events(order_id, station, seq)
		SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::bigint[])`
	qBulkToteUnits = `INSERT INTO tote_units(station, seq, tote, fill, order_id, task, line_no, sku, qty, lot, serial, expiry, location, operator)
		SELECT unnest($1::text[]), unnest($2::bigint[]), unnest($3::text[]), unnest($4::bigint[]), unnest($5::text[]), unnest($6::bigint[]),
		unnest($7::int[]), unnest($8::text[]), unnest($9::int[]), unnest($10::text[]), unnest($11::text[]), unnest($12::text[]),
		unnest($13::text[]), unnest($14::text[])`
)

func (t *storeTx) InsertEvent(e protocol.StoredEvent) error {
	if err := t.claimFor(e.ID, e.Station, e.Seq); err != nil {
		return err
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
	if len(b.claimNew.id)+len(b.claimHeld.id)+len(b.events.seq)+len(b.orderEvents.seq)+len(b.toteUnits.seq) == 0 {
		return
	}
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	if c := b.claimNew; len(c.id) > 0 {
		t.batch.Queue(qClaimNew, c.id, c.station, c.seq)
	}
	if c := b.claimHeld; len(c.id) > 0 {
		t.batch.Queue(qClaimIDs, c.id, c.station, c.seq)
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

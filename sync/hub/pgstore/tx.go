package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// storeTx is one transaction: read-write (write) or a read snapshot.
type storeTx struct {
	ctx   context.Context
	tx    batchSender
	write bool
	// begin: the transaction is not begun yet; its BEGIN goes with its
	// first batch (a write transaction, on a pooled connection).
	begin bool
	// batch holds writes not yet sent: they go in one round trip with
	// the next read, or with the commit.
	batch *pgx.Batch
	// tail holds the writes that take a place in an order every hub
	// shares (feed sequences, the aggregates' version) after the publish
	// lock: they go last, with the commit, so that the lock is held for
	// as short a time as may be (see the package doc). A read of what
	// they write sends them first.
	tail *pgx.Batch
	// published: the publish lock is queued or held.
	published bool
	// aggVersion: the aggregates' version of this transaction is taken
	// (in the tail); its writes name it as currval.
	aggVersion bool
	// aggOrders are the order rows written to the tail, for reads of them
	// before it is sent.
	aggOrders map[string]hub.AggOrder
	// conflictLocked: this transaction holds the conflicts' lock.
	conflictLocked bool
	// factsLocked: this transaction holds the facts lock (outbox.go).
	factsLocked bool
	// shard is the station whose row this transaction locked ("" for
	// none): the aggregates' shard it adds to (aggregates.go).
	shard string
	// shardSet: shard is settled (the first station row locked).
	shardSet bool
	// bulk holds rows gathered for one INSERT per table (bulk.go).
	bulk bulkRows
	// orders keeps what this transaction read and wrote of orders, st
	// of stations, waves of waves (cache.go).
	orders map[string]*orderCache
	// claimed are the event ids this transaction's pushes named or its
	// events claimed (eventids.go).
	claimed map[string]*claim
	// careful: claim event ids finding the held ones, not expecting them
	// all new (a run again after a unique violation; eventids.go).
	careful bool
	st      stationCache
	waves   map[string]*protocol.Wave
}

var _ hub.StoreTx = (*storeTx)(nil)

// batchMax sends a long run of writes before it grows without bound.
const batchMax = 512

// run queues a write whose result is only its error.
func (t *storeTx) run(q string, args ...any) error {
	t.spill()
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	t.batch.Queue(q, args...)
	if t.batch.Len() >= batchMax {
		return t.flush()
	}
	return nil
}

// flush sends the queued writes; the first error is the transaction's.
func (t *storeTx) flush() error {
	t.spill()
	if t.batch == nil || t.batch.Len() == 0 {
		return nil
	}
	b := t.batch
	t.batch = nil
	return t.sendBatch(b).Close()
}

// batchSender is a pgx.Tx (a read snapshot) or a pooled connection (a
// write transaction, which sends its own BEGIN and COMMIT).
type batchSender interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

const qBegin = `BEGIN ISOLATION LEVEL SERIALIZABLE`

// sendBatch sends b, after the transaction's BEGIN if it is not yet
// begun: the BEGIN costs no round trip of its own.
func (t *storeTx) sendBatch(b *pgx.Batch) pgx.BatchResults {
	if t.begin {
		t.begin = false
		nb := &pgx.Batch{}
		nb.Queue(qBegin)
		nb.QueuedQueries = append(nb.QueuedQueries, b.QueuedQueries...)
		b = nb
	}
	return t.tx.SendBatch(t.ctx, b)
}

// publish queues a write for the tail, after the publish lock.
func (t *storeTx) publish(q string, args ...any) {
	if t.tail == nil {
		t.tail = &pgx.Batch{}
	}
	if !t.published {
		t.published = true
		t.tail.Queue(`SELECT pg_advisory_xact_lock($1)`, feedLock)
	}
	t.tail.Queue(q, args...)
}

// unTail moves the tail behind the queued writes, to go with them.
func (t *storeTx) unTail() {
	t.spill()
	if t.tail == nil || t.tail.Len() == 0 {
		return
	}
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	t.batch.QueuedQueries = append(t.batch.QueuedQueries, t.tail.QueuedQueries...)
	t.tail = nil
}

// commit sends what is queued, the tail last, and the COMMIT with them
// in the same round trip: the publish lock is released as soon as the
// commit is durable, with no round trip to the hub in between.
func (t *storeTx) commit() error {
	t.unTail()
	t.spill()
	if t.begin && (t.batch == nil || t.batch.Len() == 0) {
		return nil // nothing was read or written
	}
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	t.batch.Queue(`COMMIT`)
	return t.flush()
}

// read is a query sent with sendReads.
type read struct {
	q    string
	args []any
}

// send sends the queued writes and then q in one round trip, and gives
// q's results with the writes' results read (their first error is q's).
func (t *storeTx) send(q string, args []any) (pgx.BatchResults, error) {
	return t.sendReads(read{q, args})
}

// sendReads sends the queued writes and then the reads in one round
// trip, and gives the reads' results with the writes' results read.
func (t *storeTx) sendReads(reads ...read) (pgx.BatchResults, error) {
	t.spill()
	b := t.batch
	if b == nil {
		b = &pgx.Batch{}
	}
	t.batch = nil
	for _, r := range reads {
		b.Queue(r.q, r.args...)
	}
	writes := b.Len() - len(reads)
	if t.begin {
		writes++ // the BEGIN sendBatch puts first
	}
	br := t.sendBatch(b)
	for range writes {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, err
		}
	}
	return br, nil
}

func (t *storeTx) exec(q string, args ...any) (int64, error) {
	br, err := t.send(q, args)
	if err != nil {
		return 0, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag.RowsAffected(), err
}

// row reads one row, in one round trip with the queued writes.
func (t *storeTx) row(q string, args ...any) pgx.Row {
	br, err := t.send(q, args)
	if err != nil {
		return errRow{err}
	}
	return batchRow{br}
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// batchRow is a row read at the end of a batch: Scan reads it and ends
// the batch.
type batchRow struct{ br pgx.BatchResults }

func (r batchRow) Scan(dest ...any) error {
	err := r.br.QueryRow().Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

// list reads every row with scan, in one round trip with the queued
// writes.
func list[T any](t *storeTx, q string, args []any, scan func(pgx.Rows, *T) error) ([]T, error) {
	br, err := t.send(q, args)
	if err != nil {
		return nil, err
	}
	out, err := scanAll(br, scan)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return out, err
}

func args(a ...any) []any { return a }

// found turns "no rows" into a false ok.
func found(err error) (bool, error) {
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

const tokenCols = `id, hash, kind, station, scopes, label, created_at, created_by, expires_at, revoked_at`

func scanToken(r pgx.Row, tk *hub.TokenRecord) error {
	var scopes, created, expires, revoked string
	if err := r.Scan(&tk.ID, &tk.Hash, &tk.Kind, &tk.Station, &scopes, &tk.Label, &created, &tk.CreatedBy, &expires, &revoked); err != nil {
		return err
	}
	if scopes != "" {
		tk.Scopes = strings.Split(scopes, ",")
	}
	tk.CreatedAt, tk.ExpiresAt, tk.RevokedAt = parseStamp(created), stampPtr(expires), stampPtr(revoked)
	return nil
}

func (t *storeTx) Token(hash string) (hub.TokenRecord, bool, error) {
	var tk hub.TokenRecord
	ok, err := found(scanToken(t.row(`SELECT `+tokenCols+` FROM tokens WHERE hash=$1`, hash), &tk))
	return tk, ok, err
}

func (t *storeTx) PutToken(tk hub.TokenRecord) error {
	expires := ""
	if tk.ExpiresAt != nil {
		expires = stamp(*tk.ExpiresAt)
	}
	return t.run(`INSERT INTO tokens(id, hash, kind, station, scopes, label, created_at, created_by, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
		tk.ID, tk.Hash, tk.Kind, tk.Station, strings.Join(tk.Scopes, ","), tk.Label, stamp(tk.CreatedAt), tk.CreatedBy, expires)
}

func (t *storeTx) AnyToken(kind string) (bool, error) {
	var ok bool
	err := t.row(`SELECT EXISTS (SELECT 1 FROM tokens WHERE kind=$1 AND revoked_at='')`, kind).Scan(&ok)
	return ok, err
}

func (t *storeTx) Tokens() ([]hub.TokenRecord, error) {
	return list(t, `SELECT `+tokenCols+` FROM tokens ORDER BY id`, nil,
		func(r pgx.Rows, tk *hub.TokenRecord) error { return scanToken(r, tk) })
}

func (t *storeTx) RevokeToken(id string, at time.Time) (bool, error) {
	n, err := t.exec(`UPDATE tokens SET revoked_at = CASE WHEN revoked_at='' THEN $1 ELSE revoked_at END WHERE id=$2`, stamp(at), id)
	return n > 0, err
}

func (t *storeTx) InsertAudit(a hub.AuditEntry) error {
	return t.run(`INSERT INTO audit(at, actor, action, target, outcome, detail) VALUES ($1,$2,$3,$4,$5,$6)`,
		stamp(a.At), a.Actor, a.Action, a.Target, a.Outcome, a.Detail)
}

func (t *storeTx) AuditLog(after int64, limit int) ([]hub.AuditEntry, error) {
	return list(t, `SELECT id, at, actor, action, target, outcome, detail FROM audit WHERE id > $1 ORDER BY id LIMIT $2`, args(after, limit),
		func(r pgx.Rows, a *hub.AuditEntry) error {
			var at string
			if err := r.Scan(&a.ID, &at, &a.Actor, &a.Action, &a.Target, &a.Outcome, &a.Detail); err != nil {
				return err
			}
			a.At = parseStamp(at)
			return nil
		})
}

func (t *storeTx) Probe(at time.Time) error {
	return t.run(`INSERT INTO hub_meta(key, value) VALUES ('ready_probe', $1) ON CONFLICT (key) DO UPDATE SET value=excluded.value`, stamp(at))
}

const stationCols = `id, name, COALESCE(number, 0), bench, mark, epoch, registered_at, last_push_at, last_pull_at`

func scanStation(r pgx.Row, si *protocol.StationInfo) error {
	var reg, push, pull string
	if err := r.Scan(&si.ID, &si.Name, &si.Number, &si.Bench, &si.Mark, &si.Epoch, &reg, &push, &pull); err != nil {
		return err
	}
	si.RegisteredAt, si.LastPush, si.LastPull = parseStamp(reg), stampPtr(push), stampPtr(pull)
	return nil
}

func (t *storeTx) Station(id string) (protocol.StationInfo, bool, error) {
	var si protocol.StationInfo
	if !t.write {
		ok, err := found(scanStation(t.row(`SELECT `+stationCols+` FROM stations WHERE id=$1`, id), &si))
		return si, ok, err
	}
	// A write transaction that reads a station goes on to change its row
	// (a push moves the mark): it is locked now (FOR UPDATE), so a pull's
	// stamp written meanwhile cannot make the whole push fail at its end
	// with a serialization error and run again (under load, a large push
	// then never got through).
	ok, err := t.stationForUpdate(id, &si)
	if ok && !t.shardSet {
		t.shard, t.shardSet = id, true
	}
	return si, ok, err
}

func (t *storeTx) Stations() ([]protocol.StationInfo, error) {
	return list(t, `SELECT `+stationCols+` FROM stations ORDER BY id`, nil,
		func(r pgx.Rows, si *protocol.StationInfo) error { return scanStation(r, si) })
}

func (t *storeTx) MaxStationNumber() (int, error) {
	var n int
	err := t.row(`SELECT COALESCE(MAX(number), 0) FROM stations`).Scan(&n)
	return n, err
}

func (t *storeTx) InsertStation(s protocol.StationInfo) error {
	return t.run(`INSERT INTO stations(id, name, registered_at, number) VALUES ($1,$2,$3,$4)`, s.ID, s.Name, stamp(s.RegisteredAt), s.Number)
}

func (t *storeTx) SetStationMark(id string, mark int64, at time.Time) error {
	return t.run(`UPDATE stations SET mark=$1, last_push_at=$2 WHERE id=$3`, mark, stamp(at), id)
}

func (t *storeTx) SetStationEpoch(id string, epoch int64) error {
	return t.run(`UPDATE stations SET epoch=$1 WHERE id=$2`, epoch, id)
}

func (t *storeTx) SetStationPulled(id string, at time.Time) error {
	// When the station last pulled is information only: while a push
	// holds the row it is skipped rather than waited for.
	return t.run(`UPDATE stations SET last_pull_at=$1 WHERE id=(SELECT id FROM stations WHERE id=$2 FOR UPDATE SKIP LOCKED)`, stamp(at), id)
}

func (t *storeTx) Events(station string, after int64, limit int) ([]protocol.StoredEvent, error) {
	return list(t, `SELECT seq, event_id, operator, device_time, received_at, type, payload, outcome, reason
		FROM events WHERE station=$1 AND seq>$2 ORDER BY seq LIMIT $3`, args(station, after, limit),
		func(r pgx.Rows, e *protocol.StoredEvent) error {
			var dt, rt, payload string
			e.Station = station
			if err := r.Scan(&e.Seq, &e.ID, &e.Operator, &dt, &rt, &e.Type, &payload, &e.Status, &e.Reason); err != nil {
				return err
			}
			e.DeviceTime, e.ReceivedAt, e.Payload = parseStamp(dt), parseStamp(rt), json.RawMessage(payload)
			return nil
		})
}

// InsertConflict takes the conflicts' lock first (see the package doc):
// ids then commit in order, and paging by id misses none.
func (t *storeTx) InsertConflict(c protocol.Conflict) error {
	if !t.conflictLocked {
		if _, err := t.exec(`SELECT pg_advisory_xact_lock($1)`, conflictLock); err != nil {
			return err
		}
		t.conflictLocked = true
	}
	return t.run(`INSERT INTO conflicts(station, seq, event_id, order_id, kind, reason, at) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
		c.Station, c.Seq, c.EventID, c.Order, c.Kind, c.Reason, stamp(c.At))
}

func (t *storeTx) conflicts(where string, a ...any) ([]protocol.Conflict, error) {
	return list(t, `SELECT id, station, seq, event_id, order_id, kind, reason, at FROM conflicts `+where, a,
		func(r pgx.Rows, c *protocol.Conflict) error {
			var at string
			err := r.Scan(&c.ID, &c.Station, &c.Seq, &c.EventID, &c.Order, &c.Kind, &c.Reason, &at)
			c.At = parseStamp(at)
			return err
		})
}

func (t *storeTx) Conflicts(after int64, limit int) ([]protocol.Conflict, error) {
	return t.conflicts(`WHERE id>$1 ORDER BY id LIMIT $2`, after, limit)
}

func (t *storeTx) OrderConflicts(order string) ([]protocol.Conflict, error) {
	return t.conflicts(`WHERE order_id=$1 ORDER BY id`, order)
}

func (t *storeTx) PutOperator(op floor.Operator) error {
	roles := make([]string, len(op.Roles))
	for i, r := range op.Roles {
		roles[i] = string(r)
	}
	return t.run(`INSERT INTO operators(badge, name, roles, pin_hash) VALUES ($1,$2,$3,$4)
		ON CONFLICT(badge) DO UPDATE SET name=excluded.name, roles=excluded.roles, pin_hash=excluded.pin_hash`,
		op.Badge, op.Name, strings.Join(roles, ","), op.PINHash)
}

func (t *storeTx) PutLocation(l protocol.Location) error {
	return t.run(`INSERT INTO locations(code, zone, aisle, bay, level, position, walk_seq) VALUES ($1,$2,$3,$4,$5,$6,$7)
		ON CONFLICT(code) DO UPDATE SET zone=excluded.zone, aisle=excluded.aisle, bay=excluded.bay, level=excluded.level,
		position=excluded.position, walk_seq=excluded.walk_seq`, l.Code, l.Zone, l.Aisle, l.Bay, l.Level, l.Position, l.WalkSeq)
}

func (t *storeTx) Location(code string) (protocol.Location, bool, error) {
	var l protocol.Location
	ok, err := found(t.row(`SELECT code, zone, aisle, bay, level, position, walk_seq FROM locations WHERE code=$1`, code).
		Scan(&l.Code, &l.Zone, &l.Aisle, &l.Bay, &l.Level, &l.Position, &l.WalkSeq))
	return l, ok, err
}

func (t *storeTx) PutItem(it protocol.Item) error {
	if err := t.run(`INSERT INTO items(sku, description, unit_weight_g, length_mm, width_mm, height_mm, lot_controlled, serial_controlled, hazmat, location)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) ON CONFLICT(sku) DO UPDATE SET description=excluded.description, unit_weight_g=excluded.unit_weight_g,
		length_mm=excluded.length_mm, width_mm=excluded.width_mm, height_mm=excluded.height_mm, lot_controlled=excluded.lot_controlled,
		serial_controlled=excluded.serial_controlled, hazmat=excluded.hazmat, location=excluded.location`,
		it.SKU, it.Description, it.UnitWeightG, it.LengthMM, it.WidthMM, it.HeightMM,
		it.LotControlled, it.SerialControlled, it.Hazmat, it.Location); err != nil {
		return err
	}
	if err := t.run(`DELETE FROM item_gtins WHERE sku=$1`, it.SKU); err != nil {
		return err
	}
	for _, g := range it.GTINs {
		if err := t.run(`INSERT INTO item_gtins(gtin, sku) VALUES ($1,$2) ON CONFLICT(gtin) DO UPDATE SET sku=excluded.sku`, g, it.SKU); err != nil {
			return err
		}
	}
	return nil
}

// foldASCII is SQLite's NOCASE: A–Z to a–z, every other character as it is.
const foldASCII = `translate(%s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`

func (t *storeTx) SKUsFolded(sku string) ([]string, error) {
	q := `SELECT sku FROM items WHERE ` + fmt.Sprintf(foldASCII, "sku") + ` = ` + fmt.Sprintf(foldASCII, "$1::text") + ` ORDER BY sku`
	return list(t, q, args(sku), func(r pgx.Rows, s *string) error { return r.Scan(s) })
}

func (t *storeTx) ItemLocation(sku string) (string, bool, error) {
	var loc string
	ok, err := found(t.row(`SELECT location FROM items WHERE sku=$1`, sku).Scan(&loc))
	return loc, ok, err
}

func readOrder(br pgx.BatchResults, o *hub.OrderRecord) (bool, error) {
	var shipBy, shipTo string
	ok, err := found(br.QueryRow().Scan(&o.Priority, &shipBy, &o.Status, &o.Customer, &o.ShipTogether, &o.CancelReason, &shipTo, &o.Carrier, &o.Service))
	if err != nil {
		return false, err
	}
	if shipTo != "" {
		if err := json.Unmarshal([]byte(shipTo), &o.ShipTo); err != nil {
			return false, fmt.Errorf("order %s: the stored ship-to address does not read: %w", floor.Printable(o.ID), err)
		}
	}
	if shipBy != "" {
		if t, err := time.Parse(time.RFC3339, shipBy); err == nil {
			o.ShipBy = &t
		}
	}
	if o.Lines, err = scanAll(br, func(r pgx.Rows, l *protocol.OrderLine) error { return r.Scan(&l.Line, &l.SKU, &l.Qty) }); err != nil {
		return false, err
	}
	if o.Holds, err = scanAll(br, func(r pgx.Rows, h *protocol.Hold) error { return r.Scan(&h.Reason, &h.Note) }); err != nil {
		return false, err
	}
	return ok, nil
}

// scanAll reads the batch's next result set.
func scanAll[T any](br pgx.BatchResults, scan func(pgx.Rows, *T) error) ([]T, error) {
	rows, err := br.Query()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// shipToText is how an order's address is kept: its JSON, or empty for none.
func shipToText(a protocol.Address) (string, error) {
	if a == (protocol.Address{}) {
		return "", nil
	}
	b, err := json.Marshal(a)
	return string(b), err
}

func (t *storeTx) PutOrder(o protocol.Order, at time.Time) error {
	shipBy := ""
	if o.ShipBy != nil {
		shipBy = o.ShipBy.UTC().Format(time.RFC3339)
	}
	shipTo, err := shipToText(o.ShipTo)
	if err != nil {
		return err
	}
	t.forgetOrder(o.ID)
	return t.run(`INSERT INTO orders(id, priority, ship_by, customer, ship_together, ship_to, carrier, service, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
		ON CONFLICT(id) DO UPDATE SET priority=excluded.priority, ship_by=excluded.ship_by, customer=excluded.customer,
		ship_together=excluded.ship_together, ship_to=excluded.ship_to, carrier=excluded.carrier, service=excluded.service`,
		o.ID, o.Priority, shipBy, o.Customer, o.ShipTogether, shipTo, o.Carrier, o.Service, stamp(at))
}

func (t *storeTx) ReplaceOrderLines(order string, lines []protocol.OrderLine) error {
	t.forgetOrder(order)
	if err := t.run(`DELETE FROM order_lines WHERE order_id=$1`, order); err != nil {
		return err
	}
	for _, l := range lines {
		if err := t.run(`INSERT INTO order_lines(order_id, line_no, sku, qty) VALUES ($1,$2,$3,$4)`, order, l.Line, l.SKU, l.Qty); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) SetOrderStatus(order, status, cancelReason string) error {
	t.forgetOrder(order)
	return t.run(`UPDATE orders SET status=$1, cancel_reason=$2 WHERE id=$3`, status, cancelReason, order)
}

func (t *storeTx) PutHold(order string, h protocol.Hold, at time.Time) error {
	t.forgetOrder(order)
	return t.run(`INSERT INTO order_holds(order_id, reason, note, placed_at) VALUES ($1,$2,$3,$4)
		ON CONFLICT(order_id, reason) DO UPDATE SET note=excluded.note`, order, h.Reason, h.Note, stamp(at))
}

func (t *storeTx) DeleteHold(order, reason string) (bool, error) {
	t.forgetOrder(order)
	n, err := t.exec(`DELETE FROM order_holds WHERE order_id=$1 AND reason=$2`, order, reason)
	return n > 0, err
}

func (t *storeTx) StationsOf(order string) ([]string, error) {
	return list(t, `SELECT DISTINCT w.station FROM pick_tasks t JOIN waves w ON w.id=t.wave_id
		WHERE t.order_id=$1 AND w.station<>'' ORDER BY w.station`, args(order),
		func(r pgx.Rows, s *string) error { return r.Scan(s) })
}

func (t *storeTx) InsertWave(id string, at time.Time) error {
	delete(t.waves, id)
	return t.run(`INSERT INTO waves(id, created_at) VALUES ($1,$2)`, id, stamp(at))
}

func (t *storeTx) SetWaveStation(id, station string) error {
	delete(t.waves, id)
	return t.run(`UPDATE waves SET station=$1 WHERE id=$2`, station, id)
}

func (t *storeTx) SetWaveStatus(id, status string) error {
	delete(t.waves, id)
	return t.run(`UPDATE waves SET status=$1 WHERE id=$2`, status, id)
}

func (t *storeTx) InsertTask(k protocol.Task) error {
	if c := t.orders[k.Order]; c != nil {
		c.wave, c.haveWave = "", false
	}
	return t.run(`INSERT INTO pick_tasks(wave_id, order_id, line_no, location, sku, qty, sort_key) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
		k.Wave, k.Order, k.Line, k.Location, k.SKU, k.Qty, k.SortKey)
}

func (t *storeTx) WaveTasks(wave string) ([]protocol.Task, error) {
	return list(t, `SELECT id, order_id, line_no, location, sku, qty, sort_key FROM pick_tasks WHERE wave_id=$1 ORDER BY id`, args(wave),
		func(r pgx.Rows, k *protocol.Task) error {
			k.Wave = wave
			return r.Scan(&k.ID, &k.Order, &k.Line, &k.Location, &k.SKU, &k.Qty, &k.SortKey)
		})
}

func (t *storeTx) PutLabel(l protocol.Label, at time.Time) error {
	return t.run(`INSERT INTO carrier_labels(order_id, tracking, carrier, service, sscc, format, data, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
		ON CONFLICT(order_id, tracking) DO UPDATE SET carrier=excluded.carrier, service=excluded.service, sscc=excluded.sscc,
		format=excluded.format, data=excluded.data`,
		l.Order, l.Tracking, l.Carrier, l.Service, l.SSCC, l.Format, l.Data, stamp(at))
}

func (t *storeTx) Labels(order string) ([]protocol.Label, error) {
	return list(t, `SELECT tracking, carrier, service, sscc, format, data FROM carrier_labels WHERE order_id=$1 ORDER BY created_at, tracking`, args(order),
		func(r pgx.Rows, l *protocol.Label) error {
			l.Order = order
			return r.Scan(&l.Tracking, &l.Carrier, &l.Service, &l.SSCC, &l.Format, &l.Data)
		})
}

func (t *storeTx) Parcels(order string) ([]hub.ParcelRecord, error) {
	out, err := list(t, `SELECT parcel, shipment, sscc, tracking, carrier, status, ready FROM parcels WHERE order_id=$1 ORDER BY parcel`, args(order),
		func(r pgx.Rows, p *hub.ParcelRecord) error {
			return r.Scan(&p.Key, &p.Shipment, &p.SSCC, &p.Tracking, &p.Carrier, &p.Status, &p.Ready)
		})
	if err != nil || len(out) == 0 {
		return out, err
	}
	type pline struct {
		parcel string
		hub.LineQty
	}
	lines, err := list(t, `SELECT parcel, line_no, qty FROM parcel_lines WHERE order_id=$1 ORDER BY parcel, line_no`, args(order),
		func(r pgx.Rows, l *pline) error { return r.Scan(&l.parcel, &l.Line, &l.Qty) })
	if err != nil {
		return nil, err
	}
	at := map[string]int{}
	for i, p := range out {
		at[p.Key] = i
	}
	for _, l := range lines {
		if i, ok := at[l.parcel]; ok {
			out[i].Lines = append(out[i].Lines, l.LineQty)
		}
	}
	return out, nil
}

func (t *storeTx) PutParcel(order string, p hub.ParcelRecord) error {
	if err := t.run(`INSERT INTO parcels(order_id, parcel, shipment, sscc, tracking, carrier, status, ready) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
		ON CONFLICT(order_id, parcel) DO UPDATE SET shipment=excluded.shipment, sscc=excluded.sscc, tracking=excluded.tracking,
		carrier=excluded.carrier, status=excluded.status, ready=excluded.ready`, order, p.Key, p.Shipment, p.SSCC, p.Tracking, p.Carrier, p.Status, p.Ready); err != nil {
		return err
	}
	if err := t.run(`DELETE FROM parcel_lines WHERE order_id=$1 AND parcel=$2`, order, p.Key); err != nil {
		return err
	}
	for _, l := range p.Lines {
		if err := t.run(`INSERT INTO parcel_lines(order_id, parcel, line_no, qty) VALUES ($1,$2,$3,$4)`, order, p.Key, l.Line, l.Qty); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) ParcelsWithSSCC(sscc string) ([]hub.ParcelRef, error) {
	return list(t, `SELECT order_id, shipment FROM parcels WHERE sscc=$1 AND sscc<>'' ORDER BY order_id, parcel`, args(sscc),
		func(r pgx.Rows, p *hub.ParcelRef) error { return r.Scan(&p.Order, &p.Shipment) })
}

// AppendFeed appends changes as one group under the publish lock (see
// the package doc), in the tail: the lock is held until the transaction
// ends, so no later sequence can commit before these. The group is the
// first change's seq.
func (t *storeTx) AppendFeed(changes ...hub.FeedEntry) error {
	if len(changes) == 0 {
		return nil
	}
	n := int64(len(changes))
	// Under the lock no one else takes from changes_seq: the n values
	// are consecutive, the last of them currval.
	t.publish(`SELECT setval('changes_seq', nextval('changes_seq') + $1 - 1)`, n)
	for i, e := range changes {
		c := e.Change
		c.Seq = 0
		body, err := json.Marshal(c)
		if err != nil {
			return err
		}
		t.publish(`INSERT INTO changes(seq, grp, station, kind, body, tag)
			VALUES (currval('changes_seq') - $1, currval('changes_seq') - $2, $3, $4, $5, $6)`,
			n-1-int64(i), n-1, e.Station, c.Kind, string(body), rand.Int64())
	}
	return nil
}

// FeedSafe is the highest seq this snapshot sees: with sequences taken
// under the feed lock, it sees every change below it.
func (t *storeTx) FeedSafe() (int64, error) {
	t.unTail()
	var n int64
	err := t.row(`SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&n)
	return n, err
}

func (t *storeTx) FeedTag(seq int64) (int64, bool, error) {
	t.unTail()
	var tag int64
	ok, err := found(t.row(`SELECT tag FROM changes WHERE seq=$1`, seq).Scan(&tag))
	return tag, ok, err
}

func scanChange(r pgx.Rows, c *hub.FeedChange) error {
	var body string
	if err := r.Scan(&c.Seq, &c.Group, &c.Tag, &body); err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(body), &c.Change); err != nil {
		return fmt.Errorf("change %d in the feed does not read: %w", c.Seq, err)
	}
	return nil
}

// qFeed reads what is addressed to the station, to every station, and to
// its bench's audience (hub.Audience).
const qFeed = `SELECT seq, grp, tag, body FROM changes WHERE station IN ('', $1,
	COALESCE((SELECT '` + hub.AudiencePrefix + `' || bench FROM stations WHERE id=$1 AND bench<>''), '')) AND seq > $2 `

func (t *storeTx) Feed(station string, after, upTo int64, limit int) ([]hub.FeedChange, error) {
	t.unTail()
	return list(t, qFeed+`AND seq <= $3 ORDER BY seq LIMIT $4`, args(station, after, upTo, limit), scanChange)
}

func (t *storeTx) FeedGroup(station string, after, group int64) ([]hub.FeedChange, error) {
	t.unTail()
	return list(t, qFeed+`AND grp = $3 ORDER BY seq`, args(station, after, group), scanChange)
}

const settingPrefix = "setting."

// settingEnd is the first key past every settingPrefix key in byte order.
const settingEnd = "setting/"

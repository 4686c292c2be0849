package hubstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The push path's statements, prepared once on the writer.
const (
	qStation = `SELECT id, name, COALESCE(number, 0), bench, mark, epoch, registered_at, last_push_at, last_pull_at FROM stations WHERE id=?`
	qEvents  = `SELECT seq, event_id, operator, device_time, received_at, type, payload, outcome, reason
		FROM events WHERE station=? AND seq>? ORDER BY seq LIMIT ?`
	qOrder = `SELECT priority, ship_by, status, customer, ship_together, cancel_reason, ship_to, carrier, service
		FROM orders WHERE id=?`
	qOrderLines  = `SELECT line_no, sku, qty FROM order_lines WHERE order_id=? ORDER BY line_no`
	qOrderHolds  = `SELECT reason, note FROM order_holds WHERE order_id=? ORDER BY reason`
	qTally       = `SELECT picked, short, returned FROM line_progress WHERE order_id=? AND line_no=?`
	qTallies     = `SELECT line_no, picked, short, returned FROM line_progress WHERE order_id=? ORDER BY line_no`
	qTallyPut    = `INSERT OR REPLACE INTO line_progress(order_id, line_no, picked, short, returned) VALUES (?,?,?,?,?)`
	qParcels     = `SELECT parcel, shipment, sscc, tracking, carrier, status, ready FROM parcels WHERE order_id=? ORDER BY parcel`
	qParcelLines = `SELECT parcel, line_no, qty FROM parcel_lines WHERE order_id=? ORDER BY parcel, line_no`
	qParcelPut   = `INSERT OR REPLACE INTO parcels(order_id, parcel, shipment, sscc, tracking, carrier, status, ready) VALUES (?,?,?,?,?,?,?,?)`
	qParcelClear = `DELETE FROM parcel_lines WHERE order_id=? AND parcel=?`
	qParcelLine  = `INSERT INTO parcel_lines(order_id, parcel, line_no, qty) VALUES (?,?,?,?)`
	qSSCC        = `SELECT order_id, shipment FROM parcels WHERE sscc=? AND sscc<>'' ORDER BY order_id, parcel`
	qWave        = `SELECT status, station FROM waves WHERE id=?`
	qWaveStatus  = `UPDATE waves SET status=? WHERE id=?`
	qConflict    = `INSERT INTO conflicts(station, seq, event_id, order_id, kind, reason, at) VALUES (?,?,?,?,?,?,?)`
	qMark        = `UPDATE stations SET mark=?, last_push_at=? WHERE id=?`
	qFeedNext    = `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name='changes'), 0) + 1`
	qFeedInsert  = `INSERT INTO changes(grp, station, kind, body) VALUES (?,?,?,?)`
	qItemPut     = `INSERT INTO items(sku, description, unit_weight_g, length_mm, width_mm, height_mm, lot_controlled, serial_controlled, hazmat, location)
		VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(sku) DO UPDATE SET description=excluded.description, unit_weight_g=excluded.unit_weight_g,
		length_mm=excluded.length_mm, width_mm=excluded.width_mm, height_mm=excluded.height_mm, lot_controlled=excluded.lot_controlled,
		serial_controlled=excluded.serial_controlled, hazmat=excluded.hazmat, location=excluded.location`
	qGTINsClear = `DELETE FROM item_gtins WHERE sku=?`
	qGTINPut    = `INSERT OR REPLACE INTO item_gtins(gtin, sku) VALUES (?,?)`
	qSKUsFolded = `SELECT sku FROM items WHERE sku=? COLLATE NOCASE ORDER BY sku`
	qLocation   = `SELECT code, zone, aisle, bay, level, position, walk_seq FROM locations WHERE code=?`
	qLocPut     = `INSERT INTO locations(code, zone, aisle, bay, level, position, walk_seq) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(code) DO UPDATE SET zone=excluded.zone, aisle=excluded.aisle, bay=excluded.bay, level=excluded.level,
		position=excluded.position, walk_seq=excluded.walk_seq`
	qLifePut = `INSERT INTO order_life(order_id, state, shelf, body) VALUES (?,?,?,?)
		ON CONFLICT(order_id) DO UPDATE SET state=excluded.state, shelf=excluded.shelf, body=excluded.body`
	// qLifeKeep rewrites an order's life in place while its state and
	// shelf stay: their indexes are not written again, as the upsert
	// above writes them.
	qLifeKeep    = `UPDATE order_life SET body=?4 WHERE order_id=?1 AND state=?2 AND shelf=?3`
	qOperatorPut = `INSERT INTO operators(badge, name, roles, pin_hash) VALUES (?,?,?,?)
		ON CONFLICT(badge) DO UPDATE SET name=excluded.name, roles=excluded.roles, pin_hash=excluded.pin_hash`
)

var writeStatements = []string{qStation, qEvents, qOrder, qOrderLines, qOrderHolds, qTally, qTallies, qTallyPut,
	qParcels, qParcelLines, qParcelPut, qParcelClear, qParcelLine, qSSCC, qWave, qWaveStatus, qConflict, qMark,
	qFeedNext, qFeedInsert, qItemPut, qGTINsClear, qGTINPut, qSKUsFolded, qLocation, qLocPut, qOperatorPut, qLifePut, qLifeKeep}

// storeTx is one transaction: on the writer (write) or a read snapshot.
type storeTx struct {
	ctx   context.Context
	s     *SQLite
	tx    *sql.Tx
	write bool
	// feedNext is the seq the next change will get, once known.
	feedNext int64
	// bound are the prepared statements bound to tx, each once: every
	// Tx.StmtContext is kept by database/sql until the transaction ends,
	// so binding at each call grew a long import's memory by the statement.
	bound map[string]*sql.Stmt
	// held are the events and story rows not sent yet (heldrows.go).
	held *heldRows
	// met are the queries this write transaction prepared for itself.
	met []string
}

var _ hub.StoreTx = (*storeTx)(nil)

// stmt is q prepared, on the writer; nil elsewhere. A query the writer
// has not prepared yet is prepared in the transaction, once, and kept for
// the next ones once this one ends (SQLite.keep).
func (t *storeTx) stmt(q string) *sql.Stmt {
	if !t.write {
		return nil
	}
	if b, ok := t.bound[q]; ok {
		return b
	}
	if t.bound == nil {
		t.bound = map[string]*sql.Stmt{}
	}
	t.s.mu.RLock()
	st, ok := t.s.stmts[q]
	t.s.mu.RUnlock()
	var b *sql.Stmt
	if ok {
		b = t.tx.StmtContext(t.ctx, st)
	} else {
		var err error
		if b, err = t.tx.PrepareContext(t.ctx, q); err != nil {
			return nil // run unprepared: the error surfaces there
		}
		t.met = append(t.met, q)
	}
	t.bound[q] = b
	return b
}

func (t *storeTx) exec(q string, args ...any) (sql.Result, error) {
	if st := t.stmt(q); st != nil {
		return st.ExecContext(t.ctx, args...)
	}
	return t.tx.ExecContext(t.ctx, q, args...)
}

func (t *storeTx) row(q string, args ...any) *sql.Row {
	if st := t.stmt(q); st != nil {
		return st.QueryRowContext(t.ctx, args...)
	}
	return t.tx.QueryRowContext(t.ctx, q, args...)
}

func (t *storeTx) query(q string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(q); st != nil {
		return st.QueryContext(t.ctx, args...)
	}
	return t.tx.QueryContext(t.ctx, q, args...)
}

// updated runs an UPDATE and says whether it changed a row.
func (t *storeTx) updated(q string, args ...any) (bool, error) {
	res, err := t.exec(q, args...)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (t *storeTx) run(q string, args ...any) error {
	_, err := t.exec(q, args...)
	return err
}

// found turns "no rows" into a false ok.
func found(err error) (bool, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// list scans every row with scan.
func list[T any](rows *sql.Rows, err error, scan func(*sql.Rows, *T) error) ([]T, error) {
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

const qTokenCols = `id, hash, kind, station, scopes, label, created_at, created_by, expires_at, revoked_at`

func scanToken(r interface{ Scan(...any) error }, tk *hub.TokenRecord) error {
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
	ok, err := found(scanToken(t.row(`SELECT `+qTokenCols+` FROM tokens WHERE hash=?`, hash), &tk))
	return tk, ok, err
}

func (t *storeTx) PutToken(tk hub.TokenRecord) error {
	expires := ""
	if tk.ExpiresAt != nil {
		expires = stamp(*tk.ExpiresAt)
	}
	return t.run(`INSERT INTO tokens(id, hash, kind, station, scopes, label, created_at, created_by, expires_at) VALUES (?,?,?,?,?,?,?,?,?)`,
		tk.ID, tk.Hash, tk.Kind, tk.Station, strings.Join(tk.Scopes, ","), tk.Label, stamp(tk.CreatedAt), tk.CreatedBy, expires)
}

func (t *storeTx) AnyToken(kind string) (bool, error) {
	var n int
	err := t.row(`SELECT EXISTS (SELECT 1 FROM tokens WHERE kind=? AND revoked_at='')`, kind).Scan(&n)
	return n == 1, err
}

func (t *storeTx) Tokens() ([]hub.TokenRecord, error) {
	rows, err := t.query(`SELECT ` + qTokenCols + ` FROM tokens ORDER BY id`)
	return list(rows, err, func(r *sql.Rows, tk *hub.TokenRecord) error { return scanToken(r, tk) })
}

func (t *storeTx) RevokeToken(id string, at time.Time) (bool, error) {
	res, err := t.exec(`UPDATE tokens SET revoked_at = CASE WHEN revoked_at='' THEN ? ELSE revoked_at END WHERE id=?`, stamp(at), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (t *storeTx) InsertAudit(a hub.AuditEntry) error {
	return t.run(`INSERT INTO audit(at, actor, action, target, outcome, detail) VALUES (?,?,?,?,?,?)`,
		stamp(a.At), a.Actor, a.Action, a.Target, a.Outcome, a.Detail)
}

func (t *storeTx) AuditLog(after int64, limit int) ([]hub.AuditEntry, error) {
	rows, err := t.query(`SELECT id, at, actor, action, target, outcome, detail FROM audit WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	return list(rows, err, func(r *sql.Rows, a *hub.AuditEntry) error {
		var at string
		if err := r.Scan(&a.ID, &at, &a.Actor, &a.Action, &a.Target, &a.Outcome, &a.Detail); err != nil {
			return err
		}
		a.At = parseStamp(at)
		return nil
	})
}

func (t *storeTx) HeldEventIDs(ids []string) (map[string]hub.EventRef, error) {
	if err := t.sendHeld(); err != nil {
		return nil, err
	}
	out := map[string]hub.EventRef{}
	for len(ids) > 0 {
		n := min(len(ids), 512)
		chunk := ids[:n]
		ids = ids[n:]
		// As many places as the next power of two, the last id repeated:
		// the writer keeps a statement per length.
		size := 1
		for size < len(chunk) {
			size *= 2
		}
		args := make([]any, size)
		for i := range args {
			args[i] = chunk[min(i, len(chunk)-1)]
		}
		rows, err := t.query(`SELECT event_id, station, seq FROM events WHERE event_id IN (?`+strings.Repeat(",?", size-1)+`) ORDER BY station DESC, seq DESC`, args...)
		refs, err := list(rows, err, func(r *sql.Rows, v *[2]any) error {
			var id, st string
			var seq int64
			if err := r.Scan(&id, &st, &seq); err != nil {
				return err
			}
			v[0], v[1] = id, hub.EventRef{Station: st, Seq: seq}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, v := range refs { // the last written is the first by station and seq
			out[v[0].(string)] = v[1].(hub.EventRef)
		}
	}
	return out, nil
}

func scanStation(r interface{ Scan(...any) error }, si *protocol.StationInfo) error {
	var reg, push, pull string
	if err := r.Scan(&si.ID, &si.Name, &si.Number, &si.Bench, &si.Mark, &si.Epoch, &reg, &push, &pull); err != nil {
		return err
	}
	si.RegisteredAt, si.LastPush, si.LastPull = parseStamp(reg), stampPtr(push), stampPtr(pull)
	return nil
}

func (t *storeTx) Station(id string) (protocol.StationInfo, bool, error) {
	var si protocol.StationInfo
	ok, err := found(scanStation(t.row(qStation, id), &si))
	return si, ok, err
}

func (t *storeTx) Stations() ([]protocol.StationInfo, error) {
	rows, err := t.query(`SELECT id, name, COALESCE(number, 0), bench, mark, epoch, registered_at, last_push_at, last_pull_at FROM stations ORDER BY id`)
	return list(rows, err, func(r *sql.Rows, si *protocol.StationInfo) error { return scanStation(r, si) })
}

func (t *storeTx) MaxStationNumber() (int, error) {
	var n int
	err := t.row(`SELECT COALESCE(MAX(number), 0) FROM stations`).Scan(&n)
	return n, err
}

func (t *storeTx) InsertStation(s protocol.StationInfo) error {
	return t.run(`INSERT INTO stations(id, name, registered_at, number) VALUES (?,?,?,?)`, s.ID, s.Name, stamp(s.RegisteredAt), s.Number)
}

func (t *storeTx) SetStationMark(id string, mark int64, at time.Time) error {
	return t.run(qMark, mark, stamp(at), id)
}

func (t *storeTx) SetStationEpoch(id string, epoch int64) error {
	return t.run(`UPDATE stations SET epoch=? WHERE id=?`, epoch, id)
}

func (t *storeTx) SetStationPulled(id string, at time.Time) error {
	return t.run(`UPDATE stations SET last_pull_at=? WHERE id=?`, stamp(at), id)
}

func (t *storeTx) Events(station string, after int64, limit int) ([]protocol.StoredEvent, error) {
	if err := t.sendHeld(); err != nil {
		return nil, err
	}
	rows, err := t.query(qEvents, station, after, limit)
	return list(rows, err, func(r *sql.Rows, e *protocol.StoredEvent) error {
		var dt, rt, payload string
		e.Station = station
		if err := r.Scan(&e.Seq, &e.ID, &e.Operator, &dt, &rt, &e.Type, &payload, &e.Status, &e.Reason); err != nil {
			return err
		}
		e.DeviceTime, e.ReceivedAt, e.Payload = parseStamp(dt), parseStamp(rt), json.RawMessage(payload)
		return nil
	})
}

func (t *storeTx) InsertConflict(c protocol.Conflict) error {
	return t.run(qConflict, c.Station, c.Seq, c.EventID, c.Order, c.Kind, c.Reason, stamp(c.At))
}

func (t *storeTx) conflicts(where string, args ...any) ([]protocol.Conflict, error) {
	rows, err := t.query(`SELECT id, station, seq, event_id, order_id, kind, reason, at FROM conflicts `+where, args...)
	return list(rows, err, func(r *sql.Rows, c *protocol.Conflict) error {
		var at string
		err := r.Scan(&c.ID, &c.Station, &c.Seq, &c.EventID, &c.Order, &c.Kind, &c.Reason, &at)
		c.At = parseStamp(at)
		return err
	})
}

func (t *storeTx) Conflicts(after int64, limit int) ([]protocol.Conflict, error) {
	return t.conflicts(`WHERE id>? ORDER BY id LIMIT ?`, after, limit)
}

func (t *storeTx) OrderConflicts(order string) ([]protocol.Conflict, error) {
	return t.conflicts(`WHERE order_id=? ORDER BY id`, order)
}

func (t *storeTx) PutOperator(op floor.Operator) error {
	roles := make([]string, len(op.Roles))
	for i, r := range op.Roles {
		roles[i] = string(r)
	}
	return t.run(qOperatorPut, op.Badge, op.Name, strings.Join(roles, ","), op.PINHash)
}

func (t *storeTx) PutLocation(l protocol.Location) error {
	return t.run(qLocPut, l.Code, l.Zone, l.Aisle, l.Bay, l.Level, l.Position, l.WalkSeq)
}

func (t *storeTx) Location(code string) (protocol.Location, bool, error) {
	var l protocol.Location
	ok, err := found(t.row(qLocation, code).Scan(&l.Code, &l.Zone, &l.Aisle, &l.Bay, &l.Level, &l.Position, &l.WalkSeq))
	return l, ok, err
}

func (t *storeTx) PutItem(it protocol.Item) error {
	if err := t.run(qItemPut, it.SKU, it.Description, it.UnitWeightG, it.LengthMM, it.WidthMM, it.HeightMM,
		it.LotControlled, it.SerialControlled, it.Hazmat, it.Location); err != nil {
		return err
	}
	if err := t.run(qGTINsClear, it.SKU); err != nil {
		return err
	}
	for _, g := range it.GTINs {
		if err := t.run(qGTINPut, g, it.SKU); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) SKUsFolded(sku string) ([]string, error) {
	rows, err := t.query(qSKUsFolded, sku)
	return list(rows, err, func(r *sql.Rows, s *string) error { return r.Scan(s) })
}

func (t *storeTx) ItemLocation(sku string) (string, bool, error) {
	var loc string
	ok, err := found(t.row(`SELECT location FROM items WHERE sku=?`, sku).Scan(&loc))
	return loc, ok, err
}

func (t *storeTx) Order(id string) (hub.OrderRecord, bool, error) {
	o := hub.OrderRecord{Order: protocol.Order{ID: id}}
	var shipBy, shipTo string
	ok, err := found(t.row(qOrder, id).Scan(&o.Priority, &shipBy, &o.Status, &o.Customer, &o.ShipTogether, &o.CancelReason, &shipTo, &o.Carrier, &o.Service))
	if !ok {
		return o, false, err
	}
	if shipTo != "" {
		if err := json.Unmarshal([]byte(shipTo), &o.ShipTo); err != nil {
			return o, false, fmt.Errorf("order %s: the stored ship-to address does not read: %w", floor.Printable(id), err)
		}
	}
	if shipBy != "" {
		if t, err := time.Parse(time.RFC3339, shipBy); err == nil {
			o.ShipBy = &t
		}
	}
	rows, err := t.query(qOrderLines, id)
	if o.Lines, err = list(rows, err, func(r *sql.Rows, l *protocol.OrderLine) error { return r.Scan(&l.Line, &l.SKU, &l.Qty) }); err != nil {
		return o, false, err
	}
	rows, err = t.query(qOrderHolds, id)
	if o.Holds, err = list(rows, err, func(r *sql.Rows, h *protocol.Hold) error { return r.Scan(&h.Reason, &h.Note) }); err != nil {
		return o, false, err
	}
	if o.Holds == nil {
		o.Holds = []protocol.Hold{}
	}
	return o, true, nil
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
	return t.run(`INSERT INTO orders(id, priority, ship_by, customer, ship_together, ship_to, carrier, service, created_at)
		VALUES (?,?,?,?,?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET priority=excluded.priority, ship_by=excluded.ship_by, customer=excluded.customer,
		ship_together=excluded.ship_together, ship_to=excluded.ship_to, carrier=excluded.carrier, service=excluded.service`,
		o.ID, o.Priority, shipBy, o.Customer, o.ShipTogether, shipTo, o.Carrier, o.Service, stamp(at))
}

func (t *storeTx) ReplaceOrderLines(order string, lines []protocol.OrderLine) error {
	if err := t.run(`DELETE FROM order_lines WHERE order_id=?`, order); err != nil {
		return err
	}
	for _, l := range lines {
		if err := t.run(`INSERT INTO order_lines(order_id, line_no, sku, qty) VALUES (?,?,?,?)`, order, l.Line, l.SKU, l.Qty); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) SetOrderStatus(order, status, cancelReason string) error {
	return t.run(`UPDATE orders SET status=?, cancel_reason=? WHERE id=?`, status, cancelReason, order)
}

func (t *storeTx) PutHold(order string, h protocol.Hold, at time.Time) error {
	return t.run(`INSERT INTO order_holds(order_id, reason, note, placed_at) VALUES (?,?,?,?)
		ON CONFLICT(order_id, reason) DO UPDATE SET note=excluded.note`, order, h.Reason, h.Note, stamp(at))
}

func (t *storeTx) DeleteHold(order, reason string) (bool, error) {
	res, err := t.exec(`DELETE FROM order_holds WHERE order_id=? AND reason=?`, order, reason)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (t *storeTx) OrderWave(order string) (string, error) {
	var wave string
	_, err := found(t.row(`SELECT wave_id FROM pick_tasks WHERE order_id=? LIMIT 1`, order).Scan(&wave))
	return wave, err
}

func (t *storeTx) StationsOf(order string) ([]string, error) {
	rows, err := t.query(`SELECT DISTINCT w.station FROM pick_tasks t JOIN waves w ON w.id=t.wave_id
		WHERE t.order_id=? AND w.station<>'' ORDER BY w.station`, order)
	return list(rows, err, func(r *sql.Rows, s *string) error { return r.Scan(s) })
}

func (t *storeTx) Wave(id string) (protocol.Wave, bool, error) {
	w := protocol.Wave{ID: id}
	ok, err := found(t.row(qWave, id).Scan(&w.Status, &w.Station))
	return w, ok, err
}

func (t *storeTx) InsertWave(id string, at time.Time) error {
	return t.run(`INSERT INTO waves(id, created_at) VALUES (?,?)`, id, stamp(at))
}

func (t *storeTx) SetWaveStation(id, station string) error {
	return t.run(`UPDATE waves SET station=? WHERE id=?`, station, id)
}

func (t *storeTx) SetWaveStatus(id, status string) error { return t.run(qWaveStatus, status, id) }

func (t *storeTx) InsertTask(k protocol.Task) error {
	return t.run(`INSERT INTO pick_tasks(wave_id, order_id, line_no, location, sku, qty, sort_key) VALUES (?,?,?,?,?,?,?)`,
		k.Wave, k.Order, k.Line, k.Location, k.SKU, k.Qty, k.SortKey)
}

func (t *storeTx) WaveTasks(wave string) ([]protocol.Task, error) {
	rows, err := t.query(`SELECT id, order_id, line_no, location, sku, qty, sort_key FROM pick_tasks WHERE wave_id=? ORDER BY id`, wave)
	return list(rows, err, func(r *sql.Rows, k *protocol.Task) error {
		k.Wave = wave
		return r.Scan(&k.ID, &k.Order, &k.Line, &k.Location, &k.SKU, &k.Qty, &k.SortKey)
	})
}

func (t *storeTx) PutLabel(l protocol.Label, at time.Time) error {
	return t.run(`INSERT INTO carrier_labels(order_id, tracking, carrier, service, sscc, format, data, created_at) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT(order_id, tracking) DO UPDATE SET carrier=excluded.carrier, service=excluded.service, sscc=excluded.sscc,
		format=excluded.format, data=excluded.data`,
		l.Order, l.Tracking, l.Carrier, l.Service, l.SSCC, l.Format, l.Data, stamp(at))
}

func (t *storeTx) Labels(order string) ([]protocol.Label, error) {
	rows, err := t.query(`SELECT tracking, carrier, service, sscc, format, data FROM carrier_labels WHERE order_id=? ORDER BY created_at, tracking`, order)
	return list(rows, err, func(r *sql.Rows, l *protocol.Label) error {
		l.Order = order
		return r.Scan(&l.Tracking, &l.Carrier, &l.Service, &l.SSCC, &l.Format, &l.Data)
	})
}

func (t *storeTx) Tally(order string, line int) (hub.LineTally, error) {
	lt := hub.LineTally{Line: line}
	_, err := found(t.row(qTally, order, line).Scan(&lt.Picked, &lt.Short, &lt.Returned))
	return lt, err
}

func (t *storeTx) PutTally(order string, lt hub.LineTally) error {
	return t.run(qTallyPut, order, lt.Line, lt.Picked, lt.Short, lt.Returned)
}

func (t *storeTx) Tallies(order string) ([]hub.LineTally, error) {
	rows, err := t.query(qTallies, order)
	return list(rows, err, func(r *sql.Rows, lt *hub.LineTally) error {
		return r.Scan(&lt.Line, &lt.Picked, &lt.Short, &lt.Returned)
	})
}

func (t *storeTx) Parcels(order string) ([]hub.ParcelRecord, error) {
	rows, err := t.query(qParcels, order)
	out, err := list(rows, err, func(r *sql.Rows, p *hub.ParcelRecord) error {
		return r.Scan(&p.Key, &p.Shipment, &p.SSCC, &p.Tracking, &p.Carrier, &p.Status, &p.Ready)
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	type pline struct {
		parcel string
		hub.LineQty
	}
	rows, err = t.query(qParcelLines, order)
	lines, err := list(rows, err, func(r *sql.Rows, l *pline) error { return r.Scan(&l.parcel, &l.Line, &l.Qty) })
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
	if err := t.run(qParcelPut, order, p.Key, p.Shipment, p.SSCC, p.Tracking, p.Carrier, p.Status, p.Ready); err != nil {
		return err
	}
	if err := t.run(qParcelClear, order, p.Key); err != nil {
		return err
	}
	for _, l := range p.Lines {
		if err := t.run(qParcelLine, order, p.Key, l.Line, l.Qty); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) ParcelsWithSSCC(sscc string) ([]hub.ParcelRef, error) {
	rows, err := t.query(qSSCC, sscc)
	return list(rows, err, func(r *sql.Rows, p *hub.ParcelRef) error { return r.Scan(&p.Order, &p.Shipment) })
}

// AppendFeed appends changes as one group. The group is its first
// change's seq, which no earlier group can have used (AUTOINCREMENT
// keeps the last seq ever given in sqlite_sequence).
func (t *storeTx) AppendFeed(changes ...hub.FeedEntry) error {
	if len(changes) == 0 {
		return nil
	}
	if t.feedNext == 0 {
		if err := t.row(qFeedNext).Scan(&t.feedNext); err != nil {
			return err
		}
	}
	grp := t.feedNext
	var first int64
	for i, e := range changes {
		c := e.Change
		c.Seq = 0
		body, err := json.Marshal(c)
		if err != nil {
			return err
		}
		res, err := t.exec(qFeedInsert, grp, e.Station, c.Kind, string(body))
		if err != nil {
			return err
		}
		seq, err := res.LastInsertId()
		if err != nil {
			return err
		}
		if i == 0 {
			first = seq
		}
		t.feedNext = seq + 1
	}
	if first != grp {
		return t.run(`UPDATE changes SET grp=? WHERE seq BETWEEN ? AND ?`, first, first, t.feedNext-1)
	}
	return nil
}

// FeedSafe is the feed's highest seq: with one writer committing in
// sequence order, every change up to it is visible to this snapshot.
func (t *storeTx) FeedSafe() (int64, error) {
	var n int64
	err := t.row(`SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&n)
	return n, err
}

func (t *storeTx) FeedTag(seq int64) (int64, bool, error) {
	var tag int64
	ok, err := found(t.row(`SELECT tag FROM changes WHERE seq=?`, seq).Scan(&tag))
	return tag, ok, err
}

func scanChange(r *sql.Rows, c *hub.FeedChange) error {
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
const qFeed = `SELECT seq, grp, tag, body FROM changes WHERE station IN ('', ?1,
	COALESCE((SELECT '` + hub.AudiencePrefix + `' || bench FROM stations WHERE id=?1 AND bench<>''), '')) AND seq > ?2 `

func (t *storeTx) Feed(station string, after, upTo int64, limit int) ([]hub.FeedChange, error) {
	rows, err := t.query(qFeed+`AND seq <= ?3 ORDER BY seq LIMIT ?4`, station, after, upTo, limit)
	return list(rows, err, scanChange)
}

func (t *storeTx) FeedGroup(station string, after, group int64) ([]hub.FeedChange, error) {
	rows, err := t.query(qFeed+`AND grp = ?3 ORDER BY seq`, station, after, group)
	return list(rows, err, scanChange)
}

const settingPrefix = "setting."

// Settings live in hub_meta under "setting.NAME".
func (t *storeTx) Settings() (map[string]string, error) {
	rows, err := t.query(`SELECT substr(key, ?), value FROM hub_meta WHERE key LIKE ?`, len(settingPrefix)+1, settingPrefix+"%")
	kv, err := list(rows, err, func(r *sql.Rows, kv *[2]string) error { return r.Scan(&kv[0], &kv[1]) })
	out := map[string]string{}
	for _, p := range kv {
		out[p[0]] = p[1]
	}
	return out, err
}

func (t *storeTx) PutSetting(name, value string) error {
	return t.run(`INSERT INTO hub_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, settingPrefix+name, value)
}

func (t *storeTx) OrderLife(order string) (hub.LifeRecord, bool, error) {
	var body string
	ok, err := found(t.row(`SELECT body FROM order_life WHERE order_id=?`, order).Scan(&body))
	if err != nil || !ok {
		return hub.LifeRecord{}, ok, err
	}
	r, err := hub.ReadLifeRecord(order, []byte(body))
	return r, err == nil, err
}

func (t *storeTx) PutOrderLife(order string, r hub.LifeRecord) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if kept, err := t.updated(qLifeKeep, order, r.State, r.ShelfLocation(), string(body)); err != nil || kept {
		return err
	}
	return t.run(qLifePut, order, r.State, r.ShelfLocation(), string(body))
}

func (t *storeTx) ShelvedOrders() ([]string, error) {
	rows, err := t.query(`SELECT order_id FROM order_life WHERE shelf<>'' ORDER BY order_id`)
	return list(rows, err, func(r *sql.Rows, o *string) error { return r.Scan(o) })
}

func (t *storeTx) PutItemLocations(sku string, locations []string) error {
	if err := t.run(`DELETE FROM item_locations WHERE sku=?`, sku); err != nil {
		return err
	}
	for i, l := range locations {
		if err := t.run(`INSERT INTO item_locations(sku, rank, location) VALUES (?,?,?)`, sku, i+1, l); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) ItemLocations(sku string) ([]string, error) {
	rows, err := t.query(`SELECT location FROM item_locations WHERE sku=? ORDER BY rank`, sku)
	return list(rows, err, func(r *sql.Rows, l *string) error { return r.Scan(l) })
}

func (t *storeTx) Probe(at time.Time) error {
	return t.run(`INSERT INTO hub_meta(key, value) VALUES ('ready_probe', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, stamp(at))
}

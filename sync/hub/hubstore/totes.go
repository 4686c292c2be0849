package hubstore

import (
	"database/sql"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The push path's tote statements, prepared with the others.
const (
	qTote    = `SELECT order_id, fill, freed, freed_by, units_version FROM totes WHERE code=?`
	qTotePut = `INSERT OR REPLACE INTO totes(code, order_id, fill, freed, freed_by, units_version) VALUES (?,?,?,?,?,?)`
	// qToteKeep rewrites a tote's row in place while its order stays:
	// its indexes (code, order) are not written again.
	qToteKeep  = `UPDATE totes SET fill=?3, freed=?4, freed_by=?5, units_version=?6 WHERE code=?1 AND order_id=?2`
	qToteUnits = `SELECT station, seq, task, line_no, sku, qty, lot, serial, expiry, location, operator FROM tote_units WHERE tote=? AND fill=? ORDER BY station, seq`
)

func init() {
	writeStatements = append(writeStatements, qTote, qTotePut, qToteKeep, qToteUnits)
}

func (t *storeTx) SetStationBench(id, bench string) error {
	return t.run(`UPDATE stations SET bench=? WHERE id=?`, bench, id)
}

func (t *storeTx) Tote(code string) (hub.ToteRecord, bool, error) {
	r := hub.ToteRecord{Code: code}
	ok, err := found(t.row(qTote, code).Scan(&r.Order, &r.Fill, &r.Freed, &r.FreedBy, &r.Version))
	return r, ok, err
}

func (t *storeTx) PutTote(r hub.ToteRecord) error {
	if kept, err := t.updated(qToteKeep, r.Code, r.Order, r.Fill, r.Freed, r.FreedBy, r.Version); err != nil || kept {
		return err
	}
	return t.run(qTotePut, r.Code, r.Order, r.Fill, r.Freed, r.FreedBy, r.Version)
}

func (t *storeTx) TotesOf(order string) ([]string, error) {
	rows, err := t.query(`SELECT code FROM totes WHERE order_id=? AND order_id<>'' ORDER BY code`, order)
	return list(rows, err, func(r *sql.Rows, s *string) error { return r.Scan(s) })
}

func (t *storeTx) DeleteLastToteUnit(station string, task int64, qty int) (hub.ToteUnitRecord, bool, error) {
	var u hub.ToteUnitRecord
	if err := t.sendHeld(); err != nil {
		return u, false, err
	}
	ok, err := found(t.row(`DELETE FROM tote_units WHERE station=?1 AND task=?2 AND qty=?3
		AND seq=(SELECT MAX(seq) FROM tote_units WHERE station=?1 AND task=?2)
		RETURNING station, seq, tote, fill, order_id, task, line_no, sku, qty, lot, serial, expiry, location, operator`, station, task, qty).
		Scan(&u.Station, &u.Seq, &u.Tote, &u.Fill, &u.Order, &u.Task, &u.Line, &u.SKU, &u.Qty, &u.Lot, &u.Serial, &u.Expiry, &u.Location, &u.Operator))
	return u, ok, err
}

func (t *storeTx) ToteUnits(tote string, fill int64) ([]protocol.ToteUnit, error) {
	if err := t.sendHeld(); err != nil {
		return nil, err
	}
	rows, err := t.query(qToteUnits, tote, fill)
	return list(rows, err, func(r *sql.Rows, u *protocol.ToteUnit) error {
		return r.Scan(&u.Station, &u.Seq, &u.Task, &u.Line, &u.SKU, &u.Qty, &u.Lot, &u.Serial, &u.Expiry, &u.Location, &u.Operator)
	})
}

func (t *storeTx) AddShort(order string, s protocol.ToteShort) error {
	return t.run(`INSERT INTO order_shorts(order_id, station, task, line_no, qty) VALUES (?,?,?,?,?)
		ON CONFLICT(order_id, station, task) DO UPDATE SET qty = qty + excluded.qty`, order, s.Station, s.Task, s.Line, s.Qty)
}

func (t *storeTx) Shorts(order string) ([]protocol.ToteShort, error) {
	rows, err := t.query(`SELECT station, task, line_no, qty FROM order_shorts WHERE order_id=? ORDER BY station, task`, order)
	return list(rows, err, func(r *sql.Rows, s *protocol.ToteShort) error { return r.Scan(&s.Station, &s.Task, &s.Line, &s.Qty) })
}

func (t *storeTx) AddPacked(order string, p protocol.TotePacked) error {
	return t.run(`INSERT INTO order_packed(order_id, station, shipment, line_no, qty) VALUES (?,?,?,?,?)
		ON CONFLICT(order_id, station, shipment, line_no) DO UPDATE SET qty = qty + excluded.qty`, order, p.Station, p.Shipment, p.Line, p.Qty)
}

func (t *storeTx) DeletePacked(order, station, shipment string) error {
	return t.run(`DELETE FROM order_packed WHERE order_id=? AND station=? AND shipment=?`, order, station, shipment)
}

func (t *storeTx) Packed(order string) ([]protocol.TotePacked, error) {
	rows, err := t.query(`SELECT station, shipment, line_no, qty FROM order_packed WHERE order_id=? ORDER BY station, shipment, line_no`, order)
	return list(rows, err, func(r *sql.Rows, p *protocol.TotePacked) error {
		return r.Scan(&p.Station, &p.Shipment, &p.Line, &p.Qty)
	})
}

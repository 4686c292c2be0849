package pgstore

import (
	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// Totes travel between stations: the hubstore/totes.go port methods in
// PostgreSQL's dialect.

func (t *storeTx) SetStationBench(id, bench string) error {
	return t.run(`UPDATE stations SET bench=$1 WHERE id=$2`, bench, id)
}

func (t *storeTx) Tote(code string) (hub.ToteRecord, bool, error) {
	r := hub.ToteRecord{Code: code}
	ok, err := found(t.row(`SELECT order_id, fill, freed, freed_by, units_version FROM totes WHERE code=$1`, code).Scan(&r.Order, &r.Fill, &r.Freed, &r.FreedBy, &r.Version))
	return r, ok, err
}

func (t *storeTx) PutTote(r hub.ToteRecord) error {
	return t.run(`INSERT INTO totes(code, order_id, fill, freed, freed_by, units_version) VALUES ($1,$2,$3,$4,$5,$6)
		ON CONFLICT(code) DO UPDATE SET order_id=excluded.order_id, fill=excluded.fill, freed=excluded.freed, freed_by=excluded.freed_by,
		units_version=excluded.units_version`,
		r.Code, r.Order, r.Fill, r.Freed, r.FreedBy, r.Version)
}

func (t *storeTx) TotesOf(order string) ([]string, error) {
	return list(t, `SELECT code FROM totes WHERE order_id=$1 AND order_id<>'' ORDER BY code`, args(order),
		func(r pgx.Rows, s *string) error { return r.Scan(s) })
}

func (t *storeTx) DeleteLastToteUnit(station string, task int64, qty int) (hub.ToteUnitRecord, bool, error) {
	var u hub.ToteUnitRecord
	ok, err := found(t.row(`DELETE FROM tote_units WHERE station=$1 AND task=$2 AND qty=$3
		AND seq=(SELECT MAX(seq) FROM tote_units WHERE station=$1 AND task=$2)
		RETURNING station, seq, tote, fill, order_id, task, line_no, sku, qty, lot, serial, expiry, location, operator`, station, task, qty).
		Scan(&u.Station, &u.Seq, &u.Tote, &u.Fill, &u.Order, &u.Task, &u.Line, &u.SKU, &u.Qty, &u.Lot, &u.Serial, &u.Expiry, &u.Location, &u.Operator))
	return u, ok, err
}

func (t *storeTx) ToteUnits(tote string, fill int64) ([]protocol.ToteUnit, error) {
	return list(t, `SELECT station, seq, task, line_no, sku, qty, lot, serial, expiry, location, operator
		FROM tote_units WHERE tote=$1 AND fill=$2 ORDER BY station, seq`, args(tote, fill),
		func(r pgx.Rows, u *protocol.ToteUnit) error {
			return r.Scan(&u.Station, &u.Seq, &u.Task, &u.Line, &u.SKU, &u.Qty, &u.Lot, &u.Serial, &u.Expiry, &u.Location, &u.Operator)
		})
}

func (t *storeTx) AddShort(order string, s protocol.ToteShort) error {
	return t.run(`INSERT INTO order_shorts(order_id, station, task, line_no, qty) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT(order_id, station, task) DO UPDATE SET qty = order_shorts.qty + excluded.qty`, order, s.Station, s.Task, s.Line, s.Qty)
}

func (t *storeTx) Shorts(order string) ([]protocol.ToteShort, error) {
	return list(t, `SELECT station, task, line_no, qty FROM order_shorts WHERE order_id=$1 ORDER BY station, task`, args(order),
		func(r pgx.Rows, s *protocol.ToteShort) error { return r.Scan(&s.Station, &s.Task, &s.Line, &s.Qty) })
}

func (t *storeTx) AddPacked(order string, p protocol.TotePacked) error {
	return t.run(`INSERT INTO order_packed(order_id, station, shipment, line_no, qty) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT(order_id, station, shipment, line_no) DO UPDATE SET qty = order_packed.qty + excluded.qty`,
		order, p.Station, p.Shipment, p.Line, p.Qty)
}

func (t *storeTx) DeletePacked(order, station, shipment string) error {
	return t.run(`DELETE FROM order_packed WHERE order_id=$1 AND station=$2 AND shipment=$3`, order, station, shipment)
}

func (t *storeTx) Packed(order string) ([]protocol.TotePacked, error) {
	return list(t, `SELECT station, shipment, line_no, qty FROM order_packed WHERE order_id=$1 ORDER BY station, shipment, line_no`, args(order),
		func(r pgx.Rows, p *protocol.TotePacked) error {
			return r.Scan(&p.Station, &p.Shipment, &p.Line, &p.Qty)
		})
}

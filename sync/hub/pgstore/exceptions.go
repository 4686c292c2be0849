package pgstore

import (
	"encoding/json"
	"github.com/jackc/pgx/v5"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The exceptions raised from stations' events and the cycle-count tasks
// (migration 0011): the port in SQL.

func (t *storeTx) RaiseException(e hub.FloorException) (int64, bool, error) {
	detail, err := json.Marshal(e.Detail)
	if err != nil {
		return 0, false, err
	}
	var id int64
	ok, err := found(t.row(`INSERT INTO floor_exceptions(station, seq, event_id, order_id, kind, ref, reason, detail, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING RETURNING id`,
		e.Station, e.Seq, e.EventID, e.Order, e.Kind, e.Ref, e.Reason, string(detail), stamp(e.At)).Scan(&id))
	return id, ok, err
}

const floorCols = `id, station, seq, event_id, order_id, kind, ref, reason, detail, at,
	resolved_at, resolved_station, resolved_seq, resolved_by, action, action_reason`

func scanFloor(r interface{ Scan(...any) error }, e *hub.FloorException) error {
	var detail, at, rat string
	var res hub.Resolution
	if err := r.Scan(&e.ID, &e.Station, &e.Seq, &e.EventID, &e.Order, &e.Kind, &e.Ref, &e.Reason, &detail, &at,
		&rat, &res.Station, &res.Seq, &res.Operator, &res.Action, &res.Reason); err != nil {
		return err
	}
	e.At = parseStamp(at)
	if rat != "" {
		res.Conflict, res.At = e.ID, parseStamp(rat)
		e.Resolved = &res
	}
	return json.Unmarshal([]byte(detail), &e.Detail)
}

func (t *storeTx) FloorException(id int64) (hub.FloorException, bool, error) {
	var e hub.FloorException
	ok, err := found(scanFloor(t.row(`SELECT `+floorCols+` FROM floor_exceptions WHERE id=$1`, id), &e))
	return e, ok, err
}

func (t *storeTx) OpenExceptions(after int64, limit int) ([]hub.FloorException, error) {
	return list(t, `SELECT `+floorCols+` FROM floor_exceptions WHERE resolved_at='' AND id>$1 ORDER BY id LIMIT $2`, args(after, limit),
		func(r pgx.Rows, e *hub.FloorException) error { return scanFloor(r, e) })
}

func (t *storeTx) ResolveException(id int64, r hub.Resolution) (bool, error) {
	n, err := t.exec(`UPDATE floor_exceptions SET resolved_at=$1, resolved_station=$2, resolved_seq=$3, resolved_by=$4, action=$5, action_reason=$6
		WHERE id=$7 AND resolved_at=''`, stamp(r.At), r.Station, r.Seq, r.Operator, r.Action, r.Reason, id)
	return n == 1, err
}

func (t *storeTx) InsertCount(c protocol.Count) (int64, error) {
	var id int64
	err := t.row(`INSERT INTO count_tasks(exception_id, station, location, sku, reason, status, counted, counted_by, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, c.Exception, c.Station, c.Location, c.SKU, c.Reason, c.Status, c.Counted, c.CountedBy, stamp(c.At)).Scan(&id)
	return id, err
}

func (t *storeTx) Count(id int64) (protocol.Count, bool, error) {
	var c protocol.Count
	var at string
	ok, err := found(t.row(`SELECT id, exception_id, station, location, sku, reason, status, counted, counted_by, at FROM count_tasks WHERE id=$1`, id).
		Scan(&c.ID, &c.Exception, &c.Station, &c.Location, &c.SKU, &c.Reason, &c.Status, &c.Counted, &c.CountedBy, &at))
	c.At = parseStamp(at)
	return c, ok, err
}

func (t *storeTx) PutCount(c protocol.Count) error {
	_, err := t.exec(`UPDATE count_tasks SET status=$1, counted=$2, counted_by=$3 WHERE id=$4`, c.Status, c.Counted, c.CountedBy, c.ID)
	return err
}

package hubstore

import (
	"database/sql"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's aggregates (migration 0008).
const (
	qAggVersion     = `SELECT version FROM agg_meta WHERE id=1`
	qAggVersionNext = `UPDATE agg_meta SET version=version+1 WHERE id=1 RETURNING version`
	// A push's counts go in one multi-row upsert (aggCounts): SQLite
	// applies its rows one by one, so a key met twice adds up.
	qAggCountHead = `INSERT INTO agg_counts(scope, key, metric, bucket, value, version) VALUES `
	qAggCountTail = ` ON CONFLICT(scope, key, metric, bucket) DO UPDATE SET value=value+excluded.value, version=excluded.version`
	qAggOrder     = `SELECT wave, state, ship_by, lines, lines_done, units, picked, short, packed, shipped, version
		FROM agg_orders WHERE order_id=?`
	qAggOrderPut = `INSERT OR REPLACE INTO agg_orders(order_id, wave, state, ship_by, lines, lines_done, units, picked, short, packed, shipped, version)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`
	// qAggOrderKeep rewrites an order's row in place while its indexed
	// columns (wave, ship-by, state) stay: the indexes are not written
	// again, as INSERT OR REPLACE writes them.
	qAggOrderKeep = `UPDATE agg_orders SET lines=?5, lines_done=?6, units=?7, picked=?8, short=?9, packed=?10, shipped=?11, version=?12
		WHERE order_id=?1 AND wave=?2 AND state=?3 AND ship_by=?4`
	qAggSeenPut = `INSERT INTO agg_operators(badge, station, event, at, version) VALUES (?,?,?,?,?)
		ON CONFLICT(badge) DO UPDATE SET station=excluded.station, event=excluded.event, at=excluded.at, version=excluded.version
		WHERE excluded.at > agg_operators.at OR (excluded.at = agg_operators.at AND excluded.station > agg_operators.station)`
)

func init() {
	writeStatements = append(writeStatements, qAggVersion, qAggVersionNext, aggCounts(nil).query(1), qAggOrder, qAggOrderPut, qAggOrderKeep, qAggSeenPut)
}

func (t *storeTx) AggVersion(next bool) (int64, error) {
	var v int64
	q := qAggVersion
	if next {
		q = qAggVersionNext
	}
	err := t.row(q).Scan(&v)
	return v, err
}

// aggCounts is cs as the rows of one upsert: a push adds to about ten
// counters, each its own statement before.
func aggCounts(cs []hub.Count) *heldInsert {
	h := &heldInsert{head: qAggCountHead, row: `(?,?,?,?,?,?)`, tail: qAggCountTail, width: 6, args: make([]any, 0, 6*len(cs))}
	for _, c := range cs {
		h.args = append(h.args, c.Scope, c.Key, c.Metric, c.Bucket, c.Value, c.Version)
	}
	return h
}

func (t *storeTx) AddCounts(cs []hub.Count) error {
	return aggCounts(cs).send(t)
}

func (t *storeTx) Counts(scope string, after, fromBucket int64) ([]hub.Count, error) {
	rows, err := t.query(`SELECT key, metric, bucket, value, version FROM agg_counts
		WHERE scope=? AND version>? AND (bucket=0 OR bucket>=?) ORDER BY key, metric, bucket`, scope, after, fromBucket)
	return list(rows, err, func(r *sql.Rows, c *hub.Count) error {
		c.Scope = scope
		return r.Scan(&c.Key, &c.Metric, &c.Bucket, &c.Value, &c.Version)
	})
}

func unixPtr(s int64) *time.Time {
	if s == 0 {
		return nil
	}
	t := time.Unix(s, 0).UTC()
	return &t
}

func scanAggOrder(r interface{ Scan(...any) error }, o *hub.AggOrder) error {
	var shipBy int64
	err := r.Scan(&o.Wave, &o.State, &shipBy, &o.Lines, &o.LinesDone, &o.Units, &o.Picked, &o.Short, &o.Packed, &o.Shipped, &o.Version)
	o.ShipBy = unixPtr(shipBy)
	return err
}

func (t *storeTx) AggOrder(order string) (hub.AggOrder, bool, error) {
	o := hub.AggOrder{Order: order}
	ok, err := found(scanAggOrder(t.row(qAggOrder, order), &o))
	if !ok {
		return hub.AggOrder{}, false, err
	}
	return o, true, nil
}

func (t *storeTx) PutAggOrder(o hub.AggOrder) error {
	var shipBy int64
	if o.ShipBy != nil {
		shipBy = o.ShipBy.Unix()
	}
	if kept, err := t.updated(qAggOrderKeep, o.Order, o.Wave, o.State, shipBy, o.Lines, o.LinesDone, o.Units, o.Picked, o.Short, o.Packed, o.Shipped, o.Version); err != nil || kept {
		return err
	}
	return t.run(qAggOrderPut, o.Order, o.Wave, o.State, shipBy, o.Lines, o.LinesDone, o.Units, o.Picked, o.Short, o.Packed, o.Shipped, o.Version)
}

func (t *storeTx) AggOrders(wave string) ([]hub.AggOrder, error) {
	rows, err := t.query(`SELECT order_id, wave, state, ship_by, lines, lines_done, units, picked, short, packed, shipped, version
		FROM agg_orders WHERE wave=? ORDER BY order_id`, wave)
	return list(rows, err, func(r *sql.Rows, o *hub.AggOrder) error {
		var id string
		err := scanAggOrder(rowWith{r, &id}, o)
		o.Order = id
		return err
	})
}

// rowWith scans a leading column into first, then the rest.
type rowWith struct {
	r     *sql.Rows
	first *string
}

func (w rowWith) Scan(dest ...any) error { return w.r.Scan(append([]any{w.first}, dest...)...) }

func (t *storeTx) LateOrders(wave string, before time.Time) (int, error) {
	var n int
	err := t.row(`SELECT COUNT(*) FROM agg_orders WHERE wave=? AND ship_by>0 AND ship_by<?
		AND state NOT IN (?,?,?)`, wave, before.Unix(), hub.FinishedStates[0], hub.FinishedStates[1], hub.FinishedStates[2]).Scan(&n)
	return n, err
}

func (t *storeTx) PutOperatorSeen(s hub.OperatorSeen) error {
	return t.run(qAggSeenPut, s.Badge, s.Station, s.Event, s.At.UnixNano(), s.Version)
}

func (t *storeTx) OperatorsSeen(after int64) ([]hub.OperatorSeen, error) {
	rows, err := t.query(`SELECT badge, station, event, at, version FROM agg_operators WHERE version>? ORDER BY badge`, after)
	return list(rows, err, func(r *sql.Rows, s *hub.OperatorSeen) error {
		var at int64
		err := r.Scan(&s.Badge, &s.Station, &s.Event, &at, &s.Version)
		s.At = time.Unix(0, at).UTC()
		return err
	})
}

func (t *storeTx) OperatorRoles(badge string) ([]floor.Role, bool, error) {
	var roles string
	ok, err := found(t.row(`SELECT roles FROM operators WHERE badge=?`, badge).Scan(&roles))
	if !ok {
		return nil, false, err
	}
	return splitRoles(roles), true, nil
}

func splitRoles(s string) []floor.Role {
	var rs []floor.Role
	for r := range strings.SplitSeq(s, ",") {
		if r != "" {
			rs = append(rs, floor.Role(r))
		}
	}
	return rs
}

func (t *storeTx) Conflict(id int64) (protocol.Conflict, bool, error) {
	cs, err := t.conflicts(`WHERE id=?`, id)
	if err != nil || len(cs) == 0 {
		return protocol.Conflict{}, false, err
	}
	return cs[0], true, nil
}

func (t *storeTx) PutResolution(r hub.Resolution) (bool, error) {
	res, err := t.exec(`INSERT INTO exception_resolutions(conflict_id, station, seq, operator, action, reason, at)
		VALUES (?,?,?,?,?,?,?) ON CONFLICT(conflict_id) DO NOTHING`, r.Conflict, r.Station, r.Seq, r.Operator, r.Action, r.Reason, stamp(r.At))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (t *storeTx) Resolutions(after int64, limit int) ([]hub.Resolution, error) {
	rows, err := t.query(`SELECT conflict_id, station, seq, operator, action, reason, at FROM exception_resolutions
		WHERE conflict_id>? ORDER BY conflict_id LIMIT ?`, after, limit)
	return list(rows, err, func(r *sql.Rows, x *hub.Resolution) error {
		var at string
		err := r.Scan(&x.Conflict, &x.Station, &x.Seq, &x.Operator, &x.Action, &x.Reason, &at)
		x.At = parseStamp(at)
		return err
	})
}

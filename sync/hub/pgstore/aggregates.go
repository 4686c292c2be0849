package pgstore

import (
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's aggregates (migration 0008). Every push that changes
// them moves agg_meta's one row: pushes serialize on it, as they do on
// the feed lock.

func (t *storeTx) AggVersion(next bool) (int64, error) {
	var v int64
	q := `SELECT version FROM agg_meta WHERE id=1`
	if next {
		q = `UPDATE agg_meta SET version=version+1 WHERE id=1 RETURNING version`
	}
	err := t.row(q).Scan(&v)
	return v, err
}

func (t *storeTx) AddCounts(cs []hub.Count) error {
	for _, c := range cs {
		if err := t.run(`INSERT INTO agg_counts(scope, key, metric, bucket, value, version) VALUES ($1,$2,$3,$4,$5,$6)
			ON CONFLICT(scope, key, metric, bucket) DO UPDATE SET value=agg_counts.value+excluded.value, version=excluded.version`,
			c.Scope, c.Key, c.Metric, c.Bucket, c.Value, c.Version); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) Counts(scope string, after, fromBucket int64) ([]hub.Count, error) {
	return list(t, `SELECT key, metric, bucket, value, version FROM agg_counts
		WHERE scope=$1 AND version>$2 AND (bucket=0 OR bucket>=$3) ORDER BY key, metric, bucket`, args(scope, after, fromBucket),
		func(r pgx.Rows, c *hub.Count) error {
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

const aggOrderCols = `order_id, wave, state, ship_by, lines, lines_done, units, picked, short, packed, shipped, version`

func scanAggOrder(r pgx.Row, o *hub.AggOrder) error {
	var shipBy int64
	err := r.Scan(&o.Order, &o.Wave, &o.State, &shipBy, &o.Lines, &o.LinesDone, &o.Units, &o.Picked, &o.Short, &o.Packed, &o.Shipped, &o.Version)
	o.ShipBy = unixPtr(shipBy)
	return err
}

func (t *storeTx) AggOrder(order string) (hub.AggOrder, bool, error) {
	var o hub.AggOrder
	ok, err := found(scanAggOrder(t.row(`SELECT `+aggOrderCols+` FROM agg_orders WHERE order_id=$1`, order), &o))
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
	return t.run(`INSERT INTO agg_orders(`+aggOrderCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
		ON CONFLICT(order_id) DO UPDATE SET wave=excluded.wave, state=excluded.state, ship_by=excluded.ship_by, lines=excluded.lines,
		lines_done=excluded.lines_done, units=excluded.units, picked=excluded.picked, short=excluded.short, packed=excluded.packed,
		shipped=excluded.shipped, version=excluded.version`,
		o.Order, o.Wave, o.State, shipBy, o.Lines, o.LinesDone, o.Units, o.Picked, o.Short, o.Packed, o.Shipped, o.Version)
}

func (t *storeTx) AggOrders(wave string) ([]hub.AggOrder, error) {
	return list(t, `SELECT `+aggOrderCols+` FROM agg_orders WHERE wave=$1 ORDER BY order_id`, args(wave),
		func(r pgx.Rows, o *hub.AggOrder) error { return scanAggOrder(r, o) })
}

func (t *storeTx) LateOrders(wave string, before time.Time) (int, error) {
	var n int
	err := t.row(`SELECT COUNT(*) FROM agg_orders WHERE wave=$1 AND ship_by>0 AND ship_by<$2 AND state NOT IN ($3,$4,$5)`,
		wave, before.Unix(), hub.FinishedStates[0], hub.FinishedStates[1], hub.FinishedStates[2]).Scan(&n)
	return n, err
}

func (t *storeTx) PutOperatorSeen(s hub.OperatorSeen) error {
	return t.run(`INSERT INTO agg_operators(badge, station, event, at, version) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT(badge) DO UPDATE SET station=excluded.station, event=excluded.event, at=excluded.at, version=excluded.version
		WHERE excluded.at > agg_operators.at OR (excluded.at = agg_operators.at AND excluded.station > agg_operators.station)`,
		s.Badge, s.Station, s.Event, s.At.UnixNano(), s.Version)
}

func (t *storeTx) OperatorsSeen(after int64) ([]hub.OperatorSeen, error) {
	return list(t, `SELECT badge, station, event, at, version FROM agg_operators WHERE version>$1 ORDER BY badge`, args(after),
		func(r pgx.Rows, s *hub.OperatorSeen) error {
			var at int64
			err := r.Scan(&s.Badge, &s.Station, &s.Event, &at, &s.Version)
			s.At = time.Unix(0, at).UTC()
			return err
		})
}

func (t *storeTx) OperatorRoles(badge string) ([]floor.Role, bool, error) {
	var roles string
	ok, err := found(t.row(`SELECT roles FROM operators WHERE badge=$1`, badge).Scan(&roles))
	if !ok {
		return nil, false, err
	}
	var rs []floor.Role
	for r := range strings.SplitSeq(roles, ",") {
		if r != "" {
			rs = append(rs, floor.Role(r))
		}
	}
	return rs, true, nil
}

func (t *storeTx) Conflict(id int64) (protocol.Conflict, bool, error) {
	cs, err := t.conflicts(`WHERE id=$1`, id)
	if err != nil || len(cs) == 0 {
		return protocol.Conflict{}, false, err
	}
	return cs[0], true, nil
}

func (t *storeTx) PutResolution(r hub.Resolution) (bool, error) {
	n, err := t.exec(`INSERT INTO exception_resolutions(conflict_id, station, seq, operator, action, reason, at)
		VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT(conflict_id) DO NOTHING`, r.Conflict, r.Station, r.Seq, r.Operator, r.Action, r.Reason, stamp(r.At))
	return n == 1, err
}

func (t *storeTx) Resolutions(after int64, limit int) ([]hub.Resolution, error) {
	return list(t, `SELECT conflict_id, station, seq, operator, action, reason, at FROM exception_resolutions
		WHERE conflict_id>$1 ORDER BY conflict_id LIMIT $2`, args(after, limit),
		func(r pgx.Rows, x *hub.Resolution) error {
			var at string
			err := r.Scan(&x.Conflict, &x.Station, &x.Seq, &x.Operator, &x.Action, &x.Reason, &at)
			x.At = parseStamp(at)
			return err
		})
}

package pgstore

import (
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's aggregates (migrations 0008, 0015 and 0017). No row is
// updated by every push: under SERIALIZABLE, two running pushes that
// update one row cannot both commit, and pushes then failed and ran
// again in turn (most of a busy site's pushes did).
//
// Versions. A version comes from agg_version_seq under the publish lock
// (the feed's, see the package doc), held to the end of the transaction:
// versions commit in the order they are taken, as feed sequences do. The
// version a reader is given is the highest its snapshot holds in the
// tables, so every change at or below it is visible to it and a change
// committed later has a higher one (the read API's ?after= misses none).
// It is read from agg_versions, where each transaction that writes the
// aggregates raises its shard's row to its version (migration 0017: an
// index on agg_orders' version made every update of an order's row add
// an index entry, and pushes failed each other on it).
// A writer's version is taken in the tail, as it commits: AggVersion(true)
// gives versionAtCommit, and the writes that carry it go to the tail and
// name the version taken there (currval).
//
// Shards. A counter is kept in one row per shard: the station whose row
// the transaction locked (a push locks its station's row first, so one
// station's pushes never run together), or "" for a transaction that
// locked none (central actions). Its value is the sum of its shards, its
// version the highest. An operator's latest event is likewise kept per
// station, and the latest of those read.

// versionAtCommit stands for the version this transaction takes as it
// commits.
const versionAtCommit = -1

func (t *storeTx) AggVersion(next bool) (int64, error) {
	if next {
		return versionAtCommit, nil
	}
	t.unTail()
	var v int64
	err := t.row(`SELECT COALESCE(MAX(version), 0) FROM agg_versions`).Scan(&v)
	return v, err
}

// aggWrite queues an aggregates' write carrying version v: $1 in q is
// the version, the rest args. The version taken at commit is the
// transaction's first nextval of agg_version_seq, made in the tail.
func (t *storeTx) aggWrite(q string, v int64, args ...any) {
	if v != versionAtCommit {
		t.publish(qAggVersion, t.shard, v)
		t.publish(q, append([]any{v}, args...)...)
		return
	}
	if !t.aggVersion {
		t.aggVersion = true
		t.publish(`SELECT nextval('agg_version_seq')`)
		t.publish(strings.Replace(qAggVersion, "$2", "currval('agg_version_seq')", 1), t.shard)
	}
	t.publish(strings.Replace(q, "$1", "currval('agg_version_seq')+0*$1", 1), append([]any{v}, args...)...)
}

// qAggVersion keeps the shard's highest version (migration 0017), which
// AggVersion reads: the highest of every aggregate row the snapshot holds.
const qAggVersion = `INSERT INTO agg_versions(shard, version) VALUES ($1, $2) ON CONFLICT (shard)
	DO UPDATE SET version=GREATEST(agg_versions.version, excluded.version)`

func (t *storeTx) AddCounts(cs []hub.Count) error {
	for _, c := range cs {
		t.aggWrite(`INSERT INTO agg_counts(version, scope, key, metric, bucket, shard, value) VALUES ($1,$2,$3,$4,$5,$6,$7)
			ON CONFLICT(scope, key, metric, bucket, shard) DO UPDATE SET value=agg_counts.value+excluded.value, version=excluded.version`,
			c.Version, c.Scope, c.Key, c.Metric, c.Bucket, t.shard, c.Value)
	}
	return nil
}

func (t *storeTx) Counts(scope string, after, fromBucket int64) ([]hub.Count, error) {
	t.unTail()
	return list(t, `SELECT key, metric, bucket, SUM(value)::BIGINT, MAX(version) FROM agg_counts
		WHERE scope=$1 AND (bucket=0 OR bucket>=$3) GROUP BY key, metric, bucket HAVING MAX(version)>$2
		ORDER BY key, metric, bucket`, args(scope, after, fromBucket),
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
	if o, ok := t.aggOrders[order]; ok {
		return o, true, nil
	}
	return t.aggOrder(order)
}

func (t *storeTx) PutAggOrder(o hub.AggOrder) error {
	var shipBy int64
	if o.ShipBy != nil {
		shipBy = o.ShipBy.Unix()
	}
	if t.aggOrders == nil {
		t.aggOrders = map[string]hub.AggOrder{}
	}
	t.aggOrders[o.Order] = o
	t.aggWrite(`INSERT INTO agg_orders(version, order_id, wave, state, ship_by, lines, lines_done, units, picked, short, packed, shipped)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)
		ON CONFLICT(order_id) DO UPDATE SET wave=excluded.wave, state=excluded.state, ship_by=excluded.ship_by, lines=excluded.lines,
		lines_done=excluded.lines_done, units=excluded.units, picked=excluded.picked, short=excluded.short, packed=excluded.packed,
		shipped=excluded.shipped, version=excluded.version`,
		o.Version, o.Order, o.Wave, o.State, shipBy, o.Lines, o.LinesDone, o.Units, o.Picked, o.Short, o.Packed, o.Shipped)
	return nil
}

func (t *storeTx) AggOrders(wave string) ([]hub.AggOrder, error) {
	t.unTail()
	return list(t, `SELECT `+aggOrderCols+` FROM agg_orders WHERE wave=$1 ORDER BY order_id`, args(wave),
		func(r pgx.Rows, o *hub.AggOrder) error { return scanAggOrder(r, o) })
}

func (t *storeTx) LateOrders(wave string, before time.Time) (int, error) {
	t.unTail()
	var n int
	err := t.row(`SELECT COUNT(*) FROM agg_orders WHERE wave=$1 AND ship_by>0 AND ship_by<$2 AND state NOT IN ($3,$4,$5)`,
		wave, before.Unix(), hub.FinishedStates[0], hub.FinishedStates[1], hub.FinishedStates[2]).Scan(&n)
	return n, err
}

func (t *storeTx) PutOperatorSeen(s hub.OperatorSeen) error {
	t.aggWrite(`INSERT INTO agg_operators(version, badge, station, event, at) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT(badge, station) DO UPDATE SET event=excluded.event, at=excluded.at, version=excluded.version
		WHERE excluded.at > agg_operators.at`,
		s.Version, s.Badge, s.Station, s.Event, s.At.UnixNano())
	return nil
}

func (t *storeTx) OperatorsSeen(after int64) ([]hub.OperatorSeen, error) {
	t.unTail()
	// Per badge, the latest of its stations' rows, with the highest version.
	return list(t, `SELECT badge, station, event, at, v FROM (SELECT badge, station, event, at,
		MAX(version) OVER (PARTITION BY badge) AS v,
		ROW_NUMBER() OVER (PARTITION BY badge ORDER BY at DESC, station DESC) AS n FROM agg_operators) o
		WHERE n=1 AND v>$1 ORDER BY badge`, args(after),
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

package pgstore

import (
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// A push reads each of its orders, their line tallies and order life
// several times (admission, the rules, the order life, the aggregates),
// each read a round trip. A transaction keeps what it read of an order
// and what it wrote since, so each is read once; and a write
// transaction's first read of an order brings its tallies, life and
// aggregate row in the same round trip, as a push goes on to read them.
// Every write of these rows goes through the methods here, which keep the
// kept copy as the database would answer it (or drop it).
type orderCache struct {
	rec     hub.OrderRecord
	ok      bool
	haveRec bool
	// tallies: the order's line tallies by line (haveTallies: read).
	tallies     map[int]hub.LineTally
	haveTallies bool
	// life is the order life's stored body ("" none; haveLife: read).
	life     string
	haveLife bool
	// agg is the aggregates' row as read (nil: none; haveAgg: read).
	agg     *hub.AggOrder
	haveAgg bool
	// wave holds the order's tasks ("" none; haveWave: read).
	wave     string
	haveWave bool
}

func (t *storeTx) cached(order string) *orderCache {
	if t.orders == nil {
		t.orders = map[string]*orderCache{}
	}
	c := t.orders[order]
	if c == nil {
		c = &orderCache{}
		t.orders[order] = c
	}
	return c
}

// forgetOrder drops the kept order record (its row, lines or holds change).
func (t *storeTx) forgetOrder(order string) {
	if c := t.orders[order]; c != nil {
		c.rec, c.ok, c.haveRec = hub.OrderRecord{}, false, false
	}
}

const (
	qOrder = `SELECT priority, ship_by, status, customer, ship_together, cancel_reason, ship_to, carrier, service
		FROM orders WHERE id=$1`
	qOrderLines   = `SELECT line_no, sku, qty FROM order_lines WHERE order_id=$1 ORDER BY line_no`
	qOrderHolds   = `SELECT reason, note FROM order_holds WHERE order_id=$1 ORDER BY reason`
	qTallies      = `SELECT line_no, picked, short, returned FROM line_progress WHERE order_id=$1 ORDER BY line_no`
	qOrderLife    = `SELECT body FROM order_life WHERE order_id=$1`
	qAggOrderRead = `SELECT ` + aggOrderCols + ` FROM agg_orders WHERE order_id=$1`
	qOrderWave    = `SELECT wave_id FROM pick_tasks WHERE order_id=$1 ORDER BY id LIMIT 1`
	// qOrderWaveRow is OrderWave's wave with its row (Wave).
	qOrderWaveRow = `SELECT id, status, station FROM waves WHERE id=(` + qOrderWave + `)`
)

// Order reads the order, its lines and its holds in one round trip (with
// any queued writes before them); in a write transaction, with its
// tallies, life and aggregate row when not yet read.
func (t *storeTx) Order(id string) (hub.OrderRecord, bool, error) {
	c := t.cached(id)
	if !c.haveRec {
		if err := t.readOrder(id, c); err != nil {
			return hub.OrderRecord{Order: protocol.Order{ID: id}}, false, err
		}
	}
	if !c.ok {
		return hub.OrderRecord{Order: protocol.Order{ID: id}}, false, nil
	}
	return cloneOrder(c.rec), true, nil
}

// cloneOrder: a caller may change what it is given.
func cloneOrder(o hub.OrderRecord) hub.OrderRecord {
	o.Lines = slices.Clone(o.Lines)
	o.Holds = slices.Clone(o.Holds)
	if o.Holds == nil {
		o.Holds = []protocol.Hold{}
	}
	if o.ShipBy != nil {
		at := *o.ShipBy
		o.ShipBy = &at
	}
	return o
}

func (t *storeTx) readOrder(id string, c *orderCache) error {
	reads := []read{{qOrder, args(id)}, {qOrderLines, args(id)}, {qOrderHolds, args(id)}}
	tallies := t.write && !c.haveTallies
	life := t.write && !c.haveLife
	agg := t.write && !c.haveAgg
	if tallies {
		reads = append(reads, read{qTallies, args(id)})
	}
	if life {
		reads = append(reads, read{qOrderLife, args(id)})
	}
	if agg {
		reads = append(reads, read{qAggOrderRead, args(id)})
	}
	wave := t.write && !c.haveWave
	if wave {
		reads = append(reads, read{qOrderWaveRow, args(id)})
	}
	br, err := t.sendReads(reads...)
	if err != nil {
		return err
	}
	err = func() error {
		o := hub.OrderRecord{Order: protocol.Order{ID: id}}
		ok, err := readOrder(br, &o)
		if err != nil {
			return err
		}
		c.rec, c.ok, c.haveRec = o, ok, true
		if tallies {
			if err := c.readTallies(br); err != nil {
				return err
			}
		}
		if life {
			if err := c.readLife(br.QueryRow()); err != nil {
				return err
			}
		}
		if agg {
			if err := c.readAgg(br.QueryRow()); err != nil {
				return err
			}
		}
		if wave {
			w := protocol.Wave{}
			ok, err := found(br.QueryRow().Scan(&w.ID, &w.Status, &w.Station))
			if err != nil {
				return err
			}
			c.wave, c.haveWave = w.ID, true
			if ok {
				t.keepWave(w)
			}
		}
		return nil
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		c.haveRec, c.haveTallies, c.haveLife, c.haveAgg, c.haveWave = false, false, false, false, false
	}
	return err
}

func (c *orderCache) readTallies(br pgx.BatchResults) error {
	ts, err := scanAll(br, scanTally)
	if err != nil {
		return err
	}
	c.tallies = make(map[int]hub.LineTally, len(ts))
	for _, lt := range ts {
		c.tallies[lt.Line] = lt
	}
	c.haveTallies = true
	return nil
}

func scanTally(r pgx.Rows, lt *hub.LineTally) error {
	return r.Scan(&lt.Line, &lt.Picked, &lt.Short, &lt.Returned)
}

func (c *orderCache) readLife(r pgx.Row) error {
	var body string
	ok, err := found(r.Scan(&body))
	if err != nil {
		return err
	}
	if !ok {
		body = ""
	}
	c.life, c.haveLife = body, true
	return nil
}

func (c *orderCache) readAgg(r pgx.Row) error {
	var o hub.AggOrder
	ok, err := found(scanAggOrder(r, &o))
	if err != nil {
		return err
	}
	c.agg = nil
	if ok {
		c.agg = &o
	}
	c.haveAgg = true
	return nil
}

// tallies reads the order's line tallies once.
func (t *storeTx) tallies(order string) (*orderCache, error) {
	c := t.cached(order)
	if c.haveTallies {
		return c, nil
	}
	br, err := t.send(qTallies, args(order))
	if err != nil {
		return nil, err
	}
	err = c.readTallies(br)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		c.haveTallies = false
		return nil, err
	}
	return c, nil
}

func (t *storeTx) Tally(order string, line int) (hub.LineTally, error) {
	c, err := t.tallies(order)
	if err != nil {
		return hub.LineTally{Line: line}, err
	}
	if lt, ok := c.tallies[line]; ok {
		return lt, nil
	}
	return hub.LineTally{Line: line}, nil
}

func (t *storeTx) PutTally(order string, lt hub.LineTally) error {
	if c := t.orders[order]; c != nil && c.haveTallies {
		c.tallies[lt.Line] = lt
	}
	return t.run(`INSERT INTO line_progress(order_id, line_no, picked, short, returned) VALUES ($1,$2,$3,$4,$5)
		ON CONFLICT(order_id, line_no) DO UPDATE SET picked=excluded.picked, short=excluded.short, returned=excluded.returned`,
		order, lt.Line, lt.Picked, lt.Short, lt.Returned)
}

func (t *storeTx) Tallies(order string) ([]hub.LineTally, error) {
	c, err := t.tallies(order)
	if err != nil {
		return nil, err
	}
	var out []hub.LineTally
	for _, lt := range c.tallies {
		out = append(out, lt)
	}
	slices.SortFunc(out, func(a, b hub.LineTally) int { return a.Line - b.Line })
	return out, nil
}

func (t *storeTx) OrderLife(order string) (hub.LifeRecord, bool, error) {
	c := t.cached(order)
	if !c.haveLife {
		br, err := t.send(qOrderLife, args(order))
		if err != nil {
			return hub.LifeRecord{}, false, err
		}
		err = c.readLife(br.QueryRow())
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			c.haveLife = false
			return hub.LifeRecord{}, false, err
		}
	}
	if c.life == "" {
		return hub.LifeRecord{}, false, nil
	}
	r, err := hub.ReadLifeRecord(order, []byte(c.life))
	return r, err == nil, err
}

func (t *storeTx) PutOrderLife(order string, r hub.LifeRecord) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	c := t.cached(order)
	c.life, c.haveLife = string(body), true
	return t.run(`INSERT INTO order_life(order_id, state, shelf, body) VALUES ($1,$2,$3,$4)
		ON CONFLICT(order_id) DO UPDATE SET state=excluded.state, shelf=excluded.shelf, body=excluded.body`, order, r.State, r.ShelfLocation(), string(body))
}

// aggOrder is the aggregates' row as read (AggOrder keeps the ones
// written in aggOrders).
func (t *storeTx) aggOrder(order string) (hub.AggOrder, bool, error) {
	c := t.cached(order)
	if !c.haveAgg {
		br, err := t.send(qAggOrderRead, args(order))
		if err != nil {
			return hub.AggOrder{}, false, err
		}
		err = c.readAgg(br.QueryRow())
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			c.haveAgg = false
			return hub.AggOrder{}, false, err
		}
	}
	if c.agg == nil {
		return hub.AggOrder{}, false, nil
	}
	return *c.agg, true, nil
}

// The first statement of a push reads and locks its station's row: the
// same round trip brings what a push reads next, the station's stored
// bytes (its quota) and the hub's settings, kept for the transaction.
type stationCache struct {
	// bytes are the stored bytes of the stations read.
	bytes map[string]int64
	// settings as read (nil: not read).
	settings map[string]string
}

// qSettings reads the keys that start with settingPrefix as a range of
// hub_meta's key (COLLATE "C": byte order, and '/' follows '.'), which
// its index answers; a LIKE with the pattern as a parameter was a scan
// of the whole index, five times the cost of any other read of a push.
const qSettings = `SELECT substr(key, $1), value FROM hub_meta WHERE key >= $2 AND key < $3`

func settingsArgs() []any { return args(len(settingPrefix)+1, settingPrefix, settingEnd) }

// stationForUpdate reads and locks the station's row, with its stored
// bytes and the settings when not yet read.
func (t *storeTx) stationForUpdate(id string, si *protocol.StationInfo) (bool, error) {
	reads := []read{{`SELECT ` + stationCols + `, stored_bytes FROM stations WHERE id=$1 FOR UPDATE`, args(id)}}
	settings := t.st.settings == nil
	if settings {
		reads = append(reads, read{qSettings, settingsArgs()})
	}
	br, err := t.sendReads(reads...)
	if err != nil {
		return false, err
	}
	ok, err := func() (bool, error) {
		var bytes int64
		var reg, push, pull string
		ok, err := found(br.QueryRow().Scan(&si.ID, &si.Name, &si.Number, &si.Bench, &si.Mark, &si.Epoch, &reg, &push, &pull, &bytes))
		if err != nil {
			return false, err
		}
		if ok {
			si.RegisteredAt, si.LastPush, si.LastPull = parseStamp(reg), stampPtr(push), stampPtr(pull)
			if t.st.bytes == nil {
				t.st.bytes = map[string]int64{}
			}
			t.st.bytes[id] = bytes
		}
		if settings {
			m, err := scanSettings(br)
			if err != nil {
				return false, err
			}
			t.st.settings = m
		}
		return ok, nil
	}()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.st = stationCache{}
	}
	return ok, err
}

func scanSettings(br pgx.BatchResults) (map[string]string, error) {
	kv, err := scanAll(br, func(r pgx.Rows, kv *[2]string) error { return r.Scan(&kv[0], &kv[1]) })
	out := map[string]string{}
	for _, p := range kv {
		out[p[0]] = p[1]
	}
	return out, err
}

// Settings live in hub_meta under "setting.NAME".
func (t *storeTx) Settings() (map[string]string, error) {
	if t.st.settings == nil {
		br, err := t.send(qSettings, settingsArgs())
		if err != nil {
			return map[string]string{}, err
		}
		m, err := scanSettings(br)
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return m, err
		}
		t.st.settings = m
	}
	return maps.Clone(t.st.settings), nil
}

func (t *storeTx) PutSetting(name, value string) error {
	if t.st.settings != nil {
		t.st.settings[name] = value
	}
	return t.run(`INSERT INTO hub_meta(key, value) VALUES ($1, $2) ON CONFLICT(key) DO UPDATE SET value=excluded.value`, settingPrefix+name, value)
}

func (t *storeTx) StationBytes(id string) (int64, error) {
	if n, ok := t.st.bytes[id]; ok {
		return n, nil
	}
	var n int64
	err := t.row(`SELECT stored_bytes FROM stations WHERE id=$1`, id).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return n, err
}

func (t *storeTx) AddStationBytes(id string, n int64) error {
	if held, ok := t.st.bytes[id]; ok {
		t.st.bytes[id] = held + n
	}
	return t.run(`UPDATE stations SET stored_bytes = stored_bytes + $1 WHERE id=$2`, n, id)
}

func (t *storeTx) OrderWave(order string) (string, error) {
	c := t.cached(order)
	if c.haveWave {
		return c.wave, nil
	}
	var wave string
	_, err := found(t.row(qOrderWave, order).Scan(&wave))
	if err == nil {
		c.wave, c.haveWave = wave, true
	}
	return wave, err
}

func (t *storeTx) keepWave(w protocol.Wave) {
	if t.waves == nil {
		t.waves = map[string]*protocol.Wave{}
	}
	t.waves[w.ID] = &w
}

func (t *storeTx) Wave(id string) (protocol.Wave, bool, error) {
	if w, ok := t.waves[id]; ok {
		return *w, true, nil
	}
	w := protocol.Wave{ID: id}
	ok, err := found(t.row(`SELECT status, station FROM waves WHERE id=$1`, id).Scan(&w.Status, &w.Station))
	if ok && t.write {
		t.keepWave(w)
	}
	return w, ok, err
}

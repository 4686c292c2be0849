package hub

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's live aggregates. Each push keeps them in its own
// transaction from the events it applies: counters per wave, operator and
// station (running totals and five-minute buckets of device time, for
// rates), one row per order on a wave (its state and units), and each
// operator's latest event. Nothing reads the events table to answer a
// supervisor: the figures are sums and latest values, so the same events
// pushed in another order of stations give the same figures.

// Aggregate scopes.
const (
	ScopeWave     = "wave"
	ScopeOperator = "operator"
	ScopeStation  = "station"
)

// BucketSeconds is the width of a rate bucket; bucket 0 is the running total.
const BucketSeconds = 300

// Aggregate metrics.
const (
	MetricOrders    = "orders"
	MetricLines     = "lines"
	MetricLinesDone = "lines_done"
	MetricUnits     = "units"
	MetricPicked    = "picked"
	MetricShort     = "short"
	MetricPacked    = "packed"
	MetricShipped   = "shipped"
	MetricBackOrder = "back_orders"
	MetricScans     = "scans"
	MetricMisScans  = "mis_scans"
	MetricEvents    = "events"
	MetricRejected  = "rejected"
	// metricState prefixes an order state: orders of the wave in it.
	metricState = "state:"
)

// Count is one counter: an amount added (in AddCounts) or held (read).
type Count struct {
	Scope, Key, Metric string
	Bucket             int64 // unix seconds of the bucket's start; 0 for the total
	Value              int64
	Version            int64
}

// AggOrder is one order on a wave as the aggregates hold it.
type AggOrder struct {
	Order, Wave, State string
	ShipBy             *time.Time
	Lines, LinesDone   int
	Units, Picked      int
	Short              int
	Packed, Shipped    int
	Version            int64
}

// OperatorSeen is an operator's latest event (by device time).
type OperatorSeen struct {
	Badge, Station, Event string
	At                    time.Time
	Version               int64
}

func bucketOf(t time.Time) int64 {
	s := t.Unix()
	return s - ((s%BucketSeconds)+BucketSeconds)%BucketSeconds
}

type countKey struct {
	scope, key, metric string
	bucket             int64
}

// aggBatch gathers one push's changes to the aggregates; write puts them
// in the push's transaction.
type aggBatch struct {
	counts map[countKey]int64
	orders map[string]bool
	seen   map[string]OperatorSeen
	waveOf map[string]string
	off    bool // ServiceOptions.WithoutAggregates
	// What the push read already, kept so a refresh reads no more.
	records map[string]OrderRecord
	// parcels: orders whose cartons the batch changed (else the packed
	// and shipped units are the row's).
	parcels map[string]bool
	// picks are the units picked per order and bucket, given to the
	// order's wave at write.
	picks map[orderBucket]int64
	// batch are the push's line tallies, as written.
	batch tallies
}

type orderBucket struct {
	order  string
	bucket int64
}

// keep keeps the order the push read, for the refresh.
func (b *aggBatch) keep(o OrderRecord, ok bool) {
	if ok {
		b.records[o.ID] = o
	}
}

func newAggBatch() *aggBatch {
	return &aggBatch{counts: map[countKey]int64{}, orders: map[string]bool{}, seen: map[string]OperatorSeen{}, waveOf: map[string]string{},
		records: map[string]OrderRecord{}, parcels: map[string]bool{}, picks: map[orderBucket]int64{}}
}

func (b *aggBatch) add(scope, key, metric string, at time.Time, n int64) {
	if n == 0 || key == "" {
		return
	}
	b.counts[countKey{scope, key, metric, 0}] += n
	if !at.IsZero() {
		b.counts[countKey{scope, key, metric, bucketOf(at)}] += n
	}
}

// OperatorWork is what one event counts for its operator: units, lines
// (tasks picked or shorted, shipments packed), scans and mis-scans.
func OperatorWork(ev protocol.Event) (units, lines, scans, misScans int64) {
	switch floor.EventType(ev.Type) {
	case floor.EvUnitsPicked, floor.EvPackUnitVerified:
		var p struct {
			Qty int `json:"qty"`
		}
		_ = json.Unmarshal(ev.Payload, &p)
		return int64(max(p.Qty, 0)), 0, 1, 0
	case floor.EvPickUndone, floor.EvPackUnitUndone:
		var p struct {
			Qty int `json:"qty"`
		}
		_ = json.Unmarshal(ev.Payload, &p)
		return -int64(max(p.Qty, 0)), 0, 0, 0
	case floor.EvLocationOK:
		return 0, 0, 1, 0
	case floor.EvTaskPicked, floor.EvTaskShort, floor.EvPackShipmentCompleted:
		return 0, 1, 0, 0
	case floor.EvScanRejected:
		return 0, 0, 1, 1
	}
	return 0, 0, 0, 0
}

// event counts one judged event.
func (b *aggBatch) event(tx StoreTx, ev protocol.Event, ref protocol.OrderRef, v Verdict) error {
	if b.off {
		return nil
	}
	b.add(ScopeStation, ev.Station, MetricEvents, time.Time{}, 1)
	if v.Status != protocol.Accepted {
		b.add(ScopeStation, ev.Station, MetricRejected, time.Time{}, 1)
	}
	if ev.Operator != "" {
		units, lines, scans, mis := OperatorWork(ev)
		b.add(ScopeOperator, ev.Operator, MetricUnits, ev.DeviceTime, units)
		b.add(ScopeOperator, ev.Operator, MetricLines, ev.DeviceTime, lines)
		b.add(ScopeOperator, ev.Operator, MetricScans, ev.DeviceTime, scans)
		b.add(ScopeOperator, ev.Operator, MetricMisScans, ev.DeviceTime, mis)
		if s, ok := b.seen[ev.Operator]; !ok || later(ev, s) {
			b.seen[ev.Operator] = OperatorSeen{Badge: ev.Operator, Station: ev.Station, Event: ev.Type, At: ev.DeviceTime.UTC()}
		}
	}
	if v.Status != protocol.Accepted || ref.Order == "" {
		return nil
	}
	b.orders[ref.Order] = true
	for _, e := range v.Effects {
		if e.Picked != 0 && e.Order != "" {
			b.picks[orderBucket{e.Order, bucketOf(ev.DeviceTime)}] += int64(e.Picked)
		}
		if (e.Parcel != nil || e.Shipment != nil) && e.Order != "" {
			b.parcels[e.Order] = true
		}
	}
	return nil
}

// later: ev is after the operator's latest seen event (device time, then
// station, so any push order picks the same one).
func later(ev protocol.Event, s OperatorSeen) bool {
	t := ev.DeviceTime.UTC()
	return t.After(s.At) || t.Equal(s.At) && ev.Station > s.Station
}

// write refreshes the orders the batch touched and writes the counters
// and operators, under one new version.
func (b *aggBatch) write(tx StoreTx, batch tallies) error {
	b.batch = batch
	if len(b.counts) == 0 && len(b.orders) == 0 && len(b.seen) == 0 {
		return nil
	}
	version, err := tx.AggVersion(true)
	if err != nil {
		return err
	}
	orders := make([]string, 0, len(b.orders))
	for o := range b.orders {
		orders = append(orders, o)
	}
	sort.Strings(orders)
	for _, o := range orders {
		if err := b.refreshOrder(tx, o, "", version); err != nil {
			return err
		}
	}
	for k, n := range b.picks {
		if w := b.waveOf[k.order]; w != "" {
			b.counts[countKey{ScopeWave, w, MetricPicked, k.bucket}] += n
		}
	}
	if err := writeCounts(tx, b.counts, version); err != nil {
		return err
	}
	badges := make([]string, 0, len(b.seen))
	for k := range b.seen {
		badges = append(badges, k)
	}
	sort.Strings(badges)
	for _, k := range badges {
		s := b.seen[k]
		s.Version = version
		if err := tx.PutOperatorSeen(s); err != nil {
			return err
		}
	}
	return nil
}

func writeCounts(tx StoreTx, counts map[countKey]int64, version int64) error {
	cs := make([]Count, 0, len(counts))
	for k, v := range counts {
		if v != 0 {
			cs = append(cs, Count{Scope: k.scope, Key: k.key, Metric: k.metric, Bucket: k.bucket, Value: v, Version: version})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		a, b := cs[i], cs[j]
		if a.Scope != b.Scope {
			return a.Scope < b.Scope
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		if a.Metric != b.Metric {
			return a.Metric < b.Metric
		}
		return a.Bucket < b.Bucket
	})
	if len(cs) == 0 {
		return nil
	}
	return tx.AddCounts(cs)
}

// refreshOrder recomputes one order's row from the fulfilment projection
// and adds the difference to its wave's counters. wave, when given, is the
// order's wave (a wave being created); else the store says.
func (b *aggBatch) refreshOrder(tx StoreTx, order, wave string, version int64) error {
	old, had, err := tx.AggOrder(order)
	if err != nil {
		return err
	}
	if wave == "" {
		wave = old.Wave
	}
	if wave == "" {
		if w, ok := b.waveOf[order]; ok {
			wave = w
		} else if wave, err = tx.OrderWave(order); err != nil {
			return err
		}
	}
	if wave == "" {
		return nil // not on a wave: no supervisor figure counts it
	}
	b.waveOf[order] = wave
	o, ok := b.records[order]
	if !ok {
		if o, ok, err = tx.Order(order); err != nil || !ok {
			return err
		}
	}
	// The push's tallies, when they hold every line; else the store's.
	byLine := map[int]LineTally{}
	for _, l := range o.Lines {
		t, ok := b.batch[tallyKey{order, l.Line}]
		if !ok {
			byLine = nil
			break
		}
		byLine[l.Line] = *t
	}
	if byLine == nil {
		ts, err := tx.Tallies(order)
		if err != nil {
			return err
		}
		byLine = map[int]LineTally{}
		for _, t := range ts {
			byLine[t.Line] = t
		}
	}
	// Cartons: read only when the batch changed them (FulfilmentStatus
	// needs only the order's packed and shipped sums).
	var packed, shipped map[int]int
	if !had || b.parcels[order] {
		if _, packed, shipped, err = units(tx, order); err != nil {
			return err
		}
	}
	n := AggOrder{Order: order, Wave: wave, ShipBy: o.ShipBy, Lines: len(o.Lines), Version: version}
	lines := make([]protocol.LineProgress, 0, len(o.Lines))
	for _, l := range o.Lines {
		t := byLine[l.Line]
		lp := protocol.LineProgress{Line: l.Line, Qty: l.Qty, Picked: t.Picked, Short: t.Short,
			Packed: packed[l.Line] + shipped[l.Line], Shipped: shipped[l.Line], Returned: t.Returned}
		lines = append(lines, lp)
		n.Units += l.Qty
		n.Picked += t.Picked
		n.Short += t.Short
		n.Packed += lp.Packed
		n.Shipped += lp.Shipped
		if t.Picked+t.Short >= l.Qty {
			n.LinesDone++
		}
	}
	if packed == nil && len(lines) > 0 { // the row's sums stand, on the first line
		n.Packed, n.Shipped = old.Packed, old.Shipped
		lines[0].Packed, lines[0].Shipped = old.Packed, old.Shipped
	}
	if n.State, err = lifeState(tx, o); err != nil {
		return err
	}
	if had && sameFigures(old, n) {
		return nil
	}
	if err := tx.PutAggOrder(n); err != nil {
		return err
	}
	d := map[countKey]int64{}
	put := func(metric string, was, now int) {
		if now != was {
			d[countKey{ScopeWave, wave, metric, 0}] += int64(now - was)
		}
	}
	var wasOrder, wasBack int
	if had {
		wasOrder = 1
		if old.Short > 0 {
			wasBack = 1
		}
		d[countKey{ScopeWave, wave, metricState + old.State, 0}]--
	}
	d[countKey{ScopeWave, wave, metricState + n.State, 0}]++
	put(MetricOrders, wasOrder, 1)
	put(MetricBackOrder, wasBack, min(n.Short, 1))
	put(MetricLines, old.Lines, n.Lines)
	put(MetricLinesDone, old.LinesDone, n.LinesDone)
	put(MetricUnits, old.Units, n.Units)
	put(MetricPicked, old.Picked, n.Picked)
	put(MetricShort, old.Short, n.Short)
	put(MetricPacked, old.Packed, n.Packed)
	put(MetricShipped, old.Shipped, n.Shipped)
	for k, v := range d {
		b.counts[k] += v
	}
	return nil
}

func sameFigures(a, b AggOrder) bool {
	a.Version, b.Version = 0, 0
	if (a.ShipBy == nil) != (b.ShipBy == nil) || a.ShipBy != nil && !a.ShipBy.Equal(*b.ShipBy) {
		return false
	}
	a.ShipBy, b.ShipBy = nil, nil
	return a == b
}

// waveCreated counts a new wave's orders (open, nothing picked).
func waveCreated(tx StoreTx, orders []string, wave string) error {
	b := newAggBatch()
	version, err := tx.AggVersion(true)
	if err != nil {
		return err
	}
	for _, o := range orders {
		if err := b.refreshOrder(tx, o, wave, version); err != nil {
			return err
		}
	}
	return writeCounts(tx, b.counts, version)
}

// lifeState is an order's state in the figures: its life's
// (docs/order-life.md; the push writes the lives before the figures), or
// released (cancelled) for an order whose life has not begun.
func lifeState(tx StoreTx, o OrderRecord) (string, error) {
	r, ok, err := tx.OrderLife(o.ID)
	switch {
	case err != nil:
		return "", err
	case ok && r.State != "":
		return r.State, nil
	case o.Status == protocol.StatusCancelled:
		return protocol.StateCancelled, nil
	}
	return protocol.StateReleased, nil
}

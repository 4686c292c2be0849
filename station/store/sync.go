package store

// Sync state: what the hub acknowledged of the journal (the pushed mark and
// the rejections), and what the station applied of the hub's change feed
// (the cursor). The journal itself is never deleted or changed here: an
// event leaves the "waiting" count only when the hub's mark covers it, and
// the cursor moves only in the transaction that applied the changes up to
// it.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// SyncState is where sync stands, read in one snapshot.
type SyncState struct {
	LastSeq int64 // the newest journal sequence
	Pushed  int64 // the hub acknowledged every event up to here
	// Waiting is how many events the hub has not acknowledged yet, and
	// OldestWaiting the device time of the first of them (zero when none).
	Waiting       int
	OldestWaiting time.Time
	LastPush      time.Time // zero before the first acknowledgement
	LastPull      time.Time // zero before the first applied pull
	Cursor        string    // the hub's pull cursor, "" before the first pull
	Rejected      int       // events the hub rejected
	// Operator is the badge signed in at the station ("" when nobody),
	// from the saved session: the site's health shows it.
	Operator string
}

// SyncState reads the sync state.
func (s *Store) SyncState(ctx context.Context) (SyncState, error) {
	var st SyncState
	var lastPush, lastPull, oldest string
	err := s.db.QueryRow(ctx, `SELECT s.pushed, s.last_push, s.cursor, s.last_pull,
		(SELECT COALESCE(MAX(seq), 0) FROM journal),
		COALESCE((SELECT device_time FROM journal WHERE seq = s.pushed + 1), ''),
		(SELECT COUNT(*) FROM sync_rejections),
		COALESCE((SELECT json_extract(j.session, '$[1]') FROM journal j
			WHERE j.seq > (SELECT through_seq FROM session WHERE id = 1) AND j.session IS NOT NULL ORDER BY j.seq DESC LIMIT 1),
			(SELECT operator FROM session WHERE id = 1), '')
		FROM sync_state s WHERE s.id = 1`).
		Scan(&st.Pushed, &lastPush, &st.Cursor, &lastPull, &st.LastSeq, &oldest, &st.Rejected, &st.Operator)
	if err != nil {
		return st, err
	}
	// The journal is gapless, so the count is a subtraction.
	st.Waiting = int(max(st.LastSeq-st.Pushed, 0))
	st.OldestWaiting, _ = time.Parse(time.RFC3339Nano, oldest)
	st.LastPush, _ = time.Parse(time.RFC3339Nano, lastPush)
	st.LastPull, _ = time.Parse(time.RFC3339Nano, lastPull)
	return st, nil
}

// Rejection is an event the hub acknowledged but did not accept.
type Rejection struct {
	Seq    int64
	Reason string
}

// PushAck is the hub's answer to a push, as the station records it.
type PushAck struct {
	// Mark: the hub holds every event up to here. The caller clamps it to
	// the last event it sent.
	Mark       int64
	Rejections []Rejection
	At         time.Time
}

// RecordPush records an acknowledgement in one transaction: the pushed
// mark moves forward (never back), and each rejection is kept and opens a
// 'sync-rejected' exception once, however often the hub repeats it.
func (s *Store) RecordPush(ctx context.Context, ack PushAck) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM journal`).Scan(&last); err != nil {
			return err
		}
		if ack.Mark > last {
			return fmt.Errorf("the hub acknowledged sequence %d, but this station's journal ends at %d", ack.Mark, last)
		}
		at := ack.At.UTC().Format(time.RFC3339Nano)
		for _, r := range ack.Rejections {
			if r.Seq > ack.Mark || r.Seq < 1 {
				return fmt.Errorf("the hub rejected sequence %d outside what it acknowledged (up to %d)", r.Seq, ack.Mark)
			}
			var eventID, operator, payload string
			if err := tx.QueryRowContext(ctx, `SELECT event_id, operator, payload FROM journal WHERE seq=?`, r.Seq).
				Scan(&eventID, &operator, &payload); err != nil {
				return fmt.Errorf("rejected event %d: %w", r.Seq, err)
			}
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO sync_rejections(seq, event_id, reason, at) VALUES (?,?,?,?)`,
				r.Seq, eventID, r.Reason, at)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // recorded by an earlier acknowledgement of the same event
			}
			var p struct {
				Order    string `json:"order"`
				Task     int64  `json:"task"`
				Location string `json:"location"`
				SKU      string `json:"sku"`
				Qty      int    `json:"qty"`
				Short    int    `json:"short"`
			}
			_ = json.Unmarshal([]byte(payload), &p) // events without these fields leave them empty
			var task any
			if p.Task != 0 {
				task = p.Task
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO exceptions(kind, order_id, task_id, location, sku, qty, reason, operator, event_id)
				VALUES ('sync-rejected',?,?,?,?,?,?,?,?)`,
				p.Order, task, p.Location, p.SKU, max(p.Qty, p.Short), r.Reason, operator, eventID); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE sync_state SET pushed=MAX(pushed, ?), last_push=? WHERE id=1`, ack.Mark, at)
		return err
	})
}

// RewindPush lowers the pushed mark to what the hub says it holds, after
// the hub lost events (restored from a backup): they are sent again. The
// journal is untouched, so nothing is lost by going back.
func (s *Store) RewindPush(ctx context.Context, mark int64) error {
	if mark < 0 {
		return fmt.Errorf("cannot rewind to sequence %d", mark)
	}
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sync_state SET pushed=? WHERE id=1 AND pushed>?`, mark, mark)
		return err
	})
}

// Pulled is one page of the hub's change feed for this station.
type Pulled struct {
	Reset   bool   // the hub ordered a refetch: these changes start the slice again
	Cursor  string // stored once the changes are applied
	Changes []Change
	At      time.Time
	// StationNumber is the number the hub gave this station (see
	// StationNumberTx); 0 keeps the one stored.
	StationNumber int
}

// Change is one record from the hub; exactly one field is set.
type Change struct {
	Operator *floor.Operator
	Location *floor.Location
	Item     *floor.Item
	// Order carries its lines, its whole set of holds and, when cancelled
	// centrally, its status.
	Order  *floor.Order
	Wave   *floor.Wave
	Task   *floor.PickTask
	Holds  *OrderHolds
	Cancel *Cancellation
	Label  *CarrierLabel
	// Tote is a tote another station filled, or one now free (hubtotes.go).
	Tote *HubTote
	// Badge is a badge the hub locked or unlocked (pinlock.go).
	Badge *BadgeLock
	// Notice is a supervisor's resolution of an exception this station
	// met; Count a cycle-count task for this cart (resolutions.go).
	Notice *OfficeNotice
	Count  *CountTask
	// Parcel is a parcel packed on any bench, for a dispatch bench (hubparcels.go).
	Parcel *HubParcel
	// Returnable is an order that shipped, for a returns bench (returnable.go).
	Returnable *Returnable
}

// OrderHolds is the whole set of holds an order has now: a release is a
// smaller set.
type OrderHolds struct {
	Order string
	Holds []floor.Hold
}

// Cancellation says an order was cancelled centrally.
type Cancellation struct {
	Order  string
	Reason string
}

// CarrierLabel is a shipping label a carrier supplied for an order.
type CarrierLabel struct {
	Order    string
	Tracking string
	Carrier  string
	Service  string
	SSCC     string
	Format   string // zpl
	Data     string
}

// PullSummary says what a pull changed, for the status line and the log.
type PullSummary struct {
	Applied   int
	Held      []string // "ORD-1 (INCORRECT_ADDRESS)": holds that arrived
	Released  []string
	Cancelled []string
	Labels    int
	// Totes counts the tote records that arrived; Freed lists the totes
	// this station held an order in that are free again.
	Totes int
	Freed []string
	// Parcels counts the parcel records that arrived (dispatch benches);
	// Returnable the shipped orders (returns benches).
	Parcels    int
	Returnable int
	// Skipped names changes that could not be applied (a record naming
	// something the station does not have), with why. The pull still moves
	// on: one bad record must not stop every later hold and cancellation.
	Skipped []string
	// Resolved are the office's notices of exceptions this station met,
	// in plain words; Counts the cycle counts sent to this cart.
	Resolved []string
	Counts   []string
}

// News is the summary in a line, "" when nothing an operator cares about
// arrived.
func (p PullSummary) News() string {
	var parts []string
	if len(p.Held) > 0 {
		parts = append(parts, "held: "+strings.Join(p.Held, ", "))
	}
	if len(p.Released) > 0 {
		parts = append(parts, "released: "+strings.Join(p.Released, ", "))
	}
	if len(p.Cancelled) > 0 {
		parts = append(parts, "cancelled: "+strings.Join(p.Cancelled, ", "))
	}
	if p.Labels > 0 {
		parts = append(parts, fmt.Sprintf("%d carrier labels", p.Labels))
	}
	parts = append(parts, p.Resolved...)
	parts = append(parts, p.Counts...)
	return strings.Join(parts, "; ")
}

// ApplyPull applies a page of changes and stores its cursor in the same
// transaction: after a crash either both are there or neither. Records
// replace the station's copy, except that work under way is kept: a task
// or order line already here is not reset, a wave this station started
// stays with it, and a cancellation is final.
func (s *Store) ApplyPull(ctx context.Context, p Pulled) (PullSummary, error) {
	var sum PullSummary
	if p.Cursor == "" {
		return sum, errors.New("the pull has no cursor: nothing was applied")
	}
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		sum = PullSummary{}
		a := applier{ctx: ctx, tx: tx, sum: &sum, at: p.At.UTC().Format(time.RFC3339Nano), station: s.station, store: s, now: p.At}
		for i, c := range p.Changes {
			skip, err := a.apply(c)
			if err != nil {
				return fmt.Errorf("change %d of the pull: %w", i+1, err)
			}
			if skip != "" {
				sum.Skipped = append(sum.Skipped, skip)
			} else {
				sum.Applied++
			}
		}
		if p.StationNumber > 0 {
			if err := setStationNumberTx(ctx, tx, p.StationNumber); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE sync_state SET cursor=?, last_pull=? WHERE id=1`, p.Cursor, a.at)
		return err
	})
	if err != nil {
		return PullSummary{}, err
	}
	if len(sum.Freed) > 0 {
		s.totes.forget() // the memo must not say a freed tote still holds its order
	}
	s.news.Add(1) // after the commit: a cart that looks sees it
	return sum, nil
}

type applier struct {
	ctx     context.Context
	tx      *sql.Tx
	sum     *PullSummary
	at      string
	station string // this station: the hub's record of its own picks is not stored again
	store   *Store
	now     time.Time
}

func (a applier) exec(q string, args ...any) error {
	_, err := a.tx.ExecContext(a.ctx, q, args...)
	return err
}

func (a applier) exists(q string, args ...any) (bool, error) {
	var n int
	err := a.tx.QueryRowContext(a.ctx, `SELECT EXISTS (`+q+`)`, args...).Scan(&n)
	return n == 1, err
}

// apply applies one change; it returns why when the change cannot apply.
func (a applier) apply(c Change) (skip string, err error) {
	switch {
	case c.Operator != nil:
		o := c.Operator
		roles := make([]string, len(o.Roles))
		for i, r := range o.Roles {
			roles[i] = string(r)
		}
		return "", a.exec(`INSERT INTO operators(badge, name, roles, pin_hash) VALUES (?,?,?,?)
			ON CONFLICT(badge) DO UPDATE SET name=excluded.name, roles=excluded.roles, pin_hash=excluded.pin_hash`,
			o.Badge, o.Name, strings.Join(roles, ","), o.PINHash)
	case c.Location != nil:
		l := c.Location
		return "", a.exec(`INSERT INTO locations(code, zone, aisle, bay, level, position, walk_seq) VALUES (?,?,?,?,?,?,?)
			ON CONFLICT(code) DO UPDATE SET zone=excluded.zone, aisle=excluded.aisle, bay=excluded.bay, level=excluded.level,
			position=excluded.position, walk_seq=excluded.walk_seq`,
			l.Code, l.Zone, l.Aisle, l.Bay, l.Level, l.Position, l.WalkSeq)
	case c.Item != nil:
		return "", a.item(c.Item)
	case c.Order != nil:
		return a.order(c.Order)
	case c.Wave != nil:
		w := c.Wave
		status := w.Status
		if status == "" {
			status = "released"
		}
		// A released wave goes where the hub says. A wave this station
		// has started stays with it, unless a supervisor moved it to
		// another cart (a reassignment): then the hub takes its picks
		// from that cart only, and this cart stops offering them.
		return "", a.exec(`INSERT INTO waves(id, status, station) VALUES (?1,?2,?3)
			ON CONFLICT(id) DO UPDATE SET station=excluded.station
			WHERE waves.status='released' OR waves.station IN (?4, '') AND excluded.station NOT IN (?4, '')`,
			w.ID, status, w.Station, a.station)
	case c.Task != nil:
		return a.task(c.Task)
	case c.Holds != nil:
		ok, err := a.exists(`SELECT 1 FROM orders WHERE id=?`, c.Holds.Order)
		if err != nil || !ok {
			return "holds for unknown order " + floor.Printable(c.Holds.Order), err
		}
		return "", a.holds(c.Holds.Order, c.Holds.Holds)
	case c.Cancel != nil:
		return a.cancel(c.Cancel)
	case c.Tote != nil:
		return a.tote(c.Tote)
	case c.Badge != nil:
		return "", a.badge(c.Badge)
	case c.Notice != nil:
		return a.notice(c.Notice)
	case c.Count != nil:
		return a.count(c.Count)
	case c.Parcel != nil:
		return a.parcel(c.Parcel)
	case c.Returnable != nil:
		return a.returnable(c.Returnable)
	case c.Label != nil:
		l := c.Label
		ok, err := a.exists(`SELECT 1 FROM orders WHERE id=?`, l.Order)
		if err != nil || !ok {
			return "label for unknown order " + floor.Printable(l.Order), err
		}
		format := l.Format
		if format == "" {
			format = "zpl"
		}
		a.sum.Labels++
		return "", a.exec(`INSERT INTO carrier_labels(order_id, tracking, carrier, service, sscc, format, data, received) VALUES (?,?,?,?,?,?,?,?)
			ON CONFLICT(order_id, tracking) DO UPDATE SET carrier=excluded.carrier, service=excluded.service, sscc=excluded.sscc,
			format=excluded.format, data=excluded.data, received=excluded.received`,
			l.Order, l.Tracking, l.Carrier, l.Service, l.SSCC, format, l.Data, a.at)
	}
	return "an empty change", nil
}

func (a applier) item(it *floor.Item) error {
	if err := a.exec(`INSERT INTO items(sku, description, unit_weight_g, length_mm, width_mm, height_mm, lot_controlled, serial_controlled, hazmat)
		VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(sku) DO UPDATE SET description=excluded.description, unit_weight_g=excluded.unit_weight_g,
		length_mm=excluded.length_mm, width_mm=excluded.width_mm, height_mm=excluded.height_mm, lot_controlled=excluded.lot_controlled,
		serial_controlled=excluded.serial_controlled, hazmat=excluded.hazmat`,
		it.SKU, it.Description, it.UnitWeightG, it.LengthMM, it.WidthMM, it.HeightMM, it.LotControlled, it.SerialControlled, it.Hazmat); err != nil {
		return err
	}
	rows, err := a.tx.QueryContext(a.ctx, `SELECT gtin FROM item_gtins WHERE sku=?`, it.SKU)
	if err != nil {
		return err
	}
	var gone []string
	for rows.Next() {
		var g string
		if err := rows.Scan(&g); err != nil {
			rows.Close()
			return err
		}
		if !slices.Contains(it.GTINs, g) {
			gone = append(gone, g)
		}
	}
	rows.Close()
	for _, g := range gone {
		if err := a.exec(`DELETE FROM item_gtins WHERE gtin=? AND sku=?`, g, it.SKU); err != nil {
			return err
		}
	}
	for _, g := range it.GTINs {
		if err := a.exec(`INSERT INTO item_gtins(gtin, sku) VALUES (?,?) ON CONFLICT(gtin) DO UPDATE SET sku=excluded.sku`, g, it.SKU); err != nil {
			return err
		}
	}
	return nil
}

func (a applier) order(o *floor.Order) (string, error) {
	for _, l := range o.Lines {
		ok, err := a.exists(`SELECT 1 FROM items WHERE sku=?`, l.SKU)
		if err != nil || !ok {
			return fmt.Sprintf("order %s: line %d names unknown item %s", floor.Printable(o.ID), l.LineNo, floor.Printable(l.SKU)), err
		}
	}
	shipBy := ""
	if !o.ShipBy.IsZero() {
		shipBy = o.ShipBy.UTC().Format(time.RFC3339)
	}
	shipTo, err := shipToText(o.ShipTo)
	if err != nil {
		return "", err
	}
	// The hub's record is the whole order: a corrected address, or one the
	// OMS took back, replaces what the station had.
	if err := a.exec(`INSERT INTO orders(id, priority, ship_by, status, customer, ship_together, ship_to, carrier, service)
		VALUES (?,?,?,'open',?,?,?,?,?)
		ON CONFLICT(id) DO UPDATE SET priority=excluded.priority, ship_by=excluded.ship_by, customer=excluded.customer,
		ship_together=excluded.ship_together, ship_to=excluded.ship_to, carrier=excluded.carrier, service=excluded.service`,
		o.ID, o.Priority, shipBy, o.Customer, o.ShipTogether, shipTo, o.Carrier, o.Service); err != nil {
		return "", err
	}
	for _, l := range o.Lines {
		if err := a.exec(`INSERT OR IGNORE INTO order_lines(order_id, line_no, sku, qty) VALUES (?,?,?,?)`, o.ID, l.LineNo, l.SKU, l.Qty); err != nil {
			return "", err
		}
	}
	if err := a.holds(o.ID, o.Holds); err != nil {
		return "", err
	}
	if o.Status == floor.OrderCancelled {
		return a.cancel(&Cancellation{Order: o.ID})
	}
	return "", nil
}

// shipToText is how an order's ship-to address is stored: floor.Address
// as JSON, or empty when the order has none (OrderShipTo reads it back).
func shipToText(a floor.Address) (string, error) {
	if a.IsZero() {
		return "", nil
	}
	b, err := json.Marshal(a)
	if err != nil {
		return "", fmt.Errorf("order ship-to address: %w", err)
	}
	return string(b), nil
}

func (a applier) task(t *floor.PickTask) (string, error) {
	ok, err := a.exists(`SELECT 1 FROM waves WHERE id=?`, t.WaveID)
	if err != nil || !ok {
		return fmt.Sprintf("task %d names unknown wave %s", t.ID, floor.Printable(t.WaveID)), err
	}
	if ok, err = a.exists(`SELECT 1 FROM locations WHERE code=?`, t.Location); err != nil || !ok {
		return fmt.Sprintf("task %d names unknown location %s", t.ID, floor.Printable(t.Location)), err
	}
	if ok, err = a.exists(`SELECT 1 FROM order_lines WHERE order_id=? AND line_no=? AND sku=?`, t.OrderID, t.LineNo, t.SKU); err != nil || !ok {
		return fmt.Sprintf("task %d names order %s line %d with item %s, which this station does not have", t.ID,
			floor.Printable(t.OrderID), t.LineNo, floor.Printable(t.SKU)), err
	}
	// A task already here carries the floor's progress: never reset it.
	return "", a.exec(`INSERT OR IGNORE INTO pick_tasks(id, wave_id, order_id, line_no, location, sku, qty, sort_key) VALUES (?,?,?,?,?,?,?,?)`,
		t.ID, t.WaveID, t.OrderID, t.LineNo, t.Location, t.SKU, t.Qty, t.SortKey)
}

// holds makes the order's holds exactly hs, noting what arrived and what
// was released.
func (a applier) holds(order string, hs []floor.Hold) error {
	rows, err := a.tx.QueryContext(a.ctx, `SELECT reason FROM order_holds WHERE order_id=?`, order)
	if err != nil {
		return err
	}
	var had []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return err
		}
		had = append(had, r)
	}
	rows.Close()
	var keep []string
	for _, h := range hs {
		keep = append(keep, h.Reason)
		if !slices.Contains(had, h.Reason) {
			a.sum.Held = append(a.sum.Held, fmt.Sprintf("%s (%s)", order, h.Reason))
		}
		if err := a.exec(`INSERT INTO order_holds(order_id, reason, note) VALUES (?,?,?)
			ON CONFLICT(order_id, reason) DO UPDATE SET note=excluded.note`, order, h.Reason, h.Note); err != nil {
			return err
		}
	}
	for _, r := range had {
		if !slices.Contains(keep, r) {
			a.sum.Released = append(a.sum.Released, fmt.Sprintf("%s (%s)", order, r))
			if err := a.exec(`DELETE FROM order_holds WHERE order_id=? AND reason=?`, order, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// cancel marks an order cancelled. Units already picked here for it open
// an exception: the goods must go back to stock.
func (a applier) cancel(c *Cancellation) (string, error) {
	var status string
	err := a.tx.QueryRowContext(a.ctx, `SELECT status FROM orders WHERE id=?`, c.Order).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "cancellation of unknown order " + floor.Printable(c.Order), nil
	}
	if err != nil || status == string(floor.OrderCancelled) {
		return "", err
	}
	if err := a.exec(`UPDATE orders SET status='cancelled' WHERE id=?`, c.Order); err != nil {
		return "", err
	}
	a.sum.Cancelled = append(a.sum.Cancelled, c.Order)
	var picked int
	if err := a.tx.QueryRowContext(a.ctx, `SELECT COALESCE(SUM(p.qty), 0) FROM picks p JOIN pick_tasks t ON t.id=p.task_id WHERE t.order_id=?`, c.Order).Scan(&picked); err != nil {
		return "", err
	}
	if picked > 0 {
		reason := fmt.Sprintf("order cancelled centrally: return the %d picked units to stock", picked)
		if c.Reason != "" {
			reason += " (" + c.Reason + ")"
		}
		return "", a.exec(`INSERT INTO exceptions(kind, order_id, qty, reason, event_id) VALUES ('order-cancelled',?,?,?,'')`, c.Order, picked, reason)
	}
	return "", nil
}

// LabelGate says why an order must not be labelled now: its holds, or its
// central cancellation. "" means the label may print.
func (s *Store) LabelGate(ctx context.Context, order string) (string, error) {
	var status string
	err := s.db.QueryRow(ctx, `SELECT status FROM orders WHERE id=?`, order).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "order " + floor.Printable(order) + " is not known on this station", nil
	}
	if err != nil {
		return "", err
	}
	if status == string(floor.OrderCancelled) {
		return "order cancelled centrally: do not ship; unpack and return the goods to stock", nil
	}
	rows, err := s.db.Query(ctx, `SELECT reason, note FROM order_holds WHERE order_id=? ORDER BY reason`, order)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var holds []string
	for rows.Next() {
		var r, n string
		if err := rows.Scan(&r, &n); err != nil {
			return "", err
		}
		if n != "" {
			r += " (" + n + ")"
		}
		holds = append(holds, r)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	if len(holds) > 0 {
		return "order on hold: " + strings.Join(holds, ", "), nil
	}
	return "", nil
}

// CarrierLabels lists the carrier-supplied labels of an order.
func (s *Store) CarrierLabels(ctx context.Context, order string) ([]CarrierLabel, error) {
	rows, err := s.db.Query(ctx, `SELECT tracking, carrier, service, sscc, format, data FROM carrier_labels WHERE order_id=? ORDER BY received, tracking`, order)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CarrierLabel
	for rows.Next() {
		l := CarrierLabel{Order: order}
		if err := rows.Scan(&l.Tracking, &l.Carrier, &l.Service, &l.SSCC, &l.Format, &l.Data); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// OutboxEvent is a journal event as stored, for sync to send on without
// decoding: DeviceTime is the stored RFC 3339 text, Payload the stored JSON.
type OutboxEvent struct {
	Seq        int64
	ID         string
	Station    string
	Operator   string
	DeviceTime string
	Type       string
	Payload    []byte
}

// ErrPruned: events sync needs were pruned from the journal.
var ErrPruned = errors.New("events were pruned")

// Outbox returns up to limit journal events after seq, in order, stopping
// early once their payloads pass maxBytes (at least one is returned).
func (s *Store) Outbox(ctx context.Context, after int64, limit, maxBytes int) ([]OutboxEvent, error) {
	rows, err := s.db.R.QueryContext(ctx,
		`SELECT seq, event_id, station, operator, device_time, type, payload FROM journal WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]OutboxEvent, 0, min(limit, 1024))
	size := 0
	next := after + 1
	for rows.Next() {
		var e OutboxEvent
		if err := rows.Scan(&e.Seq, &e.ID, &e.Station, &e.Operator, &e.DeviceTime, &e.Type, &e.Payload); err != nil {
			return nil, err
		}
		if e.Seq != next {
			// Only acknowledged events are ever pruned: the hub lost
			// what it acknowledged (restored from an old backup).
			return nil, fmt.Errorf("%w: the hub asks again for the events from sequence %d, but sequence %d left this station's journal once the hub had acknowledged it (see [store] keep_pushed; with pushed_events = \"archive\" it is in %s)",
				ErrPruned, after+1, next, ArchiveFile)
		}
		next++
		size += len(e.Payload) + 200
		if len(out) > 0 && size > maxBytes {
			break
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// OfficeRefusal is an event of this station the hub refused, with what it
// was about, for the floor's notice.
type OfficeRefusal struct {
	Seq      int64
	Type     floor.EventType
	Payload  json.RawMessage
	Reason   string // the hub's words
	Operator string
}

// OfficeRefusals lists the refusals the floor has not acknowledged yet,
// oldest first.
func (s *Store) OfficeRefusals(ctx context.Context) ([]OfficeRefusal, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT r.seq, j.type, j.payload, r.reason, j.operator
		FROM sync_rejections r JOIN journal j ON j.seq = r.seq
		WHERE r.seq > COALESCE((SELECT CAST(value AS INTEGER) FROM station_meta WHERE key='refusals_told'), 0)
		ORDER BY r.seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OfficeRefusal
	for rows.Next() {
		var r OfficeRefusal
		var payload string
		if err := rows.Scan(&r.Seq, &r.Type, &payload, &r.Reason, &r.Operator); err != nil {
			return nil, err
		}
		r.Payload = json.RawMessage(payload)
		out = append(out, r)
	}
	return out, rows.Err()
}

// AcknowledgeRefusals records that the floor read the refusals up to seq;
// the mark never moves back. The refusals and their exceptions stay for
// the supervisor: this only stops the floor being told again.
func (s *Store) AcknowledgeRefusals(ctx context.Context, seq int64) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO station_meta(key, value) VALUES ('refusals_told', ?)
			ON CONFLICT(key) DO UPDATE SET value = MAX(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`, seq)
		return err
	})
}

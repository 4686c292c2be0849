package hubstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// ImportReference writes operators, locations and items, all or none, and
// sends them to every station.
func (s *Store) ImportReference(ctx context.Context, ref protocol.Reference) (protocol.ImportResult, error) {
	var res protocol.ImportResult
	if err := hub.CheckReference(ref); err != nil {
		return res, protocol.Errorf(protocol.CodeBadRequest, "%v; nothing was imported", err)
	}
	ops := make([]floor.Operator, len(ref.Operators))
	for i, o := range ref.Operators {
		op, err := o.Floor()
		if err != nil {
			return res, protocol.Errorf(protocol.CodeBadRequest, "operator %d: %v; nothing was imported", i+1, err)
		}
		ops[i] = op
	}
	newLocs := map[string]bool{}
	for _, l := range ref.Locations {
		newLocs[l.Code] = true
	}
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		f, err := newFeed(ctx, tx)
		if err != nil {
			return err
		}
		// Thousands of rows: parse each statement once.
		stmts := map[string]*sql.Stmt{}
		exec := func(q string, args ...any) error {
			st, ok := stmts[q]
			if !ok {
				if st, err = tx.PrepareContext(ctx, q); err != nil {
					return err
				}
				stmts[q] = st
			}
			_, err := st.ExecContext(ctx, args...)
			return err
		}
		defer func() {
			for _, st := range stmts {
				st.Close()
			}
		}()
		for _, op := range ops {
			roles := make([]string, len(op.Roles))
			for i, r := range op.Roles {
				roles[i] = string(r)
			}
			if err := exec(`INSERT INTO operators(badge, name, roles, pin_hash) VALUES (?,?,?,?)
				ON CONFLICT(badge) DO UPDATE SET name=excluded.name, roles=excluded.roles, pin_hash=excluded.pin_hash`,
				op.Badge, op.Name, strings.Join(roles, ","), op.PINHash); err != nil {
				return err
			}
			w := protocol.OperatorOf(op)
			if err := f.emitAlone(ctx, everyStation, protocol.Change{Kind: protocol.KindOperator, Operator: &w}); err != nil {
				return err
			}
		}
		for _, l := range ref.Locations {
			if err := exec(`INSERT INTO locations(code, zone, aisle, bay, level, position, walk_seq) VALUES (?,?,?,?,?,?,?)
				ON CONFLICT(code) DO UPDATE SET zone=excluded.zone, aisle=excluded.aisle, bay=excluded.bay, level=excluded.level,
				position=excluded.position, walk_seq=excluded.walk_seq`,
				l.Code, l.Zone, l.Aisle, l.Bay, l.Level, l.Position, l.WalkSeq); err != nil {
				return err
			}
			l := l
			if err := f.emitAlone(ctx, everyStation, protocol.Change{Kind: protocol.KindLocation, Location: &l}); err != nil {
				return err
			}
		}
		for _, it := range ref.Items {
			var other string
			err := tx.QueryRowContext(ctx, `SELECT sku FROM items WHERE sku=? COLLATE NOCASE AND sku<>? LIMIT 1`, it.SKU, it.SKU).Scan(&other)
			if err == nil {
				return protocol.Errorf(protocol.CodeConflict, "item %s: the hub has item %s, whose SKU differs only in letter case; scans match SKUs ignoring case, so they cannot both be items; nothing was imported",
					it.SKU, floor.Printable(other))
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if it.Location != "" && !newLocs[it.Location] {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM locations WHERE code=?`, it.Location).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					return protocol.Errorf(protocol.CodeBadRequest, "item %s: location %s is not known; import the location first (or in the same request); nothing was imported", it.SKU, floor.Printable(it.Location))
				}
			}
			if err := exec(`INSERT INTO items(sku, description, unit_weight_g, length_mm, width_mm, height_mm, lot_controlled, serial_controlled, hazmat, location)
				VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(sku) DO UPDATE SET description=excluded.description, unit_weight_g=excluded.unit_weight_g,
				length_mm=excluded.length_mm, width_mm=excluded.width_mm, height_mm=excluded.height_mm, lot_controlled=excluded.lot_controlled,
				serial_controlled=excluded.serial_controlled, hazmat=excluded.hazmat, location=excluded.location`,
				it.SKU, it.Description, it.UnitWeightG, it.LengthMM, it.WidthMM, it.HeightMM, it.LotControlled, it.SerialControlled, it.Hazmat, it.Location); err != nil {
				return err
			}
			if err := exec(`DELETE FROM item_gtins WHERE sku=?`, it.SKU); err != nil {
				return err
			}
			for _, g := range it.GTINs {
				if err := exec(`INSERT OR REPLACE INTO item_gtins(gtin, sku) VALUES (?,?)`, g, it.SKU); err != nil {
					return err
				}
			}
			it := it
			if err := f.emitAlone(ctx, everyStation, protocol.Change{Kind: protocol.KindItem, Item: &it}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	return protocol.ImportResult{Operators: len(ops), Locations: len(ref.Locations), Items: len(ref.Items)}, nil
}

// ImportOrders writes orders, all or none. A new order is added; an order
// not yet on a wave is replaced; an order on a wave may change its own
// fields (the stations that have it are told) but not its lines; a
// cancelled order is refused.
func (s *Store) ImportOrders(ctx context.Context, orders []protocol.Order, at time.Time) (protocol.ImportResult, error) {
	for i, o := range orders {
		if err := hub.CheckOrder(o); err != nil {
			return protocol.ImportResult{}, protocol.Errorf(protocol.CodeBadRequest, "order %d: %v; nothing was imported", i+1, err)
		}
	}
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		f, err := newFeed(ctx, tx)
		if err != nil {
			return err
		}
		// Read in the transaction: the import is judged by the settings
		// it commits under.
		set, err := settingsOf(ctx, tx)
		if err != nil {
			return err
		}
		for i, o := range orders {
			if err := hub.CheckShipping(o, set); err != nil {
				return protocol.Errorf(protocol.CodeBadRequest, "order %d: %v; nothing was imported", i+1, err)
			}
			for _, l := range o.Lines {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM items WHERE sku=?`, l.SKU).Scan(&n); err != nil {
					return err
				}
				if n == 0 {
					hint := "import the item first"
					var known string
					if tx.QueryRowContext(ctx, `SELECT sku FROM items WHERE sku=? COLLATE NOCASE LIMIT 1`, l.SKU).Scan(&known) == nil {
						hint = "the hub has " + floor.Printable(known) + ": write the SKU as the item has it"
					}
					return protocol.Errorf(protocol.CodeConflict, "order %s line %d: SKU %s is not known at the hub; %s; nothing was imported", o.ID, l.Line, floor.Printable(l.SKU), hint)
				}
			}
			var status, wave string
			err := tx.QueryRowContext(ctx, `SELECT status, COALESCE((SELECT wave_id FROM pick_tasks WHERE order_id=orders.id LIMIT 1), '') FROM orders WHERE id=?`, o.ID).Scan(&status, &wave)
			exists := err == nil
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if status == string(floor.OrderCancelled) {
				return protocol.Errorf(protocol.CodeConflict, "order %s was cancelled; import it under a new id; nothing was imported", o.ID)
			}
			shipBy := ""
			if o.ShipBy != nil {
				shipBy = o.ShipBy.UTC().Format(time.RFC3339)
			}
			shipTo, err := shipToText(o.ShipTo)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO orders(id, priority, ship_by, customer, ship_together, ship_to, carrier, service, created_at)
				VALUES (?,?,?,?,?,?,?,?,?)
				ON CONFLICT(id) DO UPDATE SET priority=excluded.priority, ship_by=excluded.ship_by, customer=excluded.customer,
				ship_together=excluded.ship_together, ship_to=excluded.ship_to, carrier=excluded.carrier, service=excluded.service`,
				o.ID, o.Priority, shipBy, o.Customer, o.ShipTogether, shipTo, o.Carrier, o.Service, stamp(at)); err != nil {
				return err
			}
			if wave != "" {
				cur, err := orderOf(ctx, tx, o.ID)
				if err != nil {
					return err
				}
				if !sameLines(cur.Lines, o.Lines) {
					return protocol.Errorf(protocol.CodeConflict, "order %s is already on wave %s: its lines cannot change (cancel it and import it under a new id); nothing was imported", o.ID, wave)
				}
			} else {
				if exists {
					if _, err := tx.ExecContext(ctx, `DELETE FROM order_lines WHERE order_id=?`, o.ID); err != nil {
						return err
					}
				}
				for _, l := range o.Lines {
					if _, err := tx.ExecContext(ctx, `INSERT INTO order_lines(order_id, line_no, sku, qty) VALUES (?,?,?,?)`, o.ID, l.Line, l.SKU, l.Qty); err != nil {
						return err
					}
				}
			}
			for _, h := range o.Holds {
				if _, err := tx.ExecContext(ctx, `INSERT INTO order_holds(order_id, reason, note, placed_at) VALUES (?,?,?,?)
					ON CONFLICT(order_id, reason) DO UPDATE SET note=excluded.note`, o.ID, h.Reason, h.Note, stamp(at)); err != nil {
					return err
				}
			}
			if wave != "" {
				if err := s.tellStations(ctx, tx, f, o.ID, protocol.KindOrder); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return protocol.ImportResult{}, err
	}
	return protocol.ImportResult{Orders: len(orders)}, nil
}

func sameLines(a, b []protocol.OrderLine) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(ls []protocol.OrderLine) []string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = fmt.Sprintf("%d\x00%s\x00%d", l.Line, l.SKU, l.Qty)
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}

// orderOf reads an order with its lines and holds, as stations receive it.
func orderOf(ctx context.Context, tx *sql.Tx, id string) (protocol.Order, error) {
	o := protocol.Order{ID: id}
	var shipBy, cancelReason, shipTo string
	err := tx.QueryRowContext(ctx, `SELECT priority, ship_by, status, customer, ship_together, cancel_reason, ship_to, carrier, service
		FROM orders WHERE id=?`, id).
		Scan(&o.Priority, &shipBy, &o.Status, &o.Customer, &o.ShipTogether, &cancelReason, &shipTo, &o.Carrier, &o.Service)
	if errors.Is(err, sql.ErrNoRows) {
		return o, protocol.Errorf(protocol.CodeNotFound, "order %s is not known at the hub", floor.Printable(id))
	}
	if err != nil {
		return o, err
	}
	if shipTo != "" {
		if err := json.Unmarshal([]byte(shipTo), &o.ShipTo); err != nil {
			return o, fmt.Errorf("order %s: the stored ship-to address does not read: %w", floor.Printable(id), err)
		}
	}
	if shipBy != "" {
		if t, err := time.Parse(time.RFC3339, shipBy); err == nil {
			o.ShipBy = &t
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT line_no, sku, qty FROM order_lines WHERE order_id=? ORDER BY line_no`, id)
	if err != nil {
		return o, err
	}
	for rows.Next() {
		var l protocol.OrderLine
		if err := rows.Scan(&l.Line, &l.SKU, &l.Qty); err != nil {
			rows.Close()
			return o, err
		}
		o.Lines = append(o.Lines, l)
	}
	rows.Close()
	o.Holds, err = holdsOf(ctx, tx, id)
	return o, err
}

// shipToText is how an order's address is kept: its JSON, or empty for none.
func shipToText(a protocol.Address) (string, error) {
	if a == (protocol.Address{}) {
		return "", nil
	}
	b, err := json.Marshal(a)
	return string(b), err
}

func holdsOf(ctx context.Context, tx *sql.Tx, order string) ([]protocol.Hold, error) {
	rows, err := tx.QueryContext(ctx, `SELECT reason, note FROM order_holds WHERE order_id=? ORDER BY reason`, order)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	hs := []protocol.Hold{}
	for rows.Next() {
		var h protocol.Hold
		if err := rows.Scan(&h.Reason, &h.Note); err != nil {
			return nil, err
		}
		hs = append(hs, h)
	}
	return hs, rows.Err()
}

// stationsOf lists the stations whose waves hold the order.
func stationsOf(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, order string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT w.station FROM pick_tasks t JOIN waves w ON w.id=t.wave_id
		WHERE t.order_id=? AND w.station<>'' ORDER BY w.station`, order)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var st string
		if err := rows.Scan(&st); err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// tellStations sends the order's current state of one kind (order, holds
// or cancel) to every station that has it.
func (s *Store) tellStations(ctx context.Context, tx *sql.Tx, f *feed, order, kind string) error {
	stations, err := stationsOf(ctx, tx, order)
	if err != nil || len(stations) == 0 {
		return err
	}
	o, err := orderOf(ctx, tx, order)
	if err != nil {
		return err
	}
	var c protocol.Change
	switch kind {
	case protocol.KindOrder:
		c = protocol.Change{Kind: kind, Order: &o}
	case protocol.KindHolds:
		c = protocol.Change{Kind: kind, Holds: &protocol.Holds{Order: order, Holds: o.Holds}}
	case protocol.KindCancel:
		var reason string
		if err := tx.QueryRowContext(ctx, `SELECT cancel_reason FROM orders WHERE id=?`, order).Scan(&reason); err != nil {
			return err
		}
		c = protocol.Change{Kind: kind, Cancel: &protocol.Cancel{Order: order, Reason: reason}}
	}
	for _, st := range stations {
		if err := f.emit(ctx, st, c); err != nil {
			return err
		}
	}
	return nil
}

// CreateWave makes a wave of orders with one pick task per order line at
// the item's home location: order by order (each order its own tote), in
// walk order within an order. With a station it is assigned at once.
func (s *Store) CreateWave(ctx context.Context, w protocol.NewWave, at time.Time) (protocol.WaveInfo, error) {
	var info protocol.WaveInfo
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM waves WHERE id=?`, w.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return protocol.Errorf(protocol.CodeConflict, "wave %s exists already", floor.Printable(w.ID))
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO waves(id, created_at) VALUES (?,?)`, w.ID, stamp(at)); err != nil {
			return err
		}
		seen := map[string]bool{}
		for oi, id := range w.Orders {
			if seen[id] {
				return protocol.Errorf(protocol.CodeBadRequest, "order %s is listed twice", floor.Printable(id))
			}
			seen[id] = true
			o, err := orderOf(ctx, tx, id)
			if err != nil {
				return err
			}
			if o.Status == string(floor.OrderCancelled) {
				return protocol.Errorf(protocol.CodeConflict, "order %s is cancelled; it cannot go on a wave", id)
			}
			var other string
			err = tx.QueryRowContext(ctx, `SELECT wave_id FROM pick_tasks WHERE order_id=? LIMIT 1`, id).Scan(&other)
			if err == nil {
				return protocol.Errorf(protocol.CodeConflict, "order %s is already on wave %s", id, other)
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			type slot struct {
				line     protocol.OrderLine
				location string
				walk     int
			}
			var slots []slot
			for _, l := range o.Lines {
				var loc string
				var walk sql.NullInt64
				err := tx.QueryRowContext(ctx, `SELECT i.location, l.walk_seq FROM items i LEFT JOIN locations l ON l.code=i.location WHERE i.sku=?`, l.SKU).Scan(&loc, &walk)
				if err != nil {
					return err
				}
				if loc == "" || !walk.Valid {
					return protocol.Errorf(protocol.CodeConflict, "order %s line %d: item %s has no home location; import the item with \"location\"", id, l.Line, l.SKU)
				}
				slots = append(slots, slot{l, loc, int(walk.Int64)})
			}
			sort.SliceStable(slots, func(i, j int) bool { return slots[i].walk < slots[j].walk })
			for _, sl := range slots {
				// Orders one after another, walk order inside each.
				sortKey := (oi+1)*1_000_000 + sl.walk
				if _, err := tx.ExecContext(ctx, `INSERT INTO pick_tasks(wave_id, order_id, line_no, location, sku, qty, sort_key) VALUES (?,?,?,?,?,?,?)`,
					w.ID, id, sl.line.Line, sl.location, sl.line.SKU, sl.line.Qty, sortKey); err != nil {
					return err
				}
			}
		}
		if w.Station != "" {
			_, err := s.assign(ctx, tx, w.ID, w.Station)
			if err != nil {
				return err
			}
		}
		var err error
		info, err = waveInfo(ctx, tx, w.ID)
		return err
	})
	return info, err
}

// AssignWave gives a wave to a station: it receives the orders, the wave
// and its tasks (and any carrier labels) at its next pull. A wave the
// floor has started cannot move.
func (s *Store) AssignWave(ctx context.Context, wave, station string) (protocol.WaveInfo, error) {
	var info protocol.WaveInfo
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := s.assign(ctx, tx, wave, station); err != nil {
			return err
		}
		var err error
		info, err = waveInfo(ctx, tx, wave)
		return err
	})
	return info, err
}

func (s *Store) assign(ctx context.Context, tx *sql.Tx, wave, station string) (bool, error) {
	if err := stationExists(ctx, tx, station); err != nil {
		return false, err
	}
	var status, old string
	err := tx.QueryRowContext(ctx, `SELECT status, station FROM waves WHERE id=?`, wave).Scan(&status, &old)
	if errors.Is(err, sql.ErrNoRows) {
		return false, protocol.Errorf(protocol.CodeNotFound, "wave %s is not known at the hub", floor.Printable(wave))
	}
	if err != nil {
		return false, err
	}
	if old == station {
		return false, nil
	}
	if old != "" && status != "released" {
		return false, protocol.Errorf(protocol.CodeConflict, "wave %s is %s at station %s: it cannot move", wave, strings.ReplaceAll(status, "_", " "), old)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE waves SET station=? WHERE id=?`, station, wave); err != nil {
		return false, err
	}
	f, err := newFeed(ctx, tx)
	if err != nil {
		return false, err
	}
	wv := protocol.Wave{ID: wave, Status: status, Station: station}
	if old != "" {
		// The old station learns the wave is no longer its own.
		if err := f.emit(ctx, old, protocol.Change{Kind: protocol.KindWave, Wave: &wv}); err != nil {
			return false, err
		}
	}
	orders, err := waveOrders(ctx, tx, wave)
	if err != nil {
		return false, err
	}
	for _, id := range orders {
		o, err := orderOf(ctx, tx, id)
		if err != nil {
			return false, err
		}
		if err := f.emit(ctx, station, protocol.Change{Kind: protocol.KindOrder, Order: &o}); err != nil {
			return false, err
		}
	}
	if err := f.emit(ctx, station, protocol.Change{Kind: protocol.KindWave, Wave: &wv}); err != nil {
		return false, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, order_id, line_no, location, sku, qty, sort_key FROM pick_tasks WHERE wave_id=? ORDER BY id`, wave)
	if err != nil {
		return false, err
	}
	var tasks []protocol.Task
	for rows.Next() {
		t := protocol.Task{Wave: wave}
		if err := rows.Scan(&t.ID, &t.Order, &t.Line, &t.Location, &t.SKU, &t.Qty, &t.SortKey); err != nil {
			rows.Close()
			return false, err
		}
		tasks = append(tasks, t)
	}
	rows.Close()
	for i := range tasks {
		if err := f.emit(ctx, station, protocol.Change{Kind: protocol.KindTask, Task: &tasks[i]}); err != nil {
			return false, err
		}
	}
	for _, id := range orders {
		labels, err := labelsOf(ctx, tx, id)
		if err != nil {
			return false, err
		}
		for i := range labels {
			if err := f.emit(ctx, station, protocol.Change{Kind: protocol.KindLabel, Label: &labels[i]}); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

func waveOrders(ctx context.Context, tx *sql.Tx, wave string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT order_id FROM pick_tasks WHERE wave_id=? GROUP BY order_id ORDER BY MIN(sort_key)`, wave)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func waveInfo(ctx context.Context, tx *sql.Tx, wave string) (protocol.WaveInfo, error) {
	info := protocol.WaveInfo{ID: wave}
	if err := tx.QueryRowContext(ctx, `SELECT status, station, (SELECT COUNT(*) FROM pick_tasks WHERE wave_id=waves.id) FROM waves WHERE id=?`, wave).
		Scan(&info.Status, &info.Station, &info.Tasks); err != nil {
		return info, err
	}
	var err error
	info.Orders, err = waveOrders(ctx, tx, wave)
	return info, err
}

func labelsOf(ctx context.Context, tx *sql.Tx, order string) ([]protocol.Label, error) {
	rows, err := tx.QueryContext(ctx, `SELECT tracking, carrier, service, sscc, format, data FROM carrier_labels WHERE order_id=? ORDER BY created_at, tracking`, order)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []protocol.Label
	for rows.Next() {
		l := protocol.Label{Order: order}
		if err := rows.Scan(&l.Tracking, &l.Carrier, &l.Service, &l.SSCC, &l.Format, &l.Data); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func orderStatus(ctx context.Context, tx *sql.Tx, order string) (string, error) {
	var status string
	err := tx.QueryRowContext(ctx, `SELECT status FROM orders WHERE id=?`, order).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", protocol.Errorf(protocol.CodeNotFound, "order %s is not known at the hub", floor.Printable(order))
	}
	return status, err
}

// PlaceHold holds an order (or changes the note of a hold it has); the
// stations that have it learn at their next pull.
func (s *Store) PlaceHold(ctx context.Context, order string, h protocol.Hold, at time.Time) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		status, err := orderStatus(ctx, tx, order)
		if err != nil {
			return err
		}
		if status == string(floor.OrderCancelled) {
			return protocol.Errorf(protocol.CodeConflict, "order %s is cancelled; a hold would change nothing", order)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO order_holds(order_id, reason, note, placed_at) VALUES (?,?,?,?)
			ON CONFLICT(order_id, reason) DO UPDATE SET note=excluded.note`, order, h.Reason, h.Note, stamp(at)); err != nil {
			return err
		}
		f, err := newFeed(ctx, tx)
		if err != nil {
			return err
		}
		return s.tellStations(ctx, tx, f, order, protocol.KindHolds)
	})
}

// ReleaseHold removes one hold from an order.
func (s *Store) ReleaseHold(ctx context.Context, order, reason string) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		if _, err := orderStatus(ctx, tx, order); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM order_holds WHERE order_id=? AND reason=?`, order, reason)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return protocol.Errorf(protocol.CodeNotFound, "order %s has no hold %s", order, floor.Printable(reason))
		}
		f, err := newFeed(ctx, tx)
		if err != nil {
			return err
		}
		return s.tellStations(ctx, tx, f, order, protocol.KindHolds)
	})
}

// CancelOrder cancels an order centrally. Units the floor already picked
// or packed for it become a conflict with the instruction to return them;
// an order with shipped units cannot be cancelled (it needs a return).
// Cancelling a cancelled order changes nothing.
func (s *Store) CancelOrder(ctx context.Context, order, reason string, at time.Time) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		status, err := orderStatus(ctx, tx, order)
		if err != nil {
			return err
		}
		if status == string(floor.OrderCancelled) {
			return nil
		}
		var picked, packed, shipped int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT SUM(picked) FROM line_progress WHERE order_id=?1), 0),
			COALESCE((SELECT SUM(pl.qty) FROM parcel_lines pl JOIN parcels c ON c.order_id=pl.order_id AND c.parcel=pl.parcel
				WHERE pl.order_id=?1 AND c.status='packed'), 0),
			COALESCE((SELECT SUM(pl.qty) FROM parcel_lines pl JOIN parcels c ON c.order_id=pl.order_id AND c.parcel=pl.parcel
				WHERE pl.order_id=?1 AND c.status='shipped'), 0)`, order).
			Scan(&picked, &packed, &shipped); err != nil {
			return err
		}
		if shipped > 0 {
			return protocol.Errorf(protocol.CodeConflict, "order %s has %d units shipped: it cannot be cancelled; book a return instead", order, shipped)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET status='cancelled', cancel_reason=? WHERE id=?`, reason, order); err != nil {
			return err
		}
		if picked > 0 || packed > 0 {
			stations, err := stationsOf(ctx, tx, order)
			if err != nil {
				return err
			}
			what := hub.ReturnToStock
			if packed > 0 {
				what = hub.UnpackRestock
			}
			unit := "units"
			if picked == 1 {
				unit = "unit"
			}
			msg := fmt.Sprintf("%s (%d %s picked, %d packed, at %s before the cancellation)", what, picked, unit, packed, strings.Join(stations, ", "))
			if _, err := tx.ExecContext(ctx, `INSERT INTO conflicts(order_id, kind, reason, at) VALUES (?,?,?,?)`, order, "cancelled-after-pick", msg, stamp(at)); err != nil {
				return err
			}
		}
		f, err := newFeed(ctx, tx)
		if err != nil {
			return err
		}
		return s.tellStations(ctx, tx, f, order, protocol.KindCancel)
	})
}

// AddLabel stores a carrier-supplied label for an order and sends it to
// the stations that have the order (or to the station its wave goes to).
func (s *Store) AddLabel(ctx context.Context, l protocol.Label, at time.Time) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		status, err := orderStatus(ctx, tx, l.Order)
		if err != nil {
			return err
		}
		if status == string(floor.OrderCancelled) {
			return protocol.Errorf(protocol.CodeConflict, "order %s is cancelled; it needs no label", l.Order)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO carrier_labels(order_id, tracking, carrier, service, sscc, format, data, created_at) VALUES (?,?,?,?,?,?,?,?)
			ON CONFLICT(order_id, tracking) DO UPDATE SET carrier=excluded.carrier, service=excluded.service, sscc=excluded.sscc,
			format=excluded.format, data=excluded.data`,
			l.Order, l.Tracking, l.Carrier, l.Service, l.SSCC, l.Format, l.Data, stamp(at)); err != nil {
			return err
		}
		stations, err := stationsOf(ctx, tx, l.Order)
		if err != nil || len(stations) == 0 {
			return err
		}
		f, err := newFeed(ctx, tx)
		if err != nil {
			return err
		}
		for _, st := range stations {
			if err := f.emit(ctx, st, protocol.Change{Kind: protocol.KindLabel, Label: &l}); err != nil {
				return err
			}
		}
		return nil
	})
}

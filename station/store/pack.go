package store

// Packing: the order snapshot a pack bench works from, the order's latest
// standing for the hold gate, and the effects of the pack events on the
// shipments, cartons and orders tables (migration 0005).

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

// CounterTracking numbers the tracking numbers this station gives.
const CounterTracking = "tracking"

// OrderInTote finds the order a tote holds (see ToteOrder); "" when it
// holds none or is not known here.
func (s *Store) OrderInTote(ctx context.Context, tote string) (string, error) {
	id, _, err := s.ToteOrder(ctx, tote)
	return id, err
}

// PackOrder builds the snapshot a pack bench verifies against: the order's
// lines less what earlier (non-voided) shipments took, with what was picked
// for them (lots and serials too) and the item data packing needs. nil when
// the station does not know the order. Picked and short count this
// station's own picks and those other stations made, as the hub sent them
// with their totes (hubtotes.go).
func (s *Store) PackOrder(ctx context.Context, id string) (*floor.PackOrder, error) {
	o := floor.PackOrder{ID: id}
	err := s.db.QueryRow(ctx, `SELECT customer, ship_together FROM orders WHERE id=?`, id).Scan(&o.Customer, &o.ShipTogether)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	st, err := s.OrderStanding(ctx, id)
	if err != nil {
		return nil, err
	}
	o.Status, o.Holds, o.GroupOpen = st.Status, st.Holds, st.GroupOpen
	if err := s.db.QueryRow(ctx, `SELECT COUNT(*) FROM shipments WHERE order_id=?`, id).Scan(&o.Shipments); err != nil {
		return nil, err
	}
	shipped, err := s.intsByLine(ctx, `SELECT cl.line_no, SUM(cl.qty) FROM carton_lines cl JOIN shipments sh ON sh.id = cl.shipment_id
		WHERE sh.order_id=? AND sh.status != 'voided' GROUP BY cl.line_no`, id)
	if err != nil {
		return nil, err
	}
	hubPicked, hubShort, hubPacked, err := s.hubPicked(ctx, id)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT p.line_no, p.sku, p.qty, p.qty_picked, p.qty_short,
			i.description, i.unit_weight_g, i.length_mm, i.width_mm, i.height_mm, i.hazmat, i.lot_controlled, i.serial_controlled,
			COALESCE((SELECT group_concat(gtin, ',') FROM (SELECT gtin FROM item_gtins g WHERE g.sku = p.sku ORDER BY gtin)), '')
		FROM order_line_progress p JOIN items i ON i.sku = p.sku
		WHERE p.order_id=? ORDER BY p.line_no`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l floor.PackLine
		var ordered, picked, short int
		var gtins string
		if err := rows.Scan(&l.LineNo, &l.SKU, &ordered, &picked, &short, &l.Description, &l.UnitWeightG,
			&l.LengthMM, &l.WidthMM, &l.HeightMM, &l.Hazmat, &l.LotControlled, &l.SerialControlled, &gtins); err != nil {
			return nil, err
		}
		picked += hubPicked[l.LineNo]
		short += hubShort[l.LineNo]
		done := shipped[l.LineNo] + hubPacked[l.LineNo] // here, and on other benches
		l.Ordered = ordered - done
		if l.Ordered <= 0 {
			continue // shipped in full by an earlier shipment
		}
		l.Picked = max(0, picked-done)
		l.Short = max(0, min(short, l.Ordered-l.Picked))
		if gtins != "" {
			l.GTINs = strings.Split(gtins, ",")
		}
		o.Lines = append(o.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if len(o.Lines) == 0 && (o.Shipments > 0 || len(hubPacked) > 0) && o.Status != floor.OrderCancelled {
		o.Status = floor.OrderPacked // every line went out already
	}
	if err := s.pickedLotsAndSerials(ctx, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// pickedLotsAndSerials adds what the picker recorded to each line.
func (s *Store) pickedLotsAndSerials(ctx context.Context, o *floor.PackOrder) error {
	// This station's picks first, in pick order, then the other stations'.
	rows, err := s.db.Query(ctx, `SELECT line_no, lot, serial, qty FROM (
			SELECT 0 AS src, '' AS station, MIN(p.seq) AS seq, t.line_no, p.lot, p.serial, SUM(p.qty) AS qty
			FROM picks p JOIN pick_tasks t ON t.id = p.task_id
			WHERE t.order_id=?1 AND (p.lot != '' OR p.serial != '') GROUP BY t.line_no, p.lot, p.serial
		UNION ALL
			SELECT 1, u.station, MIN(u.seq), u.line_no, u.lot, u.serial, SUM(u.qty)
			FROM hub_tote_units u WHERE u.order_id=?1 AND (u.lot != '' OR u.serial != '') GROUP BY u.station, u.line_no, u.lot, u.serial)
		ORDER BY src, station, seq`, o.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var line, qty int
		var lot, serial string
		if err := rows.Scan(&line, &lot, &serial, &qty); err != nil {
			return err
		}
		for i := range o.Lines {
			l := &o.Lines[i]
			if l.LineNo != line {
				continue
			}
			if serial != "" {
				l.Serials = append(l.Serials, serial)
			}
			if lot != "" {
				if i := slices.IndexFunc(l.Lots, func(c floor.LotCount) bool { return c.Lot == lot }); i >= 0 {
					l.Lots[i].Qty += qty
				} else {
					l.Lots = append(l.Lots, floor.LotCount{Lot: lot, Qty: qty})
				}
			}
		}
	}
	return rows.Err()
}

func (s *Store) intsByLine(ctx context.Context, q string, args ...any) (map[int]int, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var line, n int
		if err := rows.Scan(&line, &n); err != nil {
			return nil, err
		}
		out[line] = n
	}
	return out, rows.Err()
}

// OrderStanding is the order's latest status, holds and open ship-together
// partners as this station knows them (sync keeps them current): what the
// pack bench's hold gate decides on. A pack bench asks with every input, so
// it is one prepared query.
func (s *Store) OrderStanding(ctx context.Context, id string) (floor.OrderStanding, error) {
	var st floor.OrderStanding
	var status, holds, open string
	err := s.db.QueryRow(ctx, qStanding, id).Scan(&status, &holds, &open)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Status = floor.OrderStatus(status)
	if holds != "[]" {
		var hs [][2]string
		if err := json.Unmarshal([]byte(holds), &hs); err != nil {
			return st, fmt.Errorf("order %s holds: %w", floor.Printable(id), err)
		}
		for _, h := range hs {
			st.Holds = append(st.Holds, floor.Hold{Reason: h[0], Note: h[1]})
		}
	}
	if open != "[]" {
		if err := json.Unmarshal([]byte(open), &st.GroupOpen); err != nil {
			return st, fmt.Errorf("order %s ship-together group: %w", floor.Printable(id), err)
		}
	}
	return st, nil
}

// StandingVersion goes up with every committed change to any order's
// status, group or holds (triggers keep it, whichever connection or process
// writes): a standing read at one version holds until it moves.
func (s *Store) StandingVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.QueryRow(ctx, qStandingVersion).Scan(&v)
	return v, err
}

const qStandingVersion = `SELECT v FROM standing_version WHERE id=1`

const qStanding = `SELECT o.status,
	COALESCE((SELECT json_group_array(json_array(reason, note)) FROM
		(SELECT reason, note FROM order_holds h WHERE h.order_id = o.id ORDER BY reason)), '[]'),
	CASE WHEN o.ship_together = '' THEN '[]' ELSE COALESCE((SELECT json_group_array(id) FROM
		(SELECT g.id FROM orders g WHERE g.ship_together = o.ship_together AND g.id != o.id
			AND g.status NOT IN ('packed', 'shipped', 'cancelled') ORDER BY g.id)), '[]') END
	FROM orders o WHERE o.id=?`

// ShipTo is what a shipping label needs of the order: where it goes and,
// when the OMS chose them, the carrier and service.
type ShipTo struct {
	Address          floor.Address
	Carrier, Service string
}

// OrderShipTo reads the order's ship-to address, carrier and service.
func (s *Store) OrderShipTo(ctx context.Context, id string) (ShipTo, error) {
	var t ShipTo
	var addr string
	err := s.db.QueryRow(ctx, `SELECT ship_to, carrier, service FROM orders WHERE id=?`, id).Scan(&addr, &t.Carrier, &t.Service)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("order %s is not known on this station", floor.Printable(id))
	}
	if err != nil {
		return t, err
	}
	if addr != "" {
		if err := json.Unmarshal([]byte(addr), &t.Address); err != nil {
			return t, fmt.Errorf("order %s: stored ship-to address: %w", floor.Printable(id), err)
		}
	}
	return t, nil
}

// Carton is one labelled carton as the store holds it.
type Carton struct {
	Shipment string
	No       int
	SSCC     string
	Tracking string
	Box      string
	WeightG  float64
	Units    int
	Job      int64 // its shipping label's print job
}

// ShipmentCartons lists a shipment's cartons in order.
func (s *Store) ShipmentCartons(ctx context.Context, shipment string) ([]Carton, error) {
	rows, err := s.db.Query(ctx, `SELECT carton_no, sscc, tracking, box, weight_g, units, COALESCE(print_job, 0)
		FROM cartons WHERE shipment_id=? ORDER BY carton_no`, shipment)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Carton
	for rows.Next() {
		c := Carton{Shipment: shipment}
		if err := rows.Scan(&c.No, &c.SSCC, &c.Tracking, &c.Box, &c.WeightG, &c.Units, &c.Job); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ShipmentStatus is a shipment's status ("" when unknown): labelled,
// completed, voided or shipped.
func (s *Store) ShipmentStatus(ctx context.Context, shipment string) (string, error) {
	var st string
	err := s.db.QueryRow(ctx, `SELECT status FROM shipments WHERE id=?`, shipment).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return st, err
}

// cartonJobTx finds a carton's label job inside tx (for a reprint); a
// carton without one is Refused.
func cartonJobTx(ctx context.Context, tx *sql.Tx, shipment string, carton int) (int64, error) {
	var job int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(print_job, 0) FROM cartons WHERE shipment_id=? AND carton_no=?`, shipment, carton).Scan(&job)
	if errors.Is(err, sql.ErrNoRows) || err == nil && job == 0 {
		return 0, &Refused{Why: fmt.Sprintf("shipment %s has no label for carton %d", floor.Printable(shipment), carton)}
	}
	return job, err
}

// projectPack applies a pack event's effect to the shipments, cartons,
// orders and exceptions tables. The verification in progress lives in the
// bench's session state, so unit scans change nothing here.
func (s *Store) projectPack(ctx context.Context, tx *sql.Tx, ev floor.Event, now time.Time) error {
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	ts := now.UTC().Format(time.RFC3339)
	switch ev.Type {
	case floor.EvPackLabelRequested:
		var p floor.PackLabelPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		if p.SSCC == "" || p.Tracking == "" {
			return errors.New("a shipping label without its SSCC or tracking number")
		}
		if err := exec(`INSERT INTO shipments(id, order_id, operator) VALUES (?,?,?) ON CONFLICT(id) DO NOTHING`,
			p.Shipment, p.Order, ev.Operator); err != nil {
			return err
		}
		var job any
		if p.Job != 0 {
			job = p.Job
			if err := exec(`UPDATE print_jobs SET event_id=? WHERE id=?`, ev.ID, p.Job); err != nil {
				return err
			}
		}
		if err := exec(`INSERT INTO cartons(shipment_id, carton_no, sscc, tracking, box, weight_g, units, hazmat, print_job)
			VALUES (?,?,?,?,?,?,?,?,?)`, p.Shipment, p.Carton, p.SSCC, p.Tracking, p.Box, p.WeightG, p.Units, p.Hazmat, job); err != nil {
			return err
		}
		for _, l := range p.Lines {
			if err := exec(`INSERT INTO carton_lines(shipment_id, carton_no, line_no, sku, qty) VALUES (?,?,?,?,?)
				ON CONFLICT(shipment_id, carton_no, line_no) DO UPDATE SET qty = qty + excluded.qty`,
				p.Shipment, p.Carton, l.Line, l.SKU, l.Qty); err != nil {
				return err
			}
		}
		return nil
	case floor.EvPackShipmentCompleted:
		var p floor.PackShipmentPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		if err := exec(`UPDATE shipments SET status='completed', partial=?, cartons=?, units=?, weight_g=?, tracking=?, completed_at=?
			WHERE id=?`, p.Partial, p.Cartons, p.Units, p.WeightG, p.Tracking, ts, p.Shipment); err != nil {
			return err
		}
		// The bench emptied the order's totes into cartons: they may take
		// another order (a partial shipment ships all that was in them).
		s.totes.emptied()
		if err := exec(`UPDATE totes SET order_id='' WHERE order_id=?`, p.Order); err != nil {
			return err
		}
		if !p.Partial {
			return exec(`UPDATE orders SET status='packed' WHERE id=? AND status NOT IN ('cancelled', 'shipped')`, p.Order)
		}
		return nil
	case floor.EvPackVoided:
		var p floor.PackVoidPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		if err := exec(`UPDATE shipments SET status='voided', voided_at=?, void_reason=? WHERE id=?`, ts, p.Reason, p.Shipment); err != nil {
			return err
		}
		// Its labels that have not printed yet never will: one coming out
		// later would be stuck on a parcel that is not shipping. A label
		// being sent right now is past stopping; the packer takes it off
		// with the others.
		if err := exec(`UPDATE print_jobs SET status='cancelled', reason=?, retry_at='', updated_at=?
			WHERE `+waitingSQL+` AND (id IN (SELECT print_job FROM cartons WHERE shipment_id=?)
				OR reprint_of IN (SELECT print_job FROM cartons WHERE shipment_id=?))`,
			"shipment "+p.Shipment+" voided", ts, p.Shipment, p.Shipment); err != nil {
			return err
		}
		// The goods are packed again from the start: the order is open.
		return exec(`UPDATE orders SET status='open' WHERE id=? AND status='packed'`, p.Order)
	case floor.EvPackSetAside:
		var p floor.PackSetAsidePayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		// A supervisor follows up every order that left a bench unlabelled.
		return exec(`INSERT INTO exceptions(kind, order_id, location, qty, reason, operator, event_id) VALUES ('set-aside',?,?,?,?,?,?)`,
			p.Order, p.Location, p.Units, p.Reason, ev.Operator, ev.ID)
	}
	return nil
}

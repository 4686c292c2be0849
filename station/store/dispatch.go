package store

// Dispatch: the parcels a dispatch bench loads, the carriers' pickups and
// the effects of the dispatch events (migration 0010). Closing a pickup
// ships its parcels: their shipments, and the orders all of whose
// shipments left, become shipped.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// CounterPickup numbers the pickups this station opens.
const CounterPickup = "pickup"

// Parcel is what the station knows of a parcel (a labelled carton).
type Parcel struct {
	SSCC     string
	Order    string
	Shipment string
	Carton   int
	// Carrier is the carrier its label is for: the order's, else the
	// default the caller gives (the bench's [pack] carrier).
	Carrier        string
	ShipmentStatus string // labelled, completed, voided, shipped
	Standing       floor.OrderStanding
	// Pickup is the pickup it is loaded on ("" for none), its carrier,
	// and whether that pickup closed (the parcel left).
	Pickup        string
	PickupCarrier string
	Left          bool
}

// Parcel looks up the parcel with sscc, nil when the station knows none:
// the cartons this station's benches labelled, else the parcels the hub
// sent from other benches (hubparcels.go).
func (s *Store) Parcel(ctx context.Context, sscc, defaultCarrier string) (*Parcel, error) {
	p := Parcel{SSCC: sscc}
	var pickupStatus string
	err := s.db.QueryRow(ctx, `SELECT c.shipment_id, c.carton_no, sh.order_id, sh.status,
			COALESCE(NULLIF(o.carrier, ''), ?2),
			COALESCE(pp.pickup_id, ''), COALESCE(pu.carrier, ''), COALESCE(pu.status, '')
		FROM cartons c JOIN shipments sh ON sh.id = c.shipment_id
		LEFT JOIN orders o ON o.id = sh.order_id
		LEFT JOIN pickup_parcels pp ON pp.sscc = c.sscc
		LEFT JOIN pickups pu ON pu.id = pp.pickup_id
		WHERE c.sscc = ?1`, sscc, defaultCarrier).Scan(&p.Shipment, &p.Carton, &p.Order, &p.ShipmentStatus,
		&p.Carrier, &p.Pickup, &p.PickupCarrier, &pickupStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return s.hubParcel(ctx, sscc, defaultCarrier) // packed on another station, if the hub sent it
	}
	if err != nil {
		return nil, err
	}
	p.Left = pickupStatus == "closed"
	if p.Standing, err = s.OrderStanding(ctx, p.Order); err != nil {
		return nil, err
	}
	return &p, nil
}

// Pickup is a carrier's pickup with its parcels in load order.
type Pickup struct {
	ID      string
	Carrier string
	Open    bool
	Parcels []Parcel // SSCC, Order and Shipment set
	Job     int64    // the manifest's print job, once closed
}

// OpenPickup is the carrier's open pickup, nil when it has none.
func (s *Store) OpenPickup(ctx context.Context, carrier string) (*Pickup, error) {
	var id string
	err := s.db.QueryRow(ctx, `SELECT id FROM pickups WHERE carrier=? COLLATE NOCASE AND status='open' ORDER BY id LIMIT 1`, carrier).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.Pickup(ctx, id)
}

// Pickup reads a pickup, nil when unknown.
func (s *Store) Pickup(ctx context.Context, id string) (*Pickup, error) {
	p := Pickup{ID: id}
	var status string
	err := s.db.QueryRow(ctx, `SELECT carrier, status, COALESCE(print_job, 0) FROM pickups WHERE id=?`, id).Scan(&p.Carrier, &status, &p.Job)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.Open = status == "open"
	rows, err := s.db.R.QueryContext(ctx, `SELECT sscc, order_id, shipment_id FROM pickup_parcels WHERE pickup_id=? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var x Parcel
		if err := rows.Scan(&x.SSCC, &x.Order, &x.Shipment); err != nil {
			return nil, err
		}
		p.Parcels = append(p.Parcels, x)
	}
	return &p, rows.Err()
}

// DispatchCarriers are the carriers a dispatch bench offers, sorted: those
// of parcels ready to go (a completed shipment's cartons on no pickup, and
// the hub's ready parcels of other benches on none)
// and those of pickups open. A parcel's carrier is its order's, else
// defaultCarrier.
func (s *Store) DispatchCarriers(ctx context.Context, defaultCarrier string) ([]string, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT DISTINCT COALESCE(NULLIF(o.carrier, ''), ?1) FROM cartons c
			JOIN shipments sh ON sh.id = c.shipment_id LEFT JOIN orders o ON o.id = sh.order_id
			WHERE sh.status = 'completed' AND NOT EXISTS (SELECT 1 FROM pickup_parcels pp WHERE pp.sscc = c.sscc)
		UNION SELECT COALESCE(NULLIF(h.carrier, ''), ?1) FROM hub_parcels h
			WHERE h.status = 'ready' AND h.pickup_id = '' AND NOT h.cancelled AND h.holds = ''
			AND NOT EXISTS (SELECT 1 FROM pickup_parcels pp WHERE pp.sscc = h.sscc)
			AND NOT EXISTS (SELECT 1 FROM cartons c WHERE c.sscc = h.sscc)
		UNION SELECT carrier FROM pickups WHERE status = 'open'`, defaultCarrier)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		if c != "" && !slices.ContainsFunc(out, func(x string) bool { return equalFold(x, c) }) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out, rows.Err()
}

func equalFold(a, b string) bool { return floor.SKUKey(a) == floor.SKUKey(b) }

// PickupID is the id of the station's n-th pickup.
func PickupID(station string, n uint64) string { return fmt.Sprintf("%s-PU%05d", station, n) }

// PeekPickup is the id the next pickup of this station takes: the
// counter's next value, which the commit of dispatch.pickup_opened takes
// (and checks it is the same: one bench writes a station's store).
func (s *Store) PeekPickup(ctx context.Context) (string, error) {
	var n uint64
	err := s.db.QueryRow(ctx, `SELECT COALESCE((SELECT value FROM counters WHERE name=?), 0)`, CounterPickup).Scan(&n)
	if err != nil {
		return "", err
	}
	return PickupID(s.station, n+1), nil
}

// projectDispatch applies a dispatch event's effect on the pickups and,
// when a pickup closes, on the shipments and orders it shipped.
func (s *Store) projectDispatch(ctx context.Context, tx *sql.Tx, ev floor.Event, now time.Time) error {
	exec := func(q string, args ...any) (int64, error) {
		r, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		return r.RowsAffected()
	}
	ts := now.UTC().Format(time.RFC3339)
	switch ev.Type {
	case floor.EvDispatchPickupOpened:
		var p floor.DispatchPickupPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		if p.Resumed {
			var open bool
			err := tx.QueryRowContext(ctx, `SELECT status='open' FROM pickups WHERE id=?`, p.Pickup).Scan(&open)
			if err != nil || !open {
				return errors.Join(fmt.Errorf("pickup %s is not open to resume", p.Pickup), err)
			}
			return nil
		}
		n, err := s.nextInTx(ctx, tx, CounterPickup)
		if err != nil {
			return err
		}
		if want := PickupID(s.station, n); p.Pickup != want {
			return fmt.Errorf("pickup %s opened where the next pickup is %s", p.Pickup, want)
		}
		_, err = exec(`INSERT INTO pickups(id, carrier, opened_by, opened_at) VALUES (?,?,?,?)`, p.Pickup, p.Carrier, ev.Operator, ts)
		return err
	case floor.EvDispatchParcelLoaded:
		var p floor.DispatchParcelPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		n, err := exec(`INSERT INTO pickup_parcels(sscc, pickup_id, seq, order_id, shipment_id, operator)
			SELECT ?, id, ?, ?, ?, ? FROM pickups WHERE id=? AND status='open'`, p.SSCC, ev.Seq, p.Order, p.Shipment, ev.Operator, p.Pickup)
		if err == nil && n != 1 {
			err = fmt.Errorf("pickup %s is not open", p.Pickup)
		}
		return err
	case floor.EvDispatchParcelUnloaded:
		var p floor.DispatchParcelPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		n, err := exec(`DELETE FROM pickup_parcels WHERE sscc=? AND pickup_id IN (SELECT id FROM pickups WHERE id=? AND status='open')`, p.SSCC, p.Pickup)
		if err == nil && n != 1 {
			err = fmt.Errorf("parcel %s is not on open pickup %s", p.SSCC, p.Pickup)
		}
		return err
	case floor.EvDispatchPickupClosed:
		var p floor.DispatchClosedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		// What the event says left must be what is loaded: a difference
		// would ship parcels the manifest does not list, or the reverse.
		var loaded []string
		rows, err := tx.QueryContext(ctx, `SELECT sscc FROM pickup_parcels WHERE pickup_id=? ORDER BY seq`, p.Pickup)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return err
			}
			loaded = append(loaded, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if !slices.Equal(loaded, p.SSCCs) {
			return fmt.Errorf("pickup %s: the manifest lists %d parcels, %d are loaded", p.Pickup, len(p.SSCCs), len(loaded))
		}
		var job any
		if p.Job != 0 {
			job = p.Job
			if _, err := exec(`UPDATE print_jobs SET event_id=? WHERE id=?`, ev.ID, p.Job); err != nil {
				return err
			}
		}
		n, err := exec(`UPDATE pickups SET status='closed', closed_by=?, closed_at=?, print_job=? WHERE id=? AND status='open'`,
			ev.Operator, ts, job, p.Pickup)
		if err == nil && n != 1 {
			err = fmt.Errorf("pickup %s is not open", p.Pickup)
		}
		if err != nil {
			return err
		}
		// A shipment shipped when every carton of it left; an order when
		// every shipment of it did (a voided one counts for nothing).
		if _, err := exec(`UPDATE shipments SET status='shipped'
			WHERE status='completed' AND id IN (SELECT shipment_id FROM pickup_parcels WHERE pickup_id=?1)
			AND NOT EXISTS (SELECT 1 FROM cartons c WHERE c.shipment_id = shipments.id AND NOT EXISTS (
				SELECT 1 FROM pickup_parcels pp JOIN pickups pu ON pu.id = pp.pickup_id WHERE pp.sscc = c.sscc AND pu.status='closed'))`,
			p.Pickup); err != nil {
			return err
		}
		_, err = exec(`UPDATE orders SET status='shipped'
			WHERE status='packed' AND id IN (SELECT order_id FROM pickup_parcels WHERE pickup_id=?1)
			AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = orders.id AND s.status NOT IN ('shipped', 'voided'))`, p.Pickup)
		return err
	}
	return nil
}

package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// Site is reference and work data a station receives: from the demo's
// generator today, from the hub's feed once the station syncs.
type Site struct {
	Operators []floor.Operator
	Locations []floor.Location
	Items     []floor.Item
	Orders    []floor.Order
	Waves     []floor.Wave
	Tasks     []floor.PickTask
}

// LoadSite writes site data in one transaction: all of it or none.
// Existing rows with the same keys are replaced (reference data) or kept
// (work already under way is never reset by a reload).
func (s *Store) LoadSite(ctx context.Context, site Site) error {
	defer s.news.Add(1) // after the commit: a cart that looks sees it
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		for _, o := range site.Operators {
			roles := make([]string, len(o.Roles))
			for i, r := range o.Roles {
				roles[i] = string(r)
			}
			if err := exec(`INSERT INTO operators(badge, name, roles, pin_hash) VALUES (?,?,?,?)
				ON CONFLICT(badge) DO UPDATE SET name=excluded.name, roles=excluded.roles, pin_hash=excluded.pin_hash`,
				o.Badge, o.Name, strings.Join(roles, ","), o.PINHash); err != nil {
				return err
			}
		}
		for _, l := range site.Locations {
			if err := exec(`INSERT OR REPLACE INTO locations(code, zone, aisle, bay, level, position, walk_seq) VALUES (?,?,?,?,?,?,?)`,
				l.Code, l.Zone, l.Aisle, l.Bay, l.Level, l.Position, l.WalkSeq); err != nil {
				return err
			}
		}
		for _, it := range site.Items {
			if err := exec(`INSERT INTO items(sku, description, unit_weight_g, length_mm, width_mm, height_mm, lot_controlled, serial_controlled, hazmat)
				VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(sku) DO UPDATE SET description=excluded.description, unit_weight_g=excluded.unit_weight_g,
				length_mm=excluded.length_mm, width_mm=excluded.width_mm, height_mm=excluded.height_mm, lot_controlled=excluded.lot_controlled,
				serial_controlled=excluded.serial_controlled, hazmat=excluded.hazmat`,
				it.SKU, it.Description, it.UnitWeightG, it.LengthMM, it.WidthMM, it.HeightMM, it.LotControlled, it.SerialControlled, it.Hazmat); err != nil {
				return err
			}
			for _, g := range it.GTINs {
				if err := exec(`INSERT OR REPLACE INTO item_gtins(gtin, sku) VALUES (?,?)`, g, it.SKU); err != nil {
					return err
				}
			}
		}
		for _, o := range site.Orders {
			shipBy := ""
			if !o.ShipBy.IsZero() {
				shipBy = o.ShipBy.UTC().Format(time.RFC3339)
			}
			status := o.Status
			if status == "" {
				status = floor.OrderOpen
			}
			shipTo, err := shipToText(o.ShipTo)
			if err != nil {
				return err
			}
			if err := exec(`INSERT INTO orders(id, priority, ship_by, status, customer, ship_together, ship_to, carrier, service)
				VALUES (?,?,?,?,?,?,?,?,?)
				ON CONFLICT(id) DO UPDATE SET priority=excluded.priority, ship_by=excluded.ship_by, customer=excluded.customer,
				ship_together=excluded.ship_together, ship_to=excluded.ship_to, carrier=excluded.carrier, service=excluded.service`,
				o.ID, o.Priority, shipBy, string(status), o.Customer, o.ShipTogether, shipTo, o.Carrier, o.Service); err != nil {
				return err
			}
			for _, h := range o.Holds {
				if err := exec(`INSERT OR REPLACE INTO order_holds(order_id, reason, note) VALUES (?,?,?)`, o.ID, h.Reason, h.Note); err != nil {
					return err
				}
			}
			for _, l := range o.Lines {
				if err := exec(`INSERT OR IGNORE INTO order_lines(order_id, line_no, sku, qty) VALUES (?,?,?,?)`, o.ID, l.LineNo, l.SKU, l.Qty); err != nil {
					return err
				}
			}
		}
		for _, w := range site.Waves {
			status := w.Status
			if status == "" {
				status = "released"
			}
			if err := exec(`INSERT OR IGNORE INTO waves(id, status, station) VALUES (?,?,?)`, w.ID, status, w.Station); err != nil {
				return err
			}
		}
		for _, t := range site.Tasks {
			if err := exec(`INSERT OR IGNORE INTO pick_tasks(id, wave_id, order_id, line_no, location, sku, qty, sort_key) VALUES (?,?,?,?,?,?,?,?)`,
				t.ID, t.WaveID, t.OrderID, t.LineNo, t.Location, t.SKU, t.Qty, t.SortKey); err != nil {
				return err
			}
		}
		return nil
	})
}

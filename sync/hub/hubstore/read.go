package hubstore

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// Fulfilment reads an order's progress as the floor reported it, with its
// holds, parcels, the stations that have it and its conflicts.
func (s *Store) Fulfilment(ctx context.Context, order string) (protocol.Fulfilment, error) {
	f := protocol.Fulfilment{Order: order}
	tx, err := s.db.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return f, err
	}
	defer tx.Rollback()
	o, err := orderOf(ctx, tx, order)
	if err != nil {
		return f, err
	}
	if err := tx.QueryRowContext(ctx, `SELECT cancel_reason FROM orders WHERE id=?`, order).Scan(&f.CancelReason); err != nil {
		return f, err
	}
	f.Holds = o.Holds
	rows, err := tx.QueryContext(ctx, `SELECT l.line_no, l.sku, l.qty, COALESCE(p.picked,0), COALESCE(p.short,0),
		COALESCE((SELECT SUM(pl.qty) FROM parcel_lines pl JOIN parcels c ON c.order_id=pl.order_id AND c.parcel=pl.parcel
			WHERE pl.order_id=l.order_id AND pl.line_no=l.line_no AND c.status IN ('packed','shipped')), 0),
		COALESCE((SELECT SUM(pl.qty) FROM parcel_lines pl JOIN parcels c ON c.order_id=pl.order_id AND c.parcel=pl.parcel
			WHERE pl.order_id=l.order_id AND pl.line_no=l.line_no AND c.status='shipped'), 0),
		COALESCE(p.returned,0)
		FROM order_lines l LEFT JOIN line_progress p ON p.order_id=l.order_id AND p.line_no=l.line_no
		WHERE l.order_id=? ORDER BY l.line_no`, order)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var l protocol.LineProgress
		if err := rows.Scan(&l.Line, &l.SKU, &l.Qty, &l.Picked, &l.Short, &l.Packed, &l.Shipped, &l.Returned); err != nil {
			rows.Close()
			return f, err
		}
		f.Lines = append(f.Lines, l)
	}
	rows.Close()
	rows, err = tx.QueryContext(ctx, `SELECT sscc, tracking, carrier, status FROM parcels WHERE order_id=? ORDER BY parcel`, order)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var p protocol.Parcel
		if err := rows.Scan(&p.SSCC, &p.Tracking, &p.Carrier, &p.Status); err != nil {
			rows.Close()
			return f, err
		}
		f.Parcels = append(f.Parcels, p)
	}
	rows.Close()
	if f.Stations, err = stationsOf(ctx, tx, order); err != nil {
		return f, err
	}
	if f.Conflicts, err = conflicts(ctx, tx, `WHERE order_id=? ORDER BY id`, order); err != nil {
		return f, err
	}
	f.Status = hub.FulfilmentStatus(o.Status == protocol.StatusCancelled, f.Lines)
	return f, nil
}

// Conflicts lists conflicts after an id, oldest first.
func (s *Store) Conflicts(ctx context.Context, after int64, limit int) ([]protocol.Conflict, error) {
	return conflicts(ctx, s.db.R, `WHERE id>? ORDER BY id LIMIT ?`, after, limit)
}

type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

func conflicts(ctx context.Context, q querier, where string, args ...any) ([]protocol.Conflict, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, station, seq, event_id, order_id, kind, reason, at FROM conflicts `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []protocol.Conflict
	for rows.Next() {
		var c protocol.Conflict
		var at string
		if err := rows.Scan(&c.ID, &c.Station, &c.Seq, &c.EventID, &c.Order, &c.Kind, &c.Reason, &at); err != nil {
			return nil, err
		}
		c.At = parseStamp(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// StationEvents lists a station's events after a sequence, in order, as
// the hub keeps them: the floor's truth for the rest of the business.
func (s *Store) StationEvents(ctx context.Context, station string, after int64, limit int) ([]protocol.StoredEvent, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT seq, event_id, operator, device_time, received_at, type, payload, outcome, reason
		FROM events WHERE station=? AND seq>? ORDER BY seq LIMIT ?`, station, after, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []protocol.StoredEvent
	for rows.Next() {
		e := protocol.StoredEvent{Event: protocol.Event{Station: station}}
		var dt, rt, payload string
		if err := rows.Scan(&e.Seq, &e.ID, &e.Operator, &dt, &rt, &e.Type, &payload, &e.Status, &e.Reason); err != nil {
			return nil, err
		}
		e.DeviceTime, e.ReceivedAt, e.Payload = parseStamp(dt), parseStamp(rt), json.RawMessage(payload)
		out = append(out, e)
	}
	return out, rows.Err()
}

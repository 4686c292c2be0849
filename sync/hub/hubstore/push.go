package hubstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// Statements of the push path, prepared once on the writer.
const (
	qMark        = `SELECT mark FROM stations WHERE id=?`
	qEventInsert = `INSERT INTO events(station, seq, event_id, operator, device_time, received_at, type, payload, outcome, reason)
		VALUES (?,?,?,?,?,?,?,?,?,?)`
	qOrderState = `SELECT status, COALESCE((SELECT group_concat(reason, ',') FROM order_holds h WHERE h.order_id=orders.id), '')
		FROM orders WHERE id=?`
	qLineEffect = `INSERT INTO line_progress(order_id, line_no, picked, short, returned)
		VALUES (?1, ?2, MAX(?3,0), MAX(?4,0), MAX(?5,0))
		ON CONFLICT(order_id, line_no) DO UPDATE SET
			picked=MAX(picked+?3, 0), short=MAX(short+?4, 0), returned=MAX(returned+?5, 0)`
	qParcelEffect = `INSERT INTO parcels(order_id, parcel, shipment, sscc, tracking, carrier, status) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT(order_id, parcel) DO UPDATE SET shipment=excluded.shipment, sscc=excluded.sscc,
			tracking=CASE WHEN excluded.tracking<>'' THEN excluded.tracking ELSE tracking END,
			carrier=CASE WHEN excluded.carrier<>'' THEN excluded.carrier ELSE carrier END,
			status=excluded.status`
	qParcelLinesClear = `DELETE FROM parcel_lines WHERE order_id=? AND parcel=?`
	qParcelLine       = `INSERT INTO parcel_lines(order_id, parcel, line_no, qty) VALUES (?,?,?,?)
		ON CONFLICT(order_id, parcel, line_no) DO UPDATE SET qty=qty+excluded.qty`
	// A shipment's parcels move together; a voided one stays voided.
	qShipmentEffect = `UPDATE parcels SET status=?3, tracking=CASE WHEN tracking='' THEN ?4 ELSE tracking END
		WHERE order_id=?1 AND shipment=?2 AND status<>'voided'`
	// A late wave.started never moves a finished wave back.
	qWaveEffect = `UPDATE waves SET status=?1 WHERE id=?2 AND NOT (status='done' AND ?1='in_progress')`
	qConflict   = `INSERT INTO conflicts(station, seq, event_id, order_id, kind, reason, at) VALUES (?,?,?,?,?,?,?)`
	qMarkUpdate = `UPDATE stations SET mark=?, last_push_at=? WHERE id=?`
	// Another carton already under this SSCC: another order, or another
	// shipment of the same one.
	qSSCCHeld = `SELECT order_id, shipment FROM parcels WHERE sscc=?1 AND sscc<>'' AND NOT (order_id=?2 AND shipment=?3) LIMIT 1`
)

var writeStatements = []string{qMark, qEventInsert, qOrderState, qLineEffect, qParcelEffect, qParcelLinesClear, qParcelLine, qShipmentEffect, qWaveEffect, qConflict, qMarkUpdate, qSSCCHeld}

// Push applies a batch (already validated: one station, contiguous). Events
// at or below the station's mark are duplicates: their recorded outcomes are
// returned and nothing is written, but an id that differs from the one
// recorded is refused (the station's journal is not the one the hub knows).
// A batch that starts past mark+1 is refused as a gap. The rest are judged,
// written with their outcomes and effects, and the mark moves, all in one
// transaction.
func (s *Store) Push(ctx context.Context, station string, at time.Time, events []protocol.Event) (protocol.PushResponse, error) {
	resp := protocol.PushResponse{Station: station, ReceivedAt: at.UTC()}
	if len(events) == 0 {
		return resp, protocol.Errorf(protocol.CodeBadRequest, "the push has no events")
	}
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		resp.Outcomes = make([]protocol.Outcome, 0, len(events))
		var mark int64
		err := s.db.TxQueryRow(ctx, tx, qMark, station).Scan(&mark)
		if errors.Is(err, sql.ErrNoRows) {
			return protocol.Errorf(protocol.CodeNotFound, "station %s is not registered at this hub", station)
		}
		if err != nil {
			return err
		}
		first, last := events[0].Seq, events[len(events)-1].Seq
		i := 0
		if first <= mark {
			dups, err := s.recorded(ctx, tx, station, first, min(last, mark))
			if err != nil {
				return err
			}
			for ; i < len(events) && events[i].Seq <= mark; i++ {
				ev := events[i]
				rec, ok := dups[ev.Seq]
				if !ok {
					return fmt.Errorf("the hub's mark for %s is %d but it does not hold event %d", station, mark, ev.Seq)
				}
				if rec.id != ev.ID {
					return &protocol.Error{Status: 409, Code: protocol.CodeSeqConflict, Expected: mark + 1,
						Message: fmt.Sprintf("sequence %d of station %s is already held at the hub with another event id: this station's journal is not the one the hub knows (was its store replaced or restored?). Nothing was applied; call support before the station syncs again", ev.Seq, station)}
				}
				resp.Outcomes = append(resp.Outcomes, protocol.Outcome{Seq: ev.Seq, Status: rec.status, Reason: rec.reason, Duplicate: true})
			}
		}
		if i == len(events) {
			resp.Mark = mark
			return nil
		}
		if events[i].Seq != mark+1 {
			return &protocol.Error{Status: 409, Code: protocol.CodeGap, Expected: mark + 1,
				Message: fmt.Sprintf("gap: the hub holds station %s's events up to %d and expects sequence %d next, not %d", station, mark, mark+1, events[i].Seq)}
		}
		received := stamp(at)
		orders := map[string]hub.OrderState{}
		for ; i < len(events); i++ {
			ev := events[i]
			ref := protocol.RefOf(ev.Payload)
			var st hub.OrderState
			if ref.Order != "" {
				var ok bool
				if st, ok = orders[ref.Order]; !ok {
					if st, err = s.orderState(ctx, tx, ref.Order); err != nil {
						return err
					}
					orders[ref.Order] = st
				}
			}
			v := s.rules.Judge(ev, ref, st)
			if v, err = s.checkSSCCs(ctx, tx, v); err != nil {
				return err
			}
			if _, err := s.db.Exec(ctx, tx, qEventInsert, station, ev.Seq, ev.ID, ev.Operator, stamp(ev.DeviceTime),
				received, ev.Type, string(ev.Payload), v.Status, v.Reason); err != nil {
				return err
			}
			if v.Status == protocol.Accepted {
				for _, e := range v.Effects {
					if err := s.applyEffect(ctx, tx, e); err != nil {
						return err
					}
				}
			}
			if v.Conflict != "" {
				if _, err := s.db.Exec(ctx, tx, qConflict, station, ev.Seq, ev.ID, ref.Order, v.Conflict, v.Reason, received); err != nil {
					return err
				}
			}
			resp.Outcomes = append(resp.Outcomes, protocol.Outcome{Seq: ev.Seq, Status: v.Status, Reason: v.Reason})
		}
		if s.inApply != nil {
			s.inApply(station, last)
		}
		if _, err := s.db.Exec(ctx, tx, qMarkUpdate, last, received, station); err != nil {
			return err
		}
		resp.Mark = last
		return nil
	})
	if err != nil {
		return protocol.PushResponse{}, err
	}
	return resp, nil
}

// checkSSCCs turns an accepted verdict that records a carton under an SSCC
// another carton has into the duplicate-SSCC conflict (hub.DuplicateSSCC).
// Cartons applied earlier in the same batch count: their effects are
// already in tx.
func (s *Store) checkSSCCs(ctx context.Context, tx *sql.Tx, v hub.Verdict) (hub.Verdict, error) {
	if v.Status != protocol.Accepted {
		return v, nil
	}
	for _, e := range v.Effects {
		if e.Parcel == nil || e.Parcel.SSCC == "" {
			continue
		}
		var held hub.SSCCHolder
		err := s.db.TxQueryRow(ctx, tx, qSSCCHeld, e.Parcel.SSCC, e.Order, e.Parcel.Shipment).Scan(&held.Order, &held.Shipment)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return v, err
		}
		return hub.DuplicateSSCC(e.Parcel.SSCC, held), nil
	}
	return v, nil
}

type recordedEvent struct {
	id, status, reason string
}

func (s *Store) recorded(ctx context.Context, tx *sql.Tx, station string, from, to int64) (map[int64]recordedEvent, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, event_id, outcome, reason FROM events WHERE station=? AND seq BETWEEN ? AND ?`, station, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]recordedEvent{}
	for rows.Next() {
		var seq int64
		var r recordedEvent
		if err := rows.Scan(&seq, &r.id, &r.status, &r.reason); err != nil {
			return nil, err
		}
		out[seq] = r
	}
	return out, rows.Err()
}

func (s *Store) orderState(ctx context.Context, tx *sql.Tx, order string) (hub.OrderState, error) {
	var status, holds string
	err := s.db.TxQueryRow(ctx, tx, qOrderState, order).Scan(&status, &holds)
	if errors.Is(err, sql.ErrNoRows) {
		return hub.OrderState{}, nil
	}
	if err != nil {
		return hub.OrderState{}, err
	}
	st := hub.OrderState{Known: true, Cancelled: status == string(floor.OrderCancelled)}
	if holds != "" {
		st.Holds = strings.Split(holds, ",")
	}
	return st, nil
}

func (s *Store) applyEffect(ctx context.Context, tx *sql.Tx, e hub.Effect) error {
	exec := func(q string, args ...any) error {
		_, err := s.db.Exec(ctx, tx, q, args...)
		return err
	}
	if e.Order != "" && e.Line > 0 && (e.Picked != 0 || e.Short != 0 || e.Returned != 0) {
		if err := exec(qLineEffect, e.Order, e.Line, e.Picked, e.Short, e.Returned); err != nil {
			return err
		}
	}
	if p := e.Parcel; p != nil && e.Order != "" {
		key := p.SSCC
		if key == "" {
			key = p.Tracking
		}
		if key != "" {
			if err := exec(qParcelEffect, e.Order, key, p.Shipment, p.SSCC, p.Tracking, p.Carrier, p.Status); err != nil {
				return err
			}
			if err := exec(qParcelLinesClear, e.Order, key); err != nil {
				return err
			}
			for _, l := range p.Lines {
				if err := exec(qParcelLine, e.Order, key, l.Line, l.Qty); err != nil {
					return err
				}
			}
		}
	}
	if sh := e.Shipment; sh != nil && e.Order != "" {
		if err := exec(qShipmentEffect, e.Order, sh.Shipment, sh.Status, sh.Tracking); err != nil {
			return err
		}
	}
	if e.Wave != "" && e.WaveStatus != "" {
		if err := exec(qWaveEffect, e.WaveStatus, e.Wave); err != nil {
			return err
		}
	}
	return nil
}

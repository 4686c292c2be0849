package store

// Totes filled on other stations, as the hub sends them (migration 0009):
// a pack bench packs a tote a cart on another PC picked. The station's own
// picks stay in picks; the hub's record of them is never stored here, so
// a station that both picks and packs counts each unit once.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// HubTote is a tote as the hub knows it: the order it holds with what the
// carts put in it during this fill, and the order's short picks; or, with
// Order empty, free again (Freed is the order it held, FreedBy why). A
// Hold is what a cart gets when a fill begins: the order only, and the
// station whose pick began it.
type HubTote struct {
	Code     string
	Order    string
	Fill     int64
	Units    []HubToteUnit
	Shorts   []HubShort
	Packed   []HubPacked
	Freed    string
	FreedBy  string
	Hold     bool
	FilledBy string
}

// HubToteUnit is units a station picked into a tote; (Station, Seq) is its
// pick event.
type HubToteUnit struct {
	Station  string
	Seq      int64
	Task     int64
	Line     int
	SKU      string
	Qty      int
	Lot      string
	Serial   string
	Expiry   string
	Location string
	Operator string
}

// HubShort is a task a station closed short.
type HubShort struct {
	Station string
	Task    int64
	Line    int
	Qty     int
}

// HubPacked is units of an order line a station labelled in a shipment.
type HubPacked struct {
	Station  string
	Shipment string
	Line     int
	Qty      int
}

// tote applies a tote record. A fill replaces what this station had of
// the same fill (an undo at the cart removes units); units of earlier
// fills stay, since their order had them picked. A free tote empties this
// station's own tote row when it held that order.
func (a applier) tote(t *HubTote) (string, error) {
	a.sum.Totes++
	if t.Order == "" {
		if err := a.exec(`INSERT INTO hub_totes(code, order_id, fill, freed, freed_by) VALUES (?, '', ?, ?, ?)
			ON CONFLICT(code) DO UPDATE SET order_id='', freed=excluded.freed, freed_by=excluded.freed_by
			WHERE hub_totes.fill <= excluded.fill`, t.Code, t.Fill, t.Freed, t.FreedBy); err != nil {
			return "", err
		}
		res, err := a.tx.ExecContext(a.ctx, `UPDATE totes SET order_id='' WHERE code=? AND order_id=? AND order_id<>''`, t.Code, t.Freed)
		if err != nil {
			return "", err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			a.sum.Freed = append(a.sum.Freed, t.Code)
		}
		return "", nil
	}
	if t.Hold {
		return "", a.toteHold(t)
	}
	ok, err := a.exists(`SELECT 1 FROM orders WHERE id=?`, t.Order)
	if err != nil || !ok {
		return fmt.Sprintf("tote %s holds order %s, which this station does not have", floor.Printable(t.Code), floor.Printable(t.Order)), err
	}
	if err := a.exec(`INSERT INTO hub_totes(code, order_id, fill, freed, freed_by) VALUES (?,?,?,'','')
		ON CONFLICT(code) DO UPDATE SET order_id=excluded.order_id, fill=excluded.fill, freed='', freed_by=''
		WHERE hub_totes.fill <= excluded.fill`, t.Code, t.Order, t.Fill); err != nil {
		return "", err
	}
	if err := a.exec(`DELETE FROM hub_tote_units WHERE tote=? AND fill=?`, t.Code, t.Fill); err != nil {
		return "", err
	}
	for _, u := range t.Units {
		if u.Station == a.station {
			continue // in picks already
		}
		if err := a.exec(`INSERT OR REPLACE INTO hub_tote_units(station, seq, tote, fill, order_id, task_id, line_no, sku, qty, lot, serial, expiry, location, operator)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, u.Station, u.Seq, t.Code, t.Fill, t.Order, u.Task, u.Line, u.SKU, u.Qty,
			u.Lot, u.Serial, u.Expiry, u.Location, u.Operator); err != nil {
			return "", err
		}
	}
	if err := a.exec(`DELETE FROM hub_order_shorts WHERE order_id=?`, t.Order); err != nil {
		return "", err
	}
	for _, sh := range t.Shorts {
		if sh.Station == a.station {
			continue // in pick_tasks already
		}
		if err := a.exec(`INSERT OR REPLACE INTO hub_order_shorts(order_id, station, task_id, line_no, qty) VALUES (?,?,?,?,?)`,
			t.Order, sh.Station, sh.Task, sh.Line, sh.Qty); err != nil {
			return "", err
		}
	}
	if err := a.exec(`DELETE FROM hub_order_packed WHERE order_id=?`, t.Order); err != nil {
		return "", err
	}
	for _, p := range t.Packed {
		if p.Station == a.station {
			continue // in shipments already
		}
		if err := a.exec(`INSERT OR REPLACE INTO hub_order_packed(order_id, station, shipment, line_no, qty) VALUES (?,?,?,?,?)`,
			t.Order, p.Station, p.Shipment, p.Line, p.Qty); err != nil {
			return "", err
		}
	}
	return "", nil
}

// toteHold records that another station's cart filled the tote with an
// order (which this station need not have): a cart refuses the tote for
// its own orders until the hub frees it, or a supervisor here releases
// it. A fill this station began is in its totes row already, which knows
// better (it may have released the tote since).
func (a applier) toteHold(t *HubTote) error {
	if t.FilledBy == a.station {
		return nil
	}
	return a.exec(`INSERT INTO hub_totes(code, order_id, fill, freed, freed_by) VALUES (?,?,?,'','')
		ON CONFLICT(code) DO UPDATE SET order_id=excluded.order_id, fill=excluded.fill, freed='', freed_by=''
		WHERE hub_totes.fill < excluded.fill OR hub_totes.fill = excluded.fill AND hub_totes.order_id <> ''`, t.Code, t.Order, t.Fill)
}

// ToteInfo is what this station knows of a scanned tote.
type ToteInfo struct {
	Order string // the order it holds, "" for none
	// Known: picked into on this station, or sent by the hub. A tote
	// that is not known may simply not have reached this station yet.
	Known bool
	// Freed and FreedBy: for an empty tote the hub freed, the order it
	// held and why (protocol.ToteFreed*).
	Freed, FreedBy string
}

// ToteInfo reads what this station knows of a tote. An order this station
// filled it with comes first, then the hub's record; an empty tote the
// hub freed names the order it held; else the latest pick here names its
// order (a tote packed on this station names the order it held).
func (s *Store) ToteInfo(ctx context.Context, tote string) (ToteInfo, error) {
	var ti ToteInfo
	var local, hub string
	var localKnown, hubKnown int
	err := s.db.QueryRow(ctx, `SELECT
		COALESCE((SELECT order_id FROM totes WHERE code=?1), ''),
		EXISTS (SELECT 1 FROM totes WHERE code=?1) OR EXISTS (SELECT 1 FROM picks WHERE tote=?1),
		COALESCE((SELECT order_id FROM hub_totes WHERE code=?1), ''),
		EXISTS (SELECT 1 FROM hub_totes WHERE code=?1),
		COALESCE((SELECT freed FROM hub_totes WHERE code=?1), ''),
		COALESCE((SELECT freed_by FROM hub_totes WHERE code=?1), '')`, tote).
		Scan(&local, &localKnown, &hub, &hubKnown, &ti.Freed, &ti.FreedBy)
	if err != nil {
		return ti, err
	}
	ti.Known = localKnown == 1 || hubKnown == 1
	switch {
	case local != "":
		ti.Order, ti.Freed, ti.FreedBy = local, "", ""
		return ti, nil
	case hub != "":
		ti.Order = hub
		return ti, nil
	case !ti.Known || ti.Freed != "":
		return ti, nil
	}
	ti.Order, err = s.lastOrderInTote(ctx, tote)
	return ti, err
}

// ToteOrder is ToteInfo's order and whether the tote is known.
func (s *Store) ToteOrder(ctx context.Context, tote string) (order string, known bool, err error) {
	ti, err := s.ToteInfo(ctx, tote)
	return ti.Order, ti.Known, err
}

// lastOrderInTote finds the order whose units went into tote last here.
func (s *Store) lastOrderInTote(ctx context.Context, tote string) (string, error) {
	var id string
	err := s.db.QueryRow(ctx, `SELECT t.order_id FROM picks p JOIN pick_tasks t ON t.id = p.task_id
		WHERE p.tote=? ORDER BY p.seq DESC LIMIT 1`, tote).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// hubPicked is what other stations picked, shorted and labelled for an
// order, per line, as the hub sent it.
func (s *Store) hubPicked(ctx context.Context, order string) (picked, short, packed map[int]int, err error) {
	if picked, err = s.intsByLine(ctx, `SELECT line_no, SUM(qty) FROM hub_tote_units WHERE order_id=? GROUP BY line_no`, order); err != nil {
		return nil, nil, nil, err
	}
	if short, err = s.intsByLine(ctx, `SELECT line_no, SUM(qty) FROM hub_order_shorts WHERE order_id=? GROUP BY line_no`, order); err != nil {
		return nil, nil, nil, err
	}
	packed, err = s.intsByLine(ctx, `SELECT line_no, SUM(qty) FROM hub_order_packed WHERE order_id=? GROUP BY line_no`, order)
	return picked, short, packed, err
}

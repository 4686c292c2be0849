package store

// Shipped orders for a returns bench (migration 0014): what the hub said
// shipped and came back per line, and the units this station took back
// that the hub has not counted yet.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/totewms/tote/internal/floor"
)

// Returnable is an order that shipped, as the hub sends it.
type Returnable struct {
	Order     string
	SSCCs     []string
	Lines     []ReturnableLine
	Counted   []string // return.received event ids the hub's Returned include
	Cancelled bool
}

// ReturnableLine is one line of a shipped order: Returned counts the
// units back, the hub's figure and this station's own not yet in it.
type ReturnableLine struct {
	Line     int    `json:"line"`
	SKU      string `json:"sku"`
	Shipped  int    `json:"shipped"`
	Returned int    `json:"returned"`
}

// returnable applies a shipped order's record: it replaces the one held,
// and this station's units the hub now counts are forgotten.
func (a applier) returnable(r *Returnable) (string, error) {
	if r.Order == "" {
		return "a returnable order without an order number", nil
	}
	lines, err := json.Marshal(r.Lines)
	if err != nil {
		return "", err
	}
	counted, err := json.Marshal(orEmpty(r.Counted))
	if err != nil {
		return "", err
	}
	if err := a.exec(`INSERT INTO returnable_orders(order_id, lines, counted, cancelled, received) VALUES (?,?,?,?,?)
		ON CONFLICT(order_id) DO UPDATE SET lines=excluded.lines, counted=excluded.counted, cancelled=excluded.cancelled, received=excluded.received`,
		r.Order, string(lines), string(counted), r.Cancelled, a.at); err != nil {
		return "", err
	}
	for _, s := range r.SSCCs {
		if err := a.exec(`INSERT INTO returnable_parcels(sscc, order_id) VALUES (?,?) ON CONFLICT(sscc) DO UPDATE SET order_id=excluded.order_id`, s, r.Order); err != nil {
			return "", err
		}
	}
	for _, id := range r.Counted {
		if err := a.exec(`DELETE FROM returned_units WHERE event_id=?`, id); err != nil {
			return "", err
		}
	}
	a.sum.Returnable++
	return "", nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// projectReturn takes the return's number when it opens, and keeps a
// unit this station took back until the hub counts it.
func (s *Store) projectReturn(ctx context.Context, tx *sql.Tx, ev floor.Event) error {
	if ev.Type == floor.EvReturnOpened {
		var p floor.ReturnPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		n, err := s.nextInTx(ctx, tx, CounterReturn)
		if err != nil {
			return err
		}
		if want := ReturnID(s.station, n); p.Return != want {
			return fmt.Errorf("return %s opened where the next return is %s", p.Return, want)
		}
		return nil
	}
	if ev.Type != floor.EvReturnReceived {
		return nil
	}
	var p floor.ReturnReceivedPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO returned_units(event_id, order_id, line, qty, seq) VALUES (?,?,?,?,?)`, ev.ID, p.Order, p.Line, p.Qty, ev.Seq)
	return err
}

// Returnable is what this station knows of the order a scan names, by
// order number or by the SSCC of a parcel it shipped in (sscc says the
// latter); nil when the hub sent no shipment of it. Each line's Returned
// includes this station's units the hub has not counted yet.
func (s *Store) Returnable(ctx context.Context, named string) (r *Returnable, sscc bool, err error) {
	order := named
	err = s.db.QueryRow(ctx, `SELECT order_id FROM returnable_parcels WHERE sscc=?`, named).Scan(&order)
	switch {
	case err == nil:
		sscc = true
	case !errors.Is(err, sql.ErrNoRows):
		return nil, false, err
	}
	var lines, counted string
	out := Returnable{Order: order}
	err = s.db.QueryRow(ctx, `SELECT lines, counted, cancelled FROM returnable_orders WHERE order_id=?`, order).Scan(&lines, &counted, &out.Cancelled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sscc, nil
	}
	if err != nil {
		return nil, sscc, err
	}
	if err := json.Unmarshal([]byte(lines), &out.Lines); err != nil {
		return nil, sscc, fmt.Errorf("order %s's shipped lines: %w", floor.Printable(order), err)
	}
	if err := json.Unmarshal([]byte(counted), &out.Counted); err != nil {
		return nil, sscc, fmt.Errorf("order %s's counted returns: %w", floor.Printable(order), err)
	}
	// A unit the hub refused (another bench took the last one back first)
	// does not count: the hub's word on the line stands.
	rows, err := s.db.R.QueryContext(ctx, `SELECT u.event_id, u.line, u.qty FROM returned_units u
		WHERE u.order_id=? AND NOT EXISTS (SELECT 1 FROM sync_rejections r WHERE r.event_id = u.event_id)`, order)
	if err != nil {
		return nil, sscc, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var line, qty int
		if err := rows.Scan(&id, &line, &qty); err != nil {
			return nil, sscc, err
		}
		if slices.Contains(out.Counted, id) {
			continue
		}
		for i := range out.Lines {
			if out.Lines[i].Line == line {
				out.Lines[i].Returned += qty
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, sscc, err
	}
	ps, err := s.db.R.QueryContext(ctx, `SELECT sscc FROM returnable_parcels WHERE order_id=? ORDER BY sscc`, order)
	if err != nil {
		return nil, sscc, err
	}
	defer ps.Close()
	for ps.Next() {
		var x string
		if err := ps.Scan(&x); err != nil {
			return nil, sscc, err
		}
		out.SSCCs = append(out.SSCCs, x)
	}
	return &out, sscc, ps.Err()
}

// CounterReturn numbers the returns this station opens.
const CounterReturn = "return"

// ReturnID is the id of the n-th return a station opens.
func ReturnID(station string, n uint64) string { return fmt.Sprintf("%s-R%05d", station, n) }

// PeekReturn is the id the next return of this station takes: the
// counter's next value, which the commit of return.opened takes (and
// checks it is the same: one bench writes a station's store).
func (s *Store) PeekReturn(ctx context.Context) (string, error) {
	var n uint64
	err := s.db.QueryRow(ctx, `SELECT COALESCE((SELECT value FROM counters WHERE name=?), 0)`, CounterReturn).Scan(&n)
	if err != nil {
		return "", err
	}
	return ReturnID(s.station, n+1), nil
}

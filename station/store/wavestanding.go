package store

// What a pick cart needs to know of the orders in its wave: which were
// cancelled or put on hold centrally (sync applies those), and what was
// already picked for an order, for the return-to-stock instruction.

import (
	"context"

	"github.com/totewms/tote/internal/floor"
)

// WaveStanding is the office's word on a wave's orders.
type WaveStanding struct {
	// Cancelled: orders cancelled centrally that the cart has not
	// withdrawn yet: tasks still in the walk, or goods still in a tote.
	Cancelled []string
	// Held: orders with at least one hold, sorted.
	Held []string
}

// WaveStanding reads which of a wave's orders are cancelled with tasks
// still in the walk, and which are held.
func (s *Store) WaveStanding(ctx context.Context, wave string) (WaveStanding, error) {
	var ws WaveStanding
	rows, err := s.db.R.QueryContext(ctx, `SELECT o.id, o.status = 'cancelled',
			EXISTS (SELECT 1 FROM pick_task_progress t WHERE t.order_id = o.id AND t.wave_id = ?1 AND t.status IN ('open', 'in_progress', 'skipped'))
				OR EXISTS (SELECT 1 FROM totes WHERE order_id = o.id),
			EXISTS (SELECT 1 FROM order_holds h WHERE h.order_id = o.id)
		FROM orders o WHERE o.id IN (SELECT DISTINCT order_id FROM pick_tasks WHERE wave_id = ?1) ORDER BY o.id`, wave)
	if err != nil {
		return ws, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var cancelled, open, held bool
		if err := rows.Scan(&id, &cancelled, &open, &held); err != nil {
			return ws, err
		}
		switch {
		case cancelled && open:
			ws.Cancelled = append(ws.Cancelled, id)
		case !cancelled && held:
			ws.Held = append(ws.Held, id)
		}
	}
	return ws, rows.Err()
}

// PickedGoods is what was picked for an order and is still in its totes,
// by tote and the location it came from, oldest first.
func (s *Store) PickedGoods(ctx context.Context, order string) ([]floor.ReturnLine, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT p.tote, t.sku, t.location, p.lot, p.serial, SUM(p.qty)
		FROM picks p JOIN pick_tasks t ON t.id = p.task_id
		WHERE t.order_id = ? GROUP BY p.tote, t.sku, t.location, p.lot, p.serial ORDER BY MIN(p.seq)`, order)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []floor.ReturnLine
	for rows.Next() {
		var r floor.ReturnLine
		if err := rows.Scan(&r.Tote, &r.SKU, &r.Location, &r.Lot, &r.Serial, &r.Qty); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

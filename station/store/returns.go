package store

// Goods of cancelled orders waiting to go back to stock (migration 0011):
// an order.withdrawn event's returns, until the picker records each line
// back on its shelf (stock.returned).

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// withdrawReturns keeps the withdrawal's goods as waiting to go back.
func (s *Store) withdrawReturns(ctx context.Context, tx *sql.Tx, seq int64, p floor.WithdrawPayload) error {
	for _, g := range p.Returns {
		if g.Qty <= 0 {
			continue
		}
		if _, err := s.db.Exec(ctx, tx, `INSERT INTO stock_returns(order_id, tote, sku, qty, location, lot, serial, withdrawn_seq)
			VALUES (?,?,?,?,?,?,?,?)`, p.Order, g.Tote, g.SKU, g.Qty, g.Location, g.Lot, g.Serial, seq); err != nil {
			return err
		}
	}
	return nil
}

// stockReturned records a waiting line back on its shelf: the line must
// wait, whole, exactly as the event names it.
func (s *Store) stockReturned(ctx context.Context, tx *sql.Tx, ev floor.Event) error {
	var p floor.StockReturnedPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return err
	}
	res, err := s.db.Exec(ctx, tx, `UPDATE stock_returns SET returned_seq=? WHERE id = (SELECT id FROM stock_returns
		WHERE returned_seq IS NULL AND order_id=? AND tote=? AND sku=? AND qty=? AND location=? AND lot=? AND serial=? ORDER BY id LIMIT 1)`,
		ev.Seq, p.Order, p.Tote, p.SKU, p.Qty, p.Location, p.Lot, p.Serial)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("no goods of order %s wait in tote %s to go back to %s", floor.Printable(p.Order), floor.Printable(p.Tote), floor.Printable(p.Location))
	}
	return nil
}

// WaitingReturns lists the goods waiting to go back to stock, oldest first.
func (s *Store) WaitingReturns(ctx context.Context) ([]floor.StockReturn, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT order_id, tote, sku, qty, location, lot, serial FROM stock_returns
		WHERE returned_seq IS NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []floor.StockReturn
	for rows.Next() {
		var r floor.StockReturn
		if err := rows.Scan(&r.Order, &r.Tote, &r.SKU, &r.Qty, &r.Location, &r.Lot, &r.Serial); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

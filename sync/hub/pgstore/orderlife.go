package pgstore

import (
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/sync/hub"
)

func (t *storeTx) OrderLife(order string) (hub.LifeRecord, bool, error) {
	var body string
	ok, err := found(t.row(`SELECT body FROM order_life WHERE order_id=$1`, order).Scan(&body))
	if err != nil || !ok {
		return hub.LifeRecord{}, ok, err
	}
	var r hub.LifeRecord
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return hub.LifeRecord{}, false, fmt.Errorf("order %s: its life record does not read: %w", order, err)
	}
	return r, true, nil
}

func (t *storeTx) PutOrderLife(order string, r hub.LifeRecord) error {
	body, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return t.run(`INSERT INTO order_life(order_id, state, shelf, body) VALUES ($1,$2,$3,$4)
		ON CONFLICT(order_id) DO UPDATE SET state=excluded.state, shelf=excluded.shelf, body=excluded.body`, order, r.State, r.ShelfLocation(), string(body))
}

func (t *storeTx) ShelvedOrders() ([]string, error) {
	return list(t, `SELECT order_id FROM order_life WHERE shelf<>'' ORDER BY order_id`, nil,
		func(r pgx.Rows, o *string) error { return r.Scan(o) })
}

func (t *storeTx) PutItemLocations(sku string, locations []string) error {
	if err := t.run(`DELETE FROM item_locations WHERE sku=$1`, sku); err != nil {
		return err
	}
	for i, l := range locations {
		if err := t.run(`INSERT INTO item_locations(sku, rank, location) VALUES ($1,$2,$3)`, sku, i+1, l); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) ItemLocations(sku string) ([]string, error) {
	return list(t, `SELECT location FROM item_locations WHERE sku=$1 ORDER BY rank`, args(sku),
		func(r pgx.Rows, l *string) error { return r.Scan(l) })
}

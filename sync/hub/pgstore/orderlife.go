package pgstore

import (
	"github.com/jackc/pgx/v5"
)

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

package hubstore_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

// TestOrdersSurviveTheShipToMigration: a hub database made before orders
// had a ship-to keeps its orders, which read as having none, and takes
// addresses from then on.
func TestOrdersSurviveTheShipToMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	old, err := sqlitedb.Open(ctx, path, hubstore.Migrations()[:1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.W.Exec(`INSERT INTO items(sku, description) VALUES ('MUG-1', 'Mug');
		INSERT INTO orders(id, customer, created_at) VALUES ('SO-1', 'Olivia', '2026-03-02T09:00:00Z');
		INSERT INTO order_lines(order_id, line_no, sku, qty) VALUES ('SO-1', 1, 'MUG-1', 2);`); err != nil {
		t.Fatal(err)
	}
	old.Close()

	hs, err := hubstore.Open(ctx, path, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	if hs.DB().Version != len(hubstore.Migrations()) {
		t.Fatalf("version %d after opening", hs.DB().Version)
	}
	var shipTo, carrier, service string
	if err := hs.DB().R.QueryRow(`SELECT ship_to, carrier, service FROM orders WHERE id='SO-1'`).Scan(&shipTo, &carrier, &service); err != nil {
		t.Fatal(err)
	}
	if shipTo != "" || carrier != "" || service != "" {
		t.Fatalf("a migrated order reads %q %q %q", shipTo, carrier, service)
	}
	if f, err := hs.Fulfilment(ctx, "SO-1"); err != nil || len(f.Lines) != 1 {
		t.Fatalf("the migrated order does not read: %+v %v", f, err)
	}
	addr := protocol.Address{Name: "Olivia", Line1: "1 Main St", City: "Springfield", Country: "US"}
	if _, err := hs.ImportOrders(ctx, []protocol.Order{{ID: "SO-1", Customer: "Olivia", Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 2}},
		ShipTo: addr, Carrier: "UPS"}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := hs.DB().R.QueryRow(`SELECT ship_to, carrier FROM orders WHERE id='SO-1'`).Scan(&shipTo, &carrier); err != nil {
		t.Fatal(err)
	}
	if shipTo != `{"name":"Olivia","line1":"1 Main St","city":"Springfield","country":"US"}` || carrier != "UPS" {
		t.Fatalf("after a re-import: %q %q", shipTo, carrier)
	}
}

// TestStationsNumberedByTheMigration: stations registered before the hub
// gave station numbers get them in the order they registered, and the next
// registration gets the next one.
func TestStationsNumberedByTheMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	old, err := sqlitedb.Open(ctx, path, hubstore.Migrations()[:2])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.W.Exec(`INSERT INTO stations(id, registered_at) VALUES ('PACK-02', '2026-03-02T10:00:00Z');
		INSERT INTO stations(id, registered_at) VALUES ('CART-01', '2026-03-02T09:00:00Z');
		INSERT INTO stations(id, registered_at) VALUES ('CART-02', '2026-03-02T09:00:00Z');`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	hs, err := hubstore.Open(ctx, path, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	if err := hs.RegisterStation(ctx, "PACK-03", "", "hash", time.Now()); err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"CART-01": 1, "CART-02": 2, "PACK-02": 3, "PACK-03": 4}
	st, err := hs.Stations(ctx)
	if err != nil || len(st) != 4 {
		t.Fatalf("stations %+v %v", st, err)
	}
	for _, s := range st {
		if s.Number != want[s.ID] {
			t.Errorf("%s has number %d, want %d", s.ID, s.Number, want[s.ID])
		}
	}
}

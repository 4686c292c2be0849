package store_test

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// TestLoadSiteShipTo: a loaded order's address, carrier and service land in
// its columns, the address as floor.Address JSON and empty when none; a
// reload replaces them.
func TestLoadSiteShipTo(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	addr := floor.Address{Name: "Olivia Smith", Line1: "1 Main St", City: "Springfield", Region: "IL", PostalCode: "62701", Country: "US"}
	site := store.Site{
		Items: []floor.Item{{SKU: "MUG", GTINs: []string{"04006381333931"}, Description: "Mug"}},
		Orders: []floor.Order{
			{ID: "ORD-1", ShipBy: time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC), Customer: "Olivia Smith",
				Lines:  []floor.OrderLine{{OrderID: "ORD-1", LineNo: 1, SKU: "MUG", Qty: 1}},
				ShipTo: addr, Carrier: "UPS", Service: "Ground"},
			{ID: "ORD-2", Lines: []floor.OrderLine{{OrderID: "ORD-2", LineNo: 1, SKU: "MUG", Qty: 2}}},
		},
	}
	if err := s.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	shipTo, carrier, service := orderShipping(t, s, "ORD-1")
	var got floor.Address
	if err := json.Unmarshal([]byte(shipTo), &got); err != nil || got != addr || carrier != "UPS" || service != "Ground" {
		t.Fatalf("ORD-1 stored %q (%+v, %v) %q %q", shipTo, got, err, carrier, service)
	}
	if want := `{"name":"Olivia Smith","line1":"1 Main St","city":"Springfield","region":"IL","postal_code":"62701","country":"US"}`; shipTo != want {
		t.Fatalf("ship_to column\n got  %s\n want %s", shipTo, want)
	}
	if shipTo, carrier, service := orderShipping(t, s, "ORD-2"); shipTo != "" || carrier != "" || service != "" {
		t.Fatalf("ORD-2 stored %q %q %q", shipTo, carrier, service)
	}
	// A reload with another address and service replaces them.
	site.Orders[0].ShipTo.Line2 = "Suite 200"
	site.Orders[0].Service = "Next Day"
	if err := s.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	st, err := s.OrderShipTo(ctx, "ORD-1")
	if err != nil || st.Address.Line2 != "Suite 200" || st.Address.Line1 != "1 Main St" || st.Service != "Next Day" || st.Carrier != "UPS" {
		t.Fatalf("after a reload: %+v %v", st, err)
	}
}

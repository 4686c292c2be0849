package store_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// TestDispatchTables: what a dispatch bench reads of parcels and pickups,
// and the commits the tables refuse (whatever a bench asks): a pickup
// whose id is not the counter's next, a parcel loaded twice, a manifest
// that does not list what is loaded, a pickup closed twice. Closing
// ships a shipment only when every carton of it left.
func TestDispatchTables(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	at := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	order := func(id, carrier string) floor.Order {
		return floor.Order{ID: id, Carrier: carrier, Status: floor.OrderOpen, Lines: []floor.OrderLine{{LineNo: 1, SKU: "MUG", Qty: 2}}}
	}
	if err := s.LoadSite(ctx, store.Site{Items: []floor.Item{{SKU: "MUG", Description: "Mug"}},
		Orders: []floor.Order{order("ORD-1", ""), order("ORD-2", "DHL")}}); err != nil {
		t.Fatal(err)
	}
	commit := func(evs ...floor.Event) error {
		t.Helper()
		_, err := s.Commit(ctx, at, evs, nil)
		return err
	}
	label := func(order, sscc string, carton int) floor.Event {
		return floor.NewEvent(floor.EvPackLabelRequested, "B2", floor.PackLabelPayload{Order: order, Shipment: order + "-1",
			Carton: carton, Cartons: 2, SSCC: sscc, Tracking: "T" + sscc, Lines: []floor.CartonLine{{Line: 1, SKU: "MUG", Qty: 1}}})
	}
	done := func(order string) floor.Event {
		return floor.NewEvent(floor.EvPackShipmentCompleted, "B2", floor.PackShipmentPayload{Order: order, Shipment: order + "-1", Cartons: 2})
	}
	const a1, a2, b1 = "006141410010000019", "006141410010000026", "006141410010000033"
	if err := commit(label("ORD-1", a1, 1), label("ORD-1", a2, 2), done("ORD-1"), label("ORD-2", b1, 1)); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Parcel(ctx, "006141410010000040", "OWN"); p != nil || err != nil {
		t.Fatalf("unknown SSCC: %+v %v", p, err)
	}
	p, err := s.Parcel(ctx, a1, "OWN")
	if err != nil || p == nil || p.Order != "ORD-1" || p.Shipment != "ORD-1-1" || p.Carton != 1 || p.Carrier != "OWN" ||
		p.ShipmentStatus != "completed" || p.Pickup != "" {
		t.Fatalf("parcel %+v %v", p, err)
	}
	if p, _ := s.Parcel(ctx, b1, "OWN"); p.Carrier != "DHL" || p.ShipmentStatus != "labelled" {
		t.Fatalf("DHL parcel %+v", p)
	}
	if cs, err := s.DispatchCarriers(ctx, "OWN"); err != nil || !slices.Equal(cs, []string{"OWN"}) {
		t.Fatalf("carriers %q %v (ORD-2 is not finished)", cs, err)
	}

	id, err := s.PeekPickup(ctx)
	if err != nil || id != "ST-01-PU00001" {
		t.Fatalf("next pickup %q %v", id, err)
	}
	opened := func(id string) floor.Event {
		return floor.NewEvent(floor.EvDispatchPickupOpened, "B3", floor.DispatchPickupPayload{Pickup: id, Carrier: "OWN"})
	}
	loaded := func(sscc string) floor.Event {
		return floor.NewEvent(floor.EvDispatchParcelLoaded, "B3", floor.DispatchParcelPayload{SSCC: sscc, Order: "ORD-1", Shipment: "ORD-1-1", Pickup: id, Carrier: "OWN"})
	}
	closed := func(ssccs ...string) floor.Event {
		return floor.NewEvent(floor.EvDispatchPickupClosed, "B3", floor.DispatchClosedPayload{Pickup: id, Carrier: "OWN", SSCCs: ssccs})
	}
	last, _ := s.LastSeq(ctx)
	for name, evs := range map[string][]floor.Event{
		"an id not the counter's": {opened("ST-01-PU00007")},
		"a parcel loaded twice":   {opened(id), loaded(a1), loaded(a1)},
		"onto no open pickup":     {loaded(a1)},
		"a manifest short":        {opened(id), loaded(a1), loaded(a2), closed(a1)},
	} {
		if err := commit(evs...); err == nil {
			t.Errorf("%s: committed", name)
		}
		if seq, _ := s.LastSeq(ctx); seq != last {
			t.Fatalf("%s: the journal moved", name)
		}
	}
	if err := commit(opened(id), loaded(a1)); err != nil {
		t.Fatal(err)
	}
	if pu, err := s.OpenPickup(ctx, "own"); err != nil || pu == nil || pu.ID != id || len(pu.Parcels) != 1 || pu.Parcels[0].SSCC != a1 {
		t.Fatalf("open pickup %+v %v", pu, err)
	}
	if next, _ := s.PeekPickup(ctx); next != "ST-01-PU00002" {
		t.Fatalf("next pickup after one opened: %q", next)
	}
	// Half the shipment leaves: the shipment and the order wait for the rest.
	if err := commit(closed(a1)); err != nil {
		t.Fatal(err)
	}
	if err := commit(closed(a1)); err == nil {
		t.Fatal("a pickup closed twice")
	}
	if st, _ := s.ShipmentStatus(ctx, "ORD-1-1"); st != "completed" {
		t.Fatalf("ORD-1-1 is %q with one of two cartons gone", st)
	}
	if p, _ := s.Parcel(ctx, a1, "OWN"); p.Pickup != id || !p.Left {
		t.Fatalf("parcel after the close %+v", p)
	}
	id = "ST-01-PU00002"
	if err := commit(opened(id), loaded(a2), closed(a2)); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.ShipmentStatus(ctx, "ORD-1-1"); st != "shipped" {
		t.Fatalf("ORD-1-1 is %q with both cartons gone", st)
	}
	if o, _ := s.OrderStanding(ctx, "ORD-1"); o.Status != floor.OrderShipped {
		t.Fatalf("ORD-1 is %q", o.Status)
	}
}

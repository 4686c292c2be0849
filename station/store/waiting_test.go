package store

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// TestWaitingFromTheHub: what the hub sent that waits at a bench, as the
// demo's hints list it: totes holding an order (by order; a freed tote
// not), and parcels ready at the dock that no pickup holds (one loaded
// on another dock's pickup, one voided and one loaded here not).
func TestWaitingFromTheHub(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DOCK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	order := func(id string) floor.Order {
		return floor.Order{ID: id, Status: floor.OrderOpen, Lines: []floor.OrderLine{{OrderID: id, LineNo: 1, SKU: "MUG", Qty: 1}}}
	}
	if err := s.LoadSite(ctx, Site{Items: []floor.Item{{SKU: "MUG"}}, Orders: []floor.Order{order("ORD-A"), order("ORD-B")}}); err != nil {
		t.Fatal(err)
	}
	parcel := func(sscc, order, status, pickup string) Change {
		return Change{Parcel: &HubParcel{SSCC: sscc, Order: order, Shipment: order + "-1", Status: status, Pickup: pickup}}
	}
	if _, err := s.ApplyPull(ctx, Pulled{Cursor: "1", At: time.Now(), Changes: []Change{
		{Tote: &HubTote{Code: "T00009", Order: "ORD-B", Fill: 1}},
		{Tote: &HubTote{Code: "T00001", Order: "ORD-A", Fill: 1}},
		{Tote: &HubTote{Code: "T00005", Fill: 2, Freed: "ORD-A", FreedBy: "packed"}},
		parcel("00000000000000000B", "ORD-B", HubParcelReady, ""),
		parcel("00000000000000000A", "ORD-A", HubParcelReady, ""),
		parcel("00000000000000000C", "ORD-A", HubParcelReady, "DOCK-02-PU00001"),
		parcel("00000000000000000D", "ORD-B", HubParcelVoided, ""),
	}}); err != nil {
		t.Fatal(err)
	}
	totes, err := s.HubTotesHolding(ctx)
	if err != nil || !slices.Equal(totes, []string{"T00001", "T00009"}) {
		t.Fatalf("totes holding an order: %v %v", totes, err)
	}
	ready, err := s.HubParcelsReady(ctx)
	if err != nil || !slices.Equal(ready, []string{"00000000000000000A", "00000000000000000B"}) {
		t.Fatalf("parcels ready: %v %v", ready, err)
	}
	id, err := s.PeekPickup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{
		floor.NewEvent(floor.EvDispatchPickupOpened, "B3", floor.DispatchPickupPayload{Pickup: id, Carrier: "OWN"}),
		floor.NewEvent(floor.EvDispatchParcelLoaded, "B3", floor.DispatchParcelPayload{SSCC: "00000000000000000A", Order: "ORD-A", Shipment: "ORD-A-1", Pickup: id, Carrier: "OWN"}),
	}, nil); err != nil {
		t.Fatal(err)
	}
	if ready, err := s.HubParcelsReady(ctx); err != nil || !slices.Equal(ready, []string{"00000000000000000B"}) {
		t.Fatalf("parcels ready once A is on this dock's pickup: %v %v", ready, err)
	}
}

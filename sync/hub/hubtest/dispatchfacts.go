package hubtest

import (
	"slices"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	outboxTests = append(outboxTests, struct {
		name string
		fn   func(*testing.T, hub.Store)
	}{"ShippedFactFromADispatchPush", shippedFactFromADispatchPush})
}

// shippedFactFromADispatchPush: a dispatch bench pushes the pickup's
// close on its own (its events name SSCCs, not orders): the order's
// shipped fact is written all the same.
func shippedFactFromADispatchPush(t *testing.T, s hub.Store) {
	h := hub.New(s, hub.ServiceOptions{})
	site(t, h, 1)
	for _, st := range []string{"CART-01", "PACK-01", "DOCK-01"} {
		register(t, h, st)
	}
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	c := &journal{station: "CART-01"}
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{c.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 2))})
	must(t, err)
	p := &journal{station: "PACK-01"}
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{
		p.ev("pack.label_requested", label("SO-1", "SH-1", "000000000000000017")),
		p.ev("pack.shipment_completed", map[string]string{"order": "SO-1", "shipment": "SH-1"}),
	})
	must(t, err)
	d := &journal{station: "DOCK-01"}
	_, err = h.Push(ctx, "DOCK-01", at, []protocol.Event{
		d.ev(protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: "000000000000000017", Order: "SO-1", Shipment: "SH-1", Pickup: "PU-1", Carrier: "UPS"}),
	})
	must(t, err)
	_, err = h.Push(ctx, "DOCK-01", at, []protocol.Event{
		d.ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "PU-1", Carrier: "UPS", SSCCs: []string{"000000000000000017"}}),
	})
	must(t, err)
	if got := kindsOf(allFacts(t, h), "SO-1"); !slices.Contains(got, protocol.FactShipped) {
		t.Fatalf("SO-1's facts %v: no %s", got, protocol.FactShipped)
	}
}

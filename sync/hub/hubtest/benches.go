package hubtest

import (
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	extra = append(extra, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"WhoMayPackAndShip", whoMayPackAndShip})
}

// whoMayPackAndShip: a pack event comes from a pack bench or from the
// cart that picked the order; a dispatch event only from a dispatch
// bench; a station that stated no bench reports neither. Each refusal is
// rejected with its reason, raises a not-its-work conflict, and records
// no carton.
func whoMayPackAndShip(t *testing.T, h *hub.Service) {
	site(t, h, 3)
	for _, s := range []string{"CART-01", "CART-02", "PACK-01", "DOCK-01", "NEW-01"} {
		register(t, h, s)
	}
	must(t, h.NoteBench(ctx, "CART-01", protocol.BenchPick))
	must(t, h.NoteBench(ctx, "CART-02", protocol.BenchPick))
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	js := map[string]*journal{}
	push := func(station, typ string, payload any) protocol.Outcome {
		t.Helper()
		j := js[station]
		if j == nil {
			j = &journal{station: station}
			js[station] = j
		}
		resp, err := h.Push(ctx, station, at, []protocol.Event{j.ev(typ, payload)})
		must(t, err)
		return resp.Outcomes[0]
	}
	const sscc1, sscc2, sscc3 = "000000000000000017", "000000000000000024", "000000000000000031"
	refused := []struct {
		station, typ string
		payload      any
		says         string
	}{
		// PICK-01's token reporting PICK-02's shipment, as the issue found.
		{"CART-02", "pack.label_requested", label("SO-1", "SH-X", sscc3), "runs the pick bench and did not pick order SO-1"},
		{"CART-02", "pack.shipment_completed", map[string]string{"order": "SO-1", "shipment": "SH-X"}, "did not pick order SO-1"},
		{"NEW-01", "pack.label_requested", label("SO-1", "SH-X", sscc3), "never pulled"},
		{"PACK-01", protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: sscc1, Order: "SO-1", Shipment: "SH-1", Pickup: "P1"}, "not the dispatch bench"},
		{"CART-01", protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "P1", SSCCs: []string{sscc1}}, "runs the pick bench, not the dispatch bench"},
	}
	for _, c := range refused {
		o := push(c.station, c.typ, c.payload)
		if o.Status != protocol.Rejected || !strings.Contains(o.Reason, c.says) {
			t.Errorf("%s from %s: %+v, want refused saying %q", c.typ, c.station, o, c.says)
		}
	}
	cs, err := h.Conflicts(ctx, 0, 100)
	must(t, err)
	if len(cs) != len(refused) {
		t.Fatalf("conflicts %+v, want %d", cs, len(refused))
	}
	for _, c := range cs {
		if c.Kind != hub.ConflictNotItsWork {
			t.Errorf("conflict %+v, want %s", c, hub.ConflictNotItsWork)
		}
	}
	if f, err := h.Fulfilment(ctx, "SO-1"); err != nil || len(f.Parcels) != 0 {
		t.Fatalf("SO-1 after the refusals: %+v %v", f, err)
	}

	// Who may: a pack bench, the cart that picked the order, the dock.
	for _, c := range []struct {
		station, typ string
		payload      any
	}{
		{"CART-01", string(floor.EvUnitsPicked), picked("SO-1", 1, 2)},
		{"PACK-01", "pack.label_requested", label("SO-1", "SH-1", sscc1)},
		{"PACK-01", "pack.shipment_completed", map[string]string{"order": "SO-1", "shipment": "SH-1"}},
		{"CART-01", string(floor.EvUnitsPicked), picked("SO-2", 1, 2)},
		{"CART-01", "pack.label_requested", label("SO-2", "SH-2", sscc2)},
		{"DOCK-01", protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: sscc1, Order: "SO-1", Shipment: "SH-1", Pickup: "P1"}},
		{"DOCK-01", protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "P1", SSCCs: []string{sscc1}}},
	} {
		if o := push(c.station, c.typ, c.payload); o.Status != protocol.Accepted {
			t.Errorf("%s from %s: %+v, want accepted", c.typ, c.station, o)
		}
	}
	if f, err := h.Fulfilment(ctx, "SO-1"); err != nil || f.Lines[0].Shipped != 2 || f.Parcels[0].Status != "shipped" {
		t.Fatalf("SO-1 after the dock closed its pickup: %+v %v", f, err)
	}
}

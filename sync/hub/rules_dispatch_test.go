package hub

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// TestDispatchAndHoldRules: what Judge decides for the dock's events and
// for events about a held order, before any store is read.
func TestDispatchAndHoldRules(t *testing.T) {
	r := DefaultRules()
	ev := func(typ string, payload any) protocol.Event {
		b, _ := json.Marshal(payload)
		return protocol.Event{Station: "S", Seq: 1, ID: "e1", Type: typ, Payload: b}
	}
	parcel := protocol.DispatchParcelLoaded{SSCC: "006141410010000019", Order: "SO-1", Shipment: "SO-1-1", Pickup: "UPS-1", Carrier: "UPS"}
	held := OrderState{Known: true, Holds: []string{"INCORRECT_ADDRESS"}}
	open := OrderState{Known: true}
	cancelled := OrderState{Known: true, Cancelled: true}
	tests := []struct {
		name     string
		ev       protocol.Event
		order    OrderState
		status   string
		conflict string
		reason   string
	}{
		{"label for a held order", ev("pack.label_requested", map[string]any{"order": "SO-1", "sscc": "1", "lines": []LineQty{{1, 1}}}), held,
			protocol.Rejected, ConflictHeldOrder, "ON HOLD centrally (INCORRECT_ADDRESS): " + OffTheLine},
		{"shipment of a held order", ev("pack.shipment_completed", map[string]any{"order": "SO-1", "shipment": "SO-1-1"}), held,
			protocol.Rejected, ConflictHeldOrder, OffTheLine},
		{"parcel of a held order loaded", ev(protocol.EvDispatchParcelLoaded, parcel), held, protocol.Rejected, ConflictHeldOrder, OffTheLine},
		{"parcel of a held order unloaded", ev(protocol.EvDispatchParcelUnloaded, parcel), held, protocol.Accepted, "", ""},
		{"a pick for a held order", ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: "SO-1", Line: 1}, Qty: 1}), held,
			protocol.Accepted, "", ""},
		{"a set-aside of a held order", ev(string(floor.EvPackSetAside), floor.PackSetAsidePayload{Order: "SO-1", Reason: "held", Location: "HOLD-01"}), held,
			protocol.Accepted, "", ""},
		{"label for a cancelled order", ev("pack.label_requested", map[string]any{"order": "SO-1", "sscc": "1"}), cancelled,
			protocol.Rejected, "cancelled-order", CancelledOffTheLine},
		{"parcel of a cancelled order loaded", ev(protocol.EvDispatchParcelLoaded, parcel), cancelled, protocol.Rejected, "cancelled-order", CancelledOffTheLine},
		{"parcel of a cancelled order unloaded", ev(protocol.EvDispatchParcelUnloaded, parcel), cancelled, protocol.Accepted, "", ""},
		{"parcel loaded", ev(protocol.EvDispatchParcelLoaded, parcel), open, protocol.Accepted, "", ""},
		{"parcel loaded without a pickup", ev(protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: "1", Order: "SO-1"}), open,
			protocol.Rejected, "", "no SSCC, order or pickup"},
		{"parcel loaded without an SSCC", ev(protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{Order: "SO-1", Pickup: "P"}), open,
			protocol.Rejected, "", "no SSCC, order or pickup"},
		{"parcel loaded, unreadable", protocol.Event{Type: protocol.EvDispatchParcelLoaded, Payload: json.RawMessage(`{"order":"SO-1","sscc":7}`)}, open,
			protocol.Rejected, "", "does not read"},
		{"pickup closed", ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "P", SSCCs: []string{"1"}}), OrderState{},
			protocol.Accepted, "", ""},
		{"pickup closed empty", ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "P"}), OrderState{},
			protocol.Rejected, "", "closed with no parcels"},
		{"pickup closed without an id", ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{SSCCs: []string{"1"}}), OrderState{},
			protocol.Rejected, "", "has no id"},
		{"pickup opened", ev("dispatch.pickup_opened", map[string]string{"pickup": "P", "carrier": "UPS"}), OrderState{}, protocol.Accepted, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := r.Judge(tc.ev, protocol.RefOf(tc.ev.Payload), tc.order)
			if v.Status != tc.status || v.Conflict != tc.conflict || !strings.Contains(v.Reason, tc.reason) {
				t.Fatalf("got %+v, want %s, conflict %q, reason with %q", v, tc.status, tc.conflict, tc.reason)
			}
		})
	}
}

package hubtest

import (
	"fmt"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	extra = append(extra, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"ParcelsTravelToTheDock", parcelsTravel})
}

// parcelChanges are the parcel changes of a pull, in feed order, and
// whether any change of the pull is a parcel.
func parcelChanges(t *testing.T, h *hub.Service, station, cursor string) ([]protocol.DockParcel, string) {
	t.Helper()
	pages, cur := pullAll(t, h, station, cursor, 1000)
	var out []protocol.DockParcel
	for _, c := range changes(pages) {
		if c.Parcel != nil {
			out = append(out, *c.Parcel)
		}
	}
	return out, cur
}

// ssccN is a valid SSCC ending in n (before its check digit).
func ssccN(n int) string {
	d := fmt.Sprintf("0%016d", n)
	sum := 0
	for i := range len(d) {
		x := int(d[len(d)-1-i] - '0')
		if i%2 == 0 {
			x *= 3
		}
		sum += x
	}
	return d + fmt.Sprint((10-sum%10)%10)
}

// parcelsTravel: a parcel packed on one bench reaches every dispatch
// bench once its shipment completes (not a cart, not a pack bench), and
// again after a void, a hold and its release, a load and the pickup's
// close (shipped: the last word), and a cancellation; a resent push
// sends nothing more.
func parcelsTravel(t *testing.T, h *hub.Service) {
	site(t, h, 3)
	for _, s := range []string{"CART-01", "PACK-01", "DOCK-01"} {
		register(t, h, s)
	}
	must(t, h.NoteBench(ctx, "CART-01", protocol.BenchPick))
	must(t, h.NoteBench(ctx, "PACK-01", protocol.BenchPack))
	must(t, h.NoteBench(ctx, "DOCK-01", protocol.BenchDispatch))
	_, err := h.ImportOrders(ctx, []protocol.Order{{ID: "SO-1", Customer: "Olivia", ShipTo: addr, Carrier: "DHL", Service: "EXPRESS",
		Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 2}, {Line: 2, SKU: "CUP-1", Qty: 1}}}}, at)
	must(t, err)
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2", "SO-3"}, Station: "CART-01"}, at)
	must(t, err)
	_, dockCur := parcelChanges(t, h, "DOCK-01", "")
	_, packCur := parcelChanges(t, h, "PACK-01", "")
	_, cartCur := parcelChanges(t, h, "CART-01", "")

	cart := &journal{station: "CART-01"}
	var picks []protocol.Event
	for i, o := range []string{"SO-1", "SO-2", "SO-3"} {
		tote := fmt.Sprintf("T%d", i+1)
		picks = append(picks,
			cart.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: o, Line: 1, SKU: "MUG-1", Location: "A-01"}, Qty: 2, Tote: tote}),
			cart.ev(string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: o, Line: 2, SKU: "CUP-1", Location: "A-02"}, Qty: 1, Tote: tote}))
	}
	_, err = h.Push(ctx, "CART-01", at, picks)
	must(t, err)

	pack := &journal{station: "PACK-01"}
	label := func(order, shipment, sscc, tracking, carrier string) protocol.Event {
		return pack.ev("pack.label_requested", map[string]any{"order": order, "shipment": shipment, "sscc": sscc, "tracking": tracking,
			"carrier": carrier, "lines": []map[string]int{{"line": 1, "qty": 2}, {"line": 2, "qty": 1}}})
	}
	complete := func(order, shipment string) protocol.Event {
		return pack.ev("pack.shipment_completed", map[string]string{"order": order, "shipment": shipment})
	}
	a, b, c := ssccN(1), ssccN(2), ssccN(3)
	// Labelled but not complete: not for the dock yet.
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{label("SO-1", "SH-1", a, "1Z001", "")})
	must(t, err)
	got, dockCur2 := parcelChanges(t, h, "DOCK-01", dockCur)
	if len(got) != 0 {
		t.Fatalf("a parcel whose shipment is not complete went to the dock: %+v", got)
	}
	dockCur = dockCur2
	batch := []protocol.Event{complete("SO-1", "SH-1"), label("SO-2", "SH-2", b, "1Z002", "UPS"), complete("SO-2", "SH-2"),
		label("SO-3", "SH-3", c, "", "UPS"), complete("SO-3", "SH-3")}
	_, err = h.Push(ctx, "PACK-01", at, batch)
	must(t, err)
	got, dockCur = parcelChanges(t, h, "DOCK-01", dockCur)
	if len(got) != 3 {
		t.Fatalf("the dock got %d parcels, want 3: %+v", len(got), got)
	}
	p := got[0]
	if p.SSCC != a || p.Order != "SO-1" || p.Shipment != "SH-1" || p.Carrier != "DHL" || p.Service != "EXPRESS" || p.Tracking != "1Z001" ||
		p.Status != protocol.ParcelReady || p.Pickup != "" || len(p.Holds) != 0 || p.Cancelled {
		t.Fatalf("the dock's parcel %s: %+v", a, p)
	}
	if got[1].SSCC != b || got[1].Carrier != "UPS" || got[2].SSCC != c || got[2].Status != protocol.ParcelReady {
		t.Fatalf("the dock's parcels of SO-2 and SO-3: %+v", got[1:])
	}
	for _, st := range []struct{ id, cur string }{{"PACK-01", packCur}, {"CART-01", cartCur}} {
		if got, _ := parcelChanges(t, h, st.id, st.cur); len(got) != 0 {
			t.Fatalf("%s, no dispatch bench, was sent parcels: %+v", st.id, got)
		}
	}
	// Sent again: nothing more.
	_, err = h.Push(ctx, "PACK-01", at, batch)
	must(t, err)
	if got, _ := parcelChanges(t, h, "DOCK-01", dockCur); len(got) != 0 {
		t.Fatalf("a resent push sent parcels again: %+v", got)
	}

	// A void after packing.
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{pack.ev("pack.voided", map[string]string{"order": "SO-2", "shipment": "SH-2"})})
	must(t, err)
	got, dockCur = parcelChanges(t, h, "DOCK-01", dockCur)
	if len(got) != 1 || got[0].SSCC != b || got[0].Status != protocol.ParcelVoided {
		t.Fatalf("after the void: %+v", got)
	}
	// A hold, then its release.
	must(t, h.PlaceHold(ctx, "SO-1", protocol.Hold{Reason: "ADDRESS", Note: "check the street"}, at))
	got, dockCur = parcelChanges(t, h, "DOCK-01", dockCur)
	if len(got) != 1 || got[0].SSCC != a || len(got[0].Holds) != 1 || got[0].Holds[0].Reason != "ADDRESS" || got[0].Status != protocol.ParcelReady {
		t.Fatalf("after the hold: %+v", got)
	}
	must(t, h.ReleaseHold(ctx, "SO-1", "ADDRESS"))
	got, dockCur = parcelChanges(t, h, "DOCK-01", dockCur)
	if len(got) != 1 || got[0].SSCC != a || len(got[0].Holds) != 0 {
		t.Fatalf("after the release: %+v", got)
	}
	// Loaded onto a pickup, then the pickup closes: it left.
	dock := &journal{station: "DOCK-01"}
	_, err = h.Push(ctx, "DOCK-01", at, []protocol.Event{
		dock.ev(protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: a, Order: "SO-1", Shipment: "SH-1", Pickup: "DOCK-01-PU00001", Carrier: "DHL"})})
	must(t, err)
	got, dockCur = parcelChanges(t, h, "DOCK-01", dockCur)
	if len(got) != 1 || got[0].SSCC != a || got[0].Pickup != "DOCK-01-PU00001" || got[0].Status != protocol.ParcelReady {
		t.Fatalf("after the load: %+v", got)
	}
	_, err = h.Push(ctx, "DOCK-01", at, []protocol.Event{
		dock.ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "DOCK-01-PU00001", Carrier: "DHL", SSCCs: []string{a}})})
	must(t, err)
	got, dockCur = parcelChanges(t, h, "DOCK-01", dockCur)
	if len(got) != 1 || got[0].SSCC != a || got[0].Status != protocol.ParcelShipped || got[0].Pickup != "DOCK-01-PU00001" {
		t.Fatalf("after the pickup closed: %+v", got)
	}
	// A shipped parcel is no longer at the dock: a later change of its
	// order does not send it again. A cancellation sends the parcel still there.
	must(t, h.PlaceHold(ctx, "SO-1", protocol.Hold{Reason: "LATE"}, at))
	if got, _ = parcelChanges(t, h, "DOCK-01", dockCur); len(got) != 0 {
		t.Fatalf("a shipped parcel was sent again: %+v", got)
	}
	must(t, h.CancelOrder(ctx, "SO-3", "customer changed their mind", at))
	got, _ = parcelChanges(t, h, "DOCK-01", dockCur)
	if len(got) != 1 || got[0].SSCC != c || !got[0].Cancelled {
		t.Fatalf("after the cancellation: %+v", got)
	}
	// A dispatch bench that starts now is sent every parcel's latest word.
	register(t, h, "DOCK-02")
	must(t, h.NoteBench(ctx, "DOCK-02", protocol.BenchDispatch))
	all, _ := parcelChanges(t, h, "DOCK-02", "")
	last := map[string]protocol.DockParcel{}
	for _, p := range all {
		last[p.SSCC] = p
	}
	if last[a].Status != protocol.ParcelShipped || last[b].Status != protocol.ParcelVoided || !last[c].Cancelled {
		t.Fatalf("a new dispatch bench's parcels: %+v", last)
	}
}

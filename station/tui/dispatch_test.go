package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/labels"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/dispatch"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui/dispatchpage"
)

var lou = floor.Operator{Badge: "B3001", Name: "Lou Loader", Roles: []floor.Role{floor.RoleLoader}}

// dockSSCC is the n-th test parcel's SSCC.
func dockSSCC(t *testing.T, n uint64) string {
	s, err := labels.StationSSCC("0614141", 0, 1, n)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// newDispatchHarness is a real dispatch station over a real store that
// holds three packed orders, one parcel each (ORD-0003 going with DHL),
// at w×h.
func newDispatchHarness(t *testing.T, w, h int) (*harness, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DOCK-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	site := store.Site{Operators: []floor.Operator{lou, pam}, Items: []floor.Item{{SKU: "MUG-RED", GTINs: []string{gMug}}}}
	var evs []floor.Event
	for i := 1; i <= 3; i++ {
		id := fmt.Sprintf("ORD-000%d", i)
		o := floor.Order{ID: id, Customer: "Ada Lovelace", Status: floor.OrderOpen, ShipTo: packShipTo,
			Lines: []floor.OrderLine{{OrderID: id, LineNo: 1, SKU: "MUG-RED", Qty: 1}}}
		if i == 3 {
			o.Carrier = "DHL"
		}
		site.Orders = append(site.Orders, o)
		evs = append(evs, floor.NewEvent(floor.EvPackLabelRequested, "B2001", floor.PackLabelPayload{Order: id, Shipment: id + "-1",
			Carton: 1, Cartons: 1, Box: "BOX-M", WeightG: 500, Units: 1, SSCC: dockSSCC(t, uint64(i)), Tracking: "TR" + strconv.Itoa(i),
			Lines: []floor.CartonLine{{Line: 1, SKU: "MUG-RED", Qty: 1}}}),
			floor.NewEvent(floor.EvPackShipmentCompleted, "B2001", floor.PackShipmentPayload{Order: id, Shipment: id + "-1", Cartons: 1}))
	}
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(ctx, packDay, evs, nil); err != nil {
		t.Fatal(err)
	}
	in, _ := barcode.NewInterpreter(barcode.DefaultPatterns())
	stn, err := station.Open(ctx, st, in, station.Options{Bench: station.BenchDispatch, Now: func() time.Time { return packDay },
		Dispatch: station.DispatchOptions{Carrier: "OWN FLEET", Printer: "zebra-1"}})
	if err != nil {
		t.Fatal(err)
	}
	ss := &syncStation{stn: stn}
	hs := &harness{t: t, ss: ss, m: New(ss, nil, stn.Snapshot(), Options{Station: "DOCK-01"})}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs, st
}

func (h *harness) dispatchStep(want dispatch.Step) {
	h.t.Helper()
	if got := h.m.page.(dispatchpage.Page).State().Step; got != want {
		h.t.Fatalf("step %s, want %s; screen:\n%s", got, want, h.screen())
	}
}

// dispatchScreens walks the dispatch bench through its screens at one size.
func dispatchScreens(t *testing.T, w, hgt int) {
	size := strconv.Itoa(w) + "x" + strconv.Itoa(hgt)
	h, st := newDispatchHarness(t, w, hgt)
	h.golden("dispatch_login_" + size)
	h.typeLine("B3001")
	h.dispatchStep(dispatch.StepCarrier)
	h.golden("dispatch_carrier_" + size)
	h.typeLine("2")
	h.dispatchStep(dispatch.StepLoad)
	h.typeLine(dockSSCC(t, 1))
	h.typeLine(dockSSCC(t, 2))
	h.golden("dispatch_load_" + size)
	h.typeLine(dockSSCC(t, 3)) // DHL's: refused in red
	if h.m.feedback.Level != floor.Error || !strings.Contains(h.screen(), "Goes with DHL") {
		t.Fatalf("wrong carrier: %+v", h.m.feedback)
	}
	h.golden("dispatch_refused_" + size)
	h.press(tea.KeyF4)
	h.dispatchStep(dispatch.StepCarrier)
	h.golden("dispatch_closed_" + size)
	if s, _ := st.ShipmentStatus(context.Background(), "ORD-0001-1"); s != "shipped" {
		t.Fatalf("ORD-0001-1 is %q after F4", s)
	}
}

// TestDispatchCarriersFollowThePulls: a parcel that arrives with a pull
// while the loader is at the carrier choice shows at once, with its
// carrier to choose (it waited for the next input before).
func TestDispatchCarriersFollowThePulls(t *testing.T) {
	h, st := newDispatchHarness(t, 80, 24)
	h.typeLine("B3001")
	h.typeLine("2")
	for i := 1; i <= 2; i++ {
		h.typeLine(dockSSCC(t, uint64(i)))
	}
	h.press(tea.KeyF4) // OWN FLEET's parcels left: DHL's waits
	h.typeLine("1")
	h.typeLine(dockSSCC(t, 3))
	h.press(tea.KeyF4)
	h.dispatchStep(dispatch.StepCarrier)
	if s := h.screen(); !strings.Contains(s, "No parcel waits for a carrier") {
		t.Fatalf("every parcel left:\n%s", s)
	}
	// Another bench packed ORD-0004: the hub's parcel arrives with a pull.
	ctx := context.Background()
	o := floor.Order{ID: "ORD-0004", Customer: "Ada Lovelace", Status: floor.OrderOpen, ShipTo: packShipTo, Carrier: "UPS",
		Lines: []floor.OrderLine{{OrderID: "ORD-0004", LineNo: 1, SKU: "MUG-RED", Qty: 1}}}
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: packDay, Changes: []store.Change{{Order: &o},
		{Parcel: &store.HubParcel{SSCC: dockSSCC(t, 9), Order: "ORD-0004", Shipment: "ORD-0004-1", Carrier: "UPS", Status: store.HubParcelReady}}}}); err != nil {
		t.Fatal(err)
	}
	h.send(SyncMsg{Online: true, LastPull: packDay})
	if s := h.screen(); !strings.Contains(s, "1 UPS") {
		t.Fatalf("the pulled parcel's carrier is not offered:\n%s", s)
	}
	h.typeLine("1")
	h.dispatchStep(dispatch.StepLoad)
}

func TestDispatchScreens80x24(t *testing.T) { dispatchScreens(t, 80, 24) }
func TestDispatchScreens40x16(t *testing.T) { dispatchScreens(t, 40, 16) }

// TestDispatchDemoHints: in the demo, the dock's panel names the first
// parcel ready at the dock that is not on the pickup, and F12 scans it:
// one after another, never one already loaded.
func TestDispatchDemoHints(t *testing.T) {
	h, _ := newDispatchHarness(t, 80, 24)
	h.m.opts.Demo, h.m.panel = true, true // as a demo opens: the panel shown
	if got := h.m.demoHint(); got != "" {
		t.Fatalf("before anyone logs in F12 offers %q", got)
	}
	h.send(HintsMsg{dockSSCC(t, 1), dockSSCC(t, 2)})
	h.typeLine("B3001")
	h.dispatchStep(dispatch.StepCarrier)
	if got := h.m.demoHint(); got != dockSSCC(t, 1) || !strings.Contains(h.screen(), dockSSCC(t, 1)) {
		t.Fatalf("F12 offers %q; the panel:\n%s", got, h.screen())
	}
	h.typeLine(h.m.demoHint()) // the first parcel opens its carrier's pickup
	h.dispatchStep(dispatch.StepLoad)
	if got := h.m.demoHint(); got != dockSSCC(t, 2) {
		t.Fatalf("with the first parcel loaded F12 offers %q, want the second", got)
	}
	h.typeLine(h.m.demoHint())
	if got := h.m.demoHint(); got != "" || h.m.feedback.Level == floor.Error {
		t.Fatalf("both loaded: F12 offers %q (%+v)", got, h.m.feedback)
	}
}

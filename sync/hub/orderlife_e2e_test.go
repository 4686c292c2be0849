package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// lifeSite is a hub (real SQLite, HTTP on loopback) with a cart and a
// pack bench registered, three items (MUG-1 also at B-01), and orders
// SO-1..SO-n of MUG-1 ×3 and CUP-1 ×1 on wave W1 at the cart.
type lifeSite struct {
	*sitetest.Hub
	t       *testing.T
	journal map[string]int64
}

var lifeAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newLifeSite(t *testing.T, n int) *lifeSite {
	t.Helper()
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	s := &lifeSite{Hub: h, t: t, journal: map[string]int64{}}
	for _, st := range []string{"CART-01", "PACK-01", "DOCK-01"} {
		sitetest.Register(t, h.Store, st)
	}
	ctx := context.Background()
	_, err := h.Store.ImportReference(ctx, protocol.Reference{
		Locations: []protocol.Location{{Code: "A-01", WalkSeq: 1}, {Code: "A-02", WalkSeq: 2}, {Code: "B-01", WalkSeq: 3}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01", OtherLocations: []string{"B-01"}},
			{SKU: "CUP-1", Description: "Cup", Location: "A-02"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var orders []protocol.Order
	var ids []string
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("SO-%d", i)
		ids = append(ids, id)
		orders = append(orders, protocol.Order{ID: id, ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 3}, {Line: 2, SKU: "CUP-1", Qty: 1}}})
	}
	if _, err := h.Store.ImportOrders(ctx, orders, lifeAt); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Store.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: ids, Station: "CART-01"}, lifeAt); err != nil {
		t.Fatal(err)
	}
	return s
}

// push sends events from a station, one batch, and gives the outcomes.
func (s *lifeSite) push(station string, evs ...lifeEvent) []protocol.Outcome {
	s.t.Helper()
	var batch []protocol.Event
	for _, e := range evs {
		s.journal[station]++
		seq := s.journal[station]
		b, err := json.Marshal(e.payload)
		if err != nil {
			s.t.Fatal(err)
		}
		batch = append(batch, protocol.Event{Station: station, Seq: seq, ID: fmt.Sprintf("%s-%d", station, seq), Operator: "B1",
			DeviceTime: lifeAt, Type: e.typ, Payload: b})
	}
	resp, err := s.Store.Push(context.Background(), station, lifeAt, batch)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.Outcomes
}

type lifeEvent struct {
	typ     string
	payload any
}

func pick(order string, line, qty int, sku string) lifeEvent {
	return lifeEvent{string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: order, Line: line, SKU: sku, Location: "A-01"}, Qty: qty, Tote: "T1"}}
}

func short(order string, line, qty int, sku, loc string) lifeEvent {
	return lifeEvent{string(floor.EvTaskShort), floor.ShortPayload{TaskPayload: floor.TaskPayload{Order: order, Line: line, SKU: sku, Location: loc}, Short: qty, Reason: floor.ShortNotFound}}
}

func carton(order, shipment, sscc string, lines ...[2]int) lifeEvent {
	p := map[string]any{"order": order, "shipment": shipment, "sscc": sscc}
	var ls []map[string]int
	for _, l := range lines {
		ls = append(ls, map[string]int{"line": l[0], "qty": l[1]})
	}
	p["lines"] = ls
	return lifeEvent{string(floor.EvPackLabelRequested), p}
}

func completed(order, shipment string, partial bool) lifeEvent {
	return lifeEvent{string(floor.EvPackShipmentCompleted), map[string]any{"order": order, "shipment": shipment, "partial": partial}}
}

func loaded(order, shipment, sscc string) lifeEvent {
	return lifeEvent{protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: sscc, Order: order, Shipment: shipment, Pickup: "UPS-0302", Carrier: "UPS"}}
}

func closed(ssccs ...string) lifeEvent {
	return lifeEvent{protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "UPS-0302", Carrier: "UPS", SSCCs: ssccs}}
}

// order reads the order through the read API.
func (s *lifeSite) order(id string) protocol.Fulfilment {
	s.t.Helper()
	a := call(s.t, "GET", s.URL+"/api/v1/orders/"+id, s.Admin, "", nil)
	var f protocol.Fulfilment
	if a.status != 200 || json.Unmarshal(a.body, &f) != nil {
		s.t.Fatalf("read %s: %d %s", id, a.status, a.body)
	}
	// Every line reconciles, whatever happened.
	for _, l := range f.Lines {
		if sum := l.Open + l.InTote + (l.Packed - l.Shipped) + l.Shipped + l.BackOrdered + l.Restocked + l.Cancelled; sum != l.Qty {
			s.t.Fatalf("order %s line %d does not reconcile: %d accounted for, %d ordered: %+v", id, l.Line, sum, l.Qty, l)
		}
	}
	return f
}

func (s *lifeSite) wantState(id, state string) protocol.Fulfilment {
	s.t.Helper()
	f := s.order(id)
	if f.State != state {
		s.t.Fatalf("order %s is %s, want %s: %+v", id, f.State, state, f)
	}
	return f
}

func wantOutcomes(t *testing.T, got []protocol.Outcome, want ...string) {
	t.Helper()
	for i, w := range want {
		if got[i].Status != w {
			t.Fatalf("outcome %d: %+v, want %s", i, got[i], w)
		}
	}
}

// TestOrderLifeShortToBackOrderToShipped: a short pick back-ordered (the
// default rule), packed partially, shipped only when its pickup closed:
// partially shipped with a back order, released by the OMS, picked,
// packed and shipped again: shipped.
func TestOrderLifeShortToBackOrderToShipped(t *testing.T) {
	s := newLifeSite(t, 1)
	s.wantState("SO-1", protocol.StateReleased)
	wantOutcomes(t, s.push("CART-01", pick("SO-1", 1, 2, "MUG-1")), protocol.Accepted)
	s.wantState("SO-1", protocol.StatePicking)
	wantOutcomes(t, s.push("CART-01", short("SO-1", 1, 1, "MUG-1", "A-01"), pick("SO-1", 2, 1, "CUP-1")), protocol.Accepted, protocol.Accepted)
	f := s.wantState("SO-1", protocol.StatePicked)
	if len(f.BackOrders) != 1 || f.BackOrders[0] != (protocol.BackOrder{Line: 1, SKU: "MUG-1", Qty: 1}) {
		t.Fatalf("back orders %+v", f.BackOrders)
	}

	wantOutcomes(t, s.push("PACK-01", carton("SO-1", "SO-1-1", "340000000000000011", [2]int{1, 2}, [2]int{2, 1}),
		completed("SO-1", "SO-1-1", true)), protocol.Accepted, protocol.Accepted)
	// Labels printed: packed, nothing has left.
	f = s.wantState("SO-1", protocol.StatePacked)
	if f.Lines[0].Shipped != 0 || f.Status == protocol.StatusShipped {
		t.Fatalf("a printed label shipped the order: %+v", f)
	}
	// Loaded, taken off again, loaded again: still packed until the close.
	unloaded := loaded("SO-1", "SO-1-1", "340000000000000011")
	unloaded.typ = protocol.EvDispatchParcelUnloaded
	wantOutcomes(t, s.push("DOCK-01", loaded("SO-1", "SO-1-1", "340000000000000011"), unloaded,
		loaded("SO-1", "SO-1-1", "340000000000000011")), protocol.Accepted, protocol.Accepted, protocol.Accepted)
	s.wantState("SO-1", protocol.StatePacked)
	wantOutcomes(t, s.push("DOCK-01", closed("340000000000000011")), protocol.Accepted)
	f = s.wantState("SO-1", protocol.StatePartiallyShipped)
	if f.Status != protocol.StatePartiallyShipped || f.Lines[0].Shipped != 2 || f.Lines[0].BackOrdered != 1 || f.Parcels[0].Status != "shipped" {
		t.Fatalf("a short-shipped order: %+v", f)
	}

	// The OMS says stock arrived: a new task reaches the cart.
	cursor := pullCursor(t, s.Store, "CART-01", "")
	a := call(t, "POST", s.URL+"/admin/v1/orders/SO-1/release-backorder", s.Admin, "application/json", nil)
	var rel protocol.ReleaseResult
	if a.status != 200 || json.Unmarshal(a.body, &rel) != nil || rel.Released != 1 || rel.Tasks != 1 || rel.State != protocol.StatePartiallyShipped {
		t.Fatalf("release: %d %s", a.status, a.body)
	}
	tasks := pulledTasks(t, s.Store, "CART-01", cursor)
	if len(tasks) != 1 || tasks[0].Order != "SO-1" || tasks[0].Line != 1 || tasks[0].Qty != 1 || tasks[0].Location != "A-01" {
		t.Fatalf("the released back order's tasks: %+v", tasks)
	}
	if f := s.order("SO-1"); len(f.BackOrders) != 0 || f.Lines[0].Open != 1 {
		t.Fatalf("after the release: %+v", f)
	}
	call(t, "POST", s.URL+"/admin/v1/orders/SO-1/release-backorder", s.Admin, "application/json", nil).err(t, 409, protocol.CodeConflict)

	s.push("CART-01", pick("SO-1", 1, 1, "MUG-1"))
	s.push("PACK-01", carton("SO-1", "SO-1-2", "340000000000000028", [2]int{1, 1}), completed("SO-1", "SO-1-2", false))
	s.wantState("SO-1", protocol.StatePartiallyShipped)
	s.push("DOCK-01", loaded("SO-1", "SO-1-2", "340000000000000028"), closed("340000000000000028"))
	f = s.wantState("SO-1", protocol.StateShipped)
	if f.Status != protocol.StatusShipped || f.Lines[0].Shipped != 3 || f.Lines[1].Shipped != 1 {
		t.Fatalf("shipped: %+v", f)
	}
}

// TestOrderLifeShortReallocated: under short_remainder = reallocate, a
// short's remainder is a new task at another location holding the item,
// sent to the wave's station; with no other location it is back-ordered.
func TestOrderLifeShortReallocated(t *testing.T) {
	s := newLifeSite(t, 1)
	if err := s.Store.SetSetting(context.Background(), hub.SettingShortRemainder, hub.ShortReallocate); err != nil {
		t.Fatal(err)
	}
	cursor := pullCursor(t, s.Store, "CART-01", "")
	s.push("CART-01", pick("SO-1", 1, 1, "MUG-1"), short("SO-1", 1, 2, "MUG-1", "A-01"))
	f := s.wantState("SO-1", protocol.StatePicking)
	if f.Lines[0].Open != 2 || f.Lines[0].Short != 2 || len(f.BackOrders) != 0 {
		t.Fatalf("a reallocated short: %+v", f)
	}
	tasks := pulledTasks(t, s.Store, "CART-01", cursor)
	if len(tasks) != 1 || tasks[0].Location != "B-01" || tasks[0].Qty != 2 || tasks[0].Line != 1 {
		t.Fatalf("the remainder's task: %+v", tasks)
	}
	// Short again at B-01: no other location is left, so it waits for stock.
	s.push("CART-01", short("SO-1", 1, 2, "MUG-1", "B-01"))
	f = s.order("SO-1")
	if f.Lines[0].BackOrdered != 2 || f.Lines[0].Open != 0 {
		t.Fatalf("short at the last location: %+v", f)
	}
	// CUP-1 has no other location: back-ordered at once.
	s.push("CART-01", short("SO-1", 2, 1, "CUP-1", "A-02"))
	s.wantState("SO-1", protocol.StatePicked)
	if f := s.order("SO-1"); f.Lines[1].BackOrdered != 1 {
		t.Fatalf("short of an item held nowhere else: %+v", f)
	}
}

// TestOrderLifeHoldStopsLabelsAndDispatch: a label, a shipment and a
// parcel loaded for a held order are refused, kept as conflicts, with the
// instruction to take the parcel off the line; the holding shelf is known.
func TestOrderLifeHoldStopsLabelsAndDispatch(t *testing.T) {
	s := newLifeSite(t, 2)
	ctx := context.Background()
	s.push("CART-01", pick("SO-1", 1, 3, "MUG-1"), pick("SO-1", 2, 1, "CUP-1"), pick("SO-2", 1, 3, "MUG-1"), pick("SO-2", 2, 1, "CUP-1"))
	s.push("PACK-01", carton("SO-2", "SO-2-1", "340000000000000035", [2]int{1, 3}, [2]int{2, 1}), completed("SO-2", "SO-2-1", false))
	if err := s.Store.PlaceHold(ctx, "SO-1", protocol.Hold{Reason: "INCORRECT_ADDRESS"}, lifeAt); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.PlaceHold(ctx, "SO-2", protocol.Hold{Reason: "HIGH_RISK_OF_FRAUD"}, lifeAt); err != nil {
		t.Fatal(err)
	}
	s.wantState("SO-1", protocol.StateOnHold)
	out := s.push("PACK-01", carton("SO-1", "SO-1-1", "340000000000000042", [2]int{1, 3}, [2]int{2, 1}), completed("SO-1", "SO-1-1", false))
	for _, o := range out {
		if o.Status != protocol.Rejected || !strings.Contains(o.Reason, "ON HOLD") || !strings.Contains(o.Reason, hub.OffTheLine) {
			t.Fatalf("a label for a held order: %+v", o)
		}
	}
	out = s.push("DOCK-01", loaded("SO-2", "SO-2-1", "340000000000000035"))
	if out[0].Status != protocol.Rejected || !strings.Contains(out[0].Reason, hub.OffTheLine) {
		t.Fatalf("a held order's parcel loaded: %+v", out[0])
	}
	out = s.push("DOCK-01", closed("340000000000000035"))
	if out[0].Status != protocol.Rejected {
		t.Fatalf("a pickup of a held order's parcel only: %+v", out[0])
	}
	f := s.wantState("SO-2", protocol.StateOnHold)
	if f.Lines[0].Shipped != 0 || f.Parcels[0].Status != "packed" {
		t.Fatalf("a held order shipped: %+v", f)
	}
	kinds := map[string]int{}
	for _, o := range []string{"SO-1", "SO-2"} {
		for _, c := range s.order(o).Conflicts {
			kinds[c.Kind]++
		}
	}
	if kinds[hub.ConflictHeldOrder] != 4 {
		t.Fatalf("conflicts %v, want 4 held-order (label, shipment, load, pickup)", kinds)
	}
	if s.order("SO-1").Parcels != nil {
		t.Fatal("a refused label recorded a parcel")
	}

	// The bench sets SO-1 aside on the holding shelf: the hub knows.
	s.push("PACK-01", lifeEvent{string(floor.EvPackSetAside), floor.PackSetAsidePayload{Order: "SO-1", Reason: floor.SetAsideHeld, Location: "HOLD-01", Units: 4}})
	f = s.order("SO-1")
	if len(f.HoldingShelf) != 1 || f.HoldingShelf[0].Location != "HOLD-01" || f.HoldingShelf[0].Station != "PACK-01" ||
		len(f.HoldingShelf[0].Lines) != 2 || f.HoldingShelf[0].Lines[0] != (protocol.LineQty{Line: 1, Qty: 3}) {
		t.Fatalf("holding shelf: %+v", f.HoldingShelf)
	}
	site := func() []protocol.ShelfEntry {
		t.Helper()
		a := call(t, "GET", s.URL+"/api/v1/holding-shelf", s.Admin, "", nil)
		var got struct {
			HoldingShelf []protocol.ShelfEntry `json:"holding_shelf"`
		}
		if a.status != 200 || json.Unmarshal(a.body, &got) != nil {
			t.Fatalf("holding shelf: %d %s", a.status, a.body)
		}
		return got.HoldingShelf
	}
	if sh := site(); len(sh) != 1 || sh[0].Order != "SO-1" || sh[0].Location != "HOLD-01" {
		t.Fatalf("the site's holding shelf: %+v", sh)
	}
	// Released; the bench takes it back: off the shelf, and it ships.
	if err := s.Store.ReleaseHold(ctx, "SO-1", "INCORRECT_ADDRESS"); err != nil {
		t.Fatal(err)
	}
	s.wantState("SO-1", protocol.StatePicked)
	s.push("PACK-01", lifeEvent{string(floor.EvPackStarted), floor.PackStartedPayload{Order: "SO-1"}},
		carton("SO-1", "SO-1-1", "340000000000000042", [2]int{1, 3}, [2]int{2, 1}), completed("SO-1", "SO-1-1", false))
	if f := s.wantState("SO-1", protocol.StatePacked); len(f.HoldingShelf) != 0 {
		t.Fatalf("still on the shelf: %+v", f.HoldingShelf)
	}
	if sh := site(); len(sh) != 0 {
		t.Fatalf("the site's holding shelf after the bench took it: %+v", sh)
	}
	s.push("DOCK-01", closed("340000000000000042"))
	s.wantState("SO-1", protocol.StateShipped)
}

// TestOrderLifeCancelRestocks: a cancelled order's goods in a tote become
// a restock task, fetched from the holding shelf once the bench set them
// there; later picks are refused and restocked too; its parcel is refused
// at the dock.
func TestOrderLifeCancelRestocks(t *testing.T) {
	s := newLifeSite(t, 2)
	ctx := context.Background()
	s.push("CART-01", pick("SO-1", 1, 2, "MUG-1"), pick("SO-2", 1, 3, "MUG-1"), pick("SO-2", 2, 1, "CUP-1"))
	s.push("PACK-01", carton("SO-2", "SO-2-1", "340000000000000059", [2]int{1, 3}, [2]int{2, 1}), completed("SO-2", "SO-2-1", false))
	for _, o := range []string{"SO-1", "SO-2"} {
		if err := s.Store.CancelOrder(ctx, o, "customer asked", lifeAt); err != nil {
			t.Fatal(err)
		}
	}
	f := s.wantState("SO-1", protocol.StateCancelled)
	if len(f.RestockTasks) != 1 || f.RestockTasks[0].Qty != 2 || f.RestockTasks[0].SKU != "MUG-1" || f.RestockTasks[0].From != "tote" {
		t.Fatalf("restock tasks: %+v", f.RestockTasks)
	}
	if l := f.Lines[0]; l.InTote != 2 || l.Cancelled != 1 || f.Lines[1].Cancelled != 1 {
		t.Fatalf("cancelled lines: %+v", f.Lines)
	}
	out := s.push("CART-01", pick("SO-1", 2, 1, "CUP-1"))
	if out[0].Status != protocol.Rejected || out[0].Reason != hub.ReturnToStock {
		t.Fatalf("a pick after the cancellation: %+v", out[0])
	}
	s.push("PACK-01", lifeEvent{string(floor.EvPackSetAside), floor.PackSetAsidePayload{Order: "SO-1", Reason: floor.SetAsideCancelled, Location: "HOLD-01"}})
	f = s.order("SO-1")
	if len(f.RestockTasks) != 2 || f.RestockTasks[1].Qty != 1 || f.RestockTasks[1].SKU != "CUP-1" || f.RestockTasks[0].From != "HOLD-01" {
		t.Fatalf("restock tasks after the pick and the shelf: %+v", f.RestockTasks)
	}
	if len(f.HoldingShelf) != 1 {
		t.Fatalf("a cancelled order's goods on the shelf: %+v", f.HoldingShelf)
	}
	// The office confirms the goods are back: the counted units are restocked.
	a := call(t, "POST", s.URL+"/admin/v1/orders/SO-1/restocked", s.Admin, "application/json", nil)
	var rr protocol.RestockResult
	if a.status != 200 || json.Unmarshal(a.body, &rr) != nil || rr.Tasks != 2 || rr.Units != 3 {
		t.Fatalf("restocked: %d %s", a.status, a.body)
	}
	f = s.wantState("SO-1", protocol.StateCancelled)
	if l := f.Lines[0]; l.Restocked != 2 || l.InTote != 0 || f.RestockTasks[0].Done == nil || f.RestockTasks[1].Done == nil {
		t.Fatalf("after the restock: %+v %+v", f.Lines, f.RestockTasks)
	}
	call(t, "POST", s.URL+"/admin/v1/orders/SO-1/restocked", s.Admin, "application/json", nil).err(t, 409, protocol.CodeConflict)

	// SO-2 was packed: its carton is to unpack; at the dock it is refused.
	f = s.wantState("SO-2", protocol.StateCancelled)
	if len(f.RestockTasks) != 2 || f.RestockTasks[0].Qty != 3 || f.RestockTasks[1].Qty != 1 || !strings.Contains(f.RestockTasks[0].From, "carton") {
		t.Fatalf("a packed order's restock: %+v", f.RestockTasks)
	}
	out = s.push("DOCK-01", loaded("SO-2", "SO-2-1", "340000000000000059"), closed("340000000000000059"))
	for _, o := range out {
		if o.Status != protocol.Rejected || !strings.Contains(o.Reason, hub.CancelledOffTheLine) {
			t.Fatalf("a cancelled order's parcel at the dock: %+v", o)
		}
	}
	// Taking it off the pickup is what the instruction asks: accepted.
	unloaded := loaded("SO-2", "SO-2-1", "340000000000000059")
	unloaded.typ = protocol.EvDispatchParcelUnloaded
	wantOutcomes(t, s.push("DOCK-01", unloaded), protocol.Accepted)
}

// TestOrderLifeWithdrawnAtTheCart: the cart's withdrawal of a cancelled
// order says which tote the goods are in and where they go back.
func TestOrderLifeWithdrawnAtTheCart(t *testing.T) {
	s := newLifeSite(t, 1)
	s.push("CART-01", pick("SO-1", 1, 2, "MUG-1"))
	if err := s.Store.CancelOrder(context.Background(), "SO-1", "", lifeAt); err != nil {
		t.Fatal(err)
	}
	out := s.push("CART-01", lifeEvent{string(floor.EvOrderWithdrawn), floor.WithdrawPayload{Order: "SO-1",
		Returns: []floor.ReturnLine{{Tote: "T00007", SKU: "MUG-1", Qty: 2, Location: "A-01"}}}})
	wantOutcomes(t, out, protocol.Accepted)
	f := s.order("SO-1")
	if len(f.RestockTasks) != 1 || f.RestockTasks[0].From != "tote T00007" || f.RestockTasks[0].To != "A-01" || !f.RestockTasks[0].Counted {
		t.Fatalf("restock after the withdrawal: %+v", f.RestockTasks)
	}
}

// TestOrderLifeDispatchRefusals: the dock's events name parcels the hub
// must know, unvoided; a pickup ships what it can and names the rest.
func TestOrderLifeDispatchRefusals(t *testing.T) {
	s := newLifeSite(t, 2)
	s.push("CART-01", pick("SO-1", 1, 3, "MUG-1"), pick("SO-1", 2, 1, "CUP-1"), pick("SO-2", 1, 3, "MUG-1"), pick("SO-2", 2, 1, "CUP-1"))
	s.push("PACK-01", carton("SO-1", "SO-1-1", "340000000000000066", [2]int{1, 3}, [2]int{2, 1}), completed("SO-1", "SO-1-1", false),
		carton("SO-2", "SO-2-1", "340000000000000073", [2]int{1, 3}, [2]int{2, 1}), completed("SO-2", "SO-2-1", false),
		lifeEvent{string(floor.EvPackVoided), map[string]any{"order": "SO-2", "shipment": "SO-2-1"}})
	s.wantState("SO-2", protocol.StatePicked)
	out := s.push("DOCK-01", loaded("SO-1", "SO-1-1", "340000000000000999"), loaded("SO-2", "SO-2-1", "340000000000000073"),
		loaded("SO-2", "SO-2-1", "340000000000000066"))
	for i, kind := range []string{"not a parcel the hub knows", "was voided", "is a parcel of order SO-1"} {
		if out[i].Status != protocol.Rejected || !strings.Contains(out[i].Reason, kind) {
			t.Fatalf("outcome %d: %+v, want %q", i, out[i], kind)
		}
	}
	out = s.push("DOCK-01", closed("340000000000000066", "340000000000000073", "340000000000000999"))
	if out[0].Status != protocol.Accepted || !strings.Contains(out[0].Reason, "1 parcels shipped") {
		t.Fatalf("a pickup with two bad parcels: %+v", out[0])
	}
	s.wantState("SO-1", protocol.StateShipped)
	s.wantState("SO-2", protocol.StatePicked)
	// The same close again (a resend of another event) changes nothing.
	out = s.push("DOCK-01", closed("340000000000000066"))
	if out[0].Status != protocol.Accepted {
		t.Fatalf("closing a shipped parcel again: %+v", out[0])
	}
	if f := s.wantState("SO-1", protocol.StateShipped); f.Lines[0].Shipped != 3 {
		t.Fatalf("shipped twice: %+v", f.Lines)
	}
	// A shipped shipment is not voided.
	out = s.push("PACK-01", lifeEvent{string(floor.EvPackVoided), map[string]any{"order": "SO-1", "shipment": "SO-1-1"}})
	if out[0].Status != protocol.Rejected || !strings.Contains(out[0].Reason, "left the dock") {
		t.Fatalf("voiding a shipped shipment: %+v", out[0])
	}
	// More picked than ordered does not reconcile: kept, refused, a conflict.
	out = s.push("CART-01", pick("SO-2", 1, 1, "MUG-1"))
	if out[0].Status != protocol.Rejected || !strings.Contains(out[0].Reason, "would not add up") {
		t.Fatalf("an over-pick: %+v", out[0])
	}
	found := false
	for _, c := range s.order("SO-2").Conflicts {
		found = found || c.Kind == hub.ConflictNotReconciled
	}
	if !found {
		t.Fatal("no conflict for the over-pick")
	}
}

// TestOrderLifeReplaysFromEvents: the same events, pushed one by one to
// another hub, give every order the same life as pushed in one batch.
func TestOrderLifeReplaysFromEvents(t *testing.T) {
	evs := []lifeEvent{pick("SO-1", 1, 2, "MUG-1"), short("SO-1", 1, 1, "MUG-1", "A-01"), pick("SO-1", 2, 1, "CUP-1"),
		carton("SO-1", "SO-1-1", "340000000000000080", [2]int{1, 2}, [2]int{2, 1}), completed("SO-1", "SO-1-1", true),
		closed("340000000000000080"), pick("SO-2", 1, 3, "MUG-1"),
		lifeEvent{string(floor.EvPickUndone), floor.UndoPayload{TaskPayload: floor.TaskPayload{Order: "SO-2", Line: 1}, Qty: 1}}}
	from := func(e lifeEvent) string { // the dock closes the pickup; the cart picks and packs
		if e.typ == protocol.EvDispatchPickupClosed {
			return "DOCK-01"
		}
		return "CART-01"
	}
	one := newLifeSite(t, 2)
	one.push("CART-01", evs[:5]...)
	one.push("DOCK-01", evs[5])
	one.push("CART-01", evs[6:]...)
	each := newLifeSite(t, 2)
	for _, e := range evs {
		each.push(from(e), e)
	}
	for _, o := range []string{"SO-1", "SO-2"} {
		a, b := one.order(o), each.order(o)
		if a.State != b.State || fmt.Sprint(a.Lines) != fmt.Sprint(b.Lines) || fmt.Sprint(a.BackOrders) != fmt.Sprint(b.BackOrders) {
			t.Fatalf("order %s: one batch %+v\none by one %+v", o, a, b)
		}
	}
	one.wantState("SO-1", protocol.StatePartiallyShipped)
	one.wantState("SO-2", protocol.StatePicking)
}

func pullCursor(t *testing.T, h hub.API, station, cursor string) string {
	t.Helper()
	for {
		resp, err := h.Pull(context.Background(), station, cursor, 500, lifeAt)
		if err != nil {
			t.Fatal(err)
		}
		cursor = resp.Cursor
		if !resp.More {
			return cursor
		}
	}
}

func pulledTasks(t *testing.T, h hub.API, station, cursor string) []protocol.Task {
	t.Helper()
	var out []protocol.Task
	for {
		resp, err := h.Pull(context.Background(), station, cursor, 500, lifeAt)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range resp.Changes {
			if c.Task != nil {
				out = append(out, *c.Task)
			}
		}
		cursor = resp.Cursor
		if !resp.More {
			return out
		}
	}
}

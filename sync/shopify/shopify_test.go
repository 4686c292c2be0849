package shopify_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/shopifytest"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/shopify"
)

var (
	ctx = context.Background()
	at  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

const (
	token    = "shpat_test"
	secret   = "app-secret"
	location = "gid://shopify/Location/77"
)

// rig is a hub on a real SQLite file, a contract Shopify on loopback and
// the connector between them; sleeps records the waits the connector
// asked for (none is really waited).
type rig struct {
	t      testing.TB
	shop   *shopifytest.Server
	hub    *hubstore.Store
	mu     sync.Mutex
	sleeps []time.Duration
	logs   *syncBuffer
	seq    map[string]int64
	cfg    shopify.Config
	tries  int
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newRig(t testing.TB) *rig {
	t.Helper()
	shop := shopifytest.New(token, location)
	t.Cleanup(shop.Close)
	st, err := hubstore.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), hubstore.Options{})
	must(t, err)
	t.Cleanup(func() { _ = st.Close() })
	_, err = st.ImportReference(ctx, protocol.Reference{
		Locations: []protocol.Location{{Code: "A-01", Zone: "A", WalkSeq: 20}, {Code: "A-02", Zone: "A", WalkSeq: 10}},
		Items:     []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}, {SKU: "CUP-1", Description: "Cup", Location: "A-02"}},
	})
	must(t, err)
	for _, id := range []string{"CART-01", "PACK-01", "DOCK-01"} {
		must(t, st.RegisterStation(ctx, id, "", "hash-"+id, at))
	}
	// As their pulls say: packing comes from a pack bench, shipping from the dock.
	must(t, st.NoteBench(ctx, "PACK-01", protocol.BenchPack))
	must(t, st.NoteBench(ctx, "DOCK-01", hub.BenchDispatch))
	r := &rig{t: t, shop: shop, hub: st, logs: &syncBuffer{}, seq: map[string]int64{}, tries: 6}
	r.cfg = shopify.Config{Shop: "tote-test.myshopify.com", APIVersion: shopify.APIVersion, Token: token, LocationID: "77",
		CallbackSecret: secret, Endpoint: shop.Endpoint(),
		Carriers: map[string]shopify.Carrier{"UPS": {Company: "UPS", TrackingURL: "https://www.ups.com/track?tracknum={tracking}"}}}
	return r
}

// connector makes a connector over the rig's hub: a new one is a restart.
func (r *rig) connector() *shopify.Connector {
	r.t.Helper()
	c, err := shopify.New(r.cfg, r.hub.SQLite, r.hub.Service, shopify.Options{
		Log: slog.New(slog.NewTextHandler(r.logs, nil)), Now: func() time.Time { return at }, Attempts: r.tries,
		Sleep: func(_ context.Context, d time.Duration) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.sleeps = append(r.sleeps, d)
			return nil
		}})
	must(r.t, err)
	return c
}

var dest = map[string]any{"firstName": "Olivia", "lastName": "Stone", "company": nil, "address1": "1 Main St", "address2": nil,
	"city": "Springfield", "province": "IL", "zip": "62701", "countryCode": "US"}

// requested adds a fulfillment request for mugs and cups.
func (r *rig) requested(mugs, cups int) string {
	var lines []*shopifytest.Line
	if mugs > 0 {
		lines = append(lines, &shopifytest.Line{SKU: "MUG-1", Title: "Mug", Total: mugs})
	}
	if cups > 0 {
		lines = append(lines, &shopifytest.Line{SKU: "CUP-1", Title: "Cup", Total: cups})
	}
	return r.shop.Add(shopifytest.FO{OrderName: "#1001", FulfillBy: "2026-03-04T17:00:00Z", Destination: dest, Lines: lines})
}

func orderOf(t testing.TB, fo string) string {
	t.Helper()
	id, err := shopify.OrderID(fo)
	must(t, err)
	return id
}

// push sends one station's events (numbered on from its last).
func (r *rig) push(station string, evs ...[2]any) {
	r.t.Helper()
	for i, e := range evs { // the dock's events go from the dock
		if strings.HasPrefix(e[0].(string), "dispatch.") && station != "DOCK-01" {
			if i > 0 {
				r.push(station, evs[:i]...)
			}
			r.push("DOCK-01", e)
			if i+1 < len(evs) {
				r.push(station, evs[i+1:]...)
			}
			return
		}
	}
	var out []protocol.Event
	for _, e := range evs {
		r.seq[station]++
		b, _ := json.Marshal(e[1])
		out = append(out, protocol.Event{Station: station, Seq: r.seq[station], ID: fmt.Sprintf("%s-%d", station, r.seq[station]),
			Operator: "B1", DeviceTime: at, Type: e[0].(string), Payload: b})
	}
	res, err := r.hub.Push(ctx, station, at, out)
	must(r.t, err)
	for _, o := range res.Outcomes {
		if o.Status != protocol.Accepted {
			r.t.Fatalf("push %s: %+v", station, res.Outcomes)
		}
	}
}

// pick picks the order's lines on a wave of CART-01.
func (r *rig) pick(order string, qty map[int]int) {
	r.t.Helper()
	_, err := r.hub.CreateWave(ctx, protocol.NewWave{ID: "W-" + order, Orders: []string{order}, Station: "CART-01"}, at)
	must(r.t, err)
	skus := map[int]string{1: "MUG-1", 2: "CUP-1"}
	f, err := r.hub.Fulfilment(ctx, order)
	must(r.t, err)
	for _, l := range f.Lines {
		skus[l.Line] = l.SKU
	}
	var evs [][2]any
	for line := 1; line <= 2; line++ {
		if qty[line] > 0 {
			evs = append(evs, [2]any{string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: order, Line: line, SKU: skus[line]}, Qty: qty[line], Tote: "T-" + order}})
		}
	}
	r.push("CART-01", evs...)
}

// pack labels one carton of the order with lines (line → qty).
func (r *rig) pack(order, shipment, sscc, tracking string, lines map[int]int) {
	r.t.Helper()
	var ls []map[string]int
	for l := 1; l <= 2; l++ {
		if lines[l] > 0 {
			ls = append(ls, map[string]int{"line": l, "qty": lines[l]})
		}
	}
	r.push("PACK-01",
		[2]any{"pack.label_requested", map[string]any{"order": order, "shipment": shipment, "sscc": sscc, "tracking": tracking, "carrier": "UPS", "lines": ls}},
		[2]any{"pack.shipment_completed", map[string]string{"order": order, "shipment": shipment}})
}

// ship loads the carton and closes the pickup: the shipped fact.
func (r *rig) ship(order, shipment, sscc string) {
	r.t.Helper()
	pickup := "PU-" + sscc
	r.push("PACK-01",
		[2]any{protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: sscc, Order: order, Shipment: shipment, Pickup: pickup, Carrier: "UPS"}},
		[2]any{protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: pickup, Carrier: "UPS", SSCCs: []string{sscc}}})
}

func (r *rig) carrierLabel(order, tracking string) {
	r.t.Helper()
	must(r.t, r.hub.AddLabel(ctx, protocol.Label{Order: order, Tracking: tracking, Carrier: "UPS", Format: "zpl", Data: "^XA^FDx^FS^XZ"}, at))
}

func (r *rig) factKinds(order string) []string {
	r.t.Helper()
	var kinds []string
	page, err := r.hub.Facts(ctx, 0, 1000)
	must(r.t, err)
	for _, f := range page.Facts {
		if f.Order == order {
			kinds = append(kinds, f.Kind)
		}
	}
	return kinds
}

func count(calls []string, op string) int {
	n := 0
	for _, c := range calls {
		if c == op {
			n++
		}
	}
	return n
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// accepted: a request is imported with its lines, ship-by and address,
// then accepted; a second round changes nothing.
func TestRequestImportedAndAccepted(t *testing.T) {
	r := newRig(t)
	fo := r.requested(2, 1)
	c := r.connector()
	must(t, c.Requests(ctx))
	got := r.shop.Get(fo)
	if got.RequestStatus != "ACCEPTED" || got.Status != "IN_PROGRESS" {
		t.Fatalf("fulfillment order %s/%s, want ACCEPTED/IN_PROGRESS", got.RequestStatus, got.Status)
	}
	order := orderOf(t, fo)
	f, err := r.hub.Fulfilment(ctx, order)
	must(t, err)
	if len(f.Lines) != 2 || f.Lines[0].SKU != "MUG-1" || f.Lines[0].Qty != 2 || f.Lines[1].SKU != "CUP-1" || f.Lines[1].Qty != 1 {
		t.Fatalf("hub lines %+v", f.Lines)
	}
	var o protocol.Order
	must(t, r.hub.Read(ctx, func(tx hub.StoreTx) error {
		rec, ok, err := tx.Order(order)
		if !ok {
			t.Fatalf("order %s not at the hub", order)
		}
		o.ShipTo, o.ShipBy, o.Customer = rec.ShipTo, rec.ShipBy, rec.Customer
		return err
	}))
	if o.ShipTo.Name != "Olivia Stone" || o.ShipTo.City != "Springfield" || o.ShipTo.Country != "US" || o.ShipTo.PostalCode != "62701" {
		t.Fatalf("ship-to %+v", o.ShipTo)
	}
	if o.ShipBy == nil || !o.ShipBy.Equal(time.Date(2026, 3, 4, 17, 0, 0, 0, time.UTC)) {
		t.Fatalf("ship-by %v", o.ShipBy)
	}
	must(t, c.Requests(ctx))
	if n := count(r.shop.Calls(), "fulfillmentOrderAcceptFulfillmentRequest"); n != 1 {
		t.Fatalf("accepted %d times", n)
	}
	if k := r.factKinds(order); !slices.Equal(k, []string{protocol.FactAccepted}) {
		t.Fatalf("facts %v", k)
	}
}

// rejected: an unknown SKU (the hub's import refuses it), a line item
// without SKU, and a request with nothing left to fulfil are rejected
// with the reason; nothing reaches the hub.
func TestRequestRejectedWithReason(t *testing.T) {
	r := newRig(t)
	unknown := r.shop.Add(shopifytest.FO{Destination: dest, Lines: []*shopifytest.Line{{SKU: "MUG-1", Total: 1}, {SKU: "TEAPOT-9", Total: 1}}})
	noSKU := r.shop.Add(shopifytest.FO{Destination: dest, Lines: []*shopifytest.Line{{Title: "Gift wrap", Total: 1}}})
	nothing := r.shop.Add(shopifytest.FO{Destination: dest, Lines: []*shopifytest.Line{{SKU: "MUG-1", Total: 2, Remaining: -1}}})
	must(t, r.connector().Requests(ctx))
	for _, tc := range []struct{ fo, reason, words string }{
		{unknown, "INELIGIBLE_PRODUCT", "SKU TEAPOT-9 is not known"},
		{noSKU, "INELIGIBLE_PRODUCT", "no SKU on Gift wrap"},
		{nothing, "OTHER", "nothing to fulfil"},
	} {
		got := r.shop.Get(tc.fo)
		if got.RequestStatus != "REJECTED" || got.RejectReason != tc.reason || len(got.Messages) != 1 || !strings.Contains(got.Messages[0], tc.words) {
			t.Errorf("%s: %s %s %q, want REJECTED %s %q", tc.fo, got.RequestStatus, got.RejectReason, got.Messages, tc.reason, tc.words)
		}
		if _, err := r.hub.Fulfilment(ctx, orderOf(t, tc.fo)); err == nil {
			t.Errorf("%s reached the hub", tc.fo)
		}
	}
	_, links, err := shopify.Status(ctx, r.hub.SQLite)
	must(t, err)
	if len(links) != 3 || links[0].State != "rejected" || !strings.Contains(links[0].Why, "INELIGIBLE_PRODUCT: ") {
		t.Fatalf("status %+v", links)
	}
}

// cancellation: accepted (and cancelled at the hub) while nothing is
// packed; rejected with the SSCC once a parcel exists.
func TestCancellationAcceptedUntilPacked(t *testing.T) {
	r := newRig(t)
	loose, packed := r.requested(1, 0), r.requested(2, 0)
	c := r.connector()
	must(t, c.Requests(ctx))
	r.pick(orderOf(t, packed), map[int]int{1: 2})
	r.pack(orderOf(t, packed), "S1", "000000000000000017", "1Z999AA10123456784", map[int]int{1: 2})
	r.shop.RequestCancellation(loose)
	r.shop.RequestCancellation(packed)
	must(t, c.Requests(ctx))

	if got := r.shop.Get(loose); got.RequestStatus != "CANCELLATION_ACCEPTED" {
		t.Fatalf("loose order's cancellation %s", got.RequestStatus)
	}
	f, err := r.hub.Fulfilment(ctx, orderOf(t, loose))
	must(t, err)
	if f.Status != string(floor.OrderCancelled) {
		t.Fatalf("loose order at the hub is %s, want cancelled", f.Status)
	}
	got := r.shop.Get(packed)
	if got.RequestStatus != "CANCELLATION_REJECTED" || !strings.Contains(got.Messages[len(got.Messages)-1], "000000000000000017") {
		t.Fatalf("packed order's cancellation %s %q", got.RequestStatus, got.Messages)
	}
	f, err = r.hub.Fulfilment(ctx, orderOf(t, packed))
	must(t, err)
	if f.Status == string(floor.OrderCancelled) {
		t.Fatal("the packed order was cancelled at the hub")
	}
	// Requested again after its cancellation: the hub keeps it cancelled,
	// and the request is rejected with the hub's words.
	r.shop.Resubmit(loose)
	must(t, c.Requests(ctx))
	if got := r.shop.Get(loose); got.RequestStatus != "REJECTED" || !strings.Contains(got.Messages[len(got.Messages)-1], "was cancelled") {
		t.Fatalf("a cancelled order requested again: %s %q", got.RequestStatus, got.Messages)
	}
}

// holds: floor holds become fulfillment holds (a Shopify reason as it is,
// another as OTHER with the reason in the notes), releases release only
// tote's hold; holds the order came with from Shopify are not echoed.
func TestFloorHoldsMapToFulfillmentHolds(t *testing.T) {
	r := newRig(t)
	fo := r.requested(1, 1)
	merchant := r.shop.Add(shopifytest.FO{Destination: dest, Lines: []*shopifytest.Line{{SKU: "MUG-1", Total: 1}},
		Holds: []shopifytest.Hold{{ID: "gid://shopify/FulfillmentHold/1", Reason: "HIGH_RISK_OF_FRAUD", Notes: "check card"}}})
	c := r.connector()
	must(t, c.Requests(ctx))
	order := orderOf(t, fo)
	must(t, r.hub.PlaceHold(ctx, order, protocol.Hold{Reason: "INCORRECT_ADDRESS", Note: "no such street"}, at))
	must(t, r.hub.PlaceHold(ctx, order, protocol.Hold{Reason: "DAMAGED_STOCK", Note: "mug cracked"}, at))
	must(t, c.Facts(ctx))
	got := r.shop.Get(fo)
	if got.Status != "ON_HOLD" || len(got.Holds) != 2 {
		t.Fatalf("holds %+v status %s", got.Holds, got.Status)
	}
	if h := got.Holds[0]; h.Reason != "INCORRECT_ADDRESS" || h.Handle != "tote-INCORRECT_ADDRESS" || h.Notes != "no such street" {
		t.Fatalf("first hold %+v", h)
	}
	if h := got.Holds[1]; h.Reason != "OTHER" || h.Notes != "DAMAGED_STOCK mug cracked" {
		t.Fatalf("second hold %+v", h)
	}
	must(t, r.hub.ReleaseHold(ctx, order, "INCORRECT_ADDRESS"))
	must(t, c.Facts(ctx))
	got = r.shop.Get(fo)
	if len(got.Holds) != 1 || got.Holds[0].Reason != "OTHER" || got.Status != "ON_HOLD" {
		t.Fatalf("after the release: %+v %s", got.Holds, got.Status)
	}
	must(t, r.hub.ReleaseHold(ctx, order, "DAMAGED_STOCK"))
	must(t, c.Facts(ctx))
	if got = r.shop.Get(fo); len(got.Holds) != 0 || got.Status != "IN_PROGRESS" {
		t.Fatalf("after both releases: %+v %s", got.Holds, got.Status)
	}
	// The merchant's hold came in as a hub hold and is not sent back.
	f, err := r.hub.Fulfilment(ctx, orderOf(t, merchant))
	must(t, err)
	if len(f.Holds) != 1 || f.Holds[0].Reason != "HIGH_RISK_OF_FRAUD" {
		t.Fatalf("merchant's hold at the hub: %+v", f.Holds)
	}
	if m := r.shop.Get(merchant); len(m.Holds) != 1 {
		t.Fatalf("merchant's order holds %+v", m.Holds)
	}
	if n := count(r.shop.Calls(), "fulfillmentOrderHold"); n != 2 {
		t.Fatalf("%d holds placed, want 2", n)
	}
}

// partial: a shipment of some lines fulfils those units only, with the
// carrier's tracking; the rest stays open.
func TestPartialShipmentFulfilsWhatShipped(t *testing.T) {
	r := newRig(t)
	fo := r.requested(2, 1)
	c := r.connector()
	must(t, c.Requests(ctx))
	order := orderOf(t, fo)
	r.carrierLabel(order, "1Z999AA10123456784")
	r.pick(order, map[int]int{1: 2, 2: 1})
	r.pack(order, "S1", "000000000000000017", "1Z999AA10123456784", map[int]int{1: 2})
	must(t, c.Facts(ctx))
	if got := r.shop.Get(fo); len(got.Fulfillments) != 0 {
		t.Fatalf("fulfilled at pack: %+v", got.Fulfillments)
	}
	r.ship(order, "S1", "000000000000000017")
	must(t, c.Facts(ctx))
	got := r.shop.Get(fo)
	if len(got.Fulfillments) != 1 {
		t.Fatalf("fulfillments %+v; facts %v; log %s", got.Fulfillments, r.factKinds(order), r.logs)
	}
	ff := got.Fulfillments[0]
	mug, cup := got.Lines[0], got.Lines[1]
	if ff.Items[mug.ID] != 2 || ff.Items[cup.ID] != 0 || mug.Remaining != 0 || cup.Remaining != 1 {
		t.Fatalf("fulfilled %v; remaining mug %d cup %d", ff.Items, mug.Remaining, cup.Remaining)
	}
	if ff.Company != "UPS" || !slices.Equal(ff.Numbers, []string{"1Z999AA10123456784"}) || !slices.Equal(ff.URLs, []string{"https://www.ups.com/track?tracknum=1Z999AA10123456784"}) {
		t.Fatalf("tracking %+v", ff)
	}
	if got.Status == "CLOSED" {
		t.Fatal("the fulfillment order closed with a cup open")
	}
	// The rest ships in a second carton: the order closes.
	r.pack(order, "S2", "000000000000000024", "", map[int]int{2: 1})
	r.ship(order, "S2", "000000000000000024")
	must(t, c.Facts(ctx))
	got = r.shop.Get(fo)
	if len(got.Fulfillments) != 2 || got.Status != "CLOSED" || got.Lines[1].Remaining != 0 {
		t.Fatalf("after the second shipment: %d fulfillments, status %s", len(got.Fulfillments), got.Status)
	}
}

// throttling: THROTTLED waits for the bucket to refill by what the call
// costs, 429 waits its Retry-After, a 5xx backs off; a nearly empty
// bucket paces the next call; the request is answered in the end.
func TestThrottledAndFailingCallsRetried(t *testing.T) {
	r := newRig(t)
	fo := r.requested(1, 0)
	r.shop.Fail("assignedFulfillmentOrders",
		shopifytest.Fault{Throttled: true, Available: 5},
		shopifytest.Fault{Status: http.StatusTooManyRequests, After: "2"},
		shopifytest.Fault{Status: http.StatusServiceUnavailable},
		shopifytest.Fault{Low: true, Available: 40})
	must(t, r.connector().Requests(ctx))
	if got := r.shop.Get(fo); got.RequestStatus != "ACCEPTED" {
		t.Fatalf("request %s after the retries", got.RequestStatus)
	}
	r.mu.Lock()
	sleeps := slices.Clone(r.sleeps)
	r.mu.Unlock()
	if len(sleeps) != 4 {
		t.Fatalf("waits %v, want 4", sleeps)
	}
	// (52 requested − 5 available) / 100 a second; Retry-After: 2; backoff
	// of a third attempt: 2–4 s; pacing (100 − 40) / 100.
	if sleeps[0] != 470*time.Millisecond || sleeps[1] != 2*time.Second || sleeps[2] < 2*time.Second || sleeps[2] > 4*time.Second ||
		sleeps[3] != 600*time.Millisecond {
		t.Fatalf("waits %v", sleeps)
	}
	for _, want := range []string{"outcome=retry", "throttled", "HTTP 429", "HTTP 503", "shopify pacing", "outcome=ok"} {
		if !strings.Contains(r.logs.String(), want) {
			t.Errorf("the log lacks %q", want)
		}
	}
}

// restart: a fulfillmentCreate applied at Shopify whose answer was lost
// (then the hub restarted) is not made again, whether the shipment has a
// carrier tracking number to find it by or only the station's.
func TestRestartMidFulfilmentMakesNoDuplicate(t *testing.T) {
	for _, carrier := range []bool{true, false} {
		t.Run(fmt.Sprintf("carrier_tracking=%v", carrier), func(t *testing.T) {
			r := newRig(t)
			r.tries = 1
			fo := r.requested(2, 1)
			must(t, r.connector().Requests(ctx))
			order := orderOf(t, fo)
			tracking := "STATION-0001"
			if carrier {
				tracking = "1Z999AA10123456784"
				r.carrierLabel(order, tracking)
			}
			r.pick(order, map[int]int{1: 2, 2: 1})
			r.pack(order, "S1", "000000000000000017", tracking, map[int]int{1: 1})
			r.ship(order, "S1", "000000000000000017")
			r.shop.Fail("fulfillmentCreate", shopifytest.Fault{Lost: true})
			if err := r.connector().Facts(ctx); err == nil {
				t.Fatal("a lost answer passed as done")
			}
			if got := r.shop.Get(fo); len(got.Fulfillments) != 1 {
				t.Fatalf("the lost call made %d fulfillments", len(got.Fulfillments))
			}
			c := r.connector() // the restart
			must(t, c.Facts(ctx))
			must(t, c.Facts(ctx))
			got := r.shop.Get(fo)
			if len(got.Fulfillments) != 1 || got.Lines[0].Remaining != 1 {
				t.Fatalf("after the restart: %d fulfillments, mugs open %d", len(got.Fulfillments), got.Lines[0].Remaining)
			}
			if n := count(r.shop.Calls(), "fulfillmentCreate"); n != 1 {
				t.Fatalf("fulfillmentCreate called %d times", n)
			}
			cur, err := c.Cursor(ctx)
			must(t, err)
			page, err := r.hub.Facts(ctx, 0, 1000)
			must(t, err)
			if cur != page.Facts[len(page.Facts)-1].ID {
				t.Fatalf("cursor %d, last fact %d", cur, page.Facts[len(page.Facts)-1].ID)
			}
		})
	}
}

// restart between import and accept: the order is imported once and the
// request accepted at the next round.
func TestRestartBetweenImportAndAccept(t *testing.T) {
	r := newRig(t)
	r.tries = 1
	fo := r.requested(1, 1)
	r.shop.Fail("fulfillmentOrderAcceptFulfillmentRequest", shopifytest.Fault{Status: http.StatusBadGateway})
	if err := r.connector().Requests(ctx); err == nil {
		t.Fatal("a failed accept passed")
	}
	if got := r.shop.Get(fo); got.RequestStatus != "SUBMITTED" {
		t.Fatalf("request %s", got.RequestStatus)
	}
	must(t, r.connector().Requests(ctx))
	if got := r.shop.Get(fo); got.RequestStatus != "ACCEPTED" {
		t.Fatalf("request %s after the restart", got.RequestStatus)
	}
	if k := r.factKinds(orderOf(t, fo)); !slices.Equal(k, []string{protocol.FactAccepted}) {
		t.Fatalf("facts %v: imported more than once?", k)
	}
}

// callback: a notification signed with the app's secret wakes the
// connector, which answers the request; a bad signature is refused.
func TestCallbackSignature(t *testing.T) {
	r := newRig(t)
	r.cfg.Poll = time.Hour // only the notification can bring the request
	c := r.connector()
	srv := httptest.NewServer(c.Callback())
	defer srv.Close()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { _ = c.Run(runCtx); close(done) }()
	defer func() { stop(); <-done }()
	waitFor(t, "the first poll", func() bool { return count(r.shop.Calls(), "assignedFulfillmentOrders") >= 2 })

	fo := r.requested(1, 0)
	body := []byte(`{"kind":"FULFILLMENT_REQUEST"}`)
	post := func(b []byte, sig string) int {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+shopify.CallbackPath, bytes.NewReader(b))
		req.Header.Set("X-Shopify-Hmac-Sha256", sig)
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, bad := range []string{"", "bm90IGEgc2lnbmF0dXJl", shopify.Sign("another secret", body), shopify.Sign(secret, []byte(`{"kind":"CANCELLATION_REQUEST"}`))} {
		if code := post(body, bad); code != http.StatusUnauthorized {
			t.Fatalf("signature %q: %d, want 401", bad, code)
		}
	}
	if got := r.shop.Get(fo); got.RequestStatus != "SUBMITTED" {
		t.Fatalf("a refused notification moved the request: %s", got.RequestStatus)
	}
	if code := post([]byte(`{"kind":"SOMETHING"}`), shopify.Sign(secret, []byte(`{"kind":"SOMETHING"}`))); code != http.StatusBadRequest {
		t.Fatalf("unknown kind: %d, want 400", code)
	}
	if code := post(body, shopify.Sign(secret, body)); code != http.StatusOK {
		t.Fatalf("good notification: %d", code)
	}
	waitFor(t, "the request accepted", func() bool { return r.shop.Get(fo).RequestStatus == "ACCEPTED" })
	if !strings.Contains(r.logs.String(), "bad signature") {
		t.Error("refused notifications are not logged")
	}
}

// hostile text: ZPL in a name is kept as text (the label renderer
// escapes it); a terminal escape sequence is refused by the hub's text
// rule and the request rejected; neither reaches the log raw.
func TestHostileTextHandledSafely(t *testing.T) {
	r := newRig(t)
	zpl := map[string]any{}
	for k, v := range dest {
		zpl[k] = v
	}
	zpl["firstName"], zpl["company"] = "^XA^FO50,50^FDpwned^FS^XZ", "~JR~JA^ID*:*.*"
	esc := map[string]any{}
	for k, v := range dest {
		esc[k] = v
	}
	esc["city"] = "Spring\x1b[2J\x1b]0;owned\x07field"
	a := r.shop.Add(shopifytest.FO{OrderName: "#1002^XZ", Destination: zpl, Lines: []*shopifytest.Line{{SKU: "MUG-1", Total: 1}}})
	b := r.shop.Add(shopifytest.FO{OrderName: "#1003", Destination: esc, Lines: []*shopifytest.Line{{SKU: "MUG-1", Total: 1}}})
	must(t, r.connector().Requests(ctx))
	if got := r.shop.Get(a); got.RequestStatus != "ACCEPTED" {
		t.Fatalf("ZPL text in a name: %s %q", got.RequestStatus, got.Messages)
	}
	must(t, r.hub.Read(ctx, func(tx hub.StoreTx) error {
		o, _, err := tx.Order(orderOf(t, a))
		if o.ShipTo.Company != "~JR~JA^ID*:*.*" || !strings.HasPrefix(o.ShipTo.Name, "^XA^FO50,50") {
			t.Errorf("ship-to changed: %+v", o.ShipTo)
		}
		return err
	}))
	got := r.shop.Get(b)
	if got.RequestStatus != "REJECTED" || got.RejectReason != "INCORRECT_ADDRESS" || strings.ContainsRune(got.Messages[0], 0x1b) {
		t.Fatalf("escape sequence: %s %s %q", got.RequestStatus, got.RejectReason, got.Messages)
	}
	if strings.ContainsRune(r.logs.String(), 0x1b) || strings.ContainsRune(r.logs.String(), 0x07) {
		t.Fatal("a control character reached the log")
	}
}

func TestConfigRefusedInPlainWords(t *testing.T) {
	cfg := shopify.Config{Shop: "https://x.myshopify.com/", APIVersion: "2024-04", LocationID: "abc", Poll: time.Second}
	err := cfg.Check()
	if err == nil {
		t.Fatal("a bad configuration passed")
	}
	for _, want := range []string{"shop", "2025-01 only", "access token", "callback secret", "location_id", "poll_interval"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		<-tick.C
	}
}

// paging: more requests than one page (25) are all answered.
func TestManyRequestsPaged(t *testing.T) {
	r := newRig(t)
	var fos []string
	for range 30 {
		fos = append(fos, r.requested(1, 0))
	}
	must(t, r.connector().Requests(ctx))
	for _, fo := range fos {
		if got := r.shop.Get(fo); got.RequestStatus != "ACCEPTED" {
			t.Fatalf("%s: %s", fo, got.RequestStatus)
		}
	}
	// Two pages of requests, one of cancellations, two of the 30 accepted
	// (looked at for holds placed in Shopify).
	if n := count(r.shop.Calls(), "assignedFulfillmentOrders"); n != 5 {
		t.Fatalf("%d list calls", n)
	}
}

// a hold whose answer was lost is found by its handle after a restart,
// not placed twice; Shopify's userErrors pass the fact with a warning.
func TestLostHoldAnswerAndUserErrors(t *testing.T) {
	r := newRig(t)
	r.tries = 1
	fo := r.requested(1, 0)
	must(t, r.connector().Requests(ctx))
	order := orderOf(t, fo)
	must(t, r.hub.PlaceHold(ctx, order, protocol.Hold{Reason: "INCORRECT_ADDRESS"}, at))
	r.shop.Fail("fulfillmentOrderHold", shopifytest.Fault{Lost: true})
	if err := r.connector().Facts(ctx); err == nil {
		t.Fatal("a lost answer passed")
	}
	c := r.connector()
	must(t, c.Facts(ctx))
	if got := r.shop.Get(fo); len(got.Holds) != 1 {
		t.Fatalf("holds after the restart: %+v", got.Holds)
	}
	// The release then finds the hold's id in the state.
	must(t, r.hub.ReleaseHold(ctx, order, "INCORRECT_ADDRESS"))
	must(t, c.Facts(ctx))
	if got := r.shop.Get(fo); len(got.Holds) != 0 {
		t.Fatalf("holds after the release: %+v", got.Holds)
	}
	// Eleven holds: Shopify takes ten from one app; the eleventh's
	// userError is logged and the cursor moves on.
	for i := range 11 {
		must(t, r.hub.PlaceHold(ctx, order, protocol.Hold{Reason: fmt.Sprintf("R%02d", i)}, at))
	}
	must(t, c.Facts(ctx))
	if got := r.shop.Get(fo); len(got.Holds) != 10 {
		t.Fatalf("%d holds, want Shopify's ten", len(got.Holds))
	}
	if !strings.Contains(r.logs.String(), "shopify fact refused, passed") || !strings.Contains(r.logs.String(), "maximum number of fulfillment holds") {
		t.Fatal("the refused hold is not logged")
	}
	cur, err := c.Cursor(ctx)
	must(t, err)
	page, err := r.hub.Facts(ctx, 0, 1000)
	must(t, err)
	if cur != page.Facts[len(page.Facts)-1].ID {
		t.Fatalf("cursor %d stopped before the last fact %d", cur, page.Facts[len(page.Facts)-1].ID)
	}
}

// an accept that reached Shopify with its answer lost: no second accept,
// and the order's accepted fact settles the record from Shopify's status.
func TestLostAcceptSettled(t *testing.T) {
	r := newRig(t)
	r.tries = 1
	fo := r.requested(1, 0)
	r.shop.Fail("fulfillmentOrderAcceptFulfillmentRequest", shopifytest.Fault{Lost: true})
	if err := r.connector().Requests(ctx); err == nil {
		t.Fatal("a lost answer passed")
	}
	c := r.connector()
	must(t, c.Requests(ctx))
	must(t, c.Facts(ctx))
	_, links, err := shopify.Status(ctx, r.hub.SQLite)
	must(t, err)
	if len(links) != 1 || links[0].State != "accepted" || r.shop.Get(fo).RequestStatus != "ACCEPTED" {
		t.Fatalf("links %+v, request %s", links, r.shop.Get(fo).RequestStatus)
	}
	if n := count(r.shop.Calls(), "fulfillmentOrderAcceptFulfillmentRequest"); n != 1 {
		t.Fatalf("accepted %d times", n)
	}
}

// office cancellation: an order the office cancels at the hub closes its
// accepted fulfillment order (tote's holds released first, the reason in
// the message), once, across a lost answer and a restart; an order
// Shopify asked to cancel is not closed; asked again, it is rejected.
func TestOfficeCancellationClosesTheFulfillmentOrder(t *testing.T) {
	r := newRig(t)
	r.tries = 1
	fo, asked := r.requested(2, 1), r.requested(1, 0)
	c := r.connector()
	must(t, c.Requests(ctx))
	order := orderOf(t, fo)
	must(t, r.hub.PlaceHold(ctx, order, protocol.Hold{Reason: "INCORRECT_ADDRESS", Note: "no such street"}, at))
	must(t, c.Facts(ctx))
	if got := r.shop.Get(fo); got.Status != "ON_HOLD" {
		t.Fatalf("the floor hold did not reach Shopify: %s", got.Status)
	}
	must(t, r.hub.CancelOrder(ctx, order, "customer phoned", at))
	r.shop.Fail("fulfillmentOrderClose", shopifytest.Fault{Lost: true})
	if err := c.Facts(ctx); err == nil {
		t.Fatal("a lost answer passed as done")
	}
	c = r.connector() // the restart
	must(t, c.Facts(ctx))
	must(t, c.Facts(ctx))
	got := r.shop.Get(fo)
	if got.Status != "INCOMPLETE" || got.RequestStatus != "CLOSED" || len(got.Holds) != 0 {
		t.Fatalf("fulfillment order %s/%s holds %+v, want INCOMPLETE/CLOSED and none", got.Status, got.RequestStatus, got.Holds)
	}
	if m := got.Messages[len(got.Messages)-1]; m != "cancelled at the warehouse: customer phoned" {
		t.Fatalf("message %q", m)
	}
	if n := count(r.shop.Calls(), "fulfillmentOrderClose"); n != 1 {
		t.Fatalf("fulfillmentOrderClose called %d times", n)
	}
	_, links, err := shopify.Status(ctx, r.hub.SQLite)
	must(t, err)
	if i := slices.IndexFunc(links, func(l shopify.Link) bool { return l.FulfillmentOrder == fo }); i < 0 || links[i].State != "closed" {
		t.Fatalf("status %+v", links)
	}
	// Shopify's own cancellation is answered, not closed.
	r.shop.RequestCancellation(asked)
	must(t, c.Requests(ctx))
	must(t, c.Facts(ctx))
	if got := r.shop.Get(asked); got.RequestStatus != "CANCELLATION_ACCEPTED" {
		t.Fatalf("Shopify's cancellation %s", got.RequestStatus)
	}
	if n := count(r.shop.Calls(), "fulfillmentOrderClose"); n != 1 {
		t.Fatalf("fulfillmentOrderClose called %d times", n)
	}
	// The merchant requests it again: the hub keeps it cancelled.
	r.shop.Resubmit(fo)
	must(t, c.Requests(ctx))
	if got := r.shop.Get(fo); got.RequestStatus != "REJECTED" || !strings.Contains(got.Messages[len(got.Messages)-1], "was cancelled") {
		t.Fatalf("requested again: %s %q", got.RequestStatus, got.Messages)
	}
}

// Shopify's holds: a hold the merchant places on an accepted order is
// placed at the hub (the floor stops) and lifted there when the merchant
// lifts it; neither is sent back to Shopify; a restart polls again
// without doubling; a floor hold of its own stays when Shopify's goes;
// a hold the order came with is lifted at the hub when Shopify lifts it.
func TestShopifyHoldsMirroredAtTheHub(t *testing.T) {
	r := newRig(t)
	fo := r.requested(2, 1)
	came := r.shop.Add(shopifytest.FO{Destination: dest, Lines: []*shopifytest.Line{{SKU: "MUG-1", Total: 1}},
		Holds: []shopifytest.Hold{{ID: "gid://shopify/FulfillmentHold/1", Reason: "AWAITING_PAYMENT"}}})
	c := r.connector()
	must(t, c.Requests(ctx))
	order := orderOf(t, fo)
	holds := func(order string) []string {
		t.Helper()
		f, err := r.hub.Fulfilment(ctx, order)
		must(t, err)
		var out []string
		for _, h := range f.Holds {
			out = append(out, h.Reason+"/"+h.Note)
		}
		slices.Sort(out)
		return out
	}
	fraud := r.shop.PlaceMerchantHold(fo, "HIGH_RISK_OF_FRAUD", "check card")
	must(t, c.Requests(ctx))
	if h := holds(order); !slices.Equal(h, []string{"HIGH_RISK_OF_FRAUD/check card"}) {
		t.Fatalf("hub holds %v", h)
	}
	must(t, r.hub.PlaceHold(ctx, order, protocol.Hold{Reason: "INCORRECT_ADDRESS", Note: "no such street"}, at))
	c = r.connector() // a restart: Shopify's hold is not placed again
	must(t, c.Requests(ctx))
	must(t, c.Facts(ctx))
	if n := count(r.factKinds(order), protocol.FactHeld); n != 2 {
		t.Fatalf("%d holds at the hub, want 2: %v", n, r.factKinds(order))
	}
	got := r.shop.Get(fo)
	if len(got.Holds) != 2 || !got.Holds[1].ByApp || got.Holds[1].Reason != "INCORRECT_ADDRESS" {
		t.Fatalf("Shopify holds %+v: the floor's should be added, Shopify's not echoed", got.Holds)
	}
	r.shop.ReleaseMerchantHold(fo, fraud)
	must(t, c.Requests(ctx))
	must(t, c.Requests(ctx))
	must(t, c.Facts(ctx))
	if h := holds(order); !slices.Equal(h, []string{"INCORRECT_ADDRESS/no such street"}) {
		t.Fatalf("hub holds after Shopify's release %v", h)
	}
	if n := count(r.factKinds(order), protocol.FactReleased); n != 1 {
		t.Fatalf("%d releases at the hub, want 1", n)
	}
	if n := count(r.shop.Calls(), "fulfillmentOrderHold"); n != 1 {
		t.Fatalf("fulfillmentOrderHold called %d times, want 1 (the floor's)", n)
	}
	if n := count(r.shop.Calls(), "fulfillmentOrderReleaseHold"); n != 0 {
		t.Fatalf("fulfillmentOrderReleaseHold called %d times: Shopify's release was echoed", n)
	}
	// The hold the order came with.
	if h := holds(orderOf(t, came)); !slices.Equal(h, []string{"AWAITING_PAYMENT/"}) {
		t.Fatalf("imported holds %v", h)
	}
	r.shop.ReleaseMerchantHold(came, "gid://shopify/FulfillmentHold/1")
	must(t, c.Requests(ctx))
	if h := holds(orderOf(t, came)); len(h) != 0 {
		t.Fatalf("holds after Shopify lifted the one it came with: %v", h)
	}
}

// a void after dispatch: the hub refuses it (a return is booked
// instead), so no label_voided fact follows the shipment and the
// fulfillment made in Shopify stands; nothing is cancelled there.
func TestVoidAfterDispatchIsRefusedAndTheFulfillmentStands(t *testing.T) {
	r := newRig(t)
	fo := r.requested(2, 0)
	c := r.connector()
	must(t, c.Requests(ctx))
	order := orderOf(t, fo)
	r.carrierLabel(order, "1Z999AA10123456784")
	r.pick(order, map[int]int{1: 2})
	r.pack(order, "S1", "000000000000000017", "1Z999AA10123456784", map[int]int{1: 2})
	r.ship(order, "S1", "000000000000000017")
	must(t, c.Facts(ctx))
	r.seq["PACK-01"]++
	b, _ := json.Marshal(map[string]string{"order": order, "shipment": "S1"})
	res, err := r.hub.Push(ctx, "PACK-01", at, []protocol.Event{{Station: "PACK-01", Seq: r.seq["PACK-01"], ID: "PACK-01-void",
		Operator: "B1", DeviceTime: at, Type: "pack.voided", Payload: b}})
	must(t, err)
	if o := res.Outcomes[0]; o.Status != protocol.Rejected || !strings.Contains(o.Reason, "book a return") {
		t.Fatalf("a void after dispatch: %+v", o)
	}
	must(t, c.Facts(ctx))
	if k := r.factKinds(order); slices.Contains(k, protocol.FactLabelVoided) {
		t.Fatalf("facts %v", k)
	}
	if got := r.shop.Get(fo); len(got.Fulfillments) != 1 || got.Status != "CLOSED" {
		t.Fatalf("Shopify: %d fulfillments, %s", len(got.Fulfillments), got.Status)
	}
}

// a closed back order: the units that shipped are fulfilled; when the
// OMS gives up on the back-ordered rest and nothing else is due, the
// fulfillment order is closed with the units that will not ship, once,
// across a restart.
func TestClosedBackOrderClosesTheRest(t *testing.T) {
	r := newRig(t)
	fo := r.requested(2, 1)
	c := r.connector()
	must(t, c.Requests(ctx))
	order := orderOf(t, fo)
	_, err := r.hub.CreateWave(ctx, protocol.NewWave{ID: "W-" + order, Orders: []string{order}, Station: "CART-01"}, at)
	must(t, err)
	r.push("CART-01",
		[2]any{string(floor.EvUnitsPicked), floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: order, Line: 1, SKU: "MUG-1"}, Qty: 2, Tote: "T-" + order}},
		[2]any{string(floor.EvTaskShort), floor.ShortPayload{TaskPayload: floor.TaskPayload{Order: order, Line: 2, SKU: "CUP-1"}, Short: 1}})
	r.pack(order, "S1", "000000000000000017", "", map[int]int{1: 2})
	r.ship(order, "S1", "000000000000000017")
	must(t, c.Facts(ctx))
	if got := r.shop.Get(fo); len(got.Fulfillments) != 1 || got.Status != "IN_PROGRESS" || got.Lines[1].Remaining != 1 {
		t.Fatalf("after the shipment: %d fulfillments, %s, cups open %d", len(got.Fulfillments), got.Status, got.Lines[1].Remaining)
	}
	res, err := r.hub.CloseBackOrder(ctx, order, at)
	must(t, err)
	if res.State != protocol.StateClosed {
		t.Fatalf("the hub's order is %s after closing its back order", res.State)
	}
	must(t, r.connector().Facts(ctx))
	must(t, r.connector().Facts(ctx)) // a restart: closed once
	got := r.shop.Get(fo)
	if got.Status != "INCOMPLETE" || got.RequestStatus != "CLOSED" {
		t.Fatalf("fulfillment order %s/%s, want INCOMPLETE/CLOSED", got.Status, got.RequestStatus)
	}
	if m := got.Messages[len(got.Messages)-1]; m != "back order closed at the warehouse: 1 × CUP-1 will not ship" {
		t.Fatalf("message %q", m)
	}
	if n := count(r.shop.Calls(), "fulfillmentOrderClose"); n != 1 {
		t.Fatalf("fulfillmentOrderClose called %d times", n)
	}
}

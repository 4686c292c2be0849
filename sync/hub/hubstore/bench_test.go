package hubstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

// BenchmarkPushPicks applies batches of 100 picks for 10 orders through the
// hub's rules into SQLite, without HTTP: the hub's apply cost per event.
// Each order's tote gets 10 units per push, and a push that adds to a tote
// reads its units again (the tote's feed entry carries them all), so the
// cost per event grows with -benchtime: compare runs of one benchtime.
func BenchmarkPushPicks(b *testing.B) {
	ctx := context.Background()
	hs, err := hubstore.Open(ctx, filepath.Join(b.TempDir(), "hub.db"), hubstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer hs.Close()
	if _, err := hs.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}}}); err != nil {
		b.Fatal(err)
	}
	var orders []protocol.Order
	for i := range 10 {
		orders = append(orders, protocol.Order{ID: fmt.Sprintf("SO-%d", i), ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1000000}}})
	}
	if _, err := hs.ImportOrders(ctx, orders, time.Now()); err != nil {
		b.Fatal(err)
	}
	if err := hs.RegisterStation(ctx, "CART-01", "", "h", time.Now()); err != nil {
		b.Fatal(err)
	}
	// The orders are on a wave assigned to the cart, each picked into
	// its own tote: the picks are the cart's own work and every one is
	// accepted, so this measures the apply path, not a refusal.
	wave := protocol.NewWave{ID: "W-1", Station: "CART-01"}
	for _, o := range orders {
		wave.Orders = append(wave.Orders, o.ID)
	}
	if _, err := hs.CreateWave(ctx, wave, time.Now()); err != nil {
		b.Fatal(err)
	}
	const batch = 100
	seq := int64(0)
	b.ResetTimer()
	for range b.N {
		evs := make([]protocol.Event, batch)
		for i := range evs {
			seq++
			p, _ := json.Marshal(floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: fmt.Sprintf("SO-%d", seq%10), Line: 1, SKU: "MUG-1"}, Qty: 1, Tote: fmt.Sprintf("T-%d", seq%10)})
			evs[i] = protocol.Event{Station: "CART-01", Seq: seq, ID: fmt.Sprint(seq), DeviceTime: time.Now(), Type: string(floor.EvUnitsPicked), Payload: p}
		}
		resp, err := hs.Push(ctx, "CART-01", time.Now(), evs)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range resp.Outcomes {
			if o.Status != protocol.Accepted {
				b.Fatalf("pick %d was not accepted: %+v", o.Seq, o)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "µs/event")
}

// BenchmarkPushReturns applies batches of 100 return.received for 10
// shipped orders from a returns bench, as BenchmarkPushPicks does picks:
// each booked unit is kept in its order's life record, which grows with
// the order's returns (compare the two in one run).
func BenchmarkPushReturns(b *testing.B) {
	ctx := context.Background()
	hs, err := hubstore.Open(ctx, filepath.Join(b.TempDir(), "hub.db"), hubstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer hs.Close()
	if _, err := hs.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}}}); err != nil {
		b.Fatal(err)
	}
	const qty = 1000000
	var orders []protocol.Order
	for i := range 10 {
		orders = append(orders, protocol.Order{ID: fmt.Sprintf("SO-%d", i), ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: qty}}})
	}
	if _, err := hs.ImportOrders(ctx, orders, time.Now()); err != nil {
		b.Fatal(err)
	}
	for _, s := range []struct{ id, bench string }{{"PACK-01", protocol.BenchPack}, {"DOCK-01", protocol.BenchDispatch}, {"RET-01", protocol.BenchReturns}} {
		if err := hs.RegisterStation(ctx, s.id, "", "h-"+s.id, time.Now()); err != nil {
			b.Fatal(err)
		}
		if err := hs.NoteBench(ctx, s.id, s.bench); err != nil {
			b.Fatal(err)
		}
	}
	ev := func(station string, seq int64, typ floor.EventType, v any) protocol.Event {
		p, _ := json.Marshal(v)
		return protocol.Event{Station: station, Seq: seq, ID: fmt.Sprintf("%s-%d", station, seq), DeviceTime: time.Now(), Type: string(typ), Payload: p}
	}
	var pack, dock []protocol.Event
	var ssccs []string
	for i, o := range orders {
		sscc := fmt.Sprintf("00614141000000%04d", i)
		ssccs = append(ssccs, sscc)
		pack = append(pack, ev("PACK-01", int64(len(pack)+1), floor.EvPackLabelRequested, floor.PackLabelPayload{Order: o.ID, Shipment: o.ID + "-1",
			Carton: 1, Cartons: 1, SSCC: sscc, Lines: []floor.CartonLine{{Line: 1, SKU: "MUG-1", Qty: qty}}}))
		pack = append(pack, ev("PACK-01", int64(len(pack)+1), floor.EvPackShipmentCompleted, floor.PackShipmentPayload{Order: o.ID, Shipment: o.ID + "-1", Cartons: 1}))
		dock = append(dock, ev("DOCK-01", int64(len(dock)+1), floor.EvDispatchParcelLoaded, floor.DispatchParcelPayload{SSCC: sscc, Order: o.ID, Shipment: o.ID + "-1", Pickup: "P1", Carrier: "UPS"}))
	}
	dock = append(dock, ev("DOCK-01", int64(len(dock)+1), floor.EvDispatchPickupClosed, floor.DispatchClosedPayload{Pickup: "P1", Carrier: "UPS", SSCCs: ssccs}))
	for _, p := range []struct {
		station string
		evs     []protocol.Event
	}{{"PACK-01", pack}, {"DOCK-01", dock}} {
		resp, err := hs.Push(ctx, p.station, time.Now(), p.evs)
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range resp.Outcomes {
			if o.Status != protocol.Accepted {
				b.Fatalf("%s: %+v", p.station, o)
			}
		}
	}
	const batch = 100
	seq := int64(0)
	b.ResetTimer()
	for range b.N {
		evs := make([]protocol.Event, batch)
		for i := range evs {
			seq++
			evs[i] = ev("RET-01", seq, floor.EvReturnReceived, floor.ReturnReceivedPayload{Return: "RET-01-R00001", Order: fmt.Sprintf("SO-%d", seq%10), Line: 1, SKU: "MUG-1",
				Qty: 1, Condition: floor.ConditionOpened, Reason: floor.ReasonUnwanted, Disposition: floor.DispositionRefurbish})
		}
		resp, err := hs.Push(ctx, "RET-01", time.Now(), evs)
		if err != nil {
			b.Fatal(err)
		}
		if resp.Outcomes[0].Status != protocol.Accepted {
			b.Fatalf("%+v", resp.Outcomes[0])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "µs/event")
}

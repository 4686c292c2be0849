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
	const batch = 100
	seq := int64(0)
	b.ResetTimer()
	for range b.N {
		evs := make([]protocol.Event, batch)
		for i := range evs {
			seq++
			p, _ := json.Marshal(floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: fmt.Sprintf("SO-%d", seq%10), Line: 1, SKU: "MUG-1"}, Qty: 1, Tote: "T1"})
			evs[i] = protocol.Event{Station: "CART-01", Seq: seq, ID: fmt.Sprint(seq), DeviceTime: time.Now(), Type: string(floor.EvUnitsPicked), Payload: p}
		}
		if _, err := hs.Push(ctx, "CART-01", time.Now(), evs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*batch), "µs/event")
}

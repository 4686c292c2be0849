package hubstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

var benchAt = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// benchSite opens a hub with n orders of one line (qty units) on wave W1
// and the given stations registered.
func benchSite(b *testing.B, opts hub.ServiceOptions, orders, qty, stations int) *hub.Service {
	b.Helper()
	ctx := context.Background()
	st, err := hubstore.OpenStore(ctx, filepath.Join(b.TempDir(), "hub.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	h := hub.New(st, opts)
	if _, err := h.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}}}); err != nil {
		b.Fatal(err)
	}
	var os []protocol.Order
	var ids []string
	for i := range orders {
		by := benchAt.Add(time.Duration(i%300) * time.Minute)
		os = append(os, protocol.Order{ID: fmt.Sprintf("SO-%05d", i), ShipBy: &by, ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: qty}}})
		ids = append(ids, os[i].ID)
	}
	if _, err := h.ImportOrders(ctx, os, benchAt); err != nil {
		b.Fatal(err)
	}
	for i := range stations {
		if err := h.RegisterStation(ctx, fmt.Sprintf("CART-%03d", i), "", fmt.Sprint("h", i), benchAt); err != nil {
			b.Fatal(err)
		}
	}
	// The wave is CART-000's: only its station picks it.
	if _, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: ids, Station: "CART-000"}, benchAt); err != nil {
		b.Fatal(err)
	}
	return h
}

// picks are a station's next n picks, by one operator of 50 (a station's
// batch is one operator's work).
func picks(station string, seq *int64, n, orders int) []protocol.Event {
	evs := make([]protocol.Event, n)
	op := fmt.Sprintf("B%02d", (*seq/int64(n))%50)
	for i := range evs {
		*seq++
		s := *seq
		p, _ := json.Marshal(floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: fmt.Sprintf("SO-%05d", s%int64(orders)), Line: 1, SKU: "MUG-1", Location: "A-01"}, Qty: 1, Tote: "T1"})
		evs[i] = protocol.Event{Station: station, Seq: s, ID: fmt.Sprint(station, s), Operator: op,
			DeviceTime: benchAt.Add(time.Duration(s) * time.Second), Type: string(floor.EvUnitsPicked), Payload: p}
	}
	return evs
}

// BenchmarkAggregatesPerEvent pushes the same batches of 100 picks (50
// operators, 1,000 orders on a wave) into two hubs, one keeping the
// supervisor's aggregates and one bare, alternating, and reports each's
// cost per event and their ratio (goal: aggregates add at most 20%).
func BenchmarkAggregatesPerEvent(b *testing.B) {
	ctx := context.Background()
	const batch, orders = 100, 1000
	bare := benchSite(b, hub.ServiceOptions{WithoutAggregates: true}, orders, 1_000_000, 1)
	agg := benchSite(b, hub.ServiceOptions{}, orders, 1_000_000, 1)
	var seqBare, seqAgg int64
	var tBare, tAgg time.Duration
	b.ResetTimer()
	for range b.N {
		for _, h := range []struct {
			s   *hub.Service
			seq *int64
			t   *time.Duration
		}{{bare, &seqBare, &tBare}, {agg, &seqAgg, &tAgg}} {
			evs := picks("CART-000", h.seq, batch, orders)
			start := time.Now()
			resp, err := h.s.Push(ctx, "CART-000", benchAt, evs)
			*h.t += time.Since(start)
			if err != nil {
				b.Fatal(err)
			}
			// Every pick counts: a refused one would take the conflict path.
			for _, o := range resp.Outcomes {
				if o.Status != protocol.Accepted {
					b.Fatal(o)
				}
			}
		}
	}
	n := float64(b.N * batch)
	b.ReportMetric(float64(tBare.Microseconds())/n, "bare-µs/event")
	b.ReportMetric(float64(tAgg.Microseconds())/n, "agg-µs/event")
	b.ReportMetric(float64(tAgg)/float64(tBare), "agg/bare")
}

// BenchmarkDashboardRead reads what one supervisor refresh reads (every
// wave, the site) from a hub of 100 stations, 50 operators and a wave of
// 10,000 orders with picks on half of them, and reports the p99.
func BenchmarkDashboardRead(b *testing.B) {
	ctx := context.Background()
	h := benchSite(b, hub.ServiceOptions{}, 10_000, 3, 100)
	// CART-000 picks half the wave, 50 operators taking turns; the other
	// 99 stations report location scans.
	seq := int64(0)
	for range 100 {
		if _, err := h.Push(ctx, "CART-000", benchAt, picks("CART-000", &seq, 50, 10_000)); err != nil {
			b.Fatal(err)
		}
	}
	for i := 1; i < 100; i++ {
		st := fmt.Sprintf("CART-%03d", i)
		evs := make([]protocol.Event, 50)
		for j := range evs {
			p, _ := json.Marshal(floor.TaskPayload{Location: "A-01", SKU: "MUG-1"})
			evs[j] = protocol.Event{Station: st, Seq: int64(j + 1), ID: fmt.Sprint(st, j), Operator: fmt.Sprintf("B%02d", i%50),
				DeviceTime: benchAt.Add(time.Duration(j) * time.Second), Type: string(floor.EvLocationOK), Payload: p}
		}
		if _, err := h.Push(ctx, st, benchAt, evs); err != nil {
			b.Fatal(err)
		}
	}
	now := benchAt.Add(2 * time.Hour)
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		ws, err := h.Waves(ctx, 0, now)
		if err != nil || len(ws.Waves) != 1 || ws.Waves[0].Orders != 10_000 {
			b.Fatalf("%+v %v", ws, err)
		}
		site, err := h.Site(ctx, 0, now)
		if err != nil || len(site.People) != 50 || len(site.Stations) != 100 {
			b.Fatalf("%d people, %d stations, %v", len(site.People), len(site.Stations), err)
		}
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds())/1000, "p99-ms")
}

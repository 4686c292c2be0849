package supervisepage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/tui/supervisepage"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

// BenchmarkDashboardRefresh is one supervisor refresh: the hub's figures
// read (every wave, the site) and the waves and people screens drawn at
// 120×40, for a site of 100 stations, 50 operators and a wave of 10,000
// orders with picks on half of them (real SQLite). It reports the p99 in
// ms (goal ≤ 10 ms) and the median.
func BenchmarkDashboardRefresh(b *testing.B) {
	ctx := context.Background()
	st, err := hubstore.Open(ctx, filepath.Join(b.TempDir(), "hub.db"), hubstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}}}); err != nil {
		b.Fatal(err)
	}
	const orders = 10_000
	var os []protocol.Order
	var ids []string
	for i := range orders {
		by := nine.Add(time.Duration(i%300) * time.Minute)
		os = append(os, protocol.Order{ID: fmt.Sprintf("SO-%05d", i), ShipBy: &by, ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 3}}})
		ids = append(ids, os[i].ID)
	}
	if _, err := st.ImportOrders(ctx, os, nine); err != nil {
		b.Fatal(err)
	}
	if _, err := st.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: ids}, nine); err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		station := fmt.Sprintf("CART-%03d", i)
		if err := st.RegisterStation(ctx, station, "", fmt.Sprint("h", i), nine); err != nil {
			b.Fatal(err)
		}
		evs := make([]protocol.Event, 50)
		for j := range evs {
			p, _ := json.Marshal(floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: fmt.Sprintf("SO-%05d", i*50+j), Line: 1, SKU: "MUG-1"}, Qty: 1, Tote: "T1"})
			evs[j] = protocol.Event{Station: station, Seq: int64(j + 1), ID: fmt.Sprint(station, j), Operator: fmt.Sprintf("B%02d", i%50),
				DeviceTime: nine.Add(time.Duration(i*50+j) * time.Second), Type: string(floor.EvUnitsPicked), Payload: p}
		}
		if _, err := st.Push(ctx, station, nine, evs); err != nil {
			b.Fatal(err)
		}
	}
	at := nine.Add(2 * time.Hour)
	var svc hub.API = st
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		ws, err := svc.Waves(ctx, 0, at)
		if err != nil || len(ws.Waves) != 1 || ws.Waves[0].Orders != orders {
			b.Fatalf("%+v %v", ws, err)
		}
		site, err := svc.Site(ctx, 0, at)
		if err != nil || len(site.People) != 50 || len(site.Stations) != 100 {
			b.Fatalf("%d people, %d stations, %v", len(site.People), len(site.Stations), err)
		}
		board := supervisepage.Board{View: supervisepage.ViewWaves, Waves: ws, Site: site, AsOf: at, Now: at, Online: true}
		if s := board.Screen(120, 40); len(s) == 0 {
			b.Fatal("nothing drawn")
		}
		board.View = supervisepage.ViewPeople
		_ = board.Screen(120, 40)
		durs = append(durs, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	b.ReportMetric(float64(durs[len(durs)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(durs[len(durs)/2].Microseconds())/1000, "p50-ms")
}

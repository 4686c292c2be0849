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
	for i := range 100 {
		if err := st.RegisterStation(ctx, fmt.Sprintf("CART-%03d", i), "", fmt.Sprint("h", i), nine); err != nil {
			b.Fatal(err)
		}
	}
	// The wave is CART-000's: it picks half of it, 50 operators taking
	// turns; the other 99 stations report location scans.
	if _, err := st.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: ids, Station: "CART-000"}, nine); err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		station := fmt.Sprintf("CART-%03d", i)
		evs := make([]protocol.Event, 50)
		seq := int64(0)
		if i == 0 {
			evs = make([]protocol.Event, 5000)
		}
		for j := range evs {
			seq++
			typ, p := floor.EvLocationOK, any(floor.TaskPayload{Location: "A-01", SKU: "MUG-1"})
			if i == 0 {
				typ, p = floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: fmt.Sprintf("SO-%05d", j), Line: 1, SKU: "MUG-1", Location: "A-01"}, Qty: 1, Tote: "T1"}
			}
			body, _ := json.Marshal(p)
			evs[j] = protocol.Event{Station: station, Seq: seq, ID: fmt.Sprint(station, j), Operator: fmt.Sprintf("B%02d", (i+j/100)%50),
				DeviceTime: nine.Add(time.Duration(j) * time.Second), Type: string(typ), Payload: body}
		}
		for k := 0; k < len(evs); k += 500 {
			if _, err := st.Push(ctx, station, nine, evs[k:min(k+500, len(evs))]); err != nil {
				b.Fatal(err)
			}
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

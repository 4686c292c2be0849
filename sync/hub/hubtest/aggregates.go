package hubtest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's figures, hand-computed for the pushes below (at is
// 09:00; the figures are read at 09:30):
//
//	orders SO-1..SO-4 on W1, each line 1 two mugs, line 2 one cup: 4 orders,
//	8 lines, 12 units. SO-1 picked and packed (3 units; the shipment
//	completed at the bench, which is not shipped: it ships when it leaves
//	the dock, docs/order-life.md); SO-2 line 1
//	picked (2); SO-3 line 1 picked (2), line 2 short (1); SO-4 one mug (1).
//	Picked 8, short 1, packed 3, shipped 0, lines done 2+1+2+0 = 5; states:
//	(their order-life states) packed 1, picking 2 (SO-2, SO-4), picked 1
//	(SO-3: nothing left to pick, its short back-ordered); one back order (SO-3). Late: SO-1 and
//	SO-2 ship by 09:20, neither shipped: 2 late.
//	Rate: the 8 units were picked 09:10–09:16, in buckets 09:10 and 09:15;
//	from 09:10 to 09:30 is 20 min: 24 units/h; 3 left: ETA 09:37:30.
var (
	readAt   = at.Add(30 * time.Minute)
	wantETA  = at.Add(37*time.Minute + 30*time.Second)
	wantWave = protocol.WaveProgress{Wave: "W1", Status: "released", Station: "CART-01", Orders: 4,
		ByState: map[string]int{protocol.StatePacked: 1, protocol.StatePicking: 2, protocol.StatePicked: 1},
		Lines:   8, LinesDone: 5, Units: 12, Picked: 8, Short: 1, Packed: 3, Shipped: 0, BackOrders: 1, Late: 2,
		RatePerHour: 24, ETA: &wantETA, Basis: "8 units in the last 20 min, 3 left"}
)

// aggSite imports SO-1..SO-5 (SO-1, SO-2 ship by 09:20, the rest by 12:00)
// and makes W1 (SO-1..SO-4) and W2 (SO-5).
func aggSite(t *testing.T, h *hub.Service) {
	t.Helper()
	site(t, h, 0)
	var orders []protocol.Order
	for i := 1; i <= 5; i++ {
		by := at.Add(3 * time.Hour)
		if i <= 2 {
			by = at.Add(20 * time.Minute)
		}
		orders = append(orders, protocol.Order{ID: fmt.Sprintf("SO-%d", i), Customer: "Olivia", ShipTo: addr, ShipBy: &by,
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 2}, {Line: 2, SKU: "CUP-1", Qty: 1}}})
	}
	_, err := h.ImportOrders(ctx, orders, at)
	must(t, err)
	for _, s := range []string{"CART-01", "CART-02", "PACK-01"} {
		register(t, h, s)
	}
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2", "SO-3", "SO-4"}, Station: "CART-01"}, at)
	must(t, err)
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W2", Orders: []string{"SO-5"}, Station: "CART-02"}, at)
	must(t, err)
}

func floorEv(station, op string, seq int64, min int, typ floor.EventType, payload any) protocol.Event {
	b, _ := json.Marshal(payload)
	return protocol.Event{Station: station, Seq: seq, ID: fmt.Sprintf("%s-%d", station, seq), Operator: op,
		DeviceTime: at.Add(time.Duration(min) * time.Minute), Type: string(typ), Payload: b}
}

func task(order string, line int) floor.TaskPayload {
	if line == 2 {
		return floor.TaskPayload{Order: order, Line: line, SKU: "CUP-1", Location: "A-02"}
	}
	return floor.TaskPayload{Order: order, Line: line, SKU: "MUG-1", Location: "A-01"}
}

// aggPushes are each station's events, in two batches for CART-01.
func aggPushes() map[string][][]protocol.Event {
	units := func(o string, l, q int) floor.UnitsPayload {
		return floor.UnitsPayload{TaskPayload: task(o, l), Qty: q, Tote: "T-" + o}
	}
	return map[string][][]protocol.Event{
		"CART-01": {{
			floorEv("CART-01", "B1", 1, 10, floor.EvLocationOK, task("SO-1", 1)),
			floorEv("CART-01", "B1", 2, 11, floor.EvUnitsPicked, units("SO-1", 1, 2)),
			floorEv("CART-01", "B1", 3, 12, floor.EvUnitsPicked, units("SO-1", 2, 1)),
		}, {
			floorEv("CART-01", "B1", 4, 13, floor.EvScanRejected, map[string]string{"scan": "0000", "reason": "not this item"}),
			floorEv("CART-01", "B1", 5, 14, floor.EvUnitsPicked, units("SO-2", 1, 2)),
		}, {
			// B2 takes the cart over (a wave's orders are picked by its station).
			floorEv("CART-01", "B2", 6, 10, floor.EvUnitsPicked, units("SO-3", 1, 2)),
			floorEv("CART-01", "B2", 7, 12, floor.EvTaskShort, floor.ShortPayload{TaskPayload: task("SO-3", 2), Short: 1, Reason: "empty"}),
			floorEv("CART-01", "B2", 8, 16, floor.EvUnitsPicked, units("SO-4", 1, 1)),
		}},
		"PACK-01": {{
			floorEv("PACK-01", "B3", 1, 20, "pack.label_requested", map[string]any{"order": "SO-1", "shipment": "SH-1",
				"sscc": "000000000000000017", "lines": []map[string]int{{"line": 1, "qty": 2}, {"line": 2, "qty": 1}}}),
			floorEv("PACK-01", "B3", 2, 21, floor.EvPackShipmentCompleted, map[string]string{"order": "SO-1", "shipment": "SH-1"}),
		}},
	}
}

func pushAll(t *testing.T, h *hub.Service, order []string) {
	t.Helper()
	ps := aggPushes()
	// Interleave the stations' batches in the order given.
	for round := 0; round < 3; round++ {
		for _, s := range order {
			if round < len(ps[s]) {
				evs := ps[s][round]
				resp, err := h.Push(ctx, s, at.Add(time.Hour), evs)
				must(t, err)
				for _, o := range resp.Outcomes {
					if o.Status != protocol.Accepted {
						t.Fatalf("%s %d: %+v", s, o.Seq, o)
					}
				}
			}
		}
	}
}

// figures are what a supervisor reads, without the versions (which count
// pushes, not facts).
type figures struct {
	Waves  []protocol.WaveProgress
	Orders []protocol.OrderProgress
	People []protocol.PersonRate
}

func readFigures(t *testing.T, h *hub.Service) figures {
	t.Helper()
	ws, err := h.Waves(ctx, 0, readAt)
	must(t, err)
	d, err := h.Wave(ctx, "W1", readAt)
	must(t, err)
	site, err := h.Site(ctx, 0, readAt)
	must(t, err)
	return figures{Waves: ws.Waves, Orders: d.Orders, People: site.People}
}

func aggregates(t *testing.T, open Open) {
	h := hub.New(open(t), hub.ServiceOptions{})
	aggSite(t, h)
	_, err := h.Wave(ctx, "W9", readAt)
	wantCode(t, err, protocol.CodeNotFound, "an unknown wave")
	pushAll(t, h, []string{"CART-01", "PACK-01"})
	got := readFigures(t, h)
	if len(got.Waves) != 2 || got.Waves[1].Wave != "W2" || got.Waves[1].Orders != 1 || got.Waves[1].ByState[protocol.StateReleased] != 1 {
		t.Fatalf("waves %+v, want W1 and W2 (one open order)", got.Waves)
	}
	if !reflect.DeepEqual(got.Waves[0], wantWave) {
		t.Fatalf("W1's figures\n got %+v\nwant %+v", got.Waves[0], wantWave)
	}
	wantOrders := map[string]string{"SO-1": protocol.StatePacked, "SO-2": protocol.StatePicking,
		"SO-3": protocol.StatePicked, "SO-4": protocol.StatePicking}
	for _, o := range got.Orders {
		if o.State != wantOrders[o.Order] || o.Late != (o.Order == "SO-1" || o.Order == "SO-2") {
			t.Fatalf("order %+v: want state %s, late SO-1 and SO-2", o, wantOrders[o.Order])
		}
	}
	if len(got.Orders) != 4 {
		t.Fatalf("W1 lists %d orders, want 4", len(got.Orders))
	}
	// People: B1 5 units in 20 min (15/h), 1 mis-scan in 5 scans; B2 3
	// units (9/h), one line (3/h); B3 one line in 10 min (6/h).
	p := got.People
	if len(p) != 3 || p[0].Badge != "B1" || p[1].Badge != "B3" || p[2].Badge != "B2" {
		t.Fatalf("people %+v, want B1 (mis-scans), B3 (no units), B2", p)
	}
	if p[0].Units != 5 || p[0].Scans != 5 || p[0].MisScans != 1 || p[0].MisScansPer100 != 20 || p[0].UnitsHour != 15 ||
		p[0].Station != "CART-01" || p[0].LastEvent != string(floor.EvUnitsPicked) || p[0].IdleSeconds != 16*60 {
		t.Fatalf("B1 %+v", p[0])
	}
	if p[2].Units != 3 || p[2].Lines != 1 || p[2].UnitsHour != 9 || p[2].LinesHour != 3 || p[2].IdleSeconds != 14*60 {
		t.Fatalf("B2 %+v", p[2])
	}
	if p[1].Lines != 1 || p[1].LinesHour != 6 || p[1].UnitsHour != 0 {
		t.Fatalf("B3 %+v", p[1])
	}
	site, err := h.Site(ctx, 0, readAt)
	must(t, err)
	if len(site.Stations) != 3 || site.Stations[0].Events != 8 || site.Stations[0].Operator != "B2" || site.Stations[1].Events != 0 ||
		site.Stations[2].Events != 2 || site.Stations[2].Operator != "B3" {
		t.Fatalf("stations %+v", site.Stations)
	}

	// Incremental: nothing changed since the version read; a pick on SO-5
	// changes W2 alone.
	v, err := h.Waves(ctx, 0, readAt)
	must(t, err)
	if again, _ := h.Waves(ctx, v.Version, readAt); len(again.Waves) != 0 || again.Version != v.Version {
		t.Fatalf("after %d with no push: %+v", v.Version, again)
	}
	if again, _ := h.Site(ctx, v.Version, readAt); len(again.People) != 0 {
		t.Fatalf("people after %d with no push: %+v", v.Version, again.People)
	}
	_, err = h.Push(ctx, "CART-02", at.Add(time.Hour), []protocol.Event{floorEv("CART-02", "B2", 1, 25, floor.EvUnitsPicked,
		floor.UnitsPayload{TaskPayload: task("SO-5", 1), Qty: 1, Tote: "T2"})})
	must(t, err)
	next, err := h.Waves(ctx, v.Version, readAt)
	must(t, err)
	if len(next.Waves) != 1 || next.Waves[0].Wave != "W2" || next.Waves[0].Picked != 1 || next.Version <= v.Version {
		t.Fatalf("after %d: %+v, want W2 alone with one unit picked", v.Version, next)
	}
	ps, err := h.Site(ctx, v.Version, readAt)
	must(t, err)
	if len(ps.People) != 1 || ps.People[0].Badge != "B2" || ps.People[0].Units != 4 {
		t.Fatalf("people after %d: %+v, want B2 alone", v.Version, ps.People)
	}
	// A resent batch changes no figure.
	_, err = h.Push(ctx, "PACK-01", at.Add(2*time.Hour), aggPushes()["PACK-01"][0])
	must(t, err)
	if again, _ := h.Waves(ctx, next.Version, readAt); len(again.Waves) != 0 {
		t.Fatalf("a resent batch changed %+v", again.Waves)
	}

	// The same events pushed in other orders of stations give the same figures.
	for _, order := range [][]string{{"PACK-01", "CART-01"}, {"CART-01", "CART-01", "PACK-01"}} {
		h2 := hub.New(open(t), hub.ServiceOptions{})
		aggSite(t, h2)
		pushAll(t, h2, order)
		if other := readFigures(t, h2); !reflect.DeepEqual(other, got) {
			t.Fatalf("pushed %v:\n got %+v\nwant %+v", order, other, got)
		}
	}
}

package hub_test

import (
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

var nine = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func bucket(min int) int64 { return nine.Add(time.Duration(min) * time.Minute).Unix() }

// A wave of 100 units: 40 picked, 10 short. In the window (09:05–09:30,
// read at 09:32) 30 units were picked from 09:10: 22 min, so 30*60/22 =
// 81.8 units/h; 50 left take 50/81.8 h = 36 min 40 s: ETA 10:08:40. A pick
// at 08:55 lies before the window and does not count.
func TestWaveFiguresByHand(t *testing.T) {
	now := nine.Add(32 * time.Minute)
	c := func(metric string, b int64, v int64) hub.Count {
		return hub.Count{Scope: hub.ScopeWave, Key: "W1", Metric: metric, Bucket: b, Value: v}
	}
	counts := []hub.Count{
		c(hub.MetricUnits, 0, 100), c(hub.MetricPicked, 0, 40), c(hub.MetricShort, 0, 10), c(hub.MetricOrders, 0, 20),
		c("state:open", 0, 12), c("state:in_progress", 0, 8), c("state:shipped", 0, 0),
		c(hub.MetricPicked, bucket(-5), 10), c(hub.MetricPicked, bucket(10), 12), c(hub.MetricPicked, bucket(25), 18),
	}
	p := hub.WaveFigures("W1", counts, 3, now)
	eta := nine.Add(time.Hour + 8*time.Minute + 40*time.Second)
	if p.Orders != 20 || p.Late != 3 || len(p.ByState) != 2 || p.ByState["open"] != 12 || p.ByState["in_progress"] != 8 {
		t.Fatalf("counts %+v", p)
	}
	if want := 30 * 60.0 / 22; p.RatePerHour != want {
		t.Fatalf("rate %v, want %v", p.RatePerHour, want)
	}
	if p.ETA == nil || !p.ETA.Equal(eta) || p.Basis != "30 units in the last 22 min, 50 left" {
		t.Fatalf("ETA %v (%s), want %v", p.ETA, p.Basis, eta)
	}
	// Nothing picked in the window: no finish time, and it says why.
	p = hub.WaveFigures("W1", counts[:7], 0, now)
	if p.ETA != nil || p.RatePerHour != 0 || p.Basis != "no units picked in the last 30 min: no finish time" {
		t.Fatalf("no rate: %+v", p)
	}
	// A wave's first minute: 6 units at 09:10, read at 09:11, count over
	// one bucket (5 min), 72/h, not over 60 s (360/h).
	p = hub.WaveFigures("W1", []hub.Count{c(hub.MetricUnits, 0, 100), c(hub.MetricPicked, 0, 6), c(hub.MetricPicked, bucket(10), 6)}, 0, nine.Add(11*time.Minute))
	if p.RatePerHour != 72 || p.Basis != "6 units in the last 5 min, 94 left" {
		t.Fatalf("first minute: %+v", p)
	}
	// Every unit picked or short: nothing left to time.
	p = hub.WaveFigures("W1", []hub.Count{c(hub.MetricUnits, 0, 5), c(hub.MetricPicked, 0, 4), c(hub.MetricShort, 0, 1)}, 0, now)
	if p.ETA != nil || p.Basis != "every unit picked or short" {
		t.Fatalf("done: %+v", p)
	}
}

// An operator read at 10:00 with buckets at 08:00 (in the shift, not the
// last hour), 09:30 and 09:45: last hour from 09:30, 30 min: 60 units ->
// 120/h; shift from 08:00, 2 h: 100 units -> 50/h; 3 mis-scans in 60 scans.
func TestPersonFiguresByHand(t *testing.T) {
	now := nine.Add(time.Hour)
	c := func(metric string, b int64, v int64) hub.Count {
		return hub.Count{Scope: hub.ScopeOperator, Key: "B7", Metric: metric, Bucket: b, Value: v}
	}
	counts := []hub.Count{
		c(hub.MetricUnits, 0, 999), // the total since ever: the shift reads buckets
		c(hub.MetricUnits, bucket(-60), 40), c(hub.MetricUnits, bucket(30), 25), c(hub.MetricUnits, bucket(45), 35),
		c(hub.MetricLines, bucket(30), 6), c(hub.MetricScans, bucket(30), 60), c(hub.MetricMisScans, bucket(45), 3),
		c(hub.MetricUnits, bucket(-9*60), 500), // before the shift
	}
	seen := hub.OperatorSeen{Badge: "B7", Station: "CART-03", Event: "pick.units_picked", At: nine.Add(50 * time.Minute)}
	p := hub.PersonFigures(seen, counts, now)
	want := protocol.PersonRate{Badge: "B7", Station: "CART-03", LastEvent: "pick.units_picked", LastAt: seen.At, IdleSeconds: 600,
		UnitsHour: 120, LinesHour: 12, UnitsShiftHour: 50, LinesShiftHour: 3, Units: 100, Lines: 6, Scans: 60, MisScans: 3, MisScansPer100: 5}
	if p != want {
		t.Fatalf("got  %+v\nwant %+v", p, want)
	}
	people := []protocol.PersonRate{{Badge: "A", UnitsHour: 90}, {Badge: "B", UnitsHour: 30}, {Badge: "C", MisScansPer100: 4}, {Badge: "D", UnitsHour: 30, IdleSeconds: 900}}
	hub.SortPeople(people)
	if people[0].Badge != "C" || people[1].Badge != "D" || people[2].Badge != "B" || people[3].Badge != "A" {
		t.Fatalf("sorted %+v", people)
	}
}

package hubtest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	extra = append(extra, []struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{{"OrderStory", orderStory("CART-01", "PACK-01")}, {"OrderStoryOtherPushOrder", orderStory("PACK-01", "CART-01")},
		{"StationDevices", stationDevices}, {"StationFacts", stationFacts}}...)
}

// orderStory: SO-1's story is its lines with what was picked, and every
// event naming it from both stations in floor order (device time), the
// one the hub refused with its reason; pushed in the other order of
// stations, the same story.
func orderStory(stations ...string) func(*testing.T, *hub.Service) {
	return func(t *testing.T, h *hub.Service) { orderStoryOf(t, h, stations) }
}

func orderStoryOf(t *testing.T, h *hub.Service, stations []string) {
	story := func(order []string) protocol.OrderStory {
		aggSite(t, h)
		pushAll(t, h, order)
		// CART-02 picks for SO-1, whose wave is CART-01's: refused.
		stray := floorEv("CART-02", "B9", 1, 15, floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task("SO-1", 1), Qty: 1, Tote: "T9"})
		resp, err := h.Push(ctx, "CART-02", at.Add(time.Hour), []protocol.Event{stray})
		must(t, err)
		if resp.Outcomes[0].Status != protocol.Rejected {
			t.Fatalf("the stray pick was %+v", resp.Outcomes[0])
		}
		s, err := h.OrderStory(ctx, "SO-1", readAt)
		must(t, err)
		return s
	}
	s := story(stations)
	wantLines := []protocol.StoryLine{{Line: 1, SKU: "MUG-1", Ordered: 2, Picked: 2}, {Line: 2, SKU: "CUP-1", Ordered: 1, Picked: 1}}
	if !reflect.DeepEqual(s.Lines, wantLines) || s.Wave != "W1" || s.Order != "SO-1" || s.Status != protocol.StatePacked || s.More {
		t.Fatalf("story's head: %+v", s)
	}
	var got []string
	for _, e := range s.Events {
		got = append(got, fmt.Sprintf("%s %s/%d %s %s %s", e.At.Format("15:04"), e.Station, e.Seq, e.Operator, e.Type, e.Status))
	}
	want := []string{
		"09:10 CART-01/1 B1 pick.location_confirmed accepted",
		"09:11 CART-01/2 B1 pick.units_picked accepted",
		"09:12 CART-01/3 B1 pick.units_picked accepted",
		"09:15 CART-02/1 B9 pick.units_picked rejected",
		"09:20 PACK-01/1 B3 pack.label_requested accepted",
		"09:21 PACK-01/2 B3 pack.shipment_completed accepted",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("story:\n%v\nwant\n%v", got, want)
	}
	if e := s.Events[3]; e.Reason == "" {
		t.Fatal("the refused pick has no reason in the story")
	}
	if w := s.Events[1].What; w != "2 × MUG-1 from A-01 into T-SO-1" {
		t.Fatalf("what of a pick: %q", w)
	}
	if _, err := h.OrderStory(ctx, "SO-404", readAt); code(err) != protocol.CodeNotFound {
		t.Fatalf("an unknown order's story: %v", err)
	}
}

// stationDevices: what stations report of their devices is in the site's
// health, the stations with a printer out of labels first, then those
// with a device not connected; a report replaces the last.
func stationDevices(t *testing.T, h *hub.Service) {
	aggSite(t, h)
	register(t, h, "SUP-01")
	ok := protocol.DeviceState{Device: "scan-1", Kind: "scanner", Status: "connected"}
	must(t, h.ReportDevices(ctx, "CART-01", []protocol.DeviceState{ok}, at))
	must(t, h.ReportDevices(ctx, "CART-02", []protocol.DeviceState{{Device: "scan-2", Kind: "scanner", Status: "reconnecting", Reason: "device unplugged"}}, at))
	must(t, h.ReportDevices(ctx, "PACK-01", []protocol.DeviceState{{Device: "zebra", Kind: "printer", Status: "connected"}}, at))
	// The printer runs out of labels: the report replaces the last.
	out := protocol.DeviceState{Device: "zebra", Kind: "printer", Status: "error", Reason: "out of labels: load labels", PaperOut: true, Since: at.Add(time.Minute)}
	must(t, h.ReportDevices(ctx, "PACK-01", []protocol.DeviceState{ok, out}, at.Add(time.Minute)))
	if err := h.ReportDevices(ctx, "NOPE-01", nil, at); code(err) != protocol.CodeNotFound {
		t.Fatalf("an unregistered station's report: %v", err)
	}
	v, err := h.Site(ctx, 0, readAt)
	must(t, err)
	var order []string
	for _, s := range v.Stations {
		order = append(order, s.ID)
	}
	if want := []string{"PACK-01", "CART-02", "CART-01", "SUP-01"}; !reflect.DeepEqual(order, want) {
		t.Fatalf("stations in health order: %v, want %v", order, want)
	}
	if d := v.Stations[0].Devices; len(d) != 2 || !reflect.DeepEqual(d[0], out) || d[1] != ok {
		t.Fatalf("PACK-01's devices: %+v", d)
	}
	if len(v.Stations[3].Devices) != 0 {
		t.Fatalf("SUP-01 reported nothing: %+v", v.Stations[3].Devices)
	}
}

// stationFacts: what a station says of itself with its devices report
// (events waiting and the oldest's device time, who is signed in) is in
// the site's health with its last contact; a station not heard from for
// protocol.OfflineAfter shows offline, and one that never reported facts
// shows nothing waiting and nobody signed in.
func stationFacts(t *testing.T, h *hub.Service) {
	register(t, h, "CART-01")
	register(t, h, "PACK-01")
	register(t, h, "SUP-01")
	now := at.Add(time.Hour)
	oldest := now.Add(-7 * time.Minute)
	heard := now.Add(-30 * time.Second)
	must(t, h.ReportStation(ctx, protocol.DevicesReport{Station: "PACK-01",
		StationFacts: protocol.StationFacts{Waiting: 4, OldestWaiting: oldest, Operator: "B1001"}}, heard))
	long := now.Add(-protocol.OfflineAfter - time.Second)
	must(t, h.ReportStation(ctx, protocol.DevicesReport{Station: "CART-01",
		StationFacts: protocol.StationFacts{Operator: "B1002"}}, long))
	// An older station's report, devices only: nothing waiting, nobody.
	must(t, h.ReportDevices(ctx, "SUP-01", nil, heard))
	v, err := h.Site(ctx, 0, now)
	must(t, err)
	by := map[string]protocol.StationState{}
	for _, s := range v.Stations {
		by[s.ID] = s
	}
	p := by["PACK-01"]
	if !p.Online || p.Waiting != 4 || p.OldestWaiting == nil || !p.OldestWaiting.Equal(oldest) || p.SignedIn != "B1001" ||
		p.LastContact == nil || !p.LastContact.Equal(heard) {
		t.Fatalf("PACK-01's health: %+v", p)
	}
	c := by["CART-01"]
	if c.Online || c.Waiting != 0 || c.OldestWaiting != nil || c.SignedIn != "B1002" || c.LastContact == nil || !c.LastContact.Equal(long) {
		t.Fatalf("CART-01, not heard from for over %v: %+v", protocol.OfflineAfter, c)
	}
	if s := by["SUP-01"]; !s.Online || s.Waiting != 0 || s.SignedIn != "" {
		t.Fatalf("SUP-01, devices only: %+v", s)
	}
	// The offline station comes before the online ones that need nobody.
	if v.Stations[0].ID != "CART-01" {
		t.Fatalf("the offline station first: %v", v.Stations[0].ID)
	}
	// A second report replaces the first: the events went, the operator
	// signed out.
	must(t, h.ReportStation(ctx, protocol.DevicesReport{Station: "PACK-01"}, now))
	v, err = h.Site(ctx, 0, now)
	must(t, err)
	for _, s := range v.Stations {
		if s.ID == "PACK-01" && (s.Waiting != 0 || s.OldestWaiting != nil || s.SignedIn != "" || !s.LastContact.Equal(now)) {
			t.Fatalf("PACK-01 after its second report: %+v", s)
		}
	}
}

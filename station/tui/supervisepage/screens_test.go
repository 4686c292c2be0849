package supervisepage_test

import (
	"flag"
	"fmt"
	"github.com/totewms/tote/internal/floor"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/totewms/tote/station/tui/supervisepage"
	"github.com/totewms/tote/sync/protocol"
)

var update = flag.Bool("update", false, "rewrite the golden files")

var (
	nine = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now  = nine.Add(30 * time.Minute)
)

func tp(d time.Duration) *time.Time { t := nine.Add(d); return &t }

// board is a site as the hub's figures give it (the figures of hubtest's
// SupervisorAggregates, and a second wave).
func board(view supervisepage.View, online bool) supervisepage.Board {
	w1 := protocol.WaveProgress{Wave: "W1", Status: "in_progress", Orders: 4,
		ByState: map[string]int{"packed": 1, "picking": 2, "picked": 1}, Lines: 8, LinesDone: 5, Units: 12, Picked: 8,
		Short: 1, Packed: 3, BackOrders: 1, Late: 2, RatePerHour: 24, ETA: tp(37*time.Minute + 30*time.Second),
		Basis: "8 units in the last 20 min, 3 left"}
	w2 := protocol.WaveProgress{Wave: "W2", Status: "released", Orders: 1, ByState: map[string]int{"released": 1}, Lines: 2, Units: 3,
		Basis: "no units picked in the last 30 min: no finish time"}
	return supervisepage.Board{View: view, Now: now, AsOf: now.Add(-2 * time.Minute), Online: online,
		Waves: protocol.WavesView{Version: 9, At: now, Waves: []protocol.WaveProgress{w1, w2}},
		Wave: protocol.WaveDetail{Progress: w1, Orders: []protocol.OrderProgress{
			{Order: "SO-1", State: "packed", ShipBy: tp(20 * time.Minute), Lines: 2, LinesDone: 2, Units: 3, Picked: 3, Packed: 3, Late: true},
			{Order: "SO-2", State: "picking", ShipBy: tp(20 * time.Minute), Late: true, Lines: 2, LinesDone: 1, Units: 3, Picked: 2},
			{Order: "SO-3", State: "picked", ShipBy: tp(3 * time.Hour), Lines: 2, LinesDone: 2, Units: 3, Picked: 2, Short: 1},
			{Order: "SO-4", State: "picking", ShipBy: tp(3 * time.Hour), Lines: 2, Units: 3, Picked: 1}}},
		Site: protocol.SiteView{
			People: []protocol.PersonRate{
				{Badge: "B1", Station: "CART-01", LastEvent: "pick.units_picked", IdleSeconds: 960, UnitsHour: 15, UnitsShiftHour: 15, Units: 5, Scans: 5, MisScans: 1, MisScansPer100: 20},
				{Badge: "B3", Station: "PACK-01", LastEvent: "pack.shipment_completed", IdleSeconds: 540, LinesHour: 6, LinesShiftHour: 6, Lines: 1},
				{Badge: "B2", Station: "CART-02", LastEvent: "pick.units_picked", IdleSeconds: 840, UnitsHour: 9, LinesHour: 3, UnitsShiftHour: 9, Units: 3, Lines: 1, Scans: 2}},
			// In the hub's health order: a printer out of labels, then a
			// device down, then the rest.
			Stations: []protocol.StationState{
				{ID: "PACK-01", Mark: 2, LastPush: tp(22 * time.Minute), LastPull: tp(29 * time.Minute), Events: 2, Operator: "B3",
					LastContact: tp(29 * time.Minute), Online: true, Waiting: 2, OldestWaiting: tp(27 * time.Minute), SignedIn: "B3",
					Devices: []protocol.DeviceState{{Device: "zebra-1", Kind: "printer", Status: "error", Reason: "out of labels: load labels", PaperOut: true},
						{Device: "scan-3", Kind: "scanner", Status: "connected"}}},
				{ID: "CART-02", Mark: 3, LastPush: tp(17 * time.Minute), Events: 3, Rejected: 1, Operator: "B2",
					LastContact: tp(17 * time.Minute), Waiting: 6, OldestWaiting: tp(16 * time.Minute), SignedIn: "B2",
					Devices: []protocol.DeviceState{{Device: "scan-2", Kind: "scanner", Status: "reconnecting", Reason: "device unplugged"}}},
				{ID: "CART-01", Mark: 5, LastPush: tp(15 * time.Minute), LastPull: tp(29 * time.Minute), Events: 5, Operator: "B1",
					LastContact: tp(29 * time.Minute), Online: true,
					Devices: []protocol.DeviceState{{Device: "scan-1", Kind: "scanner", Status: "connected"}}},
				{ID: "SUP-01"}},
			BadgeLocks: []protocol.BadgeLock{{Badge: "B1004", Name: "Ann Lee", Locked: true, Failures: 3, Station: "CART-02", LockedAt: nine.Add(14 * time.Minute)}},
			Exceptions: []protocol.Conflict{
				{ID: 1, Station: "CART-01", Order: "SO-7", Kind: "cancelled-after-pick", Reason: "order cancelled centrally: return the goods to stock", At: nine.Add(5 * time.Minute)},
				{ID: 3, Station: "CART-02", Order: "SO-4", Kind: floor.ExShortPick, Reason: "1 of MUG-1 short at A-01 (not found)", At: nine.Add(12 * time.Minute),
					Source: floor.SourceFloor, Detail: &protocol.ExceptionDetail{Wave: "W1", Line: 1, Location: "A-01", SKU: "MUG-1", Qty: 1}},
				{ID: 2, Station: "PACK-01", Order: "SO-2", Kind: "duplicate-sscc", Reason: "SSCC 000000000000000017 is on another order's carton", At: nine.Add(21 * time.Minute)}}},
		Story: protocol.OrderStory{At: now, Order: "SO-2", Status: "picking", Wave: "W1",
			Lines: []protocol.StoryLine{{Line: 1, SKU: "MUG-RED", Ordered: 2, Picked: 2}, {Line: 2, SKU: "TEA-GREEN-250G", Ordered: 1}},
			Events: []protocol.StoryEvent{
				{At: nine.Add(4 * time.Minute), Station: "CART-01", Seq: 3, Operator: "B1", Type: "pick.units_picked", What: "1 × MUG-RED from A-01-02 into T00007", Status: "accepted"},
				{At: nine.Add(6 * time.Minute), Station: "CART-01", Seq: 4, Operator: "B1", Type: "pick.units_picked", What: "1 × MUG-RED from A-01-02 into T00007", Status: "accepted"},
				{At: nine.Add(21 * time.Minute), Station: "PACK-01", Seq: 2, Operator: "B3", Type: "pack.carton_closed", What: "carton 000000000000000017", Status: "rejected",
					Reason: "SSCC 000000000000000017 is on another order's carton"}}},
	}
}

func TestScreensGolden(t *testing.T) {
	views := map[string]supervisepage.View{"waves": supervisepage.ViewWaves, "wave": supervisepage.ViewWave,
		"people": supervisepage.ViewPeople, "exceptions": supervisepage.ViewExceptions, "health": supervisepage.ViewHealth,
		"order": supervisepage.ViewOrder}
	for name, v := range views {
		for _, size := range [][2]int{{120, 40}, {80, 24}, {40, 16}} {
			w, h := size[0], size[1]
			online := name != "waves" || w != 80 // one offline screen: "as of"
			got := board(v, online).Screen(w, h)
			lines := strings.Split(got, "\n")
			if len(lines) != h {
				t.Fatalf("%s at %dx%d: %d lines", name, w, h, len(lines))
			}
			for i, l := range lines {
				if n := utf8.RuneCountInString(l); n != w {
					t.Fatalf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, n, l)
				}
			}
			file := filepath.Join("testdata", fmt.Sprintf("%s_%dx%d.golden", name, w, h))
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("%s at %dx%d:\n%s\nwant:\n%s", name, w, h, got, want)
			}
		}
	}
}

// TestResolveScreensGolden: the exceptions screen while resolving the
// short pick: choosing its action, then typing the reason for a
// re-release to another location.
func TestResolveScreensGolden(t *testing.T) {
	short := board(supervisepage.ViewExceptions, true).Site.Exceptions[1]
	steps := map[string]*supervisepage.Resolve{
		"resolve_action": {Exception: short, Actions: floor.FittingActions(short.Source, short.Kind), Cursor: 1, Ask: "Choose the action with ↑↓, Enter"},
		"resolve_reason": {Exception: short, Actions: floor.FittingActions(short.Source, short.Kind), Cursor: 1, Action: floor.ResolveRerelease,
			Target: "B-07", Ask: "Type the reason on the scan line, Enter"},
	}
	for name, r := range steps {
		for _, size := range [][2]int{{80, 24}, {40, 16}} {
			w, h := size[0], size[1]
			b := board(supervisepage.ViewExceptions, true)
			b.Cursor, b.Resolve = 1, r
			got := b.Screen(w, h)
			lines := strings.Split(got, "\n")
			if len(lines) != h {
				t.Fatalf("%s at %dx%d: %d lines", name, w, h, len(lines))
			}
			for i, l := range lines {
				if n := utf8.RuneCountInString(l); n != w {
					t.Fatalf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, n, l)
				}
			}
			file := filepath.Join("testdata", fmt.Sprintf("%s_%dx%d.golden", name, w, h))
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("%s at %dx%d:\n%s\nwant:\n%s", name, w, h, got, want)
			}
		}
	}
}

// TestReassignScreensGolden: a wave's reassignment from the health
// screen (CART-02, offline, has W1): asking for the cart, then the
// reason once CART-01 is typed.
func TestReassignScreensGolden(t *testing.T) {
	wave := protocol.Conflict{Station: "CART-02", Detail: &protocol.ExceptionDetail{Wave: "W1"}}
	steps := map[string]*supervisepage.Resolve{
		"reassign_target": {Exception: wave, Actions: []string{floor.ResolveReassignWave}, Action: floor.ResolveReassignWave,
			Ask: "Type or scan the cart that takes the wave"},
		"reassign_reason": {Exception: wave, Actions: []string{floor.ResolveReassignWave}, Action: floor.ResolveReassignWave,
			Target: "CART-01", Ask: "Type the reason on the scan line, Enter"},
	}
	for name, r := range steps {
		for _, size := range [][2]int{{120, 40}, {80, 24}, {40, 16}} {
			w, h := size[0], size[1]
			b := board(supervisepage.ViewHealth, true)
			b.Cursor, b.Resolve = 1, r
			got := b.Screen(w, h)
			lines := strings.Split(got, "\n")
			if len(lines) != h {
				t.Fatalf("%s at %dx%d: %d lines", name, w, h, len(lines))
			}
			for i, l := range lines {
				if n := utf8.RuneCountInString(l); n != w {
					t.Fatalf("%s at %dx%d: line %d is %d wide: %q", name, w, h, i, n, l)
				}
			}
			file := filepath.Join("testdata", fmt.Sprintf("%s_%dx%d.golden", name, w, h))
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("%s at %dx%d:\n%s\nwant:\n%s", name, w, h, got, want)
			}
		}
	}
}

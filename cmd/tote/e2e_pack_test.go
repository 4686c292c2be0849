package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
)

// benchSite is a pack bench's store before the shift: three orders whose
// totes the pick carts filled (through the pick events and their
// projection, as a cart records them).
func benchSite(t *testing.T, path string) (mug, tea string) {
	t.Helper()
	mug, tea = "0"+demo.GTIN13("061414100001"), "0"+demo.GTIN13("061414100002")
	to := floor.Address{Name: "Grace Hopper", Line1: "1 Compiler Way", City: "Arlington", Region: "VA", PostalCode: "22201", Country: "US"}
	line := func(o string, n int, sku string, qty int) floor.OrderLine {
		return floor.OrderLine{OrderID: o, LineNo: n, SKU: sku, Qty: qty}
	}
	task := func(id int64, o string, n int, sku string, qty int) floor.PickTask {
		return floor.PickTask{ID: id, WaveID: "W1", OrderID: o, LineNo: n, Location: "A-01-01-1", SKU: sku, Qty: qty, Status: floor.TaskOpen, SortKey: int(id)}
	}
	site := store.Site{
		Operators: []floor.Operator{{Badge: "B2001", Name: "Pam Packer", Roles: []floor.Role{floor.RolePacker}}},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", Aisle: 1, Bay: 1, Level: 1, WalkSeq: 1}},
		Items: []floor.Item{
			{SKU: "MUG-RED", Description: "Red mug", GTINs: []string{mug}, UnitWeightG: 300, LengthMM: 120, WidthMM: 90, HeightMM: 100},
			{SKU: "TEA-LOT", Description: "Tea tin", GTINs: []string{tea}, UnitWeightG: 200, LengthMM: 80, WidthMM: 80, HeightMM: 100, LotControlled: true},
		},
		Orders: []floor.Order{
			{ID: "ORD-0001", Customer: "Grace Hopper", Status: floor.OrderOpen, ShipTo: to, Lines: []floor.OrderLine{line("ORD-0001", 1, "MUG-RED", 2), line("ORD-0001", 2, "TEA-LOT", 1)}},
			{ID: "ORD-0004", Customer: "Grace Hopper", Status: floor.OrderOpen, ShipTo: to, Lines: []floor.OrderLine{line("ORD-0004", 1, "MUG-RED", 1)}},
		},
		Waves: []floor.Wave{{ID: "W1", Status: "done"}},
		Tasks: []floor.PickTask{task(1, "ORD-0001", 1, "MUG-RED", 2), task(2, "ORD-0001", 2, "TEA-LOT", 1), task(3, "ORD-0004", 1, "MUG-RED", 1)},
	}
	st, err := store.Open(context.Background(), path, "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.LoadSite(context.Background(), site); err != nil {
		t.Fatal(err)
	}
	// As the hub's first pull would: labels need the station's number.
	if err := st.SetStationNumber(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	unit := func(task int64, qty int, tote, lot string) floor.Event {
		return floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: task}, Qty: qty, Tote: tote, Lot: lot})
	}
	if _, err := st.Commit(context.Background(), time.Now(), []floor.Event{
		unit(1, 2, "T00001", ""), unit(2, 1, "T00001", "L42"), unit(3, 1, "T00004", ""),
	}, nil); err != nil {
		t.Fatal(err)
	}
	return mug, tea
}

// TestPackBenchEndToEnd runs `tote station` as a pack bench on virtual
// devices: the scanner sim drives a whole pack, the scale sim first weighs
// a carton out of tolerance (the mismatch path) and then right, and the
// printer sim receives exactly one label carrying the shipment's SSCC and
// tracking number. A second order is put on hold while its carton is on the
// scale: no label prints for it.
func TestPackBenchEndToEnd(t *testing.T) {
	dir := t.TempDir()
	mug, tea := benchSite(t, filepath.Join(dir, "station.db"))
	scanner, err := sim.NewScanner(filepath.Join(dir, "scanner"), sim.ScannerOptions{Suffix: "CRLF"})
	if err != nil {
		t.Fatal(err)
	}
	defer scanner.Close()
	printer, err := sim.NewPrinter(filepath.Join(dir, "printer"), filepath.Join(dir, "printed"))
	if err != nil {
		t.Fatal(err)
	}
	defer printer.Close()
	scale, err := sim.NewScale(filepath.Join(dir, "scale"), sim.ProtocolMTSICS)
	if err != nil {
		t.Fatal(err)
	}
	defer scale.Close()
	cfg := filepath.Join(dir, "station.toml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`[station]
id = "PACK-01"
site = "DC1"
data_dir = %q
roles = ["packer", "supervisor"]

[pack]
tracking_prefix = "TB1"

[[scanners]]
name = "bench-scanner"
port = %q

[[printers]]
name = "bench-zebra"
transport = "serial"
port = %q
dpi = 203

[[scales]]
name = "bench-scale"
port = %q
protocol = "mt-sics"
`, dir, scanner.Path(), printer.Path(), scale.Path())), 0o600); err != nil {
		t.Fatal(err)
	}

	term := startTote(t, "station", "--config", cfg)
	term.waitFor("Scan your badge")
	term.waitFor("● bench-scale")
	scan := func(data string) {
		t.Helper()
		if err := scanner.Send(data); err != nil {
			t.Fatal(err)
		}
	}
	scan("B2001")
	term.waitFor("Hello Pam Packer")
	scan("T00001")
	term.waitFor("3 units on 2 lines")
	scan(mug[1:])
	term.waitFor("MUG-RED 1 of 2")
	scan(mug[1:])
	term.waitFor("MUG-RED 2 of 2")
	scan(tea[1:])
	term.waitFor("lot")
	scan("L42")
	term.waitFor("All 3 units verified")
	scan("CMD:COMPLETE")
	term.waitFor("BOX-")
	scan("BOX-M")
	// 2 × 300 + 200 + 250 tare = 1050 g expected, ± 52.5 g.
	scale.Set(1400, true)
	term.waitFor("WEIGHT OFF")
	scale.Set(1046, true) // the packer found the stray item: weighed again
	term.waitFor("1 label printing")

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	jobs, err := printer.WaitJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "station.db"), "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cartons, err := st.ShipmentCartons(context.Background(), "ORD-0001-1")
	if err != nil || len(cartons) != 1 {
		t.Fatalf("cartons %+v %v", cartons, err)
	}
	c := cartons[0]
	if !strings.HasPrefix(c.Tracking, "TB1") || !bytes.Contains(jobs[0].ZPL, []byte(c.SSCC)) || !bytes.Contains(jobs[0].ZPL, []byte(c.Tracking)) {
		t.Fatalf("the printed label does not carry SSCC %s and tracking %s:\n%s", c.SSCC, c.Tracking, jobs[0].ZPL)
	}
	if c.WeightG != 1046 {
		t.Fatalf("carton weighed %g g, want the scale's 1046", c.WeightG)
	}

	// The second order: on the scale when the office holds it.
	scan("T00004")
	term.waitFor("1 units on 1 lines")
	scan(mug[1:])
	term.waitFor("All 1 unit verified")
	scan("CMD:COMPLETE")
	term.waitFor("BOX-")
	scan("BOX-S")
	term.waitFor("WEIGH CARTON 1")
	// The first order's carton is still on the pan: its 1046 g is not this
	// carton's weight (issue 14). The packer lifts it off, then weighs.
	term.waitFor("not taken: empty the scale, then put the carton on")
	scale.Set(0, true)
	term.waitFor("SCALE bench-scale 0.000 kg")
	if _, err := st.ApplyPull(context.Background(), store.Pulled{Cursor: "h1", At: time.Now(), Changes: []store.Change{
		{Holds: &store.OrderHolds{Order: "ORD-0004", Holds: []floor.Hold{{Reason: "INCORRECT_ADDRESS"}}}}}}); err != nil {
		t.Fatal(err)
	}
	scale.Set(421, true) // 300 + 120 tare
	term.waitFor("NO LABEL")
	term.waitFor("INCORRECT_ADDRESS")
	waiting, err := st.PrintJobs(context.Background(), "bench-zebra")
	if err != nil || len(waiting) != 1 {
		t.Fatalf("print jobs after the hold: %+v %v", waiting, err)
	}
	// Exactly one label reached the printer, the first order's.
	if got := printer.Jobs(); len(got) != 1 {
		t.Fatalf("the printer received %d labels, want 1", len(got))
	}
	term.typeKeys("\x03")
}

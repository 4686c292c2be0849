package tui

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/packbench"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui/packpage"
)

// packBench is a real station's packing bench over a real SQLite store
// that holds the given orders as a pick cart left them (see newPackBench).
type packBench struct {
	*syncStation
	t     *testing.T
	store *store.Store
}

var packDay = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// The bench's people: a packer, a packer with a PIN, a supervisor with a PIN.
var (
	pam = floor.Operator{Badge: "B2001", Name: "Pam Packer", Roles: []floor.Role{floor.RolePacker}}
	pia = floor.Operator{Badge: "B2002", Name: "Pia Packer", Roles: []floor.Role{floor.RolePacker}, PINHash: floor.HashPIN("B2002", "4711")}
	sid = floor.Operator{Badge: "B9002", Name: "Sid Supervisor", Roles: []floor.Role{floor.RoleSupervisor}, PINHash: floor.HashPIN("B9002", "2468")}
	sue = floor.Operator{Badge: "B9001", Name: "Sue Supervisor", Roles: []floor.Role{floor.RoleSupervisor}}
)

const (
	gMug = "04006381333931"
	gVit = "09501101530010"
	gTab = "09501101530027"
	gGas = "09501101530034"
	gCup = "09501101530003"
)

// fiveLines is ORD-0001: a plain line, a lot line, a serial line, a hazmat
// line and a short-picked line.
func fiveLines() floor.PackOrder {
	return floor.PackOrder{ID: "ORD-0001", Customer: "Café Nordlicht", Status: floor.OrderPicked, Lines: []floor.PackLine{
		{LineNo: 1, SKU: "MUG-RED", Description: "Red mug", GTINs: []string{gMug}, Ordered: 2, Picked: 2,
			UnitWeightG: 350, LengthMM: 120, WidthMM: 100, HeightMM: 100},
		{LineNo: 2, SKU: "VIT-C", Description: "Vitamin C 60 tablets", GTINs: []string{gVit}, Ordered: 3, Picked: 3, LotControlled: true,
			Lots: []floor.LotCount{{Lot: "L42", Qty: 2}, {Lot: "L43", Qty: 1}}, UnitWeightG: 80, LengthMM: 60, WidthMM: 60, HeightMM: 110},
		{LineNo: 3, SKU: "TAB-10", Description: "Tablet 10 inch", GTINs: []string{gTab}, Ordered: 2, Picked: 2, SerialControlled: true,
			Serials: []string{"SN1", "SN2"}, UnitWeightG: 500, LengthMM: 250, WidthMM: 170, HeightMM: 10},
		{LineNo: 4, SKU: "GAS-1", Description: "Lighter gas 250 ml", GTINs: []string{gGas}, Ordered: 1, Picked: 1, Hazmat: true,
			UnitWeightG: 150, LengthMM: 80, WidthMM: 30, HeightMM: 15},
		{LineNo: 5, SKU: "CUP-BLU", Description: "Blue cup", GTINs: []string{gCup}, Ordered: 3, Picked: 1, Short: 2,
			UnitWeightG: 200, LengthMM: 100, WidthMM: 100, HeightMM: 90},
	}}
}

// twoMugs is ORD-0002: two mugs, so it can be packed complete.
func twoMugs() floor.PackOrder {
	o := fiveLines()
	o.ID, o.Customer, o.Lines = "ORD-0002", "Ada Lovelace", o.Lines[:1]
	return o
}

// packShipTo is where every test order goes.
var packShipTo = floor.Address{Name: "Ada Lovelace", Line1: "12 Analytical Row", City: "London", PostalCode: "N1 7AA", Country: "GB"}

// newPackBench loads the orders into a real store as a pick cart would
// leave them: items, lines and pick tasks from the snapshots, then the
// units.picked (lots and serials too) and task.picked / task.short events a
// cart commits, each order into its own tote T00001, T00002, … Then it opens
// a real pack station on the store, labelling for printer zebra-1.
func newPackBench(t *testing.T, hasScale bool, orders ...floor.PackOrder) *packBench {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	site := store.Site{
		Operators: []floor.Operator{pam, pia, sid, sue},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", Aisle: 1, Bay: 1, Level: 1, WalkSeq: 1}},
		Waves:     []floor.Wave{{ID: "W1", Status: "done"}},
	}
	items := map[string]bool{}
	var picks []floor.Event
	for i, o := range orders {
		tote := fmt.Sprintf("T%05d", i+1)
		order := floor.Order{ID: o.ID, Customer: o.Customer, Status: o.Status, Holds: o.Holds, ShipTo: packShipTo}
		for _, l := range o.Lines {
			if !items[l.SKU] {
				items[l.SKU] = true
				site.Items = append(site.Items, floor.Item{SKU: l.SKU, Description: l.Description, GTINs: l.GTINs,
					UnitWeightG: l.UnitWeightG, LengthMM: l.LengthMM, WidthMM: l.WidthMM, HeightMM: l.HeightMM,
					LotControlled: l.LotControlled, SerialControlled: l.SerialControlled, Hazmat: l.Hazmat})
			}
			order.Lines = append(order.Lines, floor.OrderLine{OrderID: o.ID, LineNo: l.LineNo, SKU: l.SKU, Qty: l.Ordered})
			task := int64(len(site.Tasks) + 1)
			site.Tasks = append(site.Tasks, floor.PickTask{ID: task, WaveID: "W1", OrderID: o.ID, LineNo: l.LineNo,
				Location: "A-01-01-1", SKU: l.SKU, Qty: l.Ordered, Status: floor.TaskOpen, SortKey: int(task)})
			unit := func(qty int, lot, serial string) {
				picks = append(picks, floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{
					TaskPayload: floor.TaskPayload{Task: task, Order: o.ID}, Qty: qty, Tote: tote, Lot: lot, Serial: serial}))
			}
			switch {
			case len(l.Serials) > 0:
				for _, sn := range l.Serials {
					unit(1, "", sn)
				}
			case len(l.Lots) > 0:
				for _, lc := range l.Lots {
					unit(lc.Qty, lc.Lot, "")
				}
			case l.Picked > 0:
				unit(l.Picked, "", "")
			}
			if l.Short > 0 {
				picks = append(picks, floor.NewEvent(floor.EvTaskShort, "B1001", floor.ShortPayload{
					TaskPayload: floor.TaskPayload{Task: task, Order: o.ID}, Picked: l.Picked, Short: l.Short, Reason: "not-found"}))
			} else {
				picks = append(picks, floor.NewEvent(floor.EvTaskPicked, "B1001", floor.TaskPayload{Task: task, Order: o.ID}))
			}
		}
		site.Orders = append(site.Orders, order)
	}
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	// As the hub's first pull would: labels need the station's number.
	if err := st.SetStationNumber(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Commit(ctx, packDay, picks, nil); err != nil {
		t.Fatal(err)
	}
	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	stn, err := station.Open(ctx, st, in, station.Options{Bench: station.BenchPack, Now: func() time.Time { return packDay },
		Pack: station.PackOptions{Rules: config.Default().Pack, Printer: "zebra-1"}})
	if err != nil {
		t.Fatal(err)
	}
	stn.SetScale(hasScale)
	return &packBench{syncStation: &syncStation{stn: stn}, t: t, store: st}
}

// cancel cancels an order centrally, as a pull from the hub does.
func (b *packBench) cancel(order string) {
	b.t.Helper()
	if _, err := b.store.ApplyPull(context.Background(), store.Pulled{Cursor: "c-" + order, At: packDay,
		Changes: []store.Change{{Cancel: &store.Cancellation{Order: order, Reason: "customer"}}}}); err != nil {
		b.t.Fatal(err)
	}
}

// printed marks every queued label printed, as the spooler does once the
// printer took it (a label not printed yet is never reprinted).
func (b *packBench) printed() {
	b.t.Helper()
	ctx := context.Background()
	jobs, err := b.store.PrintJobs(ctx, "zebra-1")
	if err != nil {
		b.t.Fatal(err)
	}
	for _, j := range jobs {
		if ok, err := b.store.StartSending(ctx, packDay, j.ID); !ok || err != nil {
			b.t.Fatalf("job %d: %v %v", j.ID, ok, err)
		}
		if err := b.store.MarkSent(ctx, packDay, j.ID); err != nil {
			b.t.Fatal(err)
		}
	}
}

// labels counts the shipping labels queued (reprints not counted).
func (b *packBench) labels() int {
	b.t.Helper()
	jobs, err := b.store.PrintJobs(context.Background(), "zebra-1")
	if err != nil {
		b.t.Fatal(err)
	}
	n := 0
	for _, j := range jobs {
		if j.ReprintOf == 0 {
			n++
		}
	}
	return n
}

func newPackHarness(t *testing.T, w, h int, hasScale bool, opts Options, orders ...floor.PackOrder) (*harness, *packBench) {
	t.Helper()
	b := newPackBench(t, hasScale, orders...)
	opts.Station = "PACK-01"
	initial := b.stn.Snapshot().State.(pack.State)
	initial.HasScale = hasScale
	hs := &harness{t: t, ss: b, m: New(b, nil, station.Outcome{Bench: station.BenchPack, State: initial}, opts)}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs, b
}

// packAt is a packing bench's snapshot in state s, for a page to open.
func packAt(s pack.State) station.Outcome {
	return station.Outcome{Bench: station.BenchPack, State: s}
}

func (h *harness) packPage() packpage.Page { return h.m.page.(packpage.Page) }

func (h *harness) packState() pack.State { return h.packPage().State() }

func (h *harness) wantStep(step pack.Step) {
	h.t.Helper()
	if got := h.packState().Step; got != step {
		h.t.Fatalf("step %s, want %s; screen:\n%s", got, step, h.screen())
	}
}

// weigh sends a stable scale reading as the station does when the step is
// weigh or mismatch, and shows it on the screen as the cmd layer does.
func (h *harness) weigh(g float64) {
	h.send(ScaleMsg{Scale: "bench-scale", Grams: g, Stable: true})
	h.m.sub.Submit(station.Action{Weight: &pack.ScaleReading{Grams: g}})
	h.send(nil)
}

// packScreens walks the pack bench through every screen the goldens keep,
// at one size.
func packScreens(t *testing.T, w, hgt int) {
	size := strconv.Itoa(w) + "x" + strconv.Itoa(hgt)
	held := twoMugs()
	held.ID, held.Holds = "ORD-0003", []floor.Hold{{Reason: "INCORRECT_ADDRESS", Note: "no house number"}}
	h, _ := newPackHarness(t, w, hgt, true, Options{}, fiveLines(), twoMugs(), held)

	h.typeLine("B2001")
	h.wantStep(pack.StepOrder)
	h.golden("pack_order_" + size)

	// Several lines, one short, one lot, one hazmat; an open carton.
	h.typeLine("ORD-0001")
	h.typeLine(gMug)
	h.typeLine(gMug)
	h.typeLine("BOX-M")
	h.typeLine(gCup)
	h.wantStep(pack.StepVerify)
	h.golden("pack_verify_" + size)

	h.typeLine(gVit)
	h.wantStep(pack.StepLot)
	h.golden("pack_lot_" + size)
	h.typeLine("L42")
	h.press(tea.KeyEscape) // put aside? confirm screen
	h.wantStep(pack.StepSetAside)
	h.typeLine("") // yes: the bench is free

	// Two mugs: close the carton, box suggestion, weighing, mismatch, supervisor.
	h.typeLine("T00002")
	h.typeLine(gMug)
	h.typeLine(gMug)
	h.press(tea.KeyF4)
	h.wantStep(pack.StepBox)
	h.golden("pack_box_" + size)
	h.typeLine("")
	h.wantStep(pack.StepWeigh)
	h.send(ScaleMsg{Scale: "bench-scale", Grams: 962, Stable: true})
	h.golden("pack_weigh_scale_" + size)
	h.weigh(1200)
	h.wantStep(pack.StepMismatch)
	h.golden("pack_mismatch_" + size)
	h.press(tea.KeyF8)
	h.wantStep(pack.StepSupervisor)
	h.golden("pack_supervisor_" + size)
	h.press(tea.KeyEscape)
	h.wantStep(pack.StepMismatch)

	// Take one mug out: weigh again as one carton of one, then the second
	// mug in carton 2 and pack complete: two labels.
	h.press(tea.KeyEscape)
	h.press(tea.KeyF3)
	h.press(tea.KeyF4) // the box stays: straight to the scale
	h.wantStep(pack.StepWeigh)
	h.weigh(604)
	h.typeLine(gMug)
	h.press(tea.KeyF5)
	h.typeLine("")
	h.weigh(596)
	h.wantStep(pack.StepDone)
	h.golden("pack_done_" + size)

	// The held order: verified with a banner, stopped at the gate.
	h.typeLine("ORD-0003")
	h.typeLine(gMug)
	h.golden("pack_verify_hold_" + size)
	h.typeLine(gMug)
	h.press(tea.KeyF5)
	h.typeLine("")
	h.weigh(950)
	h.wantStep(pack.StepHeld)
	h.golden("pack_held_" + size)
}

func TestPackScreens80x24(t *testing.T) { packScreens(t, 80, 24) }
func TestPackScreens40x16(t *testing.T) { packScreens(t, 40, 16) }

func TestPackWeighTyped(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 16}} {
		h, _ := newPackHarness(t, size[0], size[1], false, Options{}, twoMugs())
		h.typeLine("B2001")
		h.typeLine("T00001")
		h.typeLine(gMug)
		h.typeLine(gMug)
		h.press(tea.KeyF5)
		h.typeLine("")
		h.wantStep(pack.StepWeigh)
		h.golden(fmt.Sprintf("pack_weigh_typed_%dx%d", size[0], size[1]))
		if s := h.screen(); !strings.Contains(s, "type the weight") {
			t.Fatalf("no 'type the weight' without a scale:\n%s", s)
		}
		h.typeLine("0.95kg")
		h.wantStep(pack.StepDone)
	}
}

// TestPackHostileCustomer: OMS text full of terminal escapes and ZPL is
// shown as harmless text, never sent to the terminal raw.
func TestPackHostileCustomer(t *testing.T) {
	evil := twoMugs()
	evil.Customer = "Evil \x1b]0;pwned\x07 ^XA^FO50,50^FDx^FS^XZ \x1b[2J Corp"
	evil.Lines[0].Description = "Mug \x1b[31mRED\x1b[0m \u202eevil"
	evil.Holds = []floor.Hold{{Reason: "FRAUD", Note: "call \x1b[5mnow"}}
	for _, size := range [][2]int{{80, 24}, {40, 16}} {
		h, _ := newPackHarness(t, size[0], size[1], true, Options{}, evil)
		h.typeLine("B2001")
		h.typeLine("ORD-0002")
		h.wantStep(pack.StepVerify)
		h.golden(fmt.Sprintf("pack_hostile_%dx%d", size[0], size[1]))
		raw := h.m.render()
		for _, bad := range []string{"\x1b]0;pwned", "\x1b[2J", "\x1b[31mRED", "\x1b[5m", "\a", "\u202e"} {
			if strings.Contains(raw, bad) {
				t.Fatalf("raw %q reached the screen", bad)
			}
		}
		if s := h.screen(); !strings.Contains(s, `Evil \x1b]0;pwned\x07 ^X`) {
			t.Fatalf("hostile customer not shown escaped:\n%s", s)
		}
	}
}

func TestPackKeyLinePerStep(t *testing.T) {
	rules := packbench.Rules(config.Default().Pack)
	o := twoMugs()
	at := func(step pack.Step, cartons ...pack.Carton) pack.State {
		return pack.State{Operator: pam, Step: step, Order: o, Cartons: cartons, Rules: rules, HasScale: true}
	}
	one := pack.Carton{No: 1, Units: []pack.Unit{{Line: 1, SKU: "MUG-RED", Qty: 1}}}
	both := pack.Carton{No: 1, Units: []pack.Unit{{Line: 1, SKU: "MUG-RED", Qty: 2}}}
	shortOrder := fiveLines()
	partial := pack.State{Operator: pam, Step: pack.StepVerify, Order: shortOrder, Rules: rules,
		Cartons: []pack.Carton{{No: 1, Units: []pack.Unit{{Line: 5, SKU: "CUP-BLU", Qty: 1}}}}}
	done := at(pack.StepDone, pack.Carton{No: 1, Box: "BOX-M", Units: both.Units, Closed: true})
	done.Shipment = "ORD-0002-1"
	shipped := done
	shipped.Shipped = true
	held := at(pack.StepHeld, pack.Carton{No: 1, Box: "BOX-M", Units: both.Units, Closed: true})
	held.Held, held.Finishing = true, pack.FinishComplete
	cases := []struct {
		name  string
		state pack.State
		want  string
	}{
		{"login", pack.State{Step: pack.StepLogin}, "F1 help"},
		{"pin", pack.State{Step: pack.StepPIN}, "F1 help  Esc cancel"},
		{"order", at(pack.StepOrder), "F1 help  F10 logout"},
		{"verify, nothing scanned", at(pack.StepVerify), "F1 help  F2 qty  Esc cancel  F10 logout"},
		{"verify, one of two", at(pack.StepVerify, one), "F1 help  F2 qty  F3 undo  F4 close  F6 partial  Esc cancel  F10 logout"},
		{"verify, all verified", at(pack.StepVerify, both), "F1 help  F2 qty  F3 undo  F4 close  F5 complete  Esc cancel  F10 logout"},
		{"verify, short line", partial, "F1 help  F2 qty  F3 undo  F4 close  F6 partial  Esc cancel  F10 logout"},
		{"lot", at(pack.StepLot, one), "F1 help  Esc cancel  F10 logout"},
		{"box", at(pack.StepBox, both), "F1 help  Esc cancel  F10 logout"},
		{"weigh", at(pack.StepWeigh, both), "F1 help  Esc cancel  F10 logout"},
		{"mismatch", at(pack.StepMismatch, both), "F1 help  F7 reopen  F8 override  Esc cancel  F10 logout"},
		{"supervisor", at(pack.StepSupervisor, both), "F1 help  Esc cancel  F10 logout"},
		{"held", held, "F1 help  F5 complete  F10 logout"},
		{"done", done, "F1 help  F9 reprint  F11 void  F10 logout"},
		{"done and shipped", shipped, "F1 help  F9 reprint  F10 logout"},
		{"reprint", at(pack.StepReprintReason), "F1 help  Esc cancel  F10 logout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := New(nil, nil, packAt(c.state), Options{})
			next, _ := m.Update(tea.WindowSizeMsg{Width: 132, Height: 40})
			m = next.(Model)
			lines := strings.Split(ansi.Strip(m.render()), "\n")
			if got := strings.TrimRight(lines[len(lines)-1], " "); got != c.want {
				t.Fatalf("key line %q, want %q", got, c.want)
			}
		})
	}
}

func TestPackKeyThatDoesNothingSaysWhy(t *testing.T) {
	h, _ := newPackHarness(t, 80, 24, true, Options{}, twoMugs())
	h.typeLine("B2001")
	h.typeLine("ORD-0002")
	h.typeLine(gMug)
	cmd := h.press(tea.KeyF5)
	if bellIn(cmd) || h.packState().Step != pack.StepVerify {
		t.Fatalf("F5 went to the workflow; step %s", h.packState().Step)
	}
	if s := h.screen(); !strings.Contains(s, "F5 does nothing here: line 1 (MUG-RED): 1 of 2 verified") {
		t.Fatalf("no reason:\n%s", s)
	}
	h.press(tea.KeyF7)
	if s := h.screen(); !strings.Contains(s, "F7 does nothing here") {
		t.Fatalf("F7 at verify:\n%s", s)
	}
}

// TestPackCommandBarcodeAndKeyAreTheSame: F4 and a scan of CMD:CLOSE both
// close the carton.
func TestPackCommandBarcodeAndKeyAreTheSame(t *testing.T) {
	for _, viaKey := range []bool{true, false} {
		h, _ := newPackHarness(t, 80, 24, true, Options{}, twoMugs())
		h.typeLine("B2001")
		h.typeLine("T00001")
		h.typeLine(gMug)
		if viaKey {
			h.press(tea.KeyF4)
		} else {
			h.typeLine(floor.CmdCloseCarton.Barcode())
		}
		h.wantStep(pack.StepBox)
	}
}

func TestPackSupervisorPINIsMasked(t *testing.T) {
	h, _ := newPackHarness(t, 80, 24, true, Options{}, twoMugs())
	h.typeLine("B2001")
	h.typeLine("T00001")
	h.typeLine(gMug)
	h.typeLine(gMug)
	h.press(tea.KeyF5)
	h.typeLine("")
	h.weigh(1300)
	h.wantStep(pack.StepMismatch)
	h.press(tea.KeyF8)
	h.typeLine("B9002")
	h.wantStep(pack.StepSupervisorPIN)
	for _, r := range "2468" {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if s := h.screen(); strings.Contains(s, "2468") || !strings.Contains(s, "> ••••") {
		t.Fatalf("supervisor PIN visible or not masked:\n%s", s)
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	h.wantStep(pack.StepReason)
	h.typeLine("scale tested")
	if s := h.screen(); !strings.Contains(s, "> █") {
		t.Fatalf("reason line not cleared:\n%s", s)
	}
	h.wantStep(pack.StepDone)
}

func TestPackLoginPINIsMasked(t *testing.T) {
	h, _ := newPackHarness(t, 40, 16, true, Options{})
	h.typeLine("B2002")
	h.wantStep(pack.StepPIN)
	for _, r := range "4711" {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if s := h.screen(); strings.Contains(s, "4711") || !strings.Contains(s, "> ••••") {
		t.Fatalf("PIN visible or not masked:\n%s", s)
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	h.wantStep(pack.StepOrder)
}

func TestPackErrorRingsTheBell(t *testing.T) {
	h, _ := newPackHarness(t, 80, 24, true, Options{}, twoMugs())
	h.typeLine("B2001")
	if cmd := h.typeLine("ORD-0002"); bellIn(cmd) {
		t.Fatal("an accepted order rang the bell")
	}
	cmd := h.typeLine(gGas) // an item of another order
	if !bellIn(cmd) {
		t.Fatal("a wrong item did not ring the bell")
	}
	if s := h.screen(); !strings.Contains(s, "✖ Unknown barcode 09501101530034: not an item of order ORD-0002") {
		t.Fatalf("screen:\n%s", s)
	}
}

func TestPackWarnIsAmberWithAMark(t *testing.T) {
	held := twoMugs()
	held.Holds = []floor.Hold{{Reason: "INCORRECT_ADDRESS"}}
	h, _ := newPackHarness(t, 80, 24, true, Options{}, held)
	h.typeLine("B2001")
	if cmd := h.typeLine("ORD-0002"); bellIn(cmd) {
		t.Fatal("a warning rang the bell: only errors do")
	}
	if h.m.feedback.Level != floor.Warn {
		t.Fatalf("feedback %+v, want a warning", h.m.feedback)
	}
	s := h.screen()
	if !strings.Contains(s, "! Order ORD-0002 is ON HOLD (INCORRECT_ADDRESS)") {
		t.Fatalf("warning not shown with its mark:\n%s", s)
	}
	// The same words as an error and as plain news look different from
	// the warning: the colour tells them apart at a glance.
	warn := h.m.feedbackBlock(80)
	for _, l := range []floor.Level{floor.Error, floor.Info} {
		other := h.m
		other.feedback.Level = l
		if got := other.feedbackBlock(80); got == warn {
			t.Fatalf("a warning renders like level %d: %q", l, warn)
		}
	}
}

func TestPackScaleReadingIsShown(t *testing.T) {
	h, _ := newPackHarness(t, 80, 24, true, Options{}, twoMugs())
	h.typeLine("B2001")
	h.typeLine("T00001")
	h.typeLine(gMug)
	h.typeLine(gMug)
	h.press(tea.KeyF4)
	h.typeLine("")
	h.wantStep(pack.StepWeigh)
	if s := h.screen(); !strings.Contains(s, "SCALE no reading yet") || !strings.Contains(s, "EXPECTED 950 g ± 50 g") {
		t.Fatalf("before a reading:\n%s", s)
	}
	for _, c := range []struct {
		msg  ScaleMsg
		want string
	}{
		{ScaleMsg{Scale: "bench-scale", Grams: 1234, Stable: false}, "SCALE bench-scale 1.234 kg moving…"},
		{ScaleMsg{Scale: "bench-scale", Grams: 1234, Stable: true}, "SCALE bench-scale 1.234 kg stable 284 g over"},
		{ScaleMsg{Scale: "bench-scale", Grams: 948, Stable: true}, "SCALE bench-scale 0.948 kg stable ✔ within"},
		// The last carton's weight, not taken (pack.ScaleArm): no verdict on it.
		{ScaleMsg{Scale: "bench-scale", Grams: 948, Stable: true, Note: pack.LiftFirstNote},
			"SCALE bench-scale 0.948 kg not taken: empty the scale, then put the carton on"},
		{ScaleMsg{Scale: "bench-scale", Problem: "overload"}, "SCALE bench-scale overload"},
	} {
		h.send(c.msg)
		if s := h.screen(); !strings.Contains(s, c.want) {
			t.Fatalf("after %+v, want %q:\n%s", c.msg, c.want, s)
		}
	}
	if h.m.scale == nil || h.m.scale.Problem != "overload" {
		t.Fatalf("the latest reading is not kept: %+v", h.m.scale)
	}
	if h.packState().Step != pack.StepWeigh {
		t.Fatal("a reading on the screen changed the workflow: only the station weighs")
	}
}

func TestNextPackScan(t *testing.T) {
	rules := packbench.Rules(config.Default().Pack)
	o := fiveLines()
	at := func(step pack.Step, p pack.Pending, cartons ...pack.Carton) pack.State {
		return pack.State{Operator: pam, Step: step, Pending: p, Order: o, Cartons: cartons, Rules: rules, HasScale: true}
	}
	mugs := pack.Carton{No: 1, Box: "BOX-M", Units: []pack.Unit{{Line: 1, SKU: "MUG-RED", Qty: 2}}}
	lot42 := pack.Carton{No: 1, Units: []pack.Unit{{Line: 2, SKU: "VIT-C", Qty: 2, Lot: "L42"}}}
	sn1 := pack.Carton{No: 1, Units: []pack.Unit{{Line: 3, SKU: "TAB-10", Qty: 1, Serial: "SN1"}}}
	gas := pack.Carton{No: 2, Units: []pack.Unit{{Line: 4, SKU: "GAS-1", Qty: 1}}}
	noScale := at(pack.StepWeigh, pack.Pending{}, mugs)
	noScale.HasScale = false
	all := at(pack.StepVerify, pack.Pending{}, pack.Carton{No: 1, Units: []pack.Unit{
		{Line: 1, SKU: "MUG-RED", Qty: 2}, {Line: 2, SKU: "VIT-C", Qty: 2, Lot: "L42"}, {Line: 2, SKU: "VIT-C", Qty: 1, Lot: "L43"},
		{Line: 3, SKU: "TAB-10", Qty: 1, Serial: "SN1"}, {Line: 3, SKU: "TAB-10", Qty: 1, Serial: "SN2"}, {Line: 5, SKU: "CUP-BLU", Qty: 1}}, Closed: true}, gas)
	fresh := []string{"T00007", "ORD-0009"}
	cases := []struct {
		name       string
		state      pack.State
		hints      []string
		next, note string
	}{
		{"order: the first hint", pack.State{Operator: pam, Step: pack.StepOrder}, fresh, "T00007", ""},
		{"order: no hints left", pack.State{Operator: pam, Step: pack.StepOrder}, nil, "", "Scan a tote, an order or a pick ticket"},
		{"verify: the first line's GTIN, leading 0 dropped", at(pack.StepVerify, pack.Pending{}), nil, gMug[1:], ""},
		{"verify: the next line with units left", at(pack.StepVerify, pack.Pending{}, mugs), nil, gVit[1:], ""},
		{"verify: hazmat carton open, close it", at(pack.StepVerify, pack.Pending{}, pack.Carton{No: 1, Units: []pack.Unit{{Line: 4, SKU: "GAS-1", Qty: 1}}}), nil, "CMD:CLOSE", ""},
		{"verify: all verified, short line: partial", all, nil, "CMD:PARTIAL", ""},
		{"lot: a picked lot not yet verified", at(pack.StepLot, pack.Pending{Line: 2, Qty: 1}, lot42), nil, "L43", ""},
		{"lot: the first lot", at(pack.StepLot, pack.Pending{Line: 2, Qty: 1}), nil, "L42", ""},
		{"serial: a picked serial not yet verified", at(pack.StepSerial, pack.Pending{Line: 3, Qty: 1}, sn1), nil, "SN2", ""},
		{"box: Enter", at(pack.StepBox, pack.Pending{}, mugs), nil, "", "Enter takes the suggestion"},
		{"weigh with a scale", at(pack.StepWeigh, pack.Pending{}, mugs), nil, "", "The scale sends the weight"},
		{"weigh typed: the expected grams", noScale, nil, "950", ""},
		{"done: the next hint", pack.State{Operator: pam, Step: pack.StepDone, Order: o, Shipment: "ORD-0001-1"}, fresh[1:], "ORD-0009", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			next, note := hints.Pack(c.state, c.hints)
			if next != c.next || note != c.note {
				t.Fatalf("nextPackScan = %q, %q; want %q, %q", next, note, c.next, c.note)
			}
		})
	}
	// With only the hazmat unit left and other goods in the open carton,
	// the hint is to close the carton.
	hz := at(pack.StepVerify, pack.Pending{}, pack.Carton{No: 1, Units: []pack.Unit{
		{Line: 1, SKU: "MUG-RED", Qty: 2}, {Line: 2, SKU: "VIT-C", Qty: 2, Lot: "L42"}, {Line: 2, SKU: "VIT-C", Qty: 1, Lot: "L43"},
		{Line: 3, SKU: "TAB-10", Qty: 1, Serial: "SN1"}, {Line: 3, SKU: "TAB-10", Qty: 1, Serial: "SN2"}, {Line: 5, SKU: "CUP-BLU", Qty: 1}}})
	if next, _ := hints.Pack(hz, nil); next != "CMD:CLOSE" {
		t.Fatalf("hazmat left with other goods in the open carton: %q, want CMD:CLOSE", next)
	}
}

// TestPackDemoF12PacksAnOrder: in the demo, F12 and Enter alone pack an
// order from the first hint to its label, and the next F12 offers the next
// hint.
func TestPackDemoF12PacksAnOrder(t *testing.T) {
	h, _ := newPackHarness(t, 80, 24, false, Options{Demo: true, Hints: []string{"T00001", "T00002"}}, fiveLines(), twoMugs())
	h.typeLine("B2001")
	if s := h.screen(); !strings.Contains(s, "T00001") || !strings.Contains(s, "F12 scans it for you") {
		t.Fatalf("demo panel has no hint:\n%s", s)
	}
	for i := 0; i < 60 && h.packState().Step != pack.StepDone; i++ {
		if next, _ := hints.Pack(h.packState(), h.packPage().Fresh(h.m.ctx())); next == "" {
			h.typeLine("") // Enter: the box suggestion, a confirmation
			continue
		}
		h.press(tea.KeyF12)
	}
	h.wantStep(pack.StepDone)
	// The hazmat unit ships alone; the short cup makes it a partial.
	if s := h.packState(); len(s.Cartons) != 2 || !s.Partial {
		t.Fatalf("%d cartons, partial %v; want 2 cartons, partial: %+v", len(s.Cartons), s.Partial, s.Cartons)
	}
	if next, _ := hints.Pack(h.packState(), h.packPage().Fresh(h.m.ctx())); next != "T00002" {
		t.Fatalf("after packing T00001 the hint is %q, want T00002", next)
	}
}

// TestPackLabelsComeFromTheCommittedEvents: the done screen shows the SSCC
// and tracking number the station put in each label event, and a label
// event the screen cannot read is said, not hidden.
// TestPackLabelsComeFromTheOutcome: the screen shows the labels the
// outcome carries, typed, and never re-reads the journal's JSON.
func TestPackLabelsComeFromTheOutcome(t *testing.T) {
	h, _ := newPackHarness(t, 80, 24, true, Options{}, twoMugs())
	h.typeLine("B2001")
	h.typeLine("T00001")
	h.typeLine(gMug)
	h.typeLine(gMug)
	h.press(tea.KeyF5)
	h.typeLine("")
	h.weigh(951)
	h.wantStep(pack.StepDone)
	if len(h.packPage().Labels()) != 1 || !strings.Contains(h.screen(), h.packPage().Labels()[0].SSCC) || h.packPage().Labels()[0].SSCC == "" {
		t.Fatalf("labels %+v; screen:\n%s", h.packPage().Labels(), h.screen())
	}
	typed := h.packPage().Labels()[0] // the same carton, other numbers
	typed.SSCC, typed.Tracking = "009999999999999997", "ZZ0001"
	o := station.Outcome{Bench: station.BenchPack, State: h.packState(), Feedback: floor.Feedback{Level: floor.OK, Message: "Printed"},
		Labels: []floor.PackLabelPayload{typed},
		Events: []floor.Event{{Seq: 99, Type: floor.EvPackLabelRequested, Payload: json.RawMessage(`{"sscc":"001111111111111111"}`)}}}
	h.send(OutcomeMsg(o))
	if s := h.screen(); !strings.Contains(s, typed.SSCC) || strings.Contains(s, "001111111111111111") {
		t.Fatalf("the screen did not show the outcome's typed label:\n%s", s)
	}
}

func TestPackWideScreenShowsCartons(t *testing.T) {
	h, _ := newPackHarness(t, 132, 40, true, Options{}, fiveLines())
	h.typeLine("B2001")
	h.typeLine("T00001")
	h.typeLine(gMug)
	h.typeLine(gMug)
	h.press(tea.KeyF4)
	h.typeLine("")
	h.weigh(950)
	h.typeLine(gCup)
	h.golden("pack_verify_132x40")
	s := h.screen()
	if !strings.Contains(s, "CARTONS") || !strings.Contains(s, "closed 950 g") {
		t.Fatalf("no cartons panel on a wide screen:\n%s", s)
	}
}

func TestPackReprintPrompts(t *testing.T) {
	h, b := newPackHarness(t, 80, 24, true, Options{}, twoMugs())
	h.typeLine("B2001")
	h.typeLine("T00001")
	h.typeLine(gMug)
	h.press(tea.KeyF4)
	h.typeLine("")
	h.weigh(600)
	h.typeLine(gMug)
	h.press(tea.KeyF5)
	h.typeLine("")
	h.weigh(600)
	h.wantStep(pack.StepDone)
	b.printed()
	h.press(tea.KeyF9)
	h.wantStep(pack.StepReprint)
	if s := h.screen(); !strings.Contains(s, "▶ Reprint which carton? Type 1 to 2") || !strings.Contains(s, "006141410010000019") {
		t.Fatalf("reprint prompt not over the labels:\n%s", s)
	}
	h.typeLine("2")
	h.wantStep(pack.StepReprintReason)
	if s := h.screen(); !strings.Contains(s, "Why reprint carton 2? 1 label damaged · 2 label did not print · 3 label lost") {
		t.Fatalf("no reasons:\n%s", s)
	}
	h.typeLine("1")
	h.wantStep(pack.StepDone)
	if s := h.screen(); !strings.Contains(s, "✔ Reprinting the label of carton 2 of 2 (label damaged)") {
		t.Fatalf("screen:\n%s", s)
	}
	// The reprint's outcome has no label event: the labels stay on screen.
	if len(h.packPage().Labels()) != 2 || b.labels() != 2 {
		t.Fatalf("labels %d on screen, %d made", len(h.packPage().Labels()), b.labels())
	}
}

func TestPackBoxWithoutSuggestionSaysWhy(t *testing.T) {
	o := twoMugs()
	o.Lines[0].LengthMM = 0
	h, _ := newPackHarness(t, 80, 24, true, Options{}, o)
	h.typeLine("B2001")
	h.typeLine("T00001")
	h.typeLine(gMug)
	h.press(tea.KeyF4)
	h.wantStep(pack.StepBox)
	s := h.screen()
	if !strings.Contains(s, "No suggestion: MUG-RED has no dimensions on file") || !strings.Contains(s, "▶ Scan the box you choose") {
		t.Fatalf("screen:\n%s", s)
	}
	if next, note := hints.Pack(h.packState(), nil); next != "" || note != "Enter takes the suggestion" {
		t.Fatalf("hint %q %q", next, note)
	}
}

// TestPackCancelledWhilePacking: the office cancels the order; the next
// input stops the bench with a big CANCELLED and where the goods go.
func TestPackCancelledWhilePacking(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 16}} {
		h, b := newPackHarness(t, size[0], size[1], true, Options{}, twoMugs())
		h.typeLine("B2001")
		h.typeLine("T00001")
		b.cancel("ORD-0002")
		cmd := h.typeLine(gMug)
		h.wantStep(pack.StepHeld)
		if !bellIn(cmd) {
			t.Fatal("a cancellation did not ring the bell")
		}
		s := h.screen()
		for _, want := range []string{"NO LABEL · CANCELLED", "▶ Take the goods to HOLD-01"} {
			if !strings.Contains(s, want) {
				t.Fatalf("%dx%d: no %q:\n%s", size[0], size[1], want, s)
			}
		}
		if strings.Contains(s, "F5") {
			t.Fatalf("a cancelled order offers pack complete:\n%s", s)
		}
		h.typeLine("") // the goods are on the holding shelf
		h.wantStep(pack.StepOrder)
	}
}

// TestPackDemoShowsThePIN: at a PIN prompt the demo's panel says the badge's
// PIN so a newcomer can sign a supervisor in; outside the demo it never does,
// and the PIN typed stays off the screen either way.
func TestPackDemoShowsThePIN(t *testing.T) {
	for _, demo := range []bool{true, false} {
		h, _ := newPackHarness(t, 80, 24, true, Options{Demo: demo, PINs: map[string]string{"B2002": "4711"}}, twoMugs())
		h.typeLine("B2002")
		h.wantStep(pack.StepPIN)
		if got := strings.Contains(h.screen(), "demo PIN: 4711"); got != demo {
			t.Fatalf("demo %v: PIN on the screen %v:\n%s", demo, got, h.screen())
		}
		h.typeLine("4711")
		h.wantStep(pack.StepOrder)
		if strings.Contains(h.screen(), "4711") {
			t.Fatalf("demo %v: the typed PIN stays on the screen:\n%s", demo, h.screen())
		}
	}
}

// TestPackPartialIsConfirmed: issue 14 (11e). F6 asks before a partial
// shipment; Esc goes on packing, F6 again (or Enter) ships what is verified.
func TestPackPartialIsConfirmed(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 16}} {
		h, b := newPackHarness(t, size[0], size[1], true, Options{}, fiveLines())
		h.typeLine("B2001")
		h.typeLine("ORD-0001")
		h.typeLine(gMug)
		h.typeLine(gMug)
		h.press(tea.KeyF6)
		h.wantStep(pack.StepPartial)
		h.golden(fmt.Sprintf("pack_partial_%dx%d", size[0], size[1]))
		if s := h.screen(); !strings.Contains(s, "F6") || !strings.Contains(s, "Esc") {
			t.Fatalf("the confirmation's keys are not on the screen:\n%s", s)
		}
		h.press(tea.KeyEscape)
		h.wantStep(pack.StepVerify)
		if b.labels() != 0 {
			t.Fatal("labels printed before the partial was confirmed")
		}
		h.press(tea.KeyF6)
		h.press(tea.KeyF6) // again: confirmed
		h.wantStep(pack.StepBox)
		h.typeLine("")
		h.weigh(950)
		h.wantStep(pack.StepDone)
		if !h.packState().Partial {
			t.Fatalf("not shipped partially: %+v", h.packState())
		}
	}
}

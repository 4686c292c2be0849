package station_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/labels"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// The pack bench's site: two orders picked into totes, one with a lot line.
var (
	mugGTIN = "0" + demo.GTIN13("061414100001")
	lotGTIN = "0" + demo.GTIN13("061414100002")
	capGTIN = "0" + demo.GTIN13("061414100003")
	shipTo  = floor.Address{Name: "Ada Lovelace", Line1: "12 Analytical Row", City: "London", PostalCode: "N1 7AA", Country: "GB"}
)

func packSite() store.Site {
	return store.Site{
		Operators: []floor.Operator{
			{Badge: "B2001", Name: "Pam Packer", Roles: []floor.Role{floor.RolePacker}},
			{Badge: "B2009", Name: "Sam Super", Roles: []floor.Role{floor.RoleSupervisor, floor.RolePacker}},
		},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", Aisle: 1, Bay: 1, Level: 1, WalkSeq: 1}},
		Items: []floor.Item{
			{SKU: "MUG-RED", Description: "Red mug", GTINs: []string{mugGTIN}, UnitWeightG: 300, LengthMM: 120, WidthMM: 90, HeightMM: 100},
			{SKU: "TEA-LOT", Description: "Tea tin", GTINs: []string{lotGTIN}, UnitWeightG: 200, LengthMM: 80, WidthMM: 80, HeightMM: 100, LotControlled: true},
			{SKU: "CAP-BLU", Description: "Blue cap", GTINs: []string{capGTIN}, UnitWeightG: 100, LengthMM: 200, WidthMM: 150, HeightMM: 60},
		},
		Orders: []floor.Order{
			{ID: "ORD-0001", Customer: "Ada Lovelace", Status: floor.OrderOpen, ShipTo: shipTo, Lines: []floor.OrderLine{
				{OrderID: "ORD-0001", LineNo: 1, SKU: "MUG-RED", Qty: 2},
				{OrderID: "ORD-0001", LineNo: 2, SKU: "TEA-LOT", Qty: 1},
			}},
			{ID: "ORD-0002", Customer: "Alan Turing", Status: floor.OrderOpen, ShipTo: shipTo, Lines: []floor.OrderLine{
				{OrderID: "ORD-0002", LineNo: 1, SKU: "MUG-RED", Qty: 1},
				{OrderID: "ORD-0002", LineNo: 2, SKU: "CAP-BLU", Qty: 3},
			}},
			{ID: "ORD-0003", Customer: "No Address", Status: floor.OrderOpen, Lines: []floor.OrderLine{
				{OrderID: "ORD-0003", LineNo: 1, SKU: "CAP-BLU", Qty: 1},
			}},
		},
		Waves: []floor.Wave{{ID: "W1", Status: "done"}},
		Tasks: []floor.PickTask{
			{ID: 1, WaveID: "W1", OrderID: "ORD-0001", LineNo: 1, Location: "A-01-01-1", SKU: "MUG-RED", Qty: 2, Status: floor.TaskOpen, SortKey: 1},
			{ID: 2, WaveID: "W1", OrderID: "ORD-0001", LineNo: 2, Location: "A-01-01-1", SKU: "TEA-LOT", Qty: 1, Status: floor.TaskOpen, SortKey: 2},
			{ID: 3, WaveID: "W1", OrderID: "ORD-0002", LineNo: 1, Location: "A-01-01-1", SKU: "MUG-RED", Qty: 1, Status: floor.TaskOpen, SortKey: 3},
			{ID: 4, WaveID: "W1", OrderID: "ORD-0002", LineNo: 2, Location: "A-01-01-1", SKU: "CAP-BLU", Qty: 3, Status: floor.TaskOpen, SortKey: 4},
			{ID: 5, WaveID: "W1", OrderID: "ORD-0003", LineNo: 1, Location: "A-01-01-1", SKU: "CAP-BLU", Qty: 1, Status: floor.TaskOpen, SortKey: 5},
		},
	}
}

// picked records the picker's work through the same events and projection
// a pick cart commits: ORD-0001 in T00001 (lot L42), ORD-0002 in T00002
// with one cap short, ORD-0003 in T00003.
func picked(t testing.TB, st *store.Store) {
	t.Helper()
	unit := func(task int64, qty int, tote, lot string) floor.Event {
		return floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: task}, Qty: qty, Tote: tote, Lot: lot})
	}
	done := func(task int64) floor.Event {
		return floor.NewEvent(floor.EvTaskPicked, "B1001", floor.TaskPayload{Task: task})
	}
	evs := []floor.Event{unit(1, 2, "T00001", ""), done(1), unit(2, 1, "T00001", "L42"), done(2),
		unit(3, 1, "T00002", ""), done(3), unit(4, 2, "T00002", ""),
		floor.NewEvent(floor.EvTaskShort, "B1001", floor.ShortPayload{TaskPayload: floor.TaskPayload{Task: 4, Order: "ORD-0002"}, Picked: 2, Short: 1, Reason: "not-found"}),
		unit(5, 1, "T00003", ""), done(5)}
	if _, err := st.Commit(ctx, clock(), evs, nil); err != nil {
		t.Fatal(err)
	}
}

func packStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "station.db"), "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.LoadSite(ctx, packSite()); err != nil {
		t.Fatal(err)
	}
	// As the hub's first pull would: labels need the station's number.
	if err := st.SetStationNumber(ctx, 1); err != nil {
		t.Fatal(err)
	}
	picked(t, st)
	return st
}

func packOptions() station.Options {
	return station.Options{Bench: station.BenchPack, Now: clock,
		Pack: station.PackOptions{Rules: config.Default().Pack, Printer: "zebra-1"}}
}

func openBench(t testing.TB, st *store.Store, opts station.Options) *station.Station {
	t.Helper()
	s, err := station.Open(ctx, st, interp(t), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// bench drives a pack station input by input, failing on an unexpected step.
type bench struct {
	t *testing.T
	s *station.Station
}

func (b bench) do(a station.Action, want pack.Step) station.Outcome {
	b.t.Helper()
	o := b.s.Handle(ctx, a)
	if o.Err != nil {
		b.t.Fatalf("%+v: %v", a, o.Err)
	}
	if o.State.(pack.State).Step != want {
		b.t.Fatalf("%+v: step %s, want %s (%q)", a, o.State.(pack.State).Step, want, o.Feedback.Message)
	}
	return o
}

func gs1Lot(gtin, lot string) station.Action {
	return station.Action{Scan: floor.Scan{Source: "scanner", AIM: "]C1", Data: "01" + gtin + "10" + lot}}
}

func weigh(g float64) station.Action { return station.Action{Weight: &pack.ScaleReading{Grams: g}} }

func TestPackBenchWholeOrder(t *testing.T) {
	st := packStore(t)
	kicks := 0
	opts := packOptions()
	opts.Pack.Kick = func() { kicks++ }
	b := bench{t, openBench(t, st, opts)}
	b.do(typed("B2001"), pack.StepOrder)
	o := b.do(typed("T00001"), pack.StepVerify)
	if o.State.(pack.State).Order.ID != "ORD-0001" || len(o.State.(pack.State).Order.Lines) != 2 || o.State.(pack.State).Order.Lines[1].Lots[0] != (floor.LotCount{Lot: "L42", Qty: 1}) {
		t.Fatalf("snapshot %+v", o.State.(pack.State).Order)
	}
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	o = b.do(typed("CAP-BLU"), pack.StepVerify) // not in the order: loud, nothing counted
	if o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "Wrong item CAP-BLU") {
		t.Fatalf("wrong item: %+v", o.Feedback)
	}
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	o = b.do(gs1Lot(lotGTIN, "L99"), pack.StepVerify)
	if !strings.Contains(o.Feedback.Message, "WRONG LOT L99") {
		t.Fatalf("wrong lot: %+v", o.Feedback)
	}
	b.do(gs1Lot(lotGTIN, "L42"), pack.StepVerify)
	b.do(key(floor.CmdComplete), pack.StepBox)
	b.do(typed(""), pack.StepWeigh) // Enter takes the suggestion
	// No scale on this bench: the weight is typed. 2×300 + 200 + tare.
	box, _ := b.s.Snapshot().State.(pack.State).Box(b.s.Snapshot().State.(pack.State).Cartons[0].Box)
	o = b.do(typed(strconv.Itoa(800+box.TareG)), pack.StepDone)
	if o.Feedback.Level != floor.OK {
		t.Fatalf("done: %+v", o.Feedback)
	}
	if kicks != 1 {
		t.Fatalf("spooler kicked %d times, want 1", kicks)
	}
	// One label, its SSCC and tracking number in the event, the ZPL and the
	// cartons table alike.
	var lbl floor.PackLabelPayload
	var ship floor.PackShipmentPayload
	for _, ev := range o.Events {
		switch ev.Type {
		case floor.EvPackLabelRequested:
			if err := json.Unmarshal(ev.Payload, &lbl); err != nil {
				t.Fatal(err)
			}
		case floor.EvPackShipmentCompleted:
			if err := json.Unmarshal(ev.Payload, &ship); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := labels.ValidateSSCC(lbl.SSCC); err != nil || lbl.Tracking == "" || ship.Tracking != lbl.Tracking || lbl.Job == 0 {
		t.Fatalf("label %+v shipment %+v: %v", lbl, ship, err)
	}
	job, err := st.PrintJob(ctx, lbl.Job)
	if err != nil {
		t.Fatal(err)
	}
	if job.Printer != "zebra-1" || job.Kind != floor.LabelShipping || job.Ref != "ORD-0001-1" ||
		!bytes.Contains(job.ZPL, []byte(lbl.SSCC)) || !bytes.Contains(job.ZPL, []byte(lbl.Tracking)) {
		t.Fatalf("job %+v\n%s", job, job.ZPL)
	}
	cartons, err := st.ShipmentCartons(ctx, "ORD-0001-1")
	if err != nil || len(cartons) != 1 || cartons[0].SSCC != lbl.SSCC || cartons[0].Job != job.ID || cartons[0].Units != 3 {
		t.Fatalf("cartons %+v %v", cartons, err)
	}
	if s, _ := st.ShipmentStatus(ctx, "ORD-0001-1"); s != "completed" {
		t.Fatalf("shipment status %q", s)
	}
	// Packed: the order is refused on a second scan.
	o = b.do(typed("ORD-0001"), pack.StepDone)
	if o.Feedback.Level != floor.Error {
		t.Fatalf("packed order accepted again: %+v", o.Feedback)
	}
	// The next order's SSCC and tracking number are the next ones.
	b.do(typed("T00003"), pack.StepVerify)
}

func TestPackBenchHoldBeforeLabel(t *testing.T) {
	st := packStore(t)
	b := bench{t, openBench(t, st, packOptions())}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("ORD-0001"), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(gs1Lot(lotGTIN, "L42"), pack.StepVerify)
	b.do(key(floor.CmdComplete), pack.StepBox)
	b.do(typed("BOX-M"), pack.StepWeigh)
	// The office holds the order while the carton is on the scale.
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: clock(), Changes: []store.Change{
		{Holds: &store.OrderHolds{Order: "ORD-0001", Holds: []floor.Hold{{Reason: "HIGH_RISK_OF_FRAUD"}}}}}}); err != nil {
		t.Fatal(err)
	}
	o := b.do(typed("1050"), pack.StepHeld)
	if o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "HIGH_RISK_OF_FRAUD") || !strings.Contains(o.Feedback.Message, "HOLD-01") {
		t.Fatalf("held: %+v", o.Feedback)
	}
	jobs, err := st.PrintJobs(ctx, "zebra-1")
	if err != nil || len(jobs) != 0 {
		t.Fatalf("a held order got a label: %+v %v", jobs, err)
	}
	b.do(key(floor.CmdOK), pack.StepOrder) // taken to the holding location
	ex, err := st.Exceptions(ctx)
	if err != nil || !slices.ContainsFunc(ex, func(e store.Exception) bool {
		return e.Kind == "set-aside" && e.OrderID == "ORD-0001" && e.Location == "HOLD-01" && e.Reason == "held" && e.Qty == 3
	}) {
		t.Fatalf("exceptions %+v %v", ex, err)
	}
}

func TestPackBenchCancelledWhilePacking(t *testing.T) {
	st := packStore(t)
	b := bench{t, openBench(t, st, packOptions())}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00002"), pack.StepVerify)
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: clock(), Changes: []store.Change{
		{Cancel: &store.Cancellation{Order: "ORD-0002", Reason: "customer"}}}}); err != nil {
		t.Fatal(err)
	}
	o := b.do(typed(mugGTIN[1:]), pack.StepHeld)
	if !strings.Contains(o.Feedback.Message, "CANCELLED") {
		t.Fatalf("cancelled: %+v", o.Feedback)
	}
}

// TestPackBenchResumesAfterRestart restarts the bench after every input of
// two orders (units by scan, count and lot, a refusal, an undo, a second
// carton, weighing, labels) and finds it where it was. Verified units are
// left to the journal (the session row is not rewritten for them) and
// replayed on the restart.
func TestPackBenchResumesAfterRestart(t *testing.T) {
	st := packStore(t)
	b := bench{t, openBench(t, st, packOptions())}
	box := func(code string) int { bx, _ := b.s.Snapshot().State.(pack.State).Box(code); return bx.TareG }
	inputs := []struct {
		a    func() station.Action
		want pack.Step
	}{
		{func() station.Action { return typed("B2001") }, pack.StepOrder},
		{func() station.Action { return typed("T00001") }, pack.StepVerify},
		{func() station.Action { return typed(mugGTIN[1:]) }, pack.StepVerify},
		{func() station.Action { return typed("CAP-BLU") }, pack.StepVerify}, // refused
		{func() station.Action { return typed(mugGTIN[1:]) }, pack.StepVerify},
		{func() station.Action { return key(floor.CmdUndo) }, pack.StepVerify},
		{func() station.Action { return typed(mugGTIN[1:]) }, pack.StepVerify},
		{func() station.Action { return key(floor.CmdCloseCarton) }, pack.StepBox},
		{func() station.Action { return typed("BOX-S") }, pack.StepWeigh},
		{func() station.Action { return typed(strconv.Itoa(600 + box("BOX-S"))) }, pack.StepVerify},
		{func() station.Action { return gs1Lot(lotGTIN, "L42") }, pack.StepVerify}, // carton 2
		{func() station.Action { return key(floor.CmdComplete) }, pack.StepBox},
		{func() station.Action { return typed("BOX-S") }, pack.StepWeigh},
		{func() station.Action { return typed(strconv.Itoa(200 + box("BOX-S"))) }, pack.StepDone},
		{func() station.Action { return typed("T00002") }, pack.StepVerify},
		{func() station.Action { return key(floor.CmdQuantity) }, pack.StepQuantity},
		{func() station.Action { return typed("2") }, pack.StepCount},
		{func() station.Action { return typed(capGTIN[1:]) }, pack.StepVerify},
		{func() station.Action { return typed(mugGTIN[1:]) }, pack.StepVerify},
	}
	journaled := 0
	for i, in := range inputs {
		o := b.do(in.a(), in.want)
		sess, err := st.LoadSession(ctx)
		if err != nil {
			t.Fatal(err)
		}
		last, _ := st.LastSeq(ctx)
		if len(o.Events) == 1 && o.Events[0].Type == floor.EvPackUnitVerified && sess.Through < last {
			journaled++
		}
		live, _ := json.Marshal(b.s.Snapshot().State.(pack.State))
		again, _ := json.Marshal(openBench(t, st, packOptions()).Snapshot().State.(pack.State))
		if !bytes.Equal(live, again) {
			t.Fatalf("after input %d (%q) the restart resumes elsewhere:\nlive  %s\nagain %s", i, o.Feedback.Message, live, again)
		}
	}
	if journaled != 6 {
		t.Fatalf("%d verified units left to the journal, want every one of the 6", journaled)
	}
	// A restarted bench carries on from the replayed units: the session row
	// it writes next includes them.
	b = bench{t, openBench(t, st, packOptions())}
	b.do(key(floor.CmdCloseCarton), pack.StepBox)
	live, _ := json.Marshal(b.s.Snapshot().State.(pack.State))
	again, _ := json.Marshal(openBench(t, st, packOptions()).Snapshot().State.(pack.State))
	if !bytes.Equal(live, again) || b.s.Snapshot().State.(pack.State).Cartons[0].Count() != 3 {
		t.Fatalf("after the restart:\nlive  %s\nagain %s", live, again)
	}
	// A pick station on the same store does not misread the pack session.
	s, err := station.Open(ctx, st, interp(t), station.Options{Now: clock})
	if err != nil || s.Snapshot().State.(pick.State).LoggedIn() {
		t.Fatalf("pick station on a pack session: %+v %v", s.Snapshot().State.(pick.State), err)
	}
}

func TestPackBenchPartialVoidAndReprint(t *testing.T) {
	st := packStore(t)
	b := bench{t, openBench(t, st, packOptions())}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00002"), pack.StepVerify) // one cap short
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(typed(capGTIN[1:]), pack.StepVerify)
	b.do(typed(capGTIN[1:]), pack.StepVerify)
	o := b.do(key(floor.CmdComplete), pack.StepVerify)
	if o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "short") {
		t.Fatalf("complete with a short line: %+v", o.Feedback)
	}
	b.do(key(floor.CmdPartial), pack.StepPartial)
	b.do(key(floor.CmdOK), pack.StepBox)
	b.do(typed("BOX-M"), pack.StepWeigh)
	o = b.do(typed("750"), pack.StepDone) // 300 + 2×100 + 250
	var partial floor.PackPartialPayload
	for _, ev := range o.Events {
		if ev.Type == floor.EvPackPartial {
			json.Unmarshal(ev.Payload, &partial)
		}
	}
	if len(partial.BackOrder) != 1 || partial.BackOrder[0].Remaining != 1 {
		t.Fatalf("back order %+v", partial)
	}
	// The back order is what a later pack of the order sees.
	po, err := st.PackOrder(ctx, "ORD-0002")
	if err != nil || po.Shipments != 1 || len(po.Lines) != 1 || po.Lines[0].SKU != "CAP-BLU" || po.Lines[0].Ordered != 1 || po.Lines[0].Picked != 0 {
		t.Fatalf("back order snapshot %+v %v", po, err)
	}

	// A reprint before the label printed is refused: it prints by itself.
	b.do(key(floor.CmdReprint), pack.StepReprintReason)
	o = b.do(typed("1"), pack.StepReprintReason)
	if o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "has not printed yet") {
		t.Fatalf("early reprint: %+v", o.Feedback)
	}
	cartons, _ := st.ShipmentCartons(ctx, "ORD-0002-1")
	// The spooler's two steps: marked sending, then sent.
	if ok, err := st.StartSending(ctx, clock(), cartons[0].Job); !ok || err != nil {
		t.Fatalf("start sending: %v %v", ok, err)
	}
	if err := st.MarkSent(ctx, clock(), cartons[0].Job); err != nil {
		t.Fatal(err)
	}
	o = b.do(typed("1"), pack.StepDone)
	if o.Feedback.Level != floor.OK || len(o.Events) != 2 || o.Events[1].Type != floor.EvLabelReprinted {
		t.Fatalf("reprint: %+v %+v", o.Feedback, o.Events)
	}
	jobs, _ := st.PrintJobs(ctx, "zebra-1")
	if len(jobs) != 2 || jobs[1].ReprintOf != cartons[0].Job {
		t.Fatalf("jobs %+v", jobs)
	}

	// Void (a supervisor): the order is open again; the next shipment is -2.
	b.do(key(floor.CmdVoid), pack.StepSupervisor)
	b.do(typed("B2009"), pack.StepReason)
	b.do(typed("wrong box"), pack.StepOrder)
	if s, _ := st.ShipmentStatus(ctx, "ORD-0002-1"); s != "voided" {
		t.Fatalf("voided shipment status %q", s)
	}
	po, err = st.PackOrder(ctx, "ORD-0002")
	if err != nil || po.Shipments != 1 || len(po.Lines) != 2 || po.Lines[1].Ordered != 3 || po.Lines[1].Picked != 2 {
		t.Fatalf("after void %+v %v", po, err)
	}
	// The label that printed stays printed; the reprint still waiting in the
	// queue is cancelled, never sent, and cannot be copied again.
	jobs, _ = st.PrintJobs(ctx, "zebra-1")
	if len(jobs) != 2 || jobs[0].Status != store.PrintSent || jobs[1].Status != store.PrintCancelled ||
		jobs[1].Reason != "shipment ORD-0002-1 voided" {
		t.Fatalf("jobs after void %+v", jobs)
	}
	if next, err := st.NextPrintJob(ctx, "zebra-1"); next != nil || err != nil {
		t.Fatalf("the spooler is offered %+v (%v) after the void", next, err)
	}
	if ok, err := st.StartSending(ctx, clock(), jobs[1].ID); ok || err != nil {
		t.Fatalf("a cancelled label was marked sending: %v %v", ok, err)
	}
	if _, err := st.Reprint(ctx, clock(), store.ReprintRequest{Job: jobs[1].ID, Operator: "B2009", Reason: "try"}); err == nil ||
		!strings.Contains(err.Error(), "was cancelled (shipment ORD-0002-1 voided)") {
		t.Fatalf("reprint of a cancelled label: %v", err)
	}
}

func TestPackBenchRefusesWhatCannotBeLabelled(t *testing.T) {
	st := packStore(t)
	opts := packOptions()
	b := bench{t, openBench(t, st, opts)}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00003"), pack.StepVerify) // ORD-0003 has no ship-to address
	b.do(typed(capGTIN[1:]), pack.StepVerify)
	b.do(key(floor.CmdComplete), pack.StepBox)
	b.do(typed("BOX-S"), pack.StepWeigh)
	before, _ := st.LastSeq(ctx)
	o := b.do(typed("220"), pack.StepWeigh) // refused: still at the scale
	if o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "no ship-to address") {
		t.Fatalf("no address: %+v", o.Feedback)
	}
	if len(o.Events) != 1 || o.Events[0].Type != floor.EvScanRejected {
		t.Fatalf("events %+v", o.Events)
	}
	after, _ := st.LastSeq(ctx)
	jobs, _ := st.PrintJobs(ctx, "zebra-1")
	if after != before+1 || len(jobs) != 0 {
		t.Fatalf("seq %d→%d, jobs %d", before, after, len(jobs))
	}
	// A bench without a printer refuses the label the same way.
	st2 := packStore(t)
	opts.Pack.Printer = ""
	b = bench{t, openBench(t, st2, opts)}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00001"), pack.StepVerify)
	b.do(key(floor.CmdQuantity), pack.StepQuantity)
	b.do(typed("2"), pack.StepCount)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(gs1Lot(lotGTIN, "L42"), pack.StepVerify)
	b.do(key(floor.CmdComplete), pack.StepBox)
	b.do(typed("BOX-M"), pack.StepWeigh)
	o = b.do(typed("1050"), pack.StepWeigh)
	if !strings.Contains(o.Feedback.Message, "no label printer") {
		t.Fatalf("no printer: %+v", o.Feedback)
	}
}

func TestPackBenchScaleWeighRounds(t *testing.T) {
	st := packStore(t)
	s := openBench(t, st, packOptions())
	s.SetScale(true)
	b := bench{t, s}
	if _, weighing := s.WeighRound(); weighing {
		t.Fatal("weighing at login")
	}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00001"), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(gs1Lot(lotGTIN, "L42"), pack.StepVerify)
	b.do(key(floor.CmdCloseCarton), pack.StepBox)
	b.do(typed("BOX-M"), pack.StepWeigh)
	r1, weighing := s.WeighRound()
	if !weighing {
		t.Fatal("not weighing at the weigh step")
	}
	o := b.do(typed("1050"), pack.StepWeigh) // a scale bench refuses typed weights
	if o.Feedback.Level != floor.Error {
		t.Fatalf("typed weight on a scale bench: %+v", o.Feedback)
	}
	b.do(weigh(1400), pack.StepMismatch) // 800 + 250 expected
	if r, w := s.WeighRound(); r != r1 || !w {
		t.Fatalf("mismatch: round %d weighing %v", r, w)
	}
	// The scale unplugged: the packer may type the weight.
	s.SetScale(false)
	b.do(typed("1060"), pack.StepVerify)
	if _, w := s.WeighRound(); w {
		t.Fatal("still weighing after the carton closed")
	}
	b.do(key(floor.CmdComplete), pack.StepDone)
}

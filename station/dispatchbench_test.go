package station_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/labels"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/dispatch"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/store"
)

// The dispatch bench's site is the pack bench's (dispatch at the station
// that packed) with a loader, and ORD-0003 going with DHL.
func dispatchStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "station.db")
	st, err := store.Open(ctx, path, "DOCK-01")
	if err != nil {
		t.Fatal(err)
	}
	site := packSite()
	site.Operators = append(site.Operators,
		floor.Operator{Badge: "B3001", Name: "Lou Loader", Roles: []floor.Role{floor.RoleLoader}},
		floor.Operator{Badge: "B1001", Name: "Pia Picker", Roles: []floor.Role{floor.RolePicker}})
	site.Orders[2].Carrier, site.Orders[2].ShipTo = "DHL", shipTo
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStationNumber(ctx, 1); err != nil {
		t.Fatal(err)
	}
	picked(t, st)
	return st, path
}

// packORD1 packs ORD-0001 on a real pack bench over the same store: one
// parcel, its SSCC returned.
func packORD1(t *testing.T, st *store.Store) string {
	t.Helper()
	b := bench{t, openBench(t, st, packOptions())}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("ORD-0001"), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(gs1Lot(lotGTIN, "L42"), pack.StepVerify)
	b.do(key(floor.CmdComplete), pack.StepBox)
	b.do(typed("BOX-M"), pack.StepWeigh)
	o := b.do(typed("1050"), pack.StepDone)
	if len(o.Labels) != 1 {
		t.Fatalf("pack: %+v", o)
	}
	b.do(key(floor.CmdLogout), pack.StepLogin)
	return o.Labels[0].SSCC
}

// labelled records cartons of a shipment as a pack bench's commit does
// (pack.label_requested for each), and completes it unless open.
func labelled(t *testing.T, st *store.Store, order, shipment string, open bool, ssccs ...string) {
	t.Helper()
	var evs []floor.Event
	for i, s := range ssccs {
		evs = append(evs, floor.NewEvent(floor.EvPackLabelRequested, "B2001", floor.PackLabelPayload{Order: order, Shipment: shipment,
			Carton: i + 1, Cartons: len(ssccs), Box: "BOX-M", WeightG: 500, Units: 1, SSCC: s, Tracking: "TR" + s[10:],
			Lines: []floor.CartonLine{{Line: 1, SKU: "CAP-BLU", Qty: 1}}}))
	}
	if !open {
		evs = append(evs, floor.NewEvent(floor.EvPackShipmentCompleted, "B2001", floor.PackShipmentPayload{Order: order, Shipment: shipment, Cartons: len(ssccs)}))
	}
	if _, err := st.Commit(ctx, clock(), evs, nil); err != nil {
		t.Fatal(err)
	}
}

func ssccN(t *testing.T, n uint64) string {
	s, err := labels.StationSSCC("0614141", 0, 2, n) // another bench's: station 2
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dispatchOptions() station.Options {
	return station.Options{Bench: station.BenchDispatch, Now: clock,
		Dispatch: station.DispatchOptions{Carrier: config.Default().Pack.Carrier, Printer: "zebra-1"}}
}

// dock drives a dispatch station through Submit and Serve, as the screen
// and the scanners do.
type dock struct {
	t      *testing.T
	s      *station.Station
	cancel context.CancelFunc
}

func openDock(t *testing.T, st *store.Store, opts station.Options) *dock {
	t.Helper()
	s := openBench(t, st, opts)
	c, cancel := context.WithCancel(ctx)
	go s.Serve(c)
	d := &dock{t, s, cancel}
	t.Cleanup(cancel)
	return d
}

// do submits one input and waits for its outcome, which must be at want.
func (d *dock) do(a station.Action, want dispatch.Step) (station.Outcome, dispatch.State) {
	d.t.Helper()
	if !d.s.Submit(a) {
		d.t.Fatal("input not taken")
	}
	o := <-d.s.Outcomes()
	if o.Err != nil {
		d.t.Fatalf("%+v: %v", a, o.Err)
	}
	st, _ := o.State.(dispatch.State)
	if o.Bench != station.BenchDispatch || st.Step != want {
		d.t.Fatalf("%+v: step %q, want %q (%q)", a, st.Step, want, o.Feedback.Message)
	}
	return o, st
}

// ok: the input is taken.
func (d *dock) ok(a station.Action, want dispatch.Step) (station.Outcome, dispatch.State) {
	d.t.Helper()
	o, s := d.do(a, want)
	if o.Feedback.Level == floor.Error || len(o.Events) == 0 {
		d.t.Fatalf("%+v: %+v, want it taken and journaled", a, o.Feedback)
	}
	return o, s
}

// refused: the input is refused, says msg and journals the rejection.
func (d *dock) refused(a station.Action, want dispatch.Step, msg string) {
	d.t.Helper()
	o, _ := d.do(a, want)
	if o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, msg) ||
		len(o.Events) != 1 || (o.Events[0].Type != floor.EvScanRejected && o.Events[0].Type != floor.EvLoginRefused) || o.Events[0].Seq == 0 {
		d.t.Fatalf("%+v: %+v, want a journaled refusal saying %q", a, o, msg)
	}
}

// TestDispatchBenchLoadsAndShips drives the dispatch bench through the
// station on real SQLite: parcels packed here (one on a real pack bench)
// are loaded onto the default carrier's pickup, every refusal the dock
// needs is loud and journaled, and closing the pickup queues the manifest
// (the count and every SSCC) and ships the parcels, their shipments and
// the orders all of whose parcels left.
func TestDispatchBenchLoadsAndShips(t *testing.T) {
	st, _ := dispatchStore(t)
	defer st.Close()
	one := packORD1(t, st)
	two1, two2, three := ssccN(t, 1), ssccN(t, 2), ssccN(t, 3)
	labelled(t, st, "ORD-0002", "ORD-0002-1", false, two1, two2)
	labelled(t, st, "ORD-0003", "ORD-0003-1", true, three) // labelled, packing not finished
	kicks := 0
	opts := dispatchOptions()
	opts.Dispatch.Kick = func() { kicks++ }
	d := openDock(t, st, opts)

	d.refused(typed("B1001"), dispatch.StepLogin, "Pia Picker is not a loader")
	_, s := d.ok(typed("B3001"), dispatch.StepCarrier)
	if !slices.Equal(s.Carriers, []string{"OWN FLEET"}) {
		t.Fatalf("carriers %q", s.Carriers)
	}
	d.refused(typed(ssccN(t, 9)), dispatch.StepCarrier, "is not known here")
	d.refused(typed("FEDEX"), dispatch.StepCarrier, "No parcel waits for FEDEX here: choose 1 OWN FLEET")
	o, s := d.ok(typed("1"), dispatch.StepLoad)
	if s.Pickup.ID != "DOCK-01-PU00001" || s.Pickup.Carrier != "OWN FLEET" || o.Events[0].Type != floor.EvDispatchPickupOpened {
		t.Fatalf("open: %+v", o)
	}
	// The label's barcode as a GS1 scanner reads it.
	o, _ = d.ok(station.Action{Scan: floor.Scan{Source: "scanner", AIM: "]C1", Data: "00" + one}}, dispatch.StepLoad)
	var loaded floor.DispatchParcelPayload
	if err := json.Unmarshal(o.Events[0].Payload, &loaded); err != nil || o.Events[0].Type != floor.EvDispatchParcelLoaded ||
		loaded != (floor.DispatchParcelPayload{SSCC: one, Order: "ORD-0001", Shipment: "ORD-0001-1", Pickup: "DOCK-01-PU00001", Carrier: "OWN FLEET"}) {
		t.Fatalf("loaded: %s %v", o.Events[0].Payload, err)
	}
	d.refused(typed(one), dispatch.StepLoad, "is already on this pickup")
	d.refused(typed(three), dispatch.StepLoad, "is not finished at the pack bench")
	d.refused(typed("A-01-01-1"), dispatch.StepLoad, "Scan the parcel's SSCC")
	d.ok(typed(two1), dispatch.StepLoad)
	// The office holds ORD-0002 while its second parcel is on the way.
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: clock(), Changes: []store.Change{
		{Holds: &store.OrderHolds{Order: "ORD-0002", Holds: []floor.Hold{{Reason: "INCORRECT_ADDRESS"}}}}}}); err != nil {
		t.Fatal(err)
	}
	d.refused(typed(two2), dispatch.StepLoad, "STOP: order ORD-0002 is on hold (INCORRECT_ADDRESS)")
	o, s = d.ok(key(floor.CmdUndo), dispatch.StepLoad) // the first parcel of the held order comes off
	if len(s.Pickup.Parcels) != 1 || o.Events[0].Type != floor.EvDispatchParcelUnloaded {
		t.Fatalf("undo: %+v", o)
	}
	// ORD-0003's packing finishes: its parcel goes with DHL, not here.
	labelled(t, st, "ORD-0003", "ORD-0003-2", false)
	if _, err := st.Commit(ctx, clock(), []floor.Event{floor.NewEvent(floor.EvPackShipmentCompleted, "B2001",
		floor.PackShipmentPayload{Order: "ORD-0003", Shipment: "ORD-0003-1", Cartons: 1})}, nil); err != nil {
		t.Fatal(err)
	}
	d.refused(typed(three), dispatch.StepLoad, "Goes with DHL, not OWN FLEET: put parcel "+three+" with the DHL parcels")

	o, s = d.ok(typed("CMD:CLOSE"), dispatch.StepCarrier)
	if s.Closed == nil || !slices.Equal(s.Closed.SSCCs, []string{one}) || kicks != 1 {
		t.Fatalf("close: %+v (kicks %d)", o, kicks)
	}
	var closed floor.DispatchClosedPayload
	if err := json.Unmarshal(o.Events[0].Payload, &closed); err != nil || closed.Job == 0 || !slices.Equal(closed.SSCCs, []string{one}) {
		t.Fatalf("closed: %s %v", o.Events[0].Payload, err)
	}
	job, err := st.PrintJob(ctx, closed.Job)
	if err != nil || job.Printer != "zebra-1" || job.Ref != "DOCK-01-PU00001" || job.Kind != floor.LabelDocument ||
		!bytes.Contains(job.ZPL, []byte("CARRIER MANIFEST")) || !bytes.Contains(job.ZPL, []byte(one)) {
		t.Fatalf("manifest job %+v %v\n%s", job, err, job.ZPL)
	}
	if s, _ := st.ShipmentStatus(ctx, "ORD-0001-1"); s != "shipped" {
		t.Fatalf("ORD-0001-1 is %q after its pickup closed", s)
	}
	if s, _ := st.ShipmentStatus(ctx, "ORD-0002-1"); s != "completed" {
		t.Fatalf("ORD-0002-1 is %q: none of its parcels left", s)
	}
	if o, _ := st.OrderStanding(ctx, "ORD-0001"); o.Status != floor.OrderShipped {
		t.Fatalf("ORD-0001 is %q", o.Status)
	}
	// A parcel that left is not here to load again.
	if _, s = d.ok(typed("2"), dispatch.StepLoad); s.Pickup.Carrier != "OWN FLEET" {
		// "2" after the close: DHL is 1, OWN FLEET 2 (ORD-0002's parcels wait)
		t.Fatalf("carriers after close: %+v", s)
	}
	d.refused(typed(one), dispatch.StepLoad, "already left with pickup DOCK-01-PU00001")
	// A voided label, and a cancelled order.
	if _, err := st.Commit(ctx, clock(), []floor.Event{floor.NewEvent(floor.EvPackVoided, "B2009",
		floor.PackVoidPayload{Order: "ORD-0002", Shipment: "ORD-0002-1", Cartons: 2, Reason: "wrong address"})}, nil); err != nil {
		t.Fatal(err)
	}
	d.refused(typed(two1), dispatch.StepLoad, "has a voided label (shipment ORD-0002-1)")
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c2", At: clock(), Changes: []store.Change{
		{Cancel: &store.Cancellation{Order: "ORD-0003", Reason: "customer"}}}}); err != nil {
		t.Fatal(err)
	}
	d.ok(key(floor.CmdCancel), dispatch.StepCarrier)
	d.refused(typed(three), dispatch.StepCarrier, "STOP: order ORD-0003 was cancelled")
	d.refused(key(floor.CmdClosePickup), dispatch.StepCarrier, "Choose a carrier first")

	// Every step is in the journal.
	evs, err := st.Journal(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[floor.EventType]int{}
	for _, ev := range evs {
		seen[ev.Type]++
	}
	for _, typ := range []floor.EventType{floor.EvDispatchPickupOpened, floor.EvDispatchParcelLoaded, floor.EvDispatchParcelUnloaded,
		floor.EvDispatchPickupClosed, floor.EvDispatchPickupLeft, floor.EvLoginRefused} {
		if seen[typ] == 0 {
			t.Errorf("no %s in the journal", typ)
		}
	}
	if seen[floor.EvScanRejected] != 11 {
		t.Errorf("%d rejections journaled", seen[floor.EvScanRejected])
	}
}

// TestDispatchBenchResumesMidPickup: a restart in the middle of a pickup
// resumes it with the parcels loaded before, and another loader choosing
// the carrier resumes the pickup left open; a bench without a printer
// refuses to close, and the pickup stays open.
func TestDispatchBenchResumesMidPickup(t *testing.T) {
	st, path := dispatchStore(t)
	a, b, c := ssccN(t, 1), ssccN(t, 2), ssccN(t, 3)
	labelled(t, st, "ORD-0002", "ORD-0002-1", false, a, b, c)
	d := openDock(t, st, dispatchOptions())
	d.ok(typed("B3001"), dispatch.StepCarrier)
	d.ok(typed("OWN FLEET"), dispatch.StepLoad)
	d.ok(typed(a), dispatch.StepLoad)
	d.ok(typed("(00) "+b), dispatch.StepLoad)
	d.cancel()
	st.Close()

	st, err := store.Open(ctx, path, "DOCK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	opts := dispatchOptions()
	opts.Dispatch.Printer = ""
	d = openDock(t, st, opts)
	o, s := d.ok(typed(c), dispatch.StepLoad)
	if s.Operator.Badge != "B3001" || s.Pickup.ID != "DOCK-01-PU00001" || len(s.Pickup.Parcels) != 3 ||
		!strings.HasPrefix(o.Feedback.Message, "Loaded "+c) {
		t.Fatalf("after the restart: %+v", o)
	}
	d.refused(typed(a), dispatch.StepLoad, "is already on this pickup")
	d.refused(key(floor.CmdClosePickup), dispatch.StepLoad, "NOT CLOSED: this bench has no printer")
	if p, err := st.Pickup(ctx, "DOCK-01-PU00001"); err != nil || !p.Open || len(p.Parcels) != 3 {
		t.Fatalf("pickup %+v %v", p, err)
	}
	d.ok(key(floor.CmdLogout), dispatch.StepLogin)
	d.cancel()

	d = openDock(t, st, dispatchOptions())
	d.ok(typed("B2001"), dispatch.StepCarrier) // a packer may load
	o, s = d.ok(typed("1"), dispatch.StepLoad)
	if s.Pickup.ID != "DOCK-01-PU00001" || len(s.Pickup.Parcels) != 3 || !strings.Contains(o.Feedback.Message, "resumed with 3 parcels") {
		t.Fatalf("resumed by another loader: %+v", o)
	}
	o, s = d.ok(key(floor.CmdClosePickup), dispatch.StepCarrier)
	if s.Closed == nil || len(s.Closed.SSCCs) != 3 {
		t.Fatalf("close: %+v", o)
	}
	if s, _ := st.ShipmentStatus(ctx, "ORD-0002-1"); s != "shipped" {
		t.Fatalf("ORD-0002-1 is %q", s)
	}
	// A shipment of ORD-0002 shipped, but it was packed short: the order
	// is still open here (a partial is for the pack bench to say).
	var closed floor.DispatchClosedPayload
	if err := json.Unmarshal(o.Events[0].Payload, &closed); err != nil {
		t.Fatal(err)
	}
	job, err := st.PrintJob(ctx, closed.Job)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []string{a, b, c} {
		if !bytes.Contains(job.ZPL, []byte(x)) {
			t.Errorf("the manifest lacks %s", x)
		}
	}
	if !bytes.Contains(job.ZPL, []byte("3 OF 3")) {
		t.Errorf("the manifest does not count 3 parcels:\n%s", job.ZPL)
	}
}

// TestDispatchWriteErrorIsNotSaved: a write error (injected in the real
// store) while loading or closing is NOT SAVED: nothing journaled, no
// parcel loaded, nothing shipped, no manifest queued, the bench where it
// was; once the disk is back the same inputs go through.
func TestDispatchWriteErrorIsNotSaved(t *testing.T) {
	st, _ := dispatchStore(t)
	defer st.Close()
	a, b := ssccN(t, 1), ssccN(t, 2)
	labelled(t, st, "ORD-0002", "ORD-0002-1", false, a, b)
	d := openDock(t, st, dispatchOptions())
	d.ok(typed("B3001"), dispatch.StepCarrier)
	d.ok(typed("1"), dispatch.StepLoad)
	d.ok(typed(a), dispatch.StepLoad)
	last, _ := st.LastSeq(ctx)
	heal := failWrites(t, st)
	for _, in := range []station.Action{typed(b), typed(ssccN(t, 9)), key(floor.CmdUndo), key(floor.CmdClosePickup)} {
		if !d.s.Submit(in) {
			t.Fatal("not taken")
		}
		o := <-d.s.Outcomes()
		notSaved(t, st, o, last)
		if s := o.State.(dispatch.State); s.Step != dispatch.StepLoad || len(s.Pickup.Parcels) != 1 {
			t.Fatalf("%+v: the bench moved: %+v", in, s)
		}
	}
	if p, err := st.Pickup(ctx, "DOCK-01-PU00001"); err != nil || !p.Open || len(p.Parcels) != 1 {
		t.Fatalf("pickup %+v %v", p, err)
	}
	if s, _ := st.ShipmentStatus(ctx, "ORD-0002-1"); s != "completed" {
		t.Fatalf("shipped although nothing was saved: %q", s)
	}
	if jobs, err := st.PrintJobs(ctx, "zebra-1"); err != nil || len(jobs) != 0 {
		t.Fatalf("a manifest was queued although nothing was saved: %+v %v", jobs, err)
	}
	heal()
	d.ok(typed(b), dispatch.StepLoad)
	d.ok(key(floor.CmdClosePickup), dispatch.StepCarrier)
	if s, _ := st.ShipmentStatus(ctx, "ORD-0002-1"); s != "shipped" {
		t.Fatalf("ORD-0002-1 is %q", s)
	}
}

// TestDispatchResumeChecksTheRole: a loader resumed after a restart must
// still be one the station lets load; otherwise the bench asks for a
// badge, and the pickup stays open for the next loader.
func TestDispatchResumeChecksTheRole(t *testing.T) {
	st, _ := dispatchStore(t)
	defer st.Close()
	labelled(t, st, "ORD-0002", "ORD-0002-1", false, ssccN(t, 1))
	d := openDock(t, st, dispatchOptions())
	d.ok(typed("B2001"), dispatch.StepCarrier) // a packer
	d.ok(typed("1"), dispatch.StepLoad)
	d.ok(typed(ssccN(t, 1)), dispatch.StepLoad)
	d.cancel()
	opts := dispatchOptions()
	opts.Roles = []floor.Role{floor.RoleLoader}
	d = openDock(t, st, opts)
	if s, _ := d.s.Snapshot().State.(dispatch.State); s.Step != dispatch.StepLogin || s.Operator.Badge != "" {
		t.Fatalf("a packer resumed where only loaders may load: %+v", s)
	}
	d.refused(typed("B2001"), dispatch.StepLogin, "Pam Packer may not load parcels on this station")
	d.ok(typed("B3001"), dispatch.StepCarrier)
	if _, s := d.ok(typed("1"), dispatch.StepLoad); len(s.Pickup.Parcels) != 1 {
		t.Fatalf("the pickup did not stay open: %+v", s)
	}
}

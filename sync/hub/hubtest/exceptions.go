package hubtest

import (
	"slices"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	extra = append(extra, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"FloorExceptionsResolved", floorExceptions})
}

// floorExceptions: the hub raises the floor's exceptions from the
// events it applies (a label failing twice raises one), lists them with
// the conflicts oldest first, and applies each resolution in the push:
// re-release sends a task to the wave's cart, recount a count task to
// the named cart (whose count it then records once), release held lifts
// the holds, reassigning a wave moves it and its admission; each
// resolution is told to the station that met the exception. A picker's
// badge and a second resolution are refused, and a resent batch changes
// nothing.
func floorExceptions(t *testing.T, h *hub.Service) {
	site(t, h, 3)
	_, err := h.ImportReference(ctx, protocol.Reference{Operators: []protocol.Operator{
		{Badge: "B1001", Name: "Pia", Roles: []string{"picker"}},
		{Badge: "B1004", Name: "Sam", Roles: []string{"packer", "supervisor"}}}})
	must(t, err)
	for _, id := range []string{"CART-01", "CART-02", "PACK-01", "SUP-01"} {
		register(t, h, id)
	}
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	must(t, h.PlaceHold(ctx, "SO-3", protocol.Hold{Reason: "ADDRESS"}, at))
	cart, bench, sup, cart2 := &journal{station: "CART-01"}, &journal{station: "PACK-01"}, &journal{station: "SUP-01"}, &journal{station: "CART-02"}
	short := func(order string, line int, sku, loc string, n int, why floor.ShortReason) any {
		return floor.ShortPayload{TaskPayload: floor.TaskPayload{Order: order, Line: line, SKU: sku, Location: loc}, Picked: 0, Short: n, Reason: why}
	}
	trouble := func(job int64) any {
		return floor.LabelTroublePayload{Job: job, Printer: "zebra-1", Kind: floor.LabelShipping, Ref: "SH-1", Reason: "out of paper"}
	}
	push := func(j *journal, evs ...protocol.Event) []protocol.Outcome {
		t.Helper()
		resp, err := h.Push(ctx, j.station, at, evs)
		must(t, err)
		return resp.Outcomes
	}
	push(cart, cart.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 1)),
		cart.ev(string(floor.EvTaskShort), short("SO-1", 1, "MUG-1", "A-01", 1, floor.ShortNotFound)),
		cart.ev(string(floor.EvTaskShort), short("SO-2", 2, "CUP-1", "A-02", 1, floor.ShortDamaged)))
	push(bench, bench.ev(string(floor.EvLabelFailed), trouble(7)), bench.ev(string(floor.EvLabelFailed), trouble(7)),
		bench.ev(string(floor.EvLabelInDoubt), trouble(8)),
		bench.ev(string(floor.EvPackWeightRecorded), floor.PackWeightPayload{Order: "SO-2", Carton: 1, WeightG: 900, ExpectedG: 500, ToleranceG: 25, Checked: true}),
		bench.ev(string(floor.EvPackHeld), floor.PackHeldPayload{Order: "SO-3", Holds: []floor.HoldInfo{{Reason: "ADDRESS"}}, HoldingLocation: "HOLD-1", Units: 2}),
		bench.ev("pack.label_requested", map[string]any{"order": "SO-1", "shipment": "SH-1", "lines": []map[string]int{{"line": 1, "qty": 1}}}))
	view, err := h.Site(ctx, 0, at)
	must(t, err)
	byKind := map[string]protocol.Conflict{}
	var kinds []string
	for _, e := range view.Exceptions {
		if e.Source == floor.SourceFloor {
			byKind[e.Kind] = e
			kinds = append(kinds, e.Kind)
		}
	}
	want := []string{floor.ExShortPick, floor.ExDamaged, floor.ExPrintFailed, floor.ExLabelInDoubt, floor.ExWeightMismatch, floor.ExHeldAtPack, floor.ExSyncRejected}
	for _, k := range want {
		if _, ok := byKind[k]; !ok {
			t.Fatalf("no %s in the queue: %v", k, kinds)
		}
	}
	if n := strings.Count(strings.Join(kinds, " "), floor.ExPrintFailed); n != 1 {
		t.Fatalf("a label failing twice raised %d exceptions", n)
	}
	if d := byKind[floor.ExShortPick].Detail; d == nil || d.Wave != "W1" || d.Location != "A-01" || d.Qty != 1 || d.Line != 1 {
		t.Fatalf("the short pick's detail: %+v", d)
	}
	for i := 1; i < len(view.Exceptions); i++ {
		if view.Exceptions[i].At.Before(view.Exceptions[i-1].At) {
			t.Fatalf("not oldest first: %+v", view.Exceptions)
		}
	}

	resolve := func(j *journal, badge string, p floor.ExceptionResolvedPayload) protocol.Outcome {
		t.Helper()
		ev := j.ev(string(floor.EvExceptionResolved), p)
		ev.Operator = badge
		return push(j, ev)[0]
	}
	floorEx := func(kind, action, reason string) floor.ExceptionResolvedPayload {
		return floor.ExceptionResolvedPayload{Exception: byKind[kind].ID, Source: floor.SourceFloor, Action: action, Reason: reason}
	}
	// The picker's badge, and an action that does not fit.
	if o := resolve(sup, "B1001", floorEx(floor.ExWeightMismatch, floor.ResolveVoid, "scale checked")); o.Status != protocol.Rejected || !strings.Contains(o.Reason, "not a supervisor") {
		t.Fatalf("a picker voiding: %+v", o)
	}
	if o := resolve(sup, "B1004", floorEx(floor.ExLabelInDoubt, floor.ResolveApproveShort, "x y z")); o.Status != protocol.Rejected || !strings.Contains(o.Reason, "does not resolve a label in doubt") {
		t.Fatalf("approving a label: %+v", o)
	}
	// Re-release the short to A-02: a task there for the wave's cart.
	rr := floorEx(floor.ExShortPick, floor.ResolveRerelease, "stock moved to A-02")
	rr.Location = "A-02"
	if o := resolve(sup, "B1004", rr); o.Status != protocol.Accepted {
		t.Fatalf("re-release: %+v", o)
	}
	// Recount the damaged goods' location on the other cart.
	rc := floorEx(floor.ExDamaged, floor.ResolveRecount, "check the bin")
	rc.Station = "CART-02"
	if o := resolve(sup, "B1004", rc); o.Status != protocol.Accepted {
		t.Fatalf("recount: %+v", o)
	}
	for _, p := range []floor.ExceptionResolvedPayload{floorEx(floor.ExPrintFailed, floor.ResolveReprint, "paper loaded"),
		floorEx(floor.ExLabelInDoubt, floor.ResolveLabelPrinted, "it is on the carton"),
		floorEx(floor.ExWeightMismatch, floor.ResolveVoid, "scale checked"),
		floorEx(floor.ExHeldAtPack, floor.ResolveReleaseHeld, "address confirmed")} {
		if o := resolve(sup, "B1004", p); o.Status != protocol.Accepted {
			t.Fatalf("%s: %+v", p.Action, o)
		}
	}
	if o := resolve(sup, "B1004", floorEx(floor.ExWeightMismatch, floor.ResolveVoid, "again")); o.Status != protocol.Rejected || !strings.Contains(o.Reason, "resolved already") {
		t.Fatalf("a second resolution: %+v", o)
	}
	if f, err := h.Fulfilment(ctx, "SO-3"); err != nil || len(f.Holds) != 0 {
		t.Fatalf("SO-3 still held: %+v %v", f.Holds, err)
	}
	// Reassign W1 from the cart that is down to CART-02.
	if o := resolve(sup, "B1004", floor.ExceptionResolvedPayload{Action: floor.ResolveReassignWave, Wave: "W1", Station: "CART-02", Reason: "CART-01 is down"}); o.Status != protocol.Accepted {
		t.Fatalf("reassign: %+v", o)
	}
	if o := push(cart, cart.ev(string(floor.EvUnitsPicked), picked("SO-2", 1, 1)))[0]; o.Status != protocol.Rejected || !strings.Contains(o.Reason, "CART-02") {
		t.Fatalf("a pick from the old cart: %+v", o)
	}
	p2 := picked("SO-2", 1, 1).(floor.UnitsPayload)
	p2.Tote = "T2"
	if o := push(cart2, cart2.ev(string(floor.EvUnitsPicked), p2))[0]; o.Status != protocol.Accepted {
		t.Fatalf("a pick from the new cart: %+v", o)
	}

	// SO-1's picked unit set aside on the holding shelf, then sent back
	// to stock.
	push(bench, bench.ev(string(floor.EvPackSetAside), floor.PackSetAsidePayload{Order: "SO-1", Reason: floor.SetAsideHeld, Location: "HOLD-1", Units: 1}))
	view, err = h.Site(ctx, 0, at)
	must(t, err)
	var shelf protocol.Conflict
	for _, e := range view.Exceptions {
		if e.Kind == floor.ExHoldingShelf {
			shelf = e
		}
	}
	if shelf.ID == 0 || shelf.Order != "SO-1" {
		t.Fatalf("the holding shelf is not in the queue: %+v", view.Exceptions)
	}
	ret := floor.ExceptionResolvedPayload{Exception: shelf.ID, Source: floor.SourceFloor, Action: floor.ResolveReturnHeld, Reason: "customer cancelled by phone"}
	if o := resolve(sup, "B1004", ret); o.Status != protocol.Accepted {
		t.Fatalf("return held: %+v", o)
	}
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if len(f.RestockTasks) != 1 || f.RestockTasks[0].Qty != 1 || f.RestockTasks[0].From != "HOLD-1" || len(f.HoldingShelf) != 0 || f.Lines[0].Restocked != 1 {
		t.Fatalf("SO-1 after its goods went back to stock: restock %+v shelf %+v lines %+v", f.RestockTasks, f.HoldingShelf, f.Lines)
	}
	// Its tote is empty: every cart may take it again.
	if totes, _, _ := toteChanges(t, h, "CART-02", ""); totes["T-SO-1"].Order != "" || totes["T-SO-1"].Freed != "SO-1" || totes["T-SO-1"].FreedBy != protocol.ToteFreedWithdrawn {
		t.Fatalf("SO-1's tote after its goods went back to stock: %+v", totes["T-SO-1"])
	}

	// What each station was told.
	changes := func(station string) []protocol.Change {
		pages, _ := pullAll(t, h, station, "", 500)
		var out []protocol.Change
		for _, p := range pages {
			out = append(out, p.Changes...)
		}
		return out
	}
	var notices []protocol.Notice
	var reoffered bool
	for _, c := range changes("CART-01") {
		if c.Notice != nil {
			notices = append(notices, *c.Notice)
		}
		if c.Task != nil && c.Task.Location == "A-02" && c.Task.Order == "SO-1" && c.Task.Qty == 1 {
			reoffered = true
		}
	}
	// The third: W1 moved away from CART-01, in words for its picker.
	if !reoffered || len(notices) != 3 || !strings.Contains(notices[0].Text, "sent the missing units to be picked from A-02 (stock moved to A-02)") ||
		notices[2].Wave != "W1" || notices[2].Text != "Wave W1 was moved to CART-02 by B1004 (CART-01 is down): stop picking it and put its totes on the holding shelf" {
		t.Fatalf("CART-01 was told %+v (task at A-02: %v)", notices, reoffered)
	}
	var count *protocol.Count
	var tasks, waves int
	for _, c := range changes("CART-02") {
		switch {
		case c.Count != nil:
			count = c.Count
		case c.Task != nil:
			tasks++
		case c.Wave != nil && c.Wave.ID == "W1" && c.Wave.Station == "CART-02":
			waves++
		}
	}
	if count == nil || count.Location != "A-02" || count.SKU != "CUP-1" || count.Status != protocol.CountOpen || waves != 1 || tasks == 0 {
		t.Fatalf("CART-02 got count %+v, %d waves, %d tasks", count, waves, tasks)
	}
	var benchTold []string
	var reprintJob int64
	for _, c := range changes("PACK-01") {
		if c.Notice != nil {
			benchTold = append(benchTold, c.Notice.Action)
			if c.Notice.Action == floor.ResolveReprint {
				reprintJob = c.Notice.Job
			}
		}
	}
	slices.Sort(benchTold)
	if !slices.Equal(benchTold, []string{floor.ResolveLabelPrinted, floor.ResolveReleaseHeld, floor.ResolveReprint, floor.ResolveReturnHeld, floor.ResolveVoid}) || reprintJob != 7 {
		t.Fatalf("PACK-01 was told %v (reprint job %d)", benchTold, reprintJob)
	}
	// The count, once, from the cart it was sent to.
	counted := cart2.ev(string(floor.EvCountRecorded), floor.CountRecordedPayload{Count: count.ID, Location: "A-02", SKU: "CUP-1", Counted: 4})
	if o := push(cart, cart.ev(string(floor.EvCountRecorded), floor.CountRecordedPayload{Count: count.ID, Counted: 1}))[0]; o.Status != protocol.Rejected {
		t.Fatalf("a count from another cart: %+v", o)
	}
	if o := push(cart2, counted)[0]; o.Status != protocol.Accepted {
		t.Fatalf("the count: %+v", o)
	}
	if c, ok, err := h.CountTask(ctx, count.ID); err != nil || !ok || c.Status != protocol.CountCounted || c.Counted != 4 {
		t.Fatalf("the count task after the count: %+v %v %v", c, ok, err)
	}
	// A resent batch changes nothing.
	before, err := h.Site(ctx, 0, at)
	must(t, err)
	if o := push(cart2, counted)[0]; !o.Duplicate {
		t.Fatalf("the count resent: %+v", o)
	}
	after, err := h.Site(ctx, 0, at)
	must(t, err)
	if len(after.Exceptions) != len(before.Exceptions) {
		t.Fatalf("a resent count changed the queue: %d then %d", len(before.Exceptions), len(after.Exceptions))
	}
	for _, e := range after.Exceptions {
		if e.Source == floor.SourceFloor && e.Kind != floor.ExSyncRejected {
			t.Fatalf("still open: %+v", e)
		}
	}
}

package hubtest

import (
	"fmt"
	"reflect"
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
	}{"TotesTravel", totesTravel}, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"ToteHeldOnEveryCart", toteHeldOnEveryCart})
}

func unitsInto(tote, order string, task int64, line, qty int, lot string) floor.UnitsPayload {
	return floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: task, Order: order, Line: line, SKU: "MUG-1", Location: "A-01"},
		Qty: qty, Tote: tote, Lot: lot}
}

// toteChanges are the tote changes of a pull, by code, the latest last.
func toteChanges(t *testing.T, h *hub.Service, station, cursor string) (map[string]protocol.Tote, []protocol.Change, string) {
	t.Helper()
	pages, cur := pullAll(t, h, station, cursor, 1000)
	out := map[string]protocol.Tote{}
	all := changes(pages)
	for _, c := range all {
		if c.Tote != nil {
			out[c.Tote.Code] = *c.Tote
		}
	}
	return out, all, cur
}

// totesTravel: a cart's picks into a tote reach every pack bench (with
// the order's snapshot first); another cart gets only the tote's hold; an undo and a short
// move the record; packing frees the tote for every station; a
// duplicate push adds nothing; a station that becomes a pack bench is
// sent its slice again.
func totesTravel(t *testing.T, h *hub.Service) {
	site(t, h, 2)
	for _, s := range []string{"CART-01", "CART-02", "PACK-01"} {
		register(t, h, s)
	}
	must(t, h.NoteBench(ctx, "CART-01", protocol.BenchPick))
	must(t, h.NoteBench(ctx, "CART-02", protocol.BenchPick))
	must(t, h.NoteBench(ctx, "PACK-01", protocol.BenchPack))
	wantCode(t, h.NoteBench(ctx, "PACK-01", "PACK; DROP"), protocol.CodeBadRequest, "a bench name that is not one")
	sts, err := h.Stations(ctx)
	must(t, err)
	for _, s := range sts {
		if want := map[string]string{"CART-01": "pick", "CART-02": "pick", "PACK-01": "pack"}[s.ID]; s.Bench != want {
			t.Fatalf("station %s has bench %q, want %q", s.ID, s.Bench, want)
		}
	}
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	_, _, packCur := toteChanges(t, h, "PACK-01", "")
	_, _, cartCur := toteChanges(t, h, "CART-02", "")

	j := &journal{station: "CART-01"}
	batch := []protocol.Event{
		j.ev(string(floor.EvUnitsPicked), unitsInto("T1", "SO-1", 1, 1, 1, "L1")),
		j.ev(string(floor.EvUnitsPicked), unitsInto("T1", "SO-1", 1, 1, 1, "L2")),
		j.ev(string(floor.EvTaskShort), floor.ShortPayload{TaskPayload: floor.TaskPayload{Task: 2, Order: "SO-1", Line: 2, SKU: "CUP-1"}, Short: 1}),
	}
	_, err = h.Push(ctx, "CART-01", at, batch)
	must(t, err)
	totes, all, packCur2 := toteChanges(t, h, "PACK-01", packCur)
	t1, ok := totes["T1"]
	if !ok || t1.Order != "SO-1" || t1.Fill != 1 || len(t1.Units) != 2 || t1.Units[0].Lot != "L1" || t1.Units[1].Station != "CART-01" ||
		len(t1.Shorts) != 1 || t1.Shorts[0].Qty != 1 || t1.Shorts[0].Line != 2 {
		t.Fatalf("the pack bench's tote T1: %+v (found %v)", t1, ok)
	}
	firstOrder, firstTote := -1, -1
	for i, c := range all {
		if c.Order != nil && c.Order.ID == "SO-1" && firstOrder < 0 {
			firstOrder = i
			if c.Order.ShipTo != addr {
				t.Fatalf("the order's snapshot lacks its ship-to: %+v", c.Order)
			}
		}
		if c.Tote != nil && firstTote < 0 {
			firstTote = i
		}
	}
	if firstOrder < 0 || firstOrder > firstTote {
		t.Fatalf("the order's snapshot must come before its tote: order at %d, tote at %d", firstOrder, firstTote)
	}
	if other, _, _ := toteChanges(t, h, "CART-02", cartCur); len(other) != 1 || !other["T1"].Hold || len(other["T1"].Units) != 0 {
		t.Fatalf("another cart was sent more than the tote's hold: %+v", other)
	}

	// The same push again changes nothing.
	_, err = h.Push(ctx, "CART-01", at, batch)
	must(t, err)
	if again, _, _ := toteChanges(t, h, "PACK-01", packCur2); len(again) != 0 {
		t.Fatalf("a duplicate push fed the benches again: %+v", again)
	}

	// A hold placed while the order is in a tote reaches the pack bench.
	must(t, h.PlaceHold(ctx, "SO-1", protocol.Hold{Reason: "FRAUD_CHECK"}, at))
	_, held, packCur3 := toteChanges(t, h, "PACK-01", packCur2)
	if len(held) != 1 || held[0].Holds == nil || len(held[0].Holds.Holds) != 1 {
		t.Fatalf("the pack bench was not told of the hold: %+v", held)
	}
	must(t, h.ReleaseHold(ctx, "SO-1", "FRAUD_CHECK"))

	// The last pick undone: one unit left.
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{
		j.ev(string(floor.EvPickUndone), floor.UndoPayload{TaskPayload: floor.TaskPayload{Task: 1, Order: "SO-1", Line: 1, SKU: "MUG-1"}, Qty: 1})})
	must(t, err)
	totes, _, packCur4 := toteChanges(t, h, "PACK-01", packCur3)
	if t1 := totes["T1"]; len(t1.Units) != 1 || t1.Units[0].Lot != "L1" {
		t.Fatalf("after the undo T1 holds %+v", t1.Units)
	}

	// A carton labelled: the order's totes carry what it holds.
	pj := &journal{station: "PACK-01"}
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{
		pj.ev(string(floor.EvPackLabelRequested), floor.PackLabelPayload{Order: "SO-1", Shipment: "SO-1-1", Carton: 1,
			Lines: []floor.CartonLine{{Line: 1, SKU: "MUG-1", Qty: 1}}, SSCC: "006141410020000016", Tracking: "TT1"})})
	must(t, err)
	totes, _, packCur5 := toteChanges(t, h, "PACK-01", packCur4)
	if t1 := totes["T1"]; len(t1.Packed) != 1 || t1.Packed[0] != (protocol.TotePacked{Station: "PACK-01", Shipment: "SO-1-1", Line: 1, Qty: 1}) {
		t.Fatalf("T1 after a carton was labelled: %+v", t1.Packed)
	}
	packCur4 = packCur5

	// Packed on the bench: T1 is free for every station, carts too.
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{
		pj.ev(string(floor.EvPackShipmentCompleted), floor.PackShipmentPayload{Order: "SO-1", Shipment: "SO-1-1", Cartons: 1, Units: 1})})
	must(t, err)
	for _, st := range []struct{ id, cur string }{{"PACK-01", packCur4}, {"CART-02", cartCur}} {
		totes, _, _ := toteChanges(t, h, st.id, st.cur)
		if t1 := totes["T1"]; t1.Order != "" || t1.Freed != "SO-1" || t1.FreedBy != protocol.ToteFreedPacked || len(t1.Units) != 0 {
			t.Fatalf("%s: T1 after packing %+v", st.id, t1)
		}
	}

	// A new fill of T1 for SO-2 from another cart (its wave's) is a new fill.
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W2", Orders: []string{"SO-2"}, Station: "CART-02"}, at)
	must(t, err)
	j2 := &journal{station: "CART-02"}
	_, err = h.Push(ctx, "CART-02", at, []protocol.Event{j2.ev(string(floor.EvUnitsPicked), unitsInto("T1", "SO-2", 9, 1, 1, ""))})
	must(t, err)
	totes, _, _ = toteChanges(t, h, "PACK-01", packCur4)
	if t1 := totes["T1"]; t1.Order != "SO-2" || t1.Fill != 2 || len(t1.Units) != 1 || t1.Units[0].Station != "CART-02" {
		t.Fatalf("T1's second fill: %+v", t1)
	}

	// A supervisor releases it: free again.
	_, err = h.Push(ctx, "CART-02", at, []protocol.Event{j2.ev(string(floor.EvToteReleased), floor.ToteReleasePayload{Tote: "T1", Order: "SO-2", Reason: "damaged"})})
	must(t, err)
	totes, _, _ = toteChanges(t, h, "CART-01", "")
	if t1 := totes["T1"]; t1.Order != "" || t1.FreedBy != protocol.ToteFreedReleased || t1.Freed != "SO-2" {
		t.Fatalf("T1 released, as a cart sees it: %+v", t1)
	}

	// In one push: picks into two new totes, and undos that take one
	// back and empty the other.
	undo := func(task int64) protocol.Event {
		return j2.ev(string(floor.EvPickUndone), floor.UndoPayload{TaskPayload: floor.TaskPayload{Task: task, Order: "SO-2", Line: 1, SKU: "MUG-1"}, Qty: 1})
	}
	_, err = h.Push(ctx, "CART-02", at, []protocol.Event{
		j2.ev(string(floor.EvUnitsPicked), unitsInto("T2", "SO-2", 10, 1, 1, "A")),
		j2.ev(string(floor.EvUnitsPicked), unitsInto("T2", "SO-2", 10, 1, 1, "B")),
		undo(10),
		j2.ev(string(floor.EvUnitsPicked), unitsInto("T3", "SO-2", 11, 1, 1, "")),
		undo(11),
	})
	must(t, err)
	totes, _, _ = toteChanges(t, h, "PACK-01", packCur4)
	if t2 := totes["T2"]; t2.Order != "SO-2" || len(t2.Units) != 1 || t2.Units[0].Lot != "A" {
		t.Fatalf("T2 after two picks and an undo in one push: %+v", t2)
	}
	if t3 := totes["T3"]; t3.Order != "" || t3.FreedBy != protocol.ToteFreedUndone {
		t.Fatalf("T3 after its only pick was undone in the same push: %+v", t3)
	}

	// CART-02 becomes a pack bench: its next pull starts its slice again,
	// the totes' history included.
	must(t, h.NoteBench(ctx, "CART-02", protocol.BenchPack))
	resp, err := h.Pull(ctx, "CART-02", cartCur, 1000, at)
	must(t, err)
	if !resp.Reset {
		t.Fatal("a station that changed bench was not sent its slice again")
	}
	var sawFill bool
	for _, c := range resp.Changes {
		sawFill = sawFill || c.Tote != nil && c.Tote.Order == "SO-1"
	}
	if !sawFill {
		t.Fatal("the new pack bench was not sent the tote's fill")
	}
}

// toteHeldOnEveryCart: when a fill begins, every cart is sent the tote's
// hold (its order and the cart that filled it, not its units) once, so
// no cart puts a second order in it; the pack benches get the fill
// itself, not a hold. A cart that picks into it anyway (offline, or
// within a pull of the first) is accepted, since the goods are in the
// tote, and raises a tote-two-orders conflict naming both orders and
// the cart that filled it first. A supervisor at one cart may release a
// tote another cart filled: it is free for every station.
func toteHeldOnEveryCart(t *testing.T, h *hub.Service) {
	site(t, h, 2)
	register(t, h, "PACK-01")
	for i, cart := range []string{"CART-01", "CART-02"} {
		register(t, h, cart)
		must(t, h.NoteBench(ctx, cart, protocol.BenchPick))
		_, err := h.CreateWave(ctx, protocol.NewWave{ID: fmt.Sprintf("W%d", i+1), Orders: []string{fmt.Sprintf("SO-%d", i+1)}, Station: cart}, at)
		must(t, err)
	}
	cur := map[string]string{}
	for _, s := range []string{"CART-01", "CART-02", "PACK-01"} {
		_, _, cur[s] = toteChanges(t, h, s, "")
	}
	// pull returns the tote changes of station's pull since the last.
	pull := func(station string) []protocol.Tote {
		t.Helper()
		var all []protocol.Change
		_, all, cur[station] = toteChanges(t, h, station, cur[station])
		var out []protocol.Tote
		for _, c := range all {
			if c.Tote != nil {
				out = append(out, *c.Tote)
			}
		}
		return out
	}
	accepted := func(res protocol.PushResponse) {
		t.Helper()
		for _, o := range res.Outcomes {
			if o.Status != protocol.Accepted {
				t.Fatalf("event %d: %s (%s)", o.Seq, o.Status, o.Reason)
			}
		}
	}

	j1 := &journal{station: "CART-01"}
	res, err := h.Push(ctx, "CART-01", at, []protocol.Event{j1.ev(string(floor.EvUnitsPicked), unitsInto("T1", "SO-1", 1, 1, 1, "L1"))})
	must(t, err)
	accepted(res)
	hold := protocol.Tote{Code: "T1", Order: "SO-1", Fill: 1, Hold: true, FilledBy: "CART-01"}
	for _, cart := range []string{"CART-01", "CART-02"} {
		if got := pull(cart); len(got) != 1 || !reflect.DeepEqual(got[0], hold) {
			t.Fatalf("%s was sent %+v, want the hold %+v only", cart, got, hold)
		}
	}
	if got := pull("PACK-01"); len(got) != 1 || got[0].Hold || got[0].FilledBy != "" || len(got[0].Units) != 1 {
		t.Fatalf("the pack bench was sent %+v, want the fill with its unit", got)
	}
	if err := hold.Check(); err != nil {
		t.Fatalf("the hold does not pass a station's check: %v", err)
	}
	// More units of the same fill: nothing new for the carts.
	res, err = h.Push(ctx, "CART-01", at, []protocol.Event{j1.ev(string(floor.EvUnitsPicked), unitsInto("T1", "SO-1", 2, 1, 1, "L2"))})
	must(t, err)
	accepted(res)
	if got := pull("CART-02"); len(got) != 0 {
		t.Fatalf("a cart was sent %+v for units of a fill it knows", got)
	}
	cs, err := h.Conflicts(ctx, 0, 100)
	must(t, err)
	if len(cs) != 0 {
		t.Fatalf("conflicts before a second order went in: %+v", cs)
	}

	// CART-02, which had not pulled the hold, puts SO-2 in T1.
	j2 := &journal{station: "CART-02"}
	res, err = h.Push(ctx, "CART-02", at, []protocol.Event{j2.ev(string(floor.EvUnitsPicked), unitsInto("T1", "SO-2", 9, 1, 1, ""))})
	must(t, err)
	accepted(res)
	cs, err = h.Conflicts(ctx, 0, 100)
	must(t, err)
	if len(cs) != 1 || cs[0].Kind != hub.ConflictToteTwoOrders || cs[0].Order != "SO-2" || cs[0].Station != "CART-02" || cs[0].Seq != 1 {
		t.Fatalf("conflicts after a second order went into T1: %+v", cs)
	}
	for _, w := range []string{"tote T1 still held SO-1 (picked at CART-01) when CART-02 picked SO-2 into it", "sort them before it is packed"} {
		if !strings.Contains(cs[0].Reason, w) {
			t.Fatalf("the conflict's reason %q does not say %q", cs[0].Reason, w)
		}
	}
	hold2 := protocol.Tote{Code: "T1", Order: "SO-2", Fill: 2, Hold: true, FilledBy: "CART-02"}
	if got := pull("CART-01"); len(got) != 1 || !reflect.DeepEqual(got[0], hold2) {
		t.Fatalf("CART-01 was sent %+v, want the new hold %+v", got, hold2)
	}
	if got := pull("PACK-01"); len(got) != 2 || got[0].Fill != 1 || len(got[0].Units) != 2 || got[1].Order != "SO-2" || got[1].Fill != 2 || len(got[1].Units) != 1 || got[1].Hold {
		t.Fatalf("the pack bench was sent %+v, want T1's first fill grown, then its second", got)
	}

	// A supervisor at CART-01 empties T1, which CART-02 filled last: it
	// is free for every station, CART-02 included.
	res, err = h.Push(ctx, "CART-01", at, []protocol.Event{j1.ev(string(floor.EvToteReleased), floor.ToteReleasePayload{Tote: "T1", Order: "SO-2", Reason: "sorted by hand", Supervisor: "B9"})})
	must(t, err)
	accepted(res)
	if got := pull("CART-02"); len(got) != 2 || !got[0].Hold || got[1].Order != "" || got[1].Freed != "SO-2" || got[1].FreedBy != protocol.ToteFreedReleased {
		t.Fatalf("CART-02 was sent %+v, want its own hold, then T1 free", got)
	}
}

// toteFillTwoHubs: two hubs on one store, one cart's pushes going to
// either in turn, with undos. Each hub sends a fill's units from what it
// sent before while the tote is unchanged (hub/totes.go); here the other
// hub changed it in between, or this one did, and the pack bench is
// always sent the fill as it is.
func toteFillTwoHubs(t *testing.T, open Open) {
	s := open(t)
	hubs := []*hub.Service{hub.New(s, hub.ServiceOptions{}), hub.New(s, hub.ServiceOptions{})}
	h := hubs[0]
	site(t, h, 1)
	_, err := h.ImportOrders(ctx, []protocol.Order{{ID: "SO-9", Customer: "Olivia", ShipTo: addr,
		Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 50}}}}, at)
	must(t, err)
	for _, st := range []string{"CART-01", "PACK-01"} {
		register(t, h, st)
	}
	must(t, h.NoteBench(ctx, "CART-01", protocol.BenchPick))
	must(t, h.NoteBench(ctx, "PACK-01", protocol.BenchPack))
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W9", Orders: []string{"SO-9"}, Station: "CART-01"}, at)
	must(t, err)
	_, _, cur := toteChanges(t, h, "PACK-01", "")

	j := &journal{station: "CART-01"}
	pick := func(task int64) protocol.Event {
		return j.ev(string(floor.EvUnitsPicked), unitsInto("T9", "SO-9", task, 1, 1, fmt.Sprintf("L%d", task)))
	}
	undo := func(task int64) protocol.Event {
		return j.ev(string(floor.EvPickUndone), floor.UndoPayload{TaskPayload: floor.TaskPayload{Task: task, Order: "SO-9", Line: 1, SKU: "MUG-1"}, Qty: 1})
	}
	steps := []struct {
		hub    int
		events []protocol.Event
		lots   []string // the fill's units after the push, by seq
	}{
		{0, []protocol.Event{pick(1), pick(2)}, []string{"L1", "L2"}},
		{1, []protocol.Event{undo(2), pick(3)}, []string{"L1", "L3"}}, // hub 0 sent L2
		{0, []protocol.Event{pick(4)}, []string{"L1", "L3", "L4"}},
		{1, []protocol.Event{pick(5)}, []string{"L1", "L3", "L4", "L5"}},
		{1, []protocol.Event{pick(6), undo(6)}, []string{"L1", "L3", "L4", "L5"}},
		{1, []protocol.Event{undo(5), pick(7)}, []string{"L1", "L3", "L4", "L7"}},
		{0, []protocol.Event{pick(8)}, []string{"L1", "L3", "L4", "L7", "L8"}},
		{0, []protocol.Event{undo(1)}, []string{"L3", "L4", "L7", "L8"}},
	}
	for i, step := range steps {
		res, err := hubs[step.hub].Push(ctx, "CART-01", at, step.events)
		must(t, err)
		for _, o := range res.Outcomes {
			if o.Status != protocol.Accepted {
				t.Fatalf("step %d: event %d %s: %s", i, o.Seq, o.Status, o.Reason)
			}
		}
		var totes map[string]protocol.Tote
		totes, _, cur = toteChanges(t, hubs[1-step.hub], "PACK-01", cur)
		var lots []string
		for _, u := range totes["T9"].Units {
			lots = append(lots, u.Lot)
		}
		if fmt.Sprint(lots) != fmt.Sprint(step.lots) || totes["T9"].Fill != 1 {
			t.Fatalf("step %d (hub %d): the bench was sent T9 fill %d with %v, want fill 1 with %v", i, step.hub, totes["T9"].Fill, lots, step.lots)
		}
	}
}

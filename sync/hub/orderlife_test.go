package hub

import (
	"strings"
	"testing"

	"github.com/totewms/tote/sync/protocol"
)

// line is a line of 5 ordered with its buckets set; the counts follow.
func line(open, tote, packed, shipped, bo, restocked, cancelled int) protocol.LineLife {
	return protocol.LineLife{Line: 1, SKU: "MUG-1", Ordered: open + tote + packed + shipped + bo + restocked + cancelled,
		Open: open, InTote: tote, Packed: packed, Shipped: shipped, BackOrdered: bo, Restocked: restocked, Cancelled: cancelled}
}

func with(l protocol.LineLife, f func(*protocol.LineLife)) protocol.LineLife {
	f(&l)
	return l
}

// TestApplyMove: every move, what it does and when it is refused. After
// every move, accepted or not, the line reconciles (CheckLine).
func TestApplyMove(t *testing.T) {
	tests := []struct {
		name   string
		from   protocol.LineLife
		move   Move
		want   protocol.LineLife
		refuse string // part of the refusal; "" when the move applies
	}{
		{"pick from open", line(5, 0, 0, 0, 0, 0, 0), Move{MovePick, 3},
			with(line(2, 3, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Picked = 3 }), ""},
		{"pick all", line(5, 0, 0, 0, 0, 0, 0), Move{MovePick, 5},
			with(line(0, 5, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Picked = 5 }), ""},
		{"pick more than open", line(2, 3, 0, 0, 0, 0, 0), Move{MovePick, 3}, protocol.LineLife{}, "has 2 still to pick"},
		{"pick nothing", line(5, 0, 0, 0, 0, 0, 0), Move{MovePick, 0}, protocol.LineLife{}, "not a quantity"},
		{"pick after its pack arrived first",
			with(line(3, 0, 2, 0, 0, 0, 0), func(l *protocol.LineLife) { l.PackedAhead = 2 }), Move{MovePick, 3},
			with(line(2, 1, 2, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Picked = 3 }), ""},
		{"undo a pick", with(line(2, 3, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Picked = 3 }), Move{MoveUnpick, 2},
			with(line(4, 1, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Picked = 1 }), ""},
		{"undo more than in totes", line(2, 3, 0, 0, 0, 0, 0), Move{MoveUnpick, 4}, protocol.LineLife{}, "has 3 in totes"},
		{"short, back-ordered", line(2, 3, 0, 0, 0, 0, 0), Move{MoveShortBackOrder, 2},
			with(line(0, 3, 0, 0, 2, 0, 0), func(l *protocol.LineLife) { l.Short = 2 }), ""},
		{"short, reallocated", line(2, 3, 0, 0, 0, 0, 0), Move{MoveShortRealloc, 2},
			with(line(2, 3, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Short, l.Reallocated = 2, 2 }), ""},
		{"short more than open", line(1, 4, 0, 0, 0, 0, 0), Move{MoveShortBackOrder, 2}, protocol.LineLife{}, "has 1 still to pick"},
		{"short reallocated more than open", line(0, 5, 0, 0, 0, 0, 0), Move{MoveShortRealloc, 1}, protocol.LineLife{}, "has 0 still to pick"},
		{"pack from totes", line(0, 5, 0, 0, 0, 0, 0), Move{MovePack, 4}, line(0, 1, 4, 0, 0, 0, 0), ""},
		{"pack ahead of the pick", line(3, 1, 0, 0, 0, 0, 0), Move{MovePack, 3},
			with(line(1, 0, 3, 0, 0, 0, 0), func(l *protocol.LineLife) { l.PackedAhead = 2 }), ""},
		{"pack more than the line has", line(1, 1, 3, 0, 0, 0, 0), Move{MovePack, 3}, protocol.LineLife{}, "has 2 picked or still to pick"},
		{"void a label", line(0, 0, 5, 0, 0, 0, 0), Move{MoveUnpack, 5}, line(0, 5, 0, 0, 0, 0, 0), ""},
		{"void more than packed", line(0, 0, 2, 3, 0, 0, 0), Move{MoveUnpack, 3}, protocol.LineLife{}, "has 2 packed and not shipped"},
		{"ship", line(0, 0, 5, 0, 0, 0, 0), Move{MoveShip, 5}, line(0, 0, 0, 5, 0, 0, 0), ""},
		{"ship more than packed", line(0, 2, 3, 0, 0, 0, 0), Move{MoveShip, 4}, protocol.LineLife{}, "has 3 packed and not shipped"},
		{"partial shipment: the rest waits for stock", line(1, 1, 3, 0, 0, 0, 0), Move{Kind: MoveBackOrderRest},
			line(0, 0, 3, 0, 2, 0, 0), ""},
		{"partial shipment of a complete line", line(0, 0, 5, 0, 0, 0, 0), Move{Kind: MoveBackOrderRest}, line(0, 0, 5, 0, 0, 0, 0), ""},
		{"release a back order", line(0, 0, 0, 3, 2, 0, 0), Move{MoveRelease, 2},
			with(line(2, 0, 0, 3, 0, 0, 0), func(l *protocol.LineLife) { l.Released = 2 }), ""},
		{"release more than back-ordered", line(0, 0, 0, 3, 2, 0, 0), Move{MoveRelease, 3}, protocol.LineLife{}, "has 2 back-ordered"},
		{"close a back order", line(0, 0, 0, 3, 2, 0, 0), Move{MoveCloseBackOrder, 2}, line(0, 0, 0, 3, 0, 0, 2), ""},
		{"close more than back-ordered", line(0, 0, 0, 5, 0, 0, 0), Move{MoveCloseBackOrder, 1}, protocol.LineLife{}, "has 0 back-ordered"},
		{"cancel", line(2, 1, 1, 0, 1, 0, 0), Move{Kind: MoveCancel}, line(0, 1, 1, 0, 0, 0, 3), ""},
		{"restock from a tote", line(0, 3, 2, 0, 0, 0, 0), Move{MoveRestock, 4}, line(0, 0, 1, 0, 0, 4, 0), ""},
		{"restock more than on hand", line(2, 1, 0, 2, 0, 0, 0), Move{MoveRestock, 2}, protocol.LineLife{}, "has 1 in totes or cartons"},
		{"a return", line(0, 0, 0, 5, 0, 0, 0), Move{MoveReturn, 2},
			with(line(0, 0, 0, 5, 0, 0, 0), func(l *protocol.LineLife) { l.Returned = 2 }), ""},
		{"a return of more than shipped", line(0, 0, 2, 3, 0, 0, 0), Move{MoveReturn, 4}, protocol.LineLife{}, "has 3 shipped and not yet returned"},
		{"an unknown move", line(5, 0, 0, 0, 0, 0, 0), Move{"teleport", 1}, protocol.LineLife{}, "unknown move"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckLine(tc.from); err != nil {
				t.Fatalf("the starting line does not reconcile: %v", err)
			}
			got, err := ApplyMove(tc.from, tc.move)
			if tc.refuse != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refuse) {
					t.Fatalf("got %+v, %v; want a refusal with %q", got, err, tc.refuse)
				}
				if got != tc.from {
					t.Fatalf("a refused move changed the line: %+v, was %+v", got, tc.from)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
			if err := CheckLine(got); err != nil {
				t.Fatalf("after the move: %v", err)
			}
		})
	}
}

// TestCheckLine: what a line that does not reconcile is told.
func TestCheckLine(t *testing.T) {
	tests := []struct {
		name string
		l    protocol.LineLife
		want string
	}{
		{"units lost", with(line(5, 0, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Open = 4 }), "4 units accounted for but 5 ordered"},
		{"units made up", with(line(5, 0, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.InTote = 1 }), "6 units accounted for but 5 ordered"},
		{"a bucket below zero", with(line(5, 0, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Open, l.InTote = 6, -1 }), "below zero"},
		{"a count below zero", with(line(5, 0, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.Picked = -1 }), "below zero"},
		{"more returned than shipped", with(line(0, 0, 0, 2, 3, 0, 0), func(l *protocol.LineLife) { l.Returned = 3 }), "3 returned but only 2 shipped"},
		{"packed ahead of nothing", with(line(5, 0, 0, 0, 0, 0, 0), func(l *protocol.LineLife) { l.PackedAhead = 1 }), "packed ahead"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := CheckLine(tc.l); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	if err := CheckLine(line(1, 1, 1, 1, 1, 1, 1)); err != nil {
		t.Fatal(err)
	}
}

// TestDeriveState: the order's state from its standing and its lines.
func TestDeriveState(t *testing.T) {
	picked := func(l protocol.LineLife) protocol.LineLife { l.Picked = l.InTote + l.Packed + l.Shipped; return l }
	tests := []struct {
		name  string
		st    Standing
		lines []protocol.LineLife
		want  string
	}{
		{"nothing picked", Standing{}, []protocol.LineLife{line(5, 0, 0, 0, 0, 0, 0), line(1, 0, 0, 0, 0, 0, 0)}, protocol.StateReleased},
		{"some picked", Standing{}, []protocol.LineLife{picked(line(3, 2, 0, 0, 0, 0, 0)), line(1, 0, 0, 0, 0, 0, 0)}, protocol.StatePicking},
		{"a short, rest to pick", Standing{}, []protocol.LineLife{with(line(3, 0, 0, 0, 2, 0, 0), func(l *protocol.LineLife) { l.Short = 2 })}, protocol.StatePicking},
		{"all in totes", Standing{}, []protocol.LineLife{picked(line(0, 5, 0, 0, 0, 0, 0)), picked(line(0, 1, 0, 0, 0, 0, 0))}, protocol.StatePicked},
		{"in totes and a back order", Standing{}, []protocol.LineLife{picked(line(0, 3, 0, 0, 2, 0, 0))}, protocol.StatePicked},
		{"one carton of two", Standing{}, []protocol.LineLife{picked(line(0, 3, 2, 0, 0, 0, 0))}, protocol.StatePacking},
		{"packing while still picking", Standing{}, []protocol.LineLife{picked(line(1, 2, 2, 0, 0, 0, 0))}, protocol.StatePacking},
		{"all packed", Standing{}, []protocol.LineLife{picked(line(0, 0, 5, 0, 0, 0, 0))}, protocol.StatePacked},
		{"packed with a back order", Standing{}, []protocol.LineLife{picked(line(0, 0, 3, 0, 2, 0, 0))}, protocol.StatePacked},
		{"some shipped, rest back-ordered", Standing{}, []protocol.LineLife{picked(line(0, 0, 0, 3, 2, 0, 0))}, protocol.StatePartiallyShipped},
		{"some shipped, rest packed", Standing{}, []protocol.LineLife{picked(line(0, 0, 2, 3, 0, 0, 0))}, protocol.StatePartiallyShipped},
		{"all shipped", Standing{}, []protocol.LineLife{picked(line(0, 0, 0, 5, 0, 0, 0)), picked(line(0, 0, 0, 1, 0, 0, 0))}, protocol.StateShipped},
		{"shipped, back order closed", Standing{}, []protocol.LineLife{picked(line(0, 0, 0, 3, 0, 0, 2))}, protocol.StateClosed},
		{"nothing due any more", Standing{}, []protocol.LineLife{line(0, 0, 0, 0, 0, 0, 5)}, protocol.StateClosed},
		{"all back-ordered", Standing{}, []protocol.LineLife{with(line(0, 0, 0, 0, 5, 0, 0), func(l *protocol.LineLife) { l.Short = 5 })}, protocol.StateBackOrdered},
		{"held", Standing{Held: true}, []protocol.LineLife{picked(line(0, 0, 5, 0, 0, 0, 0))}, protocol.StateOnHold},
		{"held, partially shipped", Standing{Held: true}, []protocol.LineLife{picked(line(0, 0, 0, 3, 2, 0, 0))}, protocol.StateOnHold},
		{"held after shipping", Standing{Held: true}, []protocol.LineLife{picked(line(0, 0, 0, 5, 0, 0, 0))}, protocol.StateShipped},
		{"cancelled", Standing{Cancelled: true, Held: true}, []protocol.LineLife{picked(line(0, 2, 0, 0, 0, 0, 3))}, protocol.StateCancelled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := DeriveState(tc.st, tc.lines); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// TestTransitions: every step of the machine is allowed and every other
// is refused, in words.
func TestTransitions(t *testing.T) {
	states := []string{protocol.StateReleased, protocol.StatePicking, protocol.StatePicked, protocol.StatePacking, protocol.StatePacked,
		protocol.StatePartiallyShipped, protocol.StateShipped, protocol.StateBackOrdered, protocol.StateOnHold, protocol.StateCancelled, protocol.StateClosed}
	// The machine as docs/order-life.md draws it: from → to.
	allowed := map[[2]string]bool{}
	for _, s := range states {
		allowed[[2]string{s, s}] = true
	}
	edges := map[string]string{
		protocol.StateReleased:         "picking picked packing packed back_ordered on_hold cancelled",
		protocol.StatePicking:          "released picked packing packed back_ordered on_hold cancelled",
		protocol.StatePicked:           "released picking packing packed back_ordered on_hold cancelled",
		protocol.StatePacking:          "picking picked packed back_ordered partially_shipped on_hold cancelled",
		protocol.StatePacked:           "picking picked packing partially_shipped shipped closed on_hold cancelled",
		protocol.StateBackOrdered:      "released picking picked packing packed on_hold cancelled closed",
		protocol.StatePartiallyShipped: "shipped closed on_hold",
		protocol.StateOnHold:           "released picking picked packing packed back_ordered partially_shipped cancelled closed",
		protocol.StateShipped:          "closed",
	}
	for from, tos := range edges {
		for _, to := range strings.Fields(tos) {
			allowed[[2]string{from, to}] = true
		}
	}
	for _, from := range states {
		for _, to := range states {
			err := CheckTransition(from, to)
			if allowed[[2]string{from, to}] {
				if err != nil {
					t.Errorf("%s → %s refused: %v", from, to, err)
				}
				continue
			}
			if err == nil || !strings.Contains(err.Error(), "cannot become") {
				t.Errorf("%s → %s: got %v, want a refusal", from, to, err)
			}
		}
	}
	if err := CheckTransition("lost", protocol.StatePicking); err == nil {
		t.Fatal("a state the hub does not know passed")
	}
}

// TestLifeApply: a record moves as a whole, refusing every move when one
// does not fit or the state step is not the machine's.
func TestLifeApply(t *testing.T) {
	r := LifeRecord{Lines: NewLines([]protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 2}, {Line: 2, SKU: "CUP-1", Qty: 1}})}
	r.State = DeriveState(Standing{}, r.Lines)
	if r.State != protocol.StateReleased {
		t.Fatalf("a new order is %s", r.State)
	}
	step := func(r LifeRecord, st Standing, want string, moves ...LineMove) LifeRecord {
		t.Helper()
		next, err := r.Apply(st, moves...)
		if err != nil {
			t.Fatal(err)
		}
		if next.State != want {
			t.Fatalf("state %s, want %s", next.State, want)
		}
		for _, l := range next.Lines {
			if err := CheckLine(l); err != nil {
				t.Fatal(err)
			}
		}
		return next
	}
	r = step(r, Standing{}, protocol.StatePicking, LineMove{1, Move{MovePick, 2}})
	r = step(r, Standing{}, protocol.StatePicked, LineMove{2, Move{MoveShortBackOrder, 1}})
	r = step(r, Standing{Held: true}, protocol.StateOnHold)
	r = step(r, Standing{}, protocol.StatePacked, LineMove{1, Move{MovePack, 2}})
	r = step(r, Standing{}, protocol.StatePartiallyShipped, LineMove{1, Move{MoveShip, 2}})

	// Refused as a whole: the second move does not fit.
	before := r
	if _, err := r.Apply(Standing{}, LineMove{2, Move{MoveRelease, 1}}, LineMove{1, Move{MovePick, 1}}); err == nil {
		t.Fatal("a pick on a shipped line passed")
	}
	if _, err := r.Apply(Standing{}, LineMove{3, Move{MovePick, 1}}); err == nil || !strings.Contains(err.Error(), "no line 3") {
		t.Fatalf("a move on a line the order has not: %v", err)
	}
	// Refused by the machine: a partially shipped order is not cancelled.
	if _, err := r.Apply(Standing{Cancelled: true}, LineMove{0, Move{Kind: MoveCancel}}); err == nil || !strings.Contains(err.Error(), "cannot become cancelled") {
		t.Fatalf("cancelling a partially shipped order: %v", err)
	}
	if r.State != before.State || r.Lines[1] != before.Lines[1] {
		t.Fatal("a refused apply changed the record")
	}
	r = step(r, Standing{}, protocol.StateClosed, LineMove{2, Move{MoveCloseBackOrder, 1}})
	if _, err := r.Apply(Standing{Held: true}); err != nil {
		t.Fatalf("a hold on a closed order is no step: %v", err)
	}
}

// FuzzOrderLife: any sequence of moves and standings either applies, with
// every line reconciling and the state step one of the machine's, or is
// refused with a reason and changes nothing.
func FuzzOrderLife(f *testing.F) {
	f.Add([]byte{0, 1, 3, 5, 2, 4, 6, 2, 7, 1})
	f.Add([]byte{0, 2, 2, 9, 11, 1, 8, 3, 12, 1, 13, 1})
	f.Add([]byte{14, 0, 10, 0, 0, 5, 6, 5})
	kinds := []MoveKind{MovePick, MoveUnpick, MoveShortBackOrder, MoveShortRealloc, MovePack, MoveUnpack, MoveShip,
		MoveBackOrderRest, MoveRelease, MoveCloseBackOrder, MoveCancel, MoveRestock, MoveReturn}
	f.Fuzz(func(t *testing.T, script []byte) {
		r := LifeRecord{Lines: NewLines([]protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 4}, {Line: 2, SKU: "CUP-1", Qty: 1}})}
		var st Standing
		r.State = DeriveState(st, r.Lines)
		for i := 0; i+1 < len(script); i += 2 {
			op, arg := script[i], script[i+1]
			next := st
			var moves []LineMove
			switch {
			case op == 13:
				next.Held = !next.Held
			case op == 14:
				next.Cancelled = true
				moves = []LineMove{{0, Move{Kind: MoveCancel}}}
			default:
				m := Move{kinds[int(op)%len(kinds)], int(arg%6) - 1}
				moves = []LineMove{{int(arg/6)%3 + 0, m}} // line 0 (all), 1 or 2
			}
			got, err := r.Apply(next, moves...)
			if err != nil {
				if err.Error() == "" {
					t.Fatal("a refusal without a reason")
				}
				continue
			}
			for _, l := range got.Lines {
				if err := CheckLine(l); err != nil {
					t.Fatalf("after %v: %v", moves, err)
				}
			}
			if err := CheckTransition(r.State, got.State); err != nil {
				t.Fatalf("an applied step the machine has not: %v", err)
			}
			if got.State != DeriveState(next, got.Lines) {
				t.Fatalf("state %s is not the lines' %s", got.State, DeriveState(next, got.Lines))
			}
			r, st = got, next
		}
	})
}

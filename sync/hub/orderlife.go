package hub

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/totewms/tote/sync/protocol"
)

// The order's life at the hub: one state machine per order and per line
// (docs/order-life.md). Each line's units sit in exactly one bucket (open,
// in a tote, packed, shipped, back-ordered, restocked, cancelled); a Move
// takes units from one bucket to another, and CheckLine proves after
// every move that the buckets still add up to what was ordered. The
// order's state is derived from its lines and its standing (holds,
// cancellation), and CheckTransition refuses a step the machine does not
// have. All of it is pure: the push and the admin actions read a
// LifeRecord, apply moves and write it back in their own transaction, so
// the life replays from the events.

// LifeRecord is an order's life as the hub keeps it.
type LifeRecord struct {
	State   string                 `json:"state"`
	Lines   []protocol.LineLife    `json:"lines"`
	Shelf   []protocol.ShelfEntry  `json:"shelf,omitempty"`
	Restock []protocol.RestockTask `json:"restock,omitempty"`
	// Loaded maps a parcel's SSCC to the pickup it was loaded onto.
	Loaded map[string]string `json:"loaded,omitempty"`
	// Returns are the units that came back at returns benches, as
	// booked (returns.go).
	Returns []protocol.ReturnEntry `json:"returns,omitempty"`
}

// ReadLifeRecord decodes an order's life record as a store keeps it
// (its JSON body).
func ReadLifeRecord(order string, body []byte) (LifeRecord, error) {
	var r LifeRecord
	if err := json.Unmarshal(body, &r); err != nil {
		return LifeRecord{}, fmt.Errorf("order %s: its life record does not read: %w", order, err)
	}
	return r, nil
}

// ShelfLocation is the holding shelf the order's goods wait on ("" for
// none; the latest when on several).
func (r LifeRecord) ShelfLocation() string {
	if len(r.Shelf) == 0 {
		return ""
	}
	return r.Shelf[len(r.Shelf)-1].Location
}

// MoveKind names a move of units on one line.
type MoveKind string

// The moves. Each names the buckets it takes from and gives to.
const (
	MovePick           MoveKind = "pick"             // open → in tote (first settling units packed ahead)
	MoveUnpick         MoveKind = "unpick"           // in tote → open (a pick undone)
	MoveShortBackOrder MoveKind = "short_back_order" // open → back-ordered (site rule: backorder)
	MoveShortRealloc   MoveKind = "short_reallocate" // stays open, offered again from another location
	MovePack           MoveKind = "pack"             // in tote (else open, packed ahead) → packed
	MoveUnpack         MoveKind = "unpack"           // packed → in tote (a label voided)
	MoveShip           MoveKind = "ship"             // packed → shipped (left the dock)
	MoveBackOrderRest  MoveKind = "back_order_rest"  // open and in tote → back-ordered (a partial shipment)
	MoveRelease        MoveKind = "release"          // back-ordered → open (stock arrived)
	MoveCloseBackOrder MoveKind = "close_back_order" // back-ordered → cancelled (the OMS gave up on it)
	MoveCancel         MoveKind = "cancel"           // open and back-ordered → cancelled
	MoveRestock        MoveKind = "restock"          // in tote (else packed) → restocked
	MoveReturn         MoveKind = "return"           // a shipped unit came back (counted; it stays shipped)
)

// Move is units moved on one line. Qty is ignored by the moves that take
// a whole bucket (back_order_rest, cancel).
type Move struct {
	Kind MoveKind
	Qty  int
}

// NewLines starts an order's lines: every unit open.
func NewLines(lines []protocol.OrderLine) []protocol.LineLife {
	out := make([]protocol.LineLife, len(lines))
	for i, l := range lines {
		out[i] = protocol.LineLife{Line: l.Line, SKU: l.SKU, Ordered: l.Qty, Open: l.Qty}
	}
	return out
}

// ApplyMove is the line after m, or an error in plain words when the line
// does not have the units m takes; the line is then unchanged.
func ApplyMove(l protocol.LineLife, m Move) (protocol.LineLife, error) {
	was := l
	n := m.Qty
	if n <= 0 && !slices.Contains([]MoveKind{MoveBackOrderRest, MoveCancel}, m.Kind) {
		return was, fmt.Errorf("line %d: %d units is not a quantity to %s", l.Line, n, what(m.Kind))
	}
	refuse := func(have int, where string) (protocol.LineLife, error) {
		return was, fmt.Errorf("line %d: %d units to %s, but the hub has %d %s: the quantities would not add up to the %d ordered",
			l.Line, n, what(m.Kind), have, where, l.Ordered)
	}
	switch m.Kind {
	case MovePick:
		// Units a bench packed before this pick reached the hub were
		// counted as packed already.
		ahead := min(n, l.PackedAhead)
		if n-ahead > l.Open {
			return refuse(l.Open, "still to pick")
		}
		l.PackedAhead -= ahead
		l.Open -= n - ahead
		l.InTote += n - ahead
		l.Picked += n
	case MoveUnpick:
		if n > l.InTote {
			return refuse(l.InTote, "in totes")
		}
		l.InTote -= n
		l.Open += n
		l.Picked -= n
	case MoveShortBackOrder, MoveShortRealloc:
		if n > l.Open {
			return refuse(l.Open, "still to pick")
		}
		l.Short += n
		if m.Kind == MoveShortBackOrder {
			l.Open -= n
			l.BackOrdered += n
		} else {
			l.Reallocated += n
		}
	case MovePack:
		if n > l.InTote+l.Open {
			return refuse(l.InTote+l.Open, "picked or still to pick")
		}
		fromTote := min(n, l.InTote)
		l.InTote -= fromTote
		l.Open -= n - fromTote
		l.PackedAhead += n - fromTote
		l.Packed += n
	case MoveUnpack:
		if n > l.Packed {
			return refuse(l.Packed, "packed and not shipped")
		}
		l.Packed -= n
		l.InTote += n
	case MoveShip:
		if n > l.Packed {
			return refuse(l.Packed, "packed and not shipped")
		}
		l.Packed -= n
		l.Shipped += n
	case MoveBackOrderRest:
		l.BackOrdered += l.Open + l.InTote
		l.Open, l.InTote = 0, 0
	case MoveRelease:
		if n > l.BackOrdered {
			return refuse(l.BackOrdered, "back-ordered")
		}
		l.BackOrdered -= n
		l.Open += n
		l.Released += n
	case MoveCloseBackOrder:
		if n > l.BackOrdered {
			return refuse(l.BackOrdered, "back-ordered")
		}
		l.BackOrdered -= n
		l.Cancelled += n
	case MoveCancel:
		l.Cancelled += l.Open + l.BackOrdered
		l.Open, l.BackOrdered = 0, 0
	case MoveRestock:
		if n > l.InTote+l.Packed {
			return refuse(l.InTote+l.Packed, "in totes or cartons")
		}
		fromTote := min(n, l.InTote)
		l.InTote -= fromTote
		l.Packed -= n - fromTote
		l.Restocked += n
	case MoveReturn:
		if l.Returned+n > l.Shipped {
			return refuse(l.Shipped-l.Returned, "shipped and not yet returned")
		}
		l.Returned += n
	default:
		return was, fmt.Errorf("line %d: unknown move %q", l.Line, m.Kind)
	}
	if err := CheckLine(l); err != nil {
		return was, err
	}
	return l, nil
}

func what(k MoveKind) string {
	switch k {
	case MovePick:
		return "pick"
	case MoveUnpick:
		return "put back (pick undone)"
	case MoveShortBackOrder, MoveShortRealloc:
		return "report short"
	case MovePack:
		return "pack"
	case MoveUnpack:
		return "unpack (label voided)"
	case MoveShip:
		return "ship"
	case MoveRelease:
		return "release from back order"
	case MoveCloseBackOrder:
		return "close as back order"
	case MoveRestock:
		return "return to stock"
	case MoveReturn:
		return "book as returned"
	}
	return string(k)
}

// CheckLine proves a line reconciles: no bucket or count below zero, the
// buckets add up to the units ordered, no more returned than shipped.
func CheckLine(l protocol.LineLife) error {
	buckets := []int{l.Open, l.InTote, l.Packed, l.Shipped, l.BackOrdered, l.Restocked, l.Cancelled}
	counts := []int{l.Picked, l.Short, l.Reallocated, l.Released, l.Returned, l.PackedAhead}
	sum := 0
	for _, b := range buckets {
		sum += b
	}
	switch {
	case slices.Min(buckets) < 0 || slices.Min(counts) < 0:
		return fmt.Errorf("line %d: a quantity went below zero (%s)", l.Line, lineText(l))
	case sum != l.Ordered:
		return fmt.Errorf("line %d: %d units accounted for but %d ordered (%s)", l.Line, sum, l.Ordered, lineText(l))
	case l.Returned > l.Shipped:
		return fmt.Errorf("line %d: %d returned but only %d shipped", l.Line, l.Returned, l.Shipped)
	case l.PackedAhead > l.Packed+l.Shipped+l.Restocked+l.InTote:
		return fmt.Errorf("line %d: %d units packed ahead of their pick but only %d packed", l.Line, l.PackedAhead, l.Packed+l.Shipped)
	}
	return nil
}

func lineText(l protocol.LineLife) string {
	return fmt.Sprintf("open %d, in totes %d, packed %d, shipped %d, back-ordered %d, restocked %d, cancelled %d",
		l.Open, l.InTote, l.Packed, l.Shipped, l.BackOrdered, l.Restocked, l.Cancelled)
}

// Standing is what stands on an order besides its units.
type Standing struct {
	Cancelled bool
	Held      bool
}

// DeriveState is the order's state from its standing and its lines.
func DeriveState(st Standing, lines []protocol.LineLife) string {
	var t protocol.LineLife
	for _, l := range lines {
		t.Ordered += l.Ordered
		t.Open += l.Open
		t.InTote += l.InTote
		t.Packed += l.Packed
		t.Shipped += l.Shipped
		t.BackOrdered += l.BackOrdered
		t.Restocked += l.Restocked
		t.Cancelled += l.Cancelled
		t.Picked += l.Picked
		t.Short += l.Short
	}
	due := t.Ordered - t.Cancelled - t.Restocked
	switch {
	case st.Cancelled:
		return protocol.StateCancelled
	case due == 0 && t.Ordered > 0:
		return protocol.StateClosed // nothing left due: its back order closed, its goods restocked
	case t.Shipped > 0 && t.Shipped >= due && t.Shipped < t.Ordered:
		return protocol.StateClosed
	case t.Shipped > 0 && t.Shipped >= due:
		return protocol.StateShipped
	case st.Held:
		return protocol.StateOnHold
	case t.Shipped > 0:
		return protocol.StatePartiallyShipped
	case t.Packed > 0 && t.Open+t.InTote == 0:
		return protocol.StatePacked
	case t.Packed > 0:
		return protocol.StatePacking
	case t.Open == 0 && t.InTote > 0:
		return protocol.StatePicked
	case t.Open == 0 && t.BackOrdered > 0:
		return protocol.StateBackOrdered
	case t.InTote > 0 || t.Short > 0 || t.Picked > 0:
		return protocol.StatePicking
	}
	return protocol.StateReleased
}

// transitions are the machine's steps: from a state, the states an event
// or an admin action may lead to. Staying is always allowed. Steps back
// are there because the floor may undo (a pick undone, a label voided)
// and because stations' events reach the hub in any order.
var transitions = map[string][]string{
	protocol.StateReleased: {protocol.StatePicking, protocol.StatePicked, protocol.StatePacking, protocol.StatePacked,
		protocol.StateBackOrdered, protocol.StateOnHold, protocol.StateCancelled},
	protocol.StatePicking: {protocol.StateReleased, protocol.StatePicked, protocol.StatePacking, protocol.StatePacked,
		protocol.StateBackOrdered, protocol.StateOnHold, protocol.StateCancelled},
	protocol.StatePicked: {protocol.StateReleased, protocol.StatePicking, protocol.StatePacking, protocol.StatePacked, protocol.StateBackOrdered,
		protocol.StateOnHold, protocol.StateCancelled},
	protocol.StatePacking: {protocol.StatePicking, protocol.StatePicked, protocol.StatePacked, protocol.StateBackOrdered,
		protocol.StatePartiallyShipped, protocol.StateOnHold, protocol.StateCancelled},
	protocol.StatePacked: {protocol.StatePicking, protocol.StatePicked, protocol.StatePacking, protocol.StatePartiallyShipped,
		protocol.StateShipped, protocol.StateClosed, protocol.StateOnHold, protocol.StateCancelled},
	protocol.StateBackOrdered: {protocol.StatePicking, protocol.StateReleased, protocol.StatePicked, protocol.StatePacking,
		protocol.StatePacked, protocol.StateOnHold, protocol.StateCancelled, protocol.StateClosed},
	protocol.StatePartiallyShipped: {protocol.StateShipped, protocol.StateClosed, protocol.StateOnHold},
	protocol.StateOnHold: {protocol.StateReleased, protocol.StatePicking, protocol.StatePicked, protocol.StatePacking,
		protocol.StatePacked, protocol.StateBackOrdered, protocol.StatePartiallyShipped, protocol.StateCancelled, protocol.StateClosed},
	protocol.StateShipped:   {protocol.StateClosed},
	protocol.StateClosed:    {},
	protocol.StateCancelled: {},
}

// CheckTransition refuses a step the machine does not have, in plain words.
func CheckTransition(from, to string) error {
	if from == "" || from == to {
		return nil
	}
	next, known := transitions[from]
	if !known {
		return fmt.Errorf("the order is in state %q, which the hub does not know", from)
	}
	if !slices.Contains(next, to) {
		return fmt.Errorf("the order is %s: it cannot become %s", words(from), words(to))
	}
	return nil
}

func words(state string) string {
	switch state {
	case protocol.StateOnHold:
		return "on hold"
	case protocol.StatePartiallyShipped:
		return "partially shipped"
	case protocol.StateBackOrdered:
		return "back-ordered"
	}
	return state
}

// Life applies moves to an order's life and derives its new state,
// refusing the lot when one move or the step is refused. line 0 in a
// LineMove means every line.
type LineMove struct {
	Line int
	Move Move
}

// Apply gives the record after moves under standing st, or an error (the
// record unchanged) when a move does not reconcile or the state step is
// not one of the machine's.
func (r LifeRecord) Apply(st Standing, moves ...LineMove) (LifeRecord, error) {
	next := r
	next.Lines = slices.Clone(r.Lines)
	for _, lm := range moves {
		found := false
		for i := range next.Lines {
			if lm.Line != 0 && next.Lines[i].Line != lm.Line {
				continue
			}
			found = true
			l, err := ApplyMove(next.Lines[i], lm.Move)
			if err != nil {
				return r, err
			}
			next.Lines[i] = l
		}
		if !found {
			return r, fmt.Errorf("the order has no line %d", lm.Line)
		}
	}
	next.State = DeriveState(st, next.Lines)
	if err := CheckTransition(r.State, next.State); err != nil {
		return r, err
	}
	return next, nil
}

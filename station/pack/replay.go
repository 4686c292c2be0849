package pack

import (
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// A verified unit is the scan a packer makes most, and the only thing it
// changes is the open carton: the pack.unit_verified event says all of it.
// So the bench need not save its whole state for each one (a second page
// written and synced per scan): it saves the state at other steps, and a
// restart replays the verified units journaled since over it. Replay is that
// replay; Journaled says when a result may be left to it.

// Replay applies a journaled pack.unit_verified event to s: exactly what the
// verify scan that emitted it did to the state it ran on. It refuses an
// event that cannot follow s (another order, another carton, an unknown
// line), which would mean the saved state and the journal disagree.
func Replay(s State, ev floor.Event) (State, error) {
	if ev.Type != floor.EvPackUnitVerified {
		return s, fmt.Errorf("journal event %d is %s, not %s", ev.Seq, ev.Type, floor.EvPackUnitVerified)
	}
	p, err := floor.DecodePackUnit(ev.Payload) // every verify scan's: without reflection
	if err != nil {
		return s, fmt.Errorf("journal event %d (%s): %w", ev.Seq, ev.Type, err)
	}
	out, err := s.withUnit(p)
	if err != nil {
		return s, fmt.Errorf("journal event %d (%s) does not follow the saved pack state: %w", ev.Seq, ev.Type, err)
	}
	return out, nil
}

// Journaled reports whether res, the result of an input on before, is
// before with its one event replayed (see Replay): then the event alone
// records the change, and the station need not save the state with it.
// Anything else, a standing that changed with the same input included,
// is not.
func Journaled(before State, res Result) bool {
	if len(res.Events) != 1 || res.Events[0].Type != floor.EvPackUnitVerified {
		return false
	}
	replayed, err := Replay(before, res.Events[0])
	return err == nil && replayed.equal(res.State)
}

// withUnit is s with the units p records put into the open carton (a new
// one when none is open), back at the verify step with nothing pending.
// The verify scan itself makes its change through here, so a replay cannot
// differ from it.
func (s State) withUnit(p floor.PackUnitPayload) (State, error) {
	if p.Order != s.Order.ID {
		return s, fmt.Errorf("it is for order %q, the bench has %q", p.Order, s.Order.ID)
	}
	if _, ok := s.Line(p.Line); !ok || p.Qty < 1 {
		return s, fmt.Errorf("order %s has no line %d to count %d units of", p.Order, p.Line, p.Qty)
	}
	no := s.openCartonNo()
	if no != p.Carton {
		return s, fmt.Errorf("it is for carton %d, carton %d is open", p.Carton, no)
	}
	// A new array: an older State (on the screen) keeps its own.
	cs := make([]Carton, len(s.Cartons), len(s.Cartons)+1)
	copy(cs, s.Cartons)
	if no > len(cs) {
		cs = append(cs, Carton{No: no})
	}
	c := &cs[len(cs)-1]
	units := make([]Unit, len(c.Units), len(c.Units)+1)
	copy(units, c.Units)
	c.Units = append(units, Unit{Line: p.Line, SKU: p.SKU, Qty: p.Qty, Lot: p.Lot, Serial: p.Serial})
	s.Cartons, s.Step, s.Pending = cs, StepVerify, Pending{}
	return s, nil
}

// openCartonNo is the number of the carton the next unit goes into.
func (s State) openCartonNo() int {
	if c, ok := s.OpenCarton(); ok {
		return c.No
	}
	return len(s.Cartons) + 1
}

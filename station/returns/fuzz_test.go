package returns

import (
	"testing"

	"github.com/totewms/tote/internal/floor"
)

// FuzzReturnsInput: any line typed or scanned at any step of a return is
// either taken (a step on, or a unit journaled) or refused with a reason,
// the state then exactly as it was; never a panic, and never a unit past
// what shipped.
func FuzzReturnsInput(f *testing.F) {
	for _, s := range []string{"sellable", "wrong item", "WRONG_ITEM", "unwanted", "restock", "A-01-01-1", "MUG-01", "09501101530003", "ORD-1001", "RMA-5521", "\x1b[2J", "CMD:RET-DESTROY", ""} {
		for step := range 6 {
			f.Add(step, s)
		}
	}
	states := []State{
		atOrder(),
		atItem(),
		inHand(StepCondition, Hand{Line: 1, SKU: "MUG-01"}),
		inHand(StepReason, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionDamaged}),
		inHand(StepDisposition, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionDamaged, Reason: floor.ReasonOther}),
		inHand(StepLocation, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionOpened, Reason: floor.ReasonOther, Disposition: floor.DispositionRestock}),
	}
	f.Fuzz(func(t *testing.T, step int, line string) {
		s := states[(step%len(states)+len(states))%len(states)]
		m := scan(line)
		in := Input{Scan: m, Named: line, Order: shipped(), Location: m.Kind == "location", NewReturn: "RET-2"}
		if m.GTIN == "09501101530003" || line == "MUG-01" {
			in.Item = mug
		}
		before := snapshot(t, s)
		r := Apply(s, in)
		if r.Feedback.Level == floor.Error {
			if after := snapshot(t, r.State); after != before || r.Feedback.Message == "" {
				t.Fatalf("refused %q at %s: the state moved or no reason (%q)", line, s.Step, r.Feedback.Message)
			}
			return
		}
		if ret := r.State.Return; ret != nil {
			for _, l := range ret.Order.Lines {
				n := 0
				for _, x := range ret.Received {
					if x.Line == l.Line {
						n += x.Qty
					}
				}
				if n+l.Returned > l.Shipped {
					t.Fatalf("%q took line %d past what shipped: %+v", line, l.Line, ret)
				}
			}
		}
	})
}

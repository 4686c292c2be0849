package pick

import (
	"strings"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// TestMovedWaveLeavesTheWalk: the office's word that a supervisor moved
// the wave to another cart drops it from the walk wherever the picker
// is, says who moved it, why and where the totes go, and journals
// nothing; news about another wave is not this walk's.
func TestMovedWaveLeavesTheWalk(t *testing.T) {
	op := floor.Operator{Badge: "B1001", Name: "Ana", Roles: []floor.Role{floor.RolePicker}}
	task := floor.PickTask{ID: 1, WaveID: "W1", OrderID: "SO-1", LineNo: 1, SKU: "MUG-1", Location: "A-01", Qty: 2, QtyPicked: 1, Status: floor.TaskInProgress}
	picking := State{Operator: op, Wave: floor.Wave{ID: "W1", Status: "in_progress", Station: "CART-01"}, Tasks: WalkOf([]*floor.PickTask{&task}),
		Current: 1, Step: StepItem, Tote: "T1", ToteOrder: "SO-1", Picks: []Pick{{Qty: 1, Tote: "T1"}}}
	moved := &Moved{Wave: "W1", To: "CART-02", By: "B1004", Reason: "CART-01 is down"}
	for _, tc := range []struct {
		name string
		s    State
		step Step
	}{
		{"mid-task", picking, StepNoWork},
		{"at the login", State{Wave: picking.Wave, Tasks: picking.Tasks, Step: StepLogin}, StepLogin},
		{"counting for the office", func() State {
			s := picking
			s.Step, s.Pending = StepCountQty, Pending{Back: StepItem, Count: 4}
			return s
		}(), StepCountQty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Apply(tc.s, Input{Office: &Office{Moved: moved}})
			if len(r.Events) != 0 {
				t.Fatalf("journaled %v", r.Events)
			}
			s := r.State
			if s.Wave.ID != "" || s.Tasks.Len() != 0 || s.Current != 0 || s.Tote != "" || len(s.Picks) != 0 || s.Step != tc.step {
				t.Fatalf("after the move: %+v", s)
			}
			if s.Pending.Back != "" && s.Pending.Back != StepNoWork {
				t.Fatalf("cancel would go back to %s", s.Pending.Back)
			}
			want := "Wave W1 was moved to CART-02 by B1004 (CART-01 is down): stop picking it and put its totes on the holding shelf"
			if r.Feedback.Level != Warn || r.Feedback.Message != want {
				t.Fatalf("told %+v", r.Feedback)
			}
		})
	}
	r := Apply(picking, Input{Office: &Office{Moved: &Moved{Wave: "W2", To: "CART-02"}}})
	if r.State.Wave.ID != "W1" || r.State.Step != StepItem || strings.Contains(r.Feedback.Message, "moved") {
		t.Fatalf("another wave moved: %+v %q", r.State.Step, r.Feedback.Message)
	}
	// A scan after the move: no pick work here.
	after := Apply(picking, Input{Office: &Office{Moved: moved}}).State
	if r := Apply(after, scan(barcode.KindLocation, "A-01")); r.Feedback.Level != Error || !strings.Contains(r.Feedback.Message, "No pick work") {
		t.Fatalf("a scan of the moved wave's location: %+v", r.Feedback)
	}
}

package pick

import (
	"testing"

	"github.com/totewms/tote/internal/floor"
)

// TestAScanCopiesOnlyItsTask: a unit scan and a task-completing scan give
// a new task list in which only the task they changed is a new task; the
// others are the same ones as before, and the old list is untouched (the
// screen may still be drawing it). A long wave's scan then costs one task,
// not the whole walk.
func TestAScanCopiesOnlyItsTask(t *testing.T) {
	for _, c := range []struct {
		name   string
		start  func() State
		status floor.TaskStatus
	}{
		{"unit scan", atItem, floor.TaskInProgress},
		{"completing scan", func() State {
			s := atItem()
			s.Tasks.At(0).QtyPicked = 1
			s.Picks = []Pick{{Qty: 1, Tote: "T00001"}}
			return s
		}, floor.TaskPicked},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := c.start()
			old := s.Tasks.Tasks()
			first := *s.Tasks.At(0)
			r := Apply(s, gtin(&mug, "04006381333931"))
			if r.Feedback.Level != OK {
				t.Fatalf("scan: %q", r.Feedback.Message)
			}
			if r.State.Tasks.At(0) == s.Tasks.At(0) || r.State.Tasks.At(0).Status != c.status || r.State.Tasks.At(0).QtyPicked != first.QtyPicked+1 {
				t.Fatalf("the scanned task was not replaced by its new copy: %+v", r.State.Tasks.At(0))
			}
			for i := 1; i < s.Tasks.Len(); i++ {
				if r.State.Tasks.At(i) != s.Tasks.At(i) {
					t.Errorf("task %d was copied though the scan did not change it", s.Tasks.At(i).ID)
				}
			}
			for i := range old {
				if s.Tasks.At(i) != old[i] {
					t.Errorf("the old list's task %d was replaced in place", old[i].ID)
				}
			}
			if *s.Tasks.At(0) != first {
				t.Errorf("the old task changed: %+v, was %+v", *s.Tasks.At(0), first)
			}
		})
	}
}

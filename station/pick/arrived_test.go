package pick

import (
	"slices"
	"testing"

	"github.com/totewms/tote/internal/floor"
)

// TestArrived: tasks the hub sent after the walk was loaded join it at its
// end; a wave picked to the end opens again; another wave's tasks, and
// tasks the walk has, change nothing.
func TestArrived(t *testing.T) {
	mine := func(id int64, status floor.TaskStatus) floor.PickTask {
		return floor.PickTask{ID: id, WaveID: "W1", OrderID: "SO-1", LineNo: 1, SKU: "MUG-1", Location: "A-01", Qty: 1, Status: status}
	}
	realloc := floor.PickTask{ID: 9, WaveID: "W1", OrderID: "SO-1", LineNo: 1, SKU: "MUG-1", Location: "B-01", Qty: 2, Status: floor.TaskOpen}
	pickingTasks := []floor.PickTask{mine(1, floor.TaskShort), mine(2, floor.TaskOpen)}
	doneTasks := []floor.PickTask{mine(1, floor.TaskShort), mine(2, floor.TaskPicked)}
	picking := State{Wave: floor.Wave{ID: "W1", Status: "in_progress"}, Tasks: TasksOf(pickingTasks)}
	done := State{Wave: floor.Wave{ID: "W1", Status: "done"}, Tasks: TasksOf(doneTasks)}
	with := func(ts []floor.PickTask, more floor.PickTask) []floor.PickTask { return append(slices.Clone(ts), more) }
	other := realloc
	other.WaveID, other.ID = "W2", 10
	for _, tc := range []struct {
		name   string
		s      State
		tasks  []floor.PickTask
		status string
		ids    []int64
		news   string
	}{
		{"mid-wave: the task joins the walk's end", picking, with(pickingTasks, realloc), "in_progress", []int64{1, 2, 9}, "Wave W1: 1 more task: 2 × MUG-1 from B-01"},
		{"a finished wave opens again", done, with(doneTasks, realloc), "released", []int64{1, 2, 9}, "Wave W1 has work again: 1 more task: 2 × MUG-1 from B-01"},
		{"a finished wave already holding an open task (after a restart) opens again", State{Wave: done.Wave, Tasks: TasksOf(with(doneTasks, realloc))},
			with(doneTasks, realloc), "released", []int64{1, 2, 9}, "Wave W1 has work again: 1 more task: 2 × MUG-1 from B-01"},
		{"another wave's task", done, with(doneTasks, other), "done", []int64{1, 2}, ""},
		{"nothing new", picking, pickingTasks, "in_progress", []int64{1, 2}, ""},
		{"no wave", State{}, []floor.PickTask{realloc}, "", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			was := tc.s.Tasks.Len()
			got, news := Arrived(tc.s, tc.tasks)
			var ids []int64
			for _, x := range got.Tasks.All() {
				ids = append(ids, x.ID)
			}
			if got.Wave.Status != tc.status || news != tc.news || len(ids) != len(tc.ids) {
				t.Fatalf("wave %q news %q tasks %v; want %q %q %v", got.Wave.Status, news, ids, tc.status, tc.news, tc.ids)
			}
			for i := range ids {
				if ids[i] != tc.ids[i] {
					t.Fatalf("tasks %v, want %v", ids, tc.ids)
				}
			}
			if tc.s.Tasks.Len() != was {
				t.Fatal("Arrived changed the state it was given")
			}
		})
	}
}

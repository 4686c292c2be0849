package pick

import (
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// longWalk is a walk of n one-unit tasks, IDs 1 to n.
func longWalk(n int) []floor.PickTask {
	tasks := make([]floor.PickTask, n)
	for i := range tasks {
		tasks[i] = floor.PickTask{ID: int64(i + 1), WaveID: "W1", OrderID: "ORD-0001", LineNo: i + 1, Location: "A-01-01-1", SKU: "MUG-RED", Qty: 1, Status: floor.TaskOpen, SortKey: i + 1}
	}
	return tasks
}

// TestWalkWithSharesTheRest: With changes one place in a new walk; the
// old walk is untouched, the new one reads as the old list with that one
// task replaced, and it shares every leg but the changed one with the old
// walk (a scan in a long wave copies one leg, not the list).
func TestWalkWithSharesTheRest(t *testing.T) {
	for _, n := range []int{1, legSize - 1, legSize, legSize + 1, 2001} {
		for _, i := range []int{0, n / 2, n - 1} {
			w := TasksOf(longWalk(n))
			old := w.Tasks()
			changed := *w.At(i)
			changed.QtyPicked = 1
			got := w.With(i, &changed)

			if !slices.Equal(w.Tasks(), old) {
				t.Fatalf("n=%d i=%d: With changed the old walk", n, i)
			}
			want := slices.Clone(old)
			want[i] = &changed
			if got.Len() != n || !slices.Equal(got.Tasks(), want) {
				t.Fatalf("n=%d i=%d: the new walk is not the old one with task %d replaced", n, i, i+1)
			}
			// The same tasks make the same walk, however it was built: a
			// State compares by its tasks (the purity tests' DeepEqual).
			if !reflect.DeepEqual(got, WalkOf(want)) {
				t.Errorf("n=%d i=%d: With's walk differs in shape from WalkOf's", n, i)
			}
			for l := range w.legs {
				if shared := got.legs[l] == w.legs[l]; shared == (l == i/legSize) {
					t.Errorf("n=%d i=%d: leg %d shared %v", n, i, l, shared)
				}
			}
			for j, task := range got.All() {
				if got.Index(task.ID) != j {
					t.Fatalf("n=%d: Index(%d) = %d, want %d", n, task.ID, got.Index(task.ID), j)
				}
			}
			if got.Index(int64(n+1)) != -1 || got.Index(0) != -1 {
				t.Errorf("n=%d: Index finds a task the walk does not hold", n)
			}
		}
	}
	if w := WalkOf(nil); !reflect.DeepEqual(w, Walk{}) || w.Len() != 0 || len(w.Tasks()) != 0 {
		t.Errorf("an empty walk is not the zero Walk: %+v", w)
	}
}

// TestAScanInALongWaveCopiesOneLeg: in a 2,001-task wave (the benchmark's)
// a location scan and a task-completing scan allocate about a leg each,
// not the whole list of pointers (16 KB) they once copied.
func TestAScanInALongWaveCopiesOneLeg(t *testing.T) {
	tasks := longWalk(2001)
	for i := range 999 {
		tasks[i].Status, tasks[i].QtyPicked = floor.TaskPicked, 1
	}
	s := State{Operator: ann, Wave: floor.Wave{ID: "W1", Status: "in_progress"}, Tasks: TasksOf(tasks), Tote: "T00001", ToteOrder: "ORD-0001", Current: 1000, Step: StepLocation}
	loc, unit := scan(barcode.KindLocation, "A-01-01-1"), gtin(&mug, "04006381333931")
	r := Apply(s, loc)
	if r.State.Step != StepItem {
		t.Fatalf("location: %q", r.Feedback.Message)
	}
	located := r.State
	if r = Apply(located, unit); r.State.Step != StepLocation || r.State.Current != 1001 || r.State.Tasks.At(999).Status != floor.TaskPicked {
		t.Fatalf("completing scan: %s current %d %q", r.State.Step, r.State.Current, r.Feedback.Message)
	}
	// The completing scan changed its task twice (units, then done): one
	// new leg, the state before it untouched.
	if was := located.Tasks.At(999); was.Status != floor.TaskInProgress || was.QtyPicked != 0 {
		t.Errorf("the completing scan changed the located state's task: %+v", *was)
	}
	newLegs := 0
	for l := range located.Tasks.legs {
		if r.State.Tasks.legs[l] != located.Tasks.legs[l] {
			newLegs++
		}
	}
	if newLegs != 1 {
		t.Errorf("the completing scan made %d new legs, want 1", newLegs)
	}
	at := r.State
	const runs = 100
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		Apply(Apply(s, loc).State, unit)
	}
	runtime.ReadMemStats(&after)
	bytes := (after.TotalAlloc - before.TotalAlloc) / runs
	// A whole copy of the list is 2,001 pointers, 16,008 bytes; the two
	// scans together (their events, feedback and new legs) stay under
	// half of one.
	if bytes >= 2001*8/2 {
		t.Errorf("a location scan and a completing scan allocate %d bytes: they copy the walk", bytes)
	}
	t.Logf("a location scan and a completing scan: %d bytes", bytes)
	if s.Tasks.At(999).Status != floor.TaskOpen || at.Tasks.At(999) == s.Tasks.At(999) {
		t.Errorf("the scans changed the task in the old state")
	}
}

// TestWalkToPickPassesOverFinishedLegs: ToPick yields exactly the tasks a
// search of every task in walk order finds (open or in progress; or
// skipped), in that order, for walks made by WalkOf and changed by With,
// whole legs finished or not; Index finds each task's place.
func TestWalkToPickPassesOverFinishedLegs(t *testing.T) {
	statuses := []floor.TaskStatus{floor.TaskPicked, floor.TaskOpen, floor.TaskSkipped, floor.TaskInProgress, floor.TaskShort, floor.TaskCancelled}
	want := func(w Walk, skipped bool) []int64 {
		var ids []int64
		for _, task := range w.All() {
			if skipped && task.Status == floor.TaskSkipped || !skipped && (task.Status == floor.TaskOpen || task.Status == floor.TaskInProgress) {
				ids = append(ids, task.ID)
			}
		}
		return ids
	}
	check := func(name string, w Walk) {
		t.Helper()
		for _, skipped := range []bool{false, true} {
			var got []int64
			for task := range w.ToPick(skipped) {
				got = append(got, task.ID)
			}
			if !slices.Equal(got, want(w, skipped)) {
				t.Fatalf("%s, skipped %v: ToPick yields %v, want %v", name, skipped, got, want(w, skipped))
			}
		}
		for i, task := range w.All() {
			if w.Index(task.ID) != i {
				t.Fatalf("%s: Index(%d) = %d, want %d", name, task.ID, w.Index(task.ID), i)
			}
		}
	}
	for _, n := range []int{1, legSize, 3*legSize + 5} {
		tasks := longWalk(n)
		// The first leg done whole, the rest a mix.
		for i := range tasks {
			tasks[i].Status = floor.TaskPicked
			if i >= legSize || n <= legSize {
				tasks[i].Status = statuses[i%len(statuses)]
			}
		}
		w := TasksOf(tasks)
		check("made", w)
		// Each task in turn through every status, in new walks.
		for i := range n {
			for _, st := range statuses {
				changed := *w.At(i)
				changed.Status = st
				w = w.With(i, &changed)
				check("changed", w)
			}
		}
		var none []int64
		for range w.ToPick(false) {
			none = append(none, 0)
		}
		if len(none) != 0 {
			t.Errorf("n=%d: every task cancelled, ToPick yields %d", n, len(none))
		}
	}
	// Stopping early stops.
	w := TasksOf(longWalk(3 * legSize))
	seen := 0
	for range w.ToPick(false) {
		if seen++; seen == 2 {
			break
		}
	}
	if seen != 2 {
		t.Errorf("ToPick went on after break: %d", seen)
	}
}

// TestWalkKeepsTaskIDs: a task takes another's place only as itself (the
// walk's index of places stays true), and a walk with an ID twice finds
// the first, as a search in walk order did.
func TestWalkKeepsTaskIDs(t *testing.T) {
	tasks := longWalk(3)
	tasks[2].ID = 2
	w := TasksOf(tasks)
	if w.Index(2) != 1 {
		t.Errorf("Index(2) = %d, want the first, 1", w.Index(2))
	}
	defer func() {
		if recover() == nil {
			t.Error("With put another task in a task's place")
		}
	}()
	other := *w.At(0)
	other.ID = 9
	w.With(0, &other)
}

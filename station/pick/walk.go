package pick

import (
	"iter"

	"github.com/totewms/tote/internal/floor"
)

// legSize is how many tasks one leg of a Walk holds: a change copies one
// leg and the list of legs, so a 2,000-task wave's scan copies about 95
// pointers, not 2,000.
const legSize = 32

// leg is a fixed stretch of a walk's task pointers; a leg in a Walk is
// never changed, only replaced (the one exception: an Apply may change
// again the leg it made itself before it returns, see setTask).
type leg struct {
	tasks [legSize]*floor.PickTask
	// toPick and skipped count the leg's tasks open or in progress, and
	// skipped: looking for the next task passes over a leg without one,
	// not over each of a long wave's done tasks (ToPick).
	toPick, skipped int
}

// set puts t at place j, keeping the leg's counts.
func (l *leg) set(j int, t *floor.PickTask) {
	if old := l.tasks[j]; old != nil {
		l.count(old.Status, -1)
	}
	l.tasks[j] = t
	l.count(t.Status, 1)
}

func (l *leg) count(s floor.TaskStatus, d int) {
	switch s {
	case floor.TaskOpen, floor.TaskInProgress:
		l.toPick += d
	case floor.TaskSkipped:
		l.skipped += d
	}
}

// Walk is a wave's task list in walk order, persistent: With gives a new
// Walk that shares every leg it did not change with the old one, so an
// earlier State (on the screen) never sees a later scan's change, and a
// scan does not copy the whole list. A task in it is never changed in
// place either. The zero Walk is empty; every leg but the last is full,
// so two Walks of the same tasks have the same shape (reflect.DeepEqual
// compares them as lists).
type Walk struct {
	legs []*leg
	n    int
	// at is each task's place by its ID, made once by WalkOf: a change
	// (With) keeps every task's ID and place, so every walk made from
	// this one shares it, and Index does not search a long wave.
	at map[int64]int
}

// WalkOf is a walk of the tasks given, in that order; it holds the
// pointers themselves, so their tasks must not change afterwards.
func WalkOf(tasks []*floor.PickTask) Walk {
	if len(tasks) == 0 {
		return Walk{}
	}
	w := Walk{legs: make([]*leg, 0, (len(tasks)+legSize-1)/legSize), n: len(tasks), at: make(map[int64]int, len(tasks))}
	for i, t := range tasks {
		if i%legSize == 0 {
			w.legs = append(w.legs, new(leg))
		}
		w.legs[i/legSize].set(i%legSize, t)
		if _, twice := w.at[t.ID]; !twice {
			w.at[t.ID] = i // the first, as a search in walk order finds
		}
	}
	return w
}

// TasksOf is a walk of a wave's tasks as State holds it.
func TasksOf(tasks []floor.PickTask) Walk {
	ps := make([]*floor.PickTask, len(tasks))
	for i := range tasks {
		ps[i] = &tasks[i]
	}
	return WalkOf(ps)
}

// Len is the number of tasks in the walk.
func (w Walk) Len() int { return w.n }

// At is the i-th task in walk order. It is shared with every State that
// holds it: read it, never change it.
func (w Walk) At(i int) *floor.PickTask {
	if i < 0 || i >= w.n {
		panic("pick: walk index out of range")
	}
	return w.legs[i/legSize].tasks[i%legSize]
}

// All yields each task in walk order with its index.
func (w Walk) All() iter.Seq2[int, *floor.PickTask] {
	return func(yield func(int, *floor.PickTask) bool) {
		for i := range w.n {
			if !yield(i, w.legs[i/legSize].tasks[i%legSize]) {
				return
			}
		}
	}
}

// Tasks is the walk as a new slice of its task pointers (the tasks are
// still shared).
func (w Walk) Tasks() []*floor.PickTask {
	out := make([]*floor.PickTask, 0, w.n)
	for _, t := range w.All() {
		out = append(out, t)
	}
	return out
}

// Index is the place of the task with this ID in the walk, -1 when it
// has none.
func (w Walk) Index(id int64) int {
	if i, ok := w.at[id]; ok {
		return i
	}
	return -1
}

// ToPick yields, in walk order, the tasks open or in progress, or with
// skipped the skipped ones: the next task is the first that does not
// wait. Legs without one are passed over whole.
func (w Walk) ToPick(skipped bool) iter.Seq[*floor.PickTask] {
	return func(yield func(*floor.PickTask) bool) {
		for li, l := range w.legs {
			if skipped && l.skipped == 0 || !skipped && l.toPick == 0 {
				continue
			}
			for _, t := range l.tasks[:min(legSize, w.n-li*legSize)] {
				var is bool
				if skipped {
					is = t.Status == floor.TaskSkipped
				} else {
					is = t.Status == floor.TaskOpen || t.Status == floor.TaskInProgress
				}
				if is && !yield(t) {
					return
				}
			}
		}
	}
}

// With is a new walk with t at place i; w itself is unchanged and shares
// every other leg with it.
func (w Walk) With(i int, t *floor.PickTask) Walk {
	if i < 0 || i >= w.n {
		panic("pick: walk index out of range")
	}
	legs := make([]*leg, len(w.legs))
	copy(legs, w.legs)
	l := *legs[i/legSize]
	l.put(i%legSize, t)
	legs[i/legSize] = &l
	return Walk{legs: legs, n: w.n, at: w.at}
}

// put is set for a task that takes the place of the same task (its ID):
// the walk's index of places stays true.
func (l *leg) put(j int, t *floor.PickTask) {
	if t.ID != l.tasks[j].ID {
		panic("pick: a walk's task changed its ID")
	}
	l.set(j, t)
}

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
type leg [legSize]*floor.PickTask

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
}

// WalkOf is a walk of the tasks given, in that order; it holds the
// pointers themselves, so their tasks must not change afterwards.
func WalkOf(tasks []*floor.PickTask) Walk {
	if len(tasks) == 0 {
		return Walk{}
	}
	w := Walk{legs: make([]*leg, 0, (len(tasks)+legSize-1)/legSize), n: len(tasks)}
	for len(tasks) > 0 {
		l := new(leg)
		tasks = tasks[copy(l[:], tasks):]
		w.legs = append(w.legs, l)
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
	return w.legs[i/legSize][i%legSize]
}

// All yields each task in walk order with its index.
func (w Walk) All() iter.Seq2[int, *floor.PickTask] {
	return func(yield func(int, *floor.PickTask) bool) {
		for i := range w.n {
			if !yield(i, w.legs[i/legSize][i%legSize]) {
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
	for li, l := range w.legs {
		for j, t := range l[:min(legSize, w.n-li*legSize)] {
			if t.ID == id {
				return li*legSize + j
			}
		}
	}
	return -1
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
	l[i%legSize] = t
	legs[i/legSize] = &l
	return Walk{legs: legs, n: w.n}
}

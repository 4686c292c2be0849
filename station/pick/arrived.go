package pick

import (
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// Arrived takes the wave's tasks as the store holds them after a pull,
// for tasks that arrived once the walk was loaded: the hub offers a short
// pick's remainder again from another location (hub setting
// short_remainder = reallocate), to the wave's cart. The walk gains the
// tasks it does not have, after its own. A wave picked to the end that
// has work again opens again: its status goes back to released, so the
// picker's next input (or the station's refresh) starts it again with a
// journaled wave.started and walks to the new task. news says so in the
// picker's words, "" when nothing changed.
func Arrived(s State, tasks []floor.PickTask) (next State, news string) {
	if s.Wave.ID == "" {
		return s, ""
	}
	var added []floor.PickTask
	for _, t := range tasks {
		if t.WaveID != s.Wave.ID || s.Tasks.Index(t.ID) >= 0 {
			continue
		}
		added = append(added, t)
	}
	if len(added) > 0 {
		s.Tasks = WalkOf(append(s.Tasks.Tasks(), TasksOf(added).Tasks()...))
	}
	open := 0
	for _, t := range s.Tasks.All() {
		if !t.Status.Done() {
			open++
		}
	}
	reopened := s.Wave.Status == "done" && open > 0
	if reopened {
		s.Wave.Status = "released"
	}
	switch {
	case reopened:
		news = fmt.Sprintf("Wave %s has work again: %s", s.Wave.ID, taskWords(s.Tasks, added))
	case len(added) > 0:
		news = fmt.Sprintf("Wave %s: %s", s.Wave.ID, taskWords(s.Tasks, added))
	}
	return s, news
}

// taskWords names tasks that arrived, "1 more task: 1 × MUG-1 from B-01"
// (the first of them).
func taskWords(all Walk, added []floor.PickTask) string {
	if len(added) == 0 {
		for _, t := range all.All() {
			if !t.Status.Done() {
				added = append(added, *t)
			}
		}
	}
	if len(added) == 0 {
		return "no task left"
	}
	t := added[0]
	what := fmt.Sprintf("%d × %s from %s", t.Qty, floor.Printable(t.SKU), floor.Printable(t.Location))
	if len(added) == 1 {
		return "1 more task: " + what
	}
	return fmt.Sprintf("%d more tasks, the first %s", len(added), what)
}

package pick

import (
	"slices"
	"strconv"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/resolve"
)

// A count task from the office (a supervisor's recount): between tasks,
// or with the wave done, the picker opens it (F6 or CMD:COUNT), scans the
// location and types the units found there; the count is recorded as
// count.recorded by the same rule as the station's count requests
// (station/resolve), and the walk goes on where it was. Esc leaves it for
// later.

// CountTask is a count the office sent to this cart.
type CountTask struct {
	ID       int64
	Location string
	SKU      string
	Reason   string
}

// Counting is the count task open at a count step.
func (s State) Counting() (CountTask, bool) {
	for _, c := range s.Counts {
		if c.ID == s.Pending.Count {
			return c, true
		}
	}
	return CountTask{}, false
}

// CanCount says whether a count may be opened now: a picker is signed in,
// a count waits, and no task is half done.
func (s State) CanCount() bool {
	switch s.Step {
	case StepTote, StepLocation, StepDone, StepNoWork, StepWaiting:
		return s.LoggedIn() && len(s.Counts) > 0
	}
	return false
}

// counting handles the count steps and the command that opens one; false
// when the input is not about a count.
func (a *applier) counting(cmd floor.Command) bool {
	switch a.s.Step {
	case StepCountLocation, StepCountQty:
	default:
		if cmd != floor.CmdCount {
			return false
		}
		if !a.s.LoggedIn() {
			a.reject("Log in first: scan your badge")
			return true
		}
		if len(a.s.Counts) == 0 {
			a.reject("No count task from the office waits on this cart")
			return true
		}
		if !a.s.CanCount() {
			a.reject("Finish this task first (or skip it), then count")
			return true
		}
		c := a.s.Counts[0]
		a.s.Pending = Pending{Back: a.s.Step, Count: c.ID}
		a.s.Step = StepCountLocation
		a.info("Count for the supervisor: go to %s and scan the location (Esc: later)", floor.Printable(c.Location))
		return true
	}
	c, ok := a.s.Counting()
	back := func() {
		a.s.Step, a.s.Pending = a.s.Pending.Back, Pending{}
		if a.s.Step == "" {
			a.s.Step = StepTote
		}
	}
	if !ok { // counted from elsewhere, or withdrawn: back to the walk
		back()
		a.info("The count task is no longer open: back to the picks")
		return true
	}
	if cmd == floor.CmdCancel {
		back()
		a.info("Count left for later: F6 or CMD:COUNT opens it")
		return true
	}
	m := a.in.Scan
	if a.s.Step == StepCountLocation {
		switch {
		case cmd != "":
			a.reject("Scan location %s to count it, or Esc", floor.Printable(c.Location))
		case m.Err != nil || m.Kind != barcode.KindLocation:
			a.rejectScan("Scan location " + floor.Printable(c.Location) + " to count it")
		case m.Code != c.Location:
			a.reject("That is %s: the count is of %s", floor.Printable(m.Code), floor.Printable(c.Location))
		default:
			a.s.Step = StepCountQty
			what := "units"
			if c.SKU != "" {
				what = "units of " + floor.Printable(c.SKU)
			}
			a.info("Count the %s at %s: type the number, then Enter (0 if none)", what, floor.Printable(c.Location))
		}
		return true
	}
	n, err := strconv.Atoi(a.text())
	if cmd != "" || err != nil {
		a.reject("Type the number of units you counted at %s, then Enter", floor.Printable(c.Location))
		return true
	}
	op := a.s.Operator
	ev, why := resolve.Count(&op, resolve.Task{ID: c.ID, Location: c.Location, SKU: c.SKU, Open: true}, n)
	if why != "" {
		a.reject("%s", why)
		return true
	}
	a.events = append(a.events, ev)
	a.s.Counts = slices.DeleteFunc(slices.Clone(a.s.Counts), func(t CountTask) bool { return t.ID == c.ID })
	back()
	a.ok("Count of %s recorded (%d): the office is told", floor.Printable(c.Location), n)
	return true
}

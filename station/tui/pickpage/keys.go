package pickpage

import (
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/tui/ui"
)

// keys are a pick cart's command keys, F-keys as on RF terminals (F3 back).
var keys = newKeys()

func steps(ss ...pick.Step) func(pick.State) bool {
	return func(s pick.State) bool {
		for _, x := range ss {
			if s.Step == x {
				return true
			}
		}
		return false
	}
}

func loggedIn(s pick.State) bool { return s.LoggedIn() }

func newKeys() []ui.Binding[pick.State] {
	b := ui.Bind[pick.State]
	work := steps(pick.StepLocation, pick.StepItem)
	// F2 works once the item is scanned (pick.Apply refuses it before, and
	// for a serial item): the help line shows it only then.
	quantity := b("f2", "F2", floor.CmdQuantity, func(s pick.State) bool {
		t, ok := s.Task()
		return s.Step == pick.StepItem && ok && !t.SerialControlled && len(s.Picks) > 0
	})
	quantity.Why = func(s pick.State) string {
		if t, ok := s.Task(); s.Step != pick.StepItem || !ok {
			return ""
		} else if t.SerialControlled {
			return "scan each unit, this item needs a serial number per unit"
		}
		return "scan the item once first, then F2"
	}
	// F8 at the cart: a supervisor releases a tote that holds an order
	// nobody will pack (the pack bench's F8 overrides a weight).
	release := b("f8", "F8", floor.CmdOverride, steps(pick.StepTote))
	release.Binding.SetHelp("F8", "release")
	// F6: a count task from the office (a supervisor's recount).
	count := b("f6", "F6", floor.CmdCount, pick.State.CanCount)
	count.Binding.SetHelp("F6", "count")
	count.Why = func(s pick.State) string {
		if len(s.Counts) == 0 {
			return "no count task from the office waits on this cart"
		}
		return "finish this task first (or skip it), then count"
	}
	return []ui.Binding[pick.State]{
		quantity,
		b("f3", "F3", floor.CmdUndo, work),
		b("f4", "F4", floor.CmdSkip, work),
		b("f5", "F5", floor.CmdShort, work),
		count,
		release,
		b("esc", "Esc", floor.CmdCancel, steps(pick.StepPIN, pick.StepReturn, pick.StepQuantity, pick.StepConfirm, pick.StepLot, pick.StepSerial, pick.StepShort,
			pick.StepSupervisor, pick.StepSupervisorPIN, pick.StepReleaseTote, pick.StepReleaseReason,
			pick.StepCountLocation, pick.StepCountQty)),
		b("f10", "F10", floor.CmdLogout, loggedIn),
	}
}

package packpage

import (
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/tui/ui"
)

// keys are a packing bench's command keys.
var keys = newKeys()

// enterOK says where Enter on an empty line confirms (CMD:OK); elsewhere
// it is an empty scan.
var enterOK = steps(pack.StepConfirm, pack.StepBox, pack.StepSetAside, pack.StepPartial, pack.StepHeld)

func steps(ss ...pack.Step) func(pack.State) bool {
	return func(s pack.State) bool {
		for _, x := range ss {
			if s.Step == x {
				return true
			}
		}
		return false
	}
}

// cartonHasUnits: undo and close need something in the open carton.
func cartonHasUnits(s pack.State) bool {
	c, ok := s.OpenCarton()
	return s.Step == pack.StepVerify && ok && c.Count() > 0
}

// canFinish is when pack complete (or partial) works: at verify when the
// lines allow it, and at held to try the hold gate again with the same
// finish (it passes once the office has lifted the hold).
func canFinish(kind pack.Finish, can func(pack.State) (bool, string)) func(pack.State) bool {
	return func(s pack.State) bool {
		ok, _ := can(s)
		return ok && (s.Step == pack.StepVerify || s.Step == pack.StepHeld && s.Finishing == kind ||
			s.Step == pack.StepPartial && kind == pack.FinishPartial) // F6 again confirms
	}
}

func finishWhy(can func(pack.State) (bool, string)) func(pack.State) string {
	return func(s pack.State) string {
		if s.Step != pack.StepVerify && s.Step != pack.StepHeld {
			return ""
		}
		_, why := can(s)
		return why
	}
}

func newKeys() []ui.Binding[pack.State] {
	p := ui.Bind[pack.State]
	complete := p("f5", "F5", floor.CmdComplete, canFinish(pack.FinishComplete, pack.State.CanComplete))
	complete.Why = finishWhy(pack.State.CanComplete)
	partial := p("f6", "F6", floor.CmdPartial, canFinish(pack.FinishPartial, pack.State.CanPartial))
	partial.Why = finishWhy(pack.State.CanPartial)
	return []ui.Binding[pack.State]{
		p("f2", "F2", floor.CmdQuantity, steps(pack.StepVerify)),
		p("f3", "F3", floor.CmdUndo, cartonHasUnits),
		p("f4", "F4", floor.CmdCloseCarton, cartonHasUnits),
		complete,
		partial,
		p("f7", "F7", floor.CmdReopen, steps(pack.StepMismatch)),
		p("f8", "F8", floor.CmdOverride, steps(pack.StepMismatch)),
		p("f9", "F9", floor.CmdReprint, steps(pack.StepDone)),
		p("f11", "F11", floor.CmdVoid, func(s pack.State) bool { return s.Step == pack.StepDone && !s.Shipped }),
		// Esc at verify puts the order aside (after a confirmation).
		p("esc", "Esc", floor.CmdCancel, steps(pack.StepPIN, pack.StepVerify, pack.StepQuantity, pack.StepConfirm,
			pack.StepCount, pack.StepLot, pack.StepSerial, pack.StepBox, pack.StepWeigh, pack.StepMismatch, pack.StepSupervisor,
			pack.StepSupervisorPIN, pack.StepReason, pack.StepSetAside, pack.StepPartial, pack.StepReprint, pack.StepReprintReason)),
		p("f10", "F10", floor.CmdLogout, pack.State.LoggedIn),
	}
}

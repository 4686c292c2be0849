package pick

import (
	"reflect"
	"testing"

	"github.com/totewms/tote/internal/floor"
)

// TestRejectRestoresState: pick's reject restores the state. Over every
// rejection path of the lot, serial, quantity and confirm prompts and the
// item step, the state after a rejected input equals the state before, and
// the only event is the rejection. (The PIN prompt, which goes back to the
// login, and a state with nobody logged in are the two documented
// exceptions: they reset the step after rejecting.)
func TestRejectRestoresState(t *testing.T) {
	overRemaining := func() State {
		// A confirm whose quantity no longer fits (the task changed under a
		// saved session): refused, and the prompt stays for a cancel.
		s := at(StepConfirm, 1)()
		s.Tasks.At(0).Qty, s.Tasks.At(0).QtyPicked = 50, 45
		s.Picks = []Pick{{Qty: 45, Tote: "T00001"}}
		s.Pending = Pending{Qty: 20, Back: StepItem}
		return s
	}
	noTote := func() State { s := lotPrompt(); s.Tote = ""; return s }
	withPicks := func(f func() State) func() State {
		return func() State {
			s := f()
			i := s.index(s.Current)
			s.Tasks.At(i).QtyPicked, s.Picks = 1, []Pick{{Qty: 1, Tote: "T00001"}}
			return s
		}
	}
	cases := []struct {
		name  string
		start func() State
		in    func(t *testing.T) Input
	}{
		{"lot: location", lotPrompt, func(t *testing.T) Input { return read(t, "", "A-04-19-1", nil) }},
		{"lot: badge", lotPrompt, func(t *testing.T) Input { return read(t, "", "B1004", nil) }},
		{"lot: tote", lotPrompt, func(t *testing.T) Input { return read(t, "", "T00002", nil) }},
		{"lot: order", lotPrompt, func(t *testing.T) Input { return read(t, "", "ORD-100001", nil) }},
		{"lot: carton label", lotPrompt, func(t *testing.T) Input { return read(t, "]C1", "00106141411234567897", nil) }},
		{"lot: command", lotPrompt, func(t *testing.T) Input { return cmdScan(floor.CmdSkip) }},
		{"lot: label that did not read", lotPrompt, func(t *testing.T) Input { return read(t, "", "(17)261341(10)X", nil) }},
		{"lot: expired", lotPrompt, func(t *testing.T) Input { return read(t, "]C1", "0109501101530010"+"17261121"+"10L41", &pill) }},
		{"lot: uncertain", lotPrompt, func(t *testing.T) Input { return read(t, "", "0109501101530010"+"10ABC12317270101", &pill) }},
		{"lot: wrong item", lotPrompt, func(t *testing.T) Input { return read(t, "]C1", "0109501101530003"+"10L1", &cup) }},
		{"lot: unknown item", lotPrompt, func(t *testing.T) Input { return read(t, "]C1", "0109501101530041"+"10L1", nil) }},
		{"lot: no lot on the label", lotPrompt, func(t *testing.T) Input { return read(t, "]E0", "9501101530010", &pill) }},
		{"lot: too long", lotPrompt, func(t *testing.T) Input { return text("LOT-0123456789-0123456789") }},
		{"lot: no tote", noTote, func(t *testing.T) Input { return text("L1") }},
		{"serial: location", serialPrompt, func(t *testing.T) Input { return read(t, "", "A-04-19-1", nil) }},
		{"serial: lot label", serialPrompt, func(t *testing.T) Input { return read(t, "]C1", "0109501101530027"+"10L1", &tab) }},
		{"F2 before the location", at(StepLocation, 1), func(t *testing.T) Input { return cmd(floor.CmdQuantity) }},
		{"F2 before a scan", atItem, func(t *testing.T) Input { return cmd(floor.CmdQuantity) }},
		{"F2 on a serial item", withPicks(at(StepItem, 3)), func(t *testing.T) Input { return cmd(floor.CmdQuantity) }},
		{"quantity: zero", withPicks(at(StepQuantity, 1)), func(t *testing.T) Input { return text("0") }},
		{"quantity: too many", withPicks(at(StepQuantity, 1)), func(t *testing.T) Input { return text("9") }},
		{"quantity: a command", withPicks(at(StepQuantity, 1)), func(t *testing.T) Input { return cmd(floor.CmdSkip) }},
		{"confirm: over what is left", overRemaining, func(t *testing.T) Input { return text("") }},
		{"confirm: a scan", overRemaining, func(t *testing.T) Input { return gtin(&mug, "04006381333931") }},
		{"item: expired", at(StepItem, 2), func(t *testing.T) Input { return read(t, "]C1", "0109501101530010"+"17261121"+"10L41", &pill) }},
		{"item: uncertain", at(StepItem, 2), func(t *testing.T) Input { return read(t, "", "0109501101530010"+"10ABC12317270101", &pill) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := c.start()
			before := deepCopy(start)
			res := Apply(start, c.in(t))
			if res.Feedback.Level != Error || len(res.Events) != 1 || res.Events[0].Type != floor.EvScanRejected {
				t.Fatalf("not a rejection: %d %q %v", res.Feedback.Level, res.Feedback.Message, res.Events)
			}
			if got := deepCopy(res.State); !reflect.DeepEqual(got, before) {
				t.Errorf("%q changed the state:\n got %+v\nwant %+v", res.Feedback.Message, got, before)
			}
		})
	}
}

// TestNoTaskLeftIsNotARejection: with no task left to pick the walk ends
// (the wave is complete) instead of refusing the input and leaving the
// cart on a step with no task.
func TestNoTaskLeftIsNotARejection(t *testing.T) {
	s := atItem()
	for i := range s.Tasks.All() {
		s.Tasks.At(i).Status = floor.TaskPicked
	}
	s.Current = 99 // a task the wave no longer holds
	r := Apply(s, text("anything"))
	if r.State.Step != StepDone || r.Feedback.Level == Error || len(r.Events) != 1 || r.Events[0].Type != floor.EvWaveCompleted {
		t.Fatalf("step %s, %d %q, events %v", r.State.Step, r.Feedback.Level, r.Feedback.Message, r.Events)
	}
}

package pack

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// fuzzStates are benches at every kind of prompt, for FuzzApply.
func fuzzStates() []func() State {
	closed := Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}
	return []func() State{
		loggedOut,
		with(loggedOut, func(s *State) { s.Step, s.Pending.Badge = StepPIN, "B2002" }),
		idle,
		bench(order()),
		bench(order(), Carton{No: 1, Units: []Unit{u(4, "GAS-1", 1)}}),
		at(StepQuantity, Pending{Back: StepVerify}, order()),
		at(StepConfirm, Pending{Qty: 12, Back: StepVerify}, order()),
		at(StepCount, Pending{Qty: 2, Back: StepVerify}, order()),
		at(StepLot, Pending{Qty: 1, Line: 2, Back: StepVerify}, order()),
		at(StepSerial, Pending{Qty: 1, Line: 3, Back: StepVerify}, order()),
		at(StepBox, Pending{}, mugs(), twoMugs("")),
		at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")),
		with(at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.HasScale = false; s.Finishing = FinishComplete }),
		with(at(StepMismatch, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.HasScale = false }),
		at(StepSupervisor, Pending{Purpose: PurposeWeight, Back: StepMismatch}, mugs(), twoMugs("BOX-M")),
		at(StepSupervisorPIN, Pending{Purpose: PurposeWeight, Badge: "B9002", Back: StepMismatch}, mugs(), twoMugs("BOX-M")),
		at(StepReason, Pending{Purpose: PurposeSplit, Supervisor: "B9001", SupervisorName: "Sue", Back: StepVerify}, mugs(), closed),
		at(StepSetAside, Pending{Back: StepVerify}, order(), twoMugs("")),
		at(StepPartial, Pending{Back: StepVerify}, order(), twoMugs("")),
		with(bench(mugs(), closed), func(s *State) {
			s.Step, s.Held, s.Order.Holds = StepHeld, true, []floor.Hold{{Reason: "OTHER"}}
		}),
		with(bench(mugs(), closed), func(s *State) { s.Step, s.Shipment = StepDone, "ORD-0002-1" }),
		with(bench(mugs(), closed, closed), func(s *State) { s.Step, s.Shipment = StepReprint, "ORD-0002-1" }),
		with(bench(mugs(), closed), func(s *State) { s.Step, s.Shipment, s.Pending = StepReprintReason, "ORD-0002-1", Pending{Carton: 1} }),
	}
}

var fuzzKinds = []barcode.Kind{barcode.KindUnknown, barcode.KindGTIN, barcode.KindGS1, barcode.KindTote, barcode.KindOrder,
	barcode.KindBadge, barcode.KindCommand, barcode.KindLocation, barcode.KindSSCC}

// FuzzApply sends any text, as any kind of scan, to a bench at any step:
// the workflow never panics, never changes its input, keeps a rejection
// from changing anything, journals valid JSON, and answers the same from a
// state restored from its JSON.
func FuzzApply(f *testing.F) {
	f.Add(uint8(3), "04006381333931", uint8(1))
	f.Add(uint8(11), "1.25kg", uint8(0))
	f.Add(uint8(6), "", uint8(0))
	f.Add(uint8(16), "customer asked", uint8(0))
	f.Add(uint8(21), "2", uint8(0))
	f.Add(uint8(3), "COMPLETE", uint8(6))
	f.Add(uint8(2), "T00001", uint8(3))
	f.Fuzz(func(t *testing.T, which uint8, data string, kind uint8) {
		states := fuzzStates()
		start := states[int(which)%len(states)]()
		k := fuzzKinds[int(kind)%len(fuzzKinds)]
		in := scan(k, data)
		switch k {
		case barcode.KindGTIN, barcode.KindGS1:
			in.Scan.GTIN = data
		case barcode.KindOrder, barcode.KindTote:
			o := mugs()
			in.Order = &o
		case barcode.KindBadge:
			in.Operator = &sue
		}
		before := deepCopy(start)
		r := Apply(start, in)
		if !reflect.DeepEqual(start, before) {
			t.Fatalf("Apply changed its input state")
		}
		for _, e := range r.Events {
			if !json.Valid(e.Payload) {
				t.Fatalf("%s payload is not JSON: %q", e.Type, e.Payload)
			}
		}
		if len(r.Events) == 1 && r.Events[0].Type == floor.EvScanRejected {
			if r.Feedback.Level != Error {
				t.Fatalf("a quiet rejection: %q", r.Feedback.Message)
			}
			if start.Step != StepPIN && start.Step != StepSupervisorPIN && !reflect.DeepEqual(deepCopy(r.State), before) {
				t.Fatalf("a rejection changed the state at %q: %q", start.Step, r.Feedback.Message)
			}
		}
		replayable(t, start, r)
		r2 := Apply(resume(t, start), in)
		if !reflect.DeepEqual(r.Events, r2.Events) || r.Feedback != r2.Feedback {
			t.Fatalf("a resumed state answers differently at %q", start.Step)
		}
	})
}

package supervise_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/sync/protocol"
)

var (
	sup    = floor.Operator{Badge: "B1004", Name: "Dana", Roles: []floor.Role{floor.RoleSupervisor}}
	picker = floor.Operator{Badge: "B1001", Name: "Ana", Roles: []floor.Role{floor.RolePicker}}
)

func signedIn(op floor.Operator, v supervise.View, cursor int) supervise.State {
	return supervise.State{Step: supervise.StepBoard, Operator: op, View: v, Cursor: cursor, Figures: supervise.Figures{Online: true,
		Waves: protocol.WavesView{Waves: []protocol.WaveProgress{
			{Wave: "W1", Status: "in_progress", Station: "CART-01"},
			{Wave: "W2", Status: "released", Station: "CART-02"},
			{Wave: "W3", Status: "in_progress", Station: "CART-02"},
			{Wave: "W4", Status: "done", Station: "CART-03"}}},
		Site: protocol.SiteView{Stations: []protocol.StationState{{ID: "CART-01"}, {ID: "CART-02"}, {ID: "SUP-01"}, {ID: "CART-03"}}}}}
}

func key(c floor.Command) supervise.Input { return supervise.Input{Command: c} }
func typed(s string) supervise.Input {
	return supervise.Input{Scan: barcode.Meaning{Input: s, Kind: barcode.KindUnknown}}
}

// TestReassignAWaveFromTheScreens: F7 on the health screen takes the
// chosen station's wave, on the waves screen the chosen wave; the cart
// typed must be another known one, the reason words; the event is the
// signed-in supervisor's reassign_wave naming no exception. A station
// with no wave or several, a done wave and other screens are refused in
// words; Esc drops it; a picker's badge reassigns nothing.
func TestReassignAWaveFromTheScreens(t *testing.T) {
	r := supervise.Apply(signedIn(sup, supervise.ViewHealth, 0), key(floor.CmdSupReassign))
	if r.State.Resolving.Step != supervise.ResolveTarget || !r.State.Resolving.Reassigning() || !strings.Contains(r.Feedback.Message, "Reassign wave W1 (at CART-01)") {
		t.Fatalf("F7 on CART-01's health line: %+v %q", r.State.Resolving, r.Feedback.Message)
	}
	s := r.State
	for in, why := range map[string]string{"CART-01": "at CART-01 already", "CART-09": "not a station the office knows"} {
		if r := supervise.Apply(s, typed(in)); r.Feedback.Level != floor.Error || !strings.Contains(r.Feedback.Message, why) || r.State.Resolving.Step != supervise.ResolveTarget {
			t.Fatalf("cart %s: %+v", in, r.Feedback)
		}
	}
	s = supervise.Apply(s, typed("CART-02")).State
	if s.Resolving.Step != supervise.ResolveReason || s.Resolving.Target != "CART-02" {
		t.Fatalf("after the cart: %+v", s.Resolving)
	}
	if r := supervise.Apply(s, typed("x")); r.Feedback.Level != floor.Error || len(r.Events) != 1 || r.Events[0].Type != floor.EvScanRejected {
		t.Fatalf("a reason too short: %+v %v", r.Feedback, r.Events)
	}
	r = supervise.Apply(s, typed("CART-01 is down"))
	if r.Feedback.Level != floor.OK || len(r.Events) != 1 || r.Events[0].Operator != "B1004" || r.State.Resolving.Step != "" ||
		!strings.Contains(r.Feedback.Message, "Wave W1 to CART-02") {
		t.Fatalf("the reassignment: %+v %+v", r.Feedback, r.Events)
	}
	var p floor.ExceptionResolvedPayload
	if err := json.Unmarshal(r.Events[0].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if p != (floor.ExceptionResolvedPayload{Action: floor.ResolveReassignWave, Wave: "W1", Station: "CART-02", Reason: "CART-01 is down"}) {
		t.Fatalf("payload %+v", p)
	}

	// From the waves: the chosen wave, by command barcode.
	r = supervise.Apply(signedIn(sup, supervise.ViewWaves, 1), supervise.Input{Scan: barcode.Meaning{Input: "CMD:SUP-REASSIGN", Kind: barcode.KindCommand, Code: "SUP-REASSIGN"}})
	if r.State.Resolving.Exception.Detail == nil || r.State.Resolving.Exception.Detail.Wave != "W2" {
		t.Fatalf("CMD:SUP-REASSIGN on W2: %+v %q", r.State.Resolving, r.Feedback.Message)
	}
	if r := supervise.Apply(r.State, key(floor.CmdCancel)); r.State.Resolving.Step != "" || !strings.Contains(r.Feedback.Message, "Not reassigned") || len(r.Events) != 0 {
		t.Fatalf("Esc: %+v %q", r.State.Resolving, r.Feedback.Message)
	}

	for _, tc := range []struct {
		name string
		s    supervise.State
		why  string
	}{
		{"a station with two waves", signedIn(sup, supervise.ViewHealth, 1), "CART-02 has 2 waves (W2, W3)"},
		{"a station with none", signedIn(sup, supervise.ViewHealth, 2), "SUP-01 has no active wave"},
		{"a station whose wave is done", signedIn(sup, supervise.ViewHealth, 3), "CART-03 has no active wave"},
		{"a done wave", signedIn(sup, supervise.ViewWaves, 3), "W4 is done"},
		{"the people", signedIn(sup, supervise.ViewPeople, 0), "from the waves (F2) or the health (F5)"},
		{"a picker's badge", signedIn(picker, supervise.ViewHealth, 0), "Ana is not a supervisor"},
	} {
		r := supervise.Apply(tc.s, key(floor.CmdSupReassign))
		if r.Feedback.Level != floor.Error || !strings.Contains(r.Feedback.Message, tc.why) || r.State.Resolving.Step != "" {
			t.Fatalf("%s: %+v", tc.name, r.Feedback)
		}
		for _, ev := range r.Events {
			if ev.Type != floor.EvScanRejected {
				t.Fatalf("%s journaled %s", tc.name, ev.Type)
			}
		}
	}
	// A picker who got to the reason step anyway is refused there too.
	s = signedIn(picker, supervise.ViewHealth, 0)
	s.Resolving = supervise.Resolving{Step: supervise.ResolveReason, Action: floor.ResolveReassignWave, Actions: []string{floor.ResolveReassignWave},
		Target: "CART-02", Exception: protocol.Conflict{Station: "CART-01", Detail: &protocol.ExceptionDetail{Wave: "W1"}}}
	if r := supervise.Apply(s, typed("CART-01 is down")); r.Feedback.Level != floor.Error || !strings.Contains(r.Feedback.Message, "not a supervisor") ||
		len(r.Events) != 1 || r.Events[0].Type != floor.EvScanRejected {
		t.Fatalf("a picker's reassignment: %+v %v", r.Feedback, r.Events)
	}
}

package hub_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// FuzzExceptionOf: whatever payload a station sends under any event type,
// the exception the hub raises from it is either none or one with a
// known kind and a reason, never a crash.
func FuzzExceptionOf(f *testing.F) {
	seed := func(typ string, p any) {
		b, _ := json.Marshal(p)
		f.Add(typ, b, true)
	}
	seed(string(floor.EvTaskShort), floor.ShortPayload{TaskPayload: floor.TaskPayload{Order: "SO-1", Line: 1, SKU: "MUG-1", Location: "A-01"}, Short: 2, Reason: floor.ShortDamaged})
	seed(string(floor.EvPackHeld), floor.PackHeldPayload{Order: "SO-1", Holds: []floor.HoldInfo{{Reason: "ADDRESS"}}, HoldingLocation: "HOLD-1"})
	seed(string(floor.EvPackSetAside), floor.PackSetAsidePayload{Order: "SO-1", Location: "HOLD-1", Units: 2})
	seed(string(floor.EvPackWeightRecorded), floor.PackWeightPayload{Order: "SO-1", Carton: 1, WeightG: 900, ExpectedG: 500, Checked: true})
	seed(string(floor.EvLabelInDoubt), floor.LabelTroublePayload{Job: 7, Printer: "zebra-1", Reason: "cut off"})
	seed(string(floor.EvLabelFailed), floor.LabelTroublePayload{Job: 7})
	f.Add(string(floor.EvTaskShort), []byte(`{"short":"x"}`), true)
	f.Add("pick.units_picked", []byte(`{}`), false)
	f.Fuzz(func(t *testing.T, typ string, payload []byte, accepted bool) {
		v := hub.Verdict{Status: protocol.Accepted}
		if !accepted {
			v = hub.Reject("refused")
		}
		e, ok := hub.ExceptionOf(protocol.Event{Type: typ, Payload: payload}, v)
		if !ok {
			return
		}
		if e.Kind == "" || strings.HasPrefix(floor.ExceptionWords(e.Kind), "conflict") || e.Reason == "" && accepted {
			t.Fatalf("%s %q raised %+v", typ, payload, e)
		}
		if utf8.ValidString(string(payload)) && !utf8.ValidString(e.Reason) {
			t.Fatalf("the reason of %q is not text: %q", payload, e.Reason)
		}
	})
}

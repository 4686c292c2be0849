package pickcart

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/totewms/tote/station/pick"
)

// TestSessionOfRecordsPendingAsJSONDoes: the session record's pending
// data is json.Marshal's bytes whether anything is pending or not (an
// empty Pending's are made once, not at each scan).
func TestSessionOfRecordsPendingAsJSONDoes(t *testing.T) {
	for _, p := range []pick.Pending{{}, {Qty: 3, Back: pick.StepItem}, {Expiry: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)}, {Badge: "B1001"}} {
		want, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		got := sessionOf(pick.State{Pending: p, Step: pick.StepItem}).Pending
		if !bytes.Equal(got, want) {
			t.Errorf("pending %+v recorded as %s, want %s", p, got, want)
		}
	}
}

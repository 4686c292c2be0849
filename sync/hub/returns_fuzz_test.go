package hub_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// FuzzReturnReceived: any payload a station pushes as return.received is
// either refused with a reason in words, or accepted as a positive count
// of returned units on the line it names, with a condition, reason and
// disposition tote knows; never a panic.
func FuzzReturnReceived(f *testing.F) {
	f.Add(`{"return":"RET-01-R00001","order":"SO-1","line":1,"sku":"MUG-1","qty":1,"condition":"sellable","reason":"unwanted","disposition":"restock","location":"A-01"}`)
	f.Add(`{"order":"SO-1","line":1,"sku":"MUG-1","qty":-3,"condition":"damaged","reason":"defective","disposition":"destroy"}`)
	f.Add(`{"order":"SO-1","line":0,"qty":1}`)
	f.Add(`{"order":"SO-1","line":1,"qty":1,"condition":"soggy"}`)
	f.Add(`[1,2`)
	rules := hub.DefaultRules()
	f.Fuzz(func(t *testing.T, payload string) {
		ev := protocol.Event{Station: "RET-01", Seq: 1, ID: "e1", Type: protocol.EvReturnReceived, Payload: json.RawMessage(payload)}
		ref := protocol.RefOf(ev.Payload)
		v := rules.Judge(ev, ref, hub.OrderState{Known: true})
		switch v.Status {
		case protocol.Rejected:
			if strings.TrimSpace(v.Reason) == "" {
				t.Fatalf("refused without a reason: %q", payload)
			}
		case protocol.Accepted:
			var p struct {
				Condition, Reason, Disposition, Location string
			}
			if err := json.Unmarshal([]byte(payload), &p); err != nil {
				t.Fatalf("accepted an unreadable payload %q", payload)
			}
			if len(v.Effects) != 1 || v.Effects[0].Returned <= 0 || v.Effects[0].Order != ref.Order || v.Effects[0].Line != ref.Line || ref.Line < 1 {
				t.Fatalf("accepted %q as %+v", payload, v.Effects)
			}
			if p.Disposition == "restock" && p.Location == "" {
				t.Fatalf("a restock without a location accepted: %q", payload)
			}
		default:
			t.Fatalf("no verdict on %q: %+v", payload, v)
		}
	})
}

package station

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

// TestRefusalNotices: issue 14 (11a). The office's refusals are said with
// the order and what to do; the units of one pick refused one by one make
// one notice, acknowledged through its last event.
func TestRefusalNotices(t *testing.T) {
	cancelled := "order cancelled centrally: return the goods to stock"
	unit := func(seq int64) store.OfficeRefusal {
		p, _ := json.Marshal(floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: 7, Order: "ORD-100007", Line: 1, Location: "A-01-02-5", SKU: "MUG-001"}, Qty: 1, Tote: "T00003"})
		return store.OfficeRefusal{Seq: seq, Type: floor.EvUnitsPicked, Payload: p, Reason: cancelled}
	}
	label, _ := json.Marshal(map[string]any{"order": "ORD-100009", "shipment": "ORD-100009-1"})
	ns := refusalNotices([]store.OfficeRefusal{unit(11), unit(12),
		{Seq: 15, Type: floor.EvPackLabelRequested, Payload: label, Reason: "order cancelled centrally: unpack the carton and return the goods to stock"},
		unit(19)})
	if len(ns) != 3 {
		t.Fatalf("notices %+v", ns)
	}
	want := "Office refused ORD-100007's pick (2 events): order cancelled centrally: return the goods to stock. Put 2 × MUG-001 from tote T00003 back to A-01-02-5"
	if ns[0].Seq != 12 || ns[0].Message != want {
		t.Errorf("first notice %+v\nwant %q through 12", ns[0], want)
	}
	if ns[0].Short != "ORD-100007 cancelled: put 2 × MUG-001 from T00003 back to A-01-02-5" {
		t.Errorf("short %q", ns[0].Short)
	}
	if ns[1].Seq != 15 || !strings.HasPrefix(ns[1].Message, "Office refused ORD-100009's label: order cancelled centrally: unpack") || ns[1].Short != "" {
		t.Errorf("second notice %+v", ns[1])
	}
	if ns[2].Seq != 19 || !strings.Contains(ns[2].Message, "Put 1 × MUG-001") {
		t.Errorf("third notice %+v", ns[2])
	}
	// Outside text never drives the terminal.
	p, _ := json.Marshal(map[string]any{"order": "ORD-1\x1b[2J", "location": "A\u202eB", "sku": "X", "qty": 1})
	n := refusalNotices([]store.OfficeRefusal{{Seq: 1, Type: floor.EvUnitsPicked, Payload: p, Reason: "bad\x07"}})
	if strings.ContainsAny(n[0].Message+n[0].Short, "\x1b\x07\u202e") {
		t.Errorf("raw control characters in %q / %q", n[0].Message, n[0].Short)
	}
}

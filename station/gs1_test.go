package station_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// TestGS1ScansInThePickFlow: a GS1-128 scan (as a serial scanner sends it,
// AIM identifier and GS separators included) counts as the expected item;
// the lot and expiry go into the pick; an expired lot is refused; a lot the
// scan did not carry is asked for.
func TestGS1ScansInThePickFlow(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "ST-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.LoadSite(ctx, store.Site{
		Operators: []floor.Operator{{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}}},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", WalkSeq: 1}},
		Items:     []floor.Item{{SKU: "VIT-C", GTINs: []string{"09501101530003"}, Description: "Vitamin C", LotControlled: true}},
		Orders:    []floor.Order{{ID: "ORD-0001", Lines: []floor.OrderLine{{LineNo: 1, SKU: "VIT-C", Qty: 3}}}},
		Waves:     []floor.Wave{{ID: "W1"}},
		Tasks:     []floor.PickTask{{ID: 1, WaveID: "W1", OrderID: "ORD-0001", LineNo: 1, Location: "A-01-01-1", SKU: "VIT-C", Qty: 3, SortKey: 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := openStation(t, st)
	for _, in := range []string{"B1001", "T00001", "A-01-01-1"} {
		if o := s.Handle(ctx, typed(in)); o.Feedback.Level == pick.Error {
			t.Fatalf("%s: %s", in, o.Feedback.Message)
		}
	}
	serial := func(aim, data string) station.Action {
		return station.Action{Scan: floor.Scan{Source: "scanner-1", AIM: aim, Data: data}}
	}

	o := s.Handle(ctx, serial("]C1", "0109501101530003"+"10LOT42\x1d"+"17271231"))
	if o.Feedback.Level != pick.OK || len(o.Events) != 1 || !strings.Contains(string(o.Events[0].Payload), `"lot":"LOT42","expiry":"2027-12-31"`) {
		t.Fatalf("GS1-128 scan: %+v %s", o.Feedback, payloads(o.Events))
	}
	o = s.Handle(ctx, serial("]d2", "0109501101530003"+"10OLD1\x1d"+"17260131"))
	if o.Feedback.Level != pick.Error || !strings.Contains(o.Feedback.Message, "Expired: lot OLD1 expired on 2026-01-31") {
		t.Fatalf("expired lot: %+v", o.Feedback)
	}
	o = s.Handle(ctx, serial("]C1", "0109501101530003"+"10LOT42"+"17271231")) // separator lost: the lot swallows the date
	if o.Feedback.Level != pick.Error || !strings.Contains(o.Feedback.Message, `if the scanner dropped a separator, AI (10) is "LOT42"`) {
		t.Fatalf("lot without separator was not refused: %+v", o.Feedback)
	}
	o = s.Handle(ctx, serial("]C1", "0109501101530003"+"10LOT42\x1d"+"17271231"))
	if o.Feedback.Level != pick.OK {
		t.Fatalf("second unit: %+v", o.Feedback)
	}
	o = s.Handle(ctx, typed("(01)09501101530003"))
	if o.State.(pick.State).Step != pick.StepLot {
		t.Fatalf("scan without a lot went to %s: %s", o.State.(pick.State).Step, o.Feedback.Message)
	}
	o = s.Handle(ctx, typed("LOT43"))
	if o.State.(pick.State).Step != pick.StepDone || !strings.Contains(string(o.Events[0].Payload), `"lot":"LOT43"`) {
		t.Fatalf("typed lot: %s %s", o.State.(pick.State).Step, payloads(o.Events))
	}
	rows, _ := st.TaskPicks(ctx, 1)
	if len(rows) != 3 || rows[0].Lot != "LOT42" || rows[2].Lot != "LOT43" {
		t.Fatalf("picks %+v", rows)
	}
}

func payloads(evs []floor.Event) string {
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(string(e.Type) + " " + string(e.Payload) + "\n")
	}
	return b.String()
}

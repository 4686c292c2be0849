package station_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// TestLotPromptAndQuantityThroughTheStation runs issue 14's defects 3 and 4
// through a real station and store: the lot prompt refuses a location, a
// badge and another item's label, keeps a GS1 label's expiry, and a keyed
// quantity needs one scan first and is undone whole. After each input a
// restarted station resumes with the same state.
func TestLotPromptAndQuantityThroughTheStation(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "ST-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.LoadSite(ctx, store.Site{
		Operators: []floor.Operator{
			{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}},
			{Badge: "B1004", Name: "Bo", Roles: []floor.Role{floor.RolePicker}},
		},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", WalkSeq: 1}, {Code: "A-04-19-1", Zone: "A", WalkSeq: 2}},
		Items: []floor.Item{
			{SKU: "VIT-C", GTINs: []string{"09501101530003"}, Description: "Vitamin C", LotControlled: true},
			{SKU: "YOGA-217", GTINs: []string{"04006381333931"}, Description: "Yoga mat"},
		},
		Orders: []floor.Order{{ID: "ORD-0001", Lines: []floor.OrderLine{{LineNo: 1, SKU: "VIT-C", Qty: 2}, {LineNo: 2, SKU: "YOGA-217", Qty: 5}}}},
		Waves:  []floor.Wave{{ID: "W1"}},
		Tasks: []floor.PickTask{
			{ID: 1, WaveID: "W1", OrderID: "ORD-0001", LineNo: 1, Location: "A-01-01-1", SKU: "VIT-C", Qty: 2, SortKey: 1},
			{ID: 2, WaveID: "W1", OrderID: "ORD-0001", LineNo: 2, Location: "A-04-19-1", SKU: "YOGA-217", Qty: 5, SortKey: 2},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := openStation(t, st)
	scanner := func(aim, data string) station.Action {
		return station.Action{Scan: floor.Scan{Source: "scanner-1", AIM: aim, Data: data}}
	}
	var journal []floor.Event
	for i, c := range []struct {
		in    station.Action
		level floor.Level
		step  pick.Step
		says  string
	}{
		{typed("B1001"), floor.OK, pick.StepTote, "Hello Ann"},
		{typed("T00001"), floor.OK, pick.StepLocation, "T00001"},
		{typed("A-01-01-1"), floor.OK, pick.StepItem, "scan VIT-C"},
		{typed("09501101530003"), floor.Info, pick.StepLot, "lot number"},
		{typed("A-04-19-1"), floor.Error, pick.StepLot, "That is a location (A-04-19-1), not a lot number"},
		{typed("B1004"), floor.Error, pick.StepLot, "That is a badge (B1004), not a lot number"},
		{scanner("]C1", "0104006381333931"+"10L1"), floor.Error, pick.StepLot, "Wrong item YOGA-217 (Yoga mat): scan the lot of VIT-C"},
		{scanner("]C1", "0109501101530003"+"17261121"+"10L41"), floor.Error, pick.StepLot, "Expired"},
		{scanner("", "0109501101530003"+"10L4217270131"), floor.Error, pick.StepLot, "Lot not certain"},
		{scanner("]C1", "0109501101530003"+"17270131"+"10L42"), floor.OK, pick.StepItem, "1 of 2"},
		{typed("L43"), floor.Error, pick.StepItem, "Unknown barcode L43"},
		{scanner("]C1", "0109501101530003"+"17270131"+"10L42"), floor.OK, pick.StepLocation, "Picked 2"},
		{typed("A-04-19-1"), floor.OK, pick.StepItem, "scan YOGA-217"},
		{station.Action{Command: floor.CmdQuantity}, floor.Error, pick.StepItem, "Scan the item once first, then F2"},
		{typed("2"), floor.Error, pick.StepItem, "Unknown barcode 2"},
		{typed("4006381333931"), floor.OK, pick.StepItem, "1 of 5"},
		{station.Action{Command: floor.CmdQuantity}, floor.Info, pick.StepQuantity, "1 to 4"},
		{typed("2"), floor.OK, pick.StepItem, "3 of 5"},
		{station.Action{Command: floor.CmdUndo}, floor.OK, pick.StepItem, "Undone: 2 × YOGA-217 taken back out. 1 of 5"},
		{station.Action{Command: floor.CmdQuantity}, floor.Info, pick.StepQuantity, "1 to 4"},
		{typed("4"), floor.OK, pick.StepDone, "Picked 5 × YOGA-217"},
	} {
		o := s.Handle(ctx, c.in)
		journal = append(journal, o.Events...)
		if o.Err != nil || o.Feedback.Level != c.level || o.State.(pick.State).Step != c.step || !strings.Contains(o.Feedback.Message, c.says) {
			t.Fatalf("input %d (%q %s): %v %d %q at %s; want %d %q at %s", i, c.in.Scan.Data, c.in.Command, o.Err,
				o.Feedback.Level, o.Feedback.Message, o.State.(pick.State).Step, c.level, c.says, c.step)
		}
		if again := openStation(t, st); !reflect.DeepEqual(normal(again.Snapshot().State.(pick.State)), normal(s.Snapshot().State.(pick.State))) {
			t.Fatalf("after input %d a restart resumes elsewhere:\n%s", i, stateDiff(normal(again.Snapshot().State.(pick.State)), normal(s.Snapshot().State.(pick.State))))
		}
	}
	rows, err := st.TaskPicks(ctx, 1)
	if err != nil || len(rows) != 2 || rows[0].Lot != "L42" || rows[1].Lot != "L42" {
		t.Fatalf("VIT-C picks %+v %v", rows, err)
	}
	rows, err = st.TaskPicks(ctx, 2)
	if err != nil || len(rows) != 2 || rows[0].Qty != 1 || rows[1].Qty != 4 {
		t.Fatalf("YOGA-217 picks %+v %v", rows, err)
	}
	var expiries int
	for _, ev := range journal {
		if ev.Type == floor.EvUnitsPicked && strings.Contains(string(ev.Payload), `"lot":"L42","expiry":"2027-01-31"`) {
			expiries++
		}
	}
	if expiries != 2 {
		t.Errorf("%d picks of L42 kept the expiry, want 2", expiries)
	}
}

package hints_test

import (
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
)

func TestToteIsTheOrdersLastFiveDigits(t *testing.T) {
	for order, want := range map[string]string{"ORD-0042": "T00042", "SO-1234567": "T34567", "X": "T00000"} {
		if got := hints.Tote(order); got != want {
			t.Errorf("Tote(%q) = %q, want %q", order, got, want)
		}
	}
}

// TestPickHintsFollowTheStep: the hint is what the workflow waits for.
func TestPickHintsFollowTheStep(t *testing.T) {
	task := floor.PickTask{ID: 7, OrderID: "ORD-0042", Location: "A-01-02", SKU: "MUG-1", GTIN: "04006381000017", Qty: 3, QtyPicked: 1}
	s := pick.State{Operator: floor.Operator{Badge: "B1001"}, Tasks: pick.WalkOf([]*floor.PickTask{&task}), Current: 7}
	for step, want := range map[pick.Step]string{
		pick.StepTote: "T00042", pick.StepLocation: "A-01-02", pick.StepItem: "4006381000017",
		pick.StepQuantity: "2", pick.StepShort: "1", pick.StepSerial: "SN000007", pick.StepLogin: "",
	} {
		s.Step = step
		if got := hints.Pick(s); got != want {
			t.Errorf("at %s: Pick = %q, want %q", step, got, want)
		}
	}
}

// TestPackHintNeverOffersWhatTheWorkflowRefuses: with hazmat alone, a unit
// that may not join the open carton is not the hint; closing it is.
func TestPackHintNeverOffersWhatTheWorkflowRefuses(t *testing.T) {
	o := floor.PackOrder{ID: "ORD-0001", Lines: []floor.PackLine{
		{LineNo: 1, SKU: "GAS", GTINs: []string{"04006381000024"}, Ordered: 1, Picked: 1, Hazmat: true},
		{LineNo: 2, SKU: "MUG", GTINs: []string{"04006381000017"}, Ordered: 1, Picked: 1},
	}}
	s := pack.State{Operator: floor.Operator{Badge: "B1002"}, Step: pack.StepVerify, Order: o, Rules: pack.Rules{HazmatAlone: true},
		Cartons: []pack.Carton{{No: 1, Units: []pack.Unit{{Line: 1, SKU: "GAS", Qty: 1}}}}}
	if s.HazmatConflict(o.Lines[1]) == "" {
		t.Fatal("the workflow lets a mug join a hazmat carton")
	}
	if next, _ := hints.Pack(s, nil); next != floor.CmdCloseCarton.Barcode() {
		t.Fatalf("hint %q, want %q", next, floor.CmdCloseCarton.Barcode())
	}
}

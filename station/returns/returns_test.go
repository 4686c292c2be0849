package returns

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

var interp = func() *barcode.Interpreter {
	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		panic(err)
	}
	return in
}()

func scan(s string) barcode.Meaning { return interp.Interpret("", s) }

var (
	rosa = floor.Operator{Badge: "B4001", Name: "Rosa", Roles: []floor.Role{floor.RoleReturns}}
	pia  = floor.Operator{Badge: "B1001", Name: "Pia", Roles: []floor.Role{floor.RolePicker}}
	rik  = floor.Operator{Badge: "B4002", Name: "Rik", Roles: []floor.Role{floor.RoleReturns}, PINHash: floor.HashPIN("B4002", "4711")}

	mug   = &floor.Item{SKU: "MUG-01", GTINs: []string{"09501101530003"}, Description: "Mug"}
	plate = &floor.Item{SKU: "PLATE-02", Description: "Plate"}
	lamp  = &floor.Item{SKU: "LAMP-09", Description: "Lamp"}
)

// shipped is order ORD-1001: 2 mugs shipped (none back), 1 plate shipped
// and back already, line 3 (lamp) not shipped.
func shipped() *Shipped {
	return &Shipped{Order: "ORD-1001", SSCCs: []string{"006141410000000017"}, Lines: []Line{
		{Line: 1, SKU: "MUG-01", Name: "Mug", Shipped: 2},
		{Line: 2, SKU: "PLATE-02", Name: "Plate", Shipped: 1, Returned: 1},
		{Line: 3, SKU: "LAMP-09", Name: "Lamp"},
	}}
}

func atOrder() State { return State{Step: StepOrder, Operator: rosa} }

func atItem() State {
	return State{Step: StepItem, Operator: rosa, Return: &Return{ID: "RET-1", Order: *shipped()}}
}

func inHand(step Step, h Hand) State {
	s := atItem()
	s.Step, s.Hand = step, &h
	return s
}

func snapshot(t *testing.T, s State) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEveryRefusalKeepsTheState: every input the returns bench refuses
// leaves the state exactly as it was, journals one scan.rejected with
// the reason, and says it in words.
func TestEveryRefusalKeepsTheState(t *testing.T) {
	full := shipped()
	for i := range full.Lines {
		full.Lines[i].Returned = full.Lines[i].Shipped
	}
	none := &Shipped{Order: "ORD-1002", Lines: []Line{{Line: 1, SKU: "MUG-01"}}}
	mugs := atItem()
	mugs.Return.Received = []Received{{Line: 1, SKU: "MUG-01", Qty: 1}, {Line: 1, SKU: "MUG-01", Qty: 1}}
	cases := []struct {
		name string
		s    State
		in   Input
		want string
	}{
		{"no badge", State{Step: StepLogin}, Input{Scan: scan("A-01-01-1")}, "Log in first"},
		{"unknown badge", State{Step: StepLogin}, Input{Scan: scan("B9999")}, "Unknown badge"},
		{"command at the order", atOrder(), Input{Command: floor.CmdRetDamaged}, "does nothing here"},
		{"cancel with nothing", atOrder(), Input{Command: floor.CmdCancel}, "Nothing to cancel"},
		{"a location for an order", atOrder(), Input{Scan: scan("A-01-01-1")}, "Scan the parcel's SSCC"},
		{"unknown order", atOrder(), Input{Scan: scan("ORD-9999"), Named: "ORD-9999"}, "No shipment of ORD-9999 is known here"},
		{"unknown order, last pull", atOrder(), Input{Scan: scan("ORD-9999"), Named: "ORD-9999", LastPull: "last pull 2 minutes ago"}, "after the next pull"},
		{"nothing shipped", atOrder(), Input{Scan: scan("ORD-1002"), Named: "ORD-1002", Order: none}, "shipped nothing"},
		{"all back", atOrder(), Input{Scan: scan("ORD-1001"), Named: "ORD-1001", Order: full}, "is back already"},
		{"second RMA", State{Step: StepOrder, Operator: rosa, RMA: "RMA-5521"}, Input{Scan: scan("RMA-5522")}, "is scanned already"},
		{"unknown item", atItem(), Input{Scan: scan("XYZ-42")}, "XYZ-42 is not an item this site knows"},
		{"unknown GTIN", atItem(), Input{Scan: scan("09501101530010")}, "GTIN 09501101530010 is not an item this site knows"},
		{"a location for an item", atItem(), Input{Scan: scan("A-01-01-1")}, "not an item"},
		{"not on the order", atItem(), Input{Scan: scan("FORK-1"), Item: &floor.Item{SKU: "FORK-1", Description: "Fork"}}, "is not on order ORD-1001"},
		{"not shipped", atItem(), Input{Scan: scan("LAMP-09"), Item: lamp}, "shipped no LAMP-09"},
		{"more than shipped (hub)", atItem(), Input{Scan: scan("PLATE-02"), Item: plate}, "more than shipped"},
		{"more than shipped (this return)", mugs, Input{Scan: scan("09501101530003"), Item: mug}, "more than shipped"},
		{"OK with nothing", atItem(), Input{Command: floor.CmdOK}, "Nothing is recorded"},
		{"cancel with units", mugs, Input{Command: floor.CmdCancel}, "they are kept"},
		{"a reason for the condition", inHand(StepCondition, Hand{Line: 1, SKU: "MUG-01"}), Input{Command: floor.CmdRetWhyDefective}, "Choose its condition"},
		{"a word that is none", inHand(StepCondition, Hand{Line: 1, SKU: "MUG-01"}), Input{Scan: scan("broken")}, "Choose its condition"},
		{"a condition for the reason", inHand(StepReason, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionOpened}), Input{Command: floor.CmdRetOpened}, "Choose why"},
		{"a scan for the disposition", inHand(StepDisposition, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionOpened, Reason: floor.ReasonUnwanted}), Input{Scan: scan("A-01-01-1")}, "Choose what becomes"},
		{"damaged to stock", inHand(StepDisposition, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionDamaged, Reason: floor.ReasonDefective}), Input{Command: floor.CmdRetRestock}, "does not go back to stock"},
		{"an item for the location", inHand(StepLocation, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionSellable, Reason: floor.ReasonUnwanted, Disposition: floor.DispositionRestock}), Input{Scan: scan("09501101530003"), Item: mug}, "Scan the location"},
		{"unknown location", inHand(StepLocation, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionSellable, Reason: floor.ReasonUnwanted, Disposition: floor.DispositionRestock}), Input{Scan: scan("Z-99-99-9")}, "is not known at this site"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.in.Operator == nil && c.name == "unknown badge" {
				c.in.Operator = nil
			}
			before := snapshot(t, c.s)
			r := Apply(c.s, c.in)
			if after := snapshot(t, r.State); after != before {
				t.Fatalf("the state moved:\n%s\n%s", before, after)
			}
			if r.Feedback.Level != floor.Error || !strings.Contains(r.Feedback.Message, c.want) {
				t.Fatalf("feedback %+v, want %q", r.Feedback, c.want)
			}
			if len(r.Events) != 1 || r.Events[0].Type != floor.EvScanRejected {
				t.Fatalf("events %+v, want one scan.rejected", r.Events)
			}
		})
	}
}

// TestAReturnFromParcelToFinish: sign in, the RMA and the parcel, a mug
// restocked at a location, a mug destroyed, finished; each unit is one
// return.received with its condition, reason and disposition.
func TestAReturnFromParcelToFinish(t *testing.T) {
	s := State{Step: StepLogin}
	var events []floor.Event
	step := func(in Input, want string) {
		t.Helper()
		r := Apply(s, in)
		if r.Feedback.Level == floor.Error || !strings.Contains(r.Feedback.Message, want) {
			t.Fatalf("at %s: %+v, want %q", s.Step, r.Feedback, want)
		}
		s, events = r.State, append(events, r.Events...)
	}
	step(Input{Scan: scan("B4001"), Operator: &rosa}, "Hello Rosa")
	step(Input{Scan: scan("RMA-5521")}, "RMA RMA-5521: now scan")
	step(Input{Scan: scan("006141410000000017"), Named: "006141410000000017", SSCC: "006141410000000017", Order: shipped(), NewReturn: "RET-1"}, "Return RET-1 for order ORD-1001")
	step(Input{Scan: scan("09501101530003"), Item: mug}, "Mug (line 1)")
	step(Input{Command: floor.CmdRetSellable}, "Why it came back")
	step(Input{Scan: scan("unwanted")}, "What becomes of it")
	step(Input{Command: floor.CmdRetRestock}, "Scan the location")
	step(Input{Scan: scan("A-01-01-1"), Location: true}, "restock at A-01-01-1")
	step(Input{Scan: scan("MUG-01"), Item: mug}, "Mug (line 1)")
	step(Input{Command: floor.CmdRetDamaged}, "Why")
	step(Input{Command: floor.CmdRetWhyDamaged}, "What becomes")
	step(Input{Command: floor.CmdRetDestroy}, "2 units in return RET-1")
	step(Input{Command: floor.CmdOK}, "Return RET-1 of order ORD-1001 finished: 2 units")
	if s.Step != StepOrder || s.Return != nil || s.Last == nil || s.Last.Units != 2 {
		t.Fatalf("after OK: %+v", s)
	}
	var got []floor.ReturnReceivedPayload
	var closed floor.ReturnPayload
	for _, ev := range events {
		switch ev.Type {
		case floor.EvReturnReceived:
			var p floor.ReturnReceivedPayload
			if err := json.Unmarshal(ev.Payload, &p); err != nil {
				t.Fatal(err)
			}
			got = append(got, p)
		case floor.EvReturnClosed:
			if err := json.Unmarshal(ev.Payload, &closed); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := []floor.ReturnReceivedPayload{
		{Return: "RET-1", Order: "ORD-1001", Line: 1, SKU: "MUG-01", Qty: 1, Condition: floor.ConditionSellable, Reason: floor.ReasonUnwanted, Disposition: floor.DispositionRestock, Location: "A-01-01-1", RMA: "RMA-5521"},
		{Return: "RET-1", Order: "ORD-1001", Line: 1, SKU: "MUG-01", Qty: 1, Condition: floor.ConditionDamaged, Reason: floor.ReasonArrivedDamaged, Disposition: floor.DispositionDestroy, RMA: "RMA-5521"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("journaled:\n%+v\nwant\n%+v", got, want)
	}
	if closed != (floor.ReturnPayload{Return: "RET-1", Order: "ORD-1001", RMA: "RMA-5521", SSCC: "006141410000000017", Units: 2}) {
		t.Fatalf("return.closed %+v", closed)
	}
}

// TestSignInAndLeaving: a picker is refused, a PIN is asked and masked,
// a return left open at logout resumes at the step it was at.
func TestSignInAndLeaving(t *testing.T) {
	r := Apply(State{Step: StepLogin}, Input{Scan: scan("B1001"), Operator: &pia})
	if r.Feedback.Level != floor.Error || len(r.Events) != 1 || r.Events[0].Type != floor.EvLoginRefused {
		t.Fatalf("a picker at the returns bench: %+v", r)
	}
	r = Apply(State{Step: StepLogin}, Input{Scan: scan("B4002"), Operator: &rik})
	if r.State.Step != StepPIN {
		t.Fatalf("PIN asked: %+v", r)
	}
	w := Apply(r.State, Input{Scan: scan("1234"), Operator: &rik})
	if w.State.Step != StepLogin || strings.Contains(string(w.Events[0].Payload), "1234") {
		t.Fatalf("a wrong PIN: %+v", w)
	}
	r = Apply(r.State, Input{Scan: scan("4711"), Operator: &rik})
	if r.State.Step != StepOrder {
		t.Fatalf("signed in: %+v", r)
	}
	s := inHand(StepReason, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionOpened})
	out := Apply(s, Input{Command: floor.CmdLogout})
	if out.State.Step != StepLogin || out.State.Return == nil || out.State.Hand == nil || !strings.Contains(out.Feedback.Message, "stays open") {
		t.Fatalf("logout: %+v", out)
	}
	back := Apply(out.State, Input{Scan: scan("B4001"), Operator: &rosa})
	if back.State.Step != StepReason || !strings.Contains(back.Feedback.Message, "resumes") {
		t.Fatalf("resume: %+v", back)
	}
}

// TestCancelSteps: CANCEL at a choice puts the unit back, at the location
// goes back to the disposition, and with nothing recorded drops the
// return (journaled as closed with no units).
func TestCancelSteps(t *testing.T) {
	r := Apply(inHand(StepReason, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionOpened}), Input{Command: floor.CmdCancel})
	if r.State.Step != StepItem || r.State.Hand != nil || len(r.Events) != 0 {
		t.Fatalf("cancel a choice: %+v", r)
	}
	r = Apply(inHand(StepLocation, Hand{Line: 1, SKU: "MUG-01", Condition: floor.ConditionOpened, Reason: floor.ReasonOther, Disposition: floor.DispositionRestock}), Input{Command: floor.CmdCancel})
	if r.State.Step != StepDisposition || r.State.Hand.Disposition != "" {
		t.Fatalf("cancel the location: %+v", r)
	}
	r = Apply(atItem(), Input{Command: floor.CmdCancel})
	if r.State.Step != StepOrder || r.State.Return != nil || len(r.Events) != 1 || r.Events[0].Type != floor.EvReturnClosed {
		t.Fatalf("drop an empty return: %+v", r)
	}
}

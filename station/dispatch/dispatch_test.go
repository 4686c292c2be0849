package dispatch

import (
	"encoding/json"
	"fmt"
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

// scan is what the station's interpreter makes of a typed line.
func scan(s string) barcode.Meaning { return interp.Interpret("", s) }

// sscc is the n-th test parcel's SSCC, check digit included.
func sscc(n int) string {
	body := fmt.Sprintf("0061414100000%04d", n)
	return body + fmt.Sprint(checkDigit(body))
}

var (
	lou = floor.Operator{Badge: "B3001", Name: "Lou", Roles: []floor.Role{floor.RoleLoader}}
	pam = floor.Operator{Badge: "B2001", Name: "Pam", Roles: []floor.Role{floor.RolePacker}}
	pia = floor.Operator{Badge: "B1001", Name: "Pia", Roles: []floor.Role{floor.RolePicker}}
	leo = floor.Operator{Badge: "B3002", Name: "Leo", Roles: []floor.Role{floor.RoleLoader}, PINHash: floor.HashPIN("B3002", "4711")}
)

// ready is a parcel ready to go with UPS.
func ready(n int) *Facts {
	return &Facts{SSCC: sscc(n), Order: fmt.Sprintf("ORD-10%02d", n), Shipment: fmt.Sprintf("ORD-10%02d-1", n), Carrier: "UPS",
		ShipmentStatus: "completed", OrderStatus: floor.OrderPacked}
}

// loading is a loader at the UPS pickup PU1 with parcel 1 on it.
func loading() State {
	return State{Step: StepLoad, Operator: lou, Carriers: []string{"DHL", "UPS"},
		Pickup: Pickup{ID: "PU1", Carrier: "UPS", Parcels: []Parcel{{SSCC: sscc(1), Order: "ORD-1001", Shipment: "ORD-1001-1"}}}}
}

func choosing() State {
	return State{Step: StepCarrier, Operator: lou, Carriers: []string{"DHL", "UPS"}}
}

func with(f *Facts, change func(*Facts)) *Facts {
	c := *f
	change(&c)
	return &c
}

// TestEveryRefusalKeepsTheState: every input the dispatch bench refuses
// leaves the state exactly as it was, journals one scan.rejected event
// with the reason, and says why in plain words with the error tone.
func TestEveryRefusalKeepsTheState(t *testing.T) {
	two := ready(2)
	cases := []struct {
		name string
		s    State
		in   Input
		why  string // a part of the reason
	}{
		{"login: not a badge", State{Step: StepLogin}, Input{Scan: scan("A-01-01-1")}, "Log in first: scan your badge"},
		{"login: a command", State{Step: StepLogin}, Input{Command: floor.CmdClosePickup}, "Log in first"},
		{"login: unknown badge", State{Step: StepLogin}, Input{Scan: scan("B9999")}, "Unknown badge B9999"},
		{"PIN: wrong", State{Step: StepPIN, Badge: leo.Badge}, Input{Scan: scan("0000"), Operator: &leo}, "Wrong PIN for Leo"},
		{"PIN: a command", State{Step: StepPIN, Badge: leo.Badge}, Input{Command: floor.CmdClosePickup, Operator: &leo}, "Type your PIN"},
		{"carrier: a command", choosing(), Input{Command: floor.CmdClosePickup}, "Choose a carrier first"},
		{"carrier: undo", choosing(), Input{Command: floor.CmdUndo}, "Choose a carrier first"},
		{"carrier: unknown name", choosing(), Input{Scan: scan("FEDEX")}, "No parcel waits for FEDEX here: choose 1 DHL, 2 UPS"},
		{"carrier: no such number", choosing(), Input{Scan: scan("3")}, "There is no carrier 3: type 1 to 2"},
		{"carrier: none waits", State{Step: StepCarrier, Operator: lou}, Input{Scan: scan("UPS")}, "No parcel waits for UPS here: scan a parcel"},
		{"carrier: a garbled scan", choosing(), Input{Scan: scan("AB\x07")}, "control character"},
		{"carrier: an unknown parcel", choosing(), Input{Scan: scan(sscc(9))}, "is not known here"},
		{"carrier: a held order's parcel", choosing(), Input{Scan: scan(sscc(2)), Parcel: with(two, func(f *Facts) { f.Holds = []floor.Hold{{Reason: "INCORRECT_ADDRESS"}} })}, "on hold (INCORRECT_ADDRESS)"},
		{"load: a location", loading(), Input{Scan: scan("A-01-01-1")}, "Scan the parcel's SSCC"},
		{"load: an item", loading(), Input{Scan: scan("09501101530003")}, "Scan the parcel's SSCC"},
		{"load: a wrong check digit", loading(), Input{Scan: scan(sscc(2)[:17] + "0")}, "SSCC 006141410000000020 has a wrong check digit"},
		{"load: a garbled scan", loading(), Input{Scan: scan("AB\x07")}, "control character"},
		{"load: unknown SSCC", loading(), Input{Scan: scan(sscc(2))}, "STOP: parcel " + sscc(2) + " is not known here"},
		{"load: unknown SSCC, not pulled yet", loading(), Input{Scan: scan(sscc(2)), LastPull: "last pull 8 s ago"},
			"STOP: parcel " + sscc(2) + " is not known here yet — last pull 8 s ago. Do not load it"},
		{"load: voided label", loading(), Input{Scan: scan(sscc(2)), Parcel: with(two, func(f *Facts) { f.ShipmentStatus = "voided" })}, "has a voided label (shipment ORD-1002-1): take it off the line"},
		{"load: cancelled order", loading(), Input{Scan: scan(sscc(2)), Parcel: with(two, func(f *Facts) { f.OrderStatus = floor.OrderCancelled })}, "STOP: order ORD-1002 was cancelled"},
		{"load: held order", loading(), Input{Scan: scan(sscc(2)), Parcel: with(two, func(f *Facts) { f.Holds = []floor.Hold{{Reason: "HIGH_RISK_OF_FRAUD"}} })}, "STOP: order ORD-1002 is on hold (HIGH_RISK_OF_FRAUD)"},
		{"load: already on this pickup (store)", loading(), Input{Scan: scan(sscc(1)), Parcel: with(ready(1), func(f *Facts) { f.OnPickup = "PU1" })}, "is already on this pickup"},
		{"load: already on this pickup (state)", loading(), Input{Scan: scan(sscc(1)), Parcel: ready(1)}, "is already on this pickup"},
		{"load: on another pickup", loading(), Input{Scan: scan(sscc(2)), Parcel: with(two, func(f *Facts) { f.OnPickup, f.OnPickupCarrier = "PU0", "UPS" })}, "already on pickup PU0 (UPS)"},
		{"load: already left", loading(), Input{Scan: scan(sscc(2)), Parcel: with(two, func(f *Facts) { f.OnPickup, f.Left = "PU0", true })}, "already left with pickup PU0"},
		{"load: packing not finished", loading(), Input{Scan: scan(sscc(2)), Parcel: with(two, func(f *Facts) { f.ShipmentStatus = "labelled" })}, "not finished at the pack bench"},
		{"load: another carrier", loading(), Input{Scan: scan(sscc(2)), Parcel: with(two, func(f *Facts) { f.Carrier = "DHL" })}, "Goes with DHL, not UPS"},
		{"load: a command it does not know", loading(), Input{Command: floor.CmdSkip}, "CMD:SKIP does nothing here"},
		{"undo: nothing", func() State { s := loading(); s.Pickup.Parcels = nil; return s }(), Input{Command: floor.CmdUndo}, "Nothing to undo"},
		{"close: nothing", func() State { s := loading(); s.Pickup.Parcels = nil; return s }(), Input{Scan: scan("CMD:CLOSE")}, "Nothing is loaded on pickup PU1"},
		{"close: held since loading", loading(), Input{Scan: scan("CMD:CLOSE"), Loaded: map[string]*Facts{sscc(1): with(ready(1), func(f *Facts) { f.Holds = []floor.Hold{{Reason: "HIGH_RISK_OF_FRAUD"}} })}},
			"STOP: do not close pickup PU1: order ORD-1001 is on hold (HIGH_RISK_OF_FRAUD) since parcel " + sscc(1) + " was loaded"},
		{"close: cancelled since loading", loading(), Input{Command: floor.CmdClosePickup, Loaded: map[string]*Facts{sscc(1): with(ready(1), func(f *Facts) { f.OrderStatus = floor.OrderCancelled })}},
			"order ORD-1001 was cancelled since parcel"},
		{"close: voided since loading", loading(), Input{Command: floor.CmdClosePickup, Loaded: map[string]*Facts{sscc(1): with(ready(1), func(f *Facts) { f.ShipmentStatus = "voided" })}},
			"its label was voided (shipment ORD-1001-1) since parcel"},
		{"a lost operator", State{Step: StepLoad}, Input{Scan: scan(sscc(1))}, "Log in first"},
	}
	for _, c := range cases {
		before, _ := json.Marshal(c.s)
		r := Apply(c.s, c.in)
		after, _ := json.Marshal(c.s)
		if string(before) != string(after) {
			t.Errorf("%s: Apply changed the state it was given", c.name)
		}
		if c.name == "PIN: wrong" || c.name == "a lost operator" {
			if r.State.Step != StepLogin {
				t.Errorf("%s: back to %q, want the login", c.name, r.State.Step)
			}
		} else if !reflect.DeepEqual(r.State, c.s) {
			t.Errorf("%s: state moved:\n got %+v\nwant %+v", c.name, r.State, c.s)
		}
		if r.Feedback.Level != floor.Error || !strings.Contains(r.Feedback.Message, c.why) {
			t.Errorf("%s: feedback %+v, want an error with %q", c.name, r.Feedback, c.why)
		}
		if c.name == "PIN: wrong" && len(r.Events) == 2 && r.Events[1].Type == floor.EvPINFailed {
			r.Events = r.Events[:1] // the failure counts towards the badge's lock
		}
		if len(r.Events) != 1 || r.Events[0].Type != floor.EvScanRejected {
			t.Errorf("%s: events %+v, want one rejection", c.name, r.Events)
			continue
		}
		var p floor.RejectPayload
		if err := json.Unmarshal(r.Events[0].Payload, &p); err != nil || p.Reason != r.Feedback.Message {
			t.Errorf("%s: rejection %+v %v", c.name, p, err)
		}
		if strings.HasPrefix(c.name, "PIN") && p.Input != "****" {
			t.Errorf("%s: a typed PIN was journaled as %q", c.name, p.Input)
		}
	}
}

// TestSignIn: a loader and a packer sign in; a picker is refused and the
// refusal journaled; a station that offers no loading refuses a loader;
// a PIN is asked and checked.
func TestSignIn(t *testing.T) {
	allowAll := func(floor.Role) bool { return true }
	r := Apply(State{Step: StepLogin, Carriers: []string{"UPS"}}, Input{Scan: scan(lou.Badge), Operator: &lou, Allowed: allowAll})
	if r.State.Step != StepCarrier || r.State.Operator.Badge != lou.Badge || len(r.Events) != 1 || r.Events[0].Type != floor.EvLoggedIn ||
		r.Feedback.Message != "Hello Lou: choose a carrier (type its number or name) or scan a parcel" {
		t.Fatalf("loader: %+v", r)
	}
	if r := Apply(State{Step: StepLogin}, Input{Scan: scan(pam.Badge), Operator: &pam, Allowed: allowAll}); r.State.Step != StepCarrier {
		t.Fatalf("packer: %+v", r)
	}
	if r := Apply(State{Step: StepLogin}, Input{Scan: scan(pam.Badge), Operator: &pam, Allowed: func(x floor.Role) bool { return x == floor.RoleLoader }}); r.Feedback.Message != "Pam may not load parcels on this station" {
		t.Fatalf("packer where only loaders load: %+v", r)
	}
	r = Apply(State{Step: StepLogin}, Input{Scan: scan(pia.Badge), Operator: &pia, Allowed: allowAll})
	if r.State.Step != StepLogin || r.Feedback.Message != "Pia is not a loader" || r.Events[0].Type != floor.EvLoginRefused {
		t.Fatalf("picker: %+v", r)
	}
	r = Apply(State{Step: StepLogin}, Input{Scan: scan(lou.Badge), Operator: &lou, Allowed: func(x floor.Role) bool { return x != floor.RoleLoader }})
	if r.Feedback.Message != "Lou may not load parcels on this station" {
		t.Fatalf("loading not offered: %+v", r)
	}
	r = Apply(State{Step: StepLogin}, Input{Scan: scan(leo.Badge), Operator: &leo, Allowed: allowAll})
	if r.State.Step != StepPIN || r.State.Badge != leo.Badge || len(r.Events) != 0 {
		t.Fatalf("PIN asked: %+v", r)
	}
	r = Apply(r.State, Input{Scan: scan("4711"), Operator: &leo})
	if r.State.Step != StepCarrier || r.State.Operator.Name != "Leo" {
		t.Fatalf("PIN right: %+v", r)
	}
	if r := Apply(State{Step: StepPIN, Badge: leo.Badge}, Input{Command: floor.CmdCancel}); r.State.Step != StepLogin || len(r.Events) != 0 {
		t.Fatalf("PIN cancelled: %+v", r)
	}
}

// TestAPickupFromOpenToClose: a carrier chosen by number opens a new
// pickup; parcels load; undo takes the last off; close lists what left in
// load order; a parcel scanned at the carrier step opens its carrier's
// pickup, resuming the one left open; logout leaves it open.
func TestAPickupFromOpenToClose(t *testing.T) {
	s := choosing()
	r := Apply(s, Input{Scan: scan("2"), NewPickup: "PU7"})
	if r.State.Step != StepLoad || r.State.Pickup.ID != "PU7" || r.State.Pickup.Carrier != "UPS" ||
		r.Feedback.Message != "Pickup PU7 for UPS open: scan each parcel's SSCC" {
		t.Fatalf("open: %+v", r)
	}
	wantEvent(t, r, floor.EvDispatchPickupOpened, floor.DispatchPickupPayload{Pickup: "PU7", Carrier: "UPS"})
	for n := 1; n <= 3; n++ {
		r = Apply(r.State, Input{Scan: scan(sscc(n)), Parcel: ready(n)})
		wantEvent(t, r, floor.EvDispatchParcelLoaded, floor.DispatchParcelPayload{SSCC: sscc(n), Order: ready(n).Order, Shipment: ready(n).Shipment, Pickup: "PU7", Carrier: "UPS"})
	}
	if r.Feedback.Message != "Loaded "+sscc(3)+" (order ORD-1003): 3 parcels on pickup PU7" {
		t.Fatalf("third: %q", r.Feedback.Message)
	}
	// A GS1 scan of the label's barcode, (00) and more, names the parcel too.
	gs1 := "00" + sscc(4) + "\x1d" + "4212761011"
	r4 := Apply(r.State, Input{Scan: interp.Interpret("]C1", gs1), Parcel: ready(4)})
	if len(r4.State.Pickup.Parcels) != 4 || r4.Feedback.Level != floor.OK {
		t.Fatalf("GS1 scan: %+v", r4)
	}
	r = Apply(r4.State, Input{Command: floor.CmdUndo})
	wantEvent(t, r, floor.EvDispatchParcelUnloaded, floor.DispatchParcelPayload{SSCC: sscc(4), Order: "ORD-1004", Shipment: "ORD-1004-1", Pickup: "PU7", Carrier: "UPS"})
	if len(r.State.Pickup.Parcels) != 3 || len(r4.State.Pickup.Parcels) != 4 {
		t.Fatalf("undo: %d parcels (the earlier state has %d)", len(r.State.Pickup.Parcels), len(r4.State.Pickup.Parcels))
	}
	r = Apply(r.State, Input{Scan: scan("CMD:CLOSE")})
	wantEvent(t, r, floor.EvDispatchPickupClosed, floor.DispatchClosedPayload{Pickup: "PU7", Carrier: "UPS", SSCCs: []string{sscc(1), sscc(2), sscc(3)}})
	if r.State.Step != StepCarrier || r.State.Pickup.ID != "" || r.State.Closed == nil || len(r.State.Closed.SSCCs) != 3 ||
		r.Feedback.Message != "Pickup PU7 closed: 3 parcels shipped with UPS. The manifest prints: give it to the driver" {
		t.Fatalf("close: %+v", r)
	}

	// A parcel at the carrier step: DHL's open pickup resumes with it.
	dhl := with(ready(5), func(f *Facts) { f.Carrier = "DHL" })
	open := &Pickup{ID: "PU3", Carrier: "DHL", Parcels: []Parcel{{SSCC: sscc(6)}}}
	r = Apply(r.State, Input{Scan: scan(sscc(5)), Parcel: dhl, Open: open, NewPickup: "PU8"})
	if r.State.Pickup.ID != "PU3" || len(r.State.Pickup.Parcels) != 2 || len(r.Events) != 2 || r.State.Closed != nil ||
		r.Feedback.Message != "Pickup PU3 for DHL: Loaded "+sscc(5)+" (order ORD-1005): 2 parcels on pickup PU3" {
		t.Fatalf("parcel at the carrier step: %+v", r)
	}
	wantEvent(t, Result{Events: r.Events[:1]}, floor.EvDispatchPickupOpened, floor.DispatchPickupPayload{Pickup: "PU3", Carrier: "DHL", Resumed: true})
	if len(open.Parcels) != 1 {
		t.Fatal("the store's pickup was changed in place")
	}
	left := Apply(r.State, Input{Command: floor.CmdCancel})
	wantEvent(t, left, floor.EvDispatchPickupLeft, floor.DispatchPickupPayload{Pickup: "PU3", Carrier: "DHL"})
	if left.State.Step != StepCarrier || left.State.Pickup.ID != "" {
		t.Fatalf("cancel: %+v", left)
	}
	out := Apply(r.State, Input{Command: floor.CmdLogout})
	if out.State.Step != StepLogin || out.State.Operator.Badge != "" || out.Events[0].Type != floor.EvLoggedOut ||
		out.Feedback.Message != "Logged out: pickup PU3 (DHL) stays open with 2 parcels" {
		t.Fatalf("logout: %+v", out)
	}
	// Resumed by name, any case.
	r = Apply(choosing(), Input{Scan: scan("ups"), Open: &Pickup{ID: "PU1", Carrier: "UPS", Parcels: []Parcel{{SSCC: sscc(1)}}}, NewPickup: "PU9"})
	if r.State.Pickup.ID != "PU1" || r.Feedback.Message != "Pickup PU1 for UPS resumed with 1 parcel: scan the next parcel" {
		t.Fatalf("resume by name: %+v", r)
	}
}

// TestNewsSinceLoadingTakesTheParcelOff: a hold that reaches the dock
// after a parcel was loaded stops the close; scanning that parcel again
// takes it off the pickup (journaled, in the warning tone), and the
// pickup then closes with the others.
func TestNewsSinceLoadingTakesTheParcelOff(t *testing.T) {
	s := loading()
	s.Pickup.Parcels = append(s.Pickup.Parcels, Parcel{SSCC: sscc(2), Order: "ORD-1002", Shipment: "ORD-1002-1"}, Parcel{SSCC: sscc(3), Order: "ORD-1003", Shipment: "ORD-1003-1"})
	held := with(ready(2), func(f *Facts) { f.Holds = []floor.Hold{{Reason: "INCORRECT_ADDRESS"}}; f.OnPickup = "PU1" })
	loaded := map[string]*Facts{sscc(1): ready(1), sscc(2): held, sscc(3): ready(3)}
	if r := Apply(s, Input{Command: floor.CmdClosePickup, Loaded: loaded}); r.Feedback.Level != floor.Error || r.State.Step != StepLoad {
		t.Fatalf("close with a held parcel on board: %+v", r)
	}
	r := Apply(s, Input{Scan: scan(sscc(2)), Parcel: held})
	wantEvent(t, r, floor.EvDispatchParcelUnloaded, floor.DispatchParcelPayload{SSCC: sscc(2), Order: "ORD-1002", Shipment: "ORD-1002-1", Pickup: "PU1", Carrier: "UPS"})
	if r.Feedback.Level != floor.Warn || r.Feedback.Message != "Parcel "+sscc(2)+" is off pickup PU1: order ORD-1002 is on hold (INCORRECT_ADDRESS). Take it off the truck and give it to a supervisor. 2 parcels loaded" {
		t.Fatalf("taken off: %+v", r.Feedback)
	}
	if got := r.State.Pickup.Parcels; len(got) != 2 || got[0].SSCC != sscc(1) || got[1].SSCC != sscc(3) || len(s.Pickup.Parcels) != 3 {
		t.Fatalf("after taking it off: %+v (the earlier state has %d)", got, len(s.Pickup.Parcels))
	}
	delete(loaded, sscc(2))
	r = Apply(r.State, Input{Command: floor.CmdClosePickup, Loaded: loaded})
	wantEvent(t, r, floor.EvDispatchPickupClosed, floor.DispatchClosedPayload{Pickup: "PU1", Carrier: "UPS", SSCCs: []string{sscc(1), sscc(3)}})
}

func wantEvent(t *testing.T, r Result, typ floor.EventType, payload any) {
	t.Helper()
	if len(r.Events) == 0 {
		t.Fatalf("no event, want %s (feedback %+v)", typ, r.Feedback)
	}
	ev := r.Events[len(r.Events)-1]
	want, _ := json.Marshal(payload)
	if ev.Type != typ || string(ev.Payload) != string(want) {
		t.Fatalf("event %s %s, want %s %s", ev.Type, ev.Payload, typ, want)
	}
}

func TestSSCCAndCarrierParsers(t *testing.T) {
	good := sscc(42)
	for in, want := range map[string]string{
		good:                      good,
		"(00)" + good:             good,
		"(00) " + good:            good,
		"00" + good:               good,
		good[:6] + " " + good[6:]: good,
		good[:17] + "1":           "",
		"A-01-01-1":               "",
		"1234":                    "",
		"09501101530003":          "",
	} {
		got, ok := SSCC(scan(in))
		if got != want || ok != (want != "") {
			t.Errorf("SSCC(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	cs := []string{"DHL", "UPS"}
	for in, want := range map[string]string{"1": "DHL", "2": "UPS", "ups": "UPS", " DHL ": "DHL", "0": "", "UPSX": "", "": ""} {
		got, why := Carrier(barcode.Meaning{Input: in, Kind: barcode.KindUnknown}, cs)
		if got != want || (why == "") != (want != "") {
			t.Errorf("Carrier(%q) = %q %q, want %q", in, got, why, want)
		}
	}
}

// FuzzParsers: whatever a scanner sends, the parcel and carrier parsers
// answer (an SSCC is 18 digits with its check digit; a carrier is one of
// the list) and never panic.
func FuzzParsers(f *testing.F) {
	for _, s := range []string{sscc(1), "(00)" + sscc(2), "00" + sscc(3) + "\x1d4210000", "2", "ups", "CMD:CLOSE", "", "\xff", "999999999999999999"} {
		f.Add(s)
	}
	cs := []string{"DHL", "UPS"}
	f.Fuzz(func(t *testing.T, data string) {
		m := scan(data)
		if s, ok := SSCC(m); ok {
			if len(s) != 18 || checkDigit(s[:17]) != int(s[17]-'0') {
				t.Fatalf("SSCC(%q) = %q", data, s)
			}
		}
		if c, why := Carrier(m, cs); why == "" && c != "DHL" && c != "UPS" {
			t.Fatalf("Carrier(%q) = %q", data, c)
		}
		// And the workflow takes it at every step without a panic.
		for _, s := range []State{{Step: StepLogin}, choosing(), loading()} {
			r := Apply(s, Input{Scan: m, NewPickup: "PU1"})
			if r.Feedback.Level == floor.OK && len(r.Events) == 0 && s.Step != StepLogin {
				t.Fatalf("%q at %s: OK without a fact", data, s.Step)
			}
		}
	})
}

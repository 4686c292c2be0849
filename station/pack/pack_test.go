package pack

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/gs1"
)

var (
	pam = floor.Operator{Badge: "B2001", Name: "Pam", Roles: []floor.Role{floor.RolePacker}}
	ann = floor.Operator{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}}
	pia = floor.Operator{Badge: "B2002", Name: "Pia", Roles: []floor.Role{floor.RolePacker}, PINHash: floor.HashPIN("B2002", "4711")}
	sue = floor.Operator{Badge: "B9001", Name: "Sue", Roles: []floor.Role{floor.RoleSupervisor}}
	sid = floor.Operator{Badge: "B9002", Name: "Sid", Roles: []floor.Role{floor.RoleSupervisor}, PINHash: floor.HashPIN("B9002", "2468")}

	today = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
)

const (
	gMug = "04006381333931"
	gVit = "09501101530010"
	gTab = "09501101530027"
	gGas = "09501101530034"
	gCup = "09501101530003"
)

// rules are the default configuration's [pack] rules.
func rules() Rules {
	return Rules{ConfirmQuantityAbove: 10, WeightTolerancePercent: 5, WeightToleranceGrams: 50,
		HoldingLocation: "HOLD-01", HazmatAlone: true, Boxes: defaultBoxes()}
}

// order is ORD-0001 with one line of every kind: plain, lot, serial,
// hazmat, and one short-picked.
func order() floor.PackOrder {
	return floor.PackOrder{ID: "ORD-0001", Customer: "Café Nordlicht", Status: floor.OrderPicked, Lines: []floor.PackLine{
		{LineNo: 1, SKU: "MUG-RED", Description: "Red mug", GTINs: []string{gMug}, Ordered: 2, Picked: 2,
			UnitWeightG: 350, LengthMM: 120, WidthMM: 100, HeightMM: 100},
		{LineNo: 2, SKU: "VIT-C", Description: "Vitamin C", GTINs: []string{gVit}, Ordered: 3, Picked: 3, LotControlled: true,
			Lots: []floor.LotCount{{Lot: "L42", Qty: 2}, {Lot: "L43", Qty: 1}}, UnitWeightG: 80, LengthMM: 60, WidthMM: 60, HeightMM: 110},
		{LineNo: 3, SKU: "TAB-10", Description: "Tablet", GTINs: []string{gTab}, Ordered: 2, Picked: 2, SerialControlled: true,
			Serials: []string{"SN1", "SN2"}, UnitWeightG: 500, LengthMM: 250, WidthMM: 170, HeightMM: 10},
		{LineNo: 4, SKU: "GAS-1", Description: "Lighter gas", GTINs: []string{gGas}, Ordered: 1, Picked: 1, Hazmat: true,
			UnitWeightG: 150, LengthMM: 80, WidthMM: 30, HeightMM: 15},
		{LineNo: 5, SKU: "CUP-BLU", Description: "Blue cup", GTINs: []string{gCup}, Ordered: 3, Picked: 1, Short: 2,
			UnitWeightG: 200, LengthMM: 100, WidthMM: 100, HeightMM: 90},
	}}
}

// mugs is ORD-0002: two mugs, nothing else, so it can be completed.
func mugs() floor.PackOrder {
	o := order()
	o.ID, o.Lines = "ORD-0002", o.Lines[:1]
	return o
}

func loggedOut() State { return State{Step: StepLogin, Rules: rules(), HasScale: true} }

func idle() State {
	s := loggedOut()
	s.Operator, s.Step = pam, StepOrder
	return s
}

// bench is Pam verifying order o with the given cartons.
func bench(o floor.PackOrder, cs ...Carton) func() State {
	return func() State {
		s := idle()
		s.Order, s.Step = o, StepVerify
		s.Cartons = cs
		return s
	}
}

// at is bench with another step and pending data.
func at(step Step, p Pending, o floor.PackOrder, cs ...Carton) func() State {
	return func() State {
		s := bench(o, cs...)()
		s.Step, s.Pending = step, p
		return s
	}
}

func with(f func() State, change func(*State)) func() State {
	return func() State {
		s := f()
		change(&s)
		return s
	}
}

func u(line int, sku string, qty int) Unit { return Unit{Line: line, SKU: sku, Qty: qty} }

// twoMugs is an open carton holding both mugs of ORD-0002.
func twoMugs(box string) Carton { return Carton{No: 1, Box: box, Units: []Unit{u(1, "MUG-RED", 2)}} }

func scan(kind barcode.Kind, code string) Input {
	return Input{Scan: barcode.Meaning{Input: code, Kind: kind, Code: code}, Today: today, RoleAllowed: true}
}
func badge(op *floor.Operator, code string) Input {
	in := scan(barcode.KindBadge, code)
	in.Operator = op
	return in
}
func text(s string) Input { return scan(barcode.KindUnknown, s) }
func gtin(g string) Input {
	in := scan(barcode.KindGTIN, g)
	in.Scan.GTIN = g
	return in
}
func gs1Scan(g, lot, serial string, expiry time.Time) Input {
	in := gtin(g)
	in.Scan.Kind, in.Scan.Lot, in.Scan.Serial, in.Scan.Expiry = barcode.KindGS1, lot, serial, expiry
	in.Scan.AIs = []gs1.Element{{AI: "01", Value: g}}
	return in
}
func counted(g, n string) Input {
	in := gs1Scan(g, "", "", time.Time{})
	in.Scan.AIs = append(in.Scan.AIs, gs1.Element{AI: "30", Value: n})
	return in
}
func cmd(c floor.Command) Input { return Input{Command: c, Today: today, RoleAllowed: true} }
func cmdScan(c floor.Command) Input {
	in := scan(barcode.KindCommand, c.Barcode())
	in.Scan.Code = string(c)
	return in
}
func weight(g float64) Input {
	return Input{Weight: &ScaleReading{Grams: g}, Today: today, RoleAllowed: true}
}
func starting(kind barcode.Kind, code string, o floor.PackOrder) Input {
	in := scan(kind, code)
	in.Order = &o
	return in
}
func standing(in Input, st floor.OrderStanding) Input {
	in.Standing = &st
	return in
}

type want struct {
	step    Step
	events  []floor.EventType
	level   Level
	message string // substring
	check   func(t *testing.T, s State, evs []floor.Event)
}

// payload finds the first event of type t and decodes its payload into v.
func payload(t *testing.T, evs []floor.Event, typ floor.EventType, v any) {
	t.Helper()
	for _, ev := range evs {
		if ev.Type == typ {
			if err := json.Unmarshal(ev.Payload, v); err != nil {
				t.Fatalf("%s payload %s: %v", typ, ev.Payload, err)
			}
			return
		}
	}
	t.Fatalf("no %s event", typ)
}

func ev(ts ...floor.EventType) []floor.EventType { return ts }

var rej = ev(floor.EvScanRejected)

// wrongPIN is a wrong PIN's rejection and its failure, counted towards
// the badge's lock.
var wrongPIN = ev(floor.EvScanRejected, floor.EvPINFailed)

func TestTransitions(t *testing.T) {
	heldOrder := with(bench(mugs(), twoMugs("BOX-M")), func(s *State) {
		s.Cartons[0].Closed, s.Cartons[0].WeightG = true, 950
		s.Step, s.Held, s.Finishing = StepHeld, true, FinishComplete
		s.Order.Holds = []floor.Hold{{Reason: "INCORRECT_ADDRESS", Note: "no house number"}}
	})
	shipped := func(n int) func() State {
		return with(bench(mugs()), func(s *State) {
			for i := 1; i <= n; i++ {
				s.Cartons = append(s.Cartons, Carton{No: i, Box: "BOX-S", Units: []Unit{u(1, "MUG-RED", 1)}, WeightG: 470, Closed: true})
			}
			s.Step, s.Shipment = StepDone, "ORD-0002-1"
		})
	}
	weighed := func(g float64) func() State {
		return with(at(StepMismatch, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) {
			s.Cartons[0].WeightG, s.Cartons[0].ExpectedG, s.Cartons[0].ToleranceG, s.Cartons[0].WeightSource = g, 950, 50, "scale"
		})
	}
	cases := []struct {
		name  string
		start func() State
		in    Input
		want  want
	}{
		// Login and logout
		{"packer badge logs in", loggedOut, badge(&pam, "B2001"), want{StepOrder, ev(floor.EvLoggedIn), OK, "Hello Pam: scan a tote", nil}},
		{"picker refused", loggedOut, badge(&ann, "B1001"), want{StepLogin, ev(floor.EvLoginRefused), Error, "Ann is not a packer", nil}},
		{"role not allowed on station", loggedOut, func() Input { in := badge(&pam, "B2001"); in.RoleAllowed = false; return in }(),
			want{StepLogin, ev(floor.EvLoginRefused), Error, "may not pack on this station", nil}},
		{"unknown badge", loggedOut, badge(nil, "B7777"), want{StepLogin, rej, Error, "Unknown badge B7777", nil}},
		{"item before login", loggedOut, gtin(gMug), want{StepLogin, rej, Error, "Log in first", nil}},
		{"badge with PIN asks for it", loggedOut, badge(&pia, "B2002"), want{StepPIN, nil, Info, "type your PIN", nil}},
		{"right PIN", with(loggedOut, func(s *State) { s.Step, s.Pending.Badge = StepPIN, "B2002" }),
			func() Input { in := text("4711"); in.Operator = &pia; return in }(), want{StepOrder, ev(floor.EvLoggedIn), OK, "Hello Pia", nil}},
		{"wrong PIN is not journaled", with(loggedOut, func(s *State) { s.Step, s.Pending.Badge = StepPIN, "B2002" }),
			func() Input { in := text("1234"); in.Operator = &pia; return in }(), want{StepLogin, wrongPIN, Error, "Wrong PIN", func(t *testing.T, _ State, evs []floor.Event) {
				if strings.Contains(string(evs[0].Payload), "1234") {
					t.Errorf("PIN in the journal: %s", evs[0].Payload)
				}
			}}},
		{"cancel the PIN", with(loggedOut, func(s *State) { s.Step, s.Pending.Badge = StepPIN, "B2002" }), cmd(floor.CmdCancel), want{StepLogin, nil, Info, "Login cancelled", nil}},
		{"a PIN with no operator behind it", with(loggedOut, func(s *State) { s.Step, s.Pending.Badge = StepPIN, "B2002" }), text("4711"),
			want{StepLogin, rej, Error, "Login failed", nil}},
		{"login resumes a stopped order", with(heldOrder, func(s *State) { s.Operator, s.Step = floor.Operator{}, StepLogin }), badge(&pam, "B2001"),
			want{StepHeld, ev(floor.EvLoggedIn), Warn, "ON HOLD (INCORRECT_ADDRESS: no house number). Take the goods to HOLD-01", nil}},
		{"login resumes the order on the bench", with(bench(order(), twoMugs("")), func(s *State) { s.Operator, s.Step = floor.Operator{}, StepLogin }),
			badge(&pam, "B2001"), want{StepVerify, ev(floor.EvLoggedIn), OK, "ORD-0001 is on the bench", nil}},
		{"login after the labels", with(shipped(1), func(s *State) { s.Operator, s.Step = floor.Operator{}, StepLogin }),
			badge(&pam, "B2001"), want{StepDone, ev(floor.EvLoggedIn), OK, "is packed", nil}},
		{"logout while weighing forgets the finish, keeps the cartons", with(at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.Finishing = FinishComplete }),
			cmdScan(floor.CmdLogout), want{StepLogin, ev(floor.EvLoggedOut), OK, "Goodbye Pam", func(t *testing.T, s State, evs []floor.Event) {
				if s.Finishing != "" || len(s.Cartons) != 1 || s.Order.ID != "ORD-0002" || evs[0].Operator != "B2001" {
					t.Errorf("after logout: %+v", s)
				}
			}}},

		// Start
		{"tote starts the order", idle, starting(barcode.KindTote, "T00001", order()),
			want{StepVerify, ev(floor.EvPackStarted), OK, "ORD-0001 for Café Nordlicht: 9 units on 5 lines", func(t *testing.T, s State, evs []floor.Event) {
				var p floor.PackStartedPayload
				payload(t, evs, floor.EvPackStarted, &p)
				if p.Order != "ORD-0001" || p.Scanned != "T00001" || p.ScanKind != "tote" || p.Ordered != 11 || p.Picked != 9 || p.Short != 2 || p.Lines != 5 {
					t.Errorf("started payload %+v", p)
				}
				if s.Order.ID != "ORD-0001" || len(s.Cartons) != 0 {
					t.Errorf("state %+v", s)
				}
			}}},
		{"order number starts the order", idle, starting(barcode.KindOrder, "ORD-0001", order()), want{StepVerify, ev(floor.EvPackStarted), OK, "ORD-0001", nil}},
		{"pick ticket starts the order", idle, starting(barcode.KindUnknown, "PT-88812", order()), want{StepVerify, ev(floor.EvPackStarted), OK, "ORD-0001", nil}},
		{"next order after the labels", shipped(1), starting(barcode.KindTote, "T00002", order()),
			want{StepVerify, ev(floor.EvPackStarted), OK, "ORD-0001", func(t *testing.T, s State, _ []floor.Event) {
				if s.Shipment != "" || len(s.Cartons) != 0 {
					t.Errorf("the last order's shipment stayed: %+v", s)
				}
			}}},
		{"empty tote", idle, scan(barcode.KindTote, "T00009"), want{StepOrder, rej, Error, "No order to pack in tote T00009", nil}},
		{"unknown order", idle, scan(barcode.KindOrder, "ORD-9999"), want{StepOrder, rej, Error, "ORD-9999 is not on this station", nil}},
		{"unknown ticket", idle, text("PT-1"), want{StepOrder, rej, Error, "Unknown barcode PT-1", nil}},
		{"item before the order", idle, gtin(gMug), want{StepOrder, rej, Error, "Scan the tote, the order or the pick ticket first", nil}},
		{"location at the order step", idle, scan(barcode.KindLocation, "A-01-01-1"), want{StepOrder, rej, Error, "That is a location: scan a tote", nil}},
		{"cancelled order refused with where the goods go", idle, starting(barcode.KindTote, "T00001", func() floor.PackOrder { o := order(); o.Status = floor.OrderCancelled; return o }()),
			want{StepOrder, rej, Error, "ORD-0001 is CANCELLED: do not pack it. Take the goods to HOLD-01", nil}},
		{"packed order refused", idle, starting(barcode.KindOrder, "ORD-0001", func() floor.PackOrder { o := order(); o.Status = floor.OrderPacked; return o }()),
			want{StepOrder, rej, Error, "already packed", nil}},
		{"nothing picked", idle, starting(barcode.KindOrder, "ORD-0001", func() floor.PackOrder {
			o := mugs()
			o.Lines[0].Picked = 0
			return o
		}()), want{StepOrder, rej, Error, "Nothing of order ORD-0002 has been picked", nil}},
		{"inconsistent snapshot refused", idle, starting(barcode.KindOrder, "ORD-0001", func() floor.PackOrder {
			o := order()
			o.Lines[1].Picked = 9
			return o
		}()), want{StepOrder, rej, Error, "line 2 says 9 picked of 3 ordered", nil}},
		{"a repeated line number refused", idle, starting(barcode.KindOrder, "ORD-0001", func() floor.PackOrder {
			o := order()
			o.Lines[1].LineNo = 1
			return o
		}()), want{StepOrder, rej, Error, "line number 1 is missing or repeated", nil}},
		{"held order may be verified, with a warning", idle, starting(barcode.KindOrder, "ORD-0001", func() floor.PackOrder {
			o := order()
			o.Holds = []floor.Hold{{Reason: "INCORRECT_ADDRESS"}}
			return o
		}()), want{StepVerify, ev(floor.EvPackStarted), Warn, "ON HOLD (INCORRECT_ADDRESS): verify it, but no label prints", func(t *testing.T, _ State, evs []floor.Event) {
			var p floor.PackStartedPayload
			payload(t, evs, floor.EvPackStarted, &p)
			if len(p.Holds) != 1 || p.Holds[0].Reason != "INCORRECT_ADDRESS" {
				t.Errorf("holds in payload: %+v", p)
			}
		}}},
		{"command at the order step", idle, cmd(floor.CmdComplete), want{StepOrder, rej, Error, "CMD:COMPLETE does nothing here", nil}},

		// Verify
		{"unit by GTIN", bench(order()), gtin(gMug),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "MUG-RED 1 of 2 into carton 1. 8 units to go", func(t *testing.T, s State, evs []floor.Event) {
				var p floor.PackUnitPayload
				payload(t, evs, floor.EvPackUnitVerified, &p)
				if p != (floor.PackUnitPayload{Order: "ORD-0001", Line: 1, SKU: "MUG-RED", Qty: 1, Carton: 1}) {
					t.Errorf("payload %+v", p)
				}
				if len(s.Cartons) != 1 || s.Verified(1) != 1 {
					t.Errorf("cartons %+v", s.Cartons)
				}
			}}},
		{"unit by SKU", bench(order()), text("MUG-RED"), want{StepVerify, ev(floor.EvPackUnitVerified), OK, "MUG-RED 1 of 2", nil}},
		{"unit the station resolved by another GTIN", bench(order()), func() Input {
			in := gtin("00012345678905")
			in.Item = &floor.Item{SKU: "MUG-RED"}
			return in
		}(), want{StepVerify, ev(floor.EvPackUnitVerified), OK, "MUG-RED 1 of 2", nil}},
		{"wrong item", bench(order()), func() Input {
			in := gtin("00012345678905")
			in.Item = &floor.Item{SKU: "CUP-GRN", Description: "Green cup"}
			return in
		}(), want{StepVerify, rej, Error, "Wrong item CUP-GRN (Green cup): it is not in order ORD-0001", nil}},
		{"unknown code", bench(order()), text("NOPE-1"), want{StepVerify, rej, Error, "Unknown barcode NOPE-1: not an item of order ORD-0001", nil}},
		{"unknown code with escapes is neutralised", bench(order()), text("X\x1b]0;pwned\x07"), want{StepVerify, rej, Error, `X\x1b]0;pwned\x07`, nil}},
		{"over-scan", bench(mugs(), twoMugs("")), gtin(gMug), want{StepVerify, rej, Error, "EXTRA UNIT: all 2 picked MUG-RED are verified", nil}},
		{"over-scan of a short-picked line", bench(order(), Carton{No: 1, Units: []Unit{u(5, "CUP-BLU", 1)}}), gtin(gCup),
			want{StepVerify, rej, Error, "EXTRA UNIT: all 1 picked CUP-BLU", nil}},
		{"garbled scan says why", bench(order()), Input{Scan: barcode.Meaning{Input: "4006381333932", Kind: barcode.KindGTIN, Err: errors.New("GTIN check digit should be 1, not 2")}},
			want{StepVerify, rej, Error, "GTIN check digit should be 1, not 2", nil}},
		{"badge while verifying", bench(order()), badge(&pam, "B2001"), want{StepVerify, rej, Error, "That is a badge: ", nil}},
		{"another tote while verifying", bench(order()), starting(barcode.KindTote, "T00002", mugs()),
			want{StepVerify, rej, Error, "ORD-0001 is on the bench: finish it, or put it aside", nil}},
		{"expired unit", bench(order()), gs1Scan(gVit, "L42", "", today.AddDate(0, 0, -1)), want{StepVerify, rej, Error, "Expired: lot L42 expired on 2026-11-21", nil}},
		{"count from the label (AI 30)", bench(order()), counted(gMug, "2"),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "MUG-RED 2 of 2", nil}},
		{"count from the label above the confirm limit", bench(func() floor.PackOrder { o := mugs(); o.Lines[0].Ordered, o.Lines[0].Picked = 40, 40; return o }()),
			counted(gMug, "12"), want{StepConfirm, nil, Info, "Confirm 12 × MUG-RED", nil}},
		{"confirmed count from the label", at(StepConfirm, Pending{Qty: 12, Line: 1, Scanned: true, Back: StepVerify}, func() floor.PackOrder {
			o := mugs()
			o.Lines[0].Ordered, o.Lines[0].Picked = 40, 40
			return o
		}()), cmdScan(floor.CmdOK), want{StepVerify, ev(floor.EvPackUnitVerified), OK, "MUG-RED 12 of 40", nil}},
		{"zero count on the label", bench(order()), counted(gMug, "0"), want{StepVerify, rej, Error, `count (30) "0"`, nil}},
		{"last unit says complete", bench(mugs(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 1)}}), gtin(gMug),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "All 2 units verified: pack complete", nil}},
		{"last picked unit of a short order says partial", bench(func() floor.PackOrder { o := order(); o.Lines = []floor.PackLine{o.Lines[0], o.Lines[4]}; return o }(),
			Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 2)}}), gtin(gCup),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "CUP-BLU 1 of 1. All 3 units picked are verified: ship partial (CMD:PARTIAL)", nil}},
		{"one unit to go is said in the singular", bench(mugs(), Carton{No: 1, Units: []Unit{}}), gtin(gMug),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "MUG-RED 1 of 2 into carton 1. 1 unit to go", nil}},
		{"units go into a new carton after a close", bench(mugs(), Carton{No: 1, Box: "BOX-S", Units: []Unit{u(1, "MUG-RED", 1)}, WeightG: 470, Closed: true}), gtin(gMug),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "", func(t *testing.T, s State, evs []floor.Event) {
				var p floor.PackUnitPayload
				payload(t, evs, floor.EvPackUnitVerified, &p)
				if p.Carton != 2 || len(s.Cartons) != 2 || s.Cartons[1].Count() != 1 {
					t.Errorf("carton %d, cartons %+v", p.Carton, s.Cartons)
				}
			}}},

		// Lots
		{"lot from the GS1 label", bench(order()), gs1Scan(gVit, "L42", "", today.AddDate(1, 0, 0)),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "VIT-C 1 of 3", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `"lot":"L42","expiry":"2027-11-22"`) {
					t.Errorf("payload %s", evs[0].Payload)
				}
			}}},
		{"lot not picked for the order", bench(order()), gs1Scan(gVit, "L99", "", time.Time{}),
			want{StepVerify, rej, Error, "WRONG LOT L99: it was not picked for order ORD-0001 (picked: L42, L43)", nil}},
		{"more of a lot than was picked", bench(order(), Carton{No: 1, Units: []Unit{{Line: 2, SKU: "VIT-C", Qty: 1, Lot: "L43"}}}), gs1Scan(gVit, "L43", "", time.Time{}),
			want{StepVerify, rej, Error, "Too many of lot L43: 1 were picked, 1 already verified", nil}},
		{"uncertain lot refused", bench(order()), func() Input {
			in := gs1Scan(gVit, "L42", "", time.Time{})
			in.Scan.Warnings = []string{"a separator may be missing"}
			return in
		}(), want{StepVerify, rej, Error, "Lot not certain: a separator may be missing", nil}},
		{"GTIN of a lot item asks for the lot", bench(order()), gtin(gVit), want{StepLot, nil, Info, "VIT-C: scan or type the lot", func(t *testing.T, s State, _ []floor.Event) {
			if s.Pending.Line != 2 || s.Pending.Qty != 1 {
				t.Errorf("pending %+v", s.Pending)
			}
		}}},
		{"typed lot counts", at(StepLot, Pending{Qty: 1, Line: 2, Back: StepVerify}, order()), text("L43"),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "VIT-C 1 of 3", nil}},
		{"typed wrong lot keeps asking", at(StepLot, Pending{Qty: 1, Line: 2, Back: StepVerify}, order()), text("L01"),
			want{StepLot, rej, Error, "WRONG LOT L01", nil}},
		{"lot from a GS1 scan at the lot step", at(StepLot, Pending{Qty: 1, Line: 2, Back: StepVerify}, order()), gs1Scan(gVit, "L42", "", time.Time{}),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "VIT-C", nil}},
		{"another item's label at the lot step", at(StepLot, Pending{Qty: 1, Line: 2, Back: StepVerify}, order()), gs1Scan(gMug, "L42", "", time.Time{}),
			want{StepLot, rej, Error, "Wrong item: scan the lot of VIT-C", nil}},
		{"empty lot", at(StepLot, Pending{Qty: 1, Line: 2}, order()), text(" "), want{StepLot, rej, Error, "1 to 20 printable", nil}},
		{"cancel the lot", at(StepLot, Pending{Qty: 1, Line: 2}, order()), cmd(floor.CmdCancel), want{StepVerify, nil, Info, "nothing counted", nil}},

		// Serials
		{"serial from the GS1 label", bench(order()), gs1Scan(gTab, "", "SN1", time.Time{}),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "TAB-10 1 of 2", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `"serial":"SN1"`) {
					t.Errorf("payload %s", evs[0].Payload)
				}
			}}},
		{"serial not picked for the order", bench(order()), gs1Scan(gTab, "", "SN7", time.Time{}), want{StepVerify, rej, Error, "WRONG SERIAL SN7", nil}},
		{"serial verified twice", bench(order(), Carton{No: 1, Units: []Unit{{Line: 3, SKU: "TAB-10", Qty: 1, Serial: "SN1"}}}), gs1Scan(gTab, "", "SN1", time.Time{}),
			want{StepVerify, rej, Error, "Serial SN1 is already verified (carton 1)", nil}},
		{"GTIN of a serial item asks for the serial", bench(order()), gtin(gTab), want{StepSerial, nil, Info, "serial number", nil}},
		{"typed serial counts", at(StepSerial, Pending{Qty: 1, Line: 3}, order()), text("SN2"), want{StepVerify, ev(floor.EvPackUnitVerified), OK, "TAB-10 1 of 2", nil}},
		{"typed serial already verified", at(StepSerial, Pending{Qty: 1, Line: 3}, order(), Carton{No: 1, Units: []Unit{{Line: 3, SKU: "TAB-10", Qty: 1, Serial: "SN2"}}}),
			text("SN2"), want{StepSerial, rej, Error, "already verified", nil}},
		{"no counted quantity of serial items", at(StepCount, Pending{Qty: 2, Back: StepVerify}, order()), gtin(gTab),
			want{StepCount, rej, Error, "serial number per unit", nil}},

		// Quantities
		{"quantity key", bench(order()), cmd(floor.CmdQuantity), want{StepQuantity, nil, Info, "then scan the item once", nil}},
		{"typed quantity waits for the item", at(StepQuantity, Pending{Back: StepVerify}, order()), text("2"), want{StepCount, nil, Info, "counts 2 units", nil}},
		{"item after a typed quantity", at(StepCount, Pending{Qty: 2, Back: StepVerify}, order()), gtin(gMug),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "MUG-RED 2 of 2", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `"qty":2`) {
					t.Errorf("payload %s", evs[0].Payload)
				}
			}}},
		{"typed quantity more than the line's picked", at(StepCount, Pending{Qty: 3, Back: StepVerify}, order()), gtin(gMug),
			want{StepCount, rej, Error, "Too many: only 2 more MUG-RED were picked, not 3", nil}},
		{"typed quantity of a lot item asks for the lot", at(StepCount, Pending{Qty: 2, Back: StepVerify}, order()), gtin(gVit),
			want{StepLot, nil, Info, "lot number", nil}},
		{"typed lot for two units", at(StepLot, Pending{Qty: 2, Line: 2}, order()), text("L42"),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "VIT-C 2 of 3", nil}},
		{"typed lot for more units than the lot had", at(StepLot, Pending{Qty: 2, Line: 2}, order()), text("L43"),
			want{StepLot, rej, Error, "Too many of lot L43", nil}},
		{"quantity above what is left", at(StepQuantity, Pending{}, order()), text("10"), want{StepQuantity, rej, Error, "Only 9 units are left", nil}},
		{"quantity not a number", at(StepQuantity, Pending{}, order()), text("two"), want{StepQuantity, rej, Error, "from 1 to 9", nil}},
		{"large quantity asks to confirm", at(StepQuantity, Pending{}, func() floor.PackOrder { o := mugs(); o.Lines[0].Ordered, o.Lines[0].Picked = 40, 40; return o }()),
			text("20"), want{StepConfirm, nil, Info, "Confirm 20 units", nil}},
		{"confirmed quantity waits for the item", at(StepConfirm, Pending{Qty: 20}, order()), text(""), want{StepCount, nil, Info, "counts 20 units", nil}},
		{"confirm refuses a scan", at(StepConfirm, Pending{Qty: 20}, order()), gtin(gMug), want{StepConfirm, rej, Error, "confirm 20", nil}},
		{"cancel the quantity", at(StepCount, Pending{Qty: 2}, order()), cmd(floor.CmdCancel), want{StepVerify, nil, Info, "cancelled", nil}},
		{"box at the count step", at(StepCount, Pending{Qty: 2}, order()), text("BOX-M"), want{StepCount, rej, Error, "That is a box", nil}},

		// Hazmat
		{"hazmat into a carton with other goods", bench(order(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 1)}}), gtin(gGas),
			want{StepVerify, rej, Error, "HAZMAT: GAS-1 must not share a carton with other goods. Close carton 1 (CMD:CLOSE) and start a new one", nil}},
		{"other goods into the hazmat carton", bench(order(), Carton{No: 1, Units: []Unit{u(4, "GAS-1", 1)}}), gtin(gMug),
			want{StepVerify, rej, Error, "HAZMAT: carton 1 holds GAS-1, nothing else may go in", nil}},
		{"hazmat into its own carton", bench(order(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}), gtin(gGas),
			want{StepVerify, ev(floor.EvPackUnitVerified), OK, "GAS-1 1 of 1 into carton 2", nil}},
		{"hazmat with other goods when the rule is off", with(bench(order(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 1)}}), func(s *State) { s.Rules.HazmatAlone = false }),
			gtin(gGas), want{StepVerify, ev(floor.EvPackUnitVerified), OK, "GAS-1", nil}},

		// Undo
		{"undo the last scan", bench(order(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 1), {Line: 2, SKU: "VIT-C", Qty: 1, Lot: "L42"}}}), cmd(floor.CmdUndo),
			want{StepVerify, ev(floor.EvPackUnitUndone), OK, "Undone: 1 × VIT-C", func(t *testing.T, s State, evs []floor.Event) {
				if s.Verified(2) != 0 || s.Verified(1) != 1 || !strings.Contains(string(evs[0].Payload), `"lot":"L42"`) {
					t.Errorf("after undo %+v %s", s.Cartons, evs[0].Payload)
				}
			}}},
		{"nothing to undo", bench(order()), cmd(floor.CmdUndo), want{StepVerify, nil, Info, "Nothing to undo", nil}},

		// Commands in the wrong place
		{"reprint before the labels", bench(order()), cmd(floor.CmdReprint), want{StepVerify, rej, Error, "No label yet", nil}},
		{"override with nothing to override", bench(order()), cmd(floor.CmdOverride), want{StepVerify, rej, Error, "Nothing to override", nil}},
		{"reopen with nothing to reopen", bench(order()), cmd(floor.CmdReopen), want{StepVerify, rej, Error, "Nothing to reopen", nil}},
		{"short reason while packing", bench(order()), cmdScan(floor.CmdReasonDamaged), want{StepVerify, rej, Error, "CMD:REASON-DAMAGED does nothing here", nil}},
		{"OK with nothing to confirm", bench(order()), cmd(floor.CmdOK), want{StepVerify, nil, Info, "Nothing to confirm", nil}},
		{"scale reading while verifying is ignored", bench(order()), weight(800), want{StepVerify, nil, Info, "No carton is waiting to be weighed", nil}},

		// Boxes
		{"close asks for a box and suggests one", bench(mugs(), twoMugs("")), cmd(floor.CmdCloseCarton),
			want{StepBox, nil, Info, "press Enter for medium (BOX-M)", nil}},
		{"close an empty carton", bench(order()), cmd(floor.CmdCloseCarton), want{StepVerify, rej, Error, "The carton is empty", nil}},
		{"box scan while verifying", bench(mugs(), twoMugs("")), text("BOX-L"), want{StepVerify, nil, Info, "Carton 1: box large (BOX-L)", func(t *testing.T, s State, _ []floor.Event) {
			if s.Cartons[0].Box != "BOX-L" {
				t.Errorf("box %q", s.Cartons[0].Box)
			}
		}}},
		{"box scan before any unit opens the carton", bench(order()), text("BOX-S"), want{StepVerify, nil, Info, "Carton 1: box small", func(t *testing.T, s State, _ []floor.Event) {
			if len(s.Cartons) != 1 || s.Cartons[0].Box != "BOX-S" || s.Cartons[0].Closed {
				t.Errorf("cartons %+v", s.Cartons)
			}
		}}},
		{"close with the box chosen goes to the scale", bench(mugs(), twoMugs("BOX-M")), cmd(floor.CmdCloseCarton), want{StepWeigh, nil, Info, "Put carton 1 (BOX-M) on the scale", nil}},
		{"close at a bench without a scale", with(bench(mugs(), twoMugs("BOX-M")), func(s *State) { s.HasScale = false }), cmd(floor.CmdCloseCarton),
			want{StepWeigh, nil, Info, "type its weight", nil}},
		{"Enter takes the suggestion", at(StepBox, Pending{}, mugs(), twoMugs("")), text(""), want{StepWeigh, nil, Info, "Box medium", func(t *testing.T, s State, _ []floor.Event) {
			if s.Cartons[0].Box != "BOX-M" {
				t.Errorf("box %q", s.Cartons[0].Box)
			}
		}}},
		{"CMD:OK takes the suggestion", at(StepBox, Pending{}, mugs(), twoMugs("")), cmdScan(floor.CmdOK), want{StepWeigh, nil, Info, "Box medium", nil}},
		{"scanned box at the box step", at(StepBox, Pending{}, mugs(), twoMugs("")), text("BOX-XL"), want{StepWeigh, nil, Info, "Box extra-large", nil}},
		{"a box too small is taken with a warning", at(StepBox, Pending{}, mugs(), twoMugs("")), text("BOX-S"), want{StepWeigh, nil, Warn, "may be too small", nil}},
		{"not a box at the box step", at(StepBox, Pending{}, mugs(), twoMugs("")), text("BOX-Q"), want{StepBox, rej, Error, "Scan a box (BOX-S, BOX-M, BOX-L, BOX-XL)", nil}},
		{"nothing fits: the packer must choose", with(bench(mugs(), twoMugs("")), func(s *State) { s.Order.Lines[0].LengthMM = 900 }), cmd(floor.CmdCloseCarton),
			want{StepBox, nil, Warn, "no box fits these items", nil}},
		{"nothing fits: Enter refused", with(at(StepBox, Pending{}, mugs(), twoMugs("")), func(s *State) { s.Order.Lines[0].LengthMM = 900 }), text(""),
			want{StepBox, rej, Error, "No box fits these items", nil}},
		{"cancel the box", at(StepBox, Pending{}, mugs(), twoMugs("")), cmd(floor.CmdCancel), want{StepVerify, nil, Info, "stays open", nil}},

		// Weighing. Two mugs (700 g) in BOX-M (250 g): 950 g ± max(5 %, 50 g) = 50 g.
		{"weight within tolerance closes the carton", at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), weight(990),
			want{StepVerify, ev(floor.EvPackWeightRecorded, floor.EvPackCartonClosed), OK, "Carton 1 closed at 990 g. Everything is verified", func(t *testing.T, s State, evs []floor.Event) {
				var w floor.PackWeightPayload
				payload(t, evs, floor.EvPackWeightRecorded, &w)
				if w != (floor.PackWeightPayload{Order: "ORD-0002", Carton: 1, Box: "BOX-M", WeightG: 990, ExpectedG: 950, ToleranceG: 50, Checked: true, Within: true, Source: "scale"}) {
					t.Errorf("weight payload %+v", w)
				}
				var c floor.PackCartonPayload
				payload(t, evs, floor.EvPackCartonClosed, &c)
				if c.Box != "BOX-M" || c.BoxName != "medium" || c.TareG != 250 || c.Units != 2 || c.WeightG != 990 || len(c.Lines) != 1 || c.Lines[0].Qty != 2 {
					t.Errorf("carton payload %+v", c)
				}
				if !s.Cartons[0].Closed {
					t.Errorf("carton not closed")
				}
			}}},
		{"weight outside tolerance", at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), weight(1001),
			want{StepMismatch, ev(floor.EvPackWeightRecorded), Error, "WEIGHT OFF: carton 1 weighs 1001 g, expected 950 g ± 50 g", func(t *testing.T, s State, evs []floor.Event) {
				var w floor.PackWeightPayload
				payload(t, evs, floor.EvPackWeightRecorded, &w)
				if w.Within || s.Cartons[0].Closed || s.Cartons[0].WeightG != 1001 {
					t.Errorf("payload %+v carton %+v", w, s.Cartons[0])
				}
			}}},
		{"percentage allows more for heavy cartons", at(StepWeigh, Pending{}, func() floor.PackOrder {
			o := mugs()
			o.Lines[0].UnitWeightG = 4875 // 9750 + 250 = 10 000 g ± 500 g
			return o
		}(), twoMugs("BOX-M")), weight(10480), want{StepVerify, ev(floor.EvPackWeightRecorded, floor.EvPackCartonClosed), OK, "closed at 10480 g", nil}},
		{"percentage still bounds heavy cartons", at(StepWeigh, Pending{}, func() floor.PackOrder {
			o := mugs()
			o.Lines[0].UnitWeightG = 4875
			return o
		}(), twoMugs("BOX-M")), weight(10520), want{StepMismatch, ev(floor.EvPackWeightRecorded), Error, "expected 10000 g ± 500 g", nil}},
		{"typed weight at a bench without a scale", with(at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.HasScale = false }), text("0.96kg"),
			want{StepVerify, ev(floor.EvPackWeightRecorded, floor.EvPackCartonClosed), OK, "closed at 960 g", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `"source":"typed"`) {
					t.Errorf("payload %s", evs[0].Payload)
				}
			}}},
		{"a command at the scale", at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), cmd(floor.CmdComplete), want{StepWeigh, rej, Error, "CMD:COMPLETE does nothing here", nil}},
		{"typed weight at a bench with a scale", at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), text("960"), want{StepWeigh, rej, Error, "Put the carton on the scale", nil}},
		{"typed weight that is no weight", with(at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.HasScale = false }), text("heavy"),
			want{StepWeigh, rej, Error, `"heavy" is not a weight`, nil}},
		{"empty scale", at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), weight(0), want{StepWeigh, rej, Error, "Scale: the weight must be more than 0 g", nil}},
		{"unknown item weight: recorded, not checked", at(StepWeigh, Pending{}, func() floor.PackOrder { o := mugs(); o.Lines[0].UnitWeightG = 0; return o }(), twoMugs("BOX-M")),
			weight(3000), want{StepVerify, ev(floor.EvPackWeightRecorded, floor.EvPackCartonClosed), Warn, "not checked", func(t *testing.T, _ State, evs []floor.Event) {
				var w floor.PackWeightPayload
				payload(t, evs, floor.EvPackWeightRecorded, &w)
				if w.Checked || !w.Within || w.ExpectedG != 0 {
					t.Errorf("payload %+v", w)
				}
			}}},
		{"another box at the scale", at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), text("BOX-L"), want{StepWeigh, nil, Info, "Box large", nil}},
		{"cancel the weighing", with(at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.Finishing = FinishComplete }), cmd(floor.CmdCancel),
			want{StepVerify, nil, Info, "stays open", func(t *testing.T, s State, _ []floor.Event) {
				if s.Finishing != "" {
					t.Errorf("finishing %q", s.Finishing)
				}
			}}},

		// Weight mismatch
		{"reopen to re-verify", weighed(1300), cmd(floor.CmdReopen),
			want{StepVerify, ev(floor.EvPackCartonReopened), OK, "Carton 1 reopened", func(t *testing.T, s State, evs []floor.Event) {
				var p floor.PackReopenedPayload
				payload(t, evs, floor.EvPackCartonReopened, &p)
				if p.Units != 2 || p.WeightG != 1300 || s.Verified(1) != 0 || s.Cartons[0].Box != "BOX-M" || s.Cartons[0].Closed {
					t.Errorf("payload %+v cartons %+v", p, s.Cartons)
				}
			}}},
		{"weigh again within tolerance", weighed(1300), weight(955), want{StepVerify, ev(floor.EvPackWeightRecorded, floor.EvPackCartonClosed), OK, "closed at 955 g", nil}},
		{"override asks for a supervisor", weighed(1300), cmd(floor.CmdOverride), want{StepSupervisor, nil, Info, "Supervisor: scan your badge", nil}},
		{"cancel at the mismatch keeps the carton open", weighed(1300), cmd(floor.CmdCancel), want{StepVerify, nil, Info, "stays open", nil}},
		{"a unit scan at the mismatch", weighed(1300), gtin(gMug), want{StepMismatch, rej, Error, "The weight is off", nil}},
		{"another box at the mismatch: weigh again", weighed(1300), text("BOX-L"), want{StepWeigh, nil, Info, "Box large", func(t *testing.T, s State, _ []floor.Event) {
			if s.Cartons[0].WeightG != 0 || s.Cartons[0].Box != "BOX-L" {
				t.Errorf("carton %+v", s.Cartons[0])
			}
		}}},
		{"typed weight again at a bench without a scale", with(weighed(1300), func(s *State) { s.HasScale = false }), text("950 g"),
			want{StepVerify, ev(floor.EvPackWeightRecorded, floor.EvPackCartonClosed), OK, "closed at 950 g", nil}},
		{"a GTIN where a typed weight is due", with(at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.HasScale = false }), gtin(gMug),
			want{StepWeigh, rej, Error, "That is an item barcode (GTIN): type the carton's weight", nil}},
		{"help is the screen's", bench(order()), cmd(floor.CmdHelp), want{StepVerify, nil, Info, "", nil}},
		{"complete at the mismatch", weighed(1300), cmd(floor.CmdComplete), want{StepMismatch, rej, Error, "The weight is off", nil}},

		// Supervisor
		{"a packer cannot override", at(StepSupervisor, Pending{Purpose: PurposeWeight, Back: StepMismatch}, mugs(), twoMugs("BOX-M")), badge(&pam, "B2001"),
			want{StepSupervisor, rej, Error, "Pam is not a supervisor", nil}},
		{"unknown supervisor badge", at(StepSupervisor, Pending{Purpose: PurposeWeight}, mugs(), twoMugs("BOX-M")), badge(nil, "B9999"),
			want{StepSupervisor, rej, Error, "Unknown badge B9999", nil}},
		{"supervisor badge asks for the reason", at(StepSupervisor, Pending{Purpose: PurposeWeight, Back: StepMismatch}, mugs(), twoMugs("BOX-M")), badge(&sue, "B9001"),
			want{StepReason, nil, Info, "Sue: type the reason", func(t *testing.T, s State, _ []floor.Event) {
				if s.Pending.Supervisor != "B9001" || s.Pending.Purpose != PurposeWeight || s.Pending.Back != StepMismatch {
					t.Errorf("pending %+v", s.Pending)
				}
			}}},
		{"supervisor with a PIN", at(StepSupervisor, Pending{Purpose: PurposeWeight}, mugs(), twoMugs("BOX-M")), badge(&sid, "B9002"),
			want{StepSupervisorPIN, nil, Info, "Sid: type your PIN", nil}},
		{"supervisor's right PIN", at(StepSupervisorPIN, Pending{Purpose: PurposeWeight, Badge: "B9002"}, mugs(), twoMugs("BOX-M")),
			func() Input { in := text("2468"); in.Operator = &sid; return in }(), want{StepReason, nil, Info, "Sid: type the reason", nil}},
		{"supervisor's wrong PIN", at(StepSupervisorPIN, Pending{Purpose: PurposeWeight, Badge: "B9002", Back: StepMismatch}, mugs(), twoMugs("BOX-M")),
			func() Input { in := text("1111"); in.Operator = &sid; return in }(), want{StepSupervisor, wrongPIN, Error, "Wrong PIN", func(t *testing.T, s State, evs []floor.Event) {
				if strings.Contains(string(evs[0].Payload), "1111") || s.Pending.Purpose != PurposeWeight || s.Pending.Back != StepMismatch || s.Pending.Badge != "" {
					t.Errorf("pending %+v, journal %s", s.Pending, evs[0].Payload)
				}
			}}},
		{"cancel the override", at(StepSupervisor, Pending{Purpose: PurposeWeight, Back: StepMismatch}, mugs(), twoMugs("BOX-M")), cmd(floor.CmdCancel),
			want{StepMismatch, nil, Info, "Override cancelled", nil}},
		{"a reason too short", at(StepReason, Pending{Purpose: PurposeWeight, Supervisor: "B9001", SupervisorName: "Sue"}, mugs(), twoMugs("BOX-M")), text("ok"),
			want{StepReason, rej, Error, "3 to 80 characters", nil}},
		{"weight override closes the carton", with(weighed(1300), func(s *State) {
			s.Step, s.Pending = StepReason, Pending{Purpose: PurposeWeight, Supervisor: "B9001", SupervisorName: "Sue", Back: StepMismatch}
		}), text("gift wrap adds weight"), want{StepVerify, ev(floor.EvPackOverride, floor.EvPackCartonClosed), OK, "Carton 1 closed at 1300 g", func(t *testing.T, s State, evs []floor.Event) {
			var o floor.PackOverridePayload
			payload(t, evs, floor.EvPackOverride, &o)
			if o.Purpose != floor.OverrideWeight || o.Supervisor != "B9001" || o.SupervisorName != "Sue" || o.Reason != "gift wrap adds weight" || o.Carton != 1 ||
				o.Detail != "carton 1 weighed 1300 g, expected 950 g ± 50 g" || evs[0].Operator != "B2001" {
				t.Errorf("override %+v by %s", o, evs[0].Operator)
			}
			var c floor.PackCartonPayload
			payload(t, evs, floor.EvPackCartonClosed, &c)
			if !c.Overridden || c.WeightG != 1300 || !s.Cartons[0].Closed {
				t.Errorf("carton %+v", c)
			}
		}}},

		// Finishing
		{"complete with units to verify", bench(mugs(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 1)}}), cmd(floor.CmdComplete),
			want{StepVerify, rej, Error, "Not complete: line 1 (MUG-RED): 1 of 2 verified", nil}},
		{"complete with a short line", bench(order(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 2), u(5, "CUP-BLU", 1)}}), cmd(floor.CmdComplete),
			want{StepVerify, rej, Error, "Not complete: line 2 (VIT-C): 0 of 3", nil}},
		{"complete with only the short line left", bench(func() floor.PackOrder { o := order(); o.Lines = []floor.PackLine{o.Lines[0], o.Lines[4]}; return o }(),
			Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 2), u(5, "CUP-BLU", 1)}}), cmd(floor.CmdComplete),
			want{StepVerify, rej, Error, "line 5 (CUP-BLU) was short-picked (1 of 3): ship partial (CMD:PARTIAL)", nil}},
		{"complete closes the open carton: box first", bench(mugs(), twoMugs("")), cmdScan(floor.CmdComplete),
			want{StepBox, nil, Info, "press Enter for medium", func(t *testing.T, s State, _ []floor.Event) {
				if s.Finishing != FinishComplete {
					t.Errorf("finishing %q", s.Finishing)
				}
			}}},
		{"complete with the box chosen: weigh", bench(mugs(), twoMugs("BOX-M")), cmd(floor.CmdComplete), want{StepWeigh, nil, Info, "on the scale", nil}},
		{"the weight of the last carton prints the labels", with(at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.Finishing = FinishComplete }), weight(950),
			want{StepDone, ev(floor.EvPackWeightRecorded, floor.EvPackCartonClosed, floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK,
				"Order ORD-0002 packed: 1 label printing", func(t *testing.T, s State, evs []floor.Event) {
					var l floor.PackLabelPayload
					payload(t, evs, floor.EvPackLabelRequested, &l)
					if l.Shipment != "ORD-0002-1" || l.Carton != 1 || l.Cartons != 1 || l.Box != "BOX-M" || l.WeightG != 950 || l.Units != 2 || l.SSCC != "" || l.Tracking != "" {
						t.Errorf("label %+v", l)
					}
					if !strings.Contains(string(evs[2].Payload), `"sscc":""`) || !strings.Contains(string(evs[2].Payload), `"tracking":""`) {
						t.Errorf("label payload lacks the fields the station fills: %s", evs[2].Payload)
					}
					var sh floor.PackShipmentPayload
					payload(t, evs, floor.EvPackShipmentCompleted, &sh)
					if sh.Partial || sh.Cartons != 1 || sh.Units != 2 || sh.WeightG != 950 || s.Shipment != "ORD-0002-1" || s.Finishing != "" {
						t.Errorf("shipment %+v state %+v", sh, s)
					}
				}}},
		{"complete with every carton closed", bench(mugs(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}), cmd(floor.CmdComplete),
			want{StepDone, ev(floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK, "packed", nil}},
		{"an empty open carton does not ship", bench(mugs(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}, Carton{No: 2, Box: "BOX-S"}),
			cmd(floor.CmdComplete), want{StepDone, ev(floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK, "1 label printing", func(t *testing.T, s State, _ []floor.Event) {
				if len(s.Cartons) != 1 {
					t.Errorf("cartons %+v", s.Cartons)
				}
			}}},
		{"the next shipment of an order is numbered on", with(bench(mugs(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}),
			func(s *State) { s.Order.Shipments = 1 }), cmd(floor.CmdComplete), want{StepDone, ev(floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK, "", func(t *testing.T, s State, _ []floor.Event) {
			if s.Shipment != "ORD-0002-2" {
				t.Errorf("shipment %q", s.Shipment)
			}
		}}},
		{"partial with nothing verified", bench(order()), cmd(floor.CmdPartial), want{StepVerify, rej, Error, "No partial shipment: nothing is verified yet", nil}},
		{"partial with nothing short", bench(mugs(), twoMugs("BOX-M")), cmd(floor.CmdPartial), want{StepVerify, rej, Error, "nothing is short", nil}},
		// Issue 14 (11e): a partial shipment is confirmed first.
		{"partial asks first", bench(order(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2), u(5, "CUP-BLU", 1)}, WeightG: 1150, Closed: true}), cmd(floor.CmdPartial),
			want{StepPartial, nil, Warn, "Ship order ORD-0001 partially? 3 of 11 units ship; 8 back-ordered", nil}},
		{"partial: Esc goes on packing", at(StepPartial, Pending{Back: StepVerify}, order(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}),
			cmd(floor.CmdCancel), want{StepVerify, nil, Info, "Carry on packing order ORD-0001", nil}},
		{"partial: another scan is refused", at(StepPartial, Pending{Back: StepVerify}, order(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}),
			text("BOX-S"), want{StepPartial, rej, Error, "Enter or CMD:OK to ship order ORD-0001 partially", nil}},
		{"partial: F6 again confirms", at(StepPartial, Pending{Back: StepVerify}, order(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}),
			cmd(floor.CmdPartial), want{StepDone, ev(floor.EvPackPartial, floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK, "shipped partially", nil}},
		{"partial: Enter on an empty line confirms", at(StepPartial, Pending{Back: StepVerify}, order(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}),
			text(""), want{StepDone, ev(floor.EvPackPartial, floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK, "shipped partially", nil}},
		{"partial ships what is verified", at(StepPartial, Pending{Back: StepVerify}, order(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2), u(5, "CUP-BLU", 1)}, WeightG: 1150, Closed: true}), cmdScan(floor.CmdOK),
			want{StepDone, ev(floor.EvPackPartial, floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK, "shipped partially", func(t *testing.T, s State, evs []floor.Event) {
				var p floor.PackPartialPayload
				payload(t, evs, floor.EvPackPartial, &p)
				wantShips := []floor.ShipLine{{Line: 1, SKU: "MUG-RED", Qty: 2}, {Line: 5, SKU: "CUP-BLU", Qty: 1}}
				wantBack := []floor.BackOrderLine{
					{Line: 2, SKU: "VIT-C", Ordered: 3, Remaining: 3, Missing: 3},
					{Line: 3, SKU: "TAB-10", Ordered: 2, Remaining: 2, Missing: 2},
					{Line: 4, SKU: "GAS-1", Ordered: 1, Remaining: 1, Missing: 1},
					{Line: 5, SKU: "CUP-BLU", Ordered: 3, Shipped: 1, Remaining: 2},
				}
				if !reflect.DeepEqual(p.Ships, wantShips) || !reflect.DeepEqual(p.BackOrder, wantBack) || p.Shipment != "ORD-0001-1" {
					t.Errorf("partial %+v", p)
				}
				var sh floor.PackShipmentPayload
				payload(t, evs, floor.EvPackShipmentCompleted, &sh)
				if !sh.Partial || !s.Partial {
					t.Errorf("shipment %+v", sh)
				}
			}}},

		// Ship-together
		{"complete while the group is not packed needs a supervisor", with(bench(mugs(), twoMugs("BOX-M")), func(s *State) {
			s.Order.ShipTogether, s.Order.GroupOpen = "G7", []string{"ORD-0003"}
		}), cmd(floor.CmdComplete), want{StepSupervisor, nil, Warn, "SHIP-TOGETHER: group G7 would be split: ORD-0003 of group G7 not packed yet", func(t *testing.T, s State, _ []floor.Event) {
			if s.Pending.Purpose != PurposeSplit || s.Finishing != FinishComplete {
				t.Errorf("pending %+v finishing %q", s.Pending, s.Finishing)
			}
		}}},
		{"a partial of a ship-together order needs a supervisor", with(bench(order(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}), func(s *State) {
			s.Order.ShipTogether = "G7"
			s.Step, s.Pending = StepPartial, Pending{Back: StepVerify}
		}), cmd(floor.CmdOK), want{StepSupervisor, nil, Warn, "a partial shipment of ORD-0001", nil}},
		{"a ship-together group all packed needs nobody", with(bench(mugs(), twoMugs("BOX-M")), func(s *State) { s.Order.ShipTogether = "G7" }), cmd(floor.CmdComplete),
			want{StepWeigh, nil, Info, "on the scale", nil}},
		{"the split override goes on to the labels", with(bench(mugs(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}), func(s *State) {
			s.Order.ShipTogether, s.Order.GroupOpen = "G7", []string{"ORD-0003"}
			s.Step, s.Finishing = StepReason, FinishComplete
			s.Pending = Pending{Purpose: PurposeSplit, Supervisor: "B9001", SupervisorName: "Sue", Back: StepVerify}
		}), text("customer asked for it"), want{StepDone, ev(floor.EvPackOverride, floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK, "packed", func(t *testing.T, s State, evs []floor.Event) {
			var o floor.PackOverridePayload
			payload(t, evs, floor.EvPackOverride, &o)
			if o.Purpose != floor.OverrideSplit || o.Reason != "customer asked for it" || !strings.Contains(o.Detail, "ORD-0003") {
				t.Errorf("override %+v", o)
			}
		}}},
		{"cancel the split override", with(bench(mugs(), twoMugs("BOX-M")), func(s *State) {
			s.Order.ShipTogether, s.Step, s.Finishing, s.Pending = "G7", StepSupervisor, FinishComplete, Pending{Purpose: PurposeSplit, Back: StepVerify}
		}), cmd(floor.CmdCancel), want{StepVerify, nil, Info, "cancelled", func(t *testing.T, s State, _ []floor.Event) {
			if s.Finishing != "" {
				t.Errorf("finishing %q", s.Finishing)
			}
		}}},

		// Hold gate
		{"a hold at the gate stops the labels", bench(mugs(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}),
			standing(cmd(floor.CmdComplete), floor.OrderStanding{Status: floor.OrderPicked, Holds: []floor.Hold{{Reason: "HIGH_RISK_OF_FRAUD"}}}),
			want{StepHeld, ev(floor.EvPackHeld), Error, "NO LABEL: order ORD-0002 is ON HOLD (HIGH_RISK_OF_FRAUD). Take the goods to HOLD-01", func(t *testing.T, s State, evs []floor.Event) {
				var h floor.PackHeldPayload
				payload(t, evs, floor.EvPackHeld, &h)
				if h.HoldingLocation != "HOLD-01" || len(h.Holds) != 1 || h.Cartons != 1 || h.Units != 2 || !s.Held || s.Shipment != "" {
					t.Errorf("held %+v state %+v", h, s)
				}
			}}},
		{"a hold that arrives while weighing the last carton", with(at(StepWeigh, Pending{}, mugs(), twoMugs("BOX-M")), func(s *State) { s.Finishing = FinishComplete }),
			standing(weight(950), floor.OrderStanding{Status: floor.OrderPicked, Holds: []floor.Hold{{Reason: "INCORRECT_ADDRESS"}}}),
			want{StepHeld, ev(floor.EvPackWeightRecorded, floor.EvPackCartonClosed, floor.EvPackHeld), Error, "NO LABEL", nil}},
		{"a cancellation at the gate", bench(mugs(), Carton{No: 1, Box: "BOX-M", Units: []Unit{u(1, "MUG-RED", 2)}, WeightG: 950, Closed: true}),
			func() Input {
				in := cmd(floor.CmdComplete)
				in.Standing = &floor.OrderStanding{Status: floor.OrderCancelled}
				return in
			}(), want{StepHeld, ev(floor.EvPackHeld), Error, "CANCELLED. Take the goods to HOLD-01", nil}},
		{"a cancellation while verifying stops at once", bench(order()), standing(gtin(gMug), floor.OrderStanding{Status: floor.OrderCancelled}),
			want{StepHeld, ev(floor.EvPackHeld), Error, "was CANCELLED", func(t *testing.T, s State, _ []floor.Event) {
				if s.Verified(1) != 0 {
					t.Errorf("the scan was counted after the cancellation")
				}
			}}},
		{"held: Enter sets the order aside on the holding shelf", heldOrder, text(""),
			want{StepOrder, ev(floor.EvPackSetAside), OK, "set aside on HOLD-01", func(t *testing.T, s State, evs []floor.Event) {
				var p floor.PackSetAsidePayload
				payload(t, evs, floor.EvPackSetAside, &p)
				if p != (floor.PackSetAsidePayload{Order: "ORD-0002", Reason: floor.SetAsideHeld, Location: "HOLD-01", Cartons: 1, Units: 2}) || s.Order.ID != "" || len(s.Cartons) != 0 {
					t.Errorf("set aside %+v state %+v", p, s)
				}
			}}},
		{"held: complete again while still held", heldOrder, cmd(floor.CmdComplete), want{StepHeld, rej, Error, "No label: order ORD-0002 is ON HOLD", nil}},
		{"held: the hold lifted, complete prints", heldOrder, standing(cmd(floor.CmdComplete), floor.OrderStanding{Status: floor.OrderPicked}),
			want{StepDone, ev(floor.EvPackLabelRequested, floor.EvPackShipmentCompleted), OK, "packed", nil}},
		{"held: another order refused", heldOrder, starting(barcode.KindTote, "T00002", order()), want{StepHeld, rej, Error, "Take the goods to HOLD-01", nil}},

		// Setting aside
		{"cancel before anything is verified puts the order aside", bench(order()), cmd(floor.CmdCancel),
			want{StepOrder, ev(floor.EvPackSetAside), OK, "nothing was verified", nil}},
		{"cancel after verifying asks first", bench(order(), twoMugs("")), cmd(floor.CmdCancel), want{StepSetAside, nil, Warn, "Put order ORD-0001 aside unpacked?", nil}},
		{"confirmed set-aside", at(StepSetAside, Pending{Back: StepVerify}, order(), twoMugs("")), cmdScan(floor.CmdOK),
			want{StepOrder, ev(floor.EvPackSetAside), OK, "unpack the cartons", nil}},
		{"set-aside cancelled", at(StepSetAside, Pending{Back: StepVerify}, order(), twoMugs("")), cmd(floor.CmdCancel), want{StepVerify, nil, Info, "Carry on", nil}},

		// After the labels: reprint and void
		{"reprint of the only carton asks why", shipped(1), cmd(floor.CmdReprint), want{StepReprintReason, nil, Info, "1 label damaged, 2 label did not print, 3 label lost", nil}},
		{"reprint reason by number", with(shipped(1), func(s *State) { s.Step, s.Pending = StepReprintReason, Pending{Carton: 1, Back: StepDone} }), text("2"),
			want{StepDone, ev(floor.EvPackReprintRequested), OK, "Reprinting the label of carton 1 of 1 (label did not print)", func(t *testing.T, _ State, evs []floor.Event) {
				var p floor.PackReprintPayload
				payload(t, evs, floor.EvPackReprintRequested, &p)
				if p != (floor.PackReprintPayload{Order: "ORD-0002", Shipment: "ORD-0002-1", Carton: 1, Cartons: 1, Reason: "label did not print"}) {
					t.Errorf("reprint %+v", p)
				}
			}}},
		{"reprint reason in words", with(shipped(1), func(s *State) { s.Step, s.Pending = StepReprintReason, Pending{Carton: 1} }), text("rain soaked it"),
			want{StepDone, ev(floor.EvPackReprintRequested), OK, "(rain soaked it)", nil}},
		{"reprint needs a reason", with(shipped(1), func(s *State) { s.Step, s.Pending = StepReprintReason, Pending{Carton: 1} }), text(""),
			want{StepReprintReason, rej, Error, "A reprint needs a reason", nil}},
		{"reprint reason number out of range", with(shipped(1), func(s *State) { s.Step, s.Pending = StepReprintReason, Pending{Carton: 1} }), text("7"),
			want{StepReprintReason, rej, Error, "A reprint needs a reason", nil}},
		{"reprint of several cartons asks which", shipped(3), cmdScan(floor.CmdReprint), want{StepReprint, nil, Info, "Type 1 to 3", nil}},
		{"reprint carton 2", with(shipped(3), func(s *State) { s.Step = StepReprint }), text("2"), want{StepReprintReason, nil, Info, "Why reprint carton 2?", nil}},
		{"reprint carton 4 of 3", with(shipped(3), func(s *State) { s.Step = StepReprint }), text("4"), want{StepReprint, rej, Error, "from 1 to 3", nil}},
		{"void asks for a supervisor", shipped(1), cmd(floor.CmdVoid), want{StepSupervisor, nil, Warn, "Void shipment ORD-0002-1", nil}},
		{"void after it was reported shipped", with(shipped(1), func(s *State) { s.Shipped = true }), cmd(floor.CmdVoid),
			want{StepDone, rej, Error, "was reported shipped: it can no longer be voided", nil}},
		{"the void itself", with(shipped(2), func(s *State) {
			s.Step, s.Pending = StepReason, Pending{Purpose: PurposeVoid, Supervisor: "B9001", SupervisorName: "Sue", Back: StepDone}
		}), text("wrong service chosen"), want{StepOrder, ev(floor.EvPackVoided), OK, "Shipment ORD-0002-1 voided", func(t *testing.T, s State, evs []floor.Event) {
			var p floor.PackVoidPayload
			payload(t, evs, floor.EvPackVoided, &p)
			if p != (floor.PackVoidPayload{Order: "ORD-0002", Shipment: "ORD-0002-1", Cartons: 2, Supervisor: "B9001", SupervisorName: "Sue", Reason: "wrong service chosen"}) || s.Order.ID != "" {
				t.Errorf("void %+v state %+v", p, s)
			}
		}}},
		{"cancel the void", with(shipped(1), func(s *State) { s.Step, s.Pending = StepSupervisor, Pending{Purpose: PurposeVoid, Back: StepDone} }), cmd(floor.CmdCancel),
			want{StepDone, nil, Info, "cancelled", nil}},
		{"complete again after the labels", shipped(1), cmd(floor.CmdComplete), want{StepDone, rej, Error, "CMD:COMPLETE does nothing here", nil}},
		{"a cancellation after the labels is for a void", shipped(1), standing(cmd(floor.CmdReprint), floor.OrderStanding{Status: floor.OrderCancelled}),
			want{StepReprintReason, nil, Info, "Why reprint", nil}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := c.start()
			before := deepCopy(start)
			res := Apply(start, c.in)
			if !reflect.DeepEqual(start, before) {
				t.Fatalf("Apply changed its input state")
			}
			if res.State.Step != c.want.step {
				t.Errorf("step = %q, want %q (feedback %q)", res.State.Step, c.want.step, res.Feedback.Message)
			}
			var got []floor.EventType
			for _, ev := range res.Events {
				got = append(got, ev.Type)
			}
			if !reflect.DeepEqual(got, c.want.events) {
				t.Errorf("events = %v, want %v (feedback %q)", got, c.want.events, res.Feedback.Message)
			}
			if res.Feedback.Level != c.want.level || !strings.Contains(res.Feedback.Message, c.want.message) {
				t.Errorf("feedback = %d %q, want %d containing %q", res.Feedback.Level, res.Feedback.Message, c.want.level, c.want.message)
			}
			if slices.Contains(got, floor.EvScanRejected) && len(got) != 1 && !reflect.DeepEqual(got, wrongPIN) {
				t.Errorf("a rejection comes alone: %v", got)
			}
			if len(got) == 1 && got[0] == floor.EvScanRejected {
				if res.Feedback.Level != Error {
					t.Errorf("a rejection must be loud: level %d", res.Feedback.Level)
				}
				// Only a failed PIN moves on (back to the badge prompt).
				if start.Step != StepPIN && start.Step != StepSupervisorPIN && !reflect.DeepEqual(deepCopy(res.State), before) {
					t.Errorf("a rejection changed the state:\n got %+v\nwant %+v", res.State, before)
				}
			}
			op := start.Operator.Badge
			for _, ev := range res.Events {
				if ev.Type == floor.EvLoggedIn {
					op = res.State.Operator.Badge
				}
				if ev.Operator != op {
					t.Errorf("%s carries operator %q, want %q", ev.Type, ev.Operator, op)
				}
				if !json.Valid(ev.Payload) {
					t.Errorf("%s payload is not JSON: %s", ev.Type, ev.Payload)
				}
			}
			if c.want.check != nil {
				c.want.check(t, res.State, res.Events)
			}
		})
	}
}

func deepCopy(s State) State {
	s.Order.Holds = slices.Clone(s.Order.Holds)
	s.Order.GroupOpen = slices.Clone(s.Order.GroupOpen)
	s.Order.Lines = slices.Clone(s.Order.Lines)
	for i := range s.Order.Lines {
		l := &s.Order.Lines[i]
		l.GTINs, l.Lots, l.Serials = slices.Clone(l.GTINs), slices.Clone(l.Lots), slices.Clone(l.Serials)
	}
	s.Cartons = slices.Clone(s.Cartons)
	for i := range s.Cartons {
		s.Cartons[i].Units = slices.Clone(s.Cartons[i].Units)
	}
	s.Rules.Boxes = slices.Clone(s.Rules.Boxes)
	return s
}

// walker applies inputs one after another, checking at every step that a
// state restored from its JSON (as the station keeps it) answers the next
// input exactly as the live state does.
type walker struct {
	t   *testing.T
	s   State
	all []floor.Event
}

func (w *walker) do(in Input, want Step) Result {
	w.t.Helper()
	restored := resume(w.t, w.s)
	r := Apply(w.s, in)
	r2 := Apply(restored, in)
	if !reflect.DeepEqual(r.Events, r2.Events) || r.Feedback != r2.Feedback || r.State.Step != r2.State.Step {
		w.t.Fatalf("a resumed state answers differently at %q:\n live %v %q\n resumed %v %q", w.s.Step, types(r.Events), r.Feedback.Message, types(r2.Events), r2.Feedback.Message)
	}
	if r.State.Step != want {
		w.t.Fatalf("step %q after %q, want %q", r.State.Step, r.Feedback.Message, want)
	}
	replayable(w.t, w.s, r)
	w.s = r.State
	w.all = append(w.all, r.Events...)
	return r
}

// replayable checks that a verified unit is left to the journal (see
// Journaled), and that replaying its event over the state as saved (a JSON
// round trip) gives the state the scan gave.
func replayable(t *testing.T, before State, r Result) {
	t.Helper()
	if len(r.Events) != 1 || r.Events[0].Type != floor.EvPackUnitVerified {
		if Journaled(before, r) {
			t.Fatalf("%v journaled alone", types(r.Events))
		}
		return
	}
	if !Journaled(before, r) {
		t.Fatalf("a verified unit at %q is not its event replayed: %q", before.Step, r.Feedback.Message)
	}
	replayed, err := Replay(resume(t, before), r.Events[0])
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(replayed)
	want, _ := json.Marshal(r.State)
	if string(got) != string(want) {
		t.Fatalf("replayed over the saved state:\n got %s\nwant %s", got, want)
	}
}

// resume round-trips a state through JSON and puts back what the station
// sets from its configuration and devices.
func resume(t *testing.T, s State) State {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var r State
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	r.Rules, r.HasScale, r.Shipped = s.Rules, s.HasScale, s.Shipped
	return r
}

func types(evs []floor.Event) []floor.EventType {
	out := make([]floor.EventType, len(evs))
	for i, e := range evs {
		out[i] = e.Type
	}
	return out
}

// TestWholeOrder packs ORD-0001 from login to labels: three cartons (the
// hazmat alone), every kind of unit scan, a weight mismatch overridden by a
// supervisor, and a partial shipment of the short-picked line.
func TestWholeOrder(t *testing.T) {
	w := &walker{t: t, s: loggedOut()}
	w.do(badge(&pam, "B2001"), StepOrder)
	w.do(starting(barcode.KindTote, "T00001", order()), StepVerify)

	// Carton 1: the mugs (one by scan, one by SKU) and the tablets.
	w.do(gtin(gMug), StepVerify)
	w.do(text("MUG-RED"), StepVerify)
	w.do(gs1Scan(gTab, "", "SN2", time.Time{}), StepVerify)
	w.do(gtin(gTab), StepSerial)
	w.do(text("SN2"), StepSerial) // already verified: refused
	w.do(text("SN1"), StepVerify)
	w.do(gtin(gGas), StepVerify) // hazmat refused in a mixed carton
	w.do(cmd(floor.CmdCloseCarton), StepBox)
	w.do(text(""), StepWeigh) // the suggestion
	// 2 × 350 + 2 × 500 + tare: weighed far off, then accepted by Sue.
	if w.s.Cartons[0].Box != "BOX-M" {
		t.Fatalf("suggested box %q", w.s.Cartons[0].Box)
	}
	w.do(weight(2400), StepMismatch)
	w.do(cmd(floor.CmdOverride), StepSupervisor)
	w.do(badge(&pam, "B2001"), StepSupervisor) // not a supervisor
	w.do(badge(&sid, "B9002"), StepSupervisorPIN)
	w.do(func() Input { in := text("2468"); in.Operator = &sid; return in }(), StepReason)
	w.do(text("packing material is heavy"), StepVerify)

	// Carton 2: vitamins by lot, three at once, then the cup.
	w.do(cmd(floor.CmdQuantity), StepQuantity)
	w.do(text("2"), StepCount)
	w.do(gtin(gVit), StepLot)
	w.do(text("L42"), StepVerify)
	w.do(gs1Scan(gVit, "L42", "", today.AddDate(0, 3, 0)), StepVerify) // third of L42: refused
	w.do(gs1Scan(gVit, "L43", "", today.AddDate(0, 3, 0)), StepVerify)
	w.do(gtin(gCup), StepVerify)
	w.do(cmd(floor.CmdUndo), StepVerify)
	w.do(gtin(gCup), StepVerify)
	w.do(text("BOX-S"), StepVerify)
	w.do(cmd(floor.CmdCloseCarton), StepWeigh)
	w.do(weight(3*80+200+120+10), StepVerify)

	// Carton 3: the hazmat item alone; then ship partial (two cups short).
	w.do(gtin(gGas), StepVerify)
	w.do(cmd(floor.CmdComplete), StepVerify) // refused: the cups are short
	w.do(cmd(floor.CmdPartial), StepPartial)
	w.do(cmd(floor.CmdOK), StepBox)
	w.do(text("BOX-S"), StepWeigh)
	r := w.do(weight(150+120), StepDone)
	if w.s.Shipment != "ORD-0001-1" || !w.s.Partial || r.Feedback.Level != OK {
		t.Fatalf("after the labels: %+v %q", w.s, r.Feedback.Message)
	}

	// The journal tells the whole story.
	count := map[floor.EventType]int{}
	units := 0
	var labels []floor.PackLabelPayload
	for _, e := range w.all {
		count[e.Type]++
		switch e.Type {
		case floor.EvPackUnitVerified:
			var p floor.PackUnitPayload
			payload(t, []floor.Event{e}, e.Type, &p)
			units += p.Qty
		case floor.EvPackUnitUndone:
			var p floor.PackUnitPayload
			payload(t, []floor.Event{e}, e.Type, &p)
			units -= p.Qty
		case floor.EvPackLabelRequested:
			var p floor.PackLabelPayload
			payload(t, []floor.Event{e}, e.Type, &p)
			labels = append(labels, p)
		}
	}
	if v, p := w.s.Progress(); units != 9 || v != 9 || p != 9 {
		t.Errorf("units from events %d, progress %d of %d", units, v, p)
	}
	for typ, n := range map[floor.EventType]int{
		floor.EvLoggedIn: 1, floor.EvPackStarted: 1, floor.EvScanRejected: 5, floor.EvPackWeightRecorded: 3, floor.EvPackCartonClosed: 3,
		floor.EvPackOverride: 1, floor.EvPackPartial: 1, floor.EvPackLabelRequested: 3, floor.EvPackShipmentCompleted: 1, floor.EvPackUnitUndone: 1,
	} {
		if count[typ] != n {
			t.Errorf("%d × %s, want %d", count[typ], typ, n)
		}
	}
	if len(labels) != 3 {
		t.Fatalf("labels %+v", labels)
	}
	for i, l := range labels {
		if l.Carton != i+1 || l.Cartons != 3 || l.Shipment != "ORD-0001-1" {
			t.Errorf("label %d: %+v", i, l)
		}
	}
	if labels[0].WeightG != 2400 || labels[0].Units != 4 || labels[1].Units != 4 || labels[2].Units != 1 || !labels[2].Hazmat || labels[0].Hazmat {
		t.Errorf("labels %+v", labels)
	}
	if last := w.all[len(w.all)-1]; last.Type != floor.EvPackShipmentCompleted {
		t.Errorf("last event %s", last.Type)
	}

	// A reprint of carton 2, then a void by a supervisor.
	w.do(cmd(floor.CmdReprint), StepReprint)
	w.do(text("2"), StepReprintReason)
	w.do(text("1"), StepDone)
	w.do(cmd(floor.CmdVoid), StepSupervisor)
	w.do(badge(&sue, "B9001"), StepReason)
	w.do(text("carrier changed"), StepOrder)
	if last := w.all[len(w.all)-1]; last.Type != floor.EvPackVoided {
		t.Errorf("last event %s", last.Type)
	}
}

// TestHoldArrivesBeforeTheLabel packs a whole order and has a hold arrive
// with the last weighing: no label is asked for, ever.
func TestHoldArrivesBeforeTheLabel(t *testing.T) {
	w := &walker{t: t, s: idle()}
	w.s.HasScale = false
	w.do(starting(barcode.KindOrder, "ORD-0002", mugs()), StepVerify)
	w.do(gtin(gMug), StepVerify)
	w.do(gtin(gMug), StepVerify)
	w.do(cmd(floor.CmdComplete), StepBox)
	w.do(text(""), StepWeigh)
	hold := floor.OrderStanding{Status: floor.OrderPicked, Holds: []floor.Hold{{Reason: "AWAITING_PAYMENT"}}}
	r := w.do(standing(text("955"), hold), StepHeld)
	if !strings.Contains(r.Feedback.Message, "HOLD-01") {
		t.Errorf("feedback %q", r.Feedback.Message)
	}
	w.do(standing(cmd(floor.CmdComplete), hold), StepHeld) // still held
	w.do(text(""), StepOrder)                              // taken to the shelf
	for _, e := range w.all {
		if e.Type == floor.EvPackLabelRequested || e.Type == floor.EvPackShipmentCompleted {
			t.Fatalf("a held order got %s", e.Type)
		}
	}
}

// TestScreenHelpers checks what the screens read from the state.
func TestScreenHelpers(t *testing.T) {
	s := bench(order(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 2), {Line: 2, SKU: "VIT-C", Qty: 1, Lot: "L42"}}})()
	lines := s.Lines()
	if len(lines) != 5 || lines[0].Verified != 2 || !lines[0].Done() || lines[1].Verified != 1 || lines[1].Done() || lines[4].Done() {
		t.Errorf("lines %+v", lines)
	}
	if v, p := s.Progress(); v != 3 || p != 9 {
		t.Errorf("progress %d of %d", v, p)
	}
	if ok, why := s.CanComplete(); ok || !strings.Contains(why, "line 2 (VIT-C): 1 of 3 verified") {
		t.Errorf("CanComplete = %v %q", ok, why)
	}
	if ok, why := s.CanPartial(); !ok || why != "" {
		t.Errorf("CanPartial = %v %q", ok, why)
	}
	if ok, _ := idle().CanComplete(); ok {
		t.Errorf("complete with no order")
	}
	if b, err := bench(mugs(), twoMugs(""))().Suggestion(); err != nil || b.Code != "BOX-M" {
		t.Errorf("suggestion %q %v", b.Code, err)
	}
	r := rules()
	if got := (State{Rules: r}).Tolerance(400); got != 50 {
		t.Errorf("tolerance of 400 g = %v", got)
	}
	if got := (State{Rules: r}).Tolerance(2000); got != 100 {
		t.Errorf("tolerance of 2000 g = %v", got)
	}
}

// TestStanding checks how the station's latest news of the order is read.
func TestStanding(t *testing.T) {
	s := bench(mugs(), twoMugs("BOX-M"))()
	s.Order.ShipTogether = "G7"
	// No status: the status stays; a group order appears: complete needs a supervisor.
	r := Apply(s, standing(cmd(floor.CmdComplete), floor.OrderStanding{GroupOpen: []string{"ORD-0009"}}))
	if r.State.Step != StepSupervisor || r.State.Order.Status != floor.OrderPicked || !slices.Equal(r.State.Order.GroupOpen, []string{"ORD-0009"}) {
		t.Errorf("after standing: step %q order %+v", r.State.Step, r.State.Order)
	}
	// A rejected input does not keep the news: the station sends it again.
	r = Apply(s, standing(gtin(gMug), floor.OrderStanding{Status: floor.OrderPicked, Holds: []floor.Hold{{Reason: "OTHER"}}}))
	if len(r.Events) != 1 || r.Events[0].Type != floor.EvScanRejected || len(r.State.Order.Holds) != 0 {
		t.Errorf("rejection kept the standing: %+v", r.State.Order)
	}
}

// TestReplayRefusesWhatCannotFollow: an event that does not fit the saved
// state (another order, carton or line, another type, a broken payload)
// is refused with its sequence, never applied.
func TestReplayRefusesWhatCannotFollow(t *testing.T) {
	start := bench(order(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 1)}})()
	unit := func(p floor.PackUnitPayload) floor.Event {
		ev := floor.NewEvent(floor.EvPackUnitVerified, "B2001", p)
		ev.Seq = 41
		return ev
	}
	ok := floor.PackUnitPayload{Order: start.Order.ID, Line: 1, SKU: "MUG-RED", Qty: 1, Carton: 1}
	got, err := Replay(start, unit(ok))
	if err != nil || got.Verified(1) != 2 || len(got.Cartons) != 1 || start.Verified(1) != 1 {
		t.Fatalf("replay %+v %v (start %+v)", got.Cartons, err, start.Cartons)
	}
	closed := with(bench(order(), Carton{No: 1, Units: []Unit{u(1, "MUG-RED", 1)}, Closed: true}), func(*State) {})()
	next := ok
	next.Carton = 2
	if got, err := Replay(closed, unit(next)); err != nil || len(got.Cartons) != 2 || got.Cartons[1].No != 2 || got.Verified(1) != 2 {
		t.Fatalf("a unit after a closed carton opens the next: %+v %v", got.Cartons, err)
	}
	bad := map[string]floor.Event{
		"another order":  unit(floor.PackUnitPayload{Order: "ORD-9", Line: 1, Qty: 1, Carton: 1}),
		"another carton": unit(floor.PackUnitPayload{Order: start.Order.ID, Line: 1, Qty: 1, Carton: 2}),
		"no such line":   unit(floor.PackUnitPayload{Order: start.Order.ID, Line: 99, Qty: 1, Carton: 1}),
		"no units":       unit(floor.PackUnitPayload{Order: start.Order.ID, Line: 1, Qty: 0, Carton: 1}),
		"another type":   func() floor.Event { ev := unit(ok); ev.Type = floor.EvPackUnitUndone; return ev }(),
		"broken payload": func() floor.Event { ev := unit(ok); ev.Payload = []byte(`{"order":`); return ev }(),
	}
	for name, ev := range bad {
		got, err := Replay(start, ev)
		if err == nil || !strings.Contains(err.Error(), "41") || !reflect.DeepEqual(got, start) {
			t.Errorf("%s: %v, state %+v", name, err, got.Cartons)
		}
	}
}

package pick

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

var (
	ann  = floor.Operator{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}}
	pam  = floor.Operator{Badge: "B1002", Name: "Pam", Roles: []floor.Role{floor.RolePacker}}
	pia  = floor.Operator{Badge: "B1003", Name: "Pia", Roles: []floor.Role{floor.RolePicker}, PINHash: floor.HashPIN("B1003", "4711")}
	mug  = floor.Item{SKU: "MUG-RED", GTINs: []string{"04006381333931"}, Description: "Red mug"}
	cup  = floor.Item{SKU: "CUP-BLU", GTINs: []string{"09501101530003"}, Description: "Blue cup"}
	pill = floor.Item{SKU: "VIT-C", GTINs: []string{"09501101530010"}, Description: "Vitamin C", LotControlled: true}
	tab  = floor.Item{SKU: "TAB-10", GTINs: []string{"09501101530027"}, Description: "Tablet", SerialControlled: true}

	today = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
)

func tasks() Walk {
	return TasksOf([]floor.PickTask{
		{ID: 1, WaveID: "W1", OrderID: "ORD-0001", LineNo: 1, Location: "A-01-01-1", SKU: "MUG-RED", Qty: 2, Status: floor.TaskOpen, SortKey: 10, Description: "Red mug"},
		{ID: 2, WaveID: "W1", OrderID: "ORD-0001", LineNo: 2, Location: "A-01-02-1", SKU: "VIT-C", Qty: 1, Status: floor.TaskOpen, SortKey: 20, LotControlled: true},
		{ID: 3, WaveID: "W1", OrderID: "ORD-0002", LineNo: 1, Location: "A-02-01-3", SKU: "TAB-10", Qty: 1, Status: floor.TaskOpen, SortKey: 30, SerialControlled: true},
	})
}

// loggedOut is a fresh station with wave W1 released.
func loggedOut() State {
	return State{Step: StepLogin, Wave: floor.Wave{ID: "W1", Status: "released"}, Tasks: tasks(), ConfirmAbove: 10}
}

// atItem is Ann at task 1's location with tote T00001.
func atItem() State {
	s := loggedOut()
	s.Operator, s.Wave.Status, s.Tote, s.ToteOrder, s.Current, s.Step = ann, "in_progress", "T00001", "ORD-0001", 1, StepItem
	s.Tasks.At(0).Status = floor.TaskInProgress
	return s
}

var dana = floor.Operator{Badge: "B1004", Name: "Dana", Roles: []floor.Role{floor.RoleSupervisor}, PINHash: floor.HashPIN("B1004", "2468")}

// releasing is a tote release begun at the tote step.
func releasing(step Step) func() State { return releasingWith(step, "", "") }

func releasingWith(step Step, supervisor, tote string) func() State {
	return func() State {
		s := atTote()
		s.Step, s.Pending = step, Pending{Back: StepTote, Supervisor: supervisor, Tote: tote}
		if supervisor != "" {
			s.Pending.SupervisorName = "Dana"
		}
		if tote != "" {
			s.Pending.ToteHeld = "ORD-0009"
		}
		return s
	}
}

// atTote is Ann at task 1, asked for a tote.
func atTote() State {
	s := atItem()
	s.Step, s.Tote, s.ToteOrder = StepTote, "", ""
	return s
}

func toteHolding(code, order string) Input {
	in := scan(barcode.KindTote, code)
	in.ToteHolds = order
	return in
}

func office(held []string, cancelled ...Withdrawal) Input {
	return Input{Office: &Office{Held: held, Cancelled: cancelled}, Today: today}
}

func at(step Step, task int64) func() State {
	return func() State {
		s := atItem()
		s.Step, s.Current = step, task
		if t, ok := s.Task(); ok {
			s.ToteOrder = t.OrderID // the tote was taken for the task's order
		}
		return s
	}
}

func scan(kind barcode.Kind, code string) Input {
	return Input{Scan: barcode.Meaning{Input: code, Kind: kind, Code: code}, Today: today, RoleAllowed: true}
}
func badge(op *floor.Operator, code string) Input {
	in := scan(barcode.KindBadge, code)
	in.Operator = op
	return in
}
func text(s string) Input { return scan(barcode.KindUnknown, s) }
func gtin(it *floor.Item, g string) Input {
	in := scan(barcode.KindGTIN, g)
	in.Scan.GTIN, in.Item = g, it
	return in
}
func gs1(it *floor.Item, g, lot, serial string, expiry time.Time) Input {
	in := gtin(it, g)
	in.Scan.Kind, in.Scan.Lot, in.Scan.Serial, in.Scan.Expiry = barcode.KindGS1, lot, serial, expiry
	return in
}
func cmd(c floor.Command) Input { return Input{Command: c, Today: today, RoleAllowed: true} }
func cmdScan(c floor.Command) Input {
	in := scan(barcode.KindCommand, c.Barcode())
	in.Scan.Code = string(c)
	return in
}

type want struct {
	step    Step
	events  []floor.EventType
	level   Level
	message string // substring
	check   func(t *testing.T, s State, evs []floor.Event)
}

func TestTransitions(t *testing.T) {
	rej := []floor.EventType{floor.EvScanRejected}
	wrongPIN := []floor.EventType{floor.EvScanRejected, floor.EvPINFailed} // counted towards the badge's lock
	cases := []struct {
		name  string
		start func() State
		in    Input
		want  want
	}{
		// Login
		{"badge logs in and starts the wave", loggedOut, badge(&ann, "B1001"),
			want{StepTote, []floor.EventType{floor.EvLoggedIn, floor.EvWaveStarted}, OK, "Hello Ann", func(t *testing.T, s State, _ []floor.Event) {
				if s.Current != 1 || s.Wave.Status != "in_progress" || s.Operator.Badge != "B1001" {
					t.Errorf("state after login: %+v", s)
				}
			}}},
		{"unknown badge", loggedOut, badge(nil, "B9999"), want{StepLogin, rej, Error, "Unknown badge B9999", nil}},
		{"non-picker refused", loggedOut, badge(&pam, "B1002"), want{StepLogin, []floor.EventType{floor.EvLoginRefused}, Error, "Pam is not a picker", nil}},
		{"role not allowed on station", loggedOut, func() Input { in := badge(&ann, "B1001"); in.RoleAllowed = false; return in }(),
			want{StepLogin, []floor.EventType{floor.EvLoginRefused}, Error, "may not pick on this station", nil}},
		{"item scan before login", loggedOut, gtin(&mug, "04006381333931"), want{StepLogin, rej, Error, "Log in first", nil}},
		{"garbled scan before login says why", loggedOut, Input{Scan: barcode.Meaning{Input: "\x1b[2J", Kind: barcode.KindUnknown, Err: errors.New("control character 0x1b in scan")}},
			want{StepLogin, rej, Error, "Control character 0x1b", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `\\x1b[2J`) {
					t.Errorf("journaled input not neutralised: %s", evs[0].Payload)
				}
			}}},
		{"badge with PIN asks for it", loggedOut, badge(&pia, "B1003"), want{StepPIN, nil, Info, "type your PIN", func(t *testing.T, s State, _ []floor.Event) {
			if s.LoggedIn() || s.Pending.Badge != "B1003" {
				t.Errorf("PIN step state: %+v", s)
			}
		}}},
		{"right PIN logs in", func() State { s := loggedOut(); s.Step, s.Pending.Badge = StepPIN, "B1003"; return s },
			func() Input { in := text("4711"); in.Operator = &pia; return in }(),
			want{StepTote, []floor.EventType{floor.EvLoggedIn, floor.EvWaveStarted}, OK, "Hello Pia", nil}},
		{"wrong PIN goes back to login, PIN not journaled", func() State { s := loggedOut(); s.Step, s.Pending.Badge = StepPIN, "B1003"; return s },
			func() Input { in := text("1234"); in.Operator = &pia; return in }(),
			want{StepLogin, wrongPIN, Error, "Wrong PIN", func(t *testing.T, _ State, evs []floor.Event) {
				if strings.Contains(string(evs[0].Payload), "1234") {
					t.Errorf("PIN in journal: %s", evs[0].Payload)
				}
			}}},
		{"cancel PIN", func() State { s := loggedOut(); s.Step, s.Pending.Badge = StepPIN, "B1003"; return s }, cmd(floor.CmdCancel),
			want{StepLogin, nil, Info, "cancelled", nil}},
		{"login with no wave", func() State { s := loggedOut(); s.Wave, s.Tasks = floor.Wave{}, Walk{}; return s }, badge(&ann, "B1001"),
			want{StepNoWork, []floor.EventType{floor.EvLoggedIn}, OK, "No wave", nil}},

		// Tote
		{"tote starts picking", func() State { s := atItem(); s.Tote, s.Step = "", StepTote; return s }, scan(barcode.KindTote, "T00002"),
			want{StepLocation, []floor.EventType{floor.EvToteAssigned}, OK, "tote T00002", nil}},
		{"item before tote", func() State { s := atItem(); s.Tote, s.Step = "", StepTote; return s }, gtin(&mug, "04006381333931"),
			want{StepTote, rej, Error, "Scan a tote", nil}},
		{"switch tote mid-task", atItem, scan(barcode.KindTote, "T00009"),
			want{StepItem, []floor.EventType{floor.EvToteAssigned}, OK, "T00009", func(t *testing.T, s State, _ []floor.Event) {
				if s.Tote != "T00009" {
					t.Errorf("tote = %q", s.Tote)
				}
			}}},
		{"same tote again", atItem, scan(barcode.KindTote, "T00001"), want{StepItem, nil, Info, "already in use", nil}},

		// Location
		{"right location", at(StepLocation, 1), scan(barcode.KindLocation, "A-01-01-1"),
			want{StepItem, []floor.EventType{floor.EvLocationOK}, OK, "scan MUG-RED", nil}},
		{"wrong location", at(StepLocation, 1), scan(barcode.KindLocation, "A-09-09-9"),
			want{StepLocation, rej, Error, "Wrong location A-09-09-9: go to A-01-01-1", nil}},
		{"item before location", at(StepLocation, 1), gtin(&mug, "04006381333931"),
			want{StepLocation, rej, Error, "Scan the location A-01-01-1 first", nil}},
		{"badge at location step", at(StepLocation, 1), badge(&ann, "B1001"),
			want{StepLocation, rej, Error, "That is a badge: scan the location", nil}},
		{"quantity before location", at(StepLocation, 1), cmd(floor.CmdQuantity),
			want{StepLocation, rej, Error, "Scan the location", nil}},

		// Item
		{"one unit", atItem, gtin(&mug, "04006381333931"),
			want{StepItem, []floor.EventType{floor.EvUnitsPicked}, OK, "1 of 2: 1 more", func(t *testing.T, s State, evs []floor.Event) {
				if s.Tasks.At(0).QtyPicked != 1 || len(s.Picks) != 1 || !strings.Contains(string(evs[0].Payload), `"tote":"T00001"`) {
					t.Errorf("after one unit: %+v %s", s.Tasks.At(0), evs[0].Payload)
				}
			}}},
		{"last unit completes the task", func() State { s := atItem(); s.Tasks.At(0).QtyPicked = 1; s.Picks = []Pick{{Qty: 1}}; return s },
			gtin(&mug, "04006381333931"),
			want{StepLocation, []floor.EventType{floor.EvUnitsPicked, floor.EvTaskPicked}, OK, "Next: A-01-02-1", func(t *testing.T, s State, _ []floor.Event) {
				if s.Tasks.At(0).Status != floor.TaskPicked || s.Current != 2 || len(s.Picks) != 0 {
					t.Errorf("after task: current %d, task %+v, picks %v", s.Current, s.Tasks.At(0), s.Picks)
				}
			}}},
		{"item by SKU", atItem, func() Input { in := text("MUG-RED"); in.Item = &mug; return in }(),
			want{StepItem, []floor.EventType{floor.EvUnitsPicked}, OK, "1 of 2", nil}},
		{"wrong item", atItem, gtin(&cup, "09501101530003"), want{StepItem, rej, Error, "Wrong item CUP-BLU (Blue cup): pick MUG-RED", nil}},
		{"unknown barcode", atItem, text("NOPE-123"), want{StepItem, rej, Error, "Unknown barcode NOPE-123", nil}},
		{"unknown barcode with escape is neutralised", atItem, text("X\x1b]0;pwned\x07"), want{StepItem, rej, Error, `X\x1b]0;pwned\x07`, nil}},
		{"rejected GTIN says why", atItem, Input{Scan: barcode.Meaning{Input: "4006381333932", Kind: barcode.KindGTIN, Err: errors.New("GTIN check digit should be 1, not 2")}},
			want{StepItem, rej, Error, "GTIN check digit should be 1, not 2", nil}},
		{"another location while at item", atItem, scan(barcode.KindLocation, "A-05-05-5"), want{StepItem, rej, Error, "Wrong location A-05-05-5", nil}},
		{"same location again", atItem, scan(barcode.KindLocation, "A-01-01-1"), want{StepItem, nil, Info, "already confirmed", nil}},
		{"order barcode at item", atItem, scan(barcode.KindOrder, "ORD-1234"), want{StepItem, rej, Error, "That is an order: scan the item", nil}},

		// Lots, serials and expiry
		{"lot-controlled GS1 with lot", at(StepItem, 2), gs1(&pill, "09501101530010", "L42", "", today.AddDate(0, 6, 0)),
			want{StepLocation, []floor.EventType{floor.EvUnitsPicked, floor.EvTaskPicked}, OK, "Picked 1", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `"lot":"L42"`) || !strings.Contains(string(evs[0].Payload), `"expiry":"2027-05-22"`) {
					t.Errorf("payload %s", evs[0].Payload)
				}
			}}},
		{"expired lot refused", at(StepItem, 2), gs1(&pill, "09501101530010", "L41", "", today.AddDate(0, 0, -1)),
			want{StepItem, rej, Error, "Expired: lot L41 expired on 2026-11-21", nil}},
		{"expiring today is still good", at(StepItem, 2), gs1(&pill, "09501101530010", "L43", "", today.Truncate(24*time.Hour)),
			want{StepLocation, []floor.EventType{floor.EvUnitsPicked, floor.EvTaskPicked}, OK, "Picked", nil}},
		{"lot-controlled without lot asks for it", at(StepItem, 2), gtin(&pill, "09501101530010"),
			want{StepLot, nil, Info, "lot number", func(t *testing.T, s State, _ []floor.Event) {
				if s.Pending.Qty != 1 {
					t.Errorf("pending %+v", s.Pending)
				}
			}}},
		{"typed lot completes the unit", func() State { s := at(StepLot, 2)(); s.Pending = Pending{Qty: 1, Back: StepItem}; return s }, text("LOT-7"),
			want{StepLocation, []floor.EventType{floor.EvUnitsPicked, floor.EvTaskPicked}, OK, "Picked", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `"lot":"LOT-7"`) {
					t.Errorf("payload %s", evs[0].Payload)
				}
			}}},
		{"lot scanned from a GS1 label", func() State { s := at(StepLot, 2)(); s.Pending = Pending{Qty: 1}; return s },
			gs1(&pill, "09501101530010", "L99", "", time.Time{}),
			want{StepLocation, []floor.EventType{floor.EvUnitsPicked, floor.EvTaskPicked}, OK, "Picked", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `"lot":"L99"`) {
					t.Errorf("payload %s", evs[0].Payload)
				}
			}}},
		{"GS1 without a lot at the lot step", func() State { s := at(StepLot, 2)(); s.Pending = Pending{Qty: 1}; return s },
			gs1(&pill, "09501101530010", "", "", time.Time{}), want{StepLot, rej, Error, "no lot number", nil}},
		{"empty lot refused", func() State { s := at(StepLot, 2)(); s.Pending = Pending{Qty: 1}; return s }, text("  "),
			want{StepLot, rej, Error, "1 to 20 printable", nil}},
		{"cancel lot", func() State { s := at(StepLot, 2)(); s.Pending = Pending{Qty: 1}; return s }, cmd(floor.CmdCancel),
			want{StepItem, nil, Info, "Cancelled", nil}},
		{"serial-controlled asks for serial", at(StepItem, 3), gtin(&tab, "09501101530027"), want{StepSerial, nil, Info, "serial number", nil}},
		{"serial from GS1 scan counts", at(StepItem, 3), gs1(&tab, "09501101530027", "", "SN123", time.Time{}),
			want{StepTote, []floor.EventType{floor.EvUnitsPicked, floor.EvTaskPicked}, OK, "Picked", func(t *testing.T, _ State, evs []floor.Event) {
				if !strings.Contains(string(evs[0].Payload), `"serial":"SN123"`) {
					t.Errorf("payload %s", evs[0].Payload)
				}
			}}},
		{"no keyed quantity for serials", at(StepItem, 3), cmd(floor.CmdQuantity), want{StepItem, rej, Error, "serial number per unit", nil}},

		// Quantity
		{"quantity key after one scan", scannedOnce, cmd(floor.CmdQuantity), want{StepQuantity, nil, Info, "1 to 1", nil}},
		{"quantity by command barcode after one scan", scannedOnce, cmdScan(floor.CmdQuantity), want{StepQuantity, nil, Info, "1 to 1", nil}},
		{"quantity typed", at(StepQuantity, 1), text("2"),
			want{StepLocation, []floor.EventType{floor.EvUnitsPicked, floor.EvTaskPicked}, OK, "Picked 2", nil}},
		{"quantity zero", at(StepQuantity, 1), text("0"), want{StepQuantity, rej, Error, "from 1 to 2", nil}},
		{"quantity not a number", at(StepQuantity, 1), text("two"), want{StepQuantity, rej, Error, "from 1 to 2", nil}},
		{"quantity above remaining", at(StepQuantity, 1), text("3"), want{StepQuantity, rej, Error, "Only 2 left", nil}},
		{"quantity cancel", at(StepQuantity, 1), cmd(floor.CmdCancel), want{StepItem, nil, Info, "cancelled", nil}},
		{"large quantity asks to confirm", func() State { s := at(StepQuantity, 1)(); s.Tasks.At(0).Qty = 50; return s }, text("20"),
			want{StepConfirm, nil, Info, "Confirm 20", nil}},
		{"confirm with Enter", func() State { s := at(StepConfirm, 1)(); s.Tasks.At(0).Qty = 50; s.Pending.Qty = 20; return s }, text(""),
			want{StepItem, []floor.EventType{floor.EvUnitsPicked}, OK, "20 of 50", nil}},
		{"confirm with CMD:OK", func() State { s := at(StepConfirm, 1)(); s.Tasks.At(0).Qty = 50; s.Pending.Qty = 20; return s }, cmdScan(floor.CmdOK),
			want{StepItem, []floor.EventType{floor.EvUnitsPicked}, OK, "20 of 50", nil}},
		{"confirm refuses a scan", func() State { s := at(StepConfirm, 1)(); s.Tasks.At(0).Qty = 50; s.Pending.Qty = 20; return s }, gtin(&mug, "04006381333931"),
			want{StepConfirm, rej, Error, "confirm 20", nil}},
		{"confirm cancelled", func() State { s := at(StepConfirm, 1)(); s.Tasks.At(0).Qty = 50; s.Pending.Qty = 20; return s }, cmd(floor.CmdCancel),
			want{StepItem, nil, Info, "cancelled", nil}},

		// Undo
		{"undo last scan", func() State {
			s := atItem()
			s.Tasks.At(0).QtyPicked = 1
			s.Picks = []Pick{{Qty: 1, Tote: "T00001"}}
			return s
		}, cmd(floor.CmdUndo),
			want{StepItem, []floor.EventType{floor.EvPickUndone}, OK, "Undone: 1", func(t *testing.T, s State, _ []floor.Event) {
				if s.Tasks.At(0).QtyPicked != 0 || len(s.Picks) != 0 {
					t.Errorf("after undo %+v %v", s.Tasks.At(0), s.Picks)
				}
			}}},
		{"undo location", atItem, cmdScan(floor.CmdUndo), want{StepLocation, nil, OK, "scan the location A-01-01-1 again", nil}},
		{"undo with nothing", at(StepLocation, 1), cmd(floor.CmdUndo), want{StepLocation, nil, Info, "Nothing to undo", nil}},

		// Skip
		{"skip moves the task to the end", at(StepLocation, 1), cmd(floor.CmdSkip),
			want{StepLocation, []floor.EventType{floor.EvTaskSkipped}, OK, "Next: A-01-02-1", func(t *testing.T, s State, _ []floor.Event) {
				if s.Current != 2 || s.Tasks.At(s.Tasks.Len()-1).ID != 1 || s.Tasks.At(s.Tasks.Len()-1).Status != floor.TaskSkipped || s.Tasks.At(2).SortKey != 31 {
					t.Errorf("after skip: current %d tasks %+v", s.Current, s.Tasks)
				}
			}}},
		{"skip refused after picking units", func() State { s := atItem(); s.Tasks.At(0).QtyPicked = 1; s.Picks = []Pick{{Qty: 1}}; return s }, cmd(floor.CmdSkip),
			want{StepItem, rej, Error, "Units already picked", nil}},
		{"skip the last task refused", func() State {
			s := at(StepLocation, 3)()
			s.Tasks.At(0).Status, s.Tasks.At(1).Status = floor.TaskPicked, floor.TaskShort
			return s
		}, cmd(floor.CmdSkip), want{StepLocation, rej, Error, "last task", nil}},
		{"skipped task comes back last", func() State {
			s := at(StepItem, 3)()
			s.Tasks.At(0).Status, s.Tasks.At(0).SortKey = floor.TaskSkipped, 31
			s.Tasks = WalkOf([]*floor.PickTask{s.Tasks.At(1), s.Tasks.At(2), s.Tasks.At(0)})
			s.Tasks.At(0).Status = floor.TaskPicked
			return s
		}, gs1(&tab, "09501101530027", "", "SN1", time.Time{}),
			want{StepTote, []floor.EventType{floor.EvUnitsPicked, floor.EvTaskPicked}, OK, "Next order ORD-0001: scan a new tote", func(t *testing.T, s State, _ []floor.Event) {
				if s.Current != 1 || s.Tote != "" {
					t.Errorf("current %d tote %q", s.Current, s.Tote)
				}
			}}},

		// Short
		{"short asks for a reason", atItem, cmd(floor.CmdShort), want{StepShort, nil, Info, "choose a reason", nil}},
		{"short with reason number", func() State {
			s := at(StepShort, 1)()
			s.Tasks.At(0).QtyPicked, s.Picks, s.Pending.Back = 1, []Pick{{Qty: 1}}, StepItem
			return s
		}, text("2"), want{StepLocation, []floor.EventType{floor.EvTaskShort}, OK, "Short 1 × MUG-RED (Damaged)", func(t *testing.T, s State, evs []floor.Event) {
			if s.Tasks.At(0).Status != floor.TaskShort || !strings.Contains(string(evs[0].Payload), `"picked":1,"short":1,"reason":"damaged"`) {
				t.Errorf("short: %+v %s", s.Tasks.At(0), evs[0].Payload)
			}
		}}},
		{"short with reason barcode", func() State { s := at(StepShort, 1)(); s.Pending.Back = StepLocation; return s }, cmdScan(floor.CmdReasonNotFound),
			want{StepLocation, []floor.EventType{floor.EvTaskShort}, OK, "Item not found", nil}},
		{"short bad reason", at(StepShort, 1), text("9"), want{StepShort, rej, Error, "Choose a reason", nil}},
		// [pick] short_reasons: the site's reasons, numbered in its order;
		// a reason command the site does not list is refused.
		{"site reasons asked", func() State {
			s := atItem()
			s.ShortReasons = []floor.ShortReason{"damaged", "wrong-location"}
			return s
		}, cmd(floor.CmdShort), want{StepShort, nil, Info, "choose a reason (1 damaged, 2 wrong location)", nil}},
		{"site reason by number", func() State {
			s := at(StepShort, 1)()
			s.ShortReasons, s.Pending.Back = []floor.ShortReason{"damaged", "wrong-location"}, StepLocation
			return s
		}, text("2"), want{StepLocation, []floor.EventType{floor.EvTaskShort}, OK, "(wrong-location) recorded", func(t *testing.T, _ State, evs []floor.Event) {
			if !strings.Contains(string(evs[0].Payload), `"reason":"wrong-location"`) {
				t.Errorf("short: %s", evs[0].Payload)
			}
		}}},
		{"site reason number past the list", func() State {
			s := at(StepShort, 1)()
			s.ShortReasons = []floor.ShortReason{"damaged", "wrong-location"}
			return s
		}, text("3"), want{StepShort, rej, Error, "Choose a reason: 1 damaged, 2 wrong location", nil}},
		{"reason command the site does not list", func() State {
			s := at(StepShort, 1)()
			s.ShortReasons = []floor.ShortReason{"damaged", "wrong-location"}
			return s
		}, cmdScan(floor.CmdReasonNotFound), want{StepShort, rej, Error, "not found is not a short reason at this site", nil}},
		{"short cancelled goes back", func() State { s := at(StepShort, 1)(); s.Pending.Back = StepLocation; return s }, cmd(floor.CmdCancel),
			want{StepLocation, nil, Info, "Short cancelled", nil}},
		{"short of the last task completes the wave", func() State {
			s := at(StepShort, 3)()
			s.Tasks.At(0).Status, s.Tasks.At(1).Status = floor.TaskPicked, floor.TaskPicked
			return s
		}, text("1"), want{StepDone, []floor.EventType{floor.EvTaskShort, floor.EvWaveCompleted}, OK, "Wave complete", nil}},

		// Commands in the wrong place, logout, done
		{"reason barcode outside short", atItem, cmdScan(floor.CmdReasonDamaged), want{StepItem, rej, Error, "CMD:REASON-DAMAGED does nothing here", nil}},
		{"OK with nothing to confirm", atItem, cmd(floor.CmdOK), want{StepItem, nil, Info, "Nothing to confirm", nil}},
		{"logout", atItem, cmdScan(floor.CmdLogout), want{StepLogin, []floor.EventType{floor.EvLoggedOut}, OK, "Goodbye Ann", func(t *testing.T, s State, evs []floor.Event) {
			if s.LoggedIn() || evs[0].Operator != "B1001" || s.Tote != "T00001" || s.Current != 1 {
				t.Errorf("after logout: %+v", s)
			}
		}}},
		{"login again resumes the task with its picks", func() State {
			s := atItem()
			s.Operator, s.Step = floor.Operator{}, StepLogin
			s.Tasks.At(0).QtyPicked, s.Picks = 1, []Pick{{Qty: 1, Tote: "T00001"}}
			s.Wave.Status = "in_progress"
			return s
		}, badge(&ann, "B1001"), want{StepLocation, []floor.EventType{floor.EvLoggedIn}, OK, "Hello Ann", func(t *testing.T, s State, _ []floor.Event) {
			if s.Current != 1 || len(s.Picks) != 1 {
				t.Errorf("current %d picks %v", s.Current, s.Picks)
			}
		}}},
		// Issue 14 (11b): the input that wakes the cart is applied to the
		// new wave, never swallowed.
		{"a wave arriving while idle starts at the next input, which is applied", func() State {
			s := loggedOut()
			s.Operator, s.Step = ann, StepNoWork
			return s
		}, scan(barcode.KindTote, "T00001"), want{StepLocation, []floor.EventType{floor.EvWaveStarted, floor.EvToteAssigned}, OK, "Picking into tote T00001", nil}},
		{"a wave arriving while idle: a wrong first scan is refused, the wave still starts", func() State {
			s := loggedOut()
			s.Operator, s.Step = ann, StepNoWork
			return s
		}, scan(barcode.KindLocation, "A-01-01-1"), want{StepTote, []floor.EventType{floor.EvWaveStarted, floor.EvScanRejected}, Error, "", nil}},
		{"scan after wave done", func() State { s := atItem(); s.Step, s.Current, s.Wave.Status = StepDone, 0, "done"; return s }, gtin(&mug, "04006381333931"),
			want{StepDone, rej, Error, "No pick work", nil}},

		// One order per tote (issue 14, defect 1)
		{"a tote holding another order is refused, naming it", atTote, toteHolding("T00009", "ORD-0009"),
			want{StepTote, rej, Error, "Tote T00009 holds ORD-0009: take an empty tote", nil}},
		{"a tote holding this order is taken", atTote, toteHolding("T00009", "ORD-0001"),
			want{StepLocation, []floor.EventType{floor.EvToteAssigned}, OK, "Picking into tote T00009", func(t *testing.T, s State, _ []floor.Event) {
				if s.Tote != "T00009" || s.ToteOrder != "ORD-0001" {
					t.Errorf("tote %q for %q", s.Tote, s.ToteOrder)
				}
			}}},
		{"switching mid-task to a tote of another order is refused", atItem, toteHolding("T00002", "ORD-0002"),
			want{StepItem, rej, Error, "Tote T00002 holds ORD-0002: take an empty tote", nil}},
		{"a new wave's first order asks for a tote (the refresh after a pull starts it)", func() State {
			s := loggedOut()
			s.Operator, s.Step, s.Tote, s.ToteOrder = ann, StepDone, "T00001", "ORD-0000" // the last wave's last tote
			return s
		}, Input{}, want{StepTote, []floor.EventType{floor.EvWaveStarted}, OK, "scan a tote", func(t *testing.T, s State, _ []floor.Event) {
			if s.Tote != "" {
				t.Errorf("the new wave's first order goes into the last wave's tote %s", s.Tote)
			}
		}}},
		{"a new wave woken by the last wave's full tote: the wave starts, the tote is refused", func() State {
			s := loggedOut()
			s.Operator, s.Step, s.Tote, s.ToteOrder = ann, StepDone, "T00001", "ORD-0000"
			return s
		}, toteHolding("T00001", "ORD-0000"), want{StepTote, []floor.EventType{floor.EvWaveStarted, floor.EvScanRejected}, Error, "Tote T00001 holds ORD-0000", func(t *testing.T, s State, _ []floor.Event) {
			if s.Tote != "" {
				t.Errorf("the new wave's first order goes into the last wave's tote %s", s.Tote)
			}
		}}},
		{"units for an order the tote was not taken for are refused", func() State { s := atItem(); s.ToteOrder = "ORD-0002"; return s },
			gtin(&mug, "04006381333931"), want{StepItem, rej, Error, "Scan a tote for ORD-0001 first", nil}},

		// A supervisor releases a tote nobody will pack
		{"override at the tote step asks for a supervisor", atTote, cmd(floor.CmdOverride),
			want{StepSupervisor, nil, Info, "Release a tote: supervisor, scan your badge", nil}},
		{"a picker cannot release a tote", releasing(StepSupervisor), badge(&ann, "B1001"),
			want{StepSupervisor, rej, Error, "Ann is not a supervisor", nil}},
		{"the supervisor's badge asks for the PIN", releasing(StepSupervisor), badge(&dana, "B1004"),
			want{StepSupervisorPIN, nil, Info, "Dana: type your PIN", nil}},
		{"a wrong supervisor PIN goes back to the badge", releasingWith(StepSupervisorPIN, "B1004", ""), func() Input { in := text("0000"); in.Operator = &dana; return in }(),
			want{StepSupervisor, wrongPIN, Error, "Wrong PIN", func(t *testing.T, s State, evs []floor.Event) {
				if strings.Contains(string(evs[0].Payload), "0000") {
					t.Errorf("the PIN was journaled: %s", evs[0].Payload)
				}
			}}},
		{"the right PIN asks for the tote", releasingWith(StepSupervisorPIN, "B1004", ""), func() Input { in := text("2468"); in.Operator = &dana; return in }(),
			want{StepReleaseTote, nil, Info, "Dana: scan the tote to release", nil}},
		{"an empty tote needs no release", releasingWith(StepReleaseTote, "B1004", ""), toteHolding("T00009", ""),
			want{StepReleaseTote, rej, Error, "Tote T00009 is empty already", nil}},
		{"the tote's order is named, then the reason asked", releasingWith(StepReleaseTote, "B1004", ""), toteHolding("T00009", "ORD-0009"),
			want{StepReleaseReason, nil, Info, "Tote T00009 holds ORD-0009: type why it is empty", nil}},
		{"a reason too short is refused", releasingWith(StepReleaseReason, "B1004", "T00009"), text("ok"),
			want{StepReleaseReason, rej, Error, "Type the reason in words", nil}},
		{"the reason releases the tote", releasingWith(StepReleaseReason, "B1004", "T00009"), text("emptied by hand, order gone"),
			want{StepTote, []floor.EventType{floor.EvToteReleased}, OK, "Tote T00009 released by Dana", func(t *testing.T, s State, evs []floor.Event) {
				if want := `{"tote":"T00009","order":"ORD-0009","reason":"emptied by hand, order gone","supervisor":"B1004"}`; string(evs[0].Payload) != want {
					t.Errorf("payload %s, want %s", evs[0].Payload, want)
				}
				if s.Pending != (Pending{}) {
					t.Errorf("pending left: %+v", s.Pending)
				}
			}}},
		{"cancel goes back to the tote step", releasingWith(StepReleaseReason, "B1004", "T00009"), cmd(floor.CmdCancel),
			want{StepTote, nil, Info, "Tote release cancelled", nil}},

		// The office's cancellations and holds (issue 14, defect 2)
		{"a cancelled order's tasks leave the walk and its goods go back", func() State {
			s := atItem()
			s.Tasks.At(0).QtyPicked, s.Tasks.At(0).Tote, s.Picks = 1, "T00001", []Pick{{Qty: 1, Tote: "T00001"}}
			return s
		}, office(nil, Withdrawal{Order: "ORD-0001", Goods: []floor.ReturnLine{{Tote: "T00001", SKU: "MUG-RED", Qty: 1, Location: "A-01-01-1"}}}),
			want{StepTote, []floor.EventType{floor.EvOrderWithdrawn}, Warn,
				"ORD-0001 cancelled: its tasks left your walk. Return to stock: from tote T00001 1 × MUG-RED to A-01-01-1: scan the tote, then each location. Next order ORD-0002: scan a new tote",
				func(t *testing.T, s State, evs []floor.Event) {
					if s.Current != 3 || s.Tasks.At(0).Status != floor.TaskCancelled || s.Tasks.At(1).Status != floor.TaskCancelled || s.Tote != "" || len(s.Picks) != 0 {
						t.Errorf("after the cancellation: %+v", s)
					}
					if len(s.Returns) != 1 || s.Returns[0].Order != "ORD-0001" || s.Returns[0].Tote != "T00001" || s.Returns[0].Qty != 1 {
						t.Errorf("the goods to put back: %+v", s.Returns)
					}
					if !strings.Contains(string(evs[0].Payload), `"tasks":[1,2],"returns":[{"tote":"T00001","sku":"MUG-RED","qty":1,"location":"A-01-01-1"}]`) {
						t.Errorf("payload %s", evs[0].Payload)
					}
				}}},
		{"a cancelled order with nothing in the walk or the totes says nothing", at(StepLocation, 1), office(nil, Withdrawal{Order: "ORD-0042"}),
			want{StepLocation, nil, 0, "", nil}},
		{"a held order's tasks wait", at(StepLocation, 1), office([]string{"ORD-0001"}),
			want{StepTote, nil, Info, "ORD-0001 on hold: its tasks wait until the office releases it. Next order ORD-0002", func(t *testing.T, s State, _ []floor.Event) {
				if s.Current != 3 {
					t.Errorf("current %d, want task 3", s.Current)
				}
			}}},
		{"a held order's task with units counted is finished first", func() State {
			s := atItem()
			s.Tasks.At(0).QtyPicked, s.Picks = 1, []Pick{{Qty: 1, Tote: "T00001"}}
			return s
		}, office([]string{"ORD-0001"}), want{StepItem, nil, Info, "ORD-0001 on hold", func(t *testing.T, s State, _ []floor.Event) {
			if s.Current != 1 {
				t.Errorf("current %d, want task 1", s.Current)
			}
		}}},
		{"held, with nothing else left: the picker waits", func() State {
			s := at(StepLocation, 3)()
			s.Tasks.At(0).Status, s.Tasks.At(1).Status = floor.TaskPicked, floor.TaskPicked
			return s
		}, office([]string{"ORD-0002"}), want{StepWaiting, nil, Info, "ORD-0002 on hold", func(t *testing.T, s State, _ []floor.Event) {
			if s.Current != 0 || s.Wave.Status == "done" {
				t.Errorf("waiting: %+v", s)
			}
		}}},
		{"a scan while waiting is refused with the hold", func() State {
			s := at(StepWaiting, 0)()
			s.Tasks.At(0).Status, s.Tasks.At(1).Status, s.Held = floor.TaskPicked, floor.TaskPicked, []string{"ORD-0002"}
			return s
		}, scan(barcode.KindLocation, "A-02-01-3"), want{StepWaiting, rej, Error, "On hold: ORD-0002", nil}},
		{"released: its tasks are back in the walk", func() State { s := at(StepLocation, 3)(); s.Held = []string{"ORD-0001"}; return s },
			office(nil), want{StepLocation, nil, Info, "ORD-0001 released: its tasks are back in your walk", nil}},
		{"on_hold = pick: a held order is picked on", func() State { s := at(StepLocation, 1)(); s.PickHeld = true; return s },
			office([]string{"ORD-0001"}), want{StepLocation, nil, Info, "ORD-0001 on hold: pick it on, the pack bench stops it", func(t *testing.T, s State, _ []floor.Event) {
				if s.Current != 1 {
					t.Errorf("current %d, want task 1", s.Current)
				}
			}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := settled(c.start())
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
				t.Errorf("events = %v, want %v", got, c.want.events)
			}
			if res.Feedback.Level != c.want.level || !strings.Contains(res.Feedback.Message, c.want.message) {
				t.Errorf("feedback = %d %q, want %d containing %q", res.Feedback.Level, res.Feedback.Message, c.want.level, c.want.message)
			}
			if c.want.level == Error && len(got) == 1 && got[0] == floor.EvScanRejected {
				after := deepCopy(res.State)
				want := deepCopy(start)
				// A rejection may only reset a PIN prompt; everything else stays.
				if start.Step != StepPIN && start.Step != StepSupervisorPIN && !reflect.DeepEqual(after, want) {
					t.Errorf("a rejection changed the state:\n got %+v\nwant %+v", after, want)
				}
			}
			op := start.Operator.Badge
			for _, ev := range res.Events {
				if ev.Type == floor.EvLoggedIn {
					op = res.State.Operator.Badge // events from the login on are the new operator's
				}
				if ev.Operator != op {
					t.Errorf("%s carries operator %q, want %q", ev.Type, ev.Operator, op)
				}
			}
			if c.want.check != nil {
				c.want.check(t, res.State, res.Events)
			}
		})
	}
}

// settled is s with its walk made again from its tasks: a case's set-up
// changes tasks in place, which no task is once its walk is handed on, and
// a walk counts its tasks to pick as it is made (Walk.ToPick).
func settled(s State) State {
	if s.Tasks.Len() != 0 {
		s.Tasks = WalkOf(s.Tasks.Tasks())
	}
	return s
}

// deepCopy copies the tasks themselves too: Apply must change none of
// them in place.
func deepCopy(s State) State {
	if s.Tasks.Len() != 0 {
		tasks := make([]floor.PickTask, s.Tasks.Len())
		for i, t := range s.Tasks.All() {
			tasks[i] = *t
		}
		s.Tasks = TasksOf(tasks)
	}
	s.Picks = append([]Pick(nil), s.Picks...)
	return s
}

// TestWholeWave walks a wave from login to done with every kind of input,
// checking that events and the counts in the state agree at every step.
func TestWholeWave(t *testing.T) {
	s := loggedOut()
	var all []floor.Event
	step := func(in Input, want Step) {
		t.Helper()
		r := Apply(s, in)
		if r.State.Step != want {
			t.Fatalf("step %q after %q, want %q", r.State.Step, r.Feedback.Message, want)
		}
		s = r.State
		all = append(all, r.Events...)
	}
	step(badge(&ann, "B1001"), StepTote)
	step(scan(barcode.KindTote, "T00001"), StepLocation)
	step(scan(barcode.KindLocation, "A-01-01-1"), StepItem)
	step(gtin(&mug, "04006381333931"), StepItem)
	step(cmd(floor.CmdUndo), StepItem)
	step(gtin(&mug, "04006381333931"), StepItem) // a quantity follows one scan
	step(cmd(floor.CmdQuantity), StepQuantity)
	step(text("1"), StepLocation)
	step(cmd(floor.CmdSkip), StepTote) // VIT-C to the end; ORD-0002 needs its own tote
	step(scan(barcode.KindTote, "T00002"), StepLocation)
	step(scan(barcode.KindLocation, "A-02-01-3"), StepItem)
	step(gtin(&tab, "09501101530027"), StepSerial)
	step(text("SN-1"), StepTote) // back to the skipped VIT-C of ORD-0001
	step(scan(barcode.KindTote, "T00001"), StepLocation)
	step(scan(barcode.KindLocation, "A-01-02-1"), StepItem)
	step(cmd(floor.CmdShort), StepShort)
	step(text("1"), StepDone)

	units := 0
	for _, ev := range all {
		switch ev.Type {
		case floor.EvUnitsPicked:
			units += countOf(t, ev)
		case floor.EvPickUndone:
			units -= countOf(t, ev)
		}
	}
	_, _, done, total := s.Progress()
	if units != 3 || done != total {
		t.Errorf("units from events = %d, progress %d/%d", units, done, total)
	}
	if last := all[len(all)-1]; last.Type != floor.EvWaveCompleted {
		t.Errorf("last event %s", last.Type)
	}
}

func countOf(t *testing.T, ev floor.Event) int {
	t.Helper()
	i := strings.Index(string(ev.Payload), `"qty":`)
	if i < 0 {
		t.Fatalf("no qty in %s", ev.Payload)
	}
	n := 0
	for _, c := range string(ev.Payload)[i+6:] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// TestOfficeNewsInTheWalk: skipping never brings a cancelled order's tasks
// back, and a held order's tasks come back when it is released.
func TestOfficeNewsInTheWalk(t *testing.T) {
	s := at(StepLocation, 1)()
	s.Tasks = WalkOf(append(s.Tasks.Tasks(), &floor.PickTask{ID: 4, WaveID: "W1", OrderID: "ORD-0003", LineNo: 1, Location: "A-03-01-1", SKU: "MUG-RED", Qty: 1, Status: floor.TaskOpen, SortKey: 40}))
	step := func(in Input) Result {
		t.Helper()
		r := Apply(s, in)
		s = r.State
		return r
	}
	step(office(nil, Withdrawal{Order: "ORD-0001"}))
	for i := range 6 {
		if s.Current == 1 || s.Current == 2 {
			t.Fatalf("after %d skips the cancelled order's task %d is offered", i, s.Current)
		}
		if r := step(cmd(floor.CmdSkip)); r.Feedback.Level == Error {
			t.Fatalf("skip %d: %s", i, r.Feedback.Message)
		}
	}
	// ORD-0003 is held: only ORD-0002's task 3 is offered, skip or not.
	step(office([]string{"ORD-0003"}))
	if s.Current != 3 {
		t.Fatalf("held: current %d, want 3", s.Current)
	}
	if r := step(cmd(floor.CmdSkip)); s.Current != 3 {
		t.Fatalf("skip while the rest is held: current %d (%s)", s.Current, r.Feedback.Message)
	}
	// Task 3 is picked: the picker waits; the release brings task 4 back.
	step(scan(barcode.KindTote, "T00002"))
	step(scan(barcode.KindLocation, "A-02-01-3"))
	step(gtin(&tab, "09501101530027"))
	if r := step(text("SN-1")); s.Step != StepWaiting || s.Wave.Status == "done" {
		t.Fatalf("after the last free task: %s %q", s.Step, r.Feedback.Message)
	}
	r := step(office(nil))
	if s.Step != StepTote || s.Current != 4 || !strings.Contains(r.Feedback.Message, "ORD-0003 released") {
		t.Fatalf("after the release: %s current %d %q", s.Step, s.Current, r.Feedback.Message)
	}
}

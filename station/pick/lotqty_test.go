package pick

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// read interprets a scan with the real interpreter and the demo's site
// patterns, as the station does, and attaches the item it resolved.
func read(t *testing.T, aim, data string, it *floor.Item) Input {
	t.Helper()
	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	in = in.WithClock(func() time.Time { return today })
	return Input{Scan: in.Interpret(aim, data), Item: it, Today: today, RoleAllowed: true}
}

// lotPrompt is Ann at VIT-C (lot-controlled) after a plain GTIN scan: the
// workflow asks for the lot of one unit.
func lotPrompt() State {
	s := at(StepLot, 2)()
	s.Pending = Pending{Qty: 1, Back: StepItem}
	return s
}

// serialPrompt is the same for TAB-10 (serial-controlled).
func serialPrompt() State {
	s := at(StepSerial, 3)()
	s.Pending = Pending{Qty: 1, Back: StepItem}
	return s
}

// scannedOnce is Ann at MUG-RED with one unit scanned: a quantity may follow.
func scannedOnce() State {
	s := atItem()
	s.Tasks.At(0).QtyPicked, s.Picks = 1, []Pick{{Qty: 1, Tote: "T00001"}}
	return s
}

func payload(evs []floor.Event) string {
	if len(evs) == 0 {
		return ""
	}
	return string(evs[0].Payload)
}

// TestLotAndSerialPrompt: the lot and serial prompts refuse every scan that
// names something else, read a GS1 label by its AIs with the item step's
// rules (expired and uncertain refused, the right item only), and keep the
// label's expiry. Issue 14, defect 3.
func TestLotAndSerialPrompt(t *testing.T) {
	mkPending := func(expiry time.Time) func() State {
		return func() State { s := lotPrompt(); s.Pending.Expiry = expiry; return s }
	}
	cases := []struct {
		name    string
		start   func() State
		aim     string
		data    string
		item    *floor.Item
		message string // substring; rejected when the step stays
		payload []string
	}{
		// Refused: what reads as another thing is never a lot.
		{"location as lot", lotPrompt, "", "A-04-19-1", nil, "That is a location (A-04-19-1), not a lot number", nil},
		{"badge as lot", lotPrompt, "", "B1004", nil, "That is a badge (B1004), not a lot number", nil},
		{"tote as lot", lotPrompt, "", "T00001", nil, "That is a tote (T00001), not a lot number", nil},
		{"order as lot", lotPrompt, "", "ORD-100001", nil, "That is an order (ORD-100001), not a lot number", nil},
		{"return as lot", lotPrompt, "", "RMA-5521", nil, "That is a return (RMA) (RMA-5521), not a lot number", nil},
		{"command as lot", lotPrompt, "", "CMD:SKIP", nil, "Scan or type the lot number, or cancel", nil},
		{"carton label as lot", lotPrompt, "]C1", "00106141411234567897", nil, "That is a carton label (SSCC)", nil},
		{"label that did not read", lotPrompt, "", "(17)261341(10)X", nil, "AI (17): month 13 does not exist: scan the label again", nil},
		{"garbled scan", lotPrompt, "", "L\x1b[2J", nil, "Scan contains control character", nil},
		{"location as serial", serialPrompt, "", "A-04-19-1", nil, "That is a location (A-04-19-1), not a serial number", nil},
		{"badge as serial", serialPrompt, "", "B1004", nil, "That is a badge (B1004), not a serial number", nil},

		// Refused: GS1 labels under the item step's rules.
		{"expired GS1 lot", lotPrompt, "]C1", "0109501101530010" + "17261121" + "10L41", &pill, "Expired: lot L41 expired on 2026-11-21", nil},
		{"lot made uncertain by a lost separator", lotPrompt, "", "0109501101530010" + "10ABC12317270101", &pill, "Lot not certain", nil},
		{"GS1 of another item", lotPrompt, "]C1", "0109501101530003" + "10L1", &cup, "Wrong item CUP-BLU (Blue cup): scan the lot of VIT-C", nil},
		{"GS1 of an unknown GTIN", lotPrompt, "]C1", "0109501101530041" + "10L1", nil, "Unknown item (GTIN 09501101530041)", nil},
		{"item barcode without a lot", lotPrompt, "]E0", "9501101530010", &pill, "no lot number", nil},
		{"label expiring otherwise than the unit", mkPending(time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)), "]C1", "0109501101530010" + "17270522" + "10L42", &pill,
			"This label expires 2027-05-22, the unit scanned 2027-01-31", nil},
		{"expired GS1 serial", serialPrompt, "]C1", "0109501101530027" + "17261121" + "21SN9", &tab, "Expired: expired on 2026-11-21", nil},
		{"serial made uncertain by a lost separator", serialPrompt, "", "0109501101530027" + "21SN12317270101", &tab, "Serial not certain", nil},

		// Taken, with the expiry kept.
		{"GS1 lot keeps its expiry", lotPrompt, "]C1", "0109501101530010" + "17270522" + "10L42", &pill, "Picked 1",
			[]string{`"lot":"L42"`, `"expiry":"2027-05-22"`}},
		{"lot label without its GTIN", lotPrompt, "]C1", "10L77\x1d17270522", nil, "Picked 1",
			[]string{`"lot":"L77"`, `"expiry":"2027-05-22"`}},
		{"same expiry as the unit", mkPending(time.Date(2027, 5, 22, 0, 0, 0, 0, time.UTC)), "]C1", "0109501101530010" + "17270522" + "10L42", &pill, "Picked 1",
			[]string{`"lot":"L42"`, `"expiry":"2027-05-22"`}},
		{"typed lot of digits", lotPrompt, "", "20240115", nil, "Picked 1", []string{`"lot":"20240115"`}},
		{"GS1 serial keeps its expiry", serialPrompt, "]C1", "0109501101530027" + "17270522" + "21SN9", &tab, "Picked 1",
			[]string{`"serial":"SN9"`, `"expiry":"2027-05-22"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := c.start()
			before := deepCopy(start)
			res := Apply(start, read(t, c.aim, c.data, c.item))
			if !strings.Contains(res.Feedback.Message, c.message) {
				t.Errorf("feedback %q, want it to contain %q", res.Feedback.Message, c.message)
			}
			if c.payload == nil {
				if res.Feedback.Level != Error || len(res.Events) != 1 || res.Events[0].Type != floor.EvScanRejected {
					t.Fatalf("not refused: %d %q %v", res.Feedback.Level, res.Feedback.Message, res.Events)
				}
				if !reflect.DeepEqual(deepCopy(res.State), before) {
					t.Errorf("the refusal changed the state:\n got %+v\nwant %+v", res.State, before)
				}
				return
			}
			if res.Feedback.Level != OK || len(res.Events) == 0 || res.Events[0].Type != floor.EvUnitsPicked {
				t.Fatalf("not counted: %d %q %v", res.Feedback.Level, res.Feedback.Message, res.Events)
			}
			for _, w := range c.payload {
				if !strings.Contains(payload(res.Events), w) {
					t.Errorf("payload %s lacks %s", payload(res.Events), w)
				}
			}
		})
	}
}

// TestKeyedQuantity: F2 counts only after one scan of the item at this
// location, the keyed units are one pick, and undo takes them back out
// whole. Issue 14, defect 4.
func TestKeyedQuantity(t *testing.T) {
	t.Run("F2 right after the location is refused", func(t *testing.T) {
		s := at(StepLocation, 1)()
		r := Apply(s, read(t, "", "A-01-01-1", nil))
		if r.State.Step != StepItem {
			t.Fatalf("location: %q", r.Feedback.Message)
		}
		s = r.State
		r = Apply(s, cmd(floor.CmdQuantity))
		if r.Feedback.Level != Error || !strings.Contains(r.Feedback.Message, "Scan the item once first, then F2") {
			t.Fatalf("F2 before a scan: %d %q", r.Feedback.Level, r.Feedback.Message)
		}
		if !reflect.DeepEqual(deepCopy(r.State), deepCopy(s)) {
			t.Errorf("refused F2 changed the state")
		}
		// The typed 2 that followed in the report is then no quantity.
		if r2 := Apply(r.State, text("2")); r2.Feedback.Level != Error || r2.State.Tasks.At(0).QtyPicked != 0 {
			t.Errorf("2 after a refused F2: %q, picked %d", r2.Feedback.Message, r2.State.Tasks.At(0).QtyPicked)
		}
	})

	t.Run("scan, F2, quantity, undo, undo", func(t *testing.T) {
		s := atItem()
		s.Tasks.At(0).Qty = 5
		type step struct {
			in      Input
			step    Step
			level   Level
			message string
			picked  int
			picks   []int
			undone  int // the quantity an undo takes back out
		}
		for i, st := range []step{
			{gtin(&mug, "04006381333931"), StepItem, OK, "1 of 5: 4 more", 1, []int{1}, 0},
			{cmd(floor.CmdQuantity), StepQuantity, Info, "how many more units (1 to 4)", 1, []int{1}, 0},
			{text("3"), StepItem, OK, "4 of 5: 1 more", 4, []int{1, 3}, 0},
			{cmd(floor.CmdUndo), StepItem, OK, "Undone: 3 × MUG-RED taken back out. 1 of 5", 1, []int{1}, 3},
			{cmd(floor.CmdUndo), StepItem, OK, "Undone: 1 × MUG-RED taken back out. 0 of 5", 0, nil, 1},
			{cmdScan(floor.CmdQuantity), StepItem, Error, "Scan the item once first, then F2", 0, nil, 0},
		} {
			r := Apply(s, st.in)
			if r.State.Step != st.step || r.Feedback.Level != st.level || !strings.Contains(r.Feedback.Message, st.message) {
				t.Fatalf("input %d: step %s, %d %q; want %s, %d %q", i, r.State.Step, r.Feedback.Level, r.Feedback.Message, st.step, st.level, st.message)
			}
			var picks []int
			for _, p := range r.State.Picks {
				picks = append(picks, p.Qty)
			}
			if r.State.Tasks.At(0).QtyPicked != st.picked || !reflect.DeepEqual(picks, st.picks) {
				t.Fatalf("input %d: picked %d, picks %v; want %d, %v", i, r.State.Tasks.At(0).QtyPicked, picks, st.picked, st.picks)
			}
			if st.in.Command == floor.CmdUndo && (len(r.Events) != 1 || r.Events[0].Type != floor.EvPickUndone || countOf(t, r.Events[0]) != st.undone) {
				t.Fatalf("input %d: undo events %v", i, r.Events)
			}
			s = r.State
		}
	})

	t.Run("a lot item's keyed units ask their lot", func(t *testing.T) {
		s := at(StepItem, 2)()
		s.Tasks.At(1).Qty = 4
		r := Apply(s, read(t, "]C1", "0109501101530010"+"17270522"+"10L42", &pill))
		if r.Feedback.Level != OK || r.State.Tasks.At(1).QtyPicked != 1 {
			t.Fatalf("first unit: %q", r.Feedback.Message)
		}
		r = Apply(r.State, cmd(floor.CmdQuantity))
		r = Apply(r.State, text("2"))
		if r.State.Step != StepLot || r.State.Pending.Qty != 2 {
			t.Fatalf("after the quantity: step %s pending %+v (%q)", r.State.Step, r.State.Pending, r.Feedback.Message)
		}
		r = Apply(r.State, read(t, "", "A-01-02-1", nil))
		if r.Feedback.Level != Error || r.State.Step != StepLot {
			t.Fatalf("location at the lot prompt: %q", r.Feedback.Message)
		}
		r = Apply(r.State, read(t, "]C1", "0109501101530010"+"17270522"+"10L42", &pill))
		if r.State.Tasks.At(1).QtyPicked != 3 || !strings.Contains(payload(r.Events), `"qty":2,"tote":"T00001","lot":"L42","expiry":"2027-05-22"`) {
			t.Fatalf("keyed units: picked %d, %s", r.State.Tasks.At(1).QtyPicked, payload(r.Events))
		}
		r = Apply(r.State, cmd(floor.CmdUndo))
		if r.State.Tasks.At(1).QtyPicked != 1 || countOf(t, r.Events[0]) != 2 {
			t.Fatalf("undo of the keyed units: picked %d %v", r.State.Tasks.At(1).QtyPicked, r.Events)
		}
	})

	t.Run("a serial item takes no quantity, even after a scan", func(t *testing.T) {
		s := at(StepItem, 3)()
		s.Tasks.At(2).Qty = 3
		r := Apply(s, read(t, "]C1", "0109501101530027"+"21SN1", &tab))
		if r.Feedback.Level != OK || len(r.State.Picks) != 1 {
			t.Fatalf("first unit: %q", r.Feedback.Message)
		}
		r = Apply(r.State, cmd(floor.CmdQuantity))
		if r.Feedback.Level != Error || !strings.Contains(r.Feedback.Message, "serial number per unit") {
			t.Fatalf("F2 on a serial item: %q", r.Feedback.Message)
		}
	})
}

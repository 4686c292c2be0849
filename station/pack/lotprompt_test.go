package pack

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// read interprets a scan with the real interpreter and the demo's site
// patterns, as the station does.
func read(t *testing.T, aim, data string) Input {
	t.Helper()
	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	in = in.WithClock(func() time.Time { return today })
	return Input{Scan: in.Interpret(aim, data), Today: today, RoleAllowed: true}
}

// TestLotPromptTakesOnlyALot: the pack bench's lot and serial prompts, as
// the pick cart's (issue 14, defect 3): a site barcode or a carton label is
// refused in words and changes nothing; a GS1 label is read by its AIs,
// expired and uncertain refused, its expiry kept; a lot label without its
// GTIN (which carries only a pair warning) is taken.
func TestLotPromptTakesOnlyALot(t *testing.T) {
	lot := at(StepLot, Pending{Qty: 1, Line: 2, Back: StepVerify}, order())
	serial := at(StepSerial, Pending{Qty: 1, Line: 3, Back: StepVerify}, order())
	cases := []struct {
		name      string
		start     func() State
		aim, data string
		says      string
		payload   string // "" for a refusal
	}{
		{"location as lot", lot, "", "A-04-19-1", "That is a location (A-04-19-1), not a lot number", ""},
		{"badge as lot", lot, "", "B1004", "That is a badge (B1004), not a lot number", ""},
		{"tote as lot", lot, "", "T00001", "That is a tote (T00001), not a lot number", ""},
		{"order as lot", lot, "", "ORD-100001", "That is an order (ORD-100001), not a lot number", ""},
		{"carton label as lot", lot, "]C1", "00106141411234567897", "That is a carton label (SSCC)", ""},
		{"command as lot", lot, "", "CMD:SKIP", "Scan or type the lot number, or cancel", ""},
		{"label that did not read", lot, "", "(17)261341(10)L42", "month 13 does not exist: scan the label again", ""},
		{"expired lot label", lot, "]C1", "0109501101530010" + "17261121" + "10L42", "Expired: lot L42 expired on 2026-11-21", ""},
		{"uncertain lot label", lot, "", "0109501101530010" + "10L4217270131", "Lot not certain", ""},
		{"another item's label", lot, "]C1", "0104006381333931" + "10L42", "Wrong item: scan the lot of VIT-C", ""},
		{"location as serial", serial, "", "A-04-19-1", "That is a location (A-04-19-1), not a serial number", ""},
		{"lot label keeps its expiry", lot, "]C1", "0109501101530010" + "17270131" + "10L42", "VIT-C 1 of 3", `"lot":"L42","expiry":"2027-01-31"`},
		{"lot label without its GTIN", lot, "]C1", "10L42\x1d17270131", "VIT-C 1 of 3", `"lot":"L42","expiry":"2027-01-31"`},
		{"serial label", serial, "]C1", "0109501101530027" + "21SN1", "TAB-10 1 of 2", `"serial":"SN1"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := c.start()
			before := deepCopy(start)
			res := Apply(start, read(t, c.aim, c.data))
			if !strings.Contains(res.Feedback.Message, c.says) {
				t.Errorf("feedback %q, want it to contain %q", res.Feedback.Message, c.says)
			}
			if c.payload == "" {
				if res.Feedback.Level != Error || len(res.Events) != 1 || res.Events[0].Type != floor.EvScanRejected {
					t.Fatalf("not refused: %d %q", res.Feedback.Level, res.Feedback.Message)
				}
				if !reflect.DeepEqual(deepCopy(res.State), before) {
					t.Errorf("the refusal changed the state")
				}
				return
			}
			if res.Feedback.Level != OK || len(res.Events) == 0 || !strings.Contains(string(res.Events[0].Payload), c.payload) {
				t.Fatalf("not counted as %s: %d %q %v", c.payload, res.Feedback.Level, res.Feedback.Message, res.Events)
			}
		})
	}
}

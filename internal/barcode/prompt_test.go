package barcode

import "testing"

// TestAtTextPrompt: at a lot or serial prompt, a site barcode is never a
// lot, a GS1 label is read by its AIs, a label that did not read is
// refused, and a typed number that only looked like a GTIN stays text.
func TestAtTextPrompt(t *testing.T) {
	in := newTestInterpreter(t)
	for _, c := range []struct {
		aim, data string
		want      Entry
	}{
		{"", "LOT-7", EntryText},
		{"", "230415", EntryText},
		{"", "20240115", EntryText},                   // an 8-digit lot: no GTIN-8 (check digit), typed text
		{"", "0123AB", EntryText},                     // starts like (01) but holds no GTIN
		{"", "A-04-19-1", EntryRefused},               // location
		{"", "B1004", EntryRefused},                   // badge
		{"", "T00001", EntryRefused},                  // tote
		{"", "ORD-100001", EntryRefused},              // order
		{"", "RMA-5521", EntryRefused},                // return
		{"", "CMD:SKIP", EntryCommand},                // command
		{"]C1", "00106141411234567897", EntryRefused}, // a carton's SSCC
		{"]C1", "10LOT9\x1d17261231", EntryLabel},
		{"", "(10)LOT9(17)261231", EntryLabel},
		{"", "0109501101530003", EntryLabel},
		{"", "(17)261341(10)X", EntryRefused},     // bracketed: a label with a bad date
		{"]C1", "17261341" + "10X", EntryRefused}, // GS1 symbology: a label with a bad date
		{"", "0109501101530004", EntryRefused},    // a whole (01) key with a wrong check digit
		{"]E0", "4006381333932", EntryRefused},    // EAN-13 with a wrong check digit
		{"", "https://id.gs1.org/01/09501101530004", EntryRefused},
		{"", "LOT\x1b[2J", EntryRefused}, // control characters
	} {
		m := in.Interpret(c.aim, c.data)
		if got := m.AtTextPrompt(); got != c.want {
			t.Errorf("%q%q: entry %d, want %d (kind %s, err %v)", c.aim, c.data, got, c.want, m.Kind, m.Err)
		}
	}
	for k, want := range map[Kind]string{KindLocation: "a location", KindOrder: "an order", KindSSCC: "a carton label (SSCC)"} {
		if got := k.Noun(); got != want {
			t.Errorf("%s: %q", k, got)
		}
	}
}

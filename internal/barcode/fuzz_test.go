package barcode

import (
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzInterpret: never panics, and every accepted meaning is consistent
// with its kind.
func FuzzInterpret(f *testing.F) {
	for _, s := range []string{
		"]C1010950110153000310ABC123\x1d17261231",
		"]E004252614",
		"]E3978030640615751299",
		"(01)09501101530003(10)A\\(B",
		"https://id.gs1.org/01/09501101530003/10/ABC?17=261231",
		"A-01-03-2",
		"CMD:SHORT",
		"0109501101530003" + "10ABC12317261231",
		"]Q3https://x/00/106141411234567897",
		"\x1d",
		"]I110012345000017",
	} {
		aim, data := SplitAIM(s)
		f.Add(aim, data)
	}
	in, err := NewInterpreter(DefaultPatterns())
	if err != nil {
		f.Fatal(err)
	}
	in = in.WithClock(func() time.Time { return march2026 })
	f.Fuzz(func(t *testing.T, aim, data string) {
		m := in.Interpret(aim, data)
		if m.Input != data || m.Symbology != aim {
			t.Fatalf("input %q/%q became %q/%q", aim, data, m.Symbology, m.Input)
		}
		switch e := m.AtTextPrompt(); {
		case e == EntryLabel && (m.Err != nil || m.Kind != KindGTIN && m.Kind != KindGS1):
			t.Fatalf("%q read as a label at a lot prompt: %+v", data, m)
		case e == EntryText && m.Err != nil && (strings.IndexByte(data, 0x1d) >= 0 || aim == "]C1" || aim == "]E0"):
			t.Fatalf("a label that did not read, %q, taken as a typed lot", data)
		case e != EntryRefused && m.Err == nil && m.Kind != KindUnknown && m.Kind != KindGTIN && m.Kind != KindGS1 && m.Kind != KindCommand:
			t.Fatalf("%s %q not refused at a lot prompt", m.Kind, data)
		}
		if m.Uncertain != "" && (m.Err != nil || !slices.Contains(m.Warnings, m.Uncertain)) {
			t.Fatalf("uncertain %q not among the warnings %q", m.Uncertain, m.Warnings)
		}
		if m.Err != nil {
			if m.Err.Error() == "" {
				t.Fatal("empty error message")
			}
			if m.GTIN != "" || m.Lot != "" || m.Serial != "" || m.SSCC != "" || len(m.AIs) != 0 || m.Code != "" {
				t.Fatalf("rejected scan %q carries data: %+v", data, m)
			}
			return
		}
		if !utf8.ValidString(data) || len(data) > MaxScanBytes || data == "" {
			t.Fatalf("accepted bad data %q", data)
		}
		if m.GTIN != "" && (len(m.GTIN) != 14 || strings.Trim(m.GTIN, "0123456789") != "") {
			t.Fatalf("GTIN %q is not 14 digits", m.GTIN)
		}
		if m.SSCC != "" && len(m.SSCC) != 18 {
			t.Fatalf("SSCC %q is not 18 digits", m.SSCC)
		}
		switch m.Kind {
		case KindGS1, KindSSCC:
			if len(m.AIs) == 0 {
				t.Fatalf("%s without AIs", m.Kind)
			}
		case KindGTIN:
			if m.GTIN == "" {
				t.Fatal("gtin kind without GTIN")
			}
		case KindLocation, KindTote, KindBadge, KindCommand, KindOrder, KindRMA:
			if m.Code == "" && m.Kind != KindCommand {
				t.Fatalf("%s without code", m.Kind)
			}
		}
	})
}

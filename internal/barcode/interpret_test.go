package barcode

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/gs1"
)

var march2026 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func newTestInterpreter(t testing.TB) *Interpreter {
	t.Helper()
	in, err := NewInterpreter(DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	return in.WithClock(func() time.Time { return march2026 })
}

func TestInterpret(t *testing.T) {
	in := newTestInterpreter(t)
	tests := []struct {
		name   string
		raw    string // as the scanner sends it, AIM identifier first
		kind   Kind
		form   string
		gtin   string
		sscc   string
		lot    string
		serial string
		expiry string
		code   string
		nAIs   int
	}{
		{"GS1-128 with lot and expiry", "]C1010950110153000310ABC123\x1d17261231",
			KindGS1, FormElements, "09501101530003", "", "ABC123", "", "2026-12-31", "", 3},
		{"GS1 DataMatrix with serial", "]d2010950110153000317260200" + "21SN-1",
			KindGS1, FormElements, "09501101530003", "", "", "SN-1", "2026-02-28", "", 3},
		{"GS1 QR", "]Q30109501101530003", KindGS1, FormElements, "09501101530003", "", "", "", "", "", 1},
		{"GS1 DataBar", "]e00109501101530003", KindGS1, FormElements, "09501101530003", "", "", "", "", "", 1},
		{"SSCC alone", "]C100106141411234567897", KindSSCC, FormElements, "", "106141411234567897", "", "", "", "", 1},
		{"SSCC with content is GS1", "]C100106141411234567897" + "0209501101530003" + "3712",
			KindGS1, FormElements, "", "106141411234567897", "", "", "", "", 3},
		{"EAN-13", "]E04006381333931", KindGTIN, FormEAN13, "04006381333931", "", "", "", "", "", 0},
		{"UPC-A", "]E0042100005264", KindGTIN, FormUPCA, "00042100005264", "", "", "", "", "", 0},
		{"UPC-E expands", "]E004252614", KindGTIN, FormUPCE, "00042100005264", "", "", "", "", "", 0},
		{"EAN-8", "]E496385074", KindGTIN, FormEAN8, "00000096385074", "", "", "", "", "", 0},
		{"EAN-13 with add-on", "]E3978030640615751299", KindGTIN, FormEAN13, "09780306406157", "", "", "", "", "", 0},
		{"ITF-14", "]I110012345000017", KindGTIN, FormITF14, "10012345000017", "", "", "", "", "", 0},
		{"unprefixed EAN-13", "4006381333931", KindGTIN, FormEAN13, "04006381333931", "", "", "", "", "", 0},
		{"unprefixed GTIN-14", "10012345000017", KindGTIN, FormGTIN14, "10012345000017", "", "", "", "", "", 0},
		{"unprefixed element string", "0109501101530003" + "17261231" + "10L1", KindGS1, FormElements, "09501101530003", "", "L1", "", "2026-12-31", "", 3},
		{"unprefixed with separators", "10L1\x1d21S1", KindGS1, FormElements, "", "", "L1", "S1", "", "", 2},
		{"bracketed", "(01)09501101530003(10)ABC(17)260200", KindGS1, FormBracketed, "09501101530003", "", "ABC", "", "2026-02-28", "", 3},
		{"Digital Link in a plain QR", "]Q1https://id.gs1.org/01/09501101530003/10/ABC?17=261231", KindGS1, FormDigitalLink, "09501101530003", "", "ABC", "", "2026-12-31", "", 3},
		{"Digital Link without AIM", "https://id.gs1.org/01/09501101530003", KindGS1, FormDigitalLink, "09501101530003", "", "", "", "", "", 1},
		{"location", "A-01-03-2", KindLocation, FormPattern, "", "", "", "", "", "A-01-03-2", 0},
		{"location, two-letter zone, level 12", "]C0BX-10-22-12", KindLocation, FormPattern, "", "", "", "", "", "BX-10-22-12", 0},
		{"tote", "T00042", KindTote, FormPattern, "", "", "", "", "", "T00042", 0},
		{"badge", "B1234", KindBadge, FormPattern, "", "", "", "", "", "B1234", 0},
		{"command", "CMD:SHORT", KindCommand, FormPattern, "", "", "", "", "", "SHORT", 0},
		{"command with hyphen", "]C0CMD:NEW-TOTE", KindCommand, FormPattern, "", "", "", "", "", "NEW-TOTE", 0},
		{"order", "ORD-100234", KindOrder, FormPattern, "", "", "", "", "", "ORD-100234", 0},
		{"RMA", "RMA-5521", KindRMA, FormPattern, "", "", "", "", "", "RMA-5521", 0},
		{"a SKU is unknown", "SKU-4711", KindUnknown, "", "", "", "", "", "", "", 0},
		{"a short number is unknown", "4711", KindUnknown, "", "", "", "", "", "", "", 0},
		{"a number like an AI is unknown without GS1 signs", "1012345", KindUnknown, "", "", "", "", "", "", "", 0},
		{"an ordinary web address is unknown", "https://example.com/help", KindUnknown, "", "", "", "", "", "", "", 0},
		{"brackets without an AI are unknown", "(555) 123-4567", KindUnknown, "", "", "", "", "", "", "", 0},
		{"ITF of another length is unknown", "]I1123456", KindUnknown, "", "", "", "", "", "", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			aim, data := SplitAIM(tc.raw)
			m := in.Interpret(aim, data)
			if m.Err != nil {
				t.Fatalf("Interpret(%q, %q) rejected: %v", aim, data, m.Err)
			}
			exp := ""
			if !m.Expiry.IsZero() {
				exp = m.Expiry.Format("2006-01-02")
			}
			got := []string{string(m.Kind), m.Form, m.GTIN, m.SSCC, m.Lot, m.Serial, exp, m.Code}
			want := []string{string(tc.kind), tc.form, tc.gtin, tc.sscc, tc.lot, tc.serial, tc.expiry, tc.code}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("kind/form/gtin/sscc/lot/serial/expiry/code = %q\nwant                                     %q", got, want)
					break
				}
			}
			if len(m.AIs) != tc.nAIs {
				t.Errorf("%d AIs, want %d", len(m.AIs), tc.nAIs)
			}
			if m.Input != data || m.Symbology != aim {
				t.Errorf("input %q symbology %q, want %q %q", m.Input, m.Symbology, data, aim)
			}
		})
	}
}

func TestInterpretRejects(t *testing.T) {
	in := newTestInterpreter(t)
	tests := []struct {
		name string
		raw  string
		kind Kind
		msg  string
	}{
		{"empty", "", KindUnknown, "empty scan"},
		{"AIM only", "]C1", KindUnknown, "empty scan"},
		{"too long", strings.Repeat("A", MaxScanBytes+1), KindUnknown, "scan is 4097 bytes long; at most 4096 are accepted"},
		{"not UTF-8", "T0004\xff", KindUnknown, "scan is not valid UTF-8 (byte 0xFF at character 6)"},
		{"carriage return", "T00042\r", KindUnknown, "scan contains a carriage return (0x0D) at character 7; only GS (0x1D) is allowed"},
		{"NUL", "T00\x0042", KindUnknown, "scan contains control character 0x00 at character 4; only GS (0x1D) is allowed"},
		{"C1 control", "T00\u008542", KindUnknown, "scan contains control character U+0085 at character 4; only GS (0x1D) is allowed"},
		{"GTIN check digit", "4006381333932", KindGTIN, "GTIN check digit should be 1, not 2"},
		{"EAN-13 check digit", "]E04006381333932", KindGTIN, "GTIN check digit should be 1, not 2"},
		{"UPC-E check digit", "]E004252615", KindGTIN, "UPC-E check digit should be 4, not 5"},
		{"EAN symbol with odd data", "]E0ABC", KindGTIN, "]E0 data must be an EAN/UPC number (8, 12 or 13 digits), got 3 characters"},
		{"GS1 date", "]C10109501101530003\x1d17260231", KindGS1, "AI (17): 31 is not a day of February"},
		{"lost separator", "]C10109501101530003" + "10ABCDEFGHIJKLMNOPQRST17261231", KindGS1,
			"AI (10) is variable length and must be followed by a separator before AI (17)"},
		{"unprefixed (01) with a wrong check digit", "0109501101530004" + "10A", KindGS1, "AI (01): GTIN check digit should be 3, not 4"},
		{"bracketed", "(01)09501101530003(17)261332", KindGS1, "AI (17): month 13 does not exist"},
		{"Digital Link", "https://id.gs1.org/01/09501101530004", KindGS1, "AI (01): GTIN check digit should be 3, not 4"},
		{"site patterns are not tried on a GS1 symbol", "]C1T00042", KindGS1, `expected an application identifier (digits) at character 1, found "T"`},
		{"Digital Link in a GS1 symbol that is no DL", "]Q3https://example.com/about", KindGS1, "not a GS1 Digital Link URI"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			aim, data := SplitAIM(tc.raw)
			m := in.Interpret(aim, data)
			if m.Err == nil {
				t.Fatalf("Interpret(%q, %q) accepted as %s", aim, data, m.Kind)
			}
			if !strings.HasPrefix(m.Err.Error(), tc.msg) {
				t.Errorf("error %q\nwant  %q", m.Err.Error(), tc.msg)
			}
			if m.Kind != tc.kind {
				t.Errorf("kind %s, want %s", m.Kind, tc.kind)
			}
			if m.GTIN != "" || m.Lot != "" || len(m.AIs) != 0 {
				t.Errorf("rejected scan carries data: gtin %q lot %q AIs %d", m.GTIN, m.Lot, len(m.AIs))
			}
		})
	}
}

// Rejections are typed, so the pick flow can tell them apart.
func TestErrorsAreTyped(t *testing.T) {
	in := newTestInterpreter(t)
	m := in.Interpret("]C1", "0109501101530004")
	var ge *gs1.Error
	if !errors.As(m.Err, &ge) || ge.Problem != gs1.ProblemCheckDigit || ge.AI != "01" {
		t.Errorf("check digit: %#v", m.Err)
	}
	m = in.Interpret("", "T00042\n")
	var se *ScanError
	if !errors.As(m.Err, &se) || se.Offset != 6 {
		t.Errorf("control character: %#v", m.Err)
	}
}

func TestWarnings(t *testing.T) {
	in := newTestInterpreter(t)
	// A wedge scanner dropped the GS: accepted the standard way, with a
	// warning that says what the lot would otherwise be.
	m := in.Interpret("", "0109501101530003"+"10ABC12317261231")
	if m.Err != nil || m.Lot != "ABC12317261231" {
		t.Fatalf("lot %q err %v", m.Lot, m.Err)
	}
	if len(m.Warnings) != 1 || !strings.Contains(m.Warnings[0], `AI (10) is "ABC123"`) || !strings.Contains(m.Warnings[0], "(17)261231") {
		t.Errorf("warnings %q", m.Warnings)
	}
	if m.Uncertain != m.Warnings[0] {
		t.Errorf("uncertain %q", m.Uncertain)
	}
	// With separators there is nothing to suspect.
	m = in.Interpret("]C1", "0109501101530003"+"10ABC123\x1d17261231")
	if len(m.Warnings) != 0 {
		t.Errorf("warnings on a clean scan: %q", m.Warnings)
	}
	// A lot alone lacks its GTIN: GS1 allows it on another barcode.
	m = in.Interpret("]C1", "10ABC")
	if m.Err != nil || len(m.Warnings) != 1 || !strings.HasPrefix(m.Warnings[0], "AI (10) needs AI (01)") {
		t.Errorf("err %v warnings %q", m.Err, m.Warnings)
	}
	if m.Uncertain != "" {
		t.Errorf("a lot label without its GTIN is not uncertain: %q", m.Uncertain)
	}
}

func TestExpiry(t *testing.T) {
	in := newTestInterpreter(t)
	m := in.Interpret("]C1", "0109501101530003"+"17260228"+"10LOT7")
	day := func(y int, mo time.Month, d, h int) time.Time { return time.Date(y, mo, d, h, 0, 0, 0, time.UTC) }
	if m.Expired(day(2026, 2, 28, 23)) {
		t.Error("expired on its expiry day")
	}
	if !m.Expired(day(2026, 3, 1, 0)) {
		t.Error("not expired the day after")
	}
	err := m.CheckExpiry(day(2026, 3, 1, 8))
	var ee *ExpiredError
	if !errors.As(err, &ee) || ee.Lot != "LOT7" || err.Error() != "lot LOT7 expired on 2026-02-28" {
		t.Errorf("CheckExpiry = %v", err)
	}
	if err := m.CheckExpiry(day(2026, 2, 1, 8)); err != nil {
		t.Errorf("CheckExpiry before expiry = %v", err)
	}
	// The day is taken in its own time zone: 1 March 00:30 in Berlin is
	// still 28 February in UTC, but it is 1 March on the floor.
	berlin := time.FixedZone("CET", 3600)
	if !m.Expired(time.Date(2026, 3, 1, 0, 30, 0, 0, berlin)) {
		t.Error("the local date was not used")
	}
	noLot := in.Interpret("]C1", "0109501101530003"+"17260200")
	if err := noLot.CheckExpiry(day(2026, 3, 1, 0)); err == nil || err.Error() != "expired on 2026-02-28" {
		t.Errorf("CheckExpiry without lot = %v", err)
	}
	plain := in.Interpret("]E0", "4006381333931")
	if plain.Expired(day(2100, 1, 1, 0)) {
		t.Error("a scan without expiry expired")
	}
}

func TestMeaningHelpers(t *testing.T) {
	in := newTestInterpreter(t)
	m := in.Interpret("]C1", "0109501101530003"+"3103001250")
	if !m.OK() {
		t.Fatal(m.Err)
	}
	e, ok := m.AI("3103")
	if !ok || e.Decimal.String() != "1.250" {
		t.Errorf("AI(3103) = %+v %v", e, ok)
	}
	if _, ok := m.AI("10"); ok {
		t.Error("AI(10) found in a scan without it")
	}
}

func TestSplitAIM(t *testing.T) {
	for _, tc := range []struct{ raw, aim, data string }{
		{"]C1010950", "]C1", "010950"},
		{"]E04006381333931", "]E0", "4006381333931"},
		{"]d2", "]d2", ""},
		{"T00042", "", "T00042"},
		{"]]C1", "", "]]C1"},
		{"]C", "", "]C"},
		{"]1C0", "", "]1C0"},
		{"", "", ""},
	} {
		aim, data := SplitAIM(tc.raw)
		if aim != tc.aim || data != tc.data {
			t.Errorf("SplitAIM(%q) = %q, %q; want %q, %q", tc.raw, aim, data, tc.aim, tc.data)
		}
	}
}

func TestPatterns(t *testing.T) {
	// Unanchored patterns are anchored; a capture group gives the code;
	// an empty pattern switches a kind off.
	in, err := NewInterpreter(Patterns{Location: `LOC(\d{4})`, Tote: `\d{6}`, Command: ``})
	if err != nil {
		t.Fatal(err)
	}
	m := in.Interpret("", "LOC0042")
	if m.Kind != KindLocation || m.Code != "0042" {
		t.Errorf("LOC0042: %s %q", m.Kind, m.Code)
	}
	if m := in.Interpret("", "XLOC0042"); m.Kind != KindUnknown {
		t.Errorf("unanchored match: %s", m.Kind)
	}
	if m := in.Interpret("", "CMD:SHORT"); m.Kind != KindUnknown {
		t.Errorf("switched-off command pattern matched: %s", m.Kind)
	}
	// A numeric tote pattern takes unprefixed six-digit scans, never an
	// EAN symbol's data.
	if m := in.Interpret("", "123456"); m.Kind != KindTote {
		t.Errorf("123456 unprefixed: %s", m.Kind)
	}
	if m := in.Interpret("]E0", "123456"); m.Kind != KindGTIN {
		t.Errorf("123456 from an EAN symbol: %s", m.Kind)
	}
	// Site patterns come before GTINs for untagged data: a site that
	// numbers totes with 13 digits gets totes.
	in2, err := NewInterpreter(Patterns{Tote: `\d{13}`})
	if err != nil {
		t.Fatal(err)
	}
	if m := in2.Interpret("", "4006381333931"); m.Kind != KindTote {
		t.Errorf("13-digit tote: %s", m.Kind)
	}

	for _, tc := range []struct {
		p   Patterns
		msg string
	}{
		{Patterns{Location: `[A-`}, "location pattern \"[A-\" is not a valid regular expression: error parsing regexp: missing closing ]: `[A-`"},
		{Patterns{Badge: `B(\d+`}, `badge pattern "B(\\d+" is not a valid regular expression`},
		{Patterns{RMA: `(?<x)`}, `rma pattern "(?<x)" is not a valid regular expression`},
	} {
		_, err := NewInterpreter(tc.p)
		if err == nil || !strings.HasPrefix(err.Error(), tc.msg) {
			t.Errorf("NewInterpreter(%+v) = %v\nwant %q", tc.p, err, tc.msg)
		}
	}
}

// InterpretTo reuses the Meaning's AI slice and leaves nothing behind from
// the previous scan.
func TestInterpretToReuses(t *testing.T) {
	in := newTestInterpreter(t)
	var m Meaning
	in.InterpretTo(&m, "]C1", "0109501101530003"+"10L1\x1d21S1")
	first := &m.AIs[0]
	in.InterpretTo(&m, "]C1", "0109501101530003"+"17261231")
	if &m.AIs[0] != first {
		t.Error("AI slice not reused")
	}
	if m.Lot != "" || m.Serial != "" || len(m.AIs) != 2 {
		t.Errorf("stale data: lot %q serial %q AIs %d", m.Lot, m.Serial, len(m.AIs))
	}
	in.InterpretTo(&m, "", "T00042")
	if len(m.AIs) != 0 || m.GTIN != "" || m.Kind != KindTote {
		t.Errorf("after a tote: %+v", m)
	}
}

func TestInterpreterIsSafeForConcurrentUse(t *testing.T) {
	in := newTestInterpreter(t)
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			var m Meaning
			ok := true
			for i := 0; i < 500; i++ {
				in.InterpretTo(&m, "]C1", "010950110153000310ABC123\x1d17261231")
				ok = ok && m.Err == nil && m.Lot == "ABC123"
				in.InterpretTo(&m, "", "CMD:SHORT")
				ok = ok && m.Code == "SHORT"
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("a goroutine saw a wrong meaning")
		}
	}
}

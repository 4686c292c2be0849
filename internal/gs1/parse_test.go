package gs1

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// testParser reads two-digit years as if it were March 2026.
var testParser = &Parser{Now: func() time.Time { return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) }}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

type kv struct{ ai, value string }

func pairs(es []Element) []kv {
	var out []kv
	for _, e := range es {
		out = append(out, kv{e.AI, e.Value})
	}
	return out
}

func samePairs(a, b []kv) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Element strings the GS1 General Specifications allow, including the
// separator rules (section 7.8): variable-length values end with FNC1
// unless last; a needless FNC1 after a predefined-length value is harmless.
func TestParseElementStringAccepts(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []kv
	}{
		{"gtin lot expiry", "010950110153000310ABC123\x1d17261231",
			[]kv{{"01", "09501101530003"}, {"10", "ABC123"}, {"17", "261231"}}},
		{"needless GS after predefined length", "0109501101530003\x1d10ABC123\x1d17261231",
			[]kv{{"01", "09501101530003"}, {"10", "ABC123"}, {"17", "261231"}}},
		{"needless GS after every predefined value", "0109501101530003\x1d17261231\x1d10ABC",
			[]kv{{"01", "09501101530003"}, {"17", "261231"}, {"10", "ABC"}}},
		{"variable length last needs no GS", "011234567890123117261231" + "21SERIAL-9",
			[]kv{{"01", "12345678901231"}, {"17", "261231"}, {"21", "SERIAL-9"}}},
		{"leading GS (FNC1 sent as GS)", "\x1d0109501101530003",
			[]kv{{"01", "09501101530003"}}},
		{"trailing GS", "0109501101530003" + "10ABC\x1d",
			[]kv{{"01", "09501101530003"}, {"10", "ABC"}}},
		{"sscc", "00106141411234567897",
			[]kv{{"00", "106141411234567897"}}},
		{"pallet label", "00106141411234567897" + "0209501101530003" + "37120\x1d" + "15261231",
			[]kv{{"00", "106141411234567897"}, {"02", "09501101530003"}, {"37", "120"}, {"15", "261231"}}},
		{"4-digit AI weight", "01095011015300033103001250",
			[]kv{{"01", "09501101530003"}, {"3103", "001250"}}},
		{"3-digit AI GLN", "4145901234567893",
			[]kv{{"414", "5901234567893"}}},
		{"same AI twice with the same value", "10ABC\x1d10ABC\x1d0109501101530003",
			[]kv{{"10", "ABC"}, {"10", "ABC"}, {"01", "09501101530003"}}},
		{"CSET 82 punctuation", "0109501101530003" + `21!"%&'()*+,-./:;<=>?_`,
			[]kv{{"01", "09501101530003"}, {"21", `!"%&'()*+,-./:;<=>?_`}}},
		{"internal AI 91 with 90 characters", "91" + strings.Repeat("x", 90),
			[]kv{{"91", strings.Repeat("x", 90)}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := testParser.ParseElementString(tc.data, nil)
			if err != nil {
				t.Fatalf("ParseElementString(%q): %v", tc.data, err)
			}
			if !samePairs(pairs(got), tc.want) {
				t.Fatalf("ParseElementString(%q) = %v, want %v", tc.data, pairs(got), tc.want)
			}
		})
	}
}

func TestParseElementStringRejects(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		problem Problem
		msg     string
	}{
		{"GTIN check digit", "0109501101530004", ProblemCheckDigit,
			"AI (01): GTIN check digit should be 3, not 4"},
		{"SSCC check digit", "00106141411234567890", ProblemCheckDigit,
			"AI (00): SSCC check digit should be 7, not 0"},
		{"GLN check digit", "4145901234567890", ProblemCheckDigit,
			"AI (414): GLN check digit should be 3, not 0"},
		{"31 February", "0109501101530003\x1d17260231", ProblemDate,
			"AI (17): 31 is not a day of February"},
		{"29 February of a common year", "17250229", ProblemDate,
			"AI (17): 29 is not a day of February 2025"},
		{"31 April", "11260431", ProblemDate,
			"AI (11): 31 is not a day of April"},
		{"month 13", "17261301", ProblemDate,
			"AI (17): month 13 does not exist"},
		{"month 00", "17260001", ProblemDate,
			"AI (17): month 00 does not exist"},
		{"DD=00 where the dictionary says yymmdd", "0109501101530003" + "7006260100", ProblemDate,
			"AI (7006): day 00 (day not specified) is not allowed for this AI"},
		{"hour 24", "0109501101530003" + "70032612312400", ProblemDate,
			"AI (7003): hour 24 does not exist"},
		{"lost separator before a date", "0109501101530003" + "10ABCDEFGHIJKLMNOPQRST17261231", ProblemSeparator,
			"AI (10) is variable length and must be followed by a separator before AI (17)"},
		{"lost separator after fixed-length AI without predefined length", "0109501101530003" + "42225010ABC", ProblemSeparator,
			"AI (422) has no predefined length and must be followed by a separator before AI (10)"},
		{"predefined value cut short", "01095011015300", ProblemLength,
			"AI (01) needs 14 digits, but only 12 follow"},
		{"GS inside a predefined value", "010950110153\x1d0003", ProblemLength,
			"AI (01) needs 14 digits, but a separator comes after 10"},
		{"variable value too long", "0109501101530003" + "10ABCDEFGHIJKLMNOPQRSTU", ProblemLength,
			"AI (10) allows at most 20 characters, got 21"},
		{"fixed value without predefined length too short", "0109501101530003" + "42225", ProblemLength,
			"AI (422) needs 3 digits, got 2"},
		{"empty value", "0109501101530003" + "10\x1d17261231", ProblemLength,
			"AI (10) has no value"},
		{"two separators", "0109501101530003" + "10A\x1d\x1d17261231", ProblemSyntax,
			"two separators in a row at character 21"},
		{"only a separator", "\x1d", ProblemSyntax,
			"no GS1 data: the scan holds no application identifier"},
		{"unknown AI", "0109501101530003" + "2312345", ProblemUnknownAI,
			`no GS1 application identifier begins "2312" (character 17)`},
		{"not digits where an AI should be", "0109501101530003" + "AB", ProblemUnknownAI,
			`expected an application identifier (digits) at character 17, found "A"`},
		{"letter in a numeric value", "01095011015300A3", ProblemCharset,
			`AI (01): "A" at character 13 of the value is not allowed: only digits are allowed`},
		{"space in a lot", "0109501101530003" + "10AB C", ProblemCharset,
			`AI (10): a space at character 3 of the value is not allowed: only letters, digits and !"%&'()*+,-./:;<=>?_ are allowed (GS1 character set 82)`},
		{"non-ASCII in a lot", "0109501101530003" + "10ABé", ProblemCharset,
			`AI (10): "é" at character 3 of the value is not allowed`},
		{"same AI, different values", "0109501101530003" + "10ABC\x1d10ABD", ProblemDuplicate,
			`AI (10) appears twice with different values: "ABC" and "ABD"`},
		{"GTIN with CONTENT", "0109501101530003" + "0209501101530003", ProblemExclusive,
			"AI (02) and AI (01) may not appear together"},
		{"two net weights", "01095011015300033102000125" + "3103001250", ProblemExclusive,
			"AI (3102) and AI (3103) may not appear together"},
		{"currency code", "0109501101530003" + "3932" + "000" + "12345", ProblemContent,
			"AI (3932): 000 is not an ISO 4217 currency code"},
		{"country code", "0109501101530003" + "422999", ProblemContent,
			"AI (422): 999 is not an ISO 3166 country code"},
		{"piece exceeds total", "8006" + "09501101530003" + "0302", ProblemContent,
			"AI (8006): piece 03 is more than the total 02"},
		{"GMN check pair", "8013" + "1987654Ad4X4bL5ttr2310cXK", ProblemCheckDigit,
			"AI (8013): check characters should be 2K, not XK"},
		{"IBAN check digits", "415" + "5901234567893" + "\x1d8007" + "GB83WEST12345698765432", ProblemCheckDigit,
			"AI (8007): IBAN check digits 83 are wrong"},
		{"yes/no flag", "00106141411234567897" + "43212", ProblemContent,
			"AI (4321): 2 is not allowed here, only 0 (no) or 1 (yes)"},
		{"percent encoding", "00106141411234567897" + "4300ACME%2", ProblemContent,
			`AI (4300): "%" at character 5 must be followed by two hex digits`},
		{"latitude out of range", "00106141411234567897" + "4309" + "1800000001" + "0000000000", ProblemContent,
			"AI (4309): 1800000001 is out of range for a latitude (at most 1800000000)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := testParser.ParseElementString(tc.data, nil)
			if err == nil {
				t.Fatalf("ParseElementString(%q) = %v, want error %q", tc.data, pairs(got), tc.msg)
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("error %v is %T, want *gs1.Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.msg) {
				t.Errorf("error = %q\nwant    %q", err.Error(), tc.msg)
			}
			if ge.Problem != tc.problem {
				t.Errorf("problem = %d, want %d", ge.Problem, tc.problem)
			}
			if len(got) != 0 {
				t.Errorf("rejected data returned elements %v", pairs(got))
			}
		})
	}
}

func TestErrorOffsets(t *testing.T) {
	tests := []struct {
		data string
		off  int
	}{
		{"0109501101530004", 15},                             // the check digit
		{"0109501101530003" + "17261301", 20},                // the month
		{"0109501101530003" + "10A C", 19},                   // the space
		{"0109501101530003" + "2312345", 16},                 // the unknown AI
		{"0109501101530003" + "10ABCDEFGHIJKLMNOPQRSTU", 18}, // start of the too-long value
	}
	for _, tc := range tests {
		_, err := testParser.ParseElementString(tc.data, nil)
		var ge *Error
		if !errors.As(err, &ge) {
			t.Fatalf("%q: error %v, want *Error", tc.data, err)
		}
		if ge.Offset != tc.off {
			t.Errorf("%q: offset %d, want %d (%v)", tc.data, ge.Offset, tc.off, err)
		}
	}
}

func TestTypedValues(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		ai       string
		date     time.Time
		decimal  string
		currency string
	}{
		{"expiry", "17261231", "17", date(2026, 12, 31), "", ""},
		{"DD=00 is the last day of the month", "17260200", "17", date(2026, 2, 28), "", ""},
		{"DD=00 in a leap February", "15280200", "15", date(2028, 2, 29), "", ""},
		{"29 February of a leap year", "11240229", "11", date(2024, 2, 29), "", ""},
		{"two-digit year 51 ahead is last century", "11770101", "11", date(1977, 1, 1), "", ""},
		{"two-digit year 50 ahead is this century", "17760101", "17", date(2076, 1, 1), "", ""},
		{"eight-digit date", "8018" + "106141412345678908" + "\x1d7250" + "19800229", "7250", date(1980, 2, 29), "", ""},
		{"date and time", "0109501101530003" + "7003" + "2612311230", "7003", time.Date(2026, 12, 31, 12, 30, 0, 0, time.UTC), "", ""},
		{"production time with seconds", "0109501101530003" + "8008" + "26031108" + "1530", "8008", time.Date(2026, 3, 11, 8, 15, 30, 0, time.UTC), "", ""},
		{"net weight kg, 3 decimals", "0109501101530003" + "3103001250", "3103", time.Time{}, "1.250", ""},
		{"net weight lb, 0 decimals", "0109501101530003" + "3200000042", "3200", time.Time{}, "42", ""},
		{"5 decimals below one", "0109501101530003" + "3105000123", "3105", time.Time{}, "0.00123", ""},
		{"price, 2 decimals", "0109501101530003" + "30" + "2\x1d" + "3922" + "1299", "3922", time.Time{}, "12.99", ""},
		{"price with currency", "0109501101530003" + "30" + "2\x1d" + "3932" + "978" + "1299", "3932", time.Time{}, "12.99", "978"},
		{"percent off", "255" + "0614141000418" + "\x1d3941" + "0150", "3941", time.Time{}, "15.0", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			es, err := testParser.ParseElementString(tc.data, nil)
			if err != nil {
				t.Fatalf("ParseElementString(%q): %v", tc.data, err)
			}
			var e *Element
			for i := range es {
				if es[i].AI == tc.ai {
					e = &es[i]
				}
			}
			if e == nil {
				t.Fatalf("no AI (%s) in %v", tc.ai, pairs(es))
			}
			if !e.Date.Equal(tc.date) {
				t.Errorf("date = %v, want %v", e.Date, tc.date)
			}
			if e.Decimal.String() != tc.decimal {
				t.Errorf("decimal = %q, want %q", e.Decimal.String(), tc.decimal)
			}
			if e.Decimal.Valid != (tc.decimal != "") {
				t.Errorf("decimal valid = %v", e.Decimal.Valid)
			}
			if e.Currency != tc.currency {
				t.Errorf("currency = %q, want %q", e.Currency, tc.currency)
			}
		})
	}
}

func TestMaxData(t *testing.T) {
	huge := strings.Repeat("2012", MaxData/4+1)
	for name, parse := range map[string]func(string) ([]Element, error){
		"element string": ParseElementString,
		"bracketed":      ParseBracketed,
		"digital link":   ParseDigitalLink,
	} {
		_, err := parse(huge)
		var ge *Error
		if !errors.As(err, &ge) || ge.Problem != ProblemLength || err.Error() != "GS1 data is 8196 bytes long; no GS1 barcode holds more than 8192" {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Just under the limit, two thousand AIs are still read.
	es, err := ParseElementString(strings.Repeat("2012", MaxData/4))
	if err != nil || len(es) != MaxData/4 {
		t.Errorf("at the limit: %d elements, %v", len(es), err)
	}
}

func TestDecimalFloat(t *testing.T) {
	d := Decimal{Units: 1250, Places: 3, Valid: true}
	if f := d.Float64(); f < 1.2499 || f > 1.2501 {
		t.Errorf("Float64 = %v, want 1.25", f)
	}
	if s := (Decimal{}).String(); s != "" {
		t.Errorf("zero Decimal String = %q, want empty", s)
	}
}

func TestFullYear(t *testing.T) {
	tests := []struct{ yy, ref, want int }{
		{26, 2026, 2026},
		{76, 2026, 2076}, // +50: this century
		{77, 2026, 1977}, // +51: last century
		{0, 2026, 2000},
		{30, 2080, 2130}, // -50: next century
		{31, 2080, 2031}, // -49: this century
		{99, 2000, 1999},
	}
	for _, tc := range tests {
		if got := FullYear(tc.yy, tc.ref); got != tc.want {
			t.Errorf("FullYear(%d, %d) = %d, want %d", tc.yy, tc.ref, got, tc.want)
		}
	}
}

// The century is read from the parser's clock, not the system's.
func TestCenturyFollowsClock(t *testing.T) {
	p := &Parser{Now: func() time.Time { return time.Date(2080, 1, 1, 0, 0, 0, 0, time.UTC) }}
	es, err := p.ParseElementString("17300101", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := date(2130, 1, 1); !es[0].Date.Equal(want) {
		t.Errorf("date = %v, want %v", es[0].Date, want)
	}
}

func TestAppendsToDst(t *testing.T) {
	dst := make([]Element, 1, 8)
	dst[0] = Element{AI: "99", Value: "kept"}
	got, err := testParser.ParseElementString("0109501101530003", dst)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Value != "kept" || got[1].AI != "01" {
		t.Fatalf("got %v", pairs(got))
	}
	// A rejection leaves dst as it was.
	got, err = testParser.ParseElementString("0109501101530004", dst)
	if err == nil || len(got) != 1 || got[0].Value != "kept" {
		t.Fatalf("after rejection got %v, %v", pairs(got), err)
	}
}

func TestSplitSwallowed(t *testing.T) {
	es, err := testParser.ParseElementString("0109501101530003"+"10ABC12317261231", nil)
	if err != nil {
		t.Fatal(err)
	}
	value, hidden, ok := testParser.SplitSwallowed(es[1])
	if !ok || value != "ABC123" || len(hidden) != 1 || hidden[0].AI != "17" || hidden[0].Value != "261231" {
		t.Fatalf("SplitSwallowed = %q %v %v", value, pairs(hidden), ok)
	}
	if _, _, ok := testParser.SplitSwallowed(Element{AI: "10", Value: "PLAINLOT"}); ok {
		t.Error("SplitSwallowed found AIs in a plain lot")
	}
	if _, _, ok := testParser.SplitSwallowed(es[0]); ok {
		t.Error("SplitSwallowed split a predefined-length value")
	}
}

func TestCheckPairs(t *testing.T) {
	es, err := testParser.ParseElementString("10ABC", nil)
	if err != nil {
		t.Fatal(err)
	}
	err = testParser.CheckPairs(es)
	var ge *Error
	if !errors.As(err, &ge) || ge.Problem != ProblemPairing {
		t.Fatalf("CheckPairs = %v, want a pairing error", err)
	}
	if want := "AI (10) needs AI (01), (02), (03), (8006) or (8026) with it"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	es, _ = testParser.ParseElementString("0109501101530003"+"10ABC", nil)
	if err := testParser.CheckPairs(es); err != nil {
		t.Errorf("CheckPairs(01+10) = %v", err)
	}
	// "01+21": a pattern of several AIs that must all be there.
	es, _ = testParser.ParseElementString("0109501101530003"+"7004"+"12", nil)
	if err := testParser.CheckPairs(es); err == nil || err.Error() != "AI (7004) needs AI (01) with (10) with it" {
		t.Errorf("CheckPairs(01+7004) = %v", err)
	}
}

func TestBracketed(t *testing.T) {
	es, err := testParser.ParseBracketed("(01)09501101530003(10)AB\\(C)(17)261231", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []kv{{"01", "09501101530003"}, {"10", "AB(C)"}, {"17", "261231"}}
	if !samePairs(pairs(es), want) {
		t.Fatalf("got %v, want %v", pairs(es), want)
	}
	if got := Bracketed(es); got != "(01)09501101530003(10)AB\\(C)(17)261231" {
		t.Errorf("Bracketed = %q", got)
	}
	if got := testParser.ElementString(es); got != "0109501101530003"+"10AB(C)\x1d"+"17261231" {
		t.Errorf("ElementString = %q", got)
	}

	for _, tc := range []struct{ in, msg string }{
		{"", "no GS1 data: the bracketed form is empty"},
		{"01)0950", `bracketed form: expected "(" at character 1, found "0"`},
		{"(01", `bracketed form: "(" at character 1 is never closed`},
		{"(23)123", "(23) at character 1 is not a GS1 application identifier"},
		{"(01)09501101530003(10)", "AI (10) has no value"},
		{"(01)09501101530004", "AI (01): GTIN check digit should be 3, not 4"},
		{"(01)09501101530003(02)09501101530003", "AI (02) and AI (01) may not appear together"},
		{"(10)A(B", "bracketed form: \"(\" at character 6 is never closed"},
	} {
		_, err := testParser.ParseBracketed(tc.in, nil)
		if err == nil || err.Error() != tc.msg {
			t.Errorf("ParseBracketed(%q) error %v, want %q", tc.in, err, tc.msg)
		}
	}
}

func TestPackageFunctionsUseStandardDictionary(t *testing.T) {
	es, err := ParseElementString("0109501101530003")
	if err != nil || len(es) != 1 {
		t.Fatalf("ParseElementString: %v %v", es, err)
	}
	es, err = ParseBracketed("(01)09501101530003")
	if err != nil || len(es) != 1 {
		t.Fatalf("ParseBracketed: %v %v", es, err)
	}
	es, err = ParseDigitalLink("https://id.gs1.org/01/09501101530003")
	if err != nil || len(es) != 1 {
		t.Fatalf("ParseDigitalLink: %v %v", es, err)
	}
}

package gs1

import (
	"errors"
	"testing"
)

func TestCheckGTIN(t *testing.T) {
	good := []string{"96385074", "042100005264", "4006381333931", "09501101530003", "00012345600012"}
	for _, s := range good {
		if err := CheckGTIN("GTIN", s); err != nil {
			t.Errorf("CheckGTIN(%q) = %v", s, err)
		}
	}
	bad := []struct{ in, msg string }{
		{"96385075", "GTIN check digit should be 4, not 5"},
		{"4006381333932", "GTIN check digit should be 1, not 2"},
		{"09501101530004", "GTIN check digit should be 3, not 4"},
		{"1234567", "GTIN has 7 digits; a GTIN has 8, 12, 13 or 14"},
		{"40063813339X1", `GTIN: "X" at character 12 is not a digit`},
	}
	for _, tc := range bad {
		err := CheckGTIN("GTIN", tc.in)
		if err == nil || err.Error() != tc.msg {
			t.Errorf("CheckGTIN(%q) = %v, want %q", tc.in, err, tc.msg)
		}
	}
	var ge *Error
	if err := CheckGTIN("GTIN", "96385075"); !errors.As(err, &ge) || ge.Problem != ProblemCheckDigit || ge.Offset != 7 {
		t.Errorf("check digit error not typed: %#v", err)
	}
}

func TestGTIN14(t *testing.T) {
	for in, want := range map[string]string{
		"96385074":       "00000096385074",
		"042100005264":   "00042100005264",
		"4006381333931":  "04006381333931",
		"09501101530003": "09501101530003",
	} {
		if got := GTIN14(in); got != want {
			t.Errorf("GTIN14(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckDigit(t *testing.T) {
	for in, want := range map[string]int{
		"0950110153000":     3, // GTIN-13 body of (01)09501101530003
		"10614141123456789": 7, // SSCC body
		"590123456789":      3, // GLN body
		"9638507":           4, // EAN-8 body
	} {
		if got := CheckDigit(in); got != want {
			t.Errorf("CheckDigit(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestCheckPair(t *testing.T) {
	// Examples from the GS1 General Specifications / syntax tests.
	for _, s := range []string{"1987654Ad4X4bL5ttr2310c2K", "12345678901234567890123NT", "12345_ABCDEFGHIJKLMCP", "00000!HV"} {
		got, ok := CheckPair(s[:len(s)-2])
		if !ok || got != s[len(s)-2:] {
			t.Errorf("CheckPair(%q) = %q, want %q", s[:len(s)-2], got, s[len(s)-2:])
		}
	}
	if _, ok := CheckPair("a b"); ok {
		t.Error("CheckPair accepted a space")
	}
}

func TestExpandUPCE(t *testing.T) {
	tests := []struct{ upce, upca string }{
		{"04252614", "042100005264"}, // last digit 1: manufacturer 421 00
		{"01234565", "012345000065"}, // last digit 5..9
		{"0123450", "012000003455"},  // 7 digits, last digit 0
		{"123453", "012300000451"},   // 6 digits, last digit 3
		{"0123454", "012340000053"},  // last digit 4
		{"11234562", "112345000062"}, // number system 1
	}
	for _, tc := range tests {
		got, err := ExpandUPCE(tc.upce)
		if err != nil || got != tc.upca {
			t.Errorf("ExpandUPCE(%q) = %q, %v; want %q", tc.upce, got, err, tc.upca)
		}
		if err := CheckGTIN("UPC-A", got); err != nil {
			t.Errorf("expansion %q is no valid UPC-A: %v", got, err)
		}
	}
	for _, tc := range []struct{ in, msg string }{
		{"04252615", "UPC-E check digit should be 4, not 5"},
		{"24252614", "UPC-E number system must be 0 or 1, not 2"},
		{"12345", "UPC-E has 6, 7 or 8 digits, got 5"},
		{"0425261A", `UPC-E: "A" at character 8 is not a digit`},
	} {
		_, err := ExpandUPCE(tc.in)
		if err == nil || err.Error() != tc.msg {
			t.Errorf("ExpandUPCE(%q) error %v, want %q", tc.in, err, tc.msg)
		}
	}
}

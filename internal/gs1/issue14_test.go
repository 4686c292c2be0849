package gs1

import (
	"errors"
	"strings"
	"testing"
)

// Issue 14: the price and amount AIs take the ISO 4217 codes in use today
// and refuse withdrawn ones, naming them.
func TestCurrencyCodes(t *testing.T) {
	const gtin = "0109501101530003"
	tests := []struct {
		name, data string
		msg        string // "" when accepted
	}{
		{"XAD Arab Accounting Dinar (396)", gtin + "3932" + "396" + "1299", ""},
		{"ZWG Zimbabwe Gold (924)", gtin + "3932" + "924" + "1299", ""},
		{"VED bolívar digital (926)", gtin + "3932" + "926" + "1299", ""},
		{"XCG Caribbean guilder (532)", gtin + "3932" + "532" + "1299", ""},
		{"euro", gtin + "3932" + "978" + "1299", ""},
		{"amount payable, ZWG", "8020" + "INV-1\x1d" + "415" + "5901234567893" + "3912" + "924" + "50000", ""},
		{"HRK (191), Croatia joined the euro", gtin + "3932" + "191" + "1299",
			"AI (3932): currency 191 (HRK) has been withdrawn from ISO 4217 and is no longer in use"},
		{"SLL (694), old leone", gtin + "3932" + "694" + "1299",
			"AI (3932): currency 694 (SLL) has been withdrawn from ISO 4217"},
		{"CUC (931)", gtin + "3932" + "931" + "1299",
			"AI (3932): currency 931 (CUC) has been withdrawn from ISO 4217"},
		{"ZWL (932)", gtin + "3932" + "932" + "1299",
			"AI (3932): currency 932 (ZWL) has been withdrawn from ISO 4217"},
		{"BGN (975), Bulgaria joined the euro", gtin + "3932" + "975" + "1299",
			"AI (3932): currency 975 (BGN) has been withdrawn from ISO 4217"},
		{"amount payable in HRK", "8020" + "INV-1\x1d" + "415" + "5901234567893" + "3912" + "191" + "50000",
			"AI (3912): currency 191 (HRK) has been withdrawn from ISO 4217"},
		{"never a currency", gtin + "3932" + "123" + "1299",
			"AI (3932): 123 is not an ISO 4217 currency code"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkRead(t, tc.data, tc.msg, ProblemContent)
		})
	}
	// The same rule in a Digital Link query.
	if _, err := testParser.ParseDigitalLink("https://id.gs1.org/01/09501101530003?3932=9241299", nil); err != nil {
		t.Errorf("Digital Link with ZWG: %v", err)
	}
	if _, err := testParser.ParseDigitalLink("https://id.gs1.org/01/09501101530003?3932=1911299", nil); err == nil {
		t.Error("Digital Link with HRK accepted")
	}
}

// The table is well formed and the count matches the published list, so a
// typo (a lost code, a pair out of step) fails here.
func TestISO4217Table(t *testing.T) {
	if len(iso4217) != 178 {
		t.Errorf("%d currency codes, List One of 2026-01-01 has 178", len(iso4217))
	}
	alphas := map[string]string{}
	for num, alpha := range iso4217 {
		if len(num) != 3 || !allDigits(num) || len(alpha) != 3 || strings.ToUpper(alpha) != alpha || allDigits(alpha) {
			t.Errorf("bad pair %q %q", num, alpha)
		}
		if other, dup := alphas[alpha]; dup {
			t.Errorf("%s is both %s and %s", alpha, num, other)
		}
		alphas[alpha] = num
		if _, gone := iso4217Withdrawn[num]; gone {
			t.Errorf("%s is both current and withdrawn", num)
		}
	}
	if len(iso4217Withdrawn) != 5 {
		t.Errorf("withdrawn table has %d codes", len(iso4217Withdrawn))
	}
}

// Issue 14: (8030) is base64url (GS1 character set 64) whose "=" padding
// may only be one or two characters that make the length a multiple of 3,
// and it signs a serialised key in the same barcode.
func TestDigitalSignature(t *testing.T) {
	const sscc = "00106141411234567897"
	tests := []struct {
		name, data string
		problem    Problem
		msg        string // "" when accepted
	}{
		{"no padding", sscc + "8030" + "ABCD", 0, ""},
		{"one = to a multiple of 3", sscc + "8030" + "AB=", 0, ""},
		{"two = to a multiple of 3", sscc + "8030" + "A==", 0, ""},
		{"base64url alphabet", sscc + "8030" + "az09-_", 0, ""},
		{"padding past a multiple of 3", sscc + "8030" + "ABC=", ProblemCharset,
			`AI (8030): the value ends in 1 "=" at character 4, which is not valid padding`},
		{"two = past a multiple of 3", sscc + "8030" + "AB==", ProblemCharset,
			`AI (8030): the value ends in 2 "=" at character 3, which is not valid padding`},
		{"three =", sscc + "8030" + "ABC===", ProblemCharset,
			`AI (8030): the value ends in 3 "=" at character 4, which is not valid padding`},
		{"only padding", sscc + "8030" + "===", ProblemCharset,
			`AI (8030): the value ends in 3 "=" at character 1`},
		{"a lone =", sscc + "8030" + "=", ProblemCharset,
			`AI (8030): the value ends in 1 "=" at character 1`},
		{"= inside the value", sscc + "8030" + "AB=C", ProblemCharset,
			`AI (8030): "=" at character 3 of the value is not allowed`},

		{"signs GTIN with serial", "0109501101530003" + "21S1\x1d" + "8030" + "ABC", 0, ""},
		{"signs GDTI with serial", "253" + "4012345000016" + "DOC7\x1d" + "8030" + "ABC", 0, ""},
		{"signs GCN with serial", "255" + "0614141000418" + "12\x1d" + "8030" + "ABC", 0, ""},
		{"signs GRAI with serial", "8003" + "0" + "4012345000016" + "R9\x1d" + "8030" + "ABC", 0, ""},
		{"signs GIAI", "8004" + "4012ASSET7\x1d" + "8030" + "ABC", 0, ""},
		{"signs CPID with serial", "8010" + "4012-PART\x1d" + "8011" + "77\x1d" + "8030" + "ABC", 0, ""},
		{"signs nothing", "8030" + "ABC", ProblemPairing,
			"AI (8030) is a digital signature and needs the serialised key it signs in the same barcode: AI (00), (01) with (21), (253), (255), (8003), (8004), (8006) with (21), (8010) with (8011), (8017) or (8018)"},
		{"signs a GTIN without serial", "0109501101530003" + "8030" + "ABC", ProblemPairing,
			"AI (8030) is a digital signature and needs the serialised key it signs in the same barcode"},
		{"signs a lot, not a serial", "0109501101530003" + "10L1\x1d" + "8030" + "ABC", ProblemPairing,
			"AI (8030) is a digital signature and needs the serialised key it signs in the same barcode"},
		{"signs a GDTI without serial", "253" + "4012345000016" + "\x1d8030" + "ABC", ProblemPairing,
			"AI (253) 4012345000016 has no serial part, but AI (8030) is a digital signature and may only sign a serialised key"},
		{"signs a GCN without serial", "255" + "0614141000418" + "\x1d8030" + "ABC", ProblemPairing,
			"AI (255) 0614141000418 has no serial part"},
		{"signs a GRAI without serial", "8003" + "0" + "4012345000016" + "\x1d8030" + "ABC", ProblemPairing,
			"AI (8003) 04012345000016 has no serial part"},
		{"a serialised GTIN beside a GDTI without serial", "0109501101530003" + "21S1\x1d" + "253" + "4012345000016" + "\x1d8030" + "ABC", ProblemPairing,
			"AI (253) 4012345000016 has no serial part"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkRead(t, tc.data, tc.msg, tc.problem)
		})
	}
}

func TestDigitalSignatureOtherForms(t *testing.T) {
	if _, err := testParser.ParseBracketed("(01)09501101530003(21)S1(8030)AB=", nil); err != nil {
		t.Errorf("bracketed, serialised: %v", err)
	}
	if _, err := testParser.ParseBracketed("(01)09501101530003(8030)AB=", nil); err == nil {
		t.Error("bracketed, GTIN without serial: accepted")
	}
	if _, err := testParser.ParseBracketed("(00)106141411234567897(8030)ABC=", nil); err == nil {
		t.Error("bracketed, bad padding: accepted")
	}
	if _, err := testParser.ParseDigitalLink("https://id.gs1.org/01/09501101530003/21/S1?8030=AB%3D", nil); err != nil {
		t.Errorf("Digital Link, serialised: %v", err)
	}
	if _, err := testParser.ParseDigitalLink("https://id.gs1.org/01/09501101530003/10/L1?8030=ABC", nil); err == nil {
		t.Error("Digital Link, GTIN with lot but no serial: accepted")
	}
}

// checkRead parses an element string and checks it is accepted (msg "")
// or refused with a message starting msg, the Problem, and no elements.
func checkRead(t *testing.T, data, msg string, problem Problem) {
	t.Helper()
	got, err := testParser.ParseElementString(data, nil)
	if msg == "" {
		if err != nil {
			t.Fatalf("ParseElementString(%q): %v", data, err)
		}
		return
	}
	if err == nil {
		t.Fatalf("ParseElementString(%q) = %v, want error %q", data, pairs(got), msg)
	}
	var ge *Error
	if !errors.As(err, &ge) {
		t.Fatalf("error %v is %T, want *gs1.Error", err, err)
	}
	if !strings.HasPrefix(err.Error(), msg) {
		t.Errorf("error = %q\nwant    %q", err.Error(), msg)
	}
	if ge.Problem != problem {
		t.Errorf("problem = %d, want %d", ge.Problem, problem)
	}
	if len(got) != 0 {
		t.Errorf("rejected data returned %v", pairs(got))
	}
}

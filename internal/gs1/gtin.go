package gs1

import "fmt"

// CheckGTIN verifies a GTIN-8, -12, -13 or -14: digits only, a valid length
// and the right check digit. name is what the message calls it ("GTIN",
// "EAN-13", "UPC-A", ...).
func CheckGTIN(name, s string) error {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return &Error{Offset: -1, Problem: ProblemLength,
			Msg: fmt.Sprintf("%s has %d digits; a GTIN has 8, 12, 13 or 14", name, len(s))}
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return &Error{Offset: i, Problem: ProblemCharset,
				Msg: fmt.Sprintf("%s: %s at character %d is not a digit", name, describeRune(firstRune(s[i:])), i+1)}
		}
	}
	want := CheckDigit(s[:len(s)-1])
	if got := int(s[len(s)-1] - '0'); got != want {
		return &Error{Offset: len(s) - 1, Problem: ProblemCheckDigit,
			Msg: fmt.Sprintf("%s check digit should be %d, not %d", name, want, got)}
	}
	return nil
}

// GTIN14 pads a checked GTIN-8, -12 or -13 with zeros to the 14 digits GS1
// uses to compare GTINs. It returns a 14-digit GTIN unchanged.
func GTIN14(s string) string {
	const zeros = "000000"
	if len(s) >= 14 || len(s) < 8 {
		return s
	}
	return zeros[:14-len(s)] + s
}

// ExpandUPCE expands a UPC-E number to its 12-digit UPC-A. It takes the 8
// digits a scanner sends (number system 0 or 1, six digits, check digit),
// or 7 (no check digit) or 6 (number system 0, no check digit). A check
// digit that is given is verified against the expansion.
func ExpandUPCE(s string) (string, error) {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return "", &Error{Offset: i, Problem: ProblemCharset,
				Msg: fmt.Sprintf("UPC-E: %s at character %d is not a digit", describeRune(firstRune(s[i:])), i+1)}
		}
	}
	ns, d, check := byte('0'), "", byte(0)
	switch len(s) {
	case 6:
		d = s
	case 7:
		ns, d = s[0], s[1:]
	case 8:
		ns, d, check = s[0], s[1:7], s[7]
	default:
		return "", &Error{Offset: -1, Problem: ProblemLength,
			Msg: fmt.Sprintf("UPC-E has 6, 7 or 8 digits, got %d", len(s))}
	}
	if ns != '0' && ns != '1' {
		return "", &Error{Offset: 0, Problem: ProblemContent,
			Msg: fmt.Sprintf("UPC-E number system must be 0 or 1, not %c", ns)}
	}
	var body string
	switch d[5] {
	case '0', '1', '2':
		body = d[0:2] + d[5:6] + "0000" + d[2:5]
	case '3':
		body = d[0:3] + "00000" + d[3:5]
	case '4':
		body = d[0:4] + "00000" + d[4:5]
	default:
		body = d[0:5] + "0000" + d[5:6]
	}
	upca := string(ns) + body
	want := byte('0' + CheckDigit(upca))
	if check != 0 && check != want {
		return "", &Error{Offset: 7, Problem: ProblemCheckDigit,
			Msg: fmt.Sprintf("UPC-E check digit should be %c, not %c", want, check)}
	}
	return upca + string(want), nil
}

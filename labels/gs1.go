package labels

import (
	"github.com/totewms/tote/internal/gs1"

	"errors"
	"fmt"
	"strconv"
	"strings"
)

// GS1Element is one GS1 application identifier and its value, e.g. AI "00"
// with an 18-digit SSCC.
type GS1Element struct {
	AI    string
	Value string
}

// aiSpec is what the labels need to know of an application identifier.
type aiSpec struct {
	fixed    int  // predefined value length; 0 when the value is variable and needs FNC1 after it
	max      int  // longest value
	numeric  bool // digits only
	checksum bool // last digit is a GS1 mod-10 check digit
}

// lookupAI knows the identifiers tote prints. The full table is
// shared/data/gs1-syntax-dictionary.txt; a label never needs more than these.
func lookupAI(ai string) (aiSpec, bool) {
	switch ai {
	case "00": // SSCC
		return aiSpec{fixed: 18, max: 18, numeric: true, checksum: true}, true
	case "01", "02": // GTIN, GTIN of contained items
		return aiSpec{fixed: 14, max: 14, numeric: true, checksum: true}, true
	case "10", "21": // batch or lot, serial number
		return aiSpec{max: 20}, true
	case "37": // count of trade items
		return aiSpec{max: 8, numeric: true}, true
	case "400", "401": // customer's purchase order number, consignment number
		return aiSpec{max: 30}, true
	case "410", "413": // ship to GLN, ship for GLN
		return aiSpec{fixed: 13, max: 13, numeric: true, checksum: true}, true
	case "420": // ship-to postal code
		return aiSpec{max: 20}, true
	}
	return aiSpec{}, false
}

// isGS1Char reports whether c is in GS1 character set 82, the characters an
// alphanumeric AI value may hold.
func isGS1Char(c byte) bool {
	switch {
	case c >= '0' && c <= '9', c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		return true
	}
	return strings.IndexByte(`!"%&'()*+,-./:;<=>?_`, c) >= 0
}

// checkElement checks one element. In Data Matrix, ZPL uses _ as its escape
// character (_1 is FNC1), so an underscore in a value could not be printed
// as itself there and is refused.
func checkElement(e GS1Element, matrix bool) error {
	spec, ok := lookupAI(e.AI)
	if !ok {
		return fmt.Errorf("GS1 application identifier (%s) is not one tote prints", e.AI)
	}
	v := e.Value
	switch {
	case v == "":
		return fmt.Errorf("GS1 (%s) has an empty value", e.AI)
	case spec.fixed > 0 && len(v) != spec.fixed:
		return fmt.Errorf("GS1 (%s) value %q must be %d characters, not %d", e.AI, v, spec.fixed, len(v))
	case len(v) > spec.max:
		return fmt.Errorf("GS1 (%s) value is %d characters; at most %d are allowed", e.AI, len(v), spec.max)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if spec.numeric && (c < '0' || c > '9') {
			return fmt.Errorf("GS1 (%s) value %q must be digits only", e.AI, v)
		}
		if !isGS1Char(c) {
			return fmt.Errorf("GS1 (%s) value %q holds %q, which is not in the GS1 character set", e.AI, v, c)
		}
		if matrix && c == '_' {
			return fmt.Errorf("GS1 (%s) value %q holds an underscore, which a ZPL Data Matrix cannot carry", e.AI, v)
		}
		if !matrix && c == '>' {
			return fmt.Errorf("GS1 (%s) value %q holds >, which tote does not print in Code 128 (it is ZPL's invocation character)", e.AI, v)
		}
	}
	if spec.checksum && !validCheckDigit(v) {
		return fmt.Errorf("GS1 (%s) value %s has a wrong check digit (want %c)", e.AI, v, checkDigit(v[:len(v)-1]))
	}
	return nil
}

func checkElements(es []GS1Element, matrix bool) error {
	if len(es) == 0 {
		return errors.New("GS1 barcode has no elements")
	}
	for _, e := range es {
		if err := checkElement(e, matrix); err != nil {
			return err
		}
	}
	return nil
}

// gs1Symbols is the Code 128 content of checked elements: FNC1 first, then
// each AI and value, with FNC1 after every variable-length value but the last.
func gs1Symbols(es []GS1Element) []int {
	s := []int{fnc1}
	for i, e := range es {
		for _, c := range []byte(e.AI + e.Value) {
			s = append(s, int(c))
		}
		if spec, _ := lookupAI(e.AI); spec.fixed == 0 && i < len(es)-1 {
			s = append(s, fnc1)
		}
	}
	return s
}

// HumanReadable is the GS1 human-readable form of the elements, e.g.
// "(00)106141411234567897(400)A-1001".
func HumanReadable(es []GS1Element) string {
	var b strings.Builder
	for _, e := range es {
		b.WriteString("(" + e.AI + ")" + e.Value)
	}
	return b.String()
}

// checkDigit is the GS1 mod-10 check digit of digits, as its character.
func checkDigit(digits string) byte { return byte('0' + gs1.CheckDigit(digits)) }

func validCheckDigit(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return len(v) >= 2 && checkDigit(v[:len(v)-1]) == v[len(v)-1]
}

// SSCC builds an 18-digit serial shipping container code: the extension
// digit, the GS1 company prefix (4 to 12 digits), the serial reference padded
// with zeros to fill the 16 digits left after the extension digit and the
// prefix, and the check digit. A serial that needs more digits than the
// prefix leaves is refused, never cut.
func SSCC(companyPrefix string, extension int, serial uint64) (string, error) {
	if len(companyPrefix) < 4 || len(companyPrefix) > 12 {
		return "", fmt.Errorf("GS1 company prefix %q must be 4 to 12 digits", companyPrefix)
	}
	for i := 0; i < len(companyPrefix); i++ {
		if c := companyPrefix[i]; c < '0' || c > '9' {
			return "", fmt.Errorf("GS1 company prefix %q must be digits only", companyPrefix)
		}
	}
	if extension < 0 || extension > 9 {
		return "", fmt.Errorf("SSCC extension digit %d must be 0 to 9", extension)
	}
	width := 16 - len(companyPrefix)
	ref := strconv.FormatUint(serial, 10)
	if len(ref) > width {
		return "", fmt.Errorf("SSCC serial %d does not fit in the %d digits left by the %d-digit company prefix %s",
			serial, width, len(companyPrefix), companyPrefix)
	}
	body := strconv.Itoa(extension) + companyPrefix + strings.Repeat("0", width-len(ref)) + ref
	return body + string(checkDigit(body)), nil
}

// StationDigits is how many digits of an SSCC serial reference (and of a
// tracking number) carry the issuing station's number.
const StationDigits = 3

// StationSSCC is the SSCC of the n-th carton (1, 2, 3, …) a station
// labels: the station's number (1–999, given by the hub) in the first
// StationDigits digits of the serial reference and n in the rest, so two
// stations sharing a company prefix and extension digit never issue the
// same SSCC. When n no longer fits in what the prefix leaves, it is
// refused, never cut or wrapped.
func StationSSCC(companyPrefix string, extension, station int, n uint64) (string, error) {
	if station < 1 || station > 999 {
		return "", fmt.Errorf("station number %d must be 1 to 999", station)
	}
	width := 16 - len(companyPrefix) - StationDigits
	if width < 1 {
		return "", fmt.Errorf("GS1 company prefix %q leaves no digits for carton numbers after the station number", companyPrefix)
	}
	limit := uint64(1)
	for range width {
		limit *= 10
	}
	if n < 1 || n >= limit {
		return "", fmt.Errorf("carton number %d does not fit in the %d digits the %d-digit company prefix and the station number leave (at most %d cartons per station)",
			n, width, len(companyPrefix), limit-1)
	}
	return SSCC(companyPrefix, extension, uint64(station)*limit+n)
}

// ValidateSSCC checks that s is 18 digits with a correct check digit.
func ValidateSSCC(s string) error {
	if len(s) != 18 {
		return fmt.Errorf("SSCC %q must be 18 digits, not %d characters", s, len(s))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return fmt.Errorf("SSCC %q must be digits only", s)
		}
	}
	if want := checkDigit(s[:17]); s[17] != want {
		return fmt.Errorf("SSCC %s has check digit %c; it should be %c", s, s[17], want)
	}
	return nil
}

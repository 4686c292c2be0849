package gs1

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Character classes as bit flags in one table, so that checking a value is
// one lookup per byte.
const (
	clsDigit uint8 = 1 << iota
	clsCSet82
	clsCSet39
	clsCSet64
)

var charClass = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] |= clsDigit | clsCSet82 | clsCSet39 | clsCSet64
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] |= clsCSet82 | clsCSet39 | clsCSet64
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] |= clsCSet82 | clsCSet64
	}
	for _, c := range "!\"%&'()*+,-./:;<=>?_" {
		t[c] |= clsCSet82
	}
	for _, c := range "#-/" {
		t[c] |= clsCSet39
	}
	for _, c := range "-_" {
		t[c] |= clsCSet64
	}
	return t
}()

// linter checks one component of a value. It gets the AI for messages and
// the reference year for two-digit years; it returns nil when the part is
// good. Values, not pointers, so that checking never allocates.
type linter func(ai string, year int, part string, off int) *Error

// linterByName maps the dictionary's linter names to checks. Names missing
// here make LoadDictionary fail, so a new dictionary release cannot slip in
// a rule tote silently ignores.
var linterByName = map[string]linter{
	"csum":           lintCsum,
	"csumalpha":      lintCsumAlpha,
	"gcppos1":        lintGCPPos(0),
	"gcppos2":        lintGCPPos(1),
	"yymmd0":         lintNone, // dates are read (and checked) by readDate
	"yymmdd":         lintNone,
	"yyyymmdd":       lintNone,
	"yyyymmd0":       lintNone,
	"hhmi":           lintNone,
	"hh":             lintNone,
	"mi":             lintNone,
	"ss":             lintNone,
	"iso4217":        lintCurrency,
	"iso3166":        lintCode(iso3166, "an ISO 3166 country code"),
	"iso3166999":     lintCode(iso3166, "an ISO 3166 country code or 999"),
	"iso3166alpha2":  lintCode(iso3166Alpha2, "an ISO 3166 two-letter country code"),
	"iso5218":        lintOneOf("0129", "0 (not known), 1 (male), 2 (female) or 9 (not applicable)"),
	"yesno":          lintOneOf("01", "0 (no) or 1 (yes)"),
	"winding":        lintOneOf("019", "0, 1 or 9"),
	"zero":           lintOneOf("0", "0"),
	"hyphen":         lintOneOf("-", `"-"`),
	"nonzero":        lintNonZero,
	"nozeroprefix":   lintNoZeroPrefix,
	"hasnondigit":    lintHasNonDigit,
	"pcenc":          lintPercentEncoding,
	"pieceoftotal":   lintPieceOfTotal,
	"posinseqslash":  lintPosInSeqSlash,
	"importeridx":    lintImporterIndex,
	"latitude":       lintMax("latitude", 1800000000),
	"longitude":      lintMax("longitude", 3600000000),
	"mediatype":      lintMediaType,
	"iban":           lintIBAN,
	"packagetype":    lintNone, // code list not carried; length and characters are checked
	"couponcode":     lintDigits,
	"couponposoffer": lintDigits,
}

func attachLinters(s *Spec) error {
	for i := range s.Components {
		c := &s.Components[i]
		c.lint = nil
		for _, name := range c.Linters {
			l, ok := linterByName[name]
			if !ok {
				return fmt.Errorf("unknown linter %q", name)
			}
			if name == "iso3166999" {
				l = lintCountryOr999
			}
			c.lint = append(c.lint, l)
		}
	}
	return nil
}

// check validates value against spec and fills e's typed fields. year is
// the reference year for two-digit years.
func check(spec *Spec, value string, year int, e *Element) *Error {
	ai := spec.AI
	if len(value) < spec.MinLen || len(value) > spec.MaxLen {
		return lengthError(spec, value)
	}
	pos := 0
	var date time.Time
	haveDate := false
	for ci := range spec.Components {
		c := &spec.Components[ci]
		rest := len(value) - pos
		if c.Optional && rest == 0 {
			break
		}
		n := c.Max
		if !c.Fixed() {
			n = rest
		}
		if rest < n || n < c.Min {
			return lengthError(spec, value)
		}
		part := value[pos : pos+n]
		if err := checkCharset(ai, c.Charset, part, pos); err != nil {
			return err
		}
		for li, l := range c.lint {
			if err := l(ai, year, part, pos); err != nil {
				return err
			}
			switch c.Linters[li] {
			case "yymmd0", "yymmdd", "yyyymmdd", "yyyymmd0":
				d, err := readDate(ai, c.Linters[li], part, year, pos)
				if err != nil {
					return err
				}
				if !haveDate {
					date, haveDate = d, true
				}
			case "hhmi", "hh", "mi", "ss":
				add, err := readTime(ai, c.Linters[li], part, pos)
				if err != nil {
					return err
				}
				if haveDate {
					date = date.Add(add)
				}
			}
		}
		pos += n
	}
	if pos != len(value) {
		return lengthError(spec, value)
	}
	if haveDate {
		e.Date = date
	}
	if spec.Decimal {
		amount := value
		if spec.Currency {
			e.Currency = value[:3]
			amount = value[3:]
		}
		var u int64
		for i := 0; i < len(amount); i++ {
			u = u*10 + int64(amount[i]-'0')
		}
		e.Decimal = Decimal{Units: u, Places: spec.DecimalPlaces, Valid: true}
	}
	return nil
}

func lengthError(spec *Spec, value string) *Error {
	unit := "characters"
	if spec.Numeric {
		unit = "digits"
	}
	var msg string
	switch {
	case spec.MinLen == spec.MaxLen:
		msg = fmt.Sprintf("AI (%s) needs %d %s, got %d", spec.AI, spec.MaxLen, unit, len(value))
	case len(value) > spec.MaxLen:
		msg = fmt.Sprintf("AI (%s) allows at most %d %s, got %d", spec.AI, spec.MaxLen, unit, len(value))
	case len(value) < spec.MinLen:
		msg = fmt.Sprintf("AI (%s) needs at least %d %s, got %d", spec.AI, spec.MinLen, unit, len(value))
	default:
		msg = fmt.Sprintf("AI (%s): a value of %d %s does not fit its format %s", spec.AI, len(value), unit, spec.Format)
	}
	return &Error{AI: spec.AI, Offset: -1, Problem: ProblemLength, Msg: msg}
}

func checkCharset(ai string, cs Charset, part string, off int) *Error {
	var want uint8
	switch cs {
	case Numeric:
		want = clsDigit
	case CSet82:
		want = clsCSet82
	case CSet39:
		want = clsCSet39
	case CSet64:
		want = clsCSet64
	}
	for i := 0; i < len(part); i++ {
		if charClass[part[i]]&want != 0 {
			continue
		}
		if cs == CSet64 && part[i] == '=' && strings.Trim(part[i:], "=") == "" {
			return checkPadding(ai, part, i, off)
		}
		r, _ := utf8.DecodeRuneInString(part[i:])
		what := describeRune(r)
		var rule string
		switch cs {
		case Numeric:
			rule = "only digits are allowed"
		case CSet82:
			rule = `only letters, digits and !"%&'()*+,-./:;<=>?_ are allowed (GS1 character set 82)`
		case CSet39:
			rule = "only capital letters, digits and # - / are allowed (GS1 character set 39)"
		case CSet64:
			rule = "only letters, digits, - and _ are allowed (GS1 character set 64)"
		}
		return &Error{AI: ai, Offset: off + i, Problem: ProblemCharset,
			Msg: fmt.Sprintf("AI (%s): %s at character %d of the value is not allowed: %s", ai, what, off+i+1, rule)}
	}
	return nil
}

// checkPadding checks the "=" that end a set 64 value (base64url) from
// index pad on. GS1 allows one or two, only to make the value's length a
// multiple of 3 (set 64, GSCN 21-307 figure 7.11-3, as Zint cites it; the
// GS1 Barcode Syntax Engine checks the same), so "AB=" is good and "ABC="
// or "A===" are not.
func checkPadding(ai, part string, pad, off int) *Error {
	n := len(part) - pad
	if pad > 0 && n <= 2 && len(part)%3 == 0 {
		return nil
	}
	return &Error{AI: ai, Offset: off + pad, Problem: ProblemCharset,
		Msg: fmt.Sprintf(`AI (%s): the value ends in %d "=" at character %d, which is not valid padding: GS1 character set 64 allows one or two "=" at the end, only to make the length a multiple of 3`, ai, n, off+pad+1)}
}

func describeRune(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case r == utf8.RuneError:
		return "a byte that is not UTF-8"
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("control character 0x%02X", r)
	default:
		return fmt.Sprintf("%q", string(r))
	}
}

func lintNone(string, int, string, int) *Error { return nil }

func contentError(ai string, off int, format string, args ...any) *Error {
	return &Error{AI: ai, Offset: off, Problem: ProblemContent, Msg: fmt.Sprintf("AI (%s): ", ai) + fmt.Sprintf(format, args...)}
}

// keyName is what a check-digit message calls the number.
func keyName(ai string) string {
	switch ai {
	case "00":
		return "SSCC"
	case "01", "02", "03", "8006", "8026":
		return "GTIN"
	case "253":
		return "GDTI"
	case "255":
		return "GCN"
	case "402":
		return "GSIN"
	case "8003":
		return "GRAI"
	case "8017", "8018":
		return "GSRN"
	}
	if len(ai) == 3 && ai[:2] == "41" {
		return "GLN"
	}
	return "number"
}

func lintCsum(ai string, _ int, part string, off int) *Error {
	want := CheckDigit(part[:len(part)-1])
	got := int(part[len(part)-1] - '0')
	if want == got {
		return nil
	}
	return &Error{AI: ai, Offset: off + len(part) - 1, Problem: ProblemCheckDigit,
		Msg: fmt.Sprintf("AI (%s): %s check digit should be %d, not %d", ai, keyName(ai), want, got)}
}

// CheckDigit computes the GS1 mod-10 check digit of digits (without the
// check digit): weights 3,1,3,... from the right. digits must be all
// digits.
func CheckDigit(digits string) int {
	sum := 0
	w := 3
	for i := len(digits) - 1; i >= 0; i-- {
		sum += int(digits[i]-'0') * w
		w = 4 - w
	}
	return (10 - sum%10) % 10
}

const cset82Order = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
const cset32Order = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

var alphaPrimes = [...]int{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
	97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191, 193, 197, 199,
	211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281, 283, 293, 307, 311, 313, 317, 331, 337,
	347, 349, 353, 359, 367, 373, 379, 383, 389, 397, 401, 409, 419, 421, 431, 433, 439, 443, 449, 457, 461, 463,
	467, 479, 487, 491, 499, 503, 509}

// CheckPair computes the GS1 alphanumeric check character pair of data
// (characters of set 82): data values weighted by primes from the right,
// summed modulo 1021, split into two 5-bit indexes of set 32.
func CheckPair(data string) (string, bool) {
	if len(data) > len(alphaPrimes) {
		return "", false
	}
	sum := 0
	for i := 0; i < len(data); i++ {
		v := strings.IndexByte(cset82Order, data[i])
		if v < 0 {
			return "", false
		}
		sum += v * alphaPrimes[len(data)-1-i]
	}
	sum %= 1021
	return string([]byte{cset32Order[sum>>5], cset32Order[sum&31]}), true
}

func lintCsumAlpha(ai string, _ int, part string, off int) *Error {
	if len(part) < 2 {
		return contentError(ai, off, "too short to carry its check character pair")
	}
	body, pair := part[:len(part)-2], part[len(part)-2:]
	want, ok := CheckPair(body)
	if !ok {
		return contentError(ai, off, "too long for its check character pair")
	}
	if pair == want {
		return nil
	}
	return &Error{AI: ai, Offset: off + len(part) - 2, Problem: ProblemCheckDigit,
		Msg: fmt.Sprintf("AI (%s): check characters should be %s, not %s", ai, want, pair)}
}

func lintGCPPos(at int) linter {
	return func(ai string, _ int, part string, off int) *Error {
		if len(part) < at+4 {
			return contentError(ai, off, "too short to hold a GS1 Company Prefix")
		}
		for i := at; i < at+4; i++ {
			if !isDigit(part[i]) {
				return contentError(ai, off+i, "must start with a GS1 Company Prefix (digits), found %s at character %d", describeRune(rune(part[i])), off+i+1)
			}
		}
		return nil
	}
}

func lintCode(set map[string]bool, what string) linter {
	return func(ai string, _ int, part string, off int) *Error {
		if set[part] {
			return nil
		}
		return contentError(ai, off, "%s is not %s", part, what)
	}
}

// lintCurrency accepts the ISO 4217 codes in current use (codes.go) and
// names a withdrawn one, so a label printed before a currency change is
// refused with its reason.
func lintCurrency(ai string, _ int, part string, off int) *Error {
	if _, ok := iso4217[part]; ok {
		return nil
	}
	if alpha, ok := iso4217Withdrawn[part]; ok {
		return contentError(ai, off, "currency %s (%s) has been withdrawn from ISO 4217 and is no longer in use", part, alpha)
	}
	return contentError(ai, off, "%s is not an ISO 4217 currency code", part)
}

func lintCountryOr999(ai string, y int, part string, off int) *Error {
	if part == "999" {
		return nil
	}
	return lintCode(iso3166, "an ISO 3166 country code or 999")(ai, y, part, off)
}

func lintOneOf(allowed, what string) linter {
	return func(ai string, _ int, part string, off int) *Error {
		if len(part) == 1 && strings.IndexByte(allowed, part[0]) >= 0 {
			return nil
		}
		return contentError(ai, off, "%s is not allowed here, only %s", part, what)
	}
}

func lintNonZero(ai string, _ int, part string, off int) *Error {
	if strings.Trim(part, "0") == "" {
		return contentError(ai, off, "%s may not be zero", part)
	}
	return nil
}

func lintNoZeroPrefix(ai string, _ int, part string, off int) *Error {
	if len(part) > 1 && part[0] == '0' {
		return contentError(ai, off, "%s may not start with 0", part)
	}
	return nil
}

func lintHasNonDigit(ai string, _ int, part string, off int) *Error {
	for i := 0; i < len(part); i++ {
		if !isDigit(part[i]) {
			return nil
		}
	}
	return contentError(ai, off, "must contain at least one character that is not a digit")
}

func lintDigits(ai string, _ int, part string, off int) *Error {
	for i := 0; i < len(part); i++ {
		if !isDigit(part[i]) {
			return contentError(ai, off+i, "only digits are allowed, found %s at character %d", describeRune(rune(part[i])), off+i+1)
		}
	}
	return nil
}

func isHex(c byte) bool { return isDigit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f') }

func lintPercentEncoding(ai string, _ int, part string, off int) *Error {
	for i := 0; i < len(part); i++ {
		if part[i] != '%' {
			continue
		}
		if i+2 >= len(part) || !isHex(part[i+1]) || !isHex(part[i+2]) {
			return contentError(ai, off+i, `"%%" at character %d must be followed by two hex digits`, off+i+1)
		}
		i += 2
	}
	return nil
}

func lintPieceOfTotal(ai string, _ int, part string, off int) *Error {
	if len(part)%2 != 0 || part == "" {
		return contentError(ai, off, "piece and total must have the same number of digits")
	}
	p, t := part[:len(part)/2], part[len(part)/2:]
	switch {
	case strings.Trim(p, "0") == "":
		return contentError(ai, off, "piece number may not be zero")
	case strings.Trim(t, "0") == "":
		return contentError(ai, off, "total number of pieces may not be zero")
	case p > t:
		return contentError(ai, off, "piece %s is more than the total %s", p, t)
	}
	return nil
}

func lintPosInSeqSlash(ai string, _ int, part string, off int) *Error {
	p, e, ok := strings.Cut(part, "/")
	if !ok || !allDigits(p) || !allDigits(e) {
		return contentError(ai, off, "%s is not a position in the form N/M", part)
	}
	if p[0] == '0' || e[0] == '0' {
		return contentError(ai, off, "%s: neither number may be zero or start with 0", part)
	}
	if len(p) > len(e) || (len(p) == len(e) && p > e) {
		return contentError(ai, off, "position %s is after the end %s", p, e)
	}
	return nil
}

func lintImporterIndex(ai string, _ int, part string, off int) *Error {
	c := part[0]
	if len(part) == 1 && (isDigit(c) || c == '-' || c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
		return nil
	}
	return contentError(ai, off, "%s is not an importer index (one of 0-9, A-Z, a-z, - and _)", part)
}

func lintMax(what string, max int64) linter {
	return func(ai string, _ int, part string, off int) *Error {
		var v int64
		for i := 0; i < len(part); i++ {
			v = v*10 + int64(part[i]-'0')
		}
		if v > max {
			return contentError(ai, off, "%s is out of range for a %s (at most %d)", part, what, max)
		}
		return nil
	}
}

func lintMediaType(ai string, _ int, part string, off int) *Error {
	if len(part) == 2 && (("01" <= part && part <= "10") || ("80" <= part && part <= "99")) {
		return nil
	}
	return contentError(ai, off, "%s is not an AIDC media type (01-10, 80-99)", part)
}

func lintIBAN(ai string, _ int, part string, off int) *Error {
	if len(part) < 5 || !iso3166Alpha2[part[:2]] || !isDigit(part[2]) || !isDigit(part[3]) {
		return contentError(ai, off, "%s is not an IBAN (country code, two check digits, account)", part)
	}
	// Move the first four characters to the end, letters count 10-35,
	// and the whole must be 1 modulo 97.
	rem := 0
	add := func(c byte) bool {
		switch {
		case isDigit(c):
			rem = (rem*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			rem = (rem*100 + int(c-'A') + 10) % 97
		default:
			return false
		}
		return true
	}
	for i := 4; i < len(part)+4; i++ {
		if !add(part[i%len(part)]) {
			return contentError(ai, off, "an IBAN holds only capital letters and digits")
		}
	}
	if rem != 1 {
		return &Error{AI: ai, Offset: off, Problem: ProblemCheckDigit, Msg: fmt.Sprintf("AI (%s): IBAN check digits %s are wrong", ai, part[2:4])}
	}
	return nil
}

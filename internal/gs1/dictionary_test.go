package gs1

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Every AI line of the embedded file is in the table, ranges expanded.
func TestDictionaryHasEveryAI(t *testing.T) {
	d := Standard()
	want := 0
	for _, line := range strings.Split(dictionaryText, "\n") {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Fields(line)[0]
		a, b, isRange := strings.Cut(f, "-")
		if !isRange {
			b = a
		}
		first, _ := strconv.Atoi(a)
		last, _ := strconv.Atoi(b)
		for n := first; n <= last; n++ {
			ai := strconv.Itoa(n)
			for len(ai) < len(a) {
				ai = "0" + ai
			}
			if d.Lookup(ai) == nil {
				t.Errorf("AI (%s) from line %q missing", ai, line)
			}
			want++
		}
	}
	if got := len(d.Specs()); got != want {
		t.Errorf("%d AIs loaded, the file defines %d", got, want)
	}
	if d.Lookup("3106") != nil || d.Lookup("23") != nil || d.Lookup("0") != nil {
		t.Error("Lookup found an AI the dictionary does not define")
	}
}

// The embedded copy is the shared one, unchanged, and its license travels
// with it.
func TestDictionaryIsTheSharedFile(t *testing.T) {
	shared, err := os.ReadFile("../../../shared/data/gs1-syntax-dictionary.txt")
	if err != nil {
		t.Logf("shared copy not found (%v); checking the license only", err)
	} else if string(shared) != dictionaryText {
		t.Error("internal/gs1/gs1-syntax-dictionary.txt differs from shared/data/gs1-syntax-dictionary.txt")
	}
	lic, err := os.ReadFile("gs1-syntax-dictionary.LICENSE")
	if err != nil || !strings.Contains(string(lic), "Apache License") {
		t.Errorf("license file missing or not Apache-2.0: %v", err)
	}
}

// The predefined-length table of the General Specifications (figure
// 7.8.5-2), which the "*" flag must agree with.
func TestPredefinedLengths(t *testing.T) {
	d := Standard()
	want := map[string]int{"00": 18, "01": 14, "02": 14, "03": 14, "11": 6, "12": 6, "13": 6, "15": 6, "16": 6, "17": 6, "20": 2}
	for _, s := range d.Specs() {
		if n, ok := want[s.AI]; ok {
			if !s.Predefined || s.MaxLen != n {
				t.Errorf("AI (%s): predefined %v length %d, want predefined length %d", s.AI, s.Predefined, s.MaxLen, n)
			}
			continue
		}
		p2 := s.AI[:2]
		switch {
		case len(s.AI) == 4 && p2 >= "31" && p2 <= "36":
			if !s.Predefined || s.MaxLen != 6 {
				t.Errorf("AI (%s): want predefined length 6", s.AI)
			}
		case len(s.AI) == 3 && p2 == "41":
			if !s.Predefined || s.MaxLen != 13 {
				t.Errorf("AI (%s): want predefined length 13", s.AI)
			}
		default:
			if s.Predefined {
				t.Errorf("AI (%s) is predefined-length but not in the General Specifications table", s.AI)
			}
		}
	}
}

func TestSpecDetails(t *testing.T) {
	d := Standard()
	s := d.Lookup("3103")
	if !s.Decimal || s.DecimalPlaces != 3 || s.Currency || s.Title != "NET WEIGHT (kg)" {
		t.Errorf("3103: %+v", *s)
	}
	if s := d.Lookup("3932"); !s.Decimal || s.DecimalPlaces != 2 || !s.Currency {
		t.Errorf("3932: decimal %v places %d currency %v", s.Decimal, s.DecimalPlaces, s.Currency)
	}
	if s := d.Lookup("17"); !s.Date || s.HasTime || !s.DLAttr {
		t.Errorf("17: date %v time %v dl %v", s.Date, s.HasTime, s.DLAttr)
	}
	if s := d.Lookup("7003"); !s.Date || !s.HasTime {
		t.Errorf("7003: date %v time %v", s.Date, s.HasTime)
	}
	if s := d.Lookup("01"); !s.DLPKey || len(s.DLQualifiers) != 2 || strings.Join(s.DLQualifiers[0], ",") != "22,10,21" {
		t.Errorf("01 DL qualifiers %v", s.DLQualifiers)
	}
	if s := d.Lookup("37"); len(s.Req) != 2 || strings.Join(s.Req[1], ",") != "02,8026" {
		t.Errorf("37 req %v", s.Req)
	}
	if s := d.Lookup("423"); s.MinLen != 3 || s.MaxLen != 15 || !s.Components[1].Optional {
		t.Errorf("423: %d..%d", s.MinLen, s.MaxLen)
	}
}

func TestLoadDictionaryRejectsBadTables(t *testing.T) {
	for _, text := range []string{
		"01 *? N14,csum\n01 N2\n", // defined twice
		"01 N14\n011 N2\n",        // not prefix-free
		"10 X..20 N2\n",           // variable component not last
		"10 ?\n",                  // no components
		"10 X..20,nosuchlinter\n", // unknown linter
		"1 N2\n",                  // one-digit AI
		"20 * X..2\n",             // predefined but variable
		"3105-3100 N6\n",          // backwards range
		"10 [X..20\n",             // unclosed bracket
		"10 NQ\n",                 // bad length
	} {
		if _, err := LoadDictionary(text); err == nil {
			t.Errorf("LoadDictionary(%q) accepted a bad table", text)
		}
	}
}

// sample builds a value for one component that its linters accept.
func sample(t *testing.T, c Component) string {
	t.Helper()
	fill := func(n int) string {
		switch c.Charset {
		case Numeric:
			return strings.Repeat("1", n)
		case CSet39:
			return strings.Repeat("A", n)
		default:
			return strings.Repeat("a", n)
		}
	}
	size := c.Min
	if !c.Fixed() {
		size = min(c.Max, 3)
	}
	lint := ""
	if len(c.Linters) > 0 {
		lint = c.Linters[0]
	}
	switch lint {
	case "csum":
		body := strings.Repeat("1", c.Min-1)
		return body + strconv.Itoa(CheckDigit(body))
	case "csumalpha":
		pair, _ := CheckPair("1234AB")
		return "1234AB" + pair
	case "yymmd0", "yymmdd":
		return "260115"
	case "yyyymmdd", "yyyymmd0":
		return "20260115"
	case "hhmi":
		return "1230"
	case "hh":
		return "12"
	case "mi", "ss":
		return "30"
	case "iso4217":
		return "978"
	case "iso3166", "iso3166999":
		return "250"
	case "iso3166alpha2":
		return "FR"
	case "iso5218", "yesno", "winding":
		return "1"
	case "zero":
		return "0"
	case "hyphen":
		return "-"
	case "mediatype":
		return "01"
	case "pieceoftotal":
		return strings.Repeat("0", c.Min/2-1) + "1" + strings.Repeat("0", c.Min/2-1) + "2"
	case "posinseqslash":
		return "1/2"
	case "importeridx":
		return "A"
	case "latitude", "longitude":
		return "0000000001"
	case "iban":
		return "GB82WEST12345698765432"
	case "packagetype":
		return "BX"
	case "gcppos1", "gcppos2":
		return "1234" + fill(max(size-4, 0))
	case "pcenc":
		return "a%20b"
	case "couponcode", "couponposoffer":
		return "123456"
	}
	return fill(size)
}

// Every AI of the dictionary reads back from a value built to its format,
// alone and in both written forms. This is the "every AI" promise.
func TestEveryAIReads(t *testing.T) {
	for _, s := range Standard().Specs() {
		var b strings.Builder
		for _, c := range s.Components {
			if !c.Optional {
				b.WriteString(sample(t, c))
			}
		}
		value := b.String()
		// A digital signature is read with the serialised key it signs,
		// which must be in the same barcode.
		key := ""
		if s.AI == digitalSignatureAI {
			key = "00106141411234567897"
		}
		es, err := testParser.ParseElementString(key+s.AI+value, nil)
		if err != nil {
			t.Errorf("AI (%s) %s: %q rejected: %v", s.AI, s.Format, value, err)
			continue
		}
		all := es
		if key != "" {
			es = es[1:]
		}
		if len(es) != 1 || es[0].AI != s.AI || es[0].Value != value {
			t.Errorf("AI (%s): read %v", s.AI, pairs(es))
			continue
		}
		if s.Date && es[0].Date.IsZero() {
			t.Errorf("AI (%s): date AI without a date", s.AI)
		}
		if s.Decimal != es[0].Decimal.Valid {
			t.Errorf("AI (%s): decimal %v, spec says %v", s.AI, es[0].Decimal.Valid, s.Decimal)
		}
		back, err := testParser.ParseBracketed(Bracketed(all), nil)
		if err != nil || !samePairs(pairs(back), pairs(all)) {
			t.Errorf("AI (%s): bracketed round trip %v, %v", s.AI, pairs(back), err)
		}
		// One character more than allowed is always rejected.
		if !s.Predefined {
			long := value + strings.Repeat(value[len(value)-1:], s.MaxLen-len(value)+1)
			_, err := testParser.ParseElementString(key+s.AI+long, nil)
			var ge *Error
			if !errors.As(err, &ge) {
				t.Errorf("AI (%s): %d characters accepted, max %d", s.AI, len(long), s.MaxLen)
			}
		}
	}
}

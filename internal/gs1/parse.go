package gs1

import (
	"fmt"
	"strings"
	"time"
)

// Parser reads GS1 data. The zero value is ready to use: the embedded
// dictionary, and the system clock for the century of two-digit years.
// A Parser is safe for concurrent use.
type Parser struct {
	Dict *Dictionary      // nil: Standard()
	Now  func() time.Time // nil: time.Now; only the year is used
}

func (p *Parser) dict() *Dictionary {
	if p == nil || p.Dict == nil {
		return standard
	}
	return p.Dict
}

func (p *Parser) year() int {
	if p == nil || p.Now == nil {
		return time.Now().Year()
	}
	return p.Now().Year()
}

// MaxData is the longest input the parsers read: more than any GS1 symbol
// holds (a QR code tops out at 7089 digits). The limit keeps the pair
// checks, which compare every AI with every other, cheap.
const MaxData = 8192

func tooLong(data string) *Error {
	return &Error{Offset: MaxData, Problem: ProblemLength,
		Msg: fmt.Sprintf("GS1 data is %d bytes long; no GS1 barcode holds more than %d", len(data), MaxData)}
}

// ParseElementString reads an element string with the standard parser.
func ParseElementString(data string) ([]Element, error) {
	return (*Parser)(nil).ParseElementString(data, nil)
}

// ParseBracketed reads the bracketed human-readable form with the standard
// parser.
func ParseBracketed(s string) ([]Element, error) {
	return (*Parser)(nil).ParseBracketed(s, nil)
}

// ParseElementString reads GS1 element strings as a scanner sends them
// after the AIM identifier: AIs and values run together, with GS (0x1D)
// after every value whose AI has no predefined length, unless it is last.
// A GS after a predefined-length value, one leading GS and one trailing GS
// are tolerated. The elements are appended to dst (pass a slice with room
// to read without allocating) and the values are substrings of data.
func (p *Parser) ParseElementString(data string, dst []Element) ([]Element, error) {
	elems, err := p.parse(data, dst, true)
	if err != nil {
		return elems, err // a nil *Error must not become a non-nil error
	}
	return elems, nil
}

// parse reads an element string; diagnose explains bad values by a lost
// separator (off inside that search, so it cannot recurse).
func (p *Parser) parse(data string, dst []Element, diagnose bool) ([]Element, *Error) {
	if len(data) > MaxData {
		return dst, tooLong(data)
	}
	d := p.dict()
	year := p.year()
	start := len(dst)
	i := 0
	if len(data) > 0 && data[0] == GS {
		i = 1 // some scanners send the leading FNC1 as GS
	}
	if i == len(data) {
		return dst, &Error{Offset: 0, Problem: ProblemSyntax, Msg: "no GS1 data: the scan holds no application identifier"}
	}
	for i < len(data) {
		if data[i] == GS {
			return dst[:start], &Error{Offset: i, Problem: ProblemSyntax,
				Msg: fmt.Sprintf("two separators in a row at character %d", i+1)}
		}
		idx, n := d.match(data[i:])
		if idx < 0 {
			return dst[:start], unknownAI(data, i)
		}
		spec := &d.specs[idx]
		vs := i + n
		var value string
		next := 0
		if spec.Predefined {
			end := vs + spec.MaxLen
			if end > len(data) || strings.IndexByte(data[vs:end], GS) >= 0 {
				avail := strings.IndexByte(data[vs:], GS)
				if avail < 0 {
					avail = len(data) - vs
				}
				unit := "characters"
				if spec.Numeric {
					unit = "digits"
				}
				msg := fmt.Sprintf("AI (%s) needs %d %s, but only %d follow", spec.AI, spec.MaxLen, unit, avail)
				if vs+avail < len(data) {
					msg = fmt.Sprintf("AI (%s) needs %d %s, but a separator comes after %d", spec.AI, spec.MaxLen, unit, avail)
				}
				return dst[:start], &Error{AI: spec.AI, Offset: vs, Problem: ProblemLength, Msg: msg}
			}
			value = data[vs:end]
			next = end
			if next < len(data) && data[next] == GS {
				next++ // a needless separator after a predefined-length value
			}
		} else {
			g := strings.IndexByte(data[vs:], GS)
			if g < 0 {
				value, next = data[vs:], len(data)
			} else {
				value, next = data[vs:vs+g], vs+g+1
			}
		}
		if value == "" {
			return dst[:start], &Error{AI: spec.AI, Offset: vs, Problem: ProblemLength,
				Msg: fmt.Sprintf("AI (%s) has no value", spec.AI)}
		}
		e := Element{AI: spec.AI, Value: value}
		if err := check(spec, value, year, &e); err != nil {
			if diagnose && !spec.Predefined {
				if sep := p.lostSeparator(spec, value); sep != nil {
					sep.Offset = vs
					return dst[:start], sep
				}
			}
			if err.Offset >= 0 {
				err.Offset += vs
			} else {
				err.Offset = vs
			}
			return dst[:start], err
		}
		dst = append(dst, e)
		i = next
	}
	if err := d.checkTogether(dst[start:]); err != nil {
		return dst[:start], err
	}
	return dst, nil
}

func unknownAI(data string, i int) *Error {
	j := i
	for j < len(data) && j < i+4 && isDigit(data[j]) {
		j++
	}
	if j == i {
		return &Error{Offset: i, Problem: ProblemUnknownAI,
			Msg: fmt.Sprintf("expected an application identifier (digits) at character %d, found %s", i+1, describeRune(firstRune(data[i:])))}
	}
	return &Error{Offset: i, Problem: ProblemUnknownAI,
		Msg: fmt.Sprintf("no GS1 application identifier begins %q (character %d)", data[i:j], i+1)}
}

func firstRune(s string) rune {
	for _, r := range s {
		return r
	}
	return 0
}

// lostSeparator explains a bad value that is really a value followed by
// more AIs whose separator went missing (keyboard-wedge scanners drop GS).
func (p *Parser) lostSeparator(spec *Spec, value string) *Error {
	_, tail, ok := p.split(spec, value)
	if !ok {
		return nil
	}
	kind := "is variable length"
	if spec.MinLen == spec.MaxLen {
		kind = "has no predefined length"
	}
	return &Error{AI: spec.AI, Problem: ProblemSeparator,
		Msg: fmt.Sprintf("AI (%s) %s and must be followed by a separator before AI (%s)", spec.AI, kind, tail[0].AI)}
}

// split finds the first place where value divides into a good value for
// spec and a good element string.
func (p *Parser) split(spec *Spec, value string) (string, []Element, bool) {
	year := p.year()
	var buf [8]Element
	for k := spec.MinLen; k < len(value) && k <= spec.MaxLen; k++ {
		if k < 1 {
			continue
		}
		var e Element
		if check(spec, value[:k], year, &e) != nil {
			continue
		}
		tail, err := p.parse(value[k:], buf[:0], false)
		if err == nil {
			return value[:k], append([]Element(nil), tail...), true
		}
	}
	return "", nil, false
}

// SplitSwallowed looks at an accepted element whose variable-length value
// ended the scan: if the value reads just as well as a shorter value
// followed by more AIs, a scanner may have dropped a separator. It returns
// the shorter value and the AIs it would hide. The data is still read the
// standard way; this is for a warning.
//
// Only tails that start with a predefined-length AI (a date, a GTIN, a
// weight, ...) count: they are what a lost separator usually hides, and
// looking for them costs next to nothing on the scan path, where most
// scans end with a variable-length value.
func (p *Parser) SplitSwallowed(e Element) (value string, hidden []Element, ok bool) {
	d := p.dict()
	idx, n := d.match(e.AI)
	if idx < 0 || n != len(e.AI) || d.specs[idx].Predefined {
		return "", nil, false
	}
	spec := &d.specs[idx]
	v := e.Value
	year := p.year()
	for k := max(spec.MinLen, 1); k < len(v) && k <= spec.MaxLen; k++ {
		ti, tn := d.match(v[k:])
		if ti < 0 || !d.specs[ti].Predefined || len(v)-k < tn+d.specs[ti].MaxLen {
			continue
		}
		var head Element
		if check(spec, v[:k], year, &head) != nil {
			continue
		}
		var buf [8]Element
		if tail, err := p.parse(v[k:], buf[:0], false); err == nil {
			return v[:k], append([]Element(nil), tail...), true
		}
	}
	return "", nil, false
}

// checkTogether rejects one AI twice with different values and AIs that may
// not appear together. It does not allocate for good data.
func (d *Dictionary) checkTogether(elems []Element) *Error {
	for i := range elems {
		a := &elems[i]
		for j := i + 1; j < len(elems); j++ {
			if elems[j].AI == a.AI && elems[j].Value != a.Value {
				return &Error{AI: a.AI, Offset: -1, Problem: ProblemDuplicate,
					Msg: fmt.Sprintf("AI (%s) appears twice with different values: %q and %q", a.AI, a.Value, elems[j].Value)}
			}
		}
		idx, n := d.match(a.AI)
		if idx < 0 || n != len(a.AI) {
			continue
		}
		if a.AI == digitalSignatureAI {
			if err := d.checkSignedKey(&d.specs[idx], elems); err != nil {
				return err
			}
		}
		for _, pat := range d.specs[idx].Ex {
			for j := range elems {
				b := elems[j].AI
				if b != a.AI && matchAI(pat, b) {
					return &Error{AI: a.AI, Offset: -1, Problem: ProblemExclusive,
						Msg: fmt.Sprintf("AI (%s) and AI (%s) may not appear together", a.AI, b)}
				}
			}
		}
	}
	return nil
}

// digitalSignatureAI is (8030), a digital signature over the data of its
// own barcode.
const digitalSignatureAI = "8030"

// checkSignedKey holds (8030) to what it signs. Its req= alternatives are
// the serialised keys a signature may sign; unlike other req= rules (which
// GS1 evaluates over every barcode on the item, so they only warn) the key
// must be in the same barcode, because the signature is computed over that
// barcode's data. Keys whose serial part is optional in the dictionary
// ((253) GDTI, (255) GCN, (8003) GRAI) must carry it, as the GS1 Barcode
// Syntax Engine requires.
func (d *Dictionary) checkSignedKey(sig *Spec, elems []Element) *Error {
	for gi, group := range sig.req {
		if !reqMet(group, elems) {
			return &Error{AI: sig.AI, Offset: -1, Problem: ProblemPairing,
				Msg: fmt.Sprintf("AI (%s) is a digital signature and needs the serialised key it signs in the same barcode: %s", sig.AI, describeReq(sig.Req[gi]))}
		}
		for _, alt := range group {
			if len(alt) != 1 {
				continue
			}
			key := d.Lookup(alt[0])
			if key == nil || len(key.Components) == 0 || !key.Components[len(key.Components)-1].Optional {
				continue
			}
			for i := range elems {
				if elems[i].AI == key.AI && len(elems[i].Value) <= key.MinLen {
					return &Error{AI: key.AI, Offset: -1, Problem: ProblemPairing,
						Msg: fmt.Sprintf("AI (%s) %s has no serial part, but AI (%s) is a digital signature and may only sign a serialised key", key.AI, elems[i].Value, sig.AI)}
				}
			}
		}
	}
	return nil
}

// matchAI matches an AI against a dictionary pattern, where "n" stands for
// any digit ("310n", "31nn").
func matchAI(pattern, ai string) bool {
	if len(pattern) != len(ai) {
		return false
	}
	for i := 0; i < len(ai); i++ {
		if pattern[i] != ai[i] && !(pattern[i] == 'n' && isDigit(ai[i])) {
			return false
		}
	}
	return true
}

// CheckPairs reports the first AI that lacks the AIs the dictionary says
// must come with it (req). GS1 evaluates this over all the barcodes on one
// item, so a single scan may fail it legitimately (a second GS1-128 line
// with only the lot): callers decide whether it is an error or a warning.
func (p *Parser) CheckPairs(elems []Element) error {
	d := p.dict()
	for _, e := range elems {
		spec := d.Lookup(e.AI)
		if spec == nil {
			continue
		}
		for gi, group := range spec.req {
			if !reqMet(group, elems) {
				return &Error{AI: e.AI, Offset: -1, Problem: ProblemPairing,
					Msg: fmt.Sprintf("AI (%s) needs %s with it", e.AI, describeReq(spec.Req[gi]))}
			}
		}
	}
	return nil
}

func reqMet(group [][]string, elems []Element) bool {
	for _, alt := range group {
		all := true
		for _, need := range alt {
			found := false
			for _, e := range elems {
				if matchAI(need, e.AI) {
					found = true
					break
				}
			}
			if !found {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

func describeReq(group []string) string {
	var parts []string
	for _, alt := range group {
		ais := strings.Split(alt, "+")
		for i, a := range ais {
			ais[i] = "(" + a + ")"
		}
		parts = append(parts, strings.Join(ais, " with "))
	}
	if len(parts) == 1 {
		return "AI " + parts[0]
	}
	return "AI " + strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// ParseBracketed reads the human-readable form "(01)09501101530003(10)AB".
// A "(" inside a value is written "\(" (as the GS1 Barcode Syntax Engine
// does); every other "(" starts an AI.
func (p *Parser) ParseBracketed(s string, dst []Element) ([]Element, error) {
	if len(s) > MaxData {
		return dst, tooLong(s)
	}
	d := p.dict()
	year := p.year()
	start := len(dst)
	if s == "" {
		return dst, &Error{Offset: 0, Problem: ProblemSyntax, Msg: "no GS1 data: the bracketed form is empty"}
	}
	i := 0
	for i < len(s) {
		if s[i] != '(' {
			return dst[:start], &Error{Offset: i, Problem: ProblemSyntax,
				Msg: fmt.Sprintf("bracketed form: expected \"(\" at character %d, found %s", i+1, describeRune(firstRune(s[i:])))}
		}
		close := strings.IndexByte(s[i:], ')')
		if close < 0 {
			return dst[:start], &Error{Offset: i, Problem: ProblemSyntax,
				Msg: fmt.Sprintf("bracketed form: \"(\" at character %d is never closed", i+1)}
		}
		ai := s[i+1 : i+close]
		idx, n := d.match(ai)
		if idx < 0 || n != len(ai) {
			return dst[:start], &Error{AI: ai, Offset: i + 1, Problem: ProblemUnknownAI,
				Msg: fmt.Sprintf("(%s) at character %d is not a GS1 application identifier", ai, i+1)}
		}
		spec := &d.specs[idx]
		vs := i + close + 1
		// The value runs to the next unescaped "(".
		j := vs
		escaped := false
		for j < len(s) && s[j] != '(' {
			if s[j] == '\\' && j+1 < len(s) && s[j+1] == '(' {
				escaped = true
				j += 2
				continue
			}
			j++
		}
		value := s[vs:j]
		if escaped {
			value = strings.ReplaceAll(value, `\(`, "(")
		}
		if value == "" {
			return dst[:start], &Error{AI: spec.AI, Offset: vs, Problem: ProblemLength,
				Msg: fmt.Sprintf("AI (%s) has no value", spec.AI)}
		}
		e := Element{AI: spec.AI, Value: value}
		if err := check(spec, value, year, &e); err != nil {
			err.Offset = vs
			return dst[:start], err
		}
		dst = append(dst, e)
		i = j
	}
	if err := d.checkTogether(dst[start:]); err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// Bracketed writes elements in the human-readable form, escaping "(" in
// values as "\(" so that ParseBracketed reads them back unchanged.
func Bracketed(elems []Element) string {
	var b strings.Builder
	for _, e := range elems {
		b.WriteByte('(')
		b.WriteString(e.AI)
		b.WriteByte(')')
		b.WriteString(strings.ReplaceAll(e.Value, "(", `\(`))
	}
	return b.String()
}

// ElementString writes elements as a scanner would send them: GS after every
// value whose AI has no predefined length, except the last.
func (p *Parser) ElementString(elems []Element) string {
	d := p.dict()
	var b strings.Builder
	for i, e := range elems {
		b.WriteString(e.AI)
		b.WriteString(e.Value)
		if spec := d.Lookup(e.AI); i < len(elems)-1 && (spec == nil || !spec.Predefined) {
			b.WriteByte(GS)
		}
	}
	return b.String()
}

package gs1

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

// The GS1 Barcode Syntax Dictionary (Apache-2.0, © BWIPP, Zint and GS1
// AISBL; see gs1-syntax-dictionary.LICENSE beside it), embedded as published
// so that updating tote to a new release is a file copy.
//
//go:embed gs1-syntax-dictionary.txt
var dictionaryText string

// Charset is the character set of one component of an AI's value.
type Charset byte

const (
	Numeric Charset = 'N' // digits 0-9
	CSet82  Charset = 'X' // GS1 AI encodable character set 82
	CSet39  Charset = 'Y' // GS1 AI encodable character set 39
	CSet64  Charset = 'Z' // GS1 AI encodable character set 64 (base64url)
)

// Component is one part of an AI's value, e.g. "N6,yymmd0" or "[X..17]".
type Component struct {
	Charset  Charset
	Min, Max int      // lengths; Min == Max for fixed-length components
	Optional bool     // written in brackets: may be left out at the end
	Linters  []string // content checks named by the dictionary, e.g. "csum"
	lint     []linter
}

// Fixed reports whether the component has one length.
func (c Component) Fixed() bool { return c.Min == c.Max }

// Spec is what the dictionary says about one AI.
type Spec struct {
	AI         string
	Title      string // e.g. "USE BY or EXPIRY"
	Predefined bool   // flag "*": predefined length, no separator needed after it
	DLAttr     bool   // flag "?": allowed as a Digital Link data attribute (query)
	Format     string // the components as written, e.g. "N6,yymmd0"
	Components []Component
	MinLen     int
	MaxLen     int
	Numeric    bool // every component is numeric

	// DLPKey is set for Digital Link primary keys; DLQualifiers lists the
	// allowed qualifier sequences (each in path order).
	DLPKey       bool
	DLQualifiers [][]string

	Req [][]string   // every group must be met by one of its alternatives; "01+21" means 01 and 21
	req [][][]string // Req with each alternative split at "+", so checking never allocates
	Ex  []string     // AIs or patterns ("310n") that may not appear with this one

	// Decimal AIs: the value (or its amount part) has DecimalPlaces digits
	// after the point; Currency AIs carry an ISO 4217 code first.
	Decimal       bool
	DecimalPlaces int
	Currency      bool

	// Date is set when the value holds a date (Element.Date is then set);
	// HasTime when it also holds a time of day.
	Date    bool
	HasTime bool

	index int // position in the dictionary's table
}

// Dictionary is the loaded syntax dictionary: every AI and how to read it.
// It is immutable once loaded and safe for concurrent use.
type Dictionary struct {
	specs []Spec
	by2   [100]int16
	by3   [1000]int16
	by4   [10000]int16
	byAI  map[string]int
}

// standard is the embedded dictionary. Loading it is checked by the tests,
// so a broken embedded file cannot ship.
var standard = mustLoad(dictionaryText)

// Standard returns the embedded GS1 Barcode Syntax Dictionary.
func Standard() *Dictionary { return standard }

func mustLoad(text string) *Dictionary {
	d, err := LoadDictionary(text)
	if err != nil {
		panic("gs1: embedded syntax dictionary: " + err.Error())
	}
	return d
}

// Lookup returns the spec of one AI, or nil when the AI does not exist.
func (d *Dictionary) Lookup(ai string) *Spec {
	i, ok := d.byAI[ai]
	if !ok {
		return nil
	}
	return &d.specs[i]
}

// Specs returns every AI in dictionary order. The slice must not be changed.
func (d *Dictionary) Specs() []Spec { return d.specs }

// match finds the AI that begins s. AIs are prefix-free, so at most one
// matches. It returns the spec index and the AI's length, or -1.
func (d *Dictionary) match(s string) (int, int) {
	if len(s) < 2 || !isDigit(s[0]) || !isDigit(s[1]) {
		return -1, 0
	}
	n := int(s[0]-'0')*10 + int(s[1]-'0')
	if i := d.by2[n]; i >= 0 {
		return int(i), 2
	}
	if len(s) < 3 || !isDigit(s[2]) {
		return -1, 0
	}
	n = n*10 + int(s[2]-'0')
	if i := d.by3[n]; i >= 0 {
		return int(i), 3
	}
	if len(s) < 4 || !isDigit(s[3]) {
		return -1, 0
	}
	n = n*10 + int(s[3]-'0')
	if i := d.by4[n]; i >= 0 {
		return int(i), 4
	}
	return -1, 0
}

// LoadDictionary parses text in the GS1 Barcode Syntax Dictionary format.
func LoadDictionary(text string) (*Dictionary, error) {
	d := &Dictionary{byAI: make(map[string]int)}
	for i := range d.by2 {
		d.by2[i] = -1
	}
	for i := range d.by3 {
		d.by3[i] = -1
	}
	for i := range d.by4 {
		d.by4[i] = -1
	}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		specs, err := parseEntry(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		for _, s := range specs {
			if _, dup := d.byAI[s.AI]; dup {
				return nil, fmt.Errorf("line %d: AI (%s) defined twice", n+1, s.AI)
			}
			s.index = len(d.specs)
			d.byAI[s.AI] = s.index
			d.specs = append(d.specs, s)
		}
	}
	// Fill the lookup tables and check that no AI is a prefix of another:
	// the element-string reader relies on it.
	for i, s := range d.specs {
		n, _ := strconv.Atoi(s.AI)
		switch len(s.AI) {
		case 2:
			d.by2[n] = int16(i)
		case 3:
			d.by3[n] = int16(i)
		case 4:
			d.by4[n] = int16(i)
		default:
			return nil, fmt.Errorf("AI (%s): AIs have 2 to 4 digits", s.AI)
		}
	}
	for _, s := range d.specs {
		for l := 2; l < len(s.AI); l++ {
			if _, ok := d.byAI[s.AI[:l]]; ok {
				return nil, fmt.Errorf("AI (%s) starts with AI (%s): the table is not prefix-free", s.AI, s.AI[:l])
			}
		}
	}
	return d, nil
}

// parseEntry reads one dictionary line, which may define a range of AIs.
func parseEntry(line string) ([]Spec, error) {
	title := ""
	if i := strings.IndexByte(line, '#'); i >= 0 {
		title = strings.TrimSpace(line[i+1:])
		line = line[:i]
	}
	fields := strings.Fields(line)
	if len(fields) < 2 {
		return nil, fmt.Errorf("entry %q has no specification", line)
	}
	first, last, width, err := parseAIRange(fields[0])
	if err != nil {
		return nil, err
	}
	var base Spec
	base.Title = title
	rest := fields[1:]
	if isFlags(rest[0]) {
		base.Predefined = strings.Contains(rest[0], "*")
		base.DLAttr = strings.Contains(rest[0], "?")
		rest = rest[1:]
	}
	var format []string
	for len(rest) > 0 && isComponent(rest[0]) {
		c, err := parseComponent(rest[0])
		if err != nil {
			return nil, err
		}
		base.Components = append(base.Components, c)
		format = append(format, rest[0])
		rest = rest[1:]
	}
	if len(base.Components) == 0 {
		return nil, fmt.Errorf("entry %q has no components", fields[0])
	}
	base.Format = strings.Join(format, " ")
	for i, c := range base.Components {
		if !c.Fixed() && i != len(base.Components)-1 {
			return nil, fmt.Errorf("AI %s: only the last component may have variable length", fields[0])
		}
	}
	base.Numeric = true
	for _, c := range base.Components {
		base.MaxLen += c.Max
		if !c.Optional {
			base.MinLen += c.Min
		}
		if c.Charset != Numeric {
			base.Numeric = false
		}
	}
	if base.Predefined && base.MinLen != base.MaxLen {
		return nil, fmt.Errorf("AI %s is marked predefined-length but its length varies", fields[0])
	}
	for _, attr := range rest {
		key, val, _ := strings.Cut(attr, "=")
		switch key {
		case "dlpkey":
			base.DLPKey = true
			if val != "" {
				for _, alt := range strings.Split(val, "|") {
					base.DLQualifiers = append(base.DLQualifiers, strings.Split(alt, ","))
				}
			}
		case "req":
			// Every req= must be met; each is met by one of its
			// comma-separated alternatives.
			group := strings.Split(val, ",")
			base.Req = append(base.Req, group)
			var alts [][]string
			for _, alt := range group {
				alts = append(alts, strings.Split(alt, "+"))
			}
			base.req = append(base.req, alts)
		case "ex":
			base.Ex = append(base.Ex, strings.Split(val, ",")...)
		default:
			// Unknown attributes are for other uses of the dictionary.
		}
	}
	if err := attachLinters(&base); err != nil {
		return nil, fmt.Errorf("AI %s: %w", fields[0], err)
	}
	var out []Spec
	for n := first; n <= last; n++ {
		s := base
		s.AI = fmt.Sprintf("%0*d", width, n)
		s.Components = append([]Component(nil), base.Components...)
		classify(&s)
		out = append(out, s)
	}
	return out, nil
}

func parseAIRange(f string) (first, last, width int, err error) {
	a, b, isRange := strings.Cut(f, "-")
	if !isRange {
		b = a
	}
	if !allDigits(a) || !allDigits(b) || len(a) != len(b) || len(a) < 2 || len(a) > 4 {
		return 0, 0, 0, fmt.Errorf("bad AI or AI range %q", f)
	}
	first, _ = strconv.Atoi(a)
	last, _ = strconv.Atoi(b)
	if last < first {
		return 0, 0, 0, fmt.Errorf("bad AI range %q", f)
	}
	return first, last, len(a), nil
}

func isFlags(f string) bool {
	for i := 0; i < len(f); i++ {
		if !strings.ContainsRune(`*!?"$%&'()+,-./:;<=>@[\]^_`+"`{|}~", rune(f[i])) {
			return false
		}
	}
	// A component may start with "[", flags never contain a letter.
	return !strings.HasPrefix(f, "[") || !strings.ContainsAny(f, "NXYZ")
}

func isComponent(f string) bool {
	f = strings.TrimPrefix(f, "[")
	return f != "" && strings.ContainsRune("NXYZ", rune(f[0]))
}

// parseComponent reads "N6,yymmd0", "X..20", "[N3],iso3166" or "[X..17]".
func parseComponent(f string) (Component, error) {
	var c Component
	orig := f
	if strings.HasPrefix(f, "[") {
		end := strings.IndexByte(f, ']')
		if end < 0 {
			return c, fmt.Errorf("component %q: missing ]", orig)
		}
		c.Optional = true
		f = f[1:end] + f[end+1:]
	}
	typ, linters, _ := strings.Cut(f, ",")
	c.Charset = Charset(typ[0])
	ln := typ[1:]
	if strings.HasPrefix(ln, "..") {
		n, err := strconv.Atoi(ln[2:])
		if err != nil || n < 1 {
			return c, fmt.Errorf("component %q: bad length", orig)
		}
		c.Min, c.Max = 1, n
	} else {
		n, err := strconv.Atoi(ln)
		if err != nil || n < 1 {
			return c, fmt.Errorf("component %q: bad length", orig)
		}
		c.Min, c.Max = n, n
	}
	if linters != "" {
		c.Linters = strings.Split(linters, ",")
	}
	return c, nil
}

// classify works out the typed reading of an AI: decimals and dates.
func classify(s *Spec) {
	ai := s.AI
	if len(ai) == 4 {
		p2, _ := strconv.Atoi(ai[:2])
		p3, _ := strconv.Atoi(ai[:3])
		switch {
		case p2 >= 31 && p2 <= 36, p3 >= 390 && p3 <= 395:
			s.Decimal = true
			s.DecimalPlaces = int(ai[3] - '0')
			s.Currency = p3 == 391 || p3 == 393
		}
	}
	for _, c := range s.Components {
		for _, l := range c.Linters {
			switch l {
			case "yymmd0", "yymmdd", "yyyymmdd", "yyyymmd0":
				s.Date = true
			case "hhmi", "hh":
				s.HasTime = true
			}
		}
	}
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

package config

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// The TOML decoder keeps key positions to itself, so validation errors would
// have no line. keyLines is our own map from every key, table and array
// element of a document to the line it is written on. It is built by a small
// scanner that understands just enough TOML to find keys: table headers,
// [[array]] headers (counting their elements), key = value lines, dotted keys,
// quoted keys, strings of all four kinds, arrays and inline tables spanning
// lines. It is meant for documents the decoder has already accepted; on
// anything else it still terminates and never panics, but its lines are
// best-effort.

// pathSeg is one step of a key path: a key name and, for an element of an
// array (of tables or of values), its 0-based index. An element of an element
// (a = [[1, 2], [3]]) is a further step, marked nested, with no name.
type pathSeg struct {
	name   string
	index  int // -1: not an array element
	nested bool
}

// keyPath names a place in the document, such as scanners[1].port.
type keyPath []pathSeg

// child returns p extended by key name (a fresh slice: paths are shared).
func (p keyPath) child(name string) keyPath {
	out := make(keyPath, len(p), len(p)+1)
	copy(out, p)
	return append(out, pathSeg{name: name, index: -1})
}

// elem returns the path of element i of the array at p.
func (p keyPath) elem(i int) keyPath {
	out := make(keyPath, len(p), len(p)+1)
	copy(out, p)
	if len(out) == 0 {
		return out
	}
	if out[len(out)-1].index >= 0 {
		return append(out, pathSeg{index: i, nested: true})
	}
	out[len(out)-1].index = i
	return out
}

// String is the form errors show: scanners[1].port, with keys quoted the way
// TOML needs them (pack."odd key").
func (p keyPath) String() string {
	var b strings.Builder
	for i, s := range p {
		if !s.nested {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(toml.Key{s.name}.String())
		}
		if s.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

// schema is the path without element indexes, as toml.Key.String prints it
// (scanners.port), so it can be matched against the decoder's keys.
func (p keyPath) schema() string { return toml.Key(p.names()).String() }

// names is p as the decoder's key parts, without element indexes.
func (p keyPath) names() []string {
	out := make([]string, 0, len(p))
	for _, s := range p {
		if !s.nested {
			out = append(out, s.name)
		}
	}
	return out
}

// parent is the table p is in.
func (p keyPath) parent() keyPath {
	if len(p) == 0 {
		return p
	}
	return p[:len(p)-1]
}

// keyLines maps places in a document to their lines.
type keyLines struct {
	at     map[string]int       // keyPath.String() → 1-based line
	places map[string][]keyPath // keyPath.schema() → every place with that schema path, in file order
}

// line is the line of p, or 0 when p is not written in the document.
func (kl *keyLines) line(p keyPath) int { return kl.at[p.String()] }

// record notes p at line unless it was seen before: a table is placed where
// it is first written (its header, or the first dotted key that makes it).
func (kl *keyLines) record(p keyPath, line int) {
	s := p.String()
	if _, ok := kl.at[s]; ok {
		return
	}
	kl.at[s] = line
	sc := p.schema()
	kl.places[sc] = append(kl.places[sc], p)
}

// indexKeys scans a TOML document and returns where each key is.
func indexKeys(src []byte) *keyLines {
	ks := &keyScanner{
		src:    src,
		line:   1,
		out:    &keyLines{at: map[string]int{}, places: map[string][]keyPath{}},
		arrays: map[string]int{},
	}
	ks.document()
	return ks.out
}

type keyScanner struct {
	src    []byte
	pos    int
	line   int
	out    *keyLines
	arrays map[string]int // keyPath.String() of an [[array]] → elements seen so far
	depth  int            // values nested inside the one being read
}

// maxNesting bounds the recursion on arrays and inline tables nested in each
// other; deeper values are left unread (a station file nests two levels).
const maxNesting = 64

func (s *keyScanner) eof() bool { return s.pos >= len(s.src) }

func (s *keyScanner) peek() byte {
	if s.eof() {
		return 0
	}
	return s.src[s.pos]
}

func (s *keyScanner) has(prefix string) bool {
	return bytes.HasPrefix(s.src[s.pos:], []byte(prefix))
}

// advance moves n bytes on, counting newlines.
func (s *keyScanner) advance(n int) {
	for ; n > 0 && !s.eof(); n-- {
		if s.src[s.pos] == '\n' {
			s.line++
		}
		s.pos++
	}
}

// skipBlank skips spaces and tabs, and with newlines also line breaks and
// comments.
func (s *keyScanner) skipBlank(newlines bool) {
	for !s.eof() {
		switch c := s.src[s.pos]; {
		case c == ' ' || c == '\t':
			s.pos++
		case c == '#':
			for !s.eof() && s.src[s.pos] != '\n' {
				s.pos++
			}
		case newlines && (c == '\n' || c == '\r'):
			s.advance(1)
		default:
			return
		}
	}
}

// skipLine moves past the end of the current line: after a header or a
// key = value only blanks and a comment remain in a valid document.
func (s *keyScanner) skipLine() {
	for !s.eof() && s.src[s.pos] != '\n' {
		s.pos++
	}
	s.advance(1)
}

func (s *keyScanner) document() {
	var table keyPath // the table the following keys belong to
	for {
		s.skipBlank(true)
		if s.eof() {
			return
		}
		line := s.line
		switch {
		case s.has("[["):
			s.advance(2)
			keys := s.dottedKey()
			if len(keys) > 0 {
				table = s.resolve(keys[:len(keys)-1]).child(keys[len(keys)-1])
				n := s.arrays[table.String()]
				s.arrays[table.String()] = n + 1
				table = table.elem(n)
				s.recordPath(table, line)
			}
		case s.peek() == '[':
			s.advance(1)
			keys := s.dottedKey()
			if len(keys) > 0 {
				table = s.resolve(keys)
				s.recordPath(table, line)
			}
		default:
			start := s.pos
			s.keyValue(table)
			if s.pos == start { // not a key: step over the byte so the scan ends
				s.advance(1)
			}
		}
		s.skipLine()
	}
}

// resolve turns header keys into a path, stepping into the latest element of
// any [[array]] on the way ([[pack.boxes]] after [pack] and so on).
func (s *keyScanner) resolve(keys []string) keyPath {
	var p keyPath
	for _, k := range keys {
		p = p.child(k)
		if n, ok := s.arrays[p.String()]; ok && n > 0 {
			p = p.elem(n - 1)
		}
	}
	return p
}

// recordPath records p and every table above it that is not yet known, so an
// implicit table ([a.b] without [a]) still has a line.
func (s *keyScanner) recordPath(p keyPath, line int) {
	for i := 1; i <= len(p); i++ {
		s.out.record(p[:i], line)
	}
}

// keyValue reads `a.b = value` in table and records each key on the way.
func (s *keyScanner) keyValue(table keyPath) {
	line := s.line
	keys := s.dottedKey()
	if len(keys) == 0 {
		return
	}
	p := table
	for _, k := range keys {
		p = p.child(k)
		s.out.record(p, line)
	}
	s.skipBlank(false)
	if s.peek() != '=' {
		return
	}
	s.advance(1)
	s.skipBlank(false)
	s.value(p)
}

// dottedKey reads a.b."c d".'e' and returns its parts.
func (s *keyScanner) dottedKey() []string {
	var keys []string
	for {
		s.skipBlank(false)
		k, ok := s.simpleKey()
		if !ok {
			return keys
		}
		keys = append(keys, k)
		s.skipBlank(false)
		if s.peek() != '.' {
			return keys
		}
		s.advance(1)
	}
}

func (s *keyScanner) simpleKey() (string, bool) {
	switch c := s.peek(); {
	case c == '"':
		return s.basicString(), true
	case c == '\'':
		return s.literalString(), true
	case isBareKeyByte(c):
		start := s.pos
		for !s.eof() && isBareKeyByte(s.src[s.pos]) {
			s.pos++
		}
		return string(s.src[start:s.pos]), true
	}
	return "", false
}

func isBareKeyByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// value skips one value, recording the keys of inline tables and the
// elements of arrays under p.
func (s *keyScanner) value(p keyPath) {
	if s.depth >= maxNesting {
		return
	}
	s.depth++
	defer func() { s.depth-- }()
	switch {
	case s.has(`"""`):
		s.multilineString(`"""`)
	case s.has(`'''`):
		s.multilineString(`'''`)
	case s.peek() == '"':
		s.basicString()
	case s.peek() == '\'':
		s.literalString()
	case s.peek() == '[':
		s.array(p)
	case s.peek() == '{':
		s.inlineTable(p)
	default:
		// Numbers, booleans and date-times: up to whatever ends a value.
		for !s.eof() && !strings.ContainsRune(",]}#\r\n", rune(s.src[s.pos])) {
			s.pos++
		}
	}
}

func (s *keyScanner) array(p keyPath) {
	s.advance(1) // [
	for i := 0; ; i++ {
		s.skipBlank(true)
		if s.eof() {
			return
		}
		if s.peek() == ']' {
			s.advance(1)
			return
		}
		el := p.elem(i)
		s.out.record(el, s.line)
		start := s.pos
		s.value(el)
		s.skipBlank(true)
		switch {
		case s.peek() == ',':
			s.advance(1)
		case s.pos == start: // not a value: give up on this array
			return
		}
	}
}

func (s *keyScanner) inlineTable(p keyPath) {
	s.advance(1) // {
	for {
		s.skipBlank(true) // TOML 1.1 allows newlines in inline tables
		if s.eof() {
			return
		}
		switch s.peek() {
		case '}':
			s.advance(1)
			return
		case ',':
			s.advance(1)
			continue
		}
		start := s.pos
		s.keyValue(p)
		if s.pos == start {
			return
		}
	}
}

// basicString reads "..." and returns its unescaped text.
func (s *keyScanner) basicString() string {
	s.advance(1)
	var b strings.Builder
	for !s.eof() {
		c := s.src[s.pos]
		switch c {
		case '"':
			s.advance(1)
			return b.String()
		case '\n':
			return b.String() // unterminated: a valid document never gets here
		case '\\':
			s.escape(&b)
		default:
			b.WriteByte(c)
			s.pos++
		}
	}
	return b.String()
}

// escape decodes one backslash escape of a basic string.
func (s *keyScanner) escape(b *strings.Builder) {
	s.pos++ // backslash
	if s.eof() {
		return
	}
	c := s.src[s.pos]
	s.pos++
	digits := 0
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case 'e':
		b.WriteByte(0x1b)
	case 'x':
		digits = 2
	case 'u':
		digits = 4
	case 'U':
		digits = 8
	default: // \" and \\ stand for themselves
		b.WriteByte(c)
	}
	if digits == 0 {
		return
	}
	if s.pos+digits > len(s.src) {
		b.WriteByte(c)
		return
	}
	n, err := strconv.ParseUint(string(s.src[s.pos:s.pos+digits]), 16, 32)
	if err != nil || !utf8.ValidRune(rune(n)) {
		b.WriteByte(c)
		return
	}
	s.pos += digits
	b.WriteRune(rune(n))
}

func (s *keyScanner) literalString() string {
	s.advance(1)
	start := s.pos
	for !s.eof() && s.src[s.pos] != '\'' && s.src[s.pos] != '\n' {
		s.pos++
	}
	text := string(s.src[start:s.pos])
	if s.peek() == '\'' {
		s.advance(1)
	}
	return text
}

// multilineString skips a triple-quoted string of either kind (delim is its
// quotes). The closing run of quotes may be up to five long: one or two
// quotes of content, then the delimiter.
func (s *keyScanner) multilineString(delim string) {
	s.advance(3)
	for !s.eof() {
		switch {
		case delim == `"""` && s.src[s.pos] == '\\':
			s.advance(2) // an escaped character, or a line-ending backslash
		case s.has(delim):
			n := 0
			for !s.eof() && s.src[s.pos] == delim[0] && n < 5 {
				s.pos++
				n++
			}
			return
		default:
			s.advance(1)
		}
	}
}

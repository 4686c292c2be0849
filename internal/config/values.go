package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/totewms/tote/internal/floor"
)

// checker turns the decoded file into a Config, collecting every problem
// instead of stopping at the first. Values arrive as the decoder's plain
// types (string, int64, float64, bool, []any, map[string]any, time.Time);
// nil means the key is absent.
type checker struct {
	file   string
	dir    string // directory relative paths in the file are resolved against
	data   []byte
	md     toml.MetaData
	lines  *keyLines
	errs   []*Error
	schema map[string][]schemaKey // keys by table, filled as the check needs them
}

func newChecker(path string, data []byte) *checker {
	dir := "."
	if path != "" {
		dir = filepath.Dir(path)
	}
	return &checker{file: path, dir: dir, data: data, lines: &keyLines{}}
}

// errorf reports a problem with the key at p, on the key's line, or when the
// key is not written (a default that does not fit) on its table's line.
func (c *checker) errorf(p keyPath, format string, args ...any) {
	line := 0
	for up := p; line == 0 && len(up) > 0; up = up[:len(up)-1] {
		line = c.lines.line(up)
	}
	c.errs = append(c.errs, &Error{File: c.file, Line: line, Key: p.String(), Msg: fmt.Sprintf(format, args...)})
}

// missing reports a required key absent from table tbl, on the table's line
// when the table is written in the file.
func (c *checker) missing(tbl keyPath, key, example string) {
	header := tableHeader(tbl)
	line := c.lines.line(tbl)
	msg := fmt.Sprintf("missing: add %s = %s to this %s table", key, example, header)
	if line == 0 {
		msg = fmt.Sprintf("missing: add a %s table with %s = %s", header, key, example)
	}
	c.errs = append(c.errs, &Error{File: c.file, Line: line, Key: tbl.child(key).String(), Msg: msg})
}

// tableHeader is how tbl is written as a header: [station], [[scanners]].
func tableHeader(tbl keyPath) string {
	if len(tbl) > 0 && tbl[len(tbl)-1].index >= 0 {
		return "[[" + tbl.schema() + "]]"
	}
	return "[" + tbl.schema() + "]"
}

// wrongType reports a value of the wrong TOML type.
func (c *checker) wrongType(p keyPath, v any, want string) {
	c.errorf(p, "must be %s, not %s", want, describe(v))
}

// describe names a decoded value for an error message.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) > 40 {
			x = string([]rune(x)[:40]) + "…"
		}
		return fmt.Sprintf("the string %q", x)
	case int64:
		return fmt.Sprintf("the whole number %d", x)
	case float64:
		n := strconv.FormatFloat(x, 'g', -1, 64)
		if !strings.ContainsAny(n, ".eInN") {
			n += ".0" // 9600.0 is why 9600 was refused as a whole number
		}
		return "the number " + n
	case bool:
		return fmt.Sprintf("%t", x)
	case time.Time:
		return "a date or time"
	case map[string]any:
		return "a table"
	case []map[string]any:
		return "a list of tables"
	case []any:
		return "a list"
	}
	return fmt.Sprintf("a %T", v)
}

// str reads a string into dst. It reports whether a value was read.
func (c *checker) str(p keyPath, v any, dst *string) bool {
	if v == nil {
		return false
	}
	s, ok := v.(string)
	if !ok {
		c.wrongType(p, v, "a string in quotes")
		return false
	}
	*dst = s
	return true
}

// integer reads a whole number between lo and hi into dst.
func (c *checker) integer(p keyPath, v any, lo, hi int64, dst *int) bool {
	if v == nil {
		return false
	}
	n, ok := v.(int64)
	if !ok {
		c.wrongType(p, v, "a whole number")
		return false
	}
	if n < lo || n > hi {
		c.errorf(p, "%d is out of range: %s", n, rangeText(float64(lo), float64(hi), "%.0f"))
		return false
	}
	*dst = int(n)
	return true
}

// number reads a finite number between lo and hi (lo excluded when open)
// into dst; a whole number will do.
func (c *checker) number(p keyPath, v any, lo, hi float64, openLo bool, dst *float64) bool {
	if v == nil {
		return false
	}
	var f float64
	switch x := v.(type) {
	case int64:
		f = float64(x)
	case float64:
		f = x
	default:
		c.wrongType(p, v, "a number")
		return false
	}
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		c.errorf(p, "must be a finite number, not %g", f)
		return false
	case openLo && (f <= lo || f > hi):
		c.errorf(p, "%g is out of range: must be more than %g and at most %g", f, lo, hi)
		return false
	case f < lo || f > hi:
		c.errorf(p, "%g is out of range: %s", f, rangeText(lo, hi, "%g"))
		return false
	}
	*dst = f
	return true
}

func rangeText(lo, hi float64, verb string) string {
	if hi >= math.MaxInt32 {
		return fmt.Sprintf("must be at least "+verb, lo)
	}
	return fmt.Sprintf("must be from "+verb+" to "+verb, lo, hi)
}

func (c *checker) boolean(p keyPath, v any, dst *bool) bool {
	if v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		c.wrongType(p, v, "true or false (without quotes)")
		return false
	}
	*dst = b
	return true
}

// enum reads one of the allowed words into dst.
func enum[T ~string](c *checker, p keyPath, v any, dst *T, allowed ...T) bool {
	var s string
	if !c.str(p, v, &s) {
		return false
	}
	for _, a := range allowed {
		if string(a) == s {
			*dst = a
			return true
		}
	}
	words := make([]string, len(allowed))
	for i, a := range allowed {
		words[i] = fmt.Sprintf("%q", a)
	}
	c.errorf(p, "%q is not one of %s", s, strings.Join(words, ", "))
	return false
}

// duration reads a duration string ("200ms", "1.5s") between lo and hi.
func (c *checker) duration(p keyPath, v any, lo, hi time.Duration, dst *time.Duration) bool {
	if v == nil {
		return false
	}
	s, ok := v.(string)
	if !ok {
		c.wrongType(p, v, `a duration in quotes, like "200ms" or "1.5s"`)
		return false
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		c.errorf(p, "%q is not a duration like \"200ms\" or \"1.5s\": %s", s, strings.TrimPrefix(err.Error(), "time: "))
		return false
	}
	if d < lo || d > hi {
		c.errorf(p, "%s is out of range: must be from %s to %s", d, lo, hi)
		return false
	}
	*dst = d
	return true
}

// list reads a TOML array.
func (c *checker) list(p keyPath, v any, want string) ([]any, bool) {
	if v == nil {
		return nil, false
	}
	l, ok := v.([]any)
	if !ok {
		c.wrongType(p, v, want)
		return nil, false
	}
	return l, true
}

// words reads a non-empty list of distinct strings, each checked by ok.
func (c *checker) words(p keyPath, v any, example string, ok func(el keyPath, s string) bool, dst *[]string) bool {
	l, isList := c.list(p, v, "a list of strings, like "+example)
	if !isList {
		return false
	}
	if len(l) == 0 {
		c.errorf(p, "must not be empty: list at least one, like %s", example)
		return false
	}
	out := make([]string, 0, len(l))
	seen := map[string]bool{}
	good := true
	for i, el := range l {
		at := p.elem(i)
		var s string
		switch {
		case !c.str(at, el, &s):
			good = false
		case seen[s]:
			c.errorf(at, "%q is listed twice", s)
			good = false
		case !ok(at, s):
			good = false
		default:
			seen[s] = true
			out = append(out, s)
		}
	}
	if good {
		*dst = out
	}
	return good
}

// code reads an identifier of 1–32 upper-case letters, digits and dashes,
// as station ids and sites are written on labels and in the journal.
func (c *checker) code(p keyPath, v any, dst *string) bool {
	var s string
	if !c.str(p, v, &s) {
		return false
	}
	if !stationCode.MatchString(s) {
		c.errorf(p, "%q is not valid: use 1 to 32 of A–Z, 0–9 and -", s)
		return false
	}
	*dst = s
	return true
}

var stationCode = regexp.MustCompile(`^[A-Z0-9-]{1,32}$`)

// token reads printable text without spaces, such as a barcode, up to max
// bytes long.
func (c *checker) token(p keyPath, v any, max int, dst *string) bool {
	var s string
	if !c.str(p, v, &s) {
		return false
	}
	switch {
	case s == "":
		c.errorf(p, "must not be empty")
		return false
	case len(s) > max:
		c.errorf(p, "is %d bytes long: at most %d", len(s), max)
		return false
	case strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsGraphic(r) || r == ' ' }) >= 0:
		c.errorf(p, "%q must be printable ASCII without spaces", s)
		return false
	}
	*dst = s
	return true
}

// text reads printable text for people to read on a label or a screen, up
// to max characters, by the rule for text from outside (floor.CheckText):
// no control characters (an escape sequence would drive the terminal, a
// line break would break the label) and no invisible formatting such as
// bidi overrides, which could make a label read other than it prints.
func (c *checker) text(p keyPath, v any, max int, dst *string) bool {
	var s string
	if !c.str(p, v, &s) {
		return false
	}
	if strings.TrimSpace(s) == "" {
		c.errorf(p, "must not be empty (leave the key out if there is none)")
		return false
	}
	if n := utf8.RuneCountInString(s); n > max {
		c.errorf(p, "is %d characters long: at most %d", n, max)
		return false
	}
	// The rule for text from outside (floor.CheckText): the same text a
	// label takes from the hub, ZWNJ and ZWJ where a script needs them.
	var te *floor.TextError
	if err := floor.CheckText("text", s, max); errors.As(err, &te) && te.Rune >= 0 {
		c.errorf(p, "%q has a control or formatting character (U+%04X) in it: write printable text only", s, te.Rune)
		return false
	}
	*dst = s
	return true
}

// path reads a file path: ~ is the home directory, and a relative path is
// taken from the directory of the configuration file.
func (c *checker) path(p keyPath, v any, dst *string) bool {
	var s string
	if !c.str(p, v, &s) {
		return false
	}
	if s == "" {
		c.errorf(p, "must not be empty")
		return false
	}
	abs, err := c.resolvePath(s)
	if err != nil {
		c.errorf(p, "%v", err)
		return false
	}
	*dst = abs
	return true
}

func (c *checker) resolvePath(s string) (string, error) {
	if s == "~" || strings.HasPrefix(s, "~/") || runtime.GOOS == "windows" && strings.HasPrefix(s, `~\`) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~: %v", err)
		}
		s = filepath.Join(home, s[1:])
	} else if strings.HasPrefix(s, "~") {
		return "", fmt.Errorf("%q: only ~ and ~/ are expanded, not ~user", s)
	}
	if !filepath.IsAbs(s) {
		s = filepath.Join(c.dir, s)
		if abs, err := filepath.Abs(s); err == nil {
			s = abs
		}
	}
	return filepath.Clean(s), nil
}

// defaultDataDir is the per-user data directory: $XDG_DATA_HOME/tote, or
// ~/.local/share/tote (Windows: %LocalAppData%\tote; macOS:
// ~/Library/Application Support/tote).
func defaultDataDir() (string, error) {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "tote"), nil
	}
	if runtime.GOOS == "windows" {
		if x := os.Getenv("LocalAppData"); x != "" {
			return filepath.Join(x, "tote"), nil
		}
		return "", fmt.Errorf("%%LocalAppData%% is not set")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Application Support", "tote"), nil
	}
	return filepath.Join(home, ".local", "share", "tote"), nil
}

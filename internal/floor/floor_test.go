package floor

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	cases := map[string]string{
		"A-01-02-3":               "A-01-02-3",
		"Zoë Müller":              "Zoë Müller",
		"\x1b[2J":                 `\x1b[2J`,
		"a\x00b\x07c\x7f":         `a\x00b\x07c\x7f`,
		"lot\x1d17":               "lot<GS>17",
		"\xff\xfeok":              `\xff\xfeok`,
		"evil\u202egnp.exe":       `evil\u202egnp.exe`,
		"\u009b31m":               `\x9b31m`,
		"real \uFFFD replacement": "real \uFFFD replacement",
		"tab\there":               `tab\x09here`,
	}
	for in, want := range cases {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzPrintable: whatever comes in, what goes to the terminal is valid
// UTF-8 with no control or bidi characters, and plain text passes unchanged.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"", "A-01-02-3", "\x1b]0;t\x07", "\xff", "\u202e", "a\x1db", "Zoë"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Printable(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) = %q is not valid UTF-8", s, out)
		}
		for _, r := range out {
			if unicode.IsControl(r) || r == '\u202e' || r == '\u202d' || (r >= '\u2066' && r <= '\u2069') {
				t.Fatalf("Printable(%q) = %q keeps %U", s, out, r)
			}
		}
		plain := utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
			return unicode.IsControl(r) || r == 0x1d || r == '\\' || (r >= '\u200e' && r <= '\u200f') || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
		})
		if plain && out != s {
			t.Fatalf("plain text %q changed to %q", s, out)
		}
	})
}

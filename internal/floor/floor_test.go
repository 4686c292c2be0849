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

// TestPrintableInvisibleFormatting: each invisible formatting character
// the outside-text rule refuses shows as a visible escape, and the joiners
// stay where a script needs them.
func TestPrintableInvisibleFormatting(t *testing.T) {
	cases := map[string]string{
		"A\u061cB":         `A\u061cB`, // Arabic letter mark
		"SKU\u200b1":       `SKU\u200b1`,
		"A-01\u200c-02":    `A-01\u200c-02`, // ZWNJ between Latin
		"Bob\u200dAlice":   `Bob\u200dAlice`,
		"line\u2028two":    `line\u2028two`,
		"para\u2029two":    `para\u2029two`,
		"\ufeffMUG-1":      `\ufeffMUG-1`,
		"word\u2060joiner": `word\u2060joiner`,
		"soft\u00adhyphen": `soft\u00adhyphen`,
		"\u2066iso\u2069":  `\u2066iso\u2069`,
		"\u200cعلی":        `\u200cعلی`, // joins nothing before
		"علی\u200c":        `علی\u200c`, // nor after
		"x\U000e0041":      `x\ue0041`,  // a tag
		"priv\ue000":       `priv\ue000`,
		"علی\u200cرضا":     "علی\u200cرضا",   // Persian: ZWNJ between letters
		"می\u200cخواهم":    "می\u200cخواهم",  // Persian
		"क्\u200dष":        "क्\u200dष",      // Devanagari: ZWJ after a virama
		"👩\u200d💻":         "👩\u200d💻",       // emoji sequence
		"🏳\ufe0f\u200d🌈":   "🏳\ufe0f\u200d🌈", // with a presentation selector
		"👩🏽\u200d🚀":        "👩🏽\u200d🚀",      // with a skin tone
		"محمد":             "محمد",
		"東京都渋谷区":           "東京都渋谷区",
		"e\u0301":          "e\u0301", // combining acute
	}
	for in, want := range cases {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// forbidden reports a character the screen must never receive as it is.
func forbidden(r rune) bool {
	return unicode.IsControl(r) || r == 0x1b || r == '\u061c' || r == '\u200b' || r == '\u200e' || r == '\u200f' ||
		(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') || r == '\u2028' || r == '\u2029' ||
		r == '\ufeff' || r == '\u2060' || r == '\u00ad' || unicode.Is(unicode.Cf, r) && r != '\u200c' && r != '\u200d' ||
		unicode.Is(unicode.Co, r) || !unicode.IsGraphic(r) && r != '\u200c' && r != '\u200d'
}

// FuzzPrintable: whatever comes in, what goes to the terminal is valid
// UTF-8 with no C0/C1 control, ESC, bidi control, line or paragraph
// separator, BOM or other invisible formatting; a ZWNJ or ZWJ only where
// it joins letters of a script that needs it, or emoji; and text the
// import rule takes passes unchanged.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"", "A-01-02-3", "\x1b]0;t\x07", "\xff", "\u202e", "a\x1db", "Zoë",
		"علی\u200cرضا", "👩\u200d💻", "a\u200cb", "\u2028\u2029\ufeff\u2060\u061c\u200b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Printable(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Printable(%q) = %q is not valid UTF-8", s, out)
		}
		for i, r := range out {
			if forbidden(r) {
				t.Fatalf("Printable(%q) = %q keeps %U", s, out, r)
			}
			if r == '\u200c' || r == '\u200d' {
				if !joinerNeeded(out, i, r) {
					t.Fatalf("Printable(%q) = %q keeps %U where it joins nothing", s, out, r)
				}
			}
		}
		if CheckText("text", s, len(s)+1) == nil && !strings.ContainsRune(s, 0x1d) && out != s {
			t.Fatalf("text the import takes %q changed to %q", s, out)
		}
	})
}

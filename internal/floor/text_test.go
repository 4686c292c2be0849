package floor

import (
	"errors"
	"strings"
	"testing"
)

// International text every field takes, as an OMS sends it.
var welcomeText = []string{
	"علی\u200cرضا",           // Persian with ZWNJ
	"محمد عبد الله",          // Arabic
	"東京都渋谷区",                 // CJK
	"김민준",                    // Hangul
	"👩\u200d👩\u200d👧",        // emoji ZWJ sequence
	"Zoë Müller",             // combining-free accents
	"Zoe\u0308 Mu\u0308ller", // combining marks
	"क्\u200dषत्रिय",         // Devanagari with ZWJ after a virama
	"O'Brien & Söhne",
}

// Hostile text every field refuses, with the character the error names
// (-1: the text as a whole).
var hostileText = []struct {
	name string
	s    string
	r    rune
}{
	{"ESC sequence", "Bob\x1b[2J", 0x1b},
	{"OSC title", "\x1b]0;pwned\x07", 0x1b},
	{"NUL", "A\x00B", 0},
	{"C1 CSI", "A\u009b31m", 0x9b},
	{"bidi override", "evil\u202egnp.exe", 0x202e},
	{"bidi isolate", "\u2066x\u2069", 0x2066},
	{"Arabic letter mark", "A\u061cB", 0x061c},
	{"zero-width space", "MUG\u200b1", 0x200b},
	{"ZWNJ between Latin", "Mu\u200cg", 0x200c},
	{"ZWJ at the end", "علی\u200d", 0x200d},
	{"line separator", "a\u2028b", 0x2028},
	{"BOM", "\ufeffMUG", 0xfeff},
	{"word joiner", "a\u2060b", 0x2060},
	{"replacement char", "Zo\ufffd", 0xfffd},
	{"not UTF-8", "Zo\xff", -1},
	{"10,000 characters", strings.Repeat("x", 10000), -1},
	{"blank", "   ", -1},
	{"private use", "icon\ue000", 0xe000},
	{"unassigned", "x\U000e0fff", 0xe0fff},
}

func TestCheckTextTakesInternationalText(t *testing.T) {
	for _, s := range welcomeText {
		if err := CheckText("customer", s, MaxNameLen); err != nil {
			t.Errorf("CheckText(%q): %v", s, err)
		}
		if got := Printable(s); got != s {
			t.Errorf("Printable(%q) = %q: text the import takes must show as it is", s, got)
		}
	}
}

func TestCheckTextRefusesHostileText(t *testing.T) {
	for _, c := range hostileText {
		for _, check := range []func(string, string, int) error{CheckText, CheckCode} {
			err := check("customer", c.s, MaxNameLen)
			var te *TextError
			if !errors.As(err, &te) {
				t.Errorf("%s: %q was taken (%v)", c.name, c.s, err)
				continue
			}
			if te.Rune != c.r {
				t.Errorf("%s: the error names %U, want %U: %v", c.name, te.Rune, c.r, err)
			}
			if !strings.HasPrefix(err.Error(), "the customer ") || strings.ContainsAny(err.Error(), "\x1b\x00\u202e\u2066") {
				t.Errorf("%s: error %q does not name the field or is not printable", c.name, err)
			}
		}
	}
}

func TestCheckCode(t *testing.T) {
	for _, s := range []string{"MUG-001", "A-01-02-3", "SKU_ä", "東京-1"} {
		if err := CheckCode("SKU", s, MaxCodeLen); err != nil {
			t.Errorf("CheckCode(%q): %v", s, err)
		}
	}
	for _, s := range []string{"MUG 001", "A/B", "A\u00a0B", "", strings.Repeat("9", 101)} {
		if err := CheckCode("SKU", s, MaxCodeLen); err == nil {
			t.Errorf("CheckCode(%q) took it", s)
		}
	}
}

func TestSameSKU(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"YOGA-217", "yoga-217", true},
		{"YOGA-217", "Yoga-217", true},
		{"YOGA-217", "YOGA-217", true},
		{"YOGA-217", "YOGA-2170", false},
		{"ÄPFEL-1", "äpfel-1", false}, // only A-Z fold: what SQLite's NOCASE folds
		{"KELVIN", "\u212aELVIN", false},
		{"", "", true},
	} {
		if got := SameSKU(c.a, c.b); got != c.same {
			t.Errorf("SameSKU(%q, %q) = %v", c.a, c.b, got)
		}
	}
	if SKUKey("mug-1") != "MUG-1" || SKUKey("MUG-1") != "MUG-1" {
		t.Error("SKUKey does not capitalise a-z")
	}
}

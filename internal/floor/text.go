package floor

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text from outside tote (an OMS order, a site import, the office's admin
// calls) ends up on operators' terminals and on labels. One rule decides
// which characters of it tote takes, at import (CheckText, CheckCode refuse
// with the reason) and at display (Printable shows the rest as visible
// escapes):
//
//   - letters, marks, digits, punctuation, symbols and spaces of any
//     script (unicode.IsGraphic);
//   - ZWNJ (U+200C) and ZWJ (U+200D) only where a script needs them:
//     between two letters of a joining script (Arabic and Persian, Syriac,
//     N'Ko, Mongolian, the Indic scripts, Myanmar, Khmer…; marks on the
//     first letter may come between), and ZWJ between the emoji of an
//     emoji sequence (👩‍💻, 🏳️‍🌈);
//   - nothing else: no control character (C0, C1, DEL, ESC), no line or
//     paragraph separator (U+2028, U+2029), no invisible formatting (bidi
//     marks, embeddings, overrides and isolates, U+061C, U+200B, U+2060,
//     U+FEFF, the soft hyphen, tags), no private-use or unassigned code
//     point, no U+FFFD (the mark of text that was not UTF-8 at its source)
//     in imported text.

// Limits of outside text, in characters.
const (
	MaxNameLen        = 100 // a person's or company's name, a customer
	MaxDescriptionLen = 200 // an item description, a hold note, a reason
	MaxCodeLen        = 100 // an identifier a barcode carries, in bytes
)

const (
	zwnj = '\u200c'
	zwj  = '\u200d'
)

// joiningScripts are the scripts whose letters ZWNJ and ZWJ shape.
var joiningScripts = []*unicode.RangeTable{
	unicode.Arabic, unicode.Syriac, unicode.Nko, unicode.Mongolian, unicode.Adlam, unicode.Hanifi_Rohingya,
	unicode.Devanagari, unicode.Bengali, unicode.Gurmukhi, unicode.Gujarati, unicode.Oriya, unicode.Tamil,
	unicode.Telugu, unicode.Kannada, unicode.Malayalam, unicode.Sinhala, unicode.Tibetan, unicode.Myanmar,
	unicode.Khmer,
}

func joiningLetter(r rune) bool { return unicode.IsLetter(r) && unicode.In(r, joiningScripts...) }

// pictographic approximates Unicode's Extended_Pictographic: the emoji
// that ZWJ sequences join.
func pictographic(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x2300 && r <= 0x23FF,
		r >= 0x2B00 && r <= 0x2BFF, r >= 0x2190 && r <= 0x21FF, r >= 0x1FC00 && r <= 0x1FFFD:
		return true
	}
	return r == 0x3030 || r == 0x303D || r == 0x3297 || r == 0x3299 || r == 0x00A9 || r == 0x00AE || r == 0x203C || r == 0x2049 || r == 0x2122
}

// emojiTail is what may end the emoji before a ZWJ: the emoji itself, its
// presentation selector or a skin tone.
func emojiTail(r rune) bool { return pictographic(r) || r == 0xFE0F || r >= 0x1F3FB && r <= 0x1F3FF }

// allowedAt reports whether r, the rune at s[i], is text tote takes.
func allowedAt(s string, i int, r rune) bool {
	if r == zwnj || r == zwj {
		return joinerNeeded(s, i, r)
	}
	return unicode.IsGraphic(r)
}

// joinerNeeded reports whether the joiner r at s[i] sits where a script
// needs it.
func joinerNeeded(s string, i int, r rune) bool {
	next, _ := utf8.DecodeRuneInString(s[i+utf8.RuneLen(r):])
	before := s[:i]
	last, n := utf8.DecodeLastRuneInString(before)
	if n == 0 {
		return false
	}
	// Both sides must be characters tote takes (unassigned code points sit
	// in the emoji blocks too), or the joiner would join an escape.
	if r == zwj && emojiTail(last) && unicode.IsGraphic(last) && pictographic(next) && unicode.IsGraphic(next) {
		return true
	}
	// Skip the marks on the letter before (a virama, harakat).
	for n > 0 && unicode.Is(unicode.M, last) {
		before = before[:len(before)-n]
		last, n = utf8.DecodeLastRuneInString(before)
	}
	return n > 0 && joiningLetter(last) && joiningLetter(next)
}

// TextError says why outside text is refused. Rune is the character at
// fault (or -1 when the text as a whole is: too long, blank, not UTF-8).
type TextError struct {
	What string // the field, e.g. "customer", "item description"
	Text string // the text, made printable and clipped for the message
	Rune rune
	Msg  string
}

func (e *TextError) Error() string { return e.Msg }

// CheckText checks outside text for people to read (a name, a customer, a
// description) against the rule above: not blank, at most max characters.
// what names the field in the error, which says what is wrong and where.
func CheckText(what, s string, max int) error {
	if okText(s, max, false) {
		return nil
	}
	return textError(what, s, max, false)
}

// CheckCode checks an outside identifier that barcodes and URLs carry (an
// order id, a SKU, a location, a badge): the rule above, no spaces and no
// slash, at most max bytes.
func CheckCode(what, s string, max int) error {
	if okText(s, max, true) {
		return nil
	}
	return textError(what, s, max, true)
}

// okText is the test without the words, so the common case allocates
// nothing.
func okText(s string, max int, code bool) bool {
	blank, n := true, 0
	if code && len(s) > max {
		return false
	}
	for i, r := range s {
		n++
		if r == utf8.RuneError || !allowedAt(s, i, r) || code && (unicode.IsSpace(r) || r == '/') {
			return false // also bytes that are not UTF-8: they decode as RuneError
		}
		blank = blank && unicode.IsSpace(r)
	}
	return !blank && n <= max
}

func textError(what, s string, max int, code bool) error {
	e := &TextError{What: what, Text: Printable(Clip(s)), Rune: -1}
	n := utf8.RuneCountInString(s)
	switch {
	case strings.TrimSpace(s) == "":
		e.Msg = fmt.Sprintf("the %s is blank", what)
		if s == "" {
			e.Msg = fmt.Sprintf("the %s is empty", what)
		}
	case !utf8.ValidString(s):
		e.Msg = fmt.Sprintf("the %s \"%s\" is not valid UTF-8", what, e.Text)
	case code && len(s) > max:
		e.Msg = fmt.Sprintf("the %s \"%s\"… is %d bytes long; at most %d are allowed", what, e.Text, len(s), max)
	case !code && n > max:
		e.Msg = fmt.Sprintf("the %s \"%s\"… is %d characters long; at most %d are allowed", what, e.Text, n, max)
	}
	if e.Msg != "" {
		return e
	}
	for i, r := range s {
		e.Rune = r
		switch {
		case r == utf8.RuneError:
			// encoding/json turns bytes that are not UTF-8 into U+FFFD:
			// the text was broken before it reached tote.
			e.Msg = fmt.Sprintf("the %s \"%s\" has a replacement character (U+FFFD) in it: the text was not valid UTF-8 where it came from; correct it there",
				what, Printable(s))
		case r == zwnj || r == zwj:
			if allowedAt(s, i, r) {
				continue
			}
			e.Msg = fmt.Sprintf("the %s \"%s\" has a zero-width joiner (U+%04X) that joins no letters of a script that needs it; only printable text is taken",
				what, Printable(s), r)
		case unicode.Is(unicode.Co, r):
			e.Msg = fmt.Sprintf("the %s \"%s\" has a private-use character (U+%04X) in it: it shows as nothing or a box; only printable text is taken",
				what, Printable(s), r)
		case !unicode.IsGraphic(r) && !unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
			e.Msg = fmt.Sprintf("the %s \"%s\" has a character this version of tote does not know (U+%04X) in it; only printable text is taken",
				what, Printable(s), r)
		case !unicode.IsGraphic(r):
			e.Msg = fmt.Sprintf("the %s \"%s\" has a control or formatting character (U+%04X) in it; only printable text is taken",
				what, Printable(s), r)
		case code && (unicode.IsSpace(r) || r == '/'):
			e.Msg = fmt.Sprintf("the %s \"%s\" has a space, a slash or a control character in it", what, Printable(s))
		default:
			continue
		}
		return e
	}
	e.Rune = -1
	e.Msg = fmt.Sprintf("the %s \"%s\" is not text tote takes", what, e.Text) // not reached: okText and the cases agree
	return e
}

// Clip shortens s to about 40 bytes, on a rune boundary, for an error
// message that quotes what was refused.
func Clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	for i := 40; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i]
		}
	}
	return s[:40]
}

package protocol

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"
)

// Clean text at the edge: what a station pushes is stored as sent and
// given back by the read API, so it must be text every JSON reader takes.
// An id, type or operator badge, and every key and string of a payload,
// must be valid UTF-8 without control characters (C0, DEL, C1); a
// payload escape that names half a surrogate pair is not text either.
// Stations write these through floor.Printable, so a station never sends
// them: a push that does is refused whole, before anything is applied.

// CheckClean says what is wrong with s as text, or nil.
func CheckClean(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	for _, r := range s {
		if isControl(r) {
			return fmt.Errorf("%s has the control character %U", what, r)
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

// CheckPayload checks every key and string of a JSON payload with
// CheckClean, and that it holds no lone surrogate escape.
func CheckPayload(b json.RawMessage) error {
	if plainPayload(b) && json.Valid(b) {
		return nil // its strings are clean as they stand: no token walk
	}
	return checkPayloadTokens(b)
}

// plainPayload reports whether b is printable ASCII and JSON space only,
// with no escape and no number the token walk would refuse (an exponent,
// or more digits than a float64 holds): then every key and string of a
// valid b is clean text as written, and what json.Valid takes the walk
// takes. Most payloads are; the walk was a tenth of a push's CPU.
func plainPayload(b []byte) bool {
	digits := 0
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if digits++; digits > 300 {
				return false
			}
			continue
		case (c == 'e' || c == 'E') && i > 0 && b[i-1] >= '0' && b[i-1] <= '9':
			return false
		case c == '\\' || c >= 0x7f:
			return false
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			return false
		}
		digits = 0
	}
	return true
}

// checkPayloadTokens is CheckPayload by walking every token.
func checkPayloadTokens(b json.RawMessage) error {
	if !utf8.Valid(b) {
		return fmt.Errorf("the payload is not valid UTF-8")
	}
	if hasLoneSurrogate(b) {
		return fmt.Errorf("the payload has an escape for half a surrogate pair, which is not text")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("the payload does not read: %v", err)
		}
		if s, ok := tok.(string); ok {
			if err := CheckClean("a payload string", s); err != nil {
				return err
			}
		}
	}
}

// hasLoneSurrogate finds \uD800-\uDFFF escapes not paired high then low
// (encoding/json turns them into U+FFFD silently).
func hasLoneSurrogate(b []byte) bool {
	for i := 0; i+5 < len(b); i++ {
		if b[i] != '\\' {
			continue
		}
		if b[i+1] != 'u' {
			i++ // skip the escaped character, which may be a backslash
			continue
		}
		v, ok := hex4(b[i+2 : i+6])
		if !ok {
			continue
		}
		switch {
		case v >= 0xDC00 && v <= 0xDFFF:
			return true
		case v >= 0xD800 && v <= 0xDBFF:
			if i+11 >= len(b) || b[i+6] != '\\' || b[i+7] != 'u' {
				return true
			}
			lo, ok := hex4(b[i+8 : i+12])
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 11
		default:
			i += 5
		}
	}
	return false
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var v rune
	for _, c := range b[:4] {
		v <<= 4
		switch {
		case c >= '0' && c <= '9':
			v |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			v |= rune(c-'a') + 10
		case c >= 'A' && c <= 'F':
			v |= rune(c-'A') + 10
		default:
			return 0, false
		}
	}
	return v, true
}

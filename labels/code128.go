package labels

import (
	"fmt"
	"strings"
)

// fnc1 stands for the FNC1 function character among Code 128 symbols; every
// other symbol is a printable ASCII byte.
const fnc1 = -1

// code128Symbols is the plain Code 128 content of data, already checked.
func code128Symbols(data string) []int {
	s := make([]int, len(data))
	for i := 0; i < len(data); i++ {
		s[i] = int(data[i])
	}
	return s
}

func checkCode128Data(data string) error {
	if data == "" {
		return fmt.Errorf("no data for the Code 128 barcode")
	}
	if len(data) < 2 {
		// A lone character would follow the start code directly, which
		// zpl-renderer-js drops; one-character codes misread too easily anyway.
		return fmt.Errorf("data %q is too short for Code 128: at least 2 characters", data)
	}
	if len(data) > 80 {
		return fmt.Errorf("data is %d characters long; the most a Code 128 barcode on a label holds is 80", len(data))
	}
	for i := 0; i < len(data); i++ {
		if c := data[i]; c < 0x20 || c > 0x7e {
			return fmt.Errorf("data %q has byte 0x%02X at %d: Code 128 prints only printable ASCII (space to ~)", data, c, i)
		}
	}
	return checkNoInvocation(data)
}

// checkNoInvocation refuses >, ZPL's Code 128 invocation character. Its
// escape (>0) is right by the Zebra manual, but zpl-renderer-js drops a last
// character that follows any invocation code, so ">" near the end would
// print something CI cannot verify; codes and GS1 values never need it.
func checkNoInvocation(data string) error {
	if i := strings.IndexByte(data, '>'); i >= 0 {
		return fmt.Errorf("%q has > at %d, which tote does not print in Code 128 (it is ZPL's invocation character)", data, i)
	}
	return nil
}

func isDigit(s int) bool { return s >= '0' && s <= '9' }

// subsetCRun is how many leading symbols can be encoded in subset C: FNC1s
// and pairs of digits.
func subsetCRun(s []int) int {
	i := 0
	for i < len(s) {
		switch {
		case s[i] == fnc1:
			i++
		case i+1 < len(s) && isDigit(s[i]) && isDigit(s[i+1]):
			i += 2
		default:
			return i
		}
	}
	return i
}

// code128ZPL writes the symbols as ^BC mode N field data with explicit
// invocation codes and returns the number of symbol characters between the
// start and check characters.
//
// It starts in subset C when the data opens with enough digit pairs to be
// worth it, and switches to subset B (>6) at most once, never back:
// zpl-renderer-js reads >5 (code C) inside subset B as FNC4, and an encoding
// that every renderer reads alike is worth a few modules.
func code128ZPL(b *strings.Builder, s []int) int {
	n := 0
	c := subsetCRun(s)
	digits := 0
	for _, v := range s[:c] {
		if v != fnc1 {
			digits++
		}
	}
	// zpl-renderer-js drops a last character that follows an invocation
	// code, so subset C hands its last digit pair (or FNC1) back to subset B
	// rather than leave B a single character after >6.
	for c > 0 && len(s)-c == 1 {
		if s[c-1] == fnc1 {
			c--
		} else {
			c -= 2
			digits -= 2
		}
	}
	i := 0
	if c > 0 && (digits >= 4 || c == len(s)) && (digits >= 2 || s[0] == fnc1) {
		b.WriteString(">;")
		for i < c {
			if s[i] == fnc1 {
				b.WriteString(">8")
				i++
			} else {
				b.WriteByte(byte(s[i]))
				b.WriteByte(byte(s[i+1]))
				i += 2
			}
			n++
		}
		if i < len(s) {
			b.WriteString(">6")
			n++
		}
	} else {
		b.WriteString(">:")
	}
	var field strings.Builder
	for ; i < len(s); i++ {
		if s[i] == fnc1 {
			field.WriteString(">8")
		} else {
			field.WriteByte(byte(s[i])) // never >: checkNoInvocation refused it
		}
		n++
	}
	fieldHex(b, field.String())
	return n
}

// code128Modules is the width of a symbol with n symbol characters, in
// modules: start, the characters, check (11 modules each) and stop (13).
func code128Modules(n int) int { return 11*(n+2) + 13 }

package labels

import (
	"sync"
	"unicode"

	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// Arabic shaping: a letter takes its isolated, final, initial or medial form
// by whether it joins the letters around it. The printer's fonts and the
// fallback font hold the forms as separate characters (Arabic Presentation
// Forms-A and -B), so shaping maps each letter to the form's code point.

// joining is a character's Arabic joining type.
type joining uint8

const (
	joinNone        joining = iota // U: joins nothing (hamza, ZWNJ, space, Latin)
	joinRight                      // R: joins the letter before it only (alef, dal, reh, waw)
	joinDual                       // D: joins on both sides (beh, seen, lam, yeh…)
	joinCausing                    // C: tatweel and ZWJ join both neighbours
	joinTransparent                // T: marks, skipped when looking for neighbours
)

// arabicForms holds, per letter, its forms: isolated, final, initial, medial
// (0 where the letter has none).
type arabicForms [4]rune

const (
	formIsolated = iota
	formFinal
	formInitial
	formMedial
)

// arabicTable derives the forms from the presentation-form blocks: each
// presentation form decomposes (NFKD) to its letter, and the blocks list a
// letter's forms in the order isolated, final, initial, medial, so a run of
// four is a dual-joining letter, two a right-joining one, one a non-joining
// one. Forms-B (U+FE80–U+FEFC) is read first; Forms-A (U+FB50–U+FBFF) adds
// the Persian, Urdu and other letters Forms-B lacks (پ چ ژ ک گ ی …).
var arabicTable = sync.OnceValue(func() map[rune]arabicForms {
	table := map[rune]arabicForms{}
	for _, block := range [][2]rune{{0xFE80, 0xFEFC}, {0xFB50, 0xFBFF}} {
		var run []rune
		var base rune
		flush := func() {
			if _, seen := table[base]; base != 0 && !seen && (len(run) == 1 || len(run) == 2 || len(run) == 4) {
				var f arabicForms
				copy(f[:], run)
				table[base] = f
			}
			run, base = nil, 0
		}
		for r := block[0]; r <= block[1]; r++ {
			d := []rune(norm.NFKD.String(string(r)))
			if len(d) != 1 || d[0] < 0x0600 || d[0] > 0x06FF {
				flush()
				continue
			}
			if d[0] != base {
				flush()
				base = d[0]
			}
			run = append(run, r)
		}
		flush()
	}
	return table
})

// lamAlef is the lam–alef ligature for each alef that follows a lam: its
// isolated and final forms.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6}, // alef with madda above
	0x0623: {0xFEF7, 0xFEF8}, // alef with hamza above
	0x0625: {0xFEF9, 0xFEFA}, // alef with hamza below
	0x0627: {0xFEFB, 0xFEFC}, // alef
}

const lam = 0x0644

func joiningType(r rune) joining {
	switch r {
	case 0x0640, 0x200D: // tatweel, zero width joiner
		return joinCausing
	case 0x200C: // zero width non-joiner
		return joinNone
	}
	if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf) {
		return joinTransparent
	}
	f, ok := arabicTable()[r]
	switch {
	case !ok:
		return joinNone
	case f[formMedial] != 0:
		return joinDual
	case f[formFinal] != 0:
		return joinRight
	}
	return joinNone
}

// shapeArabic maps the Arabic letters of s (in logical order) to their
// contextual presentation forms and lam + alef to its ligature. Other
// characters pass unchanged.
func shapeArabic(s []rune) []rune {
	hasArabic := false
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			hasArabic = true
			break
		}
	}
	if !hasArabic {
		return s
	}
	types := make([]joining, len(s))
	for i, r := range s {
		types[i] = joiningType(r)
	}
	// neighbour finds the nearest character that is not transparent, from i
	// in steps of step, or -1.
	neighbour := func(i, step int) int {
		for j := i + step; j >= 0 && j < len(s); j += step {
			if types[j] != joinTransparent {
				return j
			}
		}
		return -1
	}
	joinsBefore := func(i int) bool { // the character before i joins towards it
		p := neighbour(i, -1)
		return p >= 0 && (types[p] == joinDual || types[p] == joinCausing)
	}
	out := make([]rune, 0, len(s))
	for i := 0; i < len(s); i++ {
		r, t := s[i], types[i]
		if t != joinDual && t != joinRight {
			out = append(out, r)
			continue
		}
		before := joinsBefore(i)
		n := neighbour(i, 1)
		if r == lam && n >= 0 {
			if lig, ok := lamAlef[s[n]]; ok {
				form := lig[0]
				if before {
					form = lig[1]
				}
				out = append(out, form)
				out = append(out, s[i+1:n]...) // marks between lam and alef
				i = n
				continue
			}
		}
		after := t == joinDual && n >= 0 && types[n] != joinNone
		f := arabicTable()[r]
		form := formIsolated
		switch {
		case before && after:
			form = formMedial
		case before:
			form = formFinal
		case after:
			form = formInitial
		}
		if f[form] == 0 {
			form = formIsolated
		}
		if f[form] == 0 {
			out = append(out, r)
		} else {
			out = append(out, f[form])
		}
	}
	return out
}

// visualOrder puts one line, in logical order, in the order it is drawn
// left to right: a reduced Unicode bidirectional algorithm (UAX #9) for a
// single line with no explicit embeddings. The line's direction comes from
// its first strong character (left to right when it has none); runs of
// right-to-left letters, with the spaces and punctuation between them, are
// reversed; numbers inside them keep their left-to-right digit order; and
// brackets in right-to-left runs are mirrored. Combining marks stay with
// their letter's run; in a reversed run they come before their letter,
// which is where the fallback font draws right-to-left marks (offset 0).
// Explicit embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069) are ignored, not obeyed.
func visualOrder(s []rune) []rune {
	n := len(s)
	cls := make([]bidi.Class, n)
	rtl := false
	for i, r := range s {
		p, _ := bidi.LookupRune(r)
		cls[i] = p.Class()
	}
	for _, c := range cls {
		if c == bidi.L {
			break
		}
		if c == bidi.R || c == bidi.AL {
			rtl = true
			break
		}
	}
	if !rtl {
		hasRTL := false
		for _, c := range cls {
			if c == bidi.R || c == bidi.AL || c == bidi.AN {
				hasRTL = true
				break
			}
		}
		if !hasRTL {
			return s
		}
	}
	base := bidi.L
	if rtl {
		base = bidi.R
	}
	// Explicit formatting characters and boundary neutrals drop out of the
	// resolution (X9): they take the class of what precedes them, as marks do.
	for i, c := range cls {
		switch c {
		case bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI, bidi.BN:
			cls[i] = bidi.NSM
		}
	}
	// W1: marks take the class of the character before them.
	prev := base
	for i, c := range cls {
		if c == bidi.NSM {
			cls[i] = prev
		}
		prev = cls[i]
	}
	// W2, W3: European digits after Arabic letters are Arabic numbers; AL is R.
	strong := base
	for i, c := range cls {
		switch c {
		case bidi.L, bidi.R, bidi.AL:
			strong = c
		case bidi.EN:
			if strong == bidi.AL {
				cls[i] = bidi.AN
			}
		}
		if cls[i] == bidi.AL {
			cls[i] = bidi.R
		}
	}
	// W4: one separator between two numbers of a kind joins them. Unlike
	// UAX #9, a hyphen or plus (ES) joins Arabic numbers too, so a postal
	// code or phone number after Arabic text (القاهرة 100-0005) keeps its
	// parts in the order written.
	for i := 1; i+1 < n; i++ {
		a, b := cls[i-1], cls[i+1]
		if (cls[i] == bidi.ES || cls[i] == bidi.CS) && a == b && (a == bidi.EN || a == bidi.AN) {
			cls[i] = a
		}
	}
	// W5: terminators (%, currency signs) next to European numbers join them.
	for i := 0; i < n; i++ {
		if cls[i] != bidi.ET {
			continue
		}
		j := i
		for j < n && cls[j] == bidi.ET {
			j++
		}
		if (i > 0 && cls[i-1] == bidi.EN) || (j < n && cls[j] == bidi.EN) {
			for k := i; k < j; k++ {
				cls[k] = bidi.EN
			}
		}
		i = j - 1
	}
	// W6, W7: other separators are neutral; European numbers after
	// left-to-right text are left to right.
	strong = base
	for i, c := range cls {
		switch c {
		case bidi.ES, bidi.ET, bidi.CS:
			cls[i] = bidi.ON
		case bidi.L, bidi.R:
			strong = c
		case bidi.EN:
			if strong == bidi.L {
				cls[i] = bidi.L
			}
		}
	}
	// N1, N2: neutrals between two strong characters of one direction take
	// it (numbers count as right to left); others take the line's.
	dir := func(c bidi.Class) bidi.Class {
		switch c {
		case bidi.L:
			return bidi.L
		case bidi.R, bidi.EN, bidi.AN:
			return bidi.R
		}
		return bidi.ON
	}
	for i := 0; i < n; i++ {
		if dir(cls[i]) != bidi.ON {
			continue
		}
		j := i
		for j < n && dir(cls[j]) == bidi.ON {
			j++
		}
		before, after := base, base
		if i > 0 {
			before = dir(cls[i-1])
		}
		if j < n {
			after = dir(cls[j])
		}
		to := base
		if before == after {
			to = before
		}
		for k := i; k < j; k++ {
			cls[k] = to
		}
		i = j - 1
	}
	// I1, I2: levels.
	lv := make([]int, n)
	for i, c := range cls {
		switch {
		case !rtl && c == bidi.R:
			lv[i] = 1
		case !rtl && (c == bidi.EN || c == bidi.AN):
			lv[i] = 2
		case rtl && (c == bidi.L || c == bidi.EN || c == bidi.AN):
			lv[i] = 2
		case rtl:
			lv[i] = 1
		}
	}
	// L1: trailing white space takes the line's level.
	for i := n - 1; i >= 0 && unicode.IsSpace(s[i]); i-- {
		lv[i] = 0
		if rtl {
			lv[i] = 1
		}
	}
	// L4: mirrored brackets in right-to-left text.
	out := make([]rune, n)
	copy(out, s)
	for i, r := range out {
		if lv[i]%2 == 1 {
			if m, ok := mirrors[r]; ok {
				out[i] = m
			}
		}
	}
	// L2: from the highest level down to 1, reverse every run at that level
	// or above.
	for level := 2; level >= 1; level-- {
		for i := 0; i < n; i++ {
			if lv[i] < level {
				continue
			}
			j := i
			for j < n && lv[j] >= level {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				out[a], out[b] = out[b], out[a]
				lv[a], lv[b] = lv[b], lv[a]
			}
			i = j
		}
	}
	return out
}

// mirrors pairs the brackets and quotes a right-to-left run shows mirrored.
var mirrors = map[rune]rune{
	'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<',
	'«': '»', '»': '«', '‹': '›', '›': '‹',
}

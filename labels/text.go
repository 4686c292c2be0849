package labels

import (
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Vertical text metrics, in character cell heights, measured on the font 0
// of zpl-renderer-js: accented capitals (Å) rise about 0.22 above the cell
// top and descenders (y, Ç) reach about 1.0 below it. So the first cell
// starts 0.28 below the box top, a line needs 1.35 and the next line starts
// 1.27 lower (both with room for rounding to dots), and no two lines' ink
// touches. .ci/label-check verifies this on rendered labels.
const (
	firstLine  = 1.35 // height one line needs
	linePitch  = 1.27 // distance from one line's top to the next
	lineOffset = 0.28 // gap between the box top and the first cell top
)

// ellipsis marks text that was cut to fit its box.
const ellipsis = "…"

// runeWidth is a conservative advance width of r in character cell heights.
// The figures sit at or above the widths of the printer's font 0 (a bold
// condensed sans serif) measured at equal height and width, so text measured
// with them fits on paper; unknown scripts and emoji count as a full cell.
func runeWidth(r rune) float64 {
	switch {
	case r == ' ':
		return 0.3
	case strings.ContainsRune("iIl.,:;'!|", r):
		return 0.32
	case strings.ContainsRune("fjrt()[]{}-/\\\"`", r):
		return 0.42
	case r == 'M' || r == 'W' || r == 'm' || r == 'w':
		return 0.88
	case strings.ContainsRune("@%&#", r):
		return 0.9
	case r >= '0' && r <= '9', r >= 'a' && r <= 'z':
		return 0.56
	case r >= 'A' && r <= 'Z':
		return 0.68
	case r < 0x80:
		return 0.62
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		// Combining marks, joiners and direction marks take (almost) no
		// room; a little keeps a line of thousands of them bounded.
		return 0.05
	case r <= 0x06FF:
		return 0.72 // Latin-1, Latin Extended, Greek, Cyrillic, Hebrew, Arabic
	}
	return 1
}

// graphicRuneWidth is the width of r in a line drawn from the fallback
// font: the table's figure, or the glyph's when it is wider (Unifont draws
// i and l half a cell wide). Never narrower than runeWidth, so a line
// measured this way fits whichever way it prints.
func graphicRuneWidth(r rune) float64 {
	return max(runeWidth(r), fallbackAdvance(r))
}

// textWidth is the width of s in millimetres at cell height size, measured
// the way the line prints: in font 0, or drawn from the fallback font.
func textWidth(s string, size float64) float64 {
	width := runeWidth
	if NeedsGraphic(s) {
		width = graphicRuneWidth
	}
	w := 0.0
	for _, r := range s {
		w += width(r)
	}
	return w * size
}

// maxLines is how many lines of text fit in the box.
func (t Text) maxLines() int {
	if t.H < firstLine*t.Size {
		return 0
	}
	return 1 + int(math.Floor((t.H-firstLine*t.Size)/(linePitch*t.Size)+1e-9))
}

// lineTop is the top of line i's character cell, in millimetres from the
// label's top edge.
func (t Text) lineTop(i int) float64 {
	return t.Y + lineOffset*t.Size + float64(i)*linePitch*t.Size
}

// Lines is the text as it is printed, in logical order and composed (NFC):
// wrapped at spaces (or inside a word
// too long for a line), each line narrower than the box, no more lines than
// fit its height, the last one ending in "…" when text had to be cut. Both
// renderers print exactly these lines.
func (t Text) Lines() []string {
	n := t.maxLines()
	if n == 0 || t.Value == "" {
		return nil
	}
	w := &wrapper{size: t.Size, width: t.W, max: n}
	// Composed (NFC): a decomposed "José" prints as font 0's é, not as an e
	// and a mark font 0 lacks.
	value := norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(t.Value, "\r\n", "\n"), "\r", "\n"))
	for more := true; more; {
		var para string
		para, value, more = strings.Cut(value, "\n")
		if len(w.lines) == n || w.paragraph(para) {
			w.ellipsize()
			break
		}
	}
	return w.lines
}

type wrapper struct {
	size, width float64
	max         int
	lines       []string
}

// paragraph wraps one paragraph onto lines; it reports true when the
// paragraph did not fit in the lines left.
func (w *wrapper) paragraph(p string) bool {
	runes := []rune(p)
	if len(runes) == 0 {
		w.lines = append(w.lines, "")
		return false
	}
	for len(runes) > 0 {
		if len(w.lines) == w.max {
			return true
		}
		end, next := w.fit(runes)
		w.lines = append(w.lines, string(runes[:end]))
		runes = runes[next:]
	}
	return false
}

// fit finds how many runes of r go on one line (end) and where the next line
// starts (next, past the space the line was broken at).
//
// Until the line meets a character font 0 lacks it is measured for font 0;
// from then on for the fallback font (from its start), so whichever way the
// line prints, it fits.
func (w *wrapper) fit(r []rune) (end, next int) {
	width, space := 0.0, -1
	drawn := false
	for i, c := range r {
		if !drawn && !nativeRune(c) {
			drawn = true
			width = 0 // remeasure the font 0 part so far
			for _, p := range r[:i] {
				width += graphicRuneWidth(p) * w.size
			}
		}
		if drawn {
			width += graphicRuneWidth(c) * w.size
		} else {
			width += runeWidth(c) * w.size
		}
		if width > w.width+1e-9 {
			if c == ' ' && i > 0 {
				return i, i + 1 // the space that overflows is where the line breaks
			}
			if space > 0 {
				return space, space + 1
			}
			if i == 0 {
				return 1, 1 // a character wider than the box still prints, alone
			}
			return i, i
		}
		if c == ' ' {
			space = i
		}
	}
	return len(r), len(r)
}

// ellipsize makes room for "…" at the end of the last line. The line is
// measured the way it prints before it is cut (cutting may leave only
// font 0 text, which is never wider).
func (w *wrapper) ellipsize() {
	last := []rune(w.lines[len(w.lines)-1])
	width := runeWidth
	if NeedsGraphic(string(last)) {
		width = graphicRuneWidth
	}
	room := w.width - width('…')*w.size
	used := 0.0
	for _, r := range last {
		used += width(r) * w.size
	}
	for len(last) > 0 && used > room+1e-9 {
		used -= width(last[len(last)-1]) * w.size
		last = last[:len(last)-1]
	}
	w.lines[len(w.lines)-1] = string(last) + ellipsis
}

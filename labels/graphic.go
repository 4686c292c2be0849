package labels

import (
	"fmt"
	"strings"
	"unicode"
)

// Text the printer's font 0 cannot print (Arabic, Hebrew, CJK, emoji,
// combining marks that have no precomposed letter…) is drawn by tote itself
// from the fallback font and sent as a graphic field (^GFA), one per line,
// where the line's text would have stood. Lines of Latin text keep the
// printer's font.

// nativeRune reports whether the printer's font 0 prints r under ^CI28: ASCII
// (control bytes are escaped and print as the font shows them), Latin-1,
// Latin Extended-A and the other characters of code page 1252. Zebra's font 0
// and the label check's renderer both have these.
func nativeRune(r rune) bool {
	switch {
	case r < 0x80, r >= 0xA0 && r <= 0x17F:
		return true
	}
	switch r {
	case 'ƒ', 'ˆ', '˜', '–', '—', '‘', '’', '‚', '“', '”', '„', '†', '‡', '•', '…', '‰', '‹', '›', '€', '™':
		return true
	}
	return false
}

// NeedsGraphic reports whether a printed line (one of Text.Lines) has a
// character font 0 lacks, so that it is drawn from the fallback font and
// sent as a ^GFA graphic field instead of font 0 text.
func NeedsGraphic(line string) bool {
	for _, r := range line {
		if !nativeRune(r) {
			return true
		}
	}
	return false
}

// fallbackAdvance is how many character cells r moves the pen in a line
// drawn from the fallback font: nothing for marks and invisible characters,
// U+FFFD's width for a character the font lacks. 1, the widest glyph, when
// the font cannot be read (lineBitmap then reports why).
func fallbackAdvance(r rune) float64 {
	if invisible(r) {
		return 0
	}
	f, err := loadFallbackFont()
	if err != nil {
		return 1
	}
	if _, mark := f.offsets[r]; mark {
		return 0
	}
	g := f.glyphs[r]
	if g == nil {
		if unicode.In(r, unicode.Mn, unicode.Me) {
			return 0
		}
		g = f.glyphs[0xFFFD]
	}
	return float64(g.width) / unifontHeight
}

// bitmap is a 1-bit picture, one byte a pixel (1 is ink), row by row.
type bitmap struct {
	w, h int
	pix  []byte
}

func (b *bitmap) at(x, y int) bool { return b.pix[y*b.w+x] != 0 }

// invisible reports whether r is drawn as nothing: controls, format
// characters (joiners, direction marks, bidi controls) and variation
// selectors. They still steer shaping and order.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Variation_Selector)
}

// lineBitmap draws one printed line with the fallback font, cell height h
// dots, at most maxW dots wide: Arabic shaped, right-to-left runs in visual
// order, combining marks over their letter, glyphs the font lacks as U+FFFD.
// The 16-pixel glyphs are scaled to h by nearest neighbour; the glyph cell
// (ascent 14, descent 2 pixels) fills the character cell, so ink stays in
// the line's cell. The result is nil when nothing in the line has ink.
func lineBitmap(line string, h, maxW int) (*bitmap, error) {
	font, err := loadFallbackFont()
	if err != nil {
		return nil, err
	}
	runes := visualOrder(shapeArabic([]rune(line)))
	// Lay the glyphs out on a 16-pixel-high strip.
	type placed struct {
		g *glyph
		x int
	}
	var glyphs []placed
	pen, left, right := 0, 0, 0
	for _, r := range runes {
		if invisible(r) {
			continue
		}
		g := font.glyphs[r]
		if g == nil {
			if unicode.In(r, unicode.Mn, unicode.Me) {
				continue // a mark the font lacks adds nothing readable
			}
			g = font.glyphs[0xFFFD]
		}
		if off, mark := font.offsets[r]; mark {
			glyphs = append(glyphs, placed{g, pen + off})
			left, right = min(left, pen+off), max(right, pen+off+g.width)
			continue
		}
		glyphs = append(glyphs, placed{g, pen})
		pen += g.width
		right = max(right, pen)
	}
	if len(glyphs) == 0 {
		return nil, nil
	}
	// A mark before the first letter would reach left of the line: shift.
	stripW := right - left
	strip := make([]bool, stripW*unifontHeight)
	ink := false
	for _, p := range glyphs {
		for y := range unifontHeight {
			for x := range p.g.width {
				if p.g.ink(x, y) {
					strip[y*stripW+p.x-left+x] = true
					ink = true
				}
			}
		}
	}
	if !ink {
		return nil, nil
	}
	w := min(maxW, (stripW*h+unifontHeight-1)/unifontHeight)
	if w <= 0 || h <= 0 {
		return nil, nil
	}
	b := &bitmap{w: w, h: h, pix: make([]byte, w*h)}
	for y := range h {
		sy := y * unifontHeight / h
		for x := range w {
			if strip[sy*stripW+x*unifontHeight/h] {
				b.pix[y*w+x] = 1
			}
		}
	}
	return b, nil
}

// zplGraphic writes b as a ^GFA graphic field with ZPL's ASCII compression:
// a run of one hex digit is a count letter and the digit (G–Y are 1–19,
// g–z 20–400), a row ending in zeros ends with ",", and a row equal to the
// one above is ":". Graphic data is hex digits and these letters only, so it
// can never hold a command.
func zplGraphic(b *strings.Builder, x, y int, bm *bitmap) {
	rowBytes := (bm.w + 7) / 8
	total := rowBytes * bm.h
	fmt.Fprintf(b, "^FO%d,%d^GFA,%d,%d,%d,", x, y, total, total, rowBytes)
	const hexDigits = "0123456789ABCDEF"
	row := make([]byte, 2*rowBytes)
	prev := make([]byte, 2*rowBytes)
	for yy := range bm.h {
		for i := range rowBytes {
			var v byte
			for bit := range 8 {
				if xx := i*8 + bit; xx < bm.w && bm.at(xx, yy) {
					v |= 0x80 >> bit
				}
			}
			row[2*i], row[2*i+1] = hexDigits[v>>4], hexDigits[v&0xf]
		}
		if yy > 0 && string(row) == string(prev) {
			b.WriteByte(':')
			continue
		}
		copy(prev, row)
		end := len(row)
		for end > 0 && row[end-1] == '0' {
			end--
		}
		for i := 0; i < end; {
			j := i
			for j < end && row[j] == row[i] {
				j++
			}
			writeRepeat(b, j-i)
			b.WriteByte(row[i])
			i = j
		}
		if end < len(row) {
			b.WriteByte(',')
		}
	}
	b.WriteString("^FS\n")
}

// writeRepeat writes the ZPL compression count for a run of n (nothing for
// 1). Runs longer than 400 never occur: a row of a 600 dpi, 4 in label is
// 300 hex digits.
func writeRepeat(b *strings.Builder, n int) {
	if n <= 1 {
		return
	}
	for n > 400 {
		b.WriteByte('z')
		n -= 400
	}
	if n >= 20 {
		b.WriteByte(byte('g' + n/20 - 1))
		n %= 20
	}
	if n > 0 {
		b.WriteByte(byte('G' + n - 1))
	}
}

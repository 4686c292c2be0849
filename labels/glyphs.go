package labels

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// The fallback font: GNU Unifont 15.0.01 (SIL OFL 1.1, glyphs/OFL.txt),
// 16 pixels high, 8 or 16 wide, covering plane 0 and the emoji of plane 1.
// glyphs/README.md says where it comes from.
//
//go:embed glyphs/unifont.hex.gz glyphs/combining.txt
var glyphFiles embed.FS

// unifontHeight is the height of every Unifont glyph in pixels; its
// baseline is 2 pixels above the bottom.
const unifontHeight = 16

// glyph is one Unifont glyph: rows top to bottom, each width bits from the
// most significant end.
type glyph struct {
	width int
	rows  [unifontHeight]uint16
}

func (g *glyph) ink(x, y int) bool { return g.rows[y]&(1<<(15-x)) != 0 }

// fallbackFont is the parsed font: glyphs by character and, for combining
// marks, the x offset at which they are drawn over their neighbour.
type fallbackFont struct {
	glyphs  map[rune]*glyph
	offsets map[rune]int
}

// loadFallbackFont parses the embedded font once, the first time a line
// needs it (about 60,000 glyphs; a label of Latin text never loads it).
var loadFallbackFont = sync.OnceValues(func() (*fallbackFont, error) {
	f := &fallbackFont{glyphs: make(map[rune]*glyph, 60000), offsets: map[rune]int{}}
	gz, err := glyphFiles.ReadFile("glyphs/unifont.hex.gz")
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("fallback font: %w", err)
	}
	if err := f.parseHex(zr); err != nil {
		return nil, fmt.Errorf("fallback font: %w", err)
	}
	comb, err := glyphFiles.ReadFile("glyphs/combining.txt")
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Fields(string(comb)) {
		code, off, ok := strings.Cut(line, ":")
		r, err1 := strconv.ParseUint(code, 16, 32)
		o, err2 := strconv.Atoi(off)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("fallback font: bad combining line %q", line)
		}
		f.offsets[rune(r)] = o
	}
	return f, nil
})

func (f *fallbackFont) parseHex(r io.Reader) error {
	sc := bufio.NewScanner(r)
	var buf [32]byte
	for sc.Scan() {
		code, bits, ok := strings.Cut(sc.Text(), ":")
		c, err := strconv.ParseUint(code, 16, 32)
		if !ok || err != nil || (len(bits) != 32 && len(bits) != 64) {
			return fmt.Errorf("bad glyph line %q", sc.Text())
		}
		n, err := hex.Decode(buf[:], []byte(bits))
		if err != nil {
			return fmt.Errorf("glyph %s: %w", code, err)
		}
		g := &glyph{width: n / 2}
		for y := range unifontHeight {
			if g.width == 8 {
				g.rows[y] = uint16(buf[y]) << 8
			} else {
				g.rows[y] = uint16(buf[2*y])<<8 | uint16(buf[2*y+1])
			}
		}
		f.glyphs[rune(c)] = g
	}
	return sc.Err()
}

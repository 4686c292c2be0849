// Command mkglyphs builds labels/glyphs/unifont.hex.gz, the fallback font
// tote draws text with when the printer's font 0 lacks a character: every
// glyph of GNU Unifont's plane 0 (unifont.hex, as is) and the emoji and
// symbol blocks of plane 1 (U+1F000–U+1FAFF), read from unifont_upper.otf
// (each outline is a set of 1/16 em pixel squares) and written as .hex
// lines. Debian's unifont and fonts-unifont packages have both files:
//
//	go run ./labels/internal/mkglyphs /usr/share/unifont/unifont.hex \
//	    /usr/share/fonts/opentype/unifont/unifont_upper.otf > labels/glyphs/unifont.hex.gz
package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"image"
	"io"
	"os"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: mkglyphs unifont.hex unifont_upper.otf > unifont.hex.gz")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mkglyphs:", err)
		os.Exit(1)
	}
}

func run(hexPath, otfPath string, out io.Writer) error {
	zw, err := gzip.NewWriterLevel(out, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(zw)
	in, err := os.Open(hexPath)
	if err != nil {
		return err
	}
	defer in.Close()
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			fmt.Fprintln(w, line)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if err := upper(otfPath, w); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// upper writes the plane 1 emoji and symbol glyphs of the OTF as .hex lines.
func upper(path string, w io.Writer) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := sfnt.Parse(data)
	if err != nil {
		return err
	}
	var buf sfnt.Buffer
	const ppem = 16
	for r := rune(0x1F000); r <= 0x1FAFF; r++ {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		adv, err := f.GlyphAdvance(&buf, gi, fixed.I(ppem), font.HintingNone)
		if err != nil {
			return err
		}
		width := adv.Round()
		if width != 8 && width != 16 {
			continue // .hex glyphs are 8 or 16 pixels wide
		}
		segs, err := f.LoadGlyph(&buf, gi, fixed.I(ppem), nil)
		if err != nil {
			return err
		}
		// Unifont's baseline is 2 pixels above the cell bottom.
		ras := vector.NewRasterizer(width, ppem)
		pt := func(p fixed.Point26_6) (float32, float32) {
			return float32(p.X) / 64, float32(p.Y)/64 + 14
		}
		for _, s := range segs {
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				ras.MoveTo(pt(s.Args[0]))
			case sfnt.SegmentOpLineTo:
				ras.LineTo(pt(s.Args[0]))
			case sfnt.SegmentOpQuadTo:
				x1, y1 := pt(s.Args[0])
				x2, y2 := pt(s.Args[1])
				ras.QuadTo(x1, y1, x2, y2)
			case sfnt.SegmentOpCubeTo:
				x1, y1 := pt(s.Args[0])
				x2, y2 := pt(s.Args[1])
				x3, y3 := pt(s.Args[2])
				ras.CubeTo(x1, y1, x2, y2, x3, y3)
			}
		}
		ras.ClosePath()
		dst := image.NewAlpha(image.Rect(0, 0, width, ppem))
		ras.Draw(dst, dst.Bounds(), image.Opaque, image.Point{})
		var sb strings.Builder
		ink := false
		for y := 0; y < ppem; y++ {
			var row uint32
			for x := 0; x < width; x++ {
				row <<= 1
				if dst.AlphaAt(x, y).A >= 128 {
					row |= 1
					ink = true
				}
			}
			fmt.Fprintf(&sb, "%0*X", width/4, row)
		}
		if ink {
			fmt.Fprintf(w, "%04X:%s\n", r, sb.String())
		}
	}
	return nil
}

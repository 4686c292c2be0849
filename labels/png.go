package labels

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"sync"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/datamatrix"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// previewFont is Go Bold, parsed once; the parsed font is only read after.
var previewFont = sync.OnceValues(func() (*opentype.Font, error) { return opentype.Parse(gobold.TTF) })

// checkPreviewDPI accepts resolutions from screen previews to 1200 dpi.
func checkPreviewDPI(dpi int) error {
	if dpi < 72 || dpi > 1200 {
		return fmt.Errorf("preview resolution %d dpi is outside 72–1200", dpi)
	}
	return nil
}

// Draw renders the label as a greyscale picture at dpi dots per inch, one
// pixel per printer dot: the same lines of text, the same barcode content and
// module widths and the same boxes as ZPL. Barcodes are drawn with
// github.com/boombuler/barcode; text uses Go Bold squeezed to the width the
// layout allowed for it, so it never leaves its box, and lines the printer's
// font 0 cannot print get the very bitmap their ^GFA field carries.
func Draw(l Label, dpi int) (*image.Gray, error) {
	if err := checkPreviewDPI(dpi); err != nil {
		return nil, err
	}
	if err := l.Validate(); err != nil {
		return nil, err
	}
	ft, err := previewFont()
	if err != nil {
		return nil, fmt.Errorf("preview font: %w", err)
	}
	img := image.NewGray(image.Rect(0, 0, dots(l.Stock.Width, dpi), dots(l.Stock.Height, dpi)))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	faces := map[int]font.Face{} // per cell height in dots, for this drawing only
	defer func() {
		for _, f := range faces {
			f.Close()
		}
	}()
	for i, it := range l.Items {
		var err error
		switch it := it.(type) {
		case Text:
			err = drawText(img, it, dpi, ft, faces)
		case Barcode:
			err = drawBarcode(img, it, dpi)
		case Box:
			drawBox(img, it, dpi)
		}
		if err != nil {
			return nil, fmt.Errorf("label %s: item %d: %w", l.Name, i, err)
		}
	}
	return img, nil
}

// PNG renders the label as a PNG file's bytes (see Draw).
func PNG(l Label, dpi int) ([]byte, error) {
	img, err := Draw(l, dpi)
	if err != nil {
		return nil, err
	}
	return encodePNG(img)
}

// PNGPages renders several labels one under the other, separated by a grey
// strip, as one PNG.
func PNGPages(ls []Label, dpi int) ([]byte, error) {
	if len(ls) == 0 {
		return nil, fmt.Errorf("no labels to draw")
	}
	pages := make([]*image.Gray, len(ls))
	gap := dots(4, dpi)
	w, h := 0, gap*(len(ls)-1)
	for i, l := range ls {
		img, err := Draw(l, dpi)
		if err != nil {
			return nil, err
		}
		pages[i] = img
		w = max(w, img.Bounds().Dx())
		h += img.Bounds().Dy()
	}
	sheet := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(sheet, sheet.Bounds(), image.NewUniform(color.Gray{Y: 160}), image.Point{}, draw.Src)
	y := 0
	for _, p := range pages {
		draw.Draw(sheet, p.Bounds().Add(image.Pt(0, y)), p, image.Point{}, draw.Src)
		y += p.Bounds().Dy() + gap
	}
	return encodePNG(sheet)
}

func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode PNG: %w", err)
	}
	return buf.Bytes(), nil
}

func drawText(img *image.Gray, t Text, dpi int, ft *opentype.Font, faces map[int]font.Face) error {
	h := dots(t.Size, dpi)
	face, ok := faces[h]
	if !ok {
		var err error
		face, err = opentype.NewFace(ft, &opentype.FaceOptions{Size: float64(h), DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return fmt.Errorf("preview font at %d dots: %w", h, err)
		}
		faces[h] = face
	}
	// The printer's font 0 puts the baseline about 0.75 cells below the
	// cell top; the scratch line keeps room above for accents and below for
	// descenders.
	above := int(math.Ceil(0.95 * float64(h)))
	below := int(math.Ceil(0.4 * float64(h)))
	clip := image.Rect(dots(t.X, dpi), dots(t.Y, dpi), dots(t.X+t.W, dpi), dots(t.Y+t.H, dpi))
	for i, line := range t.Lines() {
		if line == "" {
			continue
		}
		if NeedsGraphic(line) {
			// The same pixels the printer gets in the line's ^GFA field.
			bm, err := lineBitmap(line, h, clip.Max.X-clip.Min.X)
			if err != nil {
				return err
			}
			if bm != nil {
				drawBitmap(img, bm, dots(t.X, dpi), dots(t.lineTop(i), dpi), clip)
			}
			continue
		}
		natural := font.MeasureString(face, line).Ceil()
		if natural <= 0 {
			continue
		}
		scratch := image.NewAlpha(image.Rect(0, 0, natural+1, above+below))
		d := font.Drawer{Dst: scratch, Src: image.Opaque, Face: face, Dot: fixed.P(0, above)}
		d.DrawString(line)
		// Go Bold is about 0.86 times as wide as the printer's condensed
		// font 0; never wider than the layout allowed.
		allowed := float64(dots(textWidth(line, t.Size), dpi))
		scale := math.Min(0.86, allowed/float64(natural))
		x0 := dots(t.X, dpi)
		y0 := dots(t.lineTop(i), dpi) + int(math.Round(0.75*float64(h))) - above
		squeeze(img, scratch, x0, y0, scale, clip)
	}
	return nil
}

// drawBitmap paints the ink of bm black with its top-left corner at (x0,
// y0), nothing outside clip.
func drawBitmap(img *image.Gray, bm *bitmap, x0, y0 int, clip image.Rectangle) {
	for y := range bm.h {
		for x := range bm.w {
			if p := image.Pt(x0+x, y0+y); bm.at(x, y) && p.In(clip) && p.In(img.Rect) {
				img.SetGray(p.X, p.Y, color.Gray{})
			}
		}
	}
}

// squeeze draws the scratch line's ink onto img at (x0, y0), scaled
// horizontally by scale (at most 1): each target pixel takes the mean
// coverage of the source pixels under it, so strokes keep an even weight.
// Nothing is drawn outside clip, the text's box.
func squeeze(img *image.Gray, src *image.Alpha, x0, y0 int, scale float64, clip image.Rectangle) {
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	dw := int(math.Ceil(float64(sw) * scale))
	for dx := 0; dx < dw; dx++ {
		from, to := float64(dx)/scale, math.Min(float64(sw), float64(dx+1)/scale)
		for sy := 0; sy < sh; sy++ {
			sum := 0.0
			for sx := int(from); float64(sx) < to; sx++ {
				cover := math.Min(to, float64(sx+1)) - math.Max(from, float64(sx))
				sum += cover * float64(src.AlphaAt(sx, sy).A)
			}
			a := sum / (to - from)
			if a < 1 {
				continue
			}
			p := image.Pt(x0+dx, y0+sy)
			if !p.In(clip) || !p.In(img.Rect) {
				continue
			}
			if v := uint8(255 - math.Round(a)); v < img.GrayAt(p.X, p.Y).Y {
				img.SetGray(p.X, p.Y, color.Gray{Y: v})
			}
		}
	}
}

func drawBarcode(img *image.Gray, bc Barcode, dpi int) error {
	avail := dots(bc.W, dpi)
	m, err := bc.moduleDots(dpi)
	if err != nil {
		return err
	}
	switch bc.Symbology {
	case Code128, GS1128:
		s := code128Symbols(bc.Data)
		if bc.Symbology == GS1128 {
			s = gs1Symbols(bc.Elements)
		}
		content := make([]rune, len(s))
		for i, c := range s {
			if c == fnc1 {
				content[i] = code128.FNC1
			} else {
				content[i] = rune(c)
			}
		}
		sym, err := code128.Encode(string(content))
		if err != nil {
			return fmt.Errorf("%v %s: %w", bc.Symbology, bc.content(), err)
		}
		n := sym.Bounds().Dx()
		if (n+2*quietModules)*m > avail {
			return fmt.Errorf("%v %s: the preview symbol is %d modules, too wide for its %gmm box", bc.Symbology, bc.content(), n, bc.W)
		}
		x := dots(bc.X, dpi) + (avail-n*m)/2
		drawModules(img, sym, x, dots(bc.Y, dpi), m, dots(bc.H, dpi))
	case GS1DataMatrix:
		sym, err := datamatrix.Encode(matrixContent(bc.Elements))
		if err != nil {
			return fmt.Errorf("GS1 DataMatrix %s: %w", bc.content(), err)
		}
		x := dots(bc.X, dpi) + (avail-sym.Bounds().Dx()*m)/2
		y := dots(bc.Y, dpi) + (dots(bc.H, dpi)-sym.Bounds().Dy()*m)/2
		drawModules(img, sym, x, y, m, 0)
	}
	return nil
}

// drawModules paints each dark module of sym as an m×m square (or, when
// barHeight > 0, a linear symbol's m-wide bar of that height).
func drawModules(img *image.Gray, sym barcode.Barcode, x0, y0, m, barHeight int) {
	b := sym.Bounds()
	for sy := b.Min.Y; sy < b.Max.Y; sy++ {
		for sx := b.Min.X; sx < b.Max.X; sx++ {
			if r, _, _, _ := sym.At(sx, sy).RGBA(); r > 0x7fff {
				continue
			}
			h := m
			if barHeight > 0 {
				h = barHeight
			}
			fill(img, image.Rect(x0+(sx-b.Min.X)*m, y0+(sy-b.Min.Y)*m, x0+(sx-b.Min.X+1)*m, y0+(sy-b.Min.Y)*m+h))
		}
		if barHeight > 0 {
			return // a linear symbol's one row gives every bar
		}
	}
}

func drawBox(img *image.Gray, bx Box, dpi int) {
	x, y := dots(bx.X, dpi), dots(bx.Y, dpi)
	w, h := max(1, dots(bx.W, dpi)), max(1, dots(bx.H, dpi))
	t := min(max(1, dots(bx.Thickness, dpi)), w, h)
	for _, r := range []image.Rectangle{
		image.Rect(x, y, x+w, y+t),     // top
		image.Rect(x, y+h-t, x+w, y+h), // bottom
		image.Rect(x, y, x+t, y+h),     // left
		image.Rect(x+w-t, y, x+w, y+h), // right
	} {
		fill(img, r)
	}
}

// fill paints r black; draw.Draw with a uniform source takes the slow,
// general path for greyscale targets.
func fill(img *image.Gray, r image.Rectangle) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = 0
		}
	}
}

package labels

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/oned"
)

// decodeArea decodes the barcode drawn in b's box (plus a margin) of img
// and returns it as a scanner sends it: AIM identifier, then data.
func decodeArea(t *testing.T, img *image.Gray, b Barcode, dpi int) string {
	t.Helper()
	pad := dots(2, dpi)
	r := image.Rect(dots(b.X, dpi)-pad, dots(b.Y, dpi)-pad, dots(b.X+b.W, dpi)+pad, dots(b.Y+b.H, dpi)+pad).Intersect(img.Bounds())
	bmp, err := gozxing.NewBinaryBitmapFromImage(img.SubImage(r))
	if err != nil {
		t.Fatal(err)
	}
	var res *gozxing.Result
	switch b.Symbology {
	case Code128, GS1128:
		// ASSUME_GS1 keeps FNC1: ]C1 first, GS between elements.
		res, err = oned.NewCode128Reader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_ASSUME_GS1: true})
	case GS1DataMatrix:
		res, err = datamatrix.NewDataMatrixReader().Decode(bmp, nil)
	}
	if err != nil {
		t.Fatalf("%v %s does not decode from the picture: %v", b.Symbology, b.content(), err)
	}
	id, _ := res.GetResultMetadata()[gozxing.ResultMetadataType_SYMBOLOGY_IDENTIFIER].(string)
	text := res.GetText()
	switch b.Symbology {
	case GS1128:
		text = strings.TrimPrefix(text, "]C1")
	case GS1DataMatrix:
		text = strings.TrimPrefix(text, "\x1d") // the leading FNC1 shows in ]d2 only
	}
	return id + text
}

// TestPNGBarcodesDecode: every barcode of every template, drawn for the
// preview, decodes to the content the ZPL of the same label carries.
func TestPNGBarcodesDecode(t *testing.T) {
	sets := exampleLabels(t)
	for name, ls := range injectedLabels(t, "^XZ~JA_") {
		sets["injected "+name] = ls
	}
	for name, ls := range sets {
		for _, l := range ls {
			for _, dpi := range []int{203, 300} {
				img, err := Draw(l, dpi)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				z, err := ZPL(l, dpi)
				if err != nil {
					t.Fatal(err)
				}
				var inZPL []string
				for _, f := range readBack(t, string(z)) {
					if c, ok := strings.CutPrefix(f, "code "); ok {
						inZPL = append(inZPL, c)
					}
				}
				var inPNG []string
				for _, it := range l.Items {
					if b, ok := it.(Barcode); ok {
						got := decodeArea(t, img, b, dpi)
						if want := scanForm(b); got != want {
							t.Errorf("%s at %d dpi: picture decodes to %q, want %q", name, dpi, got, want)
						}
						inPNG = append(inPNG, got)
					}
				}
				if strings.Join(inPNG, "|") != strings.Join(inZPL, "|") {
					t.Errorf("%s at %d dpi: picture carries %q, ZPL carries %q", name, dpi, inPNG, inZPL)
				}
			}
		}
	}
}

// TestPNGTextStaysInItsBox: with nothing but text on a label, every inked
// pixel lies inside some text box, however hostile the text.
func TestPNGTextStaysInItsBox(t *testing.T) {
	var items []Item
	y := 2.0
	for i, s := range injection {
		size := []float64{2.2, 3.6, 5}[i%3]
		tx := Text{Rect: Rect{X: 3 + float64(i%2)*10, Y: y, W: 60, H: textHeight(size, 1+i%2)}, Size: size, Value: s}
		items = append(items, tx)
		y += tx.H + 1
	}
	l := Label{Name: "text", Stock: Stock{Width: 101.6, Height: y + 2}, Items: items}
	for _, dpi := range []int{203, 300} {
		img, err := Draw(l, dpi)
		if err != nil {
			t.Fatal(err)
		}
		inked := 0
		for py := 0; py < img.Rect.Dy(); py++ {
			for px := 0; px < img.Rect.Dx(); px++ {
				if img.GrayAt(px, py).Y == 255 {
					continue
				}
				inked++
				inside := false
				for _, it := range items {
					a := it.area()
					if image.Pt(px, py).In(image.Rect(dots(a.X, dpi), dots(a.Y, dpi), dots(a.X+a.W, dpi), dots(a.Y+a.H, dpi))) {
						inside = true
						break
					}
				}
				if !inside {
					t.Fatalf("at %d dpi, pixel (%d,%d) is inked outside every text box", dpi, px, py)
				}
			}
		}
		if inked == 0 {
			t.Fatal("nothing was drawn")
		}
	}
}

func TestPNGIsAPicture(t *testing.T) {
	ls := exampleLabels(t)["shipping"]
	b, err := PNG(ls[0], 203)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(812, 1218) {
		t.Fatalf("4×6 preview at 203 dpi is %v pixels, want 812×1218", got)
	}
	pages := exampleLabels(t)["commands"]
	b, err = PNGPages(pages, 203)
	if err != nil {
		t.Fatal(err)
	}
	img, err = png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if want := len(pages)*1218 + (len(pages)-1)*dots(4, 203); img.Bounds().Dy() != want {
		t.Fatalf("%d pages stack to %d pixels, want %d", len(pages), img.Bounds().Dy(), want)
	}
	if _, err := Draw(ls[0], 50); err == nil {
		t.Error("a 50 dpi preview was accepted")
	}
	if _, err := ZPL(ls[0], 250); err == nil {
		t.Error("a 250 dpi printer was accepted")
	}
}

package labels

import (
	"encoding/json"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// international is a ship-to in the scripts customers write their names in.
var international = Address{
	Name:       "山田太郎 محمد علي",            // CJK and Arabic
	Company:    "علی\u200cرضا שלום כהן 😀📦", // Persian with ZWNJ, Hebrew, emoji
	Line1:      "東京都千代田区丸の内1-1",
	Line2:      "Jose\u0301 Dvořák q\u0303", // decomposed é, and a mark with no composed letter
	City:       "القاهرة",
	PostalCode: "100-0005",
	Country:    "日本 Japan",
}

func internationalShipping(t testing.TB) Label {
	t.Helper()
	var d ShippingData
	if err := json.Unmarshal(exampleData(t)["shipping"], &d); err != nil {
		t.Fatal(err)
	}
	d.ShipTo = international
	l, err := Shipping(d)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestInternationalShipToPrintsAsGraphics: every ship-to row font 0 cannot
// print goes to the printer as a picture (^GFA) at its row, never as raw
// text in a font 0 field (which prints boxes), and the picture read back
// from the ZPL is the one the preview draws.
func TestInternationalShipToPrintsAsGraphics(t *testing.T) {
	l := internationalShipping(t)
	for _, dpi := range []int{203, 300} {
		b, err := ZPL(l, dpi)
		if err != nil {
			t.Fatal(err)
		}
		z := string(b)
		if err := ValidateCarrierZPL(b, false); err != nil {
			t.Fatalf("%d dpi: %v", dpi, err)
		}
		// readBack fails on a font 0 field holding text font 0 lacks.
		got := readBack(t, z)
		if want := expectedFields(t, l, dpi); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%d dpi: read back %q\nwant %q", dpi, got, want)
		}
		graphics := 0
		for _, f := range parseFields(t, z) {
			if f.has("GFA,") {
				graphics++
			}
		}
		// Every ship-to row is in another script or has a mark: name,
		// company, line 1, line 2, city with postal code, country.
		if graphics != 6 {
			t.Errorf("%d dpi: %d graphic fields, want the 6 ship-to rows:\n%s", dpi, graphics, z)
		}
		for _, s := range []string{"山", "محمد", "ש", "😀", "\u0303", "\u0301"} {
			if strings.Contains(z, s) {
				t.Errorf("%d dpi: ZPL carries %q as text", dpi, s)
			}
		}
	}
	// A decomposed name that font 0 can print, composed, stays text.
	line2 := Text{Rect: Rect{W: 90, H: textHeight(3.8, 1)}, Size: 3.8, Value: "Jose\u0301 Müller"}
	if lines := line2.Lines(); len(lines) != 1 || lines[0] != "José Müller" || NeedsGraphic(lines[0]) {
		t.Errorf("decomposed José prints as %q (graphic %v), want font 0's José", lines, NeedsGraphic(lines[0]))
	}
}

// glyphPicture draws one character alone at 16 dots: exactly its glyph.
func glyphPicture(t *testing.T, s string) *bitmap {
	t.Helper()
	bm, err := lineBitmap(s, unifontHeight, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if bm == nil {
		t.Fatalf("%q draws nothing", s)
	}
	return bm
}

func samePicture(a, b *bitmap) bool {
	return a.w == b.w && a.h == b.h && slices.Equal(a.pix, b.pix)
}

func inked(b *bitmap) int {
	n := 0
	for _, p := range b.pix {
		n += int(p)
	}
	return n
}

// TestGlyphsAreNotBoxes: each character of the CJK, Hebrew and emoji names
// draws its own glyph with ink, not the replacement or a box.
func TestGlyphsAreNotBoxes(t *testing.T) {
	boxes := []*bitmap{glyphPicture(t, "\uFFFD"), glyphPicture(t, "□"), glyphPicture(t, "\U0010FFFD")}
	if !samePicture(boxes[0], boxes[2]) {
		t.Fatal("a character the font lacks does not draw as U+FFFD")
	}
	for _, r := range "山田太郎東京都千代区丸の内日本שלוםכהן😀📦" {
		p := glyphPicture(t, string(r))
		if inked(p) < 8 {
			t.Errorf("%q has %d inked dots", r, inked(p))
		}
		for _, box := range boxes {
			if samePicture(p, box) {
				t.Errorf("%q draws as a box", r)
			}
		}
		for _, o := range "山田太郎" {
			if o != r && samePicture(p, glyphPicture(t, string(o))) {
				t.Errorf("%q draws like %q", r, o)
			}
		}
	}
	// Scaled to a line's height, glyphs keep their ink: 山 at 30 dots.
	if bm, _ := lineBitmap("山", 30, 1000); bm == nil || bm.w != 30 || inked(bm) < 60 {
		t.Errorf("山 at 30 dots: %+v", bm)
	}
}

// TestArabicShapedInVisualOrder pins the presentation forms and the order
// known words print in, left to right.
func TestArabicShapedInVisualOrder(t *testing.T) {
	cases := []struct {
		name, text string
		want       []rune
	}{
		// م initial, ح medial, م medial, د final; ع initial, ل medial, ي final;
		// drawn right to left.
		{"Arabic name", "محمد علي", []rune{0xFEF2, 0xFEE0, 0xFECB, ' ', 0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3}},
		// ی (Farsi yeh, Forms-A) final before the ZWNJ, ر isolated after it.
		{"Persian with ZWNJ", "علی\u200cرضا", []rune{0xFE8E, 0xFEBF, 0xFEAD, 0x200C, 0xFBFD, 0xFEE0, 0xFECB}},
		// س initial, lam-alef final ligature, م isolated.
		{"lam-alef", "سلام", []rune{0xFEE1, 0xFEFC, 0xFEB3}},
		{"lam-alef alone", "لا", []rune{0xFEFB}},
		{"Hebrew with a number", "שלום 12", []rune{'1', '2', ' ', 'ם', 'ו', 'ל', 'ש'}},
		{"postal code after Arabic", "القاهرة 100-0005", append([]rune("100-0005 "), 0xFE93, 0xFEAE, 0xFEEB, 0xFE8E, 0xFED8, 0xFEDF, 0xFE8D)},
		{"Arabic inside Latin", "Tokyo محمد 7", append([]rune("Tokyo 7 "), 0xFEAA, 0xFEE4, 0xFEA4, 0xFEE3)},
		{"brackets mirror", "(שלום)", []rune{'(', 'ם', 'ו', 'ל', 'ש', ')'}},
		{"Latin untouched", "Zoë (Ann)", []rune("Zoë (Ann)")},
		{"tatweel joins", "بـ", []rune{0x0640, 0xFE91}}, // ب initial before the tatweel
	}
	for _, c := range cases {
		got := visualOrder(shapeArabic([]rune(c.text)))
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %q prints as %U, want %U", c.name, c.text, got, c.want)
		}
	}
	// Marks stay on their letter: مُحَمَّد keeps its four marks, each
	// drawn before (right of, in a right-to-left run) its letter's glyph.
	got := visualOrder(shapeArabic([]rune("مُحَمَّد")))
	want := []rune{0xFEAA, 0x0651, 0x064E, 0xFEE4, 0x064E, 0xFEA4, 0x064F, 0xFEE3}
	if !slices.Equal(got, want) {
		t.Errorf("vowelled محمد prints as %U, want %U", got, want)
	}
}

// TestMarksOverlayTheirLetter: a combining mark adds no width and its ink
// lands on its letter's cell.
func TestMarksOverlayTheirLetter(t *testing.T) {
	q, qt := glyphPicture(t, "q"), glyphPicture(t, "q\u0303")
	if qt.w != q.w || inked(qt) <= inked(q) {
		t.Errorf("q̃ is %d wide with %d inked dots; q is %d wide with %d", qt.w, inked(qt), q.w, inked(q))
	}
	m, mm := glyphPicture(t, "م"), glyphPicture(t, "مُ")
	if mm.w != m.w || inked(mm) <= inked(m) {
		t.Errorf("مُ is %d wide with %d inked dots; م is %d wide with %d", mm.w, inked(mm), m.w, inked(m))
	}
	if inv := glyphPicture(t, "a\u200d\u200c\u202e\u2066\ufe0fb"); inv.w != 16 {
		t.Errorf("joiners, bidi controls and variation selectors take %d dots, want none", inv.w-16)
	}
}

// TestFallbackFontFitsTheLayout: the layout's width table is never narrower
// than a fallback glyph, so a drawn line is never cut at its box edge, and
// the scripts of the tests are covered.
func TestFallbackFontFitsTheLayout(t *testing.T) {
	f, err := loadFallbackFont()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.glyphs) < 57000 {
		t.Errorf("the fallback font has %d glyphs", len(f.glyphs))
	}
	for r, g := range f.glyphs {
		if _, mark := f.offsets[r]; mark || invisible(r) {
			continue
		}
		if w := float64(g.width) / unifontHeight; w > graphicRuneWidth(r)+1e-9 {
			t.Errorf("%U is %g cells wide, the layout counts %g", r, w, graphicRuneWidth(r))
		}
	}
	// A drawn line of narrow letters is measured with the glyphs' widths.
	tx := Text{Rect: Rect{W: 20, H: textHeight(4, 1)}, Size: 4, Value: "山 iiiiiiiiiiiiiiii"}
	lines := tx.Lines()
	if bm, _ := lineBitmap(lines[0], 32, 1000); bm == nil || bm.w > dots(20, 203) {
		t.Errorf("%q is drawn %d dots wide in a %d-dot box", lines[0], bm.w, dots(20, 203))
	}
	for _, r := range "山田太郎東京都محمدعلیرضاשלוםכהן😀📦🇯🇵ÀŁ" + "\uFE8E\uFEFC\uFBFD" {
		if f.glyphs[r] == nil {
			t.Errorf("the fallback font lacks %q %U", r, r)
		}
	}
}

// TestPreviewDrawsTheGraphic: the PNG preview has, at each graphic line,
// exactly the pixels the ZPL's ^GFA field carries.
func TestPreviewDrawsTheGraphic(t *testing.T) {
	l := internationalShipping(t)
	for _, dpi := range []int{203, 300} {
		img, err := Draw(l, dpi)
		if err != nil {
			t.Fatal(err)
		}
		z, _ := ZPL(l, dpi)
		checked := 0
		for _, f := range parseFields(t, string(z)) {
			if !f.has("GFA,") {
				continue
			}
			var x, y int
			var cmd string
			for _, c := range f.cmds {
				if strings.HasPrefix(c, "FO") {
					fmt.Sscanf(c, "FO%d,%d", &x, &y)
				}
				if strings.HasPrefix(c, "GFA,") {
					cmd = c
				}
			}
			rowBytes, rows, err := decodeGFA(cmd)
			if err != nil {
				t.Fatal(err)
			}
			for dy, row := range rows {
				for dx := 0; dx < rowBytes*8; dx++ {
					var v byte
					fmt.Sscanf(row[dx/4:dx/4+1], "%X", &v)
					ink := v&(8>>(dx%4)) != 0
					p := image.Pt(x+dx, y+dy)
					if !p.In(img.Rect) {
						continue
					}
					if dark := img.GrayAt(p.X, p.Y).Y < 128; dark != ink {
						t.Fatalf("%d dpi: pixel %v is dark=%v in the preview, ink=%v in the ZPL", dpi, p, dark, ink)
					}
				}
			}
			checked++
		}
		if checked != 6 {
			t.Errorf("%d dpi: checked %d graphic fields", dpi, checked)
		}
	}
}

func FuzzGraphicLine(f *testing.F) {
	for _, s := range []string{"محمد علي", "علی\u200cرضا", "山田太郎 1-2", "שלום (12)", "😀👩\u200d👩\u200d👧", "q\u0303\u0301", "\u202eevil\u202c", "لا لآ", "\u0651", "a\x00b"} {
		f.Add(s, uint8(30), uint16(400))
	}
	f.Fuzz(func(t *testing.T, s string, h uint8, maxW uint16) {
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 200 || h == 0 || maxW == 0 {
			return
		}
		// Shaping and ordering keep every character that is not merged
		// into a lam-alef ligature (brackets may turn round).
		shaped := shapeArabic([]rune(s))
		visual := visualOrder(shaped)
		a, b := slices.Clone(shaped), slices.Clone(visual)
		for _, rs := range [][]rune{a, b} {
			for i, r := range rs {
				if m, ok := mirrors[r]; ok && m < r {
					rs[i] = m
				}
			}
		}
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) || len(shaped) > utf8.RuneCountInString(s) {
			t.Fatalf("%q: shaped %U, visual %U", s, shaped, visual)
		}
		bm, err := lineBitmap(s, int(h), int(maxW))
		if err != nil {
			t.Fatal(err)
		}
		if bm == nil {
			return
		}
		if bm.w > int(maxW) || bm.h != int(h) {
			t.Fatalf("%q: %dx%d picture for %d wide, %d high", s, bm.w, bm.h, maxW, h)
		}
		var sb strings.Builder
		zplGraphic(&sb, 0, 0, bm)
		cmd := strings.TrimSuffix(strings.TrimPrefix(sb.String(), "^FO0,0^"), "^FS\n")
		rowBytes, rows, err := decodeGFA(cmd)
		if err != nil || rowBytes != (bm.w+7)/8 || len(rows) != bm.h {
			t.Fatalf("%q: ^GFA does not read back: %v", s, err)
		}
		for y, row := range rows {
			for x := range bm.w {
				var v byte
				fmt.Sscanf(row[x/4:x/4+1], "%X", &v)
				if (v&(8>>(x%4)) != 0) != bm.at(x, y) {
					t.Fatalf("%q: pixel %d,%d differs after ^GFA", s, x, y)
				}
			}
		}
		if strings.ContainsAny(cmd, "^~") || strings.IndexFunc(cmd, unicode.IsSpace) >= 0 {
			t.Fatalf("%q: graphic data holds a command character", s)
		}
	})
}

// TestInternationalExampleData: the example the label check prints is the
// international ship-to of these tests.
func TestInternationalExampleData(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "label-data", "shipping-international.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d ShippingData
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.ShipTo != international {
		t.Errorf("docs/label-data/shipping-international.json ship_to is %+v, want %+v", d.ShipTo, international)
	}
}

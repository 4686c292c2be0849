package labels

import (
	"errors"
	"fmt"
	"math"
	"unicode/utf8"
)

// Stock is the label media loaded in the printer, in millimetres.
type Stock struct {
	Name   string
	Width  float64
	Height float64
}

// The stocks the templates use. They are functions, not variables, so no
// caller can change a stock under another one's feet.

// Stock4x6 is the 4×6 in shipping label stock (also pack slips and command sheets).
func Stock4x6() Stock { return Stock{Name: "4x6in", Width: 101.6, Height: 152.4} }

// Stock4x3 is the 4×3 in stock used for tote labels.
func Stock4x3() Stock { return Stock{Name: "4x3in", Width: 101.6, Height: 76.2} }

// Stock4x2 is the 4×2 in stock used for location labels.
func Stock4x2() Stock { return Stock{Name: "4x2in", Width: 101.6, Height: 50.8} }

// Stock3x2 is the 3×2 in stock used for operator badges.
func Stock3x2() Stock { return Stock{Name: "3x2in", Width: 76.2, Height: 50.8} }

// Rect is an area on the label: its top-left corner and size, in millimetres
// from the label's top-left corner.
type Rect struct {
	X, Y, W, H float64
}

// overlaps reports whether r and o share any area; boxes that only touch
// (up to rounding of millimetre sums) do not overlap.
func (r Rect) overlaps(o Rect) bool {
	const eps = 1e-9
	return r.X < o.X+o.W-eps && o.X < r.X+r.W-eps && r.Y < o.Y+o.H-eps && o.Y < r.Y+r.H-eps
}

// Label is one printed label: the stock it is printed on and what is drawn on it.
type Label struct {
	// Name says what the label is (the template name) in error messages.
	Name  string
	Stock Stock
	Items []Item
}

// Item is something drawn on a label: Text, Barcode or Box. The set is
// closed so both renderers know every kind.
type Item interface {
	area() Rect
	check() error
}

var (
	_ Item = Text{}
	_ Item = Barcode{}
	_ Item = Box{}
)

// Text is text in a box. It wraps at spaces onto as many lines as fit in the
// box and is cut with "…" when it does not fit; it never leaves the box.
// A newline in Value starts a new line.
type Text struct {
	Rect
	// Size is the character cell height in millimetres (the ZPL font height).
	Size  float64
	Value string
}

func (t Text) area() Rect { return t.Rect }

func (t Text) check() error {
	if !(t.Size >= 1 && t.Size <= 100) {
		return fmt.Errorf("text size %gmm is outside 1–100mm", t.Size)
	}
	if t.H < firstLine*t.Size || t.W < t.Size {
		return fmt.Errorf("text box %g×%gmm cannot hold one character of %gmm text", t.W, t.H, t.Size)
	}
	if !utf8.ValidString(t.Value) {
		return errors.New("text is not valid UTF-8")
	}
	return nil
}

// Symbology is a kind of barcode.
type Symbology int

const (
	// Code128 carries printable ASCII (space to ~) in Barcode.Data.
	Code128 Symbology = iota + 1
	// GS1128 is Code 128 with FNC1 first, carrying Barcode.Elements.
	GS1128
	// GS1DataMatrix is Data Matrix ECC 200 with FNC1 first, carrying Barcode.Elements.
	GS1DataMatrix
)

func (s Symbology) String() string {
	switch s {
	case Code128:
		return "Code 128"
	case GS1128:
		return "GS1-128"
	case GS1DataMatrix:
		return "GS1 DataMatrix"
	}
	return fmt.Sprintf("Symbology(%d)", int(s))
}

// Barcode is a barcode in a box. Linear symbols are centred horizontally,
// fill the box's height and keep a quiet zone of 10 modules on each side
// inside the box; Data Matrix symbols are centred in the box.
type Barcode struct {
	Rect
	Symbology Symbology
	// Data is the content of a Code128 symbol.
	Data string
	// Elements is the content of a GS1 symbol, in order.
	Elements []GS1Element
	// Module is the preferred narrow bar (or matrix cell) width in
	// millimetres. Renderers round it to whole dots, and narrow it when the
	// symbol would not fit its box, down to 2 dots.
	Module float64
}

func (b Barcode) area() Rect { return b.Rect }

func (b Barcode) check() error {
	if !(b.Module > 0 && b.Module <= 5) {
		return fmt.Errorf("%v module width %gmm is outside 0–5mm", b.Symbology, b.Module)
	}
	switch b.Symbology {
	case Code128:
		if b.Elements != nil {
			return errors.New("a Code 128 barcode carries Data, not GS1 elements")
		}
		return checkCode128Data(b.Data)
	case GS1128, GS1DataMatrix:
		if b.Data != "" {
			return fmt.Errorf("a %v barcode carries GS1 elements, not Data", b.Symbology)
		}
		return checkElements(b.Elements, b.Symbology == GS1DataMatrix)
	}
	return fmt.Errorf("unknown barcode symbology %d", int(b.Symbology))
}

// Box is a rectangle outline with a line Thickness in millimetres; a
// thickness of half the shorter side or more fills it. A horizontal rule is a
// Box whose height equals its thickness.
type Box struct {
	Rect
	Thickness float64
}

func (b Box) area() Rect { return b.Rect }

func (b Box) check() error {
	if !(b.Thickness > 0) || b.Thickness > math.Max(b.W, b.H) {
		return fmt.Errorf("box line thickness %gmm does not suit a %g×%gmm box", b.Thickness, b.W, b.H)
	}
	return nil
}

// Validate reports the first thing wrong with the label: a stock of no size,
// an item outside the stock, or an item whose content cannot be printed.
func (l Label) Validate() error {
	if !(l.Stock.Width > 0 && l.Stock.Height > 0 && l.Stock.Width <= 2000 && l.Stock.Height <= 2000) {
		return fmt.Errorf("label %s: stock %g×%gmm is not a usable size", l.Name, l.Stock.Width, l.Stock.Height)
	}
	const slack = 1e-9 // millimetre sums like 3+95.6 are not exact in binary
	for i, it := range l.Items {
		if it == nil {
			return fmt.Errorf("label %s: item %d is empty", l.Name, i)
		}
		r := it.area()
		if !(r.X >= 0 && r.Y >= 0 && r.W > 0 && r.H > 0 &&
			r.X+r.W <= l.Stock.Width+slack && r.Y+r.H <= l.Stock.Height+slack) {
			return fmt.Errorf("label %s: item %d (%g,%g %g×%gmm) is not inside the %g×%gmm stock",
				l.Name, i, r.X, r.Y, r.W, r.H, l.Stock.Width, l.Stock.Height)
		}
		if err := it.check(); err != nil {
			return fmt.Errorf("label %s: item %d: %w", l.Name, i, err)
		}
	}
	return nil
}

// dots converts millimetres to printer dots at dpi.
func dots(mm float64, dpi int) int {
	return int(math.Round(mm * float64(dpi) / 25.4))
}

// checkPrinterDPI accepts the resolutions Zebra printers are made in.
func checkPrinterDPI(dpi int) error {
	switch dpi {
	case 203, 300, 600:
		return nil
	}
	return fmt.Errorf("printer resolution %d dpi is not one of 203, 300 or 600", dpi)
}

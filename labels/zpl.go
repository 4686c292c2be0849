package labels

import (
	"fmt"
	"strings"

	"github.com/boombuler/barcode/datamatrix"
)

// minModuleDots is the narrowest bar or matrix cell tote prints: one dot
// bars smear on thermal heads.
const minModuleDots = 2

// quietModules is the clear space kept on each side of a linear symbol.
const quietModules = 10

// linear is a linear barcode ready to print: its ZPL field data and width.
type linear struct {
	zplData string // ^BC mode N data, ^FH-escaped
	modules int    // symbol width without quiet zones
}

func (b Barcode) linear() linear {
	s := code128Symbols(b.Data)
	if b.Symbology == GS1128 {
		s = gs1Symbols(b.Elements)
	}
	var sb strings.Builder
	n := code128ZPL(&sb, s)
	return linear{zplData: sb.String(), modules: code128Modules(n)}
}

// fitModule picks the module width in dots: the preferred width rounded to
// dots, narrowed until a symbol of `modules` modules (plus `quiet` on each
// side) fits in `avail` dots.
func fitModule(b Barcode, modules, quiet, avail, dpi int) (int, error) {
	m := max(minModuleDots, dots(b.Module, dpi))
	for m > minModuleDots && (modules+2*quiet)*m > avail {
		m--
	}
	if (modules+2*quiet)*m > avail {
		return 0, fmt.Errorf("%v %s needs %d modules of at least %d dots; its %gmm box holds %d dots at %d dpi",
			b.Symbology, b.content(), modules+2*quiet, minModuleDots, b.W, avail, dpi)
	}
	return m, nil
}

// moduleDots is the module width in dots the barcode prints with at dpi,
// or why it cannot fit its box.
func (b Barcode) moduleDots(dpi int) (int, error) {
	avail := dots(b.W, dpi)
	if b.Symbology == GS1DataMatrix {
		n, err := b.matrixModules()
		if err != nil {
			return 0, err
		}
		return fitModule(b, n, 1, min(avail, dots(b.H, dpi)), dpi)
	}
	return fitModule(b, b.linear().modules, quietModules, avail, dpi)
}

// content is the barcode's data as people read it, for messages.
func (b Barcode) content() string {
	if b.Symbology == Code128 {
		return fmt.Sprintf("%q", b.Data)
	}
	return HumanReadable(b.Elements)
}

// matrixModules is the side of the Data Matrix symbol in modules. The
// boombuler encoder uses ASCII encodation only, so its symbol is at least as
// large as the one a printer chooses: fitting it fits the printed one.
func (b Barcode) matrixModules() (int, error) {
	dm, err := datamatrix.Encode(matrixContent(b.Elements))
	if err != nil {
		return 0, fmt.Errorf("GS1 DataMatrix %s: %w", HumanReadable(b.Elements), err)
	}
	return max(dm.Bounds().Dx(), dm.Bounds().Dy()), nil
}

// matrixContent is the elements as boombuler's Data Matrix input, with byte
// 232 for FNC1.
func matrixContent(es []GS1Element) string {
	s := gs1Symbols(es)
	out := make([]byte, len(s))
	for i, c := range s {
		if c == fnc1 {
			out[i] = datamatrix.FNC1
		} else {
			out[i] = byte(c)
		}
	}
	return string(out)
}

// ZPL renders the label as one ZPL II format (^XA…^XZ) for a printer of dpi
// dots per inch (203, 300 or 600): ^PW and ^LL from the stock, ^CI28 for
// UTF-8, font 0 for text, ^BC and ^BX for barcodes, ^GB for boxes. Text and
// Code 128 data are written with ^FH hex escapes. A line of text with a
// character font 0 lacks is drawn from the fallback font and sent as a
// ^GFA graphic field in its place.
func ZPL(l Label, dpi int) ([]byte, error) {
	var b strings.Builder
	if err := writeZPL(&b, l, dpi); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// ZPLPages renders several labels (the pages of a pack slip or command
// sheet) as consecutive formats, one per label.
func ZPLPages(ls []Label, dpi int) ([]byte, error) {
	var b strings.Builder
	for _, l := range ls {
		if err := writeZPL(&b, l, dpi); err != nil {
			return nil, err
		}
	}
	return []byte(b.String()), nil
}

func writeZPL(b *strings.Builder, l Label, dpi int) error {
	if err := checkPrinterDPI(dpi); err != nil {
		return err
	}
	if err := l.Validate(); err != nil {
		return err
	}
	fmt.Fprintf(b, "^XA^CI28^PW%d^LL%d^LH0,0\n", dots(l.Stock.Width, dpi), dots(l.Stock.Height, dpi))
	module := 0 // the ^BY module width in force; it lasts to the end of the format
	for i, it := range l.Items {
		var err error
		switch it := it.(type) {
		case Text:
			err = zplText(b, it, dpi)
		case Barcode:
			err = zplBarcode(b, it, dpi, &module)
		case Box:
			zplBox(b, it, dpi)
		}
		if err != nil {
			return fmt.Errorf("label %s: item %d: %w", l.Name, i, err)
		}
	}
	b.WriteString("^XZ\n")
	return nil
}

// zplText writes each line of t in the printer's font 0, or as a graphic
// from the fallback font when font 0 lacks one of its characters.
func zplText(b *strings.Builder, t Text, dpi int) error {
	h := dots(t.Size, dpi)
	x := dots(t.X, dpi)
	for i, line := range t.Lines() {
		if line == "" {
			continue
		}
		y := dots(t.lineTop(i), dpi)
		if NeedsGraphic(line) {
			bm, err := lineBitmap(line, h, dots(t.X+t.W, dpi)-x)
			if err != nil {
				return err
			}
			if bm != nil {
				zplGraphic(b, x, y, bm)
			}
			continue
		}
		fmt.Fprintf(b, "^FO%d,%d^A0N,%d,%d^FH^FD", x, y, h, h)
		fieldHex(b, line)
		b.WriteString("^FS\n")
	}
	return nil
}

func zplBarcode(b *strings.Builder, bc Barcode, dpi int, module *int) error {
	avail := dots(bc.W, dpi)
	m, err := bc.moduleDots(dpi)
	if err != nil {
		return err
	}
	switch bc.Symbology {
	case Code128, GS1128:
		lin := bc.linear()
		x := dots(bc.X, dpi) + (avail-lin.modules*m)/2
		fmt.Fprintf(b, "^FO%d,%d", x, dots(bc.Y, dpi))
		if m != *module {
			fmt.Fprintf(b, "^BY%d", m)
			*module = m
		}
		// Mode N with our own invocation codes: no printed interpretation
		// line (the template prints its own), no extra check digit.
		fmt.Fprintf(b, "^BCN,%d,N,N,N,N^FH^FD%s^FS\n", dots(bc.H, dpi), lin.zplData)
	case GS1DataMatrix:
		n, err := bc.matrixModules()
		if err != nil {
			return err
		}
		x := dots(bc.X, dpi) + (avail-n*m)/2
		y := dots(bc.Y, dpi) + (dots(bc.H, dpi)-n*m)/2
		// Escape character _ set explicitly: _1 is FNC1. Values hold only
		// GS1 characters without _, so no ^FH is needed (nor possible: ^FH
		// would read _1x as a hex escape).
		var d strings.Builder
		for _, c := range gs1Symbols(bc.Elements) {
			if c == fnc1 {
				d.WriteString("_1")
			} else {
				d.WriteByte(byte(c))
			}
		}
		fmt.Fprintf(b, "^FO%d,%d^BXN,%d,200,,,,_^FD%s^FS\n", x, y, m, d.String())
	}
	return nil
}

func zplBox(b *strings.Builder, bx Box, dpi int) {
	w, h := max(1, dots(bx.W, dpi)), max(1, dots(bx.H, dpi))
	t := min(max(1, dots(bx.Thickness, dpi)), w, h)
	fmt.Fprintf(b, "^FO%d,%d^GB%d,%d,%d^FS\n", dots(bx.X, dpi), dots(bx.Y, dpi), w, h, t)
}

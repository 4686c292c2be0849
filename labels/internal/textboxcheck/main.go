// Command textboxcheck checks, with an independent ZPL renderer, that text
// printed by the labels package stays inside its box. CI runs it from
// .ci/label-check:
//
//	textboxcheck zpl DPI > box.zpl         # a 4×6 label of hostile text
//	label-check box.zpl box.png 101.6 152.4 DOTS_PER_MM
//	textboxcheck check DPI box.png         # every inked pixel in some box
//
// It is a CI tool only: it never talks to a printer.
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strconv"
	"strings"

	"github.com/totewms/tote/labels"
)

// stressLabel is text at several sizes and widths in boxes 1.5mm apart, and
// one barcode so that label-check finds something to decode.
func stressLabel() (labels.Label, []labels.Rect) {
	texts := []string{
		strings.Repeat("W", 200), strings.Repeat("M@%", 100), strings.Repeat("i", 300),
		strings.Repeat("ÄÅÉÎ ", 100), strings.Repeat("gjpqy|Ç ", 60), strings.Repeat("中文", 100),
		strings.Repeat("😀", 100), strings.Repeat("mw ", 100), strings.Repeat("0123456789", 30),
		strings.Repeat("abc def ", 60), strings.Repeat("שלום ", 50), strings.Repeat("^XZ~JA_", 60),
	}
	var items []labels.Item
	var boxes []labels.Rect
	y := 2.0
	for i, s := range texts {
		size := []float64{2.2, 3.2, 4.2}[i%3]
		lines := 1 + i%2
		r := labels.Rect{X: 3, Y: y, W: 40 + float64(i)*4, H: 1.35*size + float64(lines-1)*1.27*size}
		items = append(items, labels.Text{Rect: r, Size: size, Value: s})
		boxes = append(boxes, r)
		y += r.H + 1.5
	}
	items = append(items, labels.Barcode{Rect: labels.Rect{X: 3, Y: y, W: 95.6, H: 10}, Symbology: labels.Code128, Data: "TEXTBOX", Module: 0.375})
	return labels.Label{Name: "textbox", Stock: labels.Stock4x6(), Items: items}, boxes
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "textboxcheck:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("usage: textboxcheck zpl DPI | textboxcheck check DPI FILE.png")
	}
	dpi, err := strconv.Atoi(args[1])
	if err != nil {
		return fmt.Errorf("DPI %q is not a number", args[1])
	}
	l, boxes := stressLabel()
	switch {
	case args[0] == "zpl":
		z, err := labels.ZPL(l, dpi)
		if err != nil {
			return err
		}
		_, err = os.Stdout.Write(z)
		return err
	case args[0] == "check" && len(args) == 3:
		return check(args[2], dpi, boxes)
	}
	return fmt.Errorf("unknown arguments %q", args)
}

// check finds inked pixels in the band of each text box (from the box above
// to the box below) that lie outside the box.
func check(path string, dpi int, boxes []labels.Rect) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	d := func(mm float64) int { return int(mm*float64(dpi)/25.4 + 0.5) }
	bad := 0
	for i, r := range boxes {
		box := image.Rect(d(r.X), d(r.Y), d(r.X+r.W), d(r.Y+r.H))
		band := image.Rect(0, d(r.Y-1.5)+1, img.Bounds().Dx(), d(r.Y+r.H+1.5)-1).Intersect(img.Bounds())
		inked := 0
		for y := band.Min.Y; y < band.Max.Y; y++ {
			for x := band.Min.X; x < band.Max.X; x++ {
				if color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y >= 128 {
					continue
				}
				inked++
				if !image.Pt(x, y).In(box) {
					bad++
					if bad <= 5 {
						fmt.Fprintf(os.Stderr, "text box %d %v: ink at (%d,%d) outside it\n", i, box, x, y)
					}
				}
			}
		}
		if inked == 0 {
			return fmt.Errorf("text box %d %v printed nothing", i, box)
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d inked pixels outside their text boxes in %s", bad, path)
	}
	fmt.Printf("textboxcheck: %d text boxes at %d dpi, all ink inside\n", len(boxes), dpi)
	return nil
}

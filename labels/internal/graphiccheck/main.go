// Command graphiccheck checks, with an independent ZPL renderer, that text
// in other scripts prints as drawn: every text whose lines go to the
// printer as ^GFA graphics (labels.NeedsGraphic) must look the same in the
// renderer's picture of the ZPL as in tote's own preview (labels.Draw), dot
// for dot, and have ink. CI runs it from .ci/label-check:
//
//	tote label render --template shipping --data intl.json --format zpl --dpi DPI --out intl.zpl
//	label-check intl.zpl intl.png 101.6 152.4 DOTS_PER_MM
//	graphiccheck shipping intl.json DPI intl.png
//
// It is a CI tool only: it never talks to a printer.
package main

import (
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"strconv"

	"github.com/totewms/tote/labels"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "graphiccheck:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 4 {
		return fmt.Errorf("usage: graphiccheck TEMPLATE DATA.json DPI RENDERED.png")
	}
	data, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	ls, err := labels.FromJSON(args[0], data)
	if err != nil {
		return err
	}
	dpi, err := strconv.Atoi(args[2])
	if err != nil {
		return fmt.Errorf("DPI %q is not a number", args[2])
	}
	f, err := os.Open(args[3])
	if err != nil {
		return err
	}
	defer f.Close()
	theirs, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", args[3], err)
	}
	mine, err := labels.Draw(ls[0], dpi)
	if err != nil {
		return err
	}
	dots := func(mm float64) int { return int(math.Round(mm * float64(dpi) / 25.4)) }
	dark := func(img image.Image, x, y int) bool {
		if !image.Pt(x, y).In(img.Bounds()) {
			return false
		}
		r, g, b, _ := img.At(x, y).RGBA()
		return (r+g+b)/3 < 0x8000
	}
	var drawn []labels.Text
	for _, it := range ls[0].Items {
		if t, ok := it.(labels.Text); ok && allDrawn(t) {
			drawn = append(drawn, t)
		}
	}
	if len(drawn) == 0 {
		return fmt.Errorf("the %s label has no text drawn as a graphic", args[0])
	}
	// compare counts tote's inked dots in t and the dots where the
	// renderer's picture, shifted by (dx, dy), differs.
	compare := func(t labels.Text, dx, dy int) (ink, differ int) {
		for y := dots(t.Y); y < dots(t.Y+t.H); y++ {
			for x := dots(t.X); x < dots(t.X+t.W); x++ {
				a, b := dark(mine, x, y), dark(theirs, x+dx, y+dy)
				if a {
					ink++
				}
				if a != b {
					differ++
				}
			}
		}
		return ink, differ
	}
	// The renderer centres the label's print width (^PW) in a picture of
	// the stock's width, which may be a few dots wider: find that shift on
	// the first text, then hold every text to it.
	best, bestDX, bestDY := math.MaxInt, 0, 0
	for dy := -3; dy <= 3; dy++ {
		for dx := -3; dx <= 16; dx++ {
			if _, d := compare(drawn[0], dx, dy); d < best {
				best, bestDX, bestDY = d, dx, dy
			}
		}
	}
	fmt.Printf("renderer picture shifted %d,%d dots\n", bestDX, bestDY)
	failed := false
	for _, t := range drawn {
		ink, differ := compare(t, bestDX, bestDY)
		status := "ok  "
		if ink == 0 || differ > ink/50 {
			status, failed = "FAIL", true
		}
		fmt.Printf("%s %q: %d inked dots, %d differ from the renderer\n", status, t.Value, ink, differ)
	}
	if failed {
		return fmt.Errorf("text drawn as graphics does not print as tote draws it")
	}
	return nil
}

// allDrawn reports whether every printed line of t is drawn as a graphic.
func allDrawn(t labels.Text) bool {
	lines := t.Lines()
	for _, l := range lines {
		if l != "" && !labels.NeedsGraphic(l) {
			return false
		}
	}
	return len(lines) > 0
}

package pack

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ItemSize is one item's outer dimensions and how many of it go in a carton.
type ItemSize struct {
	SKU                         string
	LengthMM, WidthMM, HeightMM float64
	Qty                         int
}

// UnknownSizeError says an item has no usable dimensions, so no box can be
// suggested: the packer chooses one by scanning it.
type UnknownSizeError struct{ SKU string }

func (e *UnknownSizeError) Error() string {
	return fmt.Sprintf("%s has no dimensions on file: scan the box you choose", e.SKU)
}

// NoFitError says no configured box holds the items.
type NoFitError struct {
	VolumeMM3 float64 // the items' volume
	LongestMM float64 // the longest side of any item
	Largest   string  // the largest box's name
}

func (e *NoFitError) Error() string {
	return fmt.Sprintf("no box fits these items (%.1f L, longest side %.0f mm; the largest box is %s): split them over several cartons",
		e.VolumeMM3/1e6, e.LongestMM, e.Largest)
}

var (
	_ error = (*UnknownSizeError)(nil)
	_ error = (*NoFitError)(nil)
)

// ErrNothingToPack is SuggestBox's answer for an empty carton.
var ErrNothingToPack = errors.New("nothing in the carton to choose a box for")

// SuggestBox returns the smallest box (by inner volume; the first listed on
// a tie) that holds the items: its inner volume times its fill factor is at
// least the items' volume, and each item fits inside it on its own — its
// longest side within the box's longest inner side, and its other two sides
// within the box's other two (sides compared longest to longest, so an item
// may be turned any way).
func SuggestBox(boxes []Box, items []ItemSize) (Box, error) {
	var volume, longest float64
	units := 0
	for _, it := range items {
		if it.Qty <= 0 {
			continue
		}
		if !positive(it.LengthMM) || !positive(it.WidthMM) || !positive(it.HeightMM) {
			return Box{}, &UnknownSizeError{SKU: it.SKU}
		}
		units += it.Qty
		volume += float64(it.Qty) * it.LengthMM * it.WidthMM * it.HeightMM
		longest = max(longest, it.LengthMM, it.WidthMM, it.HeightMM)
	}
	if units == 0 {
		return Box{}, ErrNothingToPack
	}
	if len(boxes) == 0 {
		return Box{}, errors.New("no boxes are configured: add [[pack.boxes]] to the station's configuration")
	}
	best, found := -1, false
	for i, b := range boxes {
		if !Fits(b, items) {
			continue
		}
		if !found || innerVolume(b) < innerVolume(boxes[best]) {
			best, found = i, true
		}
	}
	if !found {
		largest := slices.MaxFunc(boxes, func(x, y Box) int { return cmpFloat(innerVolume(x), innerVolume(y)) })
		return Box{}, &NoFitError{VolumeMM3: volume, LongestMM: longest, Largest: largest.Name}
	}
	return boxes[best], nil
}

// Fits reports whether the items go into box b by the rules SuggestBox
// uses. Items without dimensions never fit.
func Fits(b Box, items []ItemSize) bool {
	inner := sides(float64(b.LengthMM), float64(b.WidthMM), float64(b.HeightMM))
	var volume float64
	for _, it := range items {
		if it.Qty <= 0 {
			continue
		}
		if !positive(it.LengthMM) || !positive(it.WidthMM) || !positive(it.HeightMM) {
			return false
		}
		s := sides(it.LengthMM, it.WidthMM, it.HeightMM)
		if s[0] > inner[0] || s[1] > inner[1] || s[2] > inner[2] {
			return false
		}
		volume += float64(it.Qty) * it.LengthMM * it.WidthMM * it.HeightMM
	}
	return volume <= innerVolume(b)*b.FillFactor
}

func innerVolume(b Box) float64 {
	return float64(b.LengthMM) * float64(b.WidthMM) * float64(b.HeightMM)
}

// sides orders three lengths longest first.
func sides(a, b, c float64) [3]float64 {
	s := [3]float64{a, b, c}
	if s[0] < s[1] {
		s[0], s[1] = s[1], s[0]
	}
	if s[1] < s[2] {
		s[1], s[2] = s[2], s[1]
	}
	if s[0] < s[1] {
		s[0], s[1] = s[1], s[0]
	}
	return s
}

func positive(f float64) bool { return f > 0 && !math.IsInf(f, 1) }

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

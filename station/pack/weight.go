package pack

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// MaxWeightG bounds a carton's weight: more than any parcel carrier takes,
// so a larger figure is a slip of the finger or a scale fault.
const MaxWeightG = 500_000

// ParseWeight reads a weight typed by a packer at a bench without a scale:
// grams by default ("1250", "1250 g", "1250.5g") or kilograms with the unit
// ("1.25 kg", "1,25kg": a comma is a decimal point). It returns grams, or
// an error in plain words; never a guess.
func ParseWeight(s string) (float64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return 0, errors.New("type the carton's weight, e.g. 1250 (grams) or 1.25kg")
	}
	scale := 1.0
	switch {
	case strings.HasSuffix(t, "kg"):
		scale, t = 1000, strings.TrimSpace(strings.TrimSuffix(t, "kg"))
	case strings.HasSuffix(t, "g"):
		t = strings.TrimSpace(strings.TrimSuffix(t, "g"))
	}
	if t == "" || len(t) > 12 {
		return 0, fmt.Errorf("%q is not a weight: type grams, e.g. 1250, or kilograms, e.g. 1.25kg", clip(s))
	}
	// Only digits and one decimal point: strconv would also take "1e3",
	// "0x10", "Inf" and "_", none of which a packer means.
	dot := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
		case (c == '.' || c == ',') && !dot:
			dot = true
		default:
			return 0, fmt.Errorf("%q is not a weight: type grams, e.g. 1250, or kilograms, e.g. 1.25kg", clip(s))
		}
	}
	t = strings.Replace(t, ",", ".", 1)
	if t == "." {
		return 0, fmt.Errorf("%q is not a weight: type grams, e.g. 1250, or kilograms, e.g. 1.25kg", clip(s))
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a weight: type grams, e.g. 1250, or kilograms, e.g. 1.25kg", clip(s))
	}
	return checkWeight(f * scale)
}

// checkWeight refuses weights no carton can have, from a keyboard or a scale.
func checkWeight(g float64) (float64, error) {
	switch {
	case math.IsNaN(g) || math.IsInf(g, 0):
		return 0, errors.New("the weight is not a number")
	case g <= 0:
		return 0, errors.New("the weight must be more than 0 g: is the carton on the scale?")
	case g > MaxWeightG:
		return 0, fmt.Errorf("%s is more than any carton weighs (at most %s)", grams(g), grams(MaxWeightG))
	}
	return g, nil
}

// grams writes a weight for the packer: whole grams when whole, else one
// decimal.
func grams(g float64) string {
	if g == math.Trunc(g) {
		return strconv.FormatFloat(g, 'f', 0, 64) + " g"
	}
	return strconv.FormatFloat(g, 'f', 1, 64) + " g"
}

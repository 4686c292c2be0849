package pack

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// The default boxes (inner mm, fill 0.85):
//
//	small  BOX-S  230 × 160 ×  80 =  2 944 000 mm³ → 2 502 400 usable
//	medium BOX-M  305 × 230 × 150 = 10 522 500 mm³ → 8 944 125 usable
//	large  BOX-L  405 × 305 × 200 = 24 705 000 mm³ → 20 999 250 usable
//	xl     BOX-XL 510 × 405 × 305 = 62 997 750 mm³ → 53 548 087.5 usable
//
// defaultBoxes are the default configuration's boxes (the station's
// configuration test checks they match).
func defaultBoxes() []Box {
	return []Box{
		{Name: "small", Code: "BOX-S", LengthMM: 230, WidthMM: 160, HeightMM: 80, TareG: 120, FillFactor: 0.85},
		{Name: "medium", Code: "BOX-M", LengthMM: 305, WidthMM: 230, HeightMM: 150, TareG: 250, FillFactor: 0.85},
		{Name: "large", Code: "BOX-L", LengthMM: 405, WidthMM: 305, HeightMM: 200, TareG: 450, FillFactor: 0.85},
		{Name: "extra-large", Code: "BOX-XL", LengthMM: 510, WidthMM: 405, HeightMM: 305, TareG: 800, FillFactor: 0.85},
	}
}

func item(sku string, l, w, h float64, qty int) ItemSize {
	return ItemSize{SKU: sku, LengthMM: l, WidthMM: w, HeightMM: h, Qty: qty}
}

func TestSuggestBox(t *testing.T) {
	cases := []struct {
		name  string
		boxes []Box
		items []ItemSize
		want  string // box code, or "" when an error is expected
		err   string // substring of the error
	}{
		{"a small item takes the small box", defaultBoxes(), []ItemSize{item("PEN", 150, 20, 20, 1)}, "BOX-S", ""},
		{"quantity multiplies the volume", defaultBoxes(), []ItemSize{item("BRICK", 100, 100, 50, 5)}, "BOX-S", ""},          // 2.5 M ≤ 2 502 400
		{"one more unit goes past the fill factor", defaultBoxes(), []ItemSize{item("BRICK", 100, 100, 50, 6)}, "BOX-M", ""}, // 3.0 M
		{"exactly at the fill factor still fits", []Box{
			{Name: "ten", Code: "B10", LengthMM: 100, WidthMM: 100, HeightMM: 100, FillFactor: 0.5},
			{Name: "twenty", Code: "B20", LengthMM: 200, WidthMM: 200, HeightMM: 200, FillFactor: 0.5},
		}, []ItemSize{item("HALF", 100, 100, 50, 1)}, "B10", ""},
		{"a millimetre over the fill factor does not", []Box{
			{Name: "ten", Code: "B10", LengthMM: 100, WidthMM: 100, HeightMM: 100, FillFactor: 0.5},
			{Name: "twenty", Code: "B20", LengthMM: 200, WidthMM: 200, HeightMM: 200, FillFactor: 0.5},
		}, []ItemSize{item("HALF+", 100, 100, 51, 1)}, "B20", ""},
		{"a full fill factor takes the box to the brim", []Box{
			{Name: "ten", Code: "B10", LengthMM: 100, WidthMM: 100, HeightMM: 100, FillFactor: 1},
		}, []ItemSize{item("CUBE", 100, 100, 100, 1)}, "B10", ""},
		{"a low fill factor rules a box out", []Box{
			{Name: "ten", Code: "B10", LengthMM: 100, WidthMM: 100, HeightMM: 100, FillFactor: 0.2},
			{Name: "twenty", Code: "B20", LengthMM: 200, WidthMM: 200, HeightMM: 200, FillFactor: 0.2},
		}, []ItemSize{item("CUBE", 70, 70, 70, 1)}, "B20", ""}, // 343 000 > 200 000
		{"the longest side rules the small box out", defaultBoxes(), []ItemSize{item("ROD", 300, 20, 20, 1)}, "BOX-M", ""},
		{"the longest side exactly the box's fits", defaultBoxes(), []ItemSize{item("ROD", 230, 20, 20, 1)}, "BOX-S", ""},
		{"the longest side past every box", defaultBoxes(), []ItemSize{item("POLE", 600, 20, 20, 1)}, "", "no box fits these items (0.2 L, longest side 600 mm; the largest box is extra-large)"},
		{"the other sides count too: too tall for the small box", defaultBoxes(), []ItemSize{item("JAR", 200, 100, 90, 1)}, "BOX-M", ""},
		{"an item may be turned any way", defaultBoxes(), []ItemSize{item("SLAB", 70, 220, 150, 1)}, "BOX-S", ""},
		{"the smallest box, not the first listed", []Box{
			defaultBoxes()[3], defaultBoxes()[1], defaultBoxes()[0], defaultBoxes()[2],
		}, []ItemSize{item("PEN", 150, 20, 20, 1)}, "BOX-S", ""},
		{"on a tie of volume the first listed", []Box{
			{Name: "a", Code: "BA", LengthMM: 300, WidthMM: 200, HeightMM: 100, FillFactor: 0.9},
			{Name: "b", Code: "BB", LengthMM: 200, WidthMM: 300, HeightMM: 100, FillFactor: 0.9},
		}, []ItemSize{item("PEN", 150, 20, 20, 1)}, "BA", ""},
		{"mixed items add up", defaultBoxes(), []ItemSize{item("MUG", 120, 100, 100, 2), item("TAB", 250, 170, 10, 2)}, "BOX-M", ""},
		{"too much for every box", defaultBoxes(), []ItemSize{item("BRICK", 300, 200, 100, 10)}, "", "no box fits these items (60.0 L"},
		{"an item without dimensions", defaultBoxes(), []ItemSize{item("PEN", 150, 20, 20, 1), item("GHOST", 0, 20, 20, 1)}, "", "GHOST has no dimensions on file"},
		{"an item with NaN dimensions", defaultBoxes(), []ItemSize{item("NAN", math.NaN(), 20, 20, 1)}, "", "NAN has no dimensions"},
		{"an item with infinite dimensions", defaultBoxes(), []ItemSize{item("INF", math.Inf(1), 20, 20, 1)}, "", "INF has no dimensions"},
		{"nothing to pack", defaultBoxes(), nil, "", "nothing in the carton"},
		{"only zero quantities", defaultBoxes(), []ItemSize{item("PEN", 150, 20, 20, 0)}, "", "nothing in the carton"},
		{"no boxes configured", nil, []ItemSize{item("PEN", 150, 20, 20, 1)}, "", "no boxes are configured"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := SuggestBox(c.boxes, c.items)
			if c.want != "" {
				if err != nil || b.Code != c.want {
					t.Fatalf("SuggestBox = %q, %v; want %q", b.Code, err, c.want)
				}
				if !Fits(b, c.items) {
					t.Errorf("the suggestion %s does not pass Fits", b.Code)
				}
				// Nothing smaller fits.
				for _, o := range c.boxes {
					if innerVolume(o) < innerVolume(b) && Fits(o, c.items) {
						t.Errorf("%s is smaller and fits too", o.Code)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("SuggestBox = %q, %v; want an error containing %q", b.Code, err, c.err)
			}
			if b != (Box{}) {
				t.Errorf("a box came with the error: %+v", b)
			}
		})
	}
}

func TestSuggestBoxErrorTypes(t *testing.T) {
	_, err := SuggestBox(defaultBoxes(), []ItemSize{item("POLE", 600, 20, 20, 1)})
	var nf *NoFitError
	if !errors.As(err, &nf) || nf.LongestMM != 600 || nf.Largest != "extra-large" || nf.VolumeMM3 != 240000 {
		t.Errorf("no fit: %#v", err)
	}
	_, err = SuggestBox(defaultBoxes(), []ItemSize{item("GHOST", 10, 0, 10, 1)})
	var us *UnknownSizeError
	if !errors.As(err, &us) || us.SKU != "GHOST" {
		t.Errorf("unknown size: %#v", err)
	}
	if _, err := SuggestBox(defaultBoxes(), nil); !errors.Is(err, ErrNothingToPack) {
		t.Errorf("nothing: %v", err)
	}
}

func TestFits(t *testing.T) {
	small := defaultBoxes()[0]
	cases := []struct {
		name  string
		items []ItemSize
		want  bool
	}{
		{"fits", []ItemSize{item("PEN", 150, 20, 20, 3)}, true},
		{"longest side too long", []ItemSize{item("ROD", 231, 10, 10, 1)}, false},
		{"middle side too long", []ItemSize{item("TRAY", 200, 170, 10, 1)}, false},
		{"shortest side too long", []ItemSize{item("CUBE", 90, 90, 90, 1)}, false},
		{"turned on its side", []ItemSize{item("SLAB", 150, 70, 220, 1)}, true},
		{"volume over the fill factor", []ItemSize{item("SLAB", 230, 160, 80, 1)}, false},
		{"no dimensions", []ItemSize{item("GHOST", 0, 0, 0, 1)}, false},
		{"zero quantity is ignored", []ItemSize{item("GHOST", 0, 0, 0, 0), item("PEN", 150, 20, 20, 1)}, true},
	}
	for _, c := range cases {
		if got := Fits(small, c.items); got != c.want {
			t.Errorf("%s: Fits = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSides(t *testing.T) {
	for _, in := range [][3]float64{{1, 2, 3}, {1, 3, 2}, {2, 1, 3}, {2, 3, 1}, {3, 1, 2}, {3, 2, 1}, {2, 2, 1}, {1, 2, 2}} {
		if got := sides(in[0], in[1], in[2]); got[0] < got[1] || got[1] < got[2] || got[0]+got[1]+got[2] != in[0]+in[1]+in[2] {
			t.Errorf("sides%v = %v", in, got)
		}
	}
}

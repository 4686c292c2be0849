package pack

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestParseWeight(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		err  string // substring; "" for no error
	}{
		{"1250", 1250, ""},
		{" 1250 ", 1250, ""},
		{"1250g", 1250, ""},
		{"1250 g", 1250, ""},
		{"1250.5", 1250.5, ""},
		{"1.25kg", 1250, ""},
		{"1,25 kg", 1250, ""},
		{"1.25 KG", 1250, ""},
		{"0.5", 0.5, ""},
		{".5kg", 500, ""},
		{"500000", 500000, ""},
		{"", 0, "type the carton's weight"},
		{"   ", 0, "type the carton's weight"},
		{"kg", 0, "is not a weight"},
		{"g", 0, "is not a weight"},
		{".", 0, "is not a weight"},
		{"1.2.3", 0, "is not a weight"},
		{"1,2.3", 0, "is not a weight"},
		{"-5", 0, "is not a weight"},
		{"+5", 0, "is not a weight"},
		{"1e3", 0, "is not a weight"},
		{"0x10", 0, "is not a weight"},
		{"Inf", 0, "is not a weight"},
		{"NaN", 0, "is not a weight"},
		{"1_000", 0, "is not a weight"},
		{"12 lb", 0, "is not a weight"},
		{"heavy", 0, `"heavy" is not a weight`},
		{"0", 0, "more than 0 g"},
		{"0.0kg", 0, "more than 0 g"},
		{"500001", 0, "more than any carton weighs"},
		{"501kg", 0, "more than any carton weighs"},
		{"1234567890123", 0, "is not a weight"},
	}
	for _, c := range cases {
		got, err := ParseWeight(c.in)
		if c.err == "" {
			if err != nil || got != c.want {
				t.Errorf("ParseWeight(%q) = %v, %v; want %v", c.in, got, err, c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("ParseWeight(%q) = %v, %v; want an error containing %q", c.in, got, err, c.err)
		}
	}
}

func TestGrams(t *testing.T) {
	for g, want := range map[float64]string{950: "950 g", 12.25: "12.2 g", 0.5: "0.5 g", 10480: "10480 g"} {
		if got := grams(g); got != want {
			t.Errorf("grams(%v) = %q, want %q", g, got, want)
		}
	}
}

// FuzzParseWeight: any text gives either a weight a carton can have or an
// error in words, never a panic; plain digits read as grams.
func FuzzParseWeight(f *testing.F) {
	for _, s := range []string{"1250", "1.25kg", "1,25 kg", "0", "-1", "1e3", "NaN", "99999999999", ".", "g", "\x00", "١٢٣"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := ParseWeight(s)
		if err != nil {
			if g != 0 || err.Error() == "" {
				t.Fatalf("ParseWeight(%q) = %v with error %v", s, g, err)
			}
			return
		}
		if !(g > 0 && g <= MaxWeightG) || math.IsNaN(g) {
			t.Fatalf("ParseWeight(%q) = %v: out of range", s, g)
		}
		digits := strings.TrimSpace(s)
		if n, perr := strconv.ParseUint(digits, 10, 64); perr == nil && float64(n) != g {
			t.Fatalf("ParseWeight(%q) = %v, want %d grams", s, g, n)
		}
	})
}

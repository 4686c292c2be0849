package scale

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func TestParseMTSICS(t *testing.T) {
	cases := []struct {
		in     string
		grams  float64
		stable bool
		err    error
	}{
		{"S S      12.345 kg\r\n", 12345, true, nil},
		{"S S     250.0 g", 250, true, nil},
		{"S A   1.5 kg\r\n", 1500, true, nil},
		{"S S   -0.004 kg\r\n", -4, true, nil},
		{"S S   2.5 lb\r\n", 2.5 * 453.59237, true, nil},
		{"S S   16 oz\r\n", 16 * 28.349523125, true, nil},
		{"S D       3.210 kg\r\n", 3210, false, ErrMotion},
		{"S I\r\n", 0, false, ErrNotReady},
		{"S +\r\n", 0, false, ErrOverload},
		{"S -\r\n", 0, false, ErrUnderload},
		{"ES\r\n", 0, false, ErrRejected},
		{"ET\r\n", 0, false, ErrRejected},
		{"EL\r\n", 0, false, ErrRejected},
		{"\r\n", 0, false, ErrBadReply},
		{"Z A\r\n", 0, false, ErrBadReply},
		{"S X 1 kg\r\n", 0, false, ErrBadReply},
		{"S S 1.2.3 kg\r\n", 0, false, ErrBadReply},
		{"S S NaN kg\r\n", 0, false, ErrBadReply},
		{"S S 1e3 kg\r\n", 0, false, ErrBadReply},
		{"S S 1 stone\r\n", 0, false, ErrBadReply},
		{"S S 1\r\n", 0, false, ErrBadReply},
		{"S S 1 kg extra\r\n", 0, false, ErrBadReply},
	}
	for _, c := range cases {
		w, err := ParseMTSICS([]byte(c.in))
		if !errors.Is(err, c.err) || (c.err == nil && err != nil) {
			t.Errorf("%q: error %v, want %v", c.in, err, c.err)
			continue
		}
		if w.Stable != c.stable || !near(w.Grams, c.grams) {
			t.Errorf("%q: got %+v, want %v g stable=%v", c.in, w, c.grams, c.stable)
		}
		if w.Raw != strings.TrimRight(c.in, "\r\n") {
			t.Errorf("%q: raw %q", c.in, w.Raw)
		}
	}
}

func TestParseSCP01(t *testing.T) {
	cases := []struct {
		in     string
		grams  float64
		stable bool
		err    error
	}{
		{"\n0001.26LB\r\n00\r\x03", 1.26 * 453.59237, true, nil},
		{"\n0000.00LB\r\n20\r\x03", 0, true, nil}, // '2' in byte 1: at zero, fine
		{"\n001.250KG\r\n00\r\x03", 1250, true, nil},
		{"\n0012.5oz\r\n000\r\x03", 12.5 * 28.349523125, true, nil},
		{"\n0001.26LB\r\n10\r\x03", 1.26 * 453.59237, false, ErrMotion}, // '1' = 0x31: motion bit
		{"\n^^^^^^^LB\r\n02\r\x03", 0, false, ErrOverload},              // '2' in byte 2: over
		{"\n-001.00LB\r\n01\r\x03", 0, false, ErrUnderload},
		{"\n?\r\x03", 0, false, ErrRejected},
		{"0001.26LB\r\n00\r\x03", 0, false, ErrBadReply},
		{"\n0001.26LB\r\n00\r", 0, false, ErrBadReply},
		{"\n0001.26LB\r\n00\x03", 0, false, ErrBadReply},
		{"\n0001.26LB\r\n0\r\x03", 0, false, ErrBadReply},
		{"\n0001.26LB\r\nAB\r\x03", 0, false, ErrBadReply},
		{"\n0001.26\r\n00\r\x03", 0, false, ErrBadReply},
		{"\nLB\r\n00\r\x03", 0, false, ErrBadReply},
		{"\n00x1.26LB\r\n00\r\x03", 0, false, ErrBadReply},
		{"\n0001.26ST\r\n00\r\x03", 0, false, ErrBadReply},
	}
	for _, c := range cases {
		w, err := ParseSCP01([]byte(c.in))
		if !errors.Is(err, c.err) || (c.err == nil && err != nil) {
			t.Errorf("%q: error %v, want %v", c.in, err, c.err)
			continue
		}
		if w.Stable != c.stable || !near(w.Grams, c.grams) {
			t.Errorf("%q: got %+v, want %v g stable=%v", c.in, w, c.grams, c.stable)
		}
	}
}

func TestUnitOverride(t *testing.T) {
	for _, c := range []struct {
		in    string
		parse func([]byte, string) (Weight, error)
		grams float64
	}{
		{"S S 2.000\r\n", parseMTSICS, 2 * 453.59237},    // no unit sent
		{"S S 2.000 kg\r\n", parseMTSICS, 2 * 453.59237}, // wrong unit sent
		{"\n0002.00\r\n00\r\x03", parseSCP01, 2 * 453.59237},
		{"\n0002.00KG\r\n00\r\x03", parseSCP01, 2 * 453.59237},
	} {
		w, err := c.parse([]byte(c.in), "lb")
		if err != nil || !near(w.Grams, c.grams) {
			t.Errorf("%q in lb: %+v, %v", c.in, w, err)
		}
	}
	if _, err := ParseMTSICS([]byte("S S 2.000\r\n")); !errors.Is(err, ErrBadReply) {
		t.Errorf("no unit and no override: %v", err)
	}
}

func TestErrorsSayWhatToDo(t *testing.T) {
	for in, want := range map[string]string{
		"S D 1 kg": "still moving; wait for it to settle",
		"S +":      "too heavy for the scale",
		"S -":      "clear the pan and zero it",
	} {
		if _, err := ParseMTSICS([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

// checkWeight holds for every accepted reading.
func checkWeight(t *testing.T, w Weight, err error) {
	if err == nil && (!w.Stable || math.IsNaN(w.Grams) || math.IsInf(w.Grams, 0)) {
		t.Fatalf("accepted %+v", w)
	}
	if err != nil && w.Stable {
		t.Fatalf("error %v with a stable weight %+v", err, w)
	}
	if errors.Is(err, ErrMotion) && w.Stable {
		t.Fatal("motion with Stable set")
	}
}

func FuzzParseMTSICS(f *testing.F) {
	for _, s := range []string{"S S      12.345 kg\r\n", "S D 1 g", "S I", "S +", "ES", "S S -.5 lb", "S A 1 oz\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		w, err := ParseMTSICS(in)
		checkWeight(t, w, err)
		w, err = parseMTSICS(in, "lb")
		checkWeight(t, w, err)
	})
}

func FuzzParseSCP01(f *testing.F) {
	for _, s := range []string{"\n0001.26LB\r\n00\r\x03", "\n0001.26LB\r\n10\r\x03", "\n?\r\x03", "\n^^^^^^^LB\r\n02\r\x03", "\n001.250KG\r\n000\r\x03"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		w, err := ParseSCP01(in)
		checkWeight(t, w, err)
		w, err = parseSCP01(in, "lb")
		checkWeight(t, w, err)
	})
}

func BenchmarkParseMTSICS(b *testing.B) {
	in := []byte("S S      12.345 kg\r\n")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseMTSICS(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSCP01(b *testing.B) {
	in := []byte("\n0001.26LB\r\n00\r\x03")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSCP01(in); err != nil {
			b.Fatal(err)
		}
	}
}

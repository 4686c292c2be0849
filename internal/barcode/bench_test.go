package barcode

import (
	"testing"
)

var benchScans = []struct{ name, aim, data string }{
	{"gs1-128-gtin-lot-expiry", "]C1", "010950110153000310ABC123\x1d17261231"},
	{"gs1-datamatrix-serial-weight", "]d2", "0109501101530003172612313103001250" + "21SN0000123456"},
	{"sscc", "]C1", "00106141411234567897"},
	{"ean-13", "]E0", "4006381333931"},
	{"location-untagged", "", "A-01-03-2"},
	{"command-untagged", "", "CMD:SHORT"},
	{"gtin-untagged", "", "4006381333931"},
	{"digital-link", "]Q1", "https://id.gs1.org/01/09501101530003/10/ABC123?17=261231"},
}

// BenchmarkInterpretTo is the pick path: one Meaning reused per scanner.
func BenchmarkInterpretTo(b *testing.B) {
	in := newTestInterpreter(b)
	for _, sc := range benchScans {
		b.Run(sc.name, func(b *testing.B) {
			var m Meaning
			b.ReportAllocs()
			for b.Loop() {
				in.InterpretTo(&m, sc.aim, sc.data)
				if m.Err != nil {
					b.Fatal(m.Err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "scans/s")
		})
	}
}

// BenchmarkInterpret returns a fresh Meaning each time (one allocation for
// the AIs of a GS1 scan).
func BenchmarkInterpret(b *testing.B) {
	in := newTestInterpreter(b)
	sc := benchScans[0]
	b.ReportAllocs()
	for b.Loop() {
		if m := in.Interpret(sc.aim, sc.data); m.Err != nil {
			b.Fatal(m.Err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "scans/s")
}

// TestInterpretMakesRoomOnlyForAIs: a fresh Meaning gets room for AIs
// only when the scan is parsed as GS1 (one allocation for a typical
// one); a plain GTIN, the commonest scan, and a GTIN-13 starting with 0
// (a UPC-A as EAN-13) make none for AIs.
func TestInterpretMakesRoomOnlyForAIs(t *testing.T) {
	in := newTestInterpreter(t)
	for _, c := range []struct {
		aim, data string
		room      bool
	}{
		{"]C1", "010950110153000310ABC123\x1d17261231", true},
		{"", "0109501101530003", true},
		{"", "4006381333931", false},
		{"", "0012345678905", false},
		{"]E0", "0012345678905", false},
		{"", "A-01-03-2", false},
	} {
		m := in.Interpret(c.aim, c.data)
		if m.Err != nil {
			t.Fatalf("%q: %v", c.data, m.Err)
		}
		if got := cap(m.AIs) > 0; got != c.room {
			t.Errorf("%q: room for AIs %v (cap %d), want %v", c.data, got, cap(m.AIs), c.room)
		}
	}
}

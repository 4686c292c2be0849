package labels

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"testing"
)

func benchShipping(b *testing.B) ShippingData {
	var d ShippingData
	if err := json.Unmarshal(exampleData(b)["shipping"], &d); err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkShippingZPL builds the shipping label from its data and renders
// it as ZPL, as the pack flow does for every carton. Goal: under 2 KB, so a
// label reaches a 9600-baud serial printer (960 bytes/s) in under 2 s.
func BenchmarkShippingZPL(b *testing.B) {
	d := benchShipping(b)
	for _, dpi := range []int{203, 300} {
		b.Run(map[int]string{203: "203dpi", 300: "300dpi"}[dpi], func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				l, err := Shipping(d)
				if err != nil {
					b.Fatal(err)
				}
				z, err := ZPL(l, dpi)
				if err != nil {
					b.Fatal(err)
				}
				size = len(z)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "labels/s")
			b.ReportMetric(float64(size), "bytes/label")
			b.ReportMetric(float64(size)/960, "s@9600baud")
		})
	}
}

// BenchmarkShippingPNG builds the shipping label and renders the preview PNG.
func BenchmarkShippingPNG(b *testing.B) {
	d := benchShipping(b)
	b.ReportAllocs()
	for b.Loop() {
		l, err := Shipping(d)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := PNG(l, 203); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "labels/s")
}

// BenchmarkTemplatesZPL renders every template's example, data file to ZPL.
func BenchmarkTemplatesZPL(b *testing.B) {
	data := exampleData(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		for name, raw := range data {
			ls, err := FromJSON(name, raw)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ZPLPages(ls, 203); err != nil {
				b.Fatal(err)
			}
			n += len(ls)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "labels/s")
}

// BenchmarkInternationalShippingZPL is the shipping label with a ship-to in
// other scripts: six rows drawn from the fallback font as ^GFA graphics.
// The font is loaded before the timer starts (once per process).
func BenchmarkInternationalShippingZPL(b *testing.B) {
	d := benchShipping(b)
	d.ShipTo = international
	if _, err := loadFallbackFont(); err != nil {
		b.Fatal(err)
	}
	for _, dpi := range []int{203, 300} {
		b.Run(map[int]string{203: "203dpi", 300: "300dpi"}[dpi], func(b *testing.B) {
			b.ReportAllocs()
			size := 0
			for b.Loop() {
				l, err := Shipping(d)
				if err != nil {
					b.Fatal(err)
				}
				z, err := ZPL(l, dpi)
				if err != nil {
					b.Fatal(err)
				}
				size = len(z)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "labels/s")
			b.ReportMetric(float64(size), "bytes/label")
			b.ReportMetric(float64(size)/960, "s@9600baud")
		})
	}
}

// BenchmarkFallbackFontLoad is the one-off cost of reading the embedded
// font, paid by the first label that needs it.
func BenchmarkFallbackFontLoad(b *testing.B) {
	for b.Loop() {
		f := &fallbackFont{glyphs: map[rune]*glyph{}, offsets: map[rune]int{}}
		gz, _ := glyphFiles.ReadFile("glyphs/unifont.hex.gz")
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			b.Fatal(err)
		}
		if err := f.parseHex(zr); err != nil {
			b.Fatal(err)
		}
	}
}

package gs1

import (
	"testing"
	"time"
)

// Typical GS1-128 scans on a pick floor: trade item with lot and expiry,
// a catch-weight item, a pallet label.
var benchScans = []struct {
	name, data string
}{
	{"gtin-lot-expiry", "010950110153000310ABC123\x1d17261231"},
	{"gtin-expiry-weight-serial", "0109501101530003172612313103001250" + "21SN0000123456"},
	{"sscc", "00106141411234567897"},
	{"pallet", "00106141411234567897" + "0209501101530003" + "37120\x1d" + "10LOT-42\x1d" + "15261231"},
}

func BenchmarkParseElementString(b *testing.B) {
	p := &Parser{Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }}
	for _, sc := range benchScans {
		b.Run(sc.name, func(b *testing.B) {
			buf := make([]Element, 0, 16)
			b.ReportAllocs()
			b.SetBytes(int64(len(sc.data)))
			for b.Loop() {
				var err error
				buf, err = p.ParseElementString(sc.data, buf[:0])
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "scans/s")
		})
	}
}

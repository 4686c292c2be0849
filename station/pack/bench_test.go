package pack

import (
	"fmt"
	"testing"

	"github.com/totewms/tote/internal/floor"
)

// BenchmarkVerifyScan is the workflow's share of a verify scan: one GTIN
// scan of a unit, matched against the order's lines, checked (over-scan,
// hazmat, lots) and counted into the open carton with its event. The
// station's share (interpreting, committing) is measured next to the bare
// commit in ./station. Sizes: units already verified in the open carton.
func BenchmarkVerifyScan(b *testing.B) {
	for _, verified := range []int{0, 50, 500} {
		b.Run(fmt.Sprintf("verified=%d", verified), func(b *testing.B) {
			o := order()
			o.Lines[0].Ordered, o.Lines[0].Picked = verified+b.N+1, verified+b.N+1
			units := make([]Unit, verified)
			for i := range units {
				units[i] = u(1, "MUG-RED", 1)
			}
			s := bench(o, Carton{No: 1, Units: units})()
			in := gtin(gMug)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r := Apply(s, in)
				if len(r.Events) != 1 || r.Events[0].Type != floor.EvPackUnitVerified {
					b.Fatalf("events %v: %q", types(r.Events), r.Feedback.Message)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "scans/s")
		})
	}
}

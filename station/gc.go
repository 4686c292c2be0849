package station

import (
	"os"
	"runtime/debug"
)

// GCPercent is a station process's garbage-collector target (GOGC).
//
// A station's live heap is small (about 2 MB in the demo), so at Go's
// default of 100 the collector ran each time 2–3 MB more were allocated:
// every few scans and redraws, with marks of 3–5 ms on a cart's two
// cores. A scan that met one waited for it, and in the interleaved
// scan-path benchmark collections were the main cause of a scan's p99
// beyond a bare commit's: all three scan paths stayed within 1.5× bare in
// 7 of 15 runs at 100, 12 of 15 at 400 and 14 of 15 with the collector
// off. At 400 it runs about a sixth as often, for a heap goal of 16 MB.
const GCPercent = 400

// TuneGC sets the collector to GCPercent for this process, unless the
// environment sets GOGC (an operator's choice stands), and returns a
// function that puts back the setting it found.
func TuneGC() (restore func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return func() {}
	}
	was := debug.SetGCPercent(GCPercent)
	return func() { debug.SetGCPercent(was) }
}

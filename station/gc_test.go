package station_test

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/totewms/tote/station"
)

// gcPercent reads the collector's setting without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestTuneGC: a station process runs the collector at GCPercent, and puts
// back what it found; GOGC in the environment stands.
func TestTuneGC(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		t.Setenv("GOGC", "") // restored after the test
		os.Unsetenv("GOGC")
		was := gcPercent()
		restore := station.TuneGC()
		if got := gcPercent(); got != station.GCPercent {
			t.Errorf("collector at %d, want %d", got, station.GCPercent)
		}
		restore()
		if got := gcPercent(); got != was {
			t.Errorf("after restore the collector is at %d, want %d", got, was)
		}
	})
	t.Run("GOGC set", func(t *testing.T) {
		t.Setenv("GOGC", "150")
		was := gcPercent()
		restore := station.TuneGC()
		if got := gcPercent(); got != was {
			t.Errorf("GOGC is set, yet the collector moved from %d to %d", was, got)
		}
		restore()
		if got := gcPercent(); got != was {
			t.Errorf("after restore the collector is at %d, want %d", got, was)
		}
	})
}

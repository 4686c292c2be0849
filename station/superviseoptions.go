package station

import (
	"context"
	"time"
)

// BenchSupervise is the supervisor's bench, on a supervisor's PC or
// visiting any station (station/supervisebench).
const BenchSupervise BenchName = "supervise"

// SuperviseOptions are what a supervisor bench needs besides its workflow.
type SuperviseOptions struct {
	// Fetch reads the hub's figures into the station's store: the
	// site's, and the open wave's and order's when named. Nil when the
	// station does not sync: the bench shows what its store holds.
	Fetch func(ctx context.Context, wave, order string, now time.Time) error
	// Every is how often the figures are fetched while a supervisor is
	// signed in; zero means every 5 seconds.
	Every time.Duration
}

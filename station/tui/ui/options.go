package ui

import (
	"charm.land/bubbles/v2/key"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/station"
)

// Options describe the station for the screens.
type Options struct {
	Station string
	Site    string
	// Demo turns on hints for a newcomer: the side panel starts open and
	// F12 scans the next expected barcode.
	Demo bool
	// Badges to suggest on the login screen (demo only).
	Badges []string
	// PINs of the demo's badges, shown at a PIN prompt so a newcomer can
	// sign in a supervisor (demo only; a real site never has them).
	PINs map[string]string
	// DemoScan, when set, is how F12 scans in the demo: through the virtual
	// serial scanner, so the demo exercises the real serial path.
	DemoScan func(data string) error
	// DemoNewWave, when set, asks the demo's office for a new wave (F12
	// once a wave is done); it returns the new wave's id.
	DemoNewWave func() (string, error)
	// DemoDir is the demo's folder, said on the first screen.
	DemoDir string
	// Devices are the configured devices' names, in config order, so the
	// device line shows them before they first report.
	Devices []devices.State
	// Bench is the bench the station runs (cmd/tote passes it on); the
	// root model opens its page from the station's snapshot, which names it.
	Bench station.BenchName
	// Hints are what the demo knows waits at this bench, for F12 and the
	// side panel's NEXT (demo only): totes or orders picked, at a packing
	// bench; parcels' SSCCs ready to load, at a dispatch bench.
	Hints []string
	// More are keys answered around the station's screen, shown at the end
	// of its help line: the demo's Tab to its next station.
	More []key.Binding
}

// ScaleMsg is the bench scale's live reading, shown while a carton is
// weighed. The station takes its weights from the scale itself; this is
// only what the packer sees, so the latest one replaces the last.
type ScaleMsg struct {
	Scale   string  // the scale's configured name
	Grams   float64 // the reading
	Stable  bool    // settled: the station only takes stable readings
	Problem string  // why there is no reading (e.g. "overload"), "" when fine
	// Note: why a stable reading is not taken as the carton's weight
	// (pack.LiftFirstNote), "" when it is or nothing waits.
	Note string
}

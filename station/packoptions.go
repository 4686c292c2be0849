package station

import (
	"github.com/totewms/tote/internal/config"
)

// PackOptions are what a packing bench needs besides its workflow.
type PackOptions struct {
	// Rules is the [pack] section: tolerances, boxes, the holding
	// location, the SSCC prefix, the carrier defaults and ship-from.
	Rules config.Pack
	// Printer is the [[printers]] name shipping labels go to ("" when the
	// station has no printer: pack complete then refuses, loudly).
	Printer string
	// DPI of that printer, for rendering the labels.
	DPI int
	// Kick, when set, wakes the print spooler after a commit that queued
	// labels. It must not block.
	Kick func()
}

package station

// DispatchOptions are what a dispatch bench needs besides its workflow.
type DispatchOptions struct {
	// Carrier is the carrier of a parcel whose order names none: the
	// [pack] default its label was printed for.
	Carrier string
	// Printer is the [[printers]] name manifests go to ("" when the
	// station has none: closing a pickup then refuses, loudly).
	Printer string
	// DPI of that printer, for rendering the manifest.
	DPI int
	// Kick, when set, wakes the print spooler after a commit that queued
	// a manifest. It must not block.
	Kick func()
}

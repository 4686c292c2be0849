// Package labels lays out tote's labels once, in millimetres on a label
// stock, and renders that one layout two ways: ZPL II for Zebra printers
// (ZPL) and a picture for previews and docs (Draw, PNG).
//
// # Basics
//
// A Label is a stock (its size) and items placed on it: Text, Barcode and Box.
// Templates (Shipping, PackSlip, Tote, Location, Badge, CommandSheet) build
// labels from typed data; FromJSON does the same from a data file. SSCC builds
// the 18-digit serial shipping container code from a company prefix, an
// extension digit and a serial counter that the caller keeps.
// ValidateCarrierZPL checks ZPL that arrives ready-made from a carrier or the
// OMS before it is sent to the printer unchanged.
//
// Both renderers walk the same items with the same text wrapping and the same
// module widths, so a preview shows what the printer prints.
//
// # Caveats
//
// This package must never let data change what the printer does: every text
// or barcode field that may hold order or OMS data is written with ^FH hex
// escapes, so ^, ~ and _ and control bytes are printed, not obeyed. Barcodes
// are never bitmaps (printers render their own symbols); text is, only when
// the printer's font 0 lacks a character of the line: then the line is drawn
// from the embedded fallback font (GNU Unifont, glyphs/), Arabic shaped and
// right-to-left runs in visual order, and sent as a ^GFA graphic. It never
// talks to a printer: sending bytes is the printer transport's job.
//
// Text is measured with a conservative per-character width table instead of
// the printer's real font metrics, so a line may stop a little before the
// edge of its box on paper; it never runs past it. Bidirectional layout is a
// reduced UAX #9 per printed line without explicit embeddings.
package labels

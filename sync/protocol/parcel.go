package protocol

import (
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// Parcels travel to the dock: a carton packed on any bench of the site
// reaches every dispatch bench of the site once its shipment is
// complete, so a loader on another PC can scan it onto a pickup. The hub
// sends it again whenever what the dock must know of it changes: its
// label was voided, its order was held, released or cancelled, it was
// loaded onto a pickup or taken off, and it left with its pickup.

// BenchDispatch is the bench a dispatch station states on its pull.
const BenchDispatch = "dispatch"

// Parcel states as the dock sees them.
const (
	ParcelReady   = "ready"   // labelled, its shipment complete: may go on a pickup
	ParcelVoided  = "voided"  // its label was voided: it must not leave
	ParcelShipped = "shipped" // it left with its pickup: no longer at the dock
)

// DockParcel is a packed carton as a dispatch bench needs it. Carrier is its
// label's carrier, else its order's ("" when neither names one: the
// bench's default). Pickup is the pickup it is loaded on ("" for none);
// Holds and Cancelled are its order's standing now.
type DockParcel struct {
	SSCC      string `json:"sscc"`
	Order     string `json:"order"`
	Shipment  string `json:"shipment"`
	Carrier   string `json:"carrier,omitempty"`
	Service   string `json:"service,omitempty"`
	Tracking  string `json:"tracking,omitempty"`
	Status    string `json:"status"`
	Pickup    string `json:"pickup,omitempty"`
	Holds     []Hold `json:"holds,omitempty"`
	Cancelled bool   `json:"cancelled,omitempty"`
}

// Check reports a parcel record a station must not apply: no SSCC or
// order, or a status it does not know.
func (p *DockParcel) Check() error {
	switch {
	case p.SSCC == "":
		return fmt.Errorf("a parcel without an SSCC")
	case p.Order == "":
		return fmt.Errorf("parcel %s names no order", floor.Printable(p.SSCC))
	case p.Status != ParcelReady && p.Status != ParcelVoided && p.Status != ParcelShipped:
		return fmt.Errorf("parcel %s has status %s: want ready, voided or shipped", floor.Printable(p.SSCC), floor.Printable(p.Status))
	}
	return nil
}

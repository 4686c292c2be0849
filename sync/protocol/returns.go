package protocol

import (
	"fmt"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// Returns. A returns bench takes back what an order shipped. The hub is
// the authority on how many units of a line shipped and came back (every
// bench's returns reach it); it sends each shipped order to every returns
// bench of the site (KindReturnable), and again whenever its shipped or
// returned units change, so a bench can refuse offline what it can tell.

// BenchReturns is the bench a returns station states on its pull.
const BenchReturns = "returns"

// Returns events as the hub reads them (floor.EvReturn*).
const (
	EvReturnOpened   = "return.opened"
	EvReturnReceived = "return.received"
	EvReturnClosed   = "return.closed"
)

// Returnable is an order that shipped, as a returns bench needs it: the
// SSCCs of its shipped parcels, and per line what shipped and what came
// back. Counted are the ids of the return.received events the Returned
// figures include, so a bench counts its own returns the hub has not
// heard of yet, and never one twice.
type Returnable struct {
	Order     string           `json:"order"`
	SSCCs     []string         `json:"ssccs,omitempty"`
	Lines     []ReturnableLine `json:"lines"`
	Counted   []string         `json:"counted,omitempty"`
	Cancelled bool             `json:"cancelled,omitempty"`
}

// ReturnableLine is one line of a Returnable.
type ReturnableLine struct {
	Line     int    `json:"line"`
	SKU      string `json:"sku"`
	Shipped  int    `json:"shipped"`
	Returned int    `json:"returned"`
}

// Check reports a record a station must not apply.
func (r *Returnable) Check() error {
	if r.Order == "" {
		return fmt.Errorf("a returnable order without an order number")
	}
	for _, l := range r.Lines {
		if l.Line < 1 || l.Shipped < 0 || l.Returned < 0 || l.SKU == "" {
			return fmt.Errorf("order %s: line %d (%s) with %d shipped and %d returned does not read", floor.Printable(r.Order), l.Line, floor.Printable(l.SKU), l.Shipped, l.Returned)
		}
	}
	return nil
}

// ReturnEntry is one return.received the hub booked, kept in the order's
// life record (docs/order-life.md).
type ReturnEntry struct {
	Event       string    `json:"event"` // the station's event id
	Return      string    `json:"return"`
	Station     string    `json:"station"`
	Line        int       `json:"line"`
	SKU         string    `json:"sku"`
	Qty         int       `json:"qty"`
	Condition   string    `json:"condition"`
	Reason      string    `json:"reason"`
	Disposition string    `json:"disposition"`
	Location    string    `json:"location,omitempty"`
	RMA         string    `json:"rma,omitempty"`
	At          time.Time `json:"at"`
}

// Shopify's reverse fulfillment order dispositions (ReverseFulfillmentOrderDispositionType).
const (
	ShopifyRestocked          = "RESTOCKED"
	ShopifyProcessingRequired = "PROCESSING_REQUIRED"
	ShopifyNotRestocked       = "NOT_RESTOCKED"
	ShopifyMissing            = "MISSING"
)

// ShopifyDisposition maps tote's disposition to Shopify's: restock is
// RESTOCKED, refurbish PROCESSING_REQUIRED, destroy NOT_RESTOCKED. tote
// records no MISSING: a unit that is not in the parcel is not scanned,
// so it is not returned.
func ShopifyDisposition(d string) string {
	switch floor.Disposition(d) {
	case floor.DispositionRestock:
		return ShopifyRestocked
	case floor.DispositionRefurbish:
		return ShopifyProcessingRequired
	case floor.DispositionDestroy:
		return ShopifyNotRestocked
	}
	return ""
}

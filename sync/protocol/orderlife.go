package protocol

import "time"

// The order's life at the hub (docs/order-life.md): its state, each
// line's units by where they are, its back orders, the goods waiting on a
// holding shelf and the restock tasks a cancellation left.

// Order states, as the read API gives them in Fulfilment.State.
const (
	StateReleased         = "released"          // on the hub, nothing picked yet
	StatePicking          = "picking"           // some units picked or short, some still to pick
	StatePicked           = "picked"            // nothing left to pick: the goods are in totes
	StatePacking          = "packing"           // some units in labelled cartons, the rest in totes
	StatePacked           = "packed"            // every unit due is in a labelled carton (labels printed)
	StatePartiallyShipped = "partially_shipped" // some units left the dock; the rest is due or back-ordered
	StateShipped          = "shipped"           // every unit left the dock
	StateBackOrdered      = "back_ordered"      // nothing shipped, nothing to do on the floor: waiting for stock
	StateOnHold           = "on_hold"           // a hold stands and nothing is shipped
	StateCancelled        = "cancelled"         // cancelled centrally
	StateClosed           = "closed"            // finished: some units shipped, the rest closed (back order closed) or returned to stock
)

// LineLife counts one order line's units by where they are. The buckets
// (Open … Cancelled) always add up to Ordered; Picked, Short, Reallocated,
// Released and Returned are running counts.
type LineLife struct {
	Line    int    `json:"line"`
	SKU     string `json:"sku"`
	Ordered int    `json:"ordered"`

	Open        int `json:"open"`         // still to pick
	InTote      int `json:"in_tote"`      // picked, not in a labelled carton
	Packed      int `json:"packed"`       // in a labelled carton, not yet left the dock
	Shipped     int `json:"shipped"`      // left the dock
	BackOrdered int `json:"back_ordered"` // waiting for stock
	Restocked   int `json:"restocked"`    // returned to stock
	Cancelled   int `json:"cancelled"`    // never picked: the order (or its back order) was cancelled

	Picked      int `json:"picked"`                 // units picked, net of undone picks
	Short       int `json:"short"`                  // units reported short
	Reallocated int `json:"reallocated,omitempty"`  // short units offered again from another location
	Released    int `json:"released,omitempty"`     // back-ordered units released again
	Returned    int `json:"returned,omitempty"`     // shipped units the customer sent back
	PackedAhead int `json:"packed_ahead,omitempty"` // packed before the pick's event reached the hub
}

// ShelfEntry is an order's goods waiting on a holding shelf (HOLD-01):
// set aside at a pack bench because the order was held or cancelled.
type ShelfEntry struct {
	Order    string    `json:"order,omitempty"` // in the site-wide list
	Location string    `json:"location"`
	Station  string    `json:"station"`
	Reason   string    `json:"reason"` // held or cancelled
	Units    int       `json:"units"`  // units verified at the bench
	Lines    []LineQty `json:"lines"`  // the order's goods in totes when they went to the shelf
	Since    time.Time `json:"since"`
}

// LineQty is a quantity of one order line.
type LineQty struct {
	Line int `json:"line"`
	Qty  int `json:"qty"`
}

// RestockTask is goods of a cancelled order to put back into stock.
type RestockTask struct {
	Line   int       `json:"line"`
	SKU    string    `json:"sku"`
	Qty    int       `json:"qty"`
	From   string    `json:"from"`         // where the goods are: a tote, the holding shelf, a carton
	To     string    `json:"to,omitempty"` // the location they were picked from, when the cart said
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	// Counted: the units are in the line's in_tote or packed (goods
	// picked before the cancellation); a refused pick's are not.
	Counted bool `json:"counted"`
	// Returned is how many units the floor put back so far (stock.returned
	// events of the cart that holds them).
	Returned int        `json:"returned,omitempty"`
	Done     *time.Time `json:"done,omitempty"` // all put back: the floor's last line, or the office's confirmation
}

// RestockResult answers the office's confirmation that a cancelled
// order's goods are back in stock.
type RestockResult struct {
	Order string `json:"order"`
	Tasks int    `json:"tasks"` // restock tasks done now
	Units int    `json:"units"`
	State string `json:"state"`
}

// BackOrder is the back-ordered remainder of one line.
type BackOrder struct {
	Line int    `json:"line"`
	SKU  string `json:"sku"`
	Qty  int    `json:"qty"`
}

// ReleaseResult answers a back order's release.
type ReleaseResult struct {
	Order    string `json:"order"`
	Released int    `json:"released"` // units offered again
	Tasks    int    `json:"tasks"`    // pick tasks made for them
	State    string `json:"state"`
}

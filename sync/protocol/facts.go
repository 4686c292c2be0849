package protocol

import (
	"encoding/json"
	"time"
)

// Facts are what an OMS hears about its orders (docs/oms.md): the same
// JSON in a webhook's body and on GET /api/v1/facts.
const (
	FactAccepted    = "order.accepted"     // the hub took the order in
	FactHeld        = "order.held"         // a hold was placed
	FactReleased    = "order.released"     // a hold was lifted
	FactPicked      = "order.picked"       // every line picked or short
	FactShort       = "order.short"        // a line came up short at the pick face
	FactBackordered = "order.backordered"  // picking ended with units missing
	FactPacked      = "order.packed"       // a shipment's cartons are labelled
	FactLabelVoided = "order.label_voided" // a shipment's labels were voided
	FactShipped     = "order.shipped"      // a shipment left the dock
	FactCancelled   = "order.cancelled"    // the floor acknowledged a cancellation
	FactReturned    = "order.returned"     // units came back

	FactBackorderReleased  = "order.backorder_released"  // the OMS released a back order: its units are to pick again
	FactBackorderClosed    = "order.backorder_closed"    // the OMS closed a back order: its units will not ship
	FactCancelAcknowledged = "order.cancel_acknowledged" // a cancelled order's picked goods are back in stock
)

// FactKinds lists every kind, in the order of an order's life.
var FactKinds = []string{FactAccepted, FactHeld, FactReleased, FactPicked, FactShort, FactBackordered,
	FactPacked, FactLabelVoided, FactShipped, FactCancelled, FactReturned,
	FactBackorderReleased, FactBackorderClosed, FactCancelAcknowledged}

// Fact is one committed fact about an order. ID is the hub's cursor: facts
// come in commit order, ID ascending. Seq counts the order's facts from 1
// without gaps, so a receiver can tell it missed one.
type Fact struct {
	ID    int64           `json:"id"`
	Order string          `json:"order"`
	Seq   int64           `json:"seq"`
	Kind  string          `json:"kind"`
	At    time.Time       `json:"at"`
	Data  json.RawMessage `json:"data"`
}

// FactPage is a page of the facts feed: Next is the cursor to ask after.
type FactPage struct {
	Facts []Fact `json:"facts"`
	Next  int64  `json:"next"`
}

// FactLine is a quantity of one order line.
type FactLine struct {
	Line int    `json:"line"`
	SKU  string `json:"sku,omitempty"`
	Qty  int    `json:"qty"`
}

// FactOrder is order.accepted's data.
type FactOrder struct {
	Lines   []FactLine `json:"lines"`
	ShipBy  *time.Time `json:"ship_by,omitempty"`
	Carrier string     `json:"carrier,omitempty"`
	Service string     `json:"service,omitempty"`
}

// FactHold is order.held's and order.released's data.
type FactHold struct {
	Reason string `json:"reason"`
	Note   string `json:"note,omitempty"`
}

// FactPick is order.picked's and order.backordered's data: per line, the
// units picked and those short (back-ordered).
type FactPick struct {
	Lines []FactPickLine `json:"lines"`
}

// FactPickLine is one line's pick.
type FactPickLine struct {
	Line    int    `json:"line"`
	SKU     string `json:"sku"`
	Ordered int    `json:"ordered"`
	Picked  int    `json:"picked"`
	Short   int    `json:"short"`
}

// FactShortLine is order.short's data: Short more units of a line were
// not found, ShortTotal so far.
type FactShortLine struct {
	Line       int    `json:"line"`
	SKU        string `json:"sku"`
	Ordered    int    `json:"ordered"`
	Short      int    `json:"short"`
	ShortTotal int    `json:"short_total"`
}

// Where a tracking number comes from: the carrier's label sent with the
// order, or the station (sites without carrier integration).
const (
	TrackingCarrier = "carrier"
	TrackingStation = "station"
)

// FactCarton is one carton of a shipment.
type FactCarton struct {
	SSCC           string     `json:"sscc,omitempty"`
	Tracking       string     `json:"tracking,omitempty"`
	TrackingSource string     `json:"tracking_source,omitempty"`
	Carrier        string     `json:"carrier,omitempty"`
	Lines          []FactLine `json:"lines"`
}

// FactShipment is order.packed's, order.shipped's and order.label_voided's
// data: the shipment's cartons and, in Lines, its units per line.
type FactShipment struct {
	Shipment string       `json:"shipment"`
	Carrier  string       `json:"carrier,omitempty"`
	Service  string       `json:"service,omitempty"`
	Cartons  []FactCarton `json:"cartons"`
	Lines    []FactLine   `json:"lines"`
}

// FactCancel is order.cancelled's data.
type FactCancel struct {
	Reason string `json:"reason,omitempty"`
}

// FactBackOrder is order.backorder_released's and order.backorder_closed's
// data: the units per line, and the order's state after (closed when
// nothing else was due).
type FactBackOrder struct {
	Lines []FactLine `json:"lines"`
	State string     `json:"state"`
}

// FactCancelAck is order.cancel_acknowledged's data: the units per line
// that went back to stock since the previous fact.
type FactCancelAck struct {
	Restocked []FactLine `json:"restocked,omitempty"`
}

// FactReturn is order.returned's data: units of the order came back
// at a returns bench, one fact per unit as the clerk recorded it (or
// per line, for units the hub counted with no clerk's record). Return
// is the bench's return id (the parcel that came back), RMA the OMS's
// authorisation when one was scanned. Condition, Reason and Disposition
// are tote's words; Shopify is the disposition in Shopify's words
// (ShopifyDisposition). Location is where a restocked unit was put.
type FactReturn struct {
	Lines       []FactLine `json:"lines"`
	Return      string     `json:"return,omitempty"`
	RMA         string     `json:"rma,omitempty"`
	Condition   string     `json:"condition,omitempty"`
	Reason      string     `json:"reason,omitempty"`
	Disposition string     `json:"disposition,omitempty"`
	Shopify     string     `json:"shopify_disposition,omitempty"`
	Location    string     `json:"location,omitempty"`
	Station     string     `json:"station,omitempty"`
}

// NewWebhook is an endpoint to add: Kinds empty takes every kind. Secret
// empty: the hub makes one.
type NewWebhook struct {
	ID     string   `json:"id,omitempty"`
	URL    string   `json:"url"`
	Kinds  []string `json:"kinds,omitempty"`
	Secret string   `json:"secret,omitempty"`
}

// WebhookInfo is an endpoint as the admin API shows it. Secret is shown
// only when it was just made (add, rotate).
type WebhookInfo struct {
	ID        string     `json:"id"`
	URL       string     `json:"url"`
	Kinds     []string   `json:"kinds,omitempty"`
	Secret    string     `json:"secret,omitempty"`
	PrevUntil *time.Time `json:"previous_secret_until,omitempty"`
	Scanned   int64      `json:"scanned"`
	Pending   int        `json:"pending"`
	Dead      int        `json:"dead"`
	CreatedAt time.Time  `json:"created_at"`
}

// DeliveryInfo is one fact's delivery to one endpoint.
type DeliveryInfo struct {
	ID        string    `json:"id"`
	Webhook   string    `json:"webhook"`
	Fact      int64     `json:"fact"`
	Order     string    `json:"order"`
	Seq       int64     `json:"seq"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	NextAt    time.Time `json:"next_at"`
	LastError string    `json:"last_error,omitempty"`
}

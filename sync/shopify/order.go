package shopify

import (
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// FulfillmentOrder is a fulfillment order as the operations in graphql/
// read it.
type FulfillmentOrder struct {
	ID            string  `json:"id"`
	Status        string  `json:"status"`
	RequestStatus string  `json:"requestStatus"`
	FulfillBy     *string `json:"fulfillBy"`
	Order         *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"order"`
	Destination *struct {
		FirstName   *string `json:"firstName"`
		LastName    *string `json:"lastName"`
		Company     *string `json:"company"`
		Address1    *string `json:"address1"`
		Address2    *string `json:"address2"`
		City        *string `json:"city"`
		Province    *string `json:"province"`
		Zip         *string `json:"zip"`
		CountryCode *string `json:"countryCode"`
	} `json:"destination"`
	Holds     []Hold `json:"fulfillmentHolds"`
	LineItems struct {
		Nodes []LineItem `json:"nodes"`
	} `json:"lineItems"`
	Fulfillments struct {
		Nodes []Fulfillment `json:"nodes"`
	} `json:"fulfillments"`
}

// Hold is a fulfillment hold.
type Hold struct {
	ID                  string  `json:"id"`
	Handle              *string `json:"handle"`
	Reason              string  `json:"reason"`
	ReasonNotes         *string `json:"reasonNotes"`
	HeldByRequestingApp bool    `json:"heldByRequestingApp"`
}

// LineItem is a fulfillment order line item.
type LineItem struct {
	ID                string  `json:"id"`
	SKU               *string `json:"sku"`
	TotalQuantity     int     `json:"totalQuantity"`
	RemainingQuantity int     `json:"remainingQuantity"`
	ProductTitle      string  `json:"productTitle"`
}

// Fulfillment is one fulfillment made of a fulfillment order.
type Fulfillment struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	TrackingInfo []struct {
		Company *string `json:"company"`
		Number  *string `json:"number"`
		URL     *string `json:"url"`
	} `json:"trackingInfo"`
}

// Link is what the connector keeps of a fulfillment order it took: the
// hub order it became and which hub line is which line item.
type Link struct {
	FulfillmentOrder string     `json:"fulfillment_order"`
	Order            string     `json:"order"`
	Lines            []LinkLine `json:"lines"`
	// ShopHolds are the hold reasons Shopify placed (the order came with
	// them, or they were mirrored since): the hub's facts about them are
	// not sent back.
	ShopHolds []string `json:"shop_holds,omitempty"`
	// Mirrored are the Shopify holds the hub has now because Shopify has
	// them: lifted at the hub when Shopify lifts them.
	Mirrored []string `json:"mirrored,omitempty"`
	// State: importing (written before the import), accepted, rejected,
	// cancelled (Shopify asked), closed (the warehouse will not ship the
	// rest: the office cancelled the order or closed its back order, and
	// the fulfillment order was closed).
	State string `json:"state"`
	// Why it was rejected (the reason and the message Shopify was given).
	Why string `json:"why,omitempty"`
}

// LinkLine ties a hub order line to a fulfillment order line item.
type LinkLine struct {
	Line int    `json:"line"`
	Item string `json:"item"`
	SKU  string `json:"sku"`
	Qty  int    `json:"qty"`
}

// Item finds the line item of a hub line.
func (l Link) Item(line int) (LinkLine, bool) {
	for _, x := range l.Lines {
		if x.Line == line {
			return x, true
		}
	}
	return LinkLine{}, false
}

// Refusal is why a fulfillment request is rejected: a
// FulfillmentOrderRejectionReason of the pinned version and a message in
// plain words.
type Refusal struct {
	Reason, Message string
}

// Rejection reasons of 2025-01 that tote gives.
const (
	RejectIneligibleProduct = "INELIGIBLE_PRODUCT"
	RejectIncorrectAddress  = "INCORRECT_ADDRESS"
	RejectOther             = "OTHER"
)

// OrderID is the hub order id of a fulfillment order: "SH" and the
// number of its gid (gid://shopify/FulfillmentOrder/123 → SH123).
func OrderID(gid string) (string, error) {
	const prefix = "gid://shopify/FulfillmentOrder/"
	n, ok := strings.CutPrefix(gid, prefix)
	if !ok || n == "" || len(n) > 20 || strings.Trim(n, "0123456789") != "" {
		return "", fmt.Errorf("fulfillment order id %q is not a Shopify fulfillment order gid", clip(gid))
	}
	return "SH" + n, nil
}

// ToOrder maps a requested fulfillment order to the hub order it is to
// become, or says why it is to be rejected. It only maps: the hub's import
// judges the result (unknown SKUs, the text rule, the address), and its
// refusal becomes the rejection too. Pure.
func ToOrder(fo FulfillmentOrder) (protocol.Order, Link, *Refusal) {
	id, err := OrderID(fo.ID)
	if err != nil {
		return protocol.Order{}, Link{}, &Refusal{RejectOther, err.Error()}
	}
	o := protocol.Order{ID: id}
	link := Link{FulfillmentOrder: fo.ID, Order: id, State: "importing"}
	if fo.Order != nil && fo.Order.Name != "" {
		o.Customer = fo.Order.Name
	}
	if fo.FulfillBy != nil && *fo.FulfillBy != "" {
		t, err := time.Parse(time.RFC3339, *fo.FulfillBy)
		if err != nil {
			return o, link, &Refusal{RejectOther, fmt.Sprintf("fulfillBy %q is not a date and time", clip(*fo.FulfillBy))}
		}
		t = t.UTC()
		o.ShipBy = &t
	}
	if d := fo.Destination; d != nil {
		name := strings.TrimSpace(str(d.FirstName) + " " + str(d.LastName))
		o.ShipTo = protocol.Address{Name: name, Company: str(d.Company), Line1: str(d.Address1), Line2: str(d.Address2),
			City: str(d.City), Region: str(d.Province), PostalCode: str(d.Zip), Country: str(d.CountryCode)}
		if name != "" && o.Customer == "" {
			o.Customer = name
		}
	}
	seen := map[string]bool{}
	for _, h := range fo.Holds {
		if seen[h.Reason] || h.Reason == "" {
			continue
		}
		seen[h.Reason] = true
		o.Holds = append(o.Holds, protocol.Hold{Reason: h.Reason, Note: str(h.ReasonNotes)})
		link.ShopHolds = append(link.ShopHolds, h.Reason)
		link.Mirrored = append(link.Mirrored, h.Reason)
	}
	var missing []string
	for _, li := range fo.LineItems.Nodes {
		if li.RemainingQuantity <= 0 {
			continue // fulfilled already, or removed
		}
		sku := strings.TrimSpace(str(li.SKU))
		if sku == "" {
			missing = append(missing, orElse(li.ProductTitle, li.ID))
			continue
		}
		n := len(o.Lines) + 1
		o.Lines = append(o.Lines, protocol.OrderLine{Line: n, SKU: sku, Qty: li.RemainingQuantity})
		link.Lines = append(link.Lines, LinkLine{Line: n, Item: li.ID, SKU: sku, Qty: li.RemainingQuantity})
	}
	if len(missing) > 0 {
		return o, link, &Refusal{RejectIneligibleProduct, "no SKU on " + clip(strings.Join(missing, ", ")) + ": the warehouse picks by SKU"}
	}
	if len(o.Lines) == 0 {
		return o, link, &Refusal{RejectOther, "nothing to fulfil: every line item is fulfilled or has no quantity left"}
	}
	return o, link, nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func orElse(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

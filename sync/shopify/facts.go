package shopify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// factsPage is how many facts one round reads.
const factsPage = 200

// Facts sends what the hub's facts since the cursor say about Shopify's
// orders: floor holds and releases as fulfillment holds, shipments as
// fulfillments. The cursor moves past a fact with the record of what was
// done for it, in one transaction; a fact Shopify refused (user errors)
// is logged and passed; a call that keeps failing stops the round, and
// the next round starts at that fact again.
func (c *Connector) Facts(ctx context.Context) error {
	cursor, err := c.Cursor(ctx)
	if err != nil {
		return err
	}
	for {
		var facts []protocol.Fact
		err := c.store.Read(ctx, func(tx hub.StoreTx) error {
			safe, err := tx.FactsSafe()
			if err != nil {
				return err
			}
			facts, err = tx.Facts(cursor, safe, factsPage)
			return err
		})
		if err != nil || len(facts) == 0 {
			return err
		}
		for _, f := range facts {
			kv, err := c.fact(ctx, f)
			var ue *UserErrors
			if errors.As(err, &ue) {
				c.log.Warn("shopify fact refused, passed", "fact", f.ID, "order", f.Order, "kind", f.Kind, "err", err)
				err = nil
			}
			if err != nil {
				return fmt.Errorf("fact %d (%s of order %s): %w", f.ID, f.Kind, f.Order, err)
			}
			if err := c.put(ctx, append(kv, keyCursor, strconv.FormatInt(f.ID, 10))...); err != nil {
				return err
			}
			cursor = f.ID
		}
		if len(facts) < factsPage {
			return nil
		}
	}
}

// fact does what one fact asks and returns the records to write with the
// cursor.
func (c *Connector) fact(ctx context.Context, f protocol.Fact) ([]string, error) {
	switch f.Kind {
	case protocol.FactAccepted, protocol.FactHeld, protocol.FactReleased, protocol.FactShipped, protocol.FactCancelled, protocol.FactBackorderClosed:
	default:
		return nil, nil
	}
	link, ok, err := c.linkOf(ctx, f.Order)
	if err != nil || !ok || link.State == stateCancelled || link.State == stateClosed {
		return nil, err
	}
	switch f.Kind {
	case protocol.FactAccepted:
		return c.settle(ctx, link)
	case protocol.FactCancelled:
		return c.close(ctx, link, f)
	case protocol.FactBackorderClosed:
		return c.giveUp(ctx, link, f)
	}
	switch f.Kind {
	case protocol.FactHeld, protocol.FactReleased:
		var h protocol.FactHold
		if err := json.Unmarshal(f.Data, &h); err != nil {
			return nil, fmt.Errorf("the fact's data: %w", err)
		}
		if slices.Contains(link.ShopHolds, h.Reason) {
			return nil, nil // Shopify's own hold: it knows
		}
		if f.Kind == protocol.FactHeld {
			return c.hold(ctx, link, h)
		}
		return c.release(ctx, link, h)
	}
	var sh protocol.FactShipment
	if err := json.Unmarshal(f.Data, &sh); err != nil {
		return nil, fmt.Errorf("the fact's data: %w", err)
	}
	return c.fulfil(ctx, link, f.ID, sh)
}

// settle finds out how a request imported before a crash was answered:
// the accept may have reached Shopify with its answer lost. Shopify's
// request status says; the link follows it. (Normally the link is
// accepted before this fact is read, and nothing is asked.)
func (c *Connector) settle(ctx context.Context, link Link) ([]string, error) {
	if link.State != stateImporting {
		return nil, nil
	}
	fo, err := c.fulfillmentOrder(ctx, link.FulfillmentOrder)
	if err != nil {
		return nil, err
	}
	switch fo.RequestStatus {
	case "SUBMITTED":
		return nil, nil // still requested: the next poll accepts it
	case "REJECTED":
		link.State = stateRejected
	default: // ACCEPTED, or a cancellation request since
		link.State = stateAccepted
	}
	c.log.Info("shopify request settled after a restart", "fulfillment_order", link.FulfillmentOrder, "order", link.Order, "request_status", fo.RequestStatus)
	b, err := json.Marshal(link)
	if err != nil {
		return nil, err
	}
	return []string{keyFO(link.FulfillmentOrder), string(b)}, nil
}

// Shopify's FulfillmentHoldReason values (2025-01); a hub hold reason
// that is one of them maps to it, any other to OTHER with the reason in
// the notes.
var holdReasons = []string{"AWAITING_PAYMENT", "HIGH_RISK_OF_FRAUD", "INCORRECT_ADDRESS", "INVENTORY_OUT_OF_STOCK",
	"UNKNOWN_DELIVERY_DATE", "AWAITING_RETURN_ITEMS", "OTHER"}

// holdHandle names tote's hold for a hub hold reason on a fulfillment
// order (handles are unique per app and fulfillment order).
func holdHandle(reason string) string {
	h := "tote-" + reason
	if len(h) > 64 {
		h = h[:64]
	}
	return h
}

func (c *Connector) hold(ctx context.Context, link Link, h protocol.FactHold) ([]string, error) {
	fo, err := c.fulfillmentOrder(ctx, link.FulfillmentOrder)
	if err != nil {
		return nil, err
	}
	handle := holdHandle(h.Reason)
	for _, x := range fo.Holds {
		if x.HeldByRequestingApp && str(x.Handle) == handle {
			c.log.Info("shopify hold already placed", "order", link.Order, "reason", h.Reason, "hold", x.ID)
			return []string{keyHold(link.Order, h.Reason), x.ID}, nil
		}
	}
	reason, notes := h.Reason, h.Note
	if !slices.Contains(holdReasons, reason) {
		reason, notes = "OTHER", strings.TrimSpace(h.Reason+" "+h.Note)
	}
	var out struct {
		R struct {
			Hold *struct {
				ID string `json:"id"`
			} `json:"fulfillmentHold"`
			UserErrors []UserError `json:"userErrors"`
		} `json:"fulfillmentOrderHold"`
	}
	in := map[string]any{"reason": reason, "reasonNotes": clip(notes), "handle": handle, "notifyMerchant": true}
	if err := c.api.do(ctx, "hold", map[string]any{"id": link.FulfillmentOrder, "fulfillmentHold": in}, &out); err != nil {
		return nil, err
	}
	if err := c.userErrors("hold", out.R.UserErrors); err != nil {
		return nil, err
	}
	if out.R.Hold == nil {
		return nil, &UserErrors{Op: "hold", List: []UserError{{Message: "no hold was created"}}}
	}
	c.log.Info("shopify hold placed", "order", link.Order, "reason", h.Reason, "hold", out.R.Hold.ID)
	return []string{keyHold(link.Order, h.Reason), out.R.Hold.ID}, nil
}

func (c *Connector) release(ctx context.Context, link Link, h protocol.FactHold) ([]string, error) {
	id, _, err := c.value(ctx, keyHold(link.Order, h.Reason))
	if err != nil {
		return nil, err
	}
	if id == "" { // placed before a crash and not recorded? look for it
		fo, err := c.fulfillmentOrder(ctx, link.FulfillmentOrder)
		if err != nil {
			return nil, err
		}
		for _, x := range fo.Holds {
			if x.HeldByRequestingApp && str(x.Handle) == holdHandle(h.Reason) {
				id = x.ID
			}
		}
		if id == "" {
			c.log.Info("shopify hold to release not found", "order", link.Order, "reason", h.Reason)
			return nil, nil
		}
	}
	var out struct {
		R struct {
			UserErrors []UserError `json:"userErrors"`
		} `json:"fulfillmentOrderReleaseHold"`
	}
	if err := c.api.do(ctx, "release_hold", map[string]any{"id": link.FulfillmentOrder, "holdIds": []string{id}}, &out); err != nil {
		return nil, err
	}
	if err := c.userErrors("release_hold", out.R.UserErrors); err != nil {
		return nil, err
	}
	c.log.Info("shopify hold released", "order", link.Order, "reason", h.Reason, "hold", id)
	return []string{keyHold(link.Order, h.Reason), ""}, nil
}

func (c *Connector) fulfillmentOrder(ctx context.Context, id string) (FulfillmentOrder, error) {
	var out struct {
		FO *FulfillmentOrder `json:"fulfillmentOrder"`
	}
	if err := c.api.do(ctx, "fulfillment_order", map[string]any{"id": id}, &out); err != nil {
		return FulfillmentOrder{}, err
	}
	if out.FO == nil {
		return FulfillmentOrder{}, &UserErrors{Op: "fulfillment_order", List: []UserError{{Message: "fulfillment order " + clip(id) + " not found"}}}
	}
	return *out.FO, nil
}

// sending is what is recorded before fulfillmentCreate: each line item's
// remaining quantity then, and what the call takes from it.
type sending struct {
	Remaining map[string]int `json:"remaining"`
	Take      map[string]int `json:"take"`
}

// fulfil creates the fulfillment of one shipped fact: the units shipped
// per line item, with the cartons' tracking. It never creates one twice:
// a fact already fulfilled is recorded; one whose call may have gone
// before a crash is checked against the fulfillment order (a fulfillment
// with its tracking number, or the remaining quantities already down by
// what it takes).
func (c *Connector) fulfil(ctx context.Context, link Link, fact int64, sh protocol.FactShipment) ([]string, error) {
	rec, _, err := c.value(ctx, keyShip(fact))
	if err != nil {
		return nil, err
	}
	if rec != "" && !strings.HasPrefix(rec, "sending:") {
		return nil, nil // done before
	}
	fo, err := c.fulfillmentOrder(ctx, link.FulfillmentOrder)
	if err != nil {
		return nil, err
	}
	remaining := map[string]int{}
	for _, li := range fo.LineItems.Nodes {
		remaining[li.ID] = li.RemainingQuantity
	}
	numbers, urls, company := c.tracking(sh)
	if done := existing(fo, numbers); done != "" {
		c.log.Info("shopify fulfillment exists already", "order", link.Order, "fact", fact, "fulfillment", done)
		return []string{keyShip(fact), done}, nil
	}
	if prev, ok := strings.CutPrefix(rec, "sending:"); ok {
		var s sending
		if json.Unmarshal([]byte(prev), &s) == nil && len(s.Take) > 0 && tookAlready(s, remaining) {
			c.log.Info("shopify fulfillment made before a restart", "order", link.Order, "fact", fact)
			return []string{keyShip(fact), "made-before-restart"}, nil
		}
	}
	take := map[string]int{}
	var items []map[string]any
	for _, l := range sh.Lines {
		li, ok := link.Item(l.Line)
		if !ok {
			c.log.Warn("shopify shipped line unknown", "order", link.Order, "line", l.Line)
			continue
		}
		q := min(l.Qty, remaining[li.Item]-take[li.Item])
		if q < l.Qty {
			c.log.Warn("shopify shipped more than remains open", "order", link.Order, "line", l.Line, "shipped", l.Qty, "open", remaining[li.Item])
		}
		if q <= 0 {
			continue
		}
		take[li.Item] += q
		items = append(items, map[string]any{"id": li.Item, "quantity": q})
	}
	if len(items) == 0 {
		c.log.Warn("shopify nothing left to fulfil", "order", link.Order, "fact", fact)
		return []string{keyShip(fact), "nothing-open"}, nil
	}
	s, _ := json.Marshal(sending{Remaining: remaining, Take: take})
	if err := c.put(ctx, keyShip(fact), "sending:"+string(s)); err != nil {
		return nil, err
	}
	in := map[string]any{
		"lineItemsByFulfillmentOrder": []map[string]any{{"fulfillmentOrderId": link.FulfillmentOrder, "fulfillmentOrderLineItems": items}},
		"notifyCustomer":              c.cfg.NotifyCustomer,
	}
	if len(numbers) > 0 {
		ti := map[string]any{"company": company, "numbers": numbers}
		if len(urls) == len(numbers) {
			ti["urls"] = urls
		}
		in["trackingInfo"] = ti
	} else if company != "" {
		in["trackingInfo"] = map[string]any{"company": company}
	}
	var out struct {
		R struct {
			Fulfillment *struct {
				ID string `json:"id"`
			} `json:"fulfillment"`
			UserErrors []UserError `json:"userErrors"`
		} `json:"fulfillmentCreate"`
	}
	if err := c.api.do(ctx, "fulfillment_create", map[string]any{"fulfillment": in}, &out); err != nil {
		return nil, err
	}
	if err := c.userErrors("fulfillment_create", out.R.UserErrors); err != nil {
		return nil, err
	}
	id := "made"
	if out.R.Fulfillment != nil {
		id = out.R.Fulfillment.ID
	}
	c.log.Info("shopify fulfillment created", "order", link.Order, "fact", fact, "shipment", sh.Shipment, "fulfillment", id, "tracking", strings.Join(numbers, ","))
	return []string{keyShip(fact), id}, nil
}

// tookAlready: every line item's remaining quantity is down by what the
// interrupted call was to take.
func tookAlready(s sending, remaining map[string]int) bool {
	for item, q := range s.Take {
		if remaining[item] != s.Remaining[item]-q {
			return false
		}
	}
	return true
}

// existing finds a fulfillment of the order that has one of numbers.
func existing(fo FulfillmentOrder, numbers []string) string {
	for _, f := range fo.Fulfillments.Nodes {
		for _, t := range f.TrackingInfo {
			if n := str(t.Number); n != "" && slices.Contains(numbers, n) {
				return f.ID
			}
		}
	}
	return ""
}

// tracking lists a shipment's tracking numbers to send (not the
// station's made-up ones unless configured), their URLs and the company.
func (c *Connector) tracking(sh protocol.FactShipment) (numbers, urls []string, company string) {
	company = sh.Carrier
	car, ok := c.cfg.Carriers[sh.Carrier]
	if ok && car.Company != "" {
		company = car.Company
	}
	for _, ct := range sh.Cartons {
		if ct.Tracking == "" || slices.Contains(numbers, ct.Tracking) {
			continue
		}
		if ct.TrackingSource == protocol.TrackingStation && !c.cfg.StationTracking {
			continue
		}
		numbers = append(numbers, ct.Tracking)
		if ok && car.TrackingURL != "" {
			urls = append(urls, strings.ReplaceAll(car.TrackingURL, "{tracking}", url.QueryEscape(ct.Tracking)))
		}
	}
	return numbers, urls, company
}

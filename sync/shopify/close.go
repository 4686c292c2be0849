package shopify

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/totewms/tote/sync/protocol"
)

// shopifyCancelReason is the reason the hub's order is cancelled with when
// Shopify asked (a cancellation request): that fact is not sent back.
const shopifyCancelReason = "cancellation requested in Shopify"

// closedAlready: a fulfillment order that is no longer the warehouse's to
// ship (closed, cancelled, or closed by an earlier call whose answer was
// lost before a restart).
func closedAlready(fo FulfillmentOrder) bool {
	return slices.Contains([]string{"CLOSED", "CANCELLED", "INCOMPLETE"}, fo.Status) ||
		slices.Contains([]string{"CLOSED", "CANCELLATION_ACCEPTED", "REJECTED"}, fo.RequestStatus)
}

// close tells Shopify of an order the office cancelled at the hub: a
// fulfillment service cannot cancel a fulfillment order, but it can close
// an accepted one it will not ship (fulfillmentOrderClose), which hands
// it back to the merchant.
func (c *Connector) close(ctx context.Context, link Link, f protocol.Fact) ([]string, error) {
	var cn protocol.FactCancel
	if err := json.Unmarshal(f.Data, &cn); err != nil {
		return nil, fmt.Errorf("the fact's data: %w", err)
	}
	if cn.Reason == shopifyCancelReason {
		return nil, nil // Shopify asked: the request round answers it
	}
	why := "cancelled at the warehouse"
	if cn.Reason != "" {
		why += ": " + cn.Reason
	}
	return c.closeFO(ctx, link, why)
}

// giveUp tells Shopify that the OMS closed an order's back order and
// nothing else of it is due: what remains open will not ship, so the
// fulfillment order is closed with the units given up.
func (c *Connector) giveUp(ctx context.Context, link Link, f protocol.Fact) ([]string, error) {
	var bo protocol.FactBackOrder
	if err := json.Unmarshal(f.Data, &bo); err != nil {
		return nil, fmt.Errorf("the fact's data: %w", err)
	}
	if bo.State != protocol.StateClosed {
		return nil, nil // more of it is still to ship
	}
	var units []string
	for _, l := range bo.Lines {
		units = append(units, fmt.Sprintf("%d × %s", l.Qty, l.SKU))
	}
	return c.closeFO(ctx, link, "back order closed at the warehouse: "+strings.Join(units, ", ")+" will not ship")
}

// closeFO closes the link's fulfillment order with why as its message.
// tote's own holds are released first (only an IN_PROGRESS order can be
// closed). After a restart, an order Shopify shows closed already is only
// recorded.
func (c *Connector) closeFO(ctx context.Context, link Link, why string) ([]string, error) {
	fo, err := c.fulfillmentOrder(ctx, link.FulfillmentOrder)
	if err != nil {
		return nil, err
	}
	switch fo.RequestStatus {
	case "CANCELLATION_REQUESTED":
		return nil, nil // the merchant asked meanwhile: the request round accepts it
	case "SUBMITTED":
		return nil, nil // not accepted yet: the request round rejects it (the hub's order is cancelled)
	}
	if !closedAlready(fo) {
		var mine []string
		for _, h := range fo.Holds {
			if h.HeldByRequestingApp {
				mine = append(mine, h.ID)
			}
		}
		if len(mine) > 0 {
			var out struct {
				R struct {
					UserErrors []UserError `json:"userErrors"`
				} `json:"fulfillmentOrderReleaseHold"`
			}
			if err := c.api.do(ctx, "release_hold", map[string]any{"id": link.FulfillmentOrder, "holdIds": mine}, &out); err != nil {
				return nil, err
			}
			if err := c.userErrors("release_hold", out.R.UserErrors); err != nil {
				return nil, err
			}
		}
		var out struct {
			R struct {
				UserErrors []UserError `json:"userErrors"`
			} `json:"fulfillmentOrderClose"`
		}
		if err := c.api.do(ctx, "close", map[string]any{"id": link.FulfillmentOrder, "message": clip(why)}, &out); err != nil {
			return nil, err
		}
		if err := c.userErrors("close", out.R.UserErrors); err != nil {
			// A retry of a call applied whose answer was lost is refused:
			// Shopify's state says whether it is done.
			if now, ferr := c.fulfillmentOrder(ctx, link.FulfillmentOrder); ferr != nil || !closedAlready(now) {
				return nil, err
			}
		}
		c.log.Info("shopify fulfillment order closed", "fulfillment_order", link.FulfillmentOrder, "order", link.Order, "why", why)
	} else {
		c.log.Info("shopify fulfillment order closed already", "fulfillment_order", link.FulfillmentOrder, "order", link.Order, "status", fo.Status, "request_status", fo.RequestStatus)
	}
	link.State, link.Why = stateClosed, clip(why)
	b, err := json.Marshal(link)
	if err != nil {
		return nil, err
	}
	return []string{keyFO(link.FulfillmentOrder), string(b)}, nil
}

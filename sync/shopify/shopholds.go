package shopify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/totewms/tote/sync/protocol"
)

// FulfillmentAccepted is the assignment state of the fulfillment orders
// the connector accepted (and that are not closed).
const FulfillmentAccepted = "FULFILLMENT_ACCEPTED"

// shopHolds mirrors onto the hub the holds placed in Shopify (by the
// merchant or another app: not tote's own) on the fulfillment orders the
// connector accepted, so the floor stops; a hold lifted in Shopify is
// lifted at the hub. Each round reads Shopify's holds afresh, so a
// restart anywhere does it again without doubling (a hold the hub has
// is not placed again).
func (c *Connector) shopHolds(ctx context.Context) error {
	fos, err := c.assigned(ctx, FulfillmentAccepted)
	if err != nil {
		return err
	}
	var errs []error
	for _, fo := range fos {
		if err := c.mirror(ctx, fo); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", fo.ID, err))
		}
	}
	return errors.Join(errs...)
}

// mirror brings one fulfillment order's Shopify holds to its hub order.
// Link.Mirrored is the holds the hub has because Shopify has them; a
// reason is recorded there (and in ShopHolds, so its fact is not sent
// back) before the hub's hold is placed, and taken out only after the
// hub's hold is lifted.
func (c *Connector) mirror(ctx context.Context, fo FulfillmentOrder) error {
	shop := map[string]string{}
	for _, h := range fo.Holds {
		if !h.HeldByRequestingApp && h.Reason != "" {
			shop[h.Reason] = str(h.ReasonNotes)
		}
	}
	link, ok, err := c.link(ctx, fo.ID)
	if err != nil || !ok || link.State != stateAccepted || len(shop) == 0 && len(link.Mirrored) == 0 {
		return err
	}
	f, err := c.hub.Fulfilment(ctx, link.Order)
	if err != nil {
		return err
	}
	atHub := map[string]bool{}
	for _, h := range f.Holds {
		atHub[h.Reason] = true
	}
	reasons := make([]string, 0, len(shop))
	for r := range shop {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		if !slices.Contains(link.Mirrored, r) {
			if atHub[r] {
				continue // the floor's or the office's own hold: not Shopify's to lift
			}
			link.Mirrored = append(link.Mirrored, r)
			if !slices.Contains(link.ShopHolds, r) {
				link.ShopHolds = append(link.ShopHolds, r)
			}
			if err := c.putLink(ctx, link); err != nil {
				return err
			}
		}
		if atHub[r] {
			continue
		}
		if err := c.hub.PlaceHold(ctx, link.Order, protocol.Hold{Reason: r, Note: shop[r]}, c.now()); err != nil {
			return fmt.Errorf("the hub did not hold order %s: %w", link.Order, err)
		}
		c.log.Info("shopify hold mirrored at the hub", "fulfillment_order", fo.ID, "order", link.Order, "reason", r)
	}
	for _, r := range slices.Clone(link.Mirrored) {
		if _, held := shop[r]; held {
			continue
		}
		if atHub[r] {
			if err := c.hub.ReleaseHold(ctx, link.Order, r); err != nil && !isNotFound(err) {
				return fmt.Errorf("the hub did not release order %s: %w", link.Order, err)
			}
			c.log.Info("shopify hold lifted: released at the hub", "fulfillment_order", fo.ID, "order", link.Order, "reason", r)
		}
		link.Mirrored = slices.DeleteFunc(link.Mirrored, func(x string) bool { return x == r })
		if err := c.putLink(ctx, link); err != nil {
			return err
		}
	}
	return nil
}

package hub

import (
	"context"
	"fmt"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// ImportSite imports a site document in three steps, each all-or-nothing:
// reference data, then orders, then waves (in order). It stops at the first
// step that fails and says which; the steps before it stay imported, and
// importing the same document again is harmless for them.
func ImportSite(ctx context.Context, st API, site protocol.SiteImport, at time.Time) (protocol.ImportResult, error) {
	var res protocol.ImportResult
	if len(site.Operators)+len(site.Locations)+len(site.Items) > 0 {
		r, err := st.ImportReference(ctx, protocol.Reference{Operators: site.Operators, Locations: site.Locations, Items: site.Items})
		if err != nil {
			return res, fmt.Errorf("reference data: %w", err)
		}
		res = r
	}
	if len(site.Orders) > 0 {
		for i, o := range site.Orders {
			if err := CheckOrder(o); err != nil {
				return res, fmt.Errorf("order %d: %w; no order was imported", i+1, err)
			}
		}
		r, err := st.ImportOrders(ctx, site.Orders, at)
		if err != nil {
			return res, fmt.Errorf("orders: %w", err)
		}
		res.Orders = r.Orders
	}
	for _, w := range site.Waves {
		if err := checkKey("wave id", w.ID); err != nil {
			return res, err
		}
		if _, err := st.CreateWave(ctx, w, at); err != nil {
			return res, fmt.Errorf("wave %s: %w", w.ID, err)
		}
	}
	return res, nil
}

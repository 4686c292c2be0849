package shopify

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/totewms/tote/sync/hub"
)

// Link states.
const (
	stateImporting = "importing" // written before the hub's import
	stateAccepted  = "accepted"
	stateRejected  = "rejected"
	stateCancelled = "cancelled"
	stateClosed    = "closed" // cancelled by the office; the fulfillment order closed
)

// The connector's keys in the hub's connector state:
//
//	cursor                    the last fact handled
//	fo:<fulfillment order>    its Link (JSON)
//	order:<hub order>         its fulfillment order
//	hold:<order>:<reason>     the Shopify hold placed for a floor hold
//	ship:<fact id>            the fulfillment made for a shipped fact, or
//	                          "sending:" and the remaining quantities
//	                          before the call (to tell after a crash)
const (
	keyCursor = "cursor"
)

func keyFO(gid string) string             { return "fo:" + gid }
func keyOrder(order string) string        { return "order:" + order }
func keyHold(order, reason string) string { return "hold:" + order + ":" + reason }
func keyShip(fact int64) string           { return "ship:" + strconv.FormatInt(fact, 10) }

func (c *Connector) value(ctx context.Context, key string) (v string, ok bool, err error) {
	err = c.store.Read(ctx, func(tx hub.StoreTx) error {
		v, ok, err = tx.ConnectorValue(Name, key)
		return err
	})
	return
}

// put writes values in one transaction (key, value, key, value…).
func (c *Connector) put(ctx context.Context, kv ...string) error {
	return c.store.Tx(ctx, func(tx hub.StoreTx) error {
		for i := 0; i+1 < len(kv); i += 2 {
			if err := tx.PutConnectorValue(Name, kv[i], kv[i+1], c.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

func (c *Connector) link(ctx context.Context, fo string) (Link, bool, error) {
	v, ok, err := c.value(ctx, keyFO(fo))
	if err != nil || !ok {
		return Link{}, false, err
	}
	var l Link
	if err := json.Unmarshal([]byte(v), &l); err != nil {
		return Link{}, false, err
	}
	return l, true, nil
}

// linkOf finds the link of a hub order (false: not a Shopify order).
func (c *Connector) linkOf(ctx context.Context, order string) (Link, bool, error) {
	fo, ok, err := c.value(ctx, keyOrder(order))
	if err != nil || !ok {
		return Link{}, false, err
	}
	return c.link(ctx, fo)
}

func (c *Connector) putLink(ctx context.Context, l Link) error {
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	kv := []string{keyFO(l.FulfillmentOrder), string(b)}
	if l.Order != "" && l.State != stateRejected {
		kv = append(kv, keyOrder(l.Order), l.FulfillmentOrder)
	}
	return c.put(ctx, kv...)
}

// Cursor is the last fact the connector handled.
func (c *Connector) Cursor(ctx context.Context) (int64, error) {
	v, ok, err := c.value(ctx, keyCursor)
	if err != nil || !ok {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// Status is what the connector has done, from its state in the hub's
// store: the last fact handled and every fulfillment order it answered,
// by id (tote hub shopify status).
func Status(ctx context.Context, store hub.Store) (cursor int64, links []Link, err error) {
	err = store.Read(ctx, func(tx hub.StoreTx) error {
		if v, ok, err := tx.ConnectorValue(Name, keyCursor); err != nil {
			return err
		} else if ok {
			if cursor, err = strconv.ParseInt(v, 10, 64); err != nil {
				return err
			}
		}
		after := ""
		for {
			es, err := tx.ConnectorValues(Name, "fo:", after, 500)
			if err != nil {
				return err
			}
			for _, e := range es {
				var l Link
				if err := json.Unmarshal([]byte(e.Value), &l); err != nil {
					return err
				}
				links = append(links, l)
			}
			if len(es) < 500 {
				return nil
			}
			after = es[len(es)-1].Key
		}
	})
	return cursor, links, err
}

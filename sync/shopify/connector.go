// Package shopify makes the hub a Shopify fulfillment service over the
// GraphQL Admin API (docs/oms.md, "Shopify"): fulfillment requests and
// cancellation requests for its location come in by the callback or a poll
// and are accepted (the order imported into the hub) or rejected with the
// reason; the hub's facts go out, from a durable cursor, as fulfillment
// holds, releases and fulfillments with tracking. Its state is in the
// hub's store (hub.ConnectorTx), so a restart resumes without doing
// anything twice.
package shopify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// Name is the connector's name in the hub's connector state.
const Name = "shopify"

// Config is the [shopify] section of the hub's configuration, with its
// secrets already read.
type Config struct {
	Shop       string // the shop's domain, e.g. example.myshopify.com
	APIVersion string // must be APIVersion
	Token      string // the Admin API access token
	LocationID string // the fulfillment service's location (gid or number)
	// CallbackSecret is the app's secret: fulfillment order
	// notifications are signed with it (X-Shopify-Hmac-Sha256).
	CallbackSecret string
	// Endpoint overrides the GraphQL address
	// (https://SHOP/admin/api/VERSION/graphql.json), for a proxy or a
	// test server.
	Endpoint string
	// Poll is how often the fulfillment requests are looked for without
	// a notification; 0: a minute.
	Poll time.Duration
	// NotifyCustomer: Shopify tells the customer of each fulfillment.
	NotifyCustomer bool
	// Carriers maps a hub carrier to Shopify's tracking company and
	// a tracking URL ({tracking} is replaced by the number).
	Carriers map[string]Carrier
	// StationTracking sends the numbers a station made up (sites without
	// carrier integration) as tracking numbers; by default they are not
	// sent: they track nothing at a carrier.
	StationTracking bool
}

// Carrier is how Shopify names a carrier and tracks its parcels.
type Carrier struct {
	Company     string
	TrackingURL string
}

// Hub is what the connector asks of the hub's service: its import path,
// its cancellation, its holds and an order's progress.
type Hub interface {
	ImportOrders(ctx context.Context, orders []protocol.Order, at time.Time) (protocol.ImportResult, error)
	CancelOrder(ctx context.Context, order, reason string, at time.Time) error
	PlaceHold(ctx context.Context, order string, h protocol.Hold, at time.Time) error
	ReleaseHold(ctx context.Context, order, reason string) error
	Fulfilment(ctx context.Context, order string) (protocol.Fulfilment, error)
}

// Options tune a Connector; tests inject the clock and the waits.
type Options struct {
	HTTP *http.Client
	Log  *slog.Logger
	Now  func() time.Time
	// Sleep waits between retries; nil: a timer.
	Sleep func(context.Context, time.Duration) error
	// Attempts per call before it counts as failing; 0: 6.
	Attempts int
	// FactsPoll is the longest the connector waits to look for new
	// facts written by another process; 0: a second.
	FactsPoll time.Duration
}

// Connector is the fulfillment service.
type Connector struct {
	cfg      Config
	location string
	store    hub.Store
	hub      Hub
	api      *client
	log      *slog.Logger
	now      func() time.Time
	poll     time.Duration
	factPoll time.Duration
	requests chan struct{}
	facts    chan struct{}
}

// New checks the configuration and makes a connector over the hub's store
// and service.
func New(cfg Config, store hub.Store, h Hub, opts Options) (*Connector, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if opts.HTTP == nil {
		opts.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleepCtx
	}
	if opts.Attempts == 0 {
		opts.Attempts = 6
	}
	if opts.FactsPoll == 0 {
		opts.FactsPoll = time.Second
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = "https://" + cfg.Shop + "/admin/api/" + APIVersion + "/graphql.json"
	}
	log := opts.Log.With("connector", Name, "shop", cfg.Shop)
	c := &Connector{cfg: cfg, location: LocationGID(cfg.LocationID), store: store, hub: h, log: log, now: opts.Now,
		poll: cfg.Poll, factPoll: opts.FactsPoll, requests: make(chan struct{}, 1), facts: make(chan struct{}, 1)}
	if c.poll == 0 {
		c.poll = time.Minute
	}
	c.api = &client{endpoint: endpoint, token: cfg.Token, http: opts.HTTP, log: log, sleep: opts.Sleep, attempts: opts.Attempts}
	return c, nil
}

// Check says what is missing or wrong in the configuration, in plain words.
func (cfg Config) Check() error {
	var errs []string
	if cfg.Shop == "" || strings.ContainsAny(cfg.Shop, "/ :?#@") {
		errs = append(errs, fmt.Sprintf("shop %q: give the shop's domain, e.g. example.myshopify.com", clip(cfg.Shop)))
	}
	if cfg.APIVersion != "" && cfg.APIVersion != APIVersion {
		errs = append(errs, fmt.Sprintf("api_version %q: this tote speaks the GraphQL Admin API %s only", clip(cfg.APIVersion), APIVersion))
	}
	if cfg.Token == "" {
		errs = append(errs, "no access token: give access_token_file or access_token_env")
	}
	if cfg.CallbackSecret == "" {
		errs = append(errs, "no callback secret: give callback_secret_file or callback_secret_env (the app's secret, which signs Shopify's notifications)")
	}
	if LocationGID(cfg.LocationID) == "" {
		errs = append(errs, fmt.Sprintf("location_id %q: give the fulfillment service's location, gid://shopify/Location/N or N", clip(cfg.LocationID)))
	}
	if cfg.Poll < 0 || cfg.Poll > 0 && cfg.Poll < 5*time.Second {
		errs = append(errs, fmt.Sprintf("poll_interval %v: give 5s or more (Shopify limits calls)", cfg.Poll))
	}
	if len(errs) > 0 {
		return fmt.Errorf("shopify: %s", strings.Join(errs, "; "))
	}
	return nil
}

// LocationGID is a location's gid from a gid or its number ("" if neither).
func LocationGID(s string) string {
	const prefix = "gid://shopify/Location/"
	n := strings.TrimPrefix(s, prefix)
	if n == "" || len(n) > 20 || strings.Trim(n, "0123456789") != "" {
		return ""
	}
	return prefix + n
}

// Requested wakes the connector to look for requests now (a notification
// came). It never blocks.
func (c *Connector) Requested() { wake(c.requests) }

// Notify wakes the connector: facts were committed. It never blocks.
func (c *Connector) Notify() { wake(c.facts) }

func wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// Run serves until ctx ends: requests at start, on each notification and
// every poll interval; facts as they are committed.
func (c *Connector) Run(ctx context.Context) error {
	c.log.Info("shopify connector started", "api_version", APIVersion, "location", c.location, "poll", c.poll)
	nextRequests := time.Time{}
	for {
		if !c.now().Before(nextRequests) {
			if err := c.Requests(ctx); err != nil && ctx.Err() == nil {
				c.log.Error("shopify requests", "err", err)
			}
			nextRequests = c.now().Add(c.poll)
		}
		if err := c.Facts(ctx); err != nil && ctx.Err() == nil {
			c.log.Error("shopify facts", "err", err)
		}
		wait := min(c.factPoll, max(nextRequests.Sub(c.now()), 0))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			c.log.Info("shopify connector stopped")
			return nil
		case <-c.requests:
			nextRequests = time.Time{}
		case <-c.facts:
		case <-t.C:
		}
		t.Stop()
	}
}

// Assignment states of the pinned version that the connector works on.
const (
	FulfillmentRequested  = "FULFILLMENT_REQUESTED"
	CancellationRequested = "CANCELLATION_REQUESTED"
)

// Requests answers every fulfillment request and cancellation request
// waiting for the location, then mirrors at the hub the holds Shopify
// placed on the accepted ones. A request it could not answer (Shopify or
// the hub failing) stays for the next round.
func (c *Connector) Requests(ctx context.Context) error {
	var errs []error
	for _, status := range []string{FulfillmentRequested, CancellationRequested} {
		fos, err := c.assigned(ctx, status)
		if err != nil {
			return err
		}
		for _, fo := range fos {
			var err error
			if status == FulfillmentRequested {
				err = c.request(ctx, fo)
			} else {
				err = c.cancellation(ctx, fo)
			}
			var ue *UserErrors
			switch {
			case errors.As(err, &ue):
				// Shopify refused the answer (the request moved on meanwhile):
				// logged by the client; the next poll sees where it is.
			case err != nil:
				errs = append(errs, fmt.Errorf("%s: %w", fo.ID, err))
			}
		}
	}
	if err := c.shopHolds(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// assigned lists the location's fulfillment orders in one assignment state.
func (c *Connector) assigned(ctx context.Context, status string) ([]FulfillmentOrder, error) {
	var all []FulfillmentOrder
	var after any
	for page := 0; page < 100; page++ {
		var out struct {
			Assigned struct {
				PageInfo struct {
					HasNextPage bool    `json:"hasNextPage"`
					EndCursor   *string `json:"endCursor"`
				} `json:"pageInfo"`
				Nodes []FulfillmentOrder `json:"nodes"`
			} `json:"assignedFulfillmentOrders"`
		}
		vars := map[string]any{"status": status, "locationIds": []string{c.location}, "after": after}
		if err := c.api.do(ctx, "assigned", vars, &out); err != nil {
			return all, err
		}
		all = append(all, out.Assigned.Nodes...)
		if !out.Assigned.PageInfo.HasNextPage || out.Assigned.PageInfo.EndCursor == nil {
			break
		}
		after = *out.Assigned.PageInfo.EndCursor
	}
	return all, nil
}

// request answers one fulfillment request: import and accept, or reject.
// The link is written before the import, so a restart between the two
// finds the order at the hub and only accepts.
func (c *Connector) request(ctx context.Context, fo FulfillmentOrder) error {
	link, ok, err := c.link(ctx, fo.ID)
	if err != nil {
		return err
	}
	if !ok || link.State == stateRejected || link.State == stateCancelled || link.State == stateClosed {
		// New, or asked again: judged afresh (the hub refuses to import a
		// cancelled order again, and the request is rejected with that).
		_, l, refusal := ToOrder(fo)
		if refusal != nil {
			return c.reject(ctx, fo, l, *refusal)
		}
		link = l
		if err := c.putLink(ctx, link); err != nil {
			return err
		}
	}
	if link.State == stateImporting {
		f, err := c.hub.Fulfilment(ctx, link.Order)
		if err == nil && f.Status == statusCancelled {
			return c.reject(ctx, fo, link, Refusal{RejectOther, fmt.Sprintf("order %s was cancelled at the warehouse; it cannot be fulfilled again", link.Order)})
		}
		if isNotFound(err) {
			order, _, refusal := ToOrder(fo)
			if refusal != nil {
				return c.reject(ctx, fo, link, *refusal)
			}
			if _, err := c.hub.ImportOrders(ctx, []protocol.Order{order}, c.now()); err != nil {
				var pe *protocol.Error
				if errors.As(err, &pe) && (pe.Code == protocol.CodeBadRequest || pe.Code == protocol.CodeConflict) {
					return c.reject(ctx, fo, link, refusalOf(pe))
				}
				return fmt.Errorf("the hub did not import order %s: %w", link.Order, err)
			}
			c.log.Info("shopify order imported", "fulfillment_order", fo.ID, "order", link.Order, "lines", len(link.Lines))
		} else if err != nil {
			return err
		}
	}
	var out struct {
		R struct {
			UserErrors []UserError `json:"userErrors"`
		} `json:"fulfillmentOrderAcceptFulfillmentRequest"`
	}
	msg := "tote order " + link.Order
	if err := c.api.do(ctx, "accept", map[string]any{"id": fo.ID, "message": msg}, &out); err != nil {
		return err
	}
	if err := c.userErrors("accept", out.R.UserErrors); err != nil {
		return err
	}
	link.State = stateAccepted
	c.log.Info("shopify fulfillment request accepted", "fulfillment_order", fo.ID, "order", link.Order)
	return c.putLink(ctx, link)
}

// refusalOf turns the hub's refusal of the import into a rejection.
func refusalOf(pe *protocol.Error) Refusal {
	m := pe.Message
	switch low := strings.ToLower(m); {
	case strings.Contains(low, "sku"):
		return Refusal{RejectIneligibleProduct, m}
	case strings.Contains(low, "address") || strings.Contains(low, "ship-to") || strings.Contains(low, "ship_to") || strings.Contains(low, "country"):
		return Refusal{RejectIncorrectAddress, m}
	}
	return Refusal{RejectOther, m}
}

func (c *Connector) reject(ctx context.Context, fo FulfillmentOrder, link Link, r Refusal) error {
	var out struct {
		R struct {
			UserErrors []UserError `json:"userErrors"`
		} `json:"fulfillmentOrderRejectFulfillmentRequest"`
	}
	if err := c.api.do(ctx, "reject", map[string]any{"id": fo.ID, "reason": r.Reason, "message": clip(r.Message)}, &out); err != nil {
		return err
	}
	if err := c.userErrors("reject", out.R.UserErrors); err != nil {
		return err
	}
	c.log.Warn("shopify fulfillment request rejected", "fulfillment_order", fo.ID, "reason", r.Reason, "message", r.Message)
	link.FulfillmentOrder, link.State, link.Why = fo.ID, stateRejected, r.Reason+": "+clip(r.Message)
	return c.putLink(ctx, link)
}

// cancellation answers a cancellation request: accepted (and the order
// cancelled at the hub) while nothing of it is packed; rejected with the
// reason once a parcel exists.
func (c *Connector) cancellation(ctx context.Context, fo FulfillmentOrder) error {
	link, ok, err := c.link(ctx, fo.ID)
	if err != nil {
		return err
	}
	if ok && link.State != stateRejected {
		f, err := c.hub.Fulfilment(ctx, link.Order)
		switch {
		case isNotFound(err):
		case err != nil:
			return err
		default:
			if why := packedAlready(f); why != "" {
				return c.answerCancellation(ctx, fo, link, false, why)
			}
			if err := c.hub.CancelOrder(ctx, link.Order, shopifyCancelReason, c.now()); err != nil {
				var pe *protocol.Error
				if errors.As(err, &pe) && pe.Code == protocol.CodeConflict {
					return c.answerCancellation(ctx, fo, link, false, pe.Message)
				}
				return fmt.Errorf("the hub did not cancel order %s: %w", link.Order, err)
			}
		}
	}
	if !ok {
		link = Link{FulfillmentOrder: fo.ID}
	}
	return c.answerCancellation(ctx, fo, link, true, "")
}

// packedAlready says why an order can no longer be cancelled at the
// warehouse: a carton of it is packed or shipped.
func packedAlready(f protocol.Fulfilment) string {
	var ssccs []string
	for _, p := range f.Parcels {
		if p.Status == "packed" || p.Status == "shipped" {
			ssccs = append(ssccs, orElse(p.SSCC, p.Tracking))
		}
	}
	if len(ssccs) == 0 {
		return ""
	}
	return fmt.Sprintf("order %s has %d parcel(s) packed or shipped (%s): the warehouse cannot cancel it now; cancel the shipment with the carrier or book a return",
		f.Order, len(ssccs), strings.Join(ssccs, ", "))
}

func (c *Connector) answerCancellation(ctx context.Context, fo FulfillmentOrder, link Link, accept bool, why string) error {
	op, field, vars := "reject_cancellation", "fulfillmentOrderRejectCancellationRequest", map[string]any{"id": fo.ID, "message": clip(why)}
	if accept {
		op, field, vars = "accept_cancellation", "fulfillmentOrderAcceptCancellationRequest", map[string]any{"id": fo.ID, "message": "cancelled at the warehouse"}
	}
	var out map[string]struct {
		UserErrors []UserError `json:"userErrors"`
	}
	if err := c.api.do(ctx, op, vars, &out); err != nil {
		return err
	}
	if err := c.userErrors(op, out[field].UserErrors); err != nil {
		return err
	}
	if !accept {
		c.log.Warn("shopify cancellation rejected", "fulfillment_order", fo.ID, "order", link.Order, "reason", why)
		return nil
	}
	c.log.Info("shopify cancellation accepted", "fulfillment_order", fo.ID, "order", link.Order)
	link.State = stateCancelled
	return c.putLink(ctx, link)
}

func (c *Connector) userErrors(op string, ues []UserError) error {
	if len(ues) == 0 {
		return nil
	}
	err := &UserErrors{Op: op, List: ues}
	c.log.Warn("shopify user errors", "op", op, "err", err)
	return err
}

func isNotFound(err error) bool {
	var pe *protocol.Error
	return errors.As(err, &pe) && pe.Code == protocol.CodeNotFound
}

// statusCancelled is a cancelled order's status in the hub's fulfilment
// (floor.OrderCancelled).
const statusCancelled = "cancelled"

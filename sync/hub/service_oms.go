package hub

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"sync/atomic"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// OMSAPI is what the hub does for an OMS: the facts feed and the webhook
// endpoints' administration (docs/oms.md).
type OMSAPI interface {
	// Facts lists facts after a cursor in commit order.
	Facts(ctx context.Context, after int64, limit int) (protocol.FactPage, error)
	AddWebhook(ctx context.Context, w protocol.NewWebhook, at time.Time) (protocol.WebhookInfo, error)
	Webhooks(ctx context.Context) ([]protocol.WebhookInfo, error)
	// RotateWebhook gives an endpoint a new secret; the old one still
	// signs (a second signature) for overlap.
	RotateWebhook(ctx context.Context, id string, overlap time.Duration, at time.Time) (protocol.WebhookInfo, error)
	WebhookDeliveries(ctx context.Context, id, status string, after int64, limit int) ([]protocol.DeliveryInfo, error)
	// ReplayDeliveries sends a delivery again (delivery "" : every dead
	// one of the endpoint), with a new 24 h of retries; it returns how many.
	ReplayDeliveries(ctx context.Context, id, delivery string, at time.Time) (int, error)
}

var _ OMSAPI = (*Service)(nil)

// MaxFactsPage is the most facts one page of the feed holds.
const MaxFactsPage = 1000

// committedHook is what OnFacts set.
type committedHook = atomic.Pointer[func()]

// OnFacts sets fn to be called after every transaction that may have
// appended facts commits (the webhook worker wakes on it). fn must not
// block.
func (s *Service) OnFacts(fn func()) { s.committed.Store(&fn) }

// told tells the OnFacts listener when err is nil, and returns err.
func (s *Service) told(err error) error {
	if err == nil {
		if fn := s.committed.Load(); fn != nil {
			(*fn)()
		}
	}
	return err
}

func (s *Service) Facts(ctx context.Context, after int64, limit int) (protocol.FactPage, error) {
	if after < 0 {
		return protocol.FactPage{}, protocol.Errorf(protocol.CodeBadRequest, "the cursor %d is not a fact id: start at 0", after)
	}
	if limit <= 0 || limit > MaxFactsPage {
		limit = MaxFactsPage
	}
	page := protocol.FactPage{Facts: []protocol.Fact{}, Next: after}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		safe, err := tx.FactsSafe()
		if err != nil {
			return err
		}
		fs, err := tx.Facts(after, safe, limit)
		if err != nil {
			return err
		}
		if len(fs) > 0 {
			page.Facts, page.Next = fs, fs[len(fs)-1].ID
		}
		return nil
	})
	return page, err
}

// NewSecret makes a webhook signing secret.
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + hex.EncodeToString(b[:])
}

func (s *Service) AddWebhook(ctx context.Context, nw protocol.NewWebhook, at time.Time) (protocol.WebhookInfo, error) {
	u, err := url.Parse(nw.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return protocol.WebhookInfo{}, protocol.Errorf(protocol.CodeBadRequest, "the webhook URL %q is not an http:// or https:// address", floor.Printable(nw.URL))
	}
	for _, k := range nw.Kinds {
		if !slices.Contains(protocol.FactKinds, k) {
			return protocol.WebhookInfo{}, protocol.Errorf(protocol.CodeBadRequest, "%q is not a fact kind; the kinds are %v", floor.Printable(k), protocol.FactKinds)
		}
	}
	if nw.ID == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		nw.ID = "wh-" + hex.EncodeToString(b[:])
	}
	if err := protocol.CheckStationID(nw.ID); err != nil {
		return protocol.WebhookInfo{}, protocol.Errorf(protocol.CodeBadRequest, "webhook id: %v", err)
	}
	if nw.Secret == "" {
		nw.Secret = NewSecret()
	} else if len(nw.Secret) < 16 {
		return protocol.WebhookInfo{}, protocol.Errorf(protocol.CodeBadRequest, "a webhook secret needs at least 16 characters")
	}
	w := Webhook{ID: nw.ID, URL: nw.URL, Secret: nw.Secret, Kinds: nw.Kinds, CreatedAt: at.UTC()}
	err = s.store.Tx(ctx, func(tx StoreTx) error {
		if _, ok, err := tx.Webhook(w.ID); err != nil || ok {
			if ok {
				return protocol.Errorf(protocol.CodeConflict, "webhook %s exists already; rotate its secret or pick another id", w.ID)
			}
			return err
		}
		// A new endpoint hears the facts from now on; the feed has the past.
		if w.Scanned, err = tx.FactsSafe(); err != nil {
			return err
		}
		return tx.PutWebhook(w)
	})
	if err != nil {
		return protocol.WebhookInfo{}, err
	}
	info := webhookInfo(w)
	info.Secret = w.Secret
	return info, nil
}

func webhookInfo(w Webhook) protocol.WebhookInfo {
	info := protocol.WebhookInfo{ID: w.ID, URL: w.URL, Kinds: w.Kinds, Scanned: w.Scanned, CreatedAt: w.CreatedAt}
	if !w.PrevUntil.IsZero() {
		t := w.PrevUntil
		info.PrevUntil = &t
	}
	return info
}

func (s *Service) Webhooks(ctx context.Context) ([]protocol.WebhookInfo, error) {
	out := []protocol.WebhookInfo{}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		ws, err := tx.Webhooks()
		if err != nil {
			return err
		}
		for _, w := range ws {
			info := webhookInfo(w)
			for _, st := range []string{DeliveryPending, DeliveryDead} {
				ds, err := tx.Deliveries(w.ID, st, 0, 1_000_000)
				if err != nil {
					return err
				}
				if st == DeliveryPending {
					info.Pending = len(ds)
				} else {
					info.Dead = len(ds)
				}
			}
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

func liveWebhook(tx StoreTx, id string) (Webhook, error) {
	w, ok, err := tx.Webhook(id)
	if err == nil && !ok {
		err = protocol.Errorf(protocol.CodeNotFound, "webhook %s is not known at the hub", floor.Printable(id))
	}
	return w, err
}

func (s *Service) RotateWebhook(ctx context.Context, id string, overlap time.Duration, at time.Time) (protocol.WebhookInfo, error) {
	if overlap < 0 {
		return protocol.WebhookInfo{}, protocol.Errorf(protocol.CodeBadRequest, "the overlap %v is negative", overlap)
	}
	var w Webhook
	err := s.store.Tx(ctx, func(tx StoreTx) (err error) {
		if w, err = liveWebhook(tx, id); err != nil {
			return err
		}
		w.PrevSecret, w.PrevUntil, w.Secret = w.Secret, at.UTC().Add(overlap), NewSecret()
		return tx.PutWebhook(w)
	})
	if err != nil {
		return protocol.WebhookInfo{}, err
	}
	info := webhookInfo(w)
	info.Secret = w.Secret
	return info, nil
}

// DeliveryInfoOf is a delivery as the admin API shows it.
func DeliveryInfoOf(d Delivery) protocol.DeliveryInfo {
	return protocol.DeliveryInfo{ID: d.ID, Webhook: d.Webhook, Fact: d.Fact.ID, Order: d.Fact.Order, Seq: d.Fact.Seq, Kind: d.Fact.Kind,
		Status: d.Status, Attempts: d.Attempts, NextAt: d.NextAt, LastError: d.LastError}
}

func (s *Service) WebhookDeliveries(ctx context.Context, id, status string, after int64, limit int) ([]protocol.DeliveryInfo, error) {
	switch status {
	case "", DeliveryPending, DeliveryDelivered, DeliveryDead:
	default:
		return nil, protocol.Errorf(protocol.CodeBadRequest, "%q is not a delivery status: use pending, delivered or dead", floor.Printable(status))
	}
	if limit <= 0 || limit > MaxFactsPage {
		limit = MaxFactsPage
	}
	out := []protocol.DeliveryInfo{}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		if _, err := liveWebhook(tx, id); err != nil {
			return err
		}
		ds, err := tx.Deliveries(id, status, after, limit)
		for _, d := range ds {
			out = append(out, DeliveryInfoOf(d))
		}
		return err
	})
	return out, err
}

func (s *Service) ReplayDeliveries(ctx context.Context, id, delivery string, at time.Time) (int, error) {
	n := 0
	err := s.told(s.store.Tx(ctx, func(tx StoreTx) error {
		if _, err := liveWebhook(tx, id); err != nil {
			return err
		}
		var ds []Delivery
		if delivery != "" {
			d, ok, err := tx.Delivery(delivery)
			if err != nil {
				return err
			}
			if !ok || d.Webhook != id {
				return protocol.Errorf(protocol.CodeNotFound, "webhook %s has no delivery %s", id, floor.Printable(delivery))
			}
			ds = []Delivery{d}
		} else {
			var err error
			if ds, err = tx.Deliveries(id, DeliveryDead, 0, 1_000_000); err != nil {
				return err
			}
		}
		for _, d := range ds {
			d.Status, d.Attempts, d.NextAt, d.CreatedAt, d.UpdatedAt = DeliveryPending, 0, at.UTC(), at.UTC(), at.UTC()
			d.LastError = fmt.Sprintf("replayed by an admin (was %s)", orElse(d.LastError, "delivered"))
			if err := tx.UpdateDelivery(d); err != nil {
				return err
			}
			n++
		}
		return nil
	}))
	return n, err
}

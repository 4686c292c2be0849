package shopify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// CallbackPath is where Shopify posts fulfillment order notifications:
// the fulfillment service's callbackUrl is the hub's address and
// /shopify; Shopify appends /fulfillment_order_notification.
const CallbackPath = "/shopify/fulfillment_order_notification"

// maxNotification bounds a notification's body.
const maxNotification = 64 << 10

// Notification kinds Shopify sends.
const (
	KindFulfillmentRequest  = "FULFILLMENT_REQUEST"
	KindCancellationRequest = "CANCELLATION_REQUEST"
)

// Verify reports whether sig (X-Shopify-Hmac-Sha256) is the base64
// HMAC-SHA256 of body with secret, compared in constant time.
func Verify(secret string, body []byte, sig string) bool {
	got, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || secret == "" {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

// Sign is the X-Shopify-Hmac-Sha256 of body (for tests and the docs).
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// ParseNotification reads a notification's kind. A body that is not a
// JSON object with a known kind is an error; the kind tells nothing the
// poll would not find, so the connector looks either way.
func ParseNotification(body []byte) (string, error) {
	var n struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(body, &n); err != nil {
		return "", errNotification
	}
	switch n.Kind {
	case KindFulfillmentRequest, KindCancellationRequest:
		return n.Kind, nil
	}
	return "", errNotification
}

type notificationError struct{}

func (notificationError) Error() string {
	return "not a fulfillment order notification: want a JSON object with kind FULFILLMENT_REQUEST or CANCELLATION_REQUEST"
}

var errNotification error = notificationError{}

// Callback is the notification endpoint: a body signed with the app's
// secret wakes the connector to look for requests; anything else is
// refused (401 for a bad signature, 400 for a bad body) and logged.
func (c *Connector) Callback() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxNotification+1))
		if err != nil || len(body) > maxNotification {
			c.log.Warn("shopify notification refused", "why", "unreadable or too large", "from", r.RemoteAddr)
			http.Error(w, "body unreadable or larger than 64 KiB", http.StatusRequestEntityTooLarge)
			return
		}
		if !Verify(c.cfg.CallbackSecret, body, r.Header.Get("X-Shopify-Hmac-Sha256")) {
			c.log.Warn("shopify notification refused", "why", "bad signature", "from", r.RemoteAddr)
			http.Error(w, "the signature (X-Shopify-Hmac-Sha256) does not verify", http.StatusUnauthorized)
			return
		}
		if shop := r.Header.Get("X-Shopify-Shop-Domain"); shop != "" && !strings.EqualFold(shop, c.cfg.Shop) {
			c.log.Warn("shopify notification refused", "why", "another shop", "shop_domain", clip(shop), "from", r.RemoteAddr)
			http.Error(w, "the notification is from another shop", http.StatusUnauthorized)
			return
		}
		kind, err := ParseNotification(body)
		if err != nil {
			c.log.Warn("shopify notification refused", "why", err.Error(), "from", r.RemoteAddr)
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.log.Info("shopify notification", "kind", kind)
		c.Requested()
		w.WriteHeader(http.StatusOK)
	})
}

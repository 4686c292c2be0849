package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of a delivery (docs/oms.md).
const (
	HeaderDelivery  = "Tote-Delivery"  // the delivery's id: the same on every retry
	HeaderFact      = "Tote-Fact"      // the fact's id (the feed's cursor)
	HeaderKind      = "Tote-Kind"      // the fact's kind
	HeaderTimestamp = "Tote-Timestamp" // unix seconds when this attempt was signed
	HeaderSignature = "Tote-Signature" // "v1=HEX", or two during a rotation: "v1=HEX,v1=HEX"
)

// Sign is the hex HMAC-SHA256, keyed with secret, of the timestamp in
// decimal, a full stop and the raw body.
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// SignatureHeader is the Tote-Signature value for the secrets given
// (the current one first, then one still in its overlap window).
func SignatureHeader(timestamp int64, body []byte, secrets ...string) string {
	parts := make([]string, 0, len(secrets))
	for _, s := range secrets {
		if s != "" {
			parts = append(parts, "v1="+Sign(s, timestamp, body))
		}
	}
	return strings.Join(parts, ",")
}

// Errors Verify returns.
var (
	ErrNoSignature = errors.New("the request has no Tote-Timestamp or Tote-Signature header")
	ErrStale       = errors.New("the request's timestamp is too far from now (a replay?)")
	ErrSignature   = errors.New("no signature matches the secret")
)

// Verify checks a delivery as a receiver should: the timestamp within
// tolerance of now, and one of the v1 signatures made with secret over
// the raw body.
func Verify(h http.Header, body []byte, secret string, now time.Time, tolerance time.Duration) error {
	tsText, sigs := h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if tsText == "" || sigs == "" {
		return ErrNoSignature
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("the timestamp %q is not unix seconds", tsText)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return ErrStale
	}
	want := []byte(Sign(secret, ts, body))
	for _, p := range strings.Split(sigs, ",") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(p), "v1="); ok && hmac.Equal([]byte(v), want) {
			return nil
		}
	}
	return ErrSignature
}

package shopify

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIVersion is the GraphQL Admin API version the operations in graphql/
// are written for. A shop's configuration names it; another is refused.
const APIVersion = "2025-01"

//go:embed graphql/*.graphql
var operations embed.FS

// operation reads an embedded .graphql document by name.
func operation(name string) string {
	b, err := operations.ReadFile("graphql/" + name + ".graphql")
	if err != nil {
		panic("shopify: no operation " + name) // a build without the file
	}
	return string(b)
}

// client calls the GraphQL Admin API: one POST per operation, retried
// while Shopify throttles it (cost-based THROTTLED, HTTP 429) or fails
// for a moment (5xx, the network). Every call and its outcome is logged.
type client struct {
	endpoint string
	token    string
	http     *http.Client
	log      *slog.Logger
	sleep    func(context.Context, time.Duration) error
	attempts int
	// lowWater: below this many points left in the bucket, the next call
	// waits until it refills that far (Shopify's throttleStatus).
	available, restore float64
}

// APIError is an answer that says the call cannot work as sent (GraphQL
// errors other than THROTTLED, a 4xx but 429): retrying will not help.
type APIError struct {
	Op, Msg string
	Status  int
}

func (e *APIError) Error() string {
	return fmt.Sprintf("shopify %s: %s", e.Op, e.Msg)
}

// UserErrors are a mutation's userErrors: Shopify refused what it asked.
type UserErrors struct {
	Op   string
	List []UserError
}

// UserError is one of them.
type UserError struct {
	Field   []string `json:"field"`
	Message string   `json:"message"`
	Code    string   `json:"code,omitempty"`
}

func (e *UserErrors) Error() string {
	var msgs []string
	for _, u := range e.List {
		m := u.Message
		if len(u.Field) > 0 {
			m = strings.Join(u.Field, ".") + ": " + m
		}
		msgs = append(msgs, m)
	}
	return fmt.Sprintf("shopify %s refused: %s", e.Op, strings.Join(msgs, "; "))
}

// transientError: Shopify was throttling or failing after every attempt.
type transientError struct {
	op  string
	err error
}

func (e *transientError) Error() string {
	return fmt.Sprintf("shopify %s: still failing after retries: %v", e.op, e.err)
}
func (e *transientError) Unwrap() error { return e.err }

// response is GraphQL's envelope.
type response struct {
	Data       json.RawMessage `json:"data"`
	Errors     []gqlError      `json:"errors"`
	Extensions struct {
		Cost *struct {
			RequestedQueryCost float64 `json:"requestedQueryCost"`
			ActualQueryCost    float64 `json:"actualQueryCost"`
			ThrottleStatus     struct {
				MaximumAvailable   float64 `json:"maximumAvailable"`
				CurrentlyAvailable float64 `json:"currentlyAvailable"`
				RestoreRate        float64 `json:"restoreRate"`
			} `json:"throttleStatus"`
		} `json:"cost"`
	} `json:"extensions"`
}

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// lowWater: the costliest of our operations asks about this much; below
// it in the bucket, the next call waits for the refill (pace).
const lowWater = 100

// maxBody bounds an answer read from Shopify.
const maxBody = 8 << 20

// do runs the named operation with vars and decodes its data into out.
func (c *client) do(ctx context.Context, op string, vars map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": operation(op), "variables": vars})
	if err != nil {
		return err
	}
	// What the log names besides the operation: the fulfillment order or
	// the assignment state asked for (never a message or an address).
	var about []any
	for _, k := range []string{"id", "status"} {
		if v, ok := vars[k].(string); ok {
			about = append(about, k, v)
		}
	}
	log := c.log.With(append([]any{"op", op}, about...)...)
	var last error
	for attempt := 1; attempt <= c.attempts; attempt++ {
		if err := c.pace(ctx); err != nil {
			return err
		}
		start := time.Now()
		wait, err := c.once(ctx, op, body, out)
		took := time.Since(start).Round(time.Millisecond)
		if err == nil {
			log.Info("shopify call", "attempt", attempt, "took", took, "outcome", "ok")
			return nil
		}
		if wait < 0 { // not worth retrying
			var ue *UserErrors
			if errors.As(err, &ue) {
				log.Warn("shopify call", "attempt", attempt, "took", took, "outcome", "user errors", "err", err)
			} else {
				log.Error("shopify call", "attempt", attempt, "took", took, "outcome", "refused", "err", err)
			}
			return err
		}
		last = err
		if wait == 0 {
			wait = backoff(attempt)
		}
		log.Warn("shopify call", "attempt", attempt, "took", took, "outcome", "retry", "wait", wait, "err", err)
		if attempt == c.attempts {
			break
		}
		if err := c.sleep(ctx, wait); err != nil {
			return err
		}
	}
	return &transientError{op: op, err: last}
}

// pace waits while the cost bucket is nearly empty, instead of being
// throttled: Shopify refills it at restoreRate points a second.
func (c *client) pace(ctx context.Context) error {
	if c.restore <= 0 || c.available >= lowWater {
		return nil
	}
	wait := time.Duration((lowWater - c.available) / c.restore * float64(time.Second))
	c.log.Info("shopify pacing", "available", c.available, "restore_rate", c.restore, "wait", wait)
	c.available = lowWater
	return c.sleep(ctx, wait)
}

// once makes one attempt. wait < 0: do not retry; 0: retry after the
// backoff; > 0: retry after wait (Retry-After, the throttle's refill).
func (c *client) once(ctx context.Context, op string, body []byte, out any) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return -1, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Shopify-Access-Token", c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return -1, ctx.Err()
		}
		return 0, err // the network: try again
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, err
	}
	if len(raw) > maxBody {
		return -1, &APIError{Op: op, Msg: "the answer is larger than 8 MiB", Status: resp.StatusCode}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return retryAfter(resp.Header.Get("Retry-After")), fmt.Errorf("HTTP 429 too many requests")
	case resp.StatusCode >= 500:
		return retryAfter(resp.Header.Get("Retry-After")), fmt.Errorf("HTTP %d", resp.StatusCode)
	case resp.StatusCode != http.StatusOK:
		return -1, &APIError{Op: op, Msg: fmt.Sprintf("HTTP %d: %s", resp.StatusCode, clip(string(raw))), Status: resp.StatusCode}
	}
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return -1, &APIError{Op: op, Msg: "the answer is not GraphQL JSON: " + err.Error(), Status: resp.StatusCode}
	}
	if cost := r.Extensions.Cost; cost != nil {
		c.available, c.restore = cost.ThrottleStatus.CurrentlyAvailable, cost.ThrottleStatus.RestoreRate
	}
	for _, e := range r.Errors {
		if e.Extensions.Code == "THROTTLED" {
			c.available = lowWater // the wait below refills what the call needs: no pacing on top
			wait := time.Second
			if cost := r.Extensions.Cost; cost != nil && cost.ThrottleStatus.RestoreRate > 0 {
				need := cost.RequestedQueryCost - cost.ThrottleStatus.CurrentlyAvailable
				wait = max(time.Duration(need/cost.ThrottleStatus.RestoreRate*float64(time.Second)), 100*time.Millisecond)
			}
			return wait, fmt.Errorf("throttled")
		}
	}
	if len(r.Errors) > 0 {
		var msgs []string
		for _, e := range r.Errors {
			m := e.Message
			if e.Extensions.Code != "" {
				m += " (" + e.Extensions.Code + ")"
			}
			msgs = append(msgs, m)
		}
		return -1, &APIError{Op: op, Msg: clip(strings.Join(msgs, "; ")), Status: resp.StatusCode}
	}
	if out != nil {
		if err := json.Unmarshal(r.Data, out); err != nil {
			return -1, &APIError{Op: op, Msg: "unexpected data: " + err.Error(), Status: resp.StatusCode}
		}
	}
	return 0, nil
}

// retryAfter reads Retry-After in seconds (0 when absent: backoff).
func retryAfter(h string) time.Duration {
	s, err := strconv.ParseFloat(strings.TrimSpace(h), 64)
	if err != nil || s <= 0 || s > 3600 {
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// backoff doubles from 1 s to 1 min, with jitter (half to whole step).
func backoff(attempt int) time.Duration {
	step := time.Second << min(attempt-1, 6)
	step = min(step, time.Minute)
	return step/2 + time.Duration(mrand.Int64N(int64(step/2)+1))
}

// clip keeps a message from Shopify short in logs and errors.
func clip(s string) string {
	const n = 300
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/webhook"
)

var ctx = context.Background()

// clock is the simulated time the worker and the receiver share.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
}

func openHub(t testing.TB) *hubstore.Store {
	t.Helper()
	hs, err := hubstore.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	return hs
}

var addr = protocol.Address{Name: "Olivia", Line1: "1 Main St", City: "Springfield", Country: "US"}

// orders imports n orders O-1..O-n, then holds and releases each rounds
// times: every order gets 1+2*rounds facts.
func orders(t *testing.T, hs *hubstore.Store, n, rounds int, at time.Time) {
	t.Helper()
	if _, err := hs.ImportReference(ctx, protocol.Reference{
		Locations: []protocol.Location{{Code: "A-01", Zone: "A", WalkSeq: 1}},
		Items:     []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}},
	}); err != nil {
		t.Fatal(err)
	}
	var os []protocol.Order
	for i := 1; i <= n; i++ {
		os = append(os, protocol.Order{ID: fmt.Sprintf("O-%d", i), ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}})
	}
	if _, err := hs.ImportOrders(ctx, os, at); err != nil {
		t.Fatal(err)
	}
	for r := 0; r < rounds; r++ {
		for i := 1; i <= n; i++ {
			id := fmt.Sprintf("O-%d", i)
			if err := hs.PlaceHold(ctx, id, protocol.Hold{Reason: fmt.Sprintf("R%d", r)}, at); err != nil {
				t.Fatal(err)
			}
			if err := hs.ReleaseHold(ctx, id, fmt.Sprintf("R%d", r)); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// receiver is an OMS endpoint on loopback. fail decides, per request,
// how it misbehaves; what it took (answered 2xx) is kept in order.
type receiver struct {
	t      *testing.T
	secret string
	clock  *clock
	fail   func(n int) string // "", "500", "hang", "drop", "slow"
	mu     sync.Mutex
	n      int
	took   []got
	ids    map[int64]string // fact -> delivery id
	srv    *httptest.Server
}

type got struct {
	delivery string
	fact     protocol.Fact
}

func newReceiver(t *testing.T, secret string, c *clock, fail func(int) string) *receiver {
	r := &receiver{t: t, secret: secret, clock: c, fail: fail, ids: map[int64]string{}}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return
	}
	r.mu.Lock()
	r.n++
	mode := r.fail(r.n)
	r.mu.Unlock()
	switch mode {
	case "500":
		http.Error(w, "down for maintenance", 500)
		return
	case "hang": // longer than the worker's timeout
		<-req.Context().Done()
		return
	case "drop":
		if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
			c.Close()
		}
		return
	case "slow": // slow, but inside the timeout: it counts
		<-time.After(30 * time.Millisecond)
	}
	if err := webhook.Verify(req.Header, body, r.secret, r.clock.Now(), 5*time.Minute); err != nil {
		r.t.Errorf("a delivery did not verify: %v", err)
		http.Error(w, err.Error(), 400)
		return
	}
	var f protocol.Fact
	if err := json.Unmarshal(body, &f); err != nil {
		r.t.Errorf("a body is not a fact: %v", err)
	}
	if h := req.Header.Get(webhook.HeaderFact); h != fmt.Sprint(f.ID) {
		r.t.Errorf("header fact %s, body fact %d", h, f.ID)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	id := req.Header.Get(webhook.HeaderDelivery)
	if was, ok := r.ids[f.ID]; ok && was != id {
		r.t.Errorf("fact %d came under delivery ids %s and %s", f.ID, was, id)
	}
	r.ids[f.ID] = id
	r.took = append(r.took, got{id, f})
	w.WriteHeader(http.StatusNoContent)
}

// check: every fact of the feed taken, each order's facts first taken in
// their order.
func (r *receiver) check(t *testing.T, hs *hubstore.Store) {
	t.Helper()
	page, err := hs.Facts(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	last := map[string]int64{}
	for _, g := range r.took {
		if g.fact.Seq <= last[g.fact.Order] {
			continue // a retry of one taken already
		}
		if g.fact.Seq != last[g.fact.Order]+1 {
			t.Fatalf("order %s: fact seq %d arrived after %d", g.fact.Order, g.fact.Seq, last[g.fact.Order])
		}
		last[g.fact.Order] = g.fact.Seq
	}
	for _, f := range page.Facts {
		if _, ok := r.ids[f.ID]; !ok {
			t.Fatalf("fact %d (%s of %s) was never delivered", f.ID, f.Kind, f.Order)
		}
	}
	if len(page.Facts) == 0 {
		t.Fatal("no facts to deliver")
	}
}

// drain steps the worker, moving the clock to the next due time, until
// nothing is pending; it returns the simulated time it took.
func drain(t *testing.T, hs *hubstore.Store, w *webhook.Worker, c *clock) time.Duration {
	t.Helper()
	start := c.Now()
	for i := 0; i < 100000; i++ {
		if _, err := w.Step(ctx); err != nil {
			t.Fatal(err)
		}
		var next time.Time
		var pending bool
		if err := hs.Read(ctx, func(tx hub.StoreTx) (err error) { next, pending, err = tx.NextDue(); return err }); err != nil {
			t.Fatal(err)
		}
		if !pending {
			return c.Now().Sub(start)
		}
		c.Set(next)
	}
	t.Fatal("the deliveries never drained")
	return 0
}

func addWebhook(t *testing.T, hs *hubstore.Store, url string, at time.Time, kinds ...string) protocol.WebhookInfo {
	t.Helper()
	info, err := hs.AddWebhook(ctx, protocol.NewWebhook{ID: "oms", URL: url, Kinds: kinds}, at)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestAnHourOfFailuresLosesNothing(t *testing.T) {
	hs := openHub(t)
	c := &clock{now: t0}
	var rcv *receiver
	modes := []string{"500", "hang", "drop", "slow", "500", "500"}
	rcv = newReceiver(t, "", c, func(n int) string {
		if c.Now().Sub(t0) < time.Hour {
			return modes[n%len(modes)]
		}
		return ""
	})
	info := addWebhook(t, hs, rcv.srv.URL, t0)
	rcv.secret = info.Secret
	orders(t, hs, 10, 2, t0)
	w := webhook.New(hs.SQLite, webhook.Options{Now: c.Now, Timeout: 100 * time.Millisecond, Parallel: 10})
	took := drain(t, hs, w, c)
	if took < time.Hour {
		t.Fatalf("drained in %v of simulated time: the receiver failed for an hour", took)
	}
	rcv.check(t, hs)
	ds, err := hs.WebhookDeliveries(ctx, "oms", hub.DeliveryDead, 0, 100)
	if err != nil || len(ds) != 0 {
		t.Fatalf("dead after an hour: %v %v", ds, err)
	}
}

func TestDeadLetteredThenReplayed(t *testing.T) {
	hs := openHub(t)
	c := &clock{now: t0}
	up := false
	var mu sync.Mutex
	rcv := newReceiver(t, "", c, func(int) string {
		mu.Lock()
		defer mu.Unlock()
		if up {
			return ""
		}
		return "500"
	})
	rcv.secret = addWebhook(t, hs, rcv.srv.URL, t0).Secret
	orders(t, hs, 2, 1, t0)
	w := webhook.New(hs.SQLite, webhook.Options{Now: c.Now})
	took := drain(t, hs, w, c)
	if took < 24*time.Hour {
		t.Fatalf("dead-lettered after %v: retries must last at least a day", took)
	}
	dead, err := hs.WebhookDeliveries(ctx, "oms", hub.DeliveryDead, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	// Each order's first fact is dead; its later ones wait behind it, untried.
	if len(dead) != 2 || dead[0].Seq != 1 || dead[1].Seq != 1 || dead[0].LastError == "" || dead[0].Attempts < 10 {
		t.Fatalf("dead %+v", dead)
	}
	waiting, _ := hs.WebhookDeliveries(ctx, "oms", hub.DeliveryPending, 0, 100)
	for _, d := range waiting {
		if d.Attempts != 0 {
			t.Fatalf("fact %d of %s was tried before the earlier one was delivered", d.Seq, d.Order)
		}
	}
	if len(waiting) != 4 {
		t.Fatalf("waiting %+v", waiting)
	}
	mu.Lock()
	up = true
	mu.Unlock()
	n, err := hs.ReplayDeliveries(ctx, "oms", "", c.Now())
	if err != nil || n != 2 {
		t.Fatalf("replayed %d, %v", n, err)
	}
	drain(t, hs, w, c)
	rcv.check(t, hs)
	if rcv.ids[dead[0].Fact] != dead[0].ID {
		t.Fatalf("the replay changed the delivery id of fact %d", dead[0].Fact)
	}
}

func TestRotationSignsWithBothSecretsDuringTheOverlap(t *testing.T) {
	hs := openHub(t)
	c := &clock{now: t0}
	var mu sync.Mutex
	var headers []http.Header
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		headers, bodies = append(headers, r.Header.Clone()), append(bodies, b)
		mu.Unlock()
	}))
	defer srv.Close()
	old := addWebhook(t, hs, srv.URL, t0).Secret
	rot, err := hs.RotateWebhook(ctx, "oms", time.Hour, t0)
	if err != nil || rot.Secret == old || rot.Secret == "" {
		t.Fatalf("rotate: %+v %v", rot, err)
	}
	orders(t, hs, 1, 0, t0)
	w := webhook.New(hs.SQLite, webhook.Options{Now: c.Now})
	drain(t, hs, w, c)
	for _, s := range []string{old, rot.Secret} {
		if err := webhook.Verify(headers[0], bodies[0], s, c.Now(), time.Minute); err != nil {
			t.Fatalf("inside the overlap: %v", err)
		}
	}
	c.Set(t0.Add(2 * time.Hour))
	if err := hs.PlaceHold(ctx, "O-1", protocol.Hold{Reason: "LATE"}, c.Now()); err != nil {
		t.Fatal(err)
	}
	drain(t, hs, w, c)
	if err := webhook.Verify(headers[1], bodies[1], old, c.Now(), time.Minute); err != webhook.ErrSignature {
		t.Fatalf("the old secret after the overlap: %v", err)
	}
	if err := webhook.Verify(headers[1], bodies[1], rot.Secret, c.Now(), time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := webhook.Verify(headers[1], bodies[1], rot.Secret, c.Now().Add(10*time.Minute), time.Minute); err != webhook.ErrStale {
		t.Fatalf("a stale timestamp: %v", err)
	}
}

func TestOnlyTheKindsAsked(t *testing.T) {
	hs := openHub(t)
	c := &clock{now: t0}
	rcv := newReceiver(t, "", c, func(int) string { return "" })
	rcv.secret = addWebhook(t, hs, rcv.srv.URL, t0, protocol.FactHeld).Secret
	orders(t, hs, 3, 1, t0)
	drain(t, hs, webhook.New(hs.SQLite, webhook.Options{Now: c.Now}), c)
	if len(rcv.took) != 3 {
		t.Fatalf("took %d, want the 3 holds", len(rcv.took))
	}
	for _, g := range rcv.took {
		if g.fact.Kind != protocol.FactHeld {
			t.Fatalf("took a %s", g.fact.Kind)
		}
	}
}

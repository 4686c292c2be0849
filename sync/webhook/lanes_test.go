package webhook_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/webhook"
)

// TestSlowEndpointDoesNotHoldTheOthers: one endpoint that does not answer
// (its handler blocks until the test lets it go) while another answers at
// once: the fast one gets every fact while the slow one still holds its
// first requests; let go, the slow one gets every fact too.
func TestSlowEndpointDoesNotHoldTheOthers(t *testing.T) {
	hs := openHub(t)
	const facts = 18
	release := make(chan struct{})
	var slowOnce sync.Once
	slowAsked := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slowOnce.Do(func() { close(slowAsked) })
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	letGo := sync.OnceFunc(func() { close(release) })
	defer slow.Close()
	defer letGo() // before slow.Close, which waits for its handlers
	fastGot := make(chan string, facts*2)
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fastGot <- r.Header.Get(webhook.HeaderFact)
	}))
	defer fast.Close()
	for id, url := range map[string]string{"slow": slow.URL, "fast": fast.URL} {
		if _, err := hs.AddWebhook(ctx, protocol.NewWebhook{ID: id, URL: url}, t0); err != nil {
			t.Fatal(err)
		}
	}
	orders(t, hs, 6, 1, t0) // 6 orders, 3 facts each, after the endpoints: they take facts from their start
	w := webhook.New(hs.SQLite, webhook.Options{Timeout: time.Hour, Parallel: 2})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- w.Run(runCtx) }()
	defer func() { stop(); <-done }()

	<-slowAsked
	seen := map[string]bool{}
	deadline := time.After(time.Minute)
	for len(seen) < facts {
		select {
		case id := <-fastGot:
			seen[id] = true
		case <-deadline:
			t.Fatalf("the fast endpoint got %d of %d facts while the slow one hung", len(seen), facts)
		}
	}
	delivered := func(id string) int {
		ds, err := hs.WebhookDeliveries(ctx, id, hub.DeliveryDelivered, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		return len(ds)
	}
	if n := delivered("slow"); n != 0 {
		t.Fatalf("the hung endpoint has %d deliveries recorded delivered", n)
	}
	// The fast endpoint's records land just after its answers.
	eventually(t, "the fast endpoint's deliveries recorded", func() bool { return delivered("fast") == facts })
	letGo()
	eventually(t, "the slow endpoint, let go, has every fact", func() bool { return delivered("slow") == facts })
	if len(fastGot) != 0 {
		t.Fatalf("%d facts went twice to the fast endpoint", len(fastGot))
	}
}

// eventually waits, up to a minute, for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(time.Minute)
	for !cond() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("waited a minute for %s", what)
		}
	}
}

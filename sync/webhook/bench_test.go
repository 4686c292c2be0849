package webhook_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/webhook"
)

func appendFact(b *testing.B, s hub.Store, i int) int64 {
	var id int64
	err := s.Tx(ctx, func(tx hub.StoreTx) error {
		f, err := tx.AppendFact(protocol.Fact{Order: fmt.Sprintf("SO-%d", i%200), Kind: protocol.FactShipped, At: time.Now(),
			Data: json.RawMessage(`{"shipment":"SH-1","carrier":"UPS","cartons":[{"tracking":"1Z999AA10123456784","tracking_source":"carrier","lines":[{"line":1,"qty":2}]}],"lines":[{"line":1,"qty":2}]}`)})
		id = f.ID
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return id
}

// BenchmarkOutbox: the bare outbox insert (one fact per committed
// transaction, as a state change writes it), next to facts committed the
// same way and delivered by the worker to a receiver on loopback, with
// the time from each fact's commit to its arrival (p50, p99).
func BenchmarkOutbox(b *testing.B) {
	b.Run("insert", func(b *testing.B) {
		hs := openHub(b)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			appendFact(b, hs.SQLite, i)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "facts/s")
	})
	b.Run("delivered", func(b *testing.B) {
		hs := openHub(b)
		var mu sync.Mutex
		arrived := map[int64]time.Time{}
		done := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			id, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderFact), 10, 64)
			mu.Lock()
			if _, seen := arrived[id]; !seen {
				arrived[id] = time.Now()
				if len(arrived) == b.N {
					close(done)
				}
			}
			mu.Unlock()
		}))
		defer srv.Close()
		if _, err := hs.AddWebhook(ctx, protocol.NewWebhook{ID: "oms", URL: srv.URL}, time.Now()); err != nil {
			b.Fatal(err)
		}
		w := webhook.New(hs.SQLite, webhook.Options{})
		run, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { _ = w.Run(run) })
		committed := make(map[int64]time.Time, b.N)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			id := appendFact(b, hs.SQLite, i)
			committed[id] = time.Now()
			w.Notify()
		}
		select {
		case <-done:
		case <-time.After(5 * time.Minute):
			b.Fatalf("%d of %d facts arrived", len(arrived), b.N)
		}
		b.StopTimer()
		stop()
		wg.Wait()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "facts/s")
		lat := make([]time.Duration, 0, b.N)
		for id, at := range committed {
			lat = append(lat, arrived[id].Sub(at))
		}
		slices.Sort(lat)
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
	})
	// backlog: the worker alone, delivering facts committed while it was
	// down (a receiver back after an outage): its own rate, without the
	// inserts competing for the store.
	b.Run("backlog", func(b *testing.B) {
		hs := openHub(b)
		var mu sync.Mutex
		arrived := map[int64]bool{}
		done := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			id, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderFact), 10, 64)
			mu.Lock()
			if !arrived[id] {
				arrived[id] = true
				if len(arrived) == b.N {
					close(done)
				}
			}
			mu.Unlock()
		}))
		defer srv.Close()
		if _, err := hs.AddWebhook(ctx, protocol.NewWebhook{ID: "oms", URL: srv.URL}, time.Now()); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			appendFact(b, hs.SQLite, i)
		}
		w := webhook.New(hs.SQLite, webhook.Options{})
		run, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		b.ResetTimer()
		wg.Go(func() { _ = w.Run(run) })
		select {
		case <-done:
		case <-time.After(5 * time.Minute):
			b.Fatalf("%d of %d facts arrived", len(arrived), b.N)
		}
		b.StopTimer()
		stop()
		wg.Wait()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "facts/s")
	})
}

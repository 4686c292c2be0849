package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// inMemoryImport is the order import as it was before it streamed: the
// whole body decoded into one list, then written. It is the baseline of
// BenchmarkOrderImport64MiB, served next to the hub on the same store.
func inMemoryImport(api hub.API) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body protocol.OrderImport
		if !decodeBody(w, r, &body) {
			return
		}
		for i, o := range body.Orders {
			if err := hub.CheckOrder(o); err != nil {
				http.Error(w, fmt.Sprintf("order %d: %v", i+1, err), http.StatusBadRequest)
				return
			}
		}
		res, err := api.ImportOrders(r.Context(), body.Orders, time.Now())
		answerWith(w, res, err)
	})
}

// decodeBody decodes the whole body into v, as the former handlers did,
// or answers 400.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return false
	}
	return true
}

// answerWith answers an import as the former handlers did.
func answerWith(w http.ResponseWriter, res protocol.ImportResult, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	_ = json.NewEncoder(w).Encode(res)
}

// counted counts the bytes read through it.
type counted struct {
	r io.Reader
	n int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// heapPeak samples the bytes of live and not yet swept heap objects
// (runtime/metrics, no stop of the world) until stop, and gives the most.
func heapPeak(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// resetPeakRSS starts the process's peak resident size (VmHWM) afresh
// (Linux: clear_refs 5); peakRSS reads it. 0 where there is no /proc.
func resetPeakRSS() {
	debug.FreeOSMemory()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

func peakRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkOrderImport64MiB imports a 64 MiB JSON body of about 230,000
// orders, made as it is sent (never held by the client), over loopback
// HTTP into a SQLite hub: streamed through the hub's own endpoint, and
// the in-memory baseline (the body decoded whole first) in the same run.
// It reports bytes allocated per import, the peak of the heap while it
// runs and the process's peak resident size, each next to the body size,
// and the streamed import's peaks over the baseline's.
//
//	go test -run '^$' -bench OrderImport64MiB -benchtime 1x ./sync/hub
func BenchmarkOrderImport64MiB(b *testing.B) {
	n := (64<<20 - 1024) / genOrderBytes
	importBench{path: "/admin/v1/orders", unit: "orders", records: n,
		body:     func() io.Reader { return jsonOrders(n) },
		want:     fmt.Sprintf(`"orders":%d`, n),
		baseline: inMemoryImport,
	}.run(b)
}

// importBench measures an import through the hub's endpoint against its
// former handler, which decoded the whole body first, in the same run:
// the streamed import first (a run after the baseline's gigabyte-sized
// heap measured its peak at twice what it takes alone), then the
// baseline, each on a hub of its own. The baseline's line gives the
// streamed import's peaks over its own.
type importBench struct {
	path     string           // the hub's endpoint
	body     func() io.Reader // a body, made as it is read
	records  int              // in a body
	unit     string           // what a record is: "orders"
	want     string           // what the answer to a good body says
	baseline func(hub.API) http.Handler
}

func (ib importBench) run(b *testing.B) {
	var streamed struct{ heap, rss float64 }
	for _, way := range []string{"streamed", "in-memory"} {
		b.Run(way, func(b *testing.B) {
			h := sitetest.NewHub(b, b.TempDir(), hubstore.Options{}, nil)
			if _, err := h.API.ImportReference(context.Background(), protocol.Reference{
				Locations: []protocol.Location{{Code: "A-01", Zone: "A", WalkSeq: 1}, {Code: "A-02", Zone: "A", WalkSeq: 2}},
				Items:     []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}, {SKU: "CAN-1", Description: "Candle", Location: "A-02"}}}); err != nil {
				b.Fatal(err)
			}
			url := h.URL + ib.path
			if way == "in-memory" {
				old := httptest.NewServer(ib.baseline(h.API))
				b.Cleanup(old.Close)
				url = old.URL
			}
			var body atomic.Int64
			send := func() {
				g := &counted{r: ib.body()}
				req, _ := http.NewRequest("POST", url, g)
				req.Header.Set("Authorization", "Bearer "+h.Admin)
				req.Header.Set(protocol.VersionHeader, "1")
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				out, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 || !strings.Contains(string(out), ib.want) {
					b.Fatalf("%s import answered %d: %.300s", way, resp.StatusCode, out)
				}
				body.Store(g.n)
			}
			runtime.GC()
			resetPeakRSS()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := make(chan struct{})
			peak := heapPeak(stop)
			b.ResetTimer()
			for b.Loop() {
				send()
			}
			b.StopTimer()
			close(stop)
			runtime.ReadMemStats(&after)
			heap := float64(max(<-peak, before.HeapAlloc) - before.HeapAlloc)
			rss := float64(peakRSS())
			size := float64(body.Load())
			mib := func(v float64) float64 { return v / (1 << 20) }
			alloc := float64(after.TotalAlloc-before.TotalAlloc) / float64(b.N)
			b.ReportMetric(mib(size), "body-MiB")
			b.ReportMetric(float64(ib.records), ib.unit)
			b.ReportMetric(mib(alloc), "alloc-MiB/import")
			b.ReportMetric(mib(heap), "peak-heap-MiB")
			b.ReportMetric(heap/size, "peak-heap/body")
			b.ReportMetric(mib(rss), "peak-RSS-MiB")
			b.ReportMetric(float64(ib.records)*float64(b.N)/b.Elapsed().Seconds(), ib.unit+"/s")
			if way == "streamed" {
				streamed.heap, streamed.rss = heap, rss
			} else if heap > 0 && rss > 0 && streamed.heap > 0 {
				b.ReportMetric(streamed.heap/heap, "streamed/in-memory-peak-heap")
				b.ReportMetric(streamed.rss/rss, "streamed/in-memory-peak-RSS")
			}
		})
	}
}

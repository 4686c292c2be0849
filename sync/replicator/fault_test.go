package replicator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"

	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// hubFaults sits in front of the hub's handler: it counts requests, answers
// some pushes with 5xx before applying them or after (applied, but the
// station is told it failed), and records the highest mark the hub ever
// acknowledged, whether or not the answer reached the station.
type hubFaults struct {
	requests atomic.Int64
	before   atomic.Int32 // percent of pushes answered 503 without applying
	after    atomic.Int32 // percent of pushes applied, then answered 500
	acked    atomic.Int64
	arrived  chan struct{} // a token per request, for the event generator's pace

	mu  sync.Mutex
	rng *rand.Rand
}

func newHubFaults() *hubFaults {
	return &hubFaults{rng: rand.New(rand.NewPCG(3, 5)), arrived: make(chan struct{}, 1)}
}

func (f *hubFaults) roll(pct int32) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rng.Int32N(100) < pct
}

func (f *hubFaults) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		select {
		case f.arrived <- struct{}{}:
		default:
		}
		if r.URL.Path != protocol.PathPush {
			h.ServeHTTP(w, r)
			return
		}
		if f.roll(f.before.Load()) {
			http.Error(w, `{"error":{"code":"unavailable","message":"injected 503"}}`, http.StatusServiceUnavailable)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code == http.StatusOK {
			var resp protocol.PushResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &resp); err == nil {
				for {
					old := f.acked.Load()
					if resp.Mark <= old || f.acked.CompareAndSwap(old, resp.Mark) {
						break
					}
				}
			}
			if f.roll(f.after.Load()) {
				http.Error(w, `{"error":{"code":"internal","message":"injected 500 after the apply"}}`, http.StatusInternalServerError)
				return
			}
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// TestFaultInjection runs a station against the hub through toxiproxy on
// loopback, in-process, while the station keeps recording: latency,
// resets before and after the hub applied, black-holed connections
// (timeouts), responses sliced into tiny pieces and cut short, requests cut
// short, a slow link, and 5xx before and after the apply. Then the faults
// stop and the checker runs over the whole run: every event the hub ever
// acknowledged is there exactly once, in the station's order, identical to
// what the station recorded, and nothing else is.
func TestFaultInjection(t *testing.T) { sitetest.OnEachStore(t, testFaultInjection) }

func testFaultInjection(t *testing.T, kind sitetest.Kind) {
	faults := newHubFaults()
	r := newRigOn(t, kind, faults.wrap)
	if err := r.st.LoadSite(ctx, r.site); err != nil {
		t.Fatal(err)
	}

	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	proxy := toxiproxy.NewProxy(srv, "hub", "127.0.0.1:0", strings.TrimPrefix(r.hub.URL, "http://"))
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Stop)

	// A connection per request, so each request meets a toxic with its
	// toxicity (toxiproxy decides per connection).
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	rep, ss, stop := start(t, r.st, replicator.Options{Hub: "http://" + proxy.Listen, Token: r.token, Client: client,
		BatchSize: 40, RequestTimeout: 700 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, PullInterval: 30 * time.Millisecond})

	// The station records a shift while all this happens, paced by the
	// traffic (a commit of 1-12 events per request the hub sees).
	const total = 3000
	genDone := make(chan error, 1)
	genCtx, genStop := context.WithCancel(ctx)
	defer genStop()
	go func() {
		rng := rand.New(rand.NewPCG(9, 9))
		made := 0
		for made < total {
			select {
			case <-genCtx.Done():
				genDone <- genCtx.Err()
				return
			case <-faults.arrived:
			}
			n := min(1+rng.IntN(12), total-made)
			evs := sitetest.Shift(r.site, made, n)
			if _, err := r.st.Commit(ctx, time.Now(), evs, nil); err != nil {
				genDone <- err
				return
			}
			made += n
			rep.Kick()
		}
		genDone <- nil
	}()

	type phase struct {
		name   string
		toxics []string // toxiproxy toxic JSON
		before int32
		after  int32
		bites  string // what the replicator must have seen fail in this phase, "" for slow-only faults
	}
	phases := []phase{
		{name: "latency", toxics: []string{
			`{"name":"lat-up","type":"latency","stream":"upstream","attributes":{"latency":40,"jitter":30}}`,
			`{"name":"lat-down","type":"latency","stream":"downstream","attributes":{"latency":40,"jitter":30}}`}},
		{name: "reset after the hub applied", toxics: []string{
			`{"name":"reset-down","type":"reset_peer","stream":"downstream","toxicity":0.5,"attributes":{"timeout":0}}`}, bites: "hub unreachable"},
		{name: "reset before the hub reads", toxics: []string{
			`{"name":"reset-up","type":"reset_peer","stream":"upstream","toxicity":0.4,"attributes":{"timeout":0}}`}, bites: "hub unreachable"},
		{name: "timeouts (black hole)", toxics: []string{
			`{"name":"hole","type":"timeout","stream":"downstream","toxicity":0.4,"attributes":{"timeout":0}}`}, bites: "hub unreachable"},
		// Slices of about 48 bytes, not 12: toxiproxy's slicer cannot be
		// interrupted while it waits to hand on a slice, so a response cut
		// in thousands of slices that outlives the request's timeout left
		// it waiting on a closed connection, and ResetToxics waited for it
		// for ever (seen once, on a loaded machine).
		{name: "sliced responses", toxics: []string{
			`{"name":"slice","type":"slicer","stream":"downstream","attributes":{"average_size":48,"size_variation":40,"delay":20}}`}},
		{name: "truncated responses", toxics: []string{
			`{"name":"cut-down","type":"limit_data","stream":"downstream","toxicity":0.5,"attributes":{"bytes":300}}`}, bites: "hub unreachable"},
		{name: "truncated requests", toxics: []string{
			`{"name":"cut-up","type":"limit_data","stream":"upstream","toxicity":0.4,"attributes":{"bytes":1500}}`}, bites: "hub unreachable"},
		{name: "slow link", toxics: []string{
			`{"name":"bw","type":"bandwidth","stream":"upstream","attributes":{"rate":200}}`}},
		{name: "503 before the apply", before: 40, bites: "hub error (503)"},
		{name: "500 after the apply", after: 40, bites: "hub error (500)"},
		{name: "everything at once", before: 15, after: 15, toxics: []string{
			`{"name":"all-lat","type":"latency","stream":"downstream","attributes":{"latency":20,"jitter":20}}`,
			`{"name":"all-reset","type":"reset_peer","stream":"downstream","toxicity":0.2,"attributes":{"timeout":0}}`,
			`{"name":"all-cut","type":"limit_data","stream":"downstream","toxicity":0.2,"attributes":{"bytes":200}}`,
			`{"name":"all-slice","type":"slicer","stream":"upstream","attributes":{"average_size":64,"size_variation":32,"delay":10}}`}},
	}
	for _, p := range phases {
		mark0 := ss.count()
		for _, tx := range p.toxics {
			if _, err := proxy.Toxics.AddToxicJson(bytes.NewBufferString(tx)); err != nil {
				t.Fatalf("%s: %v", p.name, err)
			}
		}
		faults.before.Store(p.before)
		faults.after.Store(p.after)
		// Each phase lasts until the hub has seen 25 more requests and, for
		// a fault that fails requests, until the replicator has met it: a
		// toxic only bites requests that reach it (a cut at 1,500 bytes
		// only pushes that long, and the phase's 25 requests may be mostly
		// pulls), and once in CI one phase ended before it had.
		seen := faults.requests.Load()
		bit := func(s replicator.Status) bool { return strings.HasPrefix(s.LastError, p.bites) }
		sitetest.WaitFor(t, 60*time.Second, fmt.Sprintf("traffic in phase %s, with the replicator seeing %q", p.name, p.bites), func() bool {
			return faults.requests.Load() >= seen+25 && (p.bites == "" || ss.anySince(mark0, bit))
		})
		proxy.Toxics.ResetToxics(ctx)
		faults.before.Store(0)
		faults.after.Store(0)
		// The station never believes the hub holds more than it does.
		pushed := syncState(t, r.st).Pushed
		mark := sitetest.Mark(t, r.hub.API, station)
		if pushed > mark {
			t.Fatalf("after %s: the station counts %d acknowledged, the hub holds %d", p.name, pushed, mark)
		}
		t.Logf("%-28s hub mark %5d, station pushed %5d, recorded %5d", p.name, mark, pushed, syncState(t, r.st).LastSeq)
	}
	// Faults over: everything drains.
	select {
	case err := <-genDone:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the station did not finish recording its shift")
	}
	rep.Kick()
	sitetest.WaitFor(t, 60*time.Second, "the journal to drain", func() bool { return syncState(t, r.st).Waiting == 0 })
	// The store drains when the last acknowledgement commits; the status
	// is published just after it.
	sitetest.WaitFor(t, 10*time.Second, "the status to show the drained journal, online and without error", func() bool {
		st := ss.last()
		return st.Online && st.LastError == "" && st.Waiting == 0
	})
	stop()
	mark := sitetest.Check(t, r.hub.API, r.st, faults.acked.Load())
	if mark != total {
		t.Fatalf("hub mark %d, want %d", mark, total)
	}
	if st := ss.last(); st.Stopped != "" {
		t.Fatalf("sync stopped: %s", st.Stopped)
	}
	t.Logf("%d events, hub acknowledged up to %d, %d requests", total, faults.acked.Load(), faults.requests.Load())
}

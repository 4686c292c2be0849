package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// defaultPullInterval is the replicator's default pull interval.
const defaultPullInterval = 10 * time.Second

// BenchmarkToteReachesBench measures, on loopback with the replicator's
// default intervals, how long from a cart's pick into a tote (committed,
// then a Kick, as a running cart does) until a pack bench on another
// station can scan that tote, next to a push and a pull round trip alone
// (one event; an empty page), measured in the same run:
//
//	go test ./cmd/tote -run '^$' -bench ToteReachesBench -benchtime 30x
//
// tote-p50/p99 against push-p99 and pull-p99: the tote waits for the
// bench's next pull, so with polling it is about the pull interval.
func BenchmarkToteReachesBench(b *testing.B) {
	dir := b.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hs, url, tokens := loopbackHub(b, ctx, dir, "CART-01", "PACK-01", "PROBE-01")
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	if _, err := hub.ImportSite(ctx, hs, protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "CART-01"), time.Now()); err != nil {
		b.Fatal(err)
	}
	run := func(id, bench string) (*store.Store, *replicator.Replicator, chan struct{}) {
		st, err := store.Open(ctx, filepath.Join(dir, id+".db"), id)
		if err != nil {
			b.Fatal(err)
		}
		ch := make(chan struct{}, 1)
		rep, err := replicator.New(st, replicator.Options{Hub: url, Token: tokens[id], Bench: bench,
			OnStatus: func(replicator.Status) {
				select {
				case ch <- struct{}{}:
				default:
				}
			}})
		if err != nil {
			b.Fatal(err)
		}
		rctx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { rep.Run(rctx); close(done) }()
		b.Cleanup(func() { stop(); <-done; st.Close() })
		return st, rep, ch
	}
	cart, cartRep, cartCh := run("CART-01", protocol.BenchPick)
	bench, _, benchCh := run("PACK-01", protocol.BenchPack)
	wait := func(ch chan struct{}, what string, cond func() bool) {
		deadline := time.After(60 * time.Second)
		for !cond() {
			select {
			case <-ch:
			case <-deadline:
				b.Fatalf("%s: not within 60 s", what)
			}
		}
	}
	wait(cartCh, "the cart's wave", func() bool {
		var n int
		cart.DB().R.QueryRow(`SELECT COUNT(*) FROM pick_tasks`).Scan(&n)
		return n == len(site.Tasks)
	})
	// One task of each order: each fills its own tote.
	var tasks []floor.PickTask
	for _, t := range site.Tasks {
		if !slices.ContainsFunc(tasks, func(x floor.PickTask) bool { return x.OrderID == t.OrderID }) {
			tasks = append(tasks, t)
		}
	}
	if b.N > len(tasks) {
		b.Fatalf("the demo site has %d orders: run at most -benchtime %dx", len(tasks), len(tasks))
	}
	wait(benchCh, "the bench's first pull", func() bool { return bench.OfficeNews() > 0 })

	var tote, push, pull latencies
	b.ResetTimer()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < b.N; i++ {
		t := tasks[i]
		// Picks land at any moment of the bench's pull cycle, not just
		// after a pull (the previous tote's arrival): a random phase.
		b.StopTimer()
		<-time.After(time.Duration(rng.Int64N(int64(defaultPullInterval))))
		b.StartTimer()
		code := fmt.Sprintf("T%05d", 90000+i)
		start := time.Now()
		unit := floor.UnitsPayload{Qty: 1, Tote: code,
			TaskPayload: floor.TaskPayload{Task: t.ID, Order: t.OrderID, Line: t.LineNo, Location: t.Location, SKU: t.SKU}}
		if _, err := cart.Commit(ctx, start, []floor.Event{floor.NewEvent(floor.EvUnitsPicked, "B1001", unit)}, nil); err != nil {
			b.Fatal(err)
		}
		cartRep.Kick()
		wait(benchCh, "the tote at the bench", func() bool {
			o, known, err := bench.ToteOrder(ctx, code)
			return err == nil && known && o == t.OrderID
		})
		tote = append(tote, time.Since(start))
	}
	b.StopTimer()
	// The round trips alone, as a station sends them.
	probe := func(method, path string, body []byte) time.Duration {
		req, _ := http.NewRequest(method, url+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokens["PROBE-01"])
		req.Header.Set(protocol.VersionHeader, strconv.Itoa(protocol.Version))
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var page protocol.PullResponse
		json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s %s: %d", method, path, resp.StatusCode)
		}
		return time.Since(start)
	}
	_, _, cursor := func() (int, int, string) {
		var c string
		for {
			req, _ := http.NewRequest("GET", url+protocol.PathPull+"?limit=5000&cursor="+c, nil)
			req.Header.Set("Authorization", "Bearer "+tokens["PROBE-01"])
			req.Header.Set(protocol.VersionHeader, "1")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var page protocol.PullResponse
			json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			c = page.Cursor
			if !page.More {
				return 0, 0, c
			}
		}
	}()
	for i := 1; i <= 200; i++ {
		ev := protocol.Event{Station: "PROBE-01", Seq: int64(i), ID: fmt.Sprintf("probe-%d", i), DeviceTime: time.Now(),
			Type: string(floor.EvScanRejected), Payload: json.RawMessage(`{"step":"item","input":"X","reason":"probe"}`)}
		body, _ := json.Marshal(protocol.PushRequest{Station: "PROBE-01", Events: []protocol.Event{ev}})
		push = append(push, probe("POST", protocol.PathPush, body))
		pull = append(pull, probe("GET", protocol.PathPull+"?cursor="+cursor, nil))
	}
	tote.report(b, "tote-")
	push.report(b, "push-")
	pull.report(b, "pull-")
	b.ReportMetric(tote.at(0.99)/pull.at(0.99), "tote-p99/pull-p99")
}

// latencies are durations, reported as p50 and p99.
type latencies []time.Duration

func (l latencies) at(q float64) float64 {
	s := slices.Clone(l)
	slices.Sort(s)
	return float64(s[int(q*float64(len(s)-1))].Nanoseconds())
}

func (l latencies) report(b *testing.B, prefix string) {
	if len(l) == 0 {
		return
	}
	b.ReportMetric(l.at(0.50), prefix+"p50-ns")
	b.ReportMetric(l.at(0.99), prefix+"p99-ns")
}

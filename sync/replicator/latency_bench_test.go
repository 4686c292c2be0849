package replicator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// appliedJournal is the station's store, telling when each pull page was
// applied (its transaction committed) and what it held.
type appliedJournal struct {
	*store.Store
	applied chan appliedPage
}

type appliedPage struct {
	at time.Time
	p  store.Pulled
}

func (j appliedJournal) ApplyPull(ctx context.Context, p store.Pulled) (store.PullSummary, error) {
	sum, err := j.Store.ApplyPull(ctx, p)
	if err == nil && len(p.Changes) > 0 {
		j.applied <- appliedPage{time.Now(), p}
	}
	return sum, err
}

// until reads applied pages until one satisfies has, and returns when it
// was applied.
func (j appliedJournal) until(b *testing.B, what string, has func(store.Change) bool) time.Time {
	b.Helper()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for {
		select {
		case a := <-j.applied:
			if slices.ContainsFunc(a.p.Changes, has) {
				return a.at
			}
		case <-timeout.C:
			b.Fatalf("%s did not reach the station within a minute", what)
		}
	}
}

// BenchmarkNewsToStation measures how long the office's news takes to be
// applied in a station's store, with the replicator's defaults (push
// every 2 s, pull interval 10 s, waiting pulls of 25 s) against a real
// hub on loopback: from the start of the admin action at the hub (its
// commit included) to the station's pull transaction that applied it.
// Each iteration releases a new one-order wave to the station, holds the
// order, then cancels it. In the same run it times the bare round trips
// of another station: one pull with nothing new, and one push of one
// event (the hub's durable commit included). It reports p50 and p99 of
// each, in milliseconds. Run it with -benchtime 200x (p99 needs 100
// samples or more).
func BenchmarkNewsToStation(b *testing.B) {
	for _, kind := range sitetest.Kinds {
		b.Run(string(kind), func(b *testing.B) { benchNewsToStation(b, kind) })
	}
}

func benchNewsToStation(b *testing.B, kind sitetest.Kind) {
	dir := b.TempDir()
	h := sitetest.NewHubOn(b, kind, dir, hubstore.Options{}, nil)
	site := demo.Site(1, time.Now())
	token := sitetest.Register(b, h.API, station)
	sitetest.Import(b, h.API, sitetest.ImportOf(site, station))
	rt := newRoundTrips(b, h)

	j := appliedJournal{Store: sitetest.OpenStation(b, dir+"/station.db", station), applied: make(chan appliedPage, 1024)}
	rep, err := replicator.New(j, replicator.Options{Hub: h.URL, Token: token})
	if err != nil {
		b.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { rep.Run(c); close(done) }()
	defer func() { cancel(); <-done }()
	j.until(b, "the first pull", func(ch store.Change) bool { return ch.Task != nil })

	var wave, hold, cancelled, pull, push []time.Duration
	tmpl := protocol.OrderOf(site.Orders[0])
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o := tmpl
		o.ID, o.Status, o.Holds = fmt.Sprintf("SO-B%06d", i), "", nil
		w := fmt.Sprintf("W-B%06d", i)

		t0 := time.Now()
		if _, err := h.API.ImportOrders(ctx, []protocol.Order{o}, time.Now()); err != nil {
			b.Fatal(err)
		}
		if _, err := h.API.CreateWave(ctx, protocol.NewWave{ID: w, Orders: []string{o.ID}, Station: station}, time.Now()); err != nil {
			b.Fatal(err)
		}
		wave = append(wave, j.until(b, "wave "+w, func(ch store.Change) bool { return ch.Task != nil && ch.Task.WaveID == w }).Sub(t0))

		t0 = time.Now()
		if err := h.API.PlaceHold(ctx, o.ID, protocol.Hold{Reason: "BENCH"}, time.Now()); err != nil {
			b.Fatal(err)
		}
		hold = append(hold, j.until(b, "the hold on "+o.ID, func(ch store.Change) bool { return ch.Holds != nil && ch.Holds.Order == o.ID }).Sub(t0))

		t0 = time.Now()
		if err := h.API.CancelOrder(ctx, o.ID, "bench", time.Now()); err != nil {
			b.Fatal(err)
		}
		cancelled = append(cancelled, j.until(b, "the cancellation of "+o.ID, func(ch store.Change) bool { return ch.Cancel != nil && ch.Cancel.Order == o.ID }).Sub(t0))

		pull = append(pull, rt.pull(b))
		push = append(push, rt.push(b, int64(i+1)))
	}
	b.StopTimer()
	reportQuantiles(b, "wave", wave)
	reportQuantiles(b, "hold", hold)
	reportQuantiles(b, "cancel", cancelled)
	reportQuantiles(b, "pull-rt", pull)
	reportQuantiles(b, "push-rt", push)
}

// reportQuantiles reports the p50 and p99 of ds in milliseconds.
func reportQuantiles(b *testing.B, name string, ds []time.Duration) {
	slices.Sort(ds)
	q := func(p float64) float64 { return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))]) / 1e6 }
	b.ReportMetric(q(0.50), name+"-p50-ms")
	b.ReportMetric(q(0.99), name+"-p99-ms")
}

// roundTrips times bare exchanges with the hub as another station, RT-01,
// registered with nothing in its slice but the reference data.
type roundTrips struct {
	url, token, cursor string
}

func newRoundTrips(b *testing.B, h *sitetest.Hub) *roundTrips {
	rt := &roundTrips{url: h.URL, token: sitetest.Register(b, h.API, "RT-01")}
	for more := true; more; {
		var resp protocol.PullResponse
		rt.get(b, &resp)
		rt.cursor, more = resp.Cursor, resp.More
	}
	return rt
}

func (rt *roundTrips) get(b *testing.B, out *protocol.PullResponse) {
	q := url.Values{"cursor": {rt.cursor}}
	rt.do(b, http.MethodGet, protocol.PathPull+"?"+q.Encode(), nil, out)
}

// pull times one pull with nothing new.
func (rt *roundTrips) pull(b *testing.B) time.Duration {
	var resp protocol.PullResponse
	t0 := time.Now()
	rt.get(b, &resp)
	d := time.Since(t0)
	if len(resp.Changes) != 0 {
		b.Fatalf("RT-01 pulled %d changes", len(resp.Changes))
	}
	return d
}

// push times one push of one event, seq.
func (rt *roundTrips) push(b *testing.B, seq int64) time.Duration {
	ev := floor.NewEvent(floor.EvScanRejected, "B1001", floor.RejectPayload{Step: "item", Input: "X0000001", Reason: "not the item this task wants"})
	body, err := json.Marshal(protocol.PushRequest{Station: "RT-01", Events: []protocol.Event{{Station: "RT-01", Seq: seq, ID: fmt.Sprintf("rt-%06d", seq),
		Operator: "B1001", DeviceTime: time.Now().UTC(), Type: string(ev.Type), Payload: ev.Payload}}})
	if err != nil {
		b.Fatal(err)
	}
	var resp protocol.PushResponse
	t0 := time.Now()
	rt.do(b, http.MethodPost, protocol.PathPush, body, &resp)
	d := time.Since(t0)
	if resp.Mark != seq {
		b.Fatalf("RT-01's push of %d: mark %d", seq, resp.Mark)
	}
	return d
}

func (rt *roundTrips) do(b *testing.B, method, path string, body []byte, out any) {
	req, err := http.NewRequest(method, rt.url+path, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+rt.token)
	req.Header.Set(protocol.VersionHeader, "1")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		b.Fatal(err)
	}
}

package replicator_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"

	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestOfflineShift: the station loses the hub for a whole shift (the proxy
// between them is down: connections refused) and records 6,000 events over
// eight hours of its clock. The status says offline, with the whole shift
// waiting and the oldest event eight hours old. Meanwhile the office holds
// an order. When the network returns the backlog drains, the pulls resume,
// and the hold arrives.
func TestOfflineShift(t *testing.T) {
	r := newRig(t, nil)
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	proxy := toxiproxy.NewProxy(srv, "hub", "127.0.0.1:0", strings.TrimPrefix(r.hub.URL, "http://"))
	if err := proxy.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Stop)

	shiftStart := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	var clock atomic.Int64 // the station's clock, moved by the test
	clock.Store(shiftStart.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }

	rep, ss, _ := start(t, r.st, replicator.Options{Hub: "http://" + proxy.Listen, Token: r.token, Now: now,
		RequestTimeout: time.Second, MaxBackoff: 100 * time.Millisecond})
	sitetest.WaitFor(t, 20*time.Second, "the morning pull", func() bool {
		return count(t, r.st, `SELECT COUNT(*) FROM pick_tasks`) == len(r.site.Tasks)
	})
	morningPull := syncState(t, r.st).LastPull

	proxy.Stop() // the network goes
	const total = 6000
	const shift = 8 * time.Hour
	evs := sitetest.Shift(r.site, 0, total)
	for i := 0; i < total; i += 20 {
		clock.Store(shiftStart.Add(shift * time.Duration(i) / total).UnixNano())
		if _, err := r.st.Commit(ctx, now(), evs[i:i+20], nil); err != nil {
			t.Fatal(err)
		}
		rep.Kick()
	}
	clock.Store(shiftStart.Add(shift).UnixNano())
	held := r.site.Orders[7].ID
	if err := r.hub.API.PlaceHold(ctx, held, protocol.Hold{Reason: "HIGH_RISK_OF_FRAUD"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	rep.Kick()
	sitetest.WaitFor(t, 20*time.Second, "the status to show the shift waiting, offline", func() bool {
		s := ss.last()
		return !s.Online && s.Waiting == total && s.OldestAge >= shift-time.Minute && strings.HasPrefix(s.LastError, "hub unreachable")
	})
	if s := syncState(t, r.st); s.Pushed != 0 || !s.LastPull.Equal(morningPull) {
		t.Fatalf("offline, the sync state moved: %+v", s)
	}

	if err := proxy.Start(); err != nil { // the network returns
		t.Fatal(err)
	}
	sitetest.WaitFor(t, 60*time.Second, "the backlog to drain", func() bool { return syncState(t, r.st).Waiting == 0 })
	sitetest.WaitFor(t, 20*time.Second, "the hold to arrive", func() bool {
		gate, _ := r.st.LabelGate(ctx, held)
		return gate == "order on hold: HIGH_RISK_OF_FRAUD"
	})
	sitetest.WaitFor(t, 20*time.Second, "the status to show it", func() bool {
		s := ss.last()
		return s.Online && s.Waiting == 0 && s.OldestAge == 0 && s.LastError == "" && s.LastPull.After(morningPull) &&
			strings.Contains(s.News, held+" (HIGH_RISK_OF_FRAUD)")
	})
	sitetest.Check(t, r.hub.API, r.st, total)
}

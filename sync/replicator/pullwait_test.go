package replicator_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// within bounds every wait for a condition here: generous, since a first
// pull of the demo site under -race on a busy machine takes tens of
// seconds.
const within = 2 * time.Minute

// pullLog records the pulls that reach the hub: when, with which wait,
// and how many waiting ones are under way.
type pullLog struct {
	mu      sync.Mutex
	pulls   []pullSeen
	waiting int
}

type pullSeen struct {
	at   time.Time
	wait string
}

func (l *pullLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != protocol.PathPull {
			h.ServeHTTP(w, r)
			return
		}
		wait := r.URL.Query().Get(protocol.ParamWait)
		l.mu.Lock()
		l.pulls = append(l.pulls, pullSeen{time.Now(), wait})
		if wait != "" {
			l.waiting++
		}
		l.mu.Unlock()
		defer func() {
			if wait != "" {
				l.mu.Lock()
				l.waiting--
				l.mu.Unlock()
			}
		}()
		h.ServeHTTP(w, r)
	})
}

func (l *pullLog) seen() []pullSeen {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]pullSeen(nil), l.pulls...)
}

func (l *pullLog) waitingNow() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.waiting
}

func (r *rig) holdArrived(order, reason string) func() bool {
	return func() bool {
		gate, _ := r.st.LabelGate(ctx, order)
		return strings.Contains(gate, reason)
	}
}

// With a pull interval of an hour, only a waiting pull can bring the
// hold and the cancellation: they arrive while the hub holds the pull.
func TestPullWaitBringsNewsAtOnce(t *testing.T) {
	sitetest.OnEachStore(t, func(t *testing.T, kind sitetest.Kind) {
		var log pullLog
		r := newRigOn(t, kind, log.wrap)
		start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token, PullInterval: time.Hour})
		sitetest.WaitFor(t, within, "a pull waiting at the hub", func() bool { return log.waitingNow() > 0 })
		held, cancelled := r.site.Orders[4].ID, r.site.Tasks[0].OrderID
		if err := r.hub.API.PlaceHold(ctx, held, protocol.Hold{Reason: "FRAUD_CHECK"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		sitetest.WaitFor(t, within, "the hold to arrive", r.holdArrived(held, "FRAUD_CHECK"))
		if err := r.hub.API.CancelOrder(ctx, cancelled, "customer asked", time.Now()); err != nil {
			t.Fatal(err)
		}
		sitetest.WaitFor(t, within, "the cancellation to arrive", r.holdArrived(cancelled, "order cancelled centrally"))
		pulls := log.seen()
		if pulls[0].wait != "" {
			t.Errorf("the first pull asked to wait (%q) before the hub offered it", pulls[0].wait)
		}
		if pulls[len(pulls)-1].wait != "25s" {
			t.Errorf("the latest pull asked to wait %q, want the default 25s", pulls[len(pulls)-1].wait)
		}
	})
}

// A hold placed through another hub process on the same database (two
// `tote hub` on one PostgreSQL, or on one SQLite file) rings no bell in
// the hub the station waits at: its re-check of the feed finds it.
func TestPullWaitSeesAnotherHubsCommit(t *testing.T) {
	sitetest.OnEachStore(t, func(t *testing.T, kind sitetest.Kind) {
		var log pullLog
		r := newRigOn(t, kind, log.wrap)
		other := r.hub.Another(t)
		start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token, PullInterval: time.Hour})
		sitetest.WaitFor(t, within, "a pull waiting at the hub", func() bool { return log.waitingNow() > 0 })
		held := r.site.Orders[1].ID
		if err := other.PlaceHold(ctx, held, protocol.Hold{Reason: "OTHER_HUB"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		// The pull interval is an hour: only the waiting pull can bring it.
		sitetest.WaitFor(t, within, "the other hub's hold to arrive", r.holdArrived(held, "OTHER_HUB"))
	})
}

// A pull waiting at the hub never delays a push: an event committed
// while the pull waits reaches the hub while the same pull still waits.
func TestPullWaitDoesNotDelayPush(t *testing.T) {
	var log pullLog
	r := newRig(t, log.wrap)
	rep, _, _ := start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token, PushInterval: time.Hour, PullInterval: time.Hour})
	sitetest.WaitFor(t, within, "a pull waiting at the hub", func() bool { return log.waitingNow() > 0 })
	before := len(log.seen())
	sitetest.CommitShift(t, r.st, r.site, 0, 3, 3)
	rep.Kick()
	sitetest.WaitFor(t, within, "the push to be acknowledged", func() bool { return syncState(t, r.st).Waiting == 0 })
	if n := len(log.seen()); n != before || log.waitingNow() != 1 {
		t.Fatalf("the push went through with %d new pulls and %d waiting: it should not touch the waiting pull", n-before, log.waitingNow())
	}
}

// A hub that does not wait (as one older than waiting) offers no wait:
// the station pulls every pull_interval, never asking to wait, and still
// gets its news.
func TestPullWaitFallsBackToInterval(t *testing.T) {
	var log pullLog
	r := newRigWith(t, hub.Options{MaxPullWait: -1}, log.wrap)
	const interval = 100 * time.Millisecond
	start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token, PullInterval: interval})
	sitetest.WaitFor(t, within, "six pulls", func() bool { return len(log.seen()) >= 6 })
	held := r.site.Orders[2].ID
	if err := r.hub.Store.PlaceHold(ctx, held, protocol.Hold{Reason: "CREDIT"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	sitetest.WaitFor(t, within, "the hold to arrive", r.holdArrived(held, "CREDIT"))
	pulls := log.seen()
	for i, p := range pulls {
		if p.wait != "" {
			t.Fatalf("pull %d asked to wait %q at a hub that does not wait", i, p.wait)
		}
		if i > 0 && p.at.Sub(pulls[i-1].at) < interval {
			t.Fatalf("pulls %d and %d came %v apart, inside the %v interval", i-1, i, p.at.Sub(pulls[i-1].at), interval)
		}
	}
}

// newRigWith is newRig with the hub server's options.
func newRigWith(t *testing.T, hopts hub.Options, wrap func(http.Handler) http.Handler) *rig {
	t.Helper()
	r := newRig(t, nil)
	r.hub = sitetest.NewHubWith(t, t.TempDir(), hubstore.Options{}, hopts, wrap)
	r.token = sitetest.Register(t, r.hub.Store, station)
	sitetest.Import(t, r.hub.Store, sitetest.ImportOf(r.site, station))
	return r
}

// hubAt serves the rig's hub store on addr (a real `tote hub` shutdown
// when stopped) until the returned stop is called.
func hubAt(t *testing.T, r *rig, addr string, wrap func(http.Handler) http.Handler) (stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	srv := hub.NewServer(r.hub.Store, hub.Options{})
	context.AfterFunc(c, srv.Drain) // what Serve's Shutdown does, through the wrapper
	go func() { done <- hub.Serve(c, ln, wrap(srv)) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
				t.Errorf("the hub's shutdown: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// A hub that goes away: the waiting pull ends with the hub's shutdown,
// the station backs off and pulls without waiting until the hub answers
// again, then waits again, and news still arrive with no pull interval.
func TestPullWaitHubAwayAndBack(t *testing.T) {
	var log pullLog
	r := newRig(t, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	stopHub := hubAt(t, r, addr, log.wrap)
	_, ss, _ := start(t, r.st, replicator.Options{Hub: "http://" + addr, Token: r.token, PullInterval: time.Hour})
	sitetest.WaitFor(t, within, "a pull waiting at the hub", func() bool { return log.waitingNow() > 0 })

	stopHub()
	sitetest.WaitFor(t, within, "the station to see the hub gone", func() bool {
		return strings.Contains(ss.last().LastError, "hub unreachable")
	})
	held := r.site.Orders[3].ID
	if err := r.hub.Store.PlaceHold(ctx, held, protocol.Hold{Reason: "WHILE_AWAY"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	before := len(log.seen())
	hubAt(t, r, addr, log.wrap)
	sitetest.WaitFor(t, within, "the hold placed while the hub was away", r.holdArrived(held, "WHILE_AWAY"))
	sitetest.WaitFor(t, within, "a pull waiting at the hub again", func() bool { return log.waitingNow() > 0 })
	if back := log.seen()[before:]; back[0].wait != "" {
		t.Errorf("the first pull after the hub came back asked to wait %q before the hub offered it", back[0].wait)
	}
	cancelled := r.site.Tasks[0].OrderID
	if err := r.hub.Store.CancelOrder(ctx, cancelled, "customer asked", time.Now()); err != nil {
		t.Fatal(err)
	}
	sitetest.WaitFor(t, within, "the cancellation", r.holdArrived(cancelled, "order cancelled centrally"))
}

// Stopping the station ends a pull waiting at the hub at once: here the
// hub would hold it for an hour.
func TestPullWaitEndsWithTheStation(t *testing.T) {
	var log pullLog
	r := newRigWith(t, hub.Options{MaxPullWait: time.Hour}, log.wrap)
	_, _, stop := start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token, PullInterval: time.Hour, PullWait: time.Hour})
	sitetest.WaitFor(t, within, "a pull waiting at the hub", func() bool { return log.waitingNow() > 0 })
	if w := log.seen()[len(log.seen())-1].wait; w != "1h0m0s" {
		t.Fatalf("the pull asked to wait %q, want 1h0m0s", w)
	}
	stop() // returns once Run has: the wait did not hold it
	sitetest.WaitFor(t, within, "the hub to let the pull go", func() bool { return log.waitingNow() == 0 })
}

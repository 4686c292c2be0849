package replicator_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// lateReader is the station's store with one slow read: the sync state read
// right after the first applied pull is held until a read that began after
// it has finished (or a second passed), then answered with what it read
// first — the pull loop publishing a count taken before a commit the push
// loop has already shown.
type lateReader struct {
	*store.Store
	armed, used atomic.Bool
	held        chan struct{} // closed while the late read holds its count
	holding     atomic.Bool
	later       chan struct{} // a read that began after held finished
}

func (j *lateReader) ApplyPull(ctx context.Context, p store.Pulled) (store.PullSummary, error) {
	sum, err := j.Store.ApplyPull(ctx, p)
	if err == nil && j.used.CompareAndSwap(false, true) {
		j.armed.Store(true)
	}
	return sum, err
}

func (j *lateReader) SyncState(ctx context.Context) (store.SyncState, error) {
	if j.armed.CompareAndSwap(true, false) {
		st, err := j.Store.SyncState(ctx)
		j.holding.Store(true)
		close(j.held)
		select {
		case <-j.later:
		case <-time.After(time.Second):
		}
		j.holding.Store(false)
		return st, err
	}
	began := j.holding.Load()
	st, err := j.Store.SyncState(ctx)
	if began {
		select {
		case j.later <- struct{}{}:
		default:
		}
	}
	return st, err
}

// TestWaitingCountNeverGoesStale: the push and pull loops both publish the
// waiting count. A count the pull loop read before new events were
// committed must never be shown after the push loop showed them waiting:
// with the hub refusing pushes, the status bar would say fewer events wait
// than do, until some later refresh.
func TestWaitingCountNeverGoesStale(t *testing.T) {
	pullGate := make(chan struct{})
	r := newRig(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			switch req.URL.Path {
			case protocol.PathPush:
				http.Error(w, `{"error":{"code":"unavailable","message":"injected 503"}}`, http.StatusServiceUnavailable)
			case protocol.PathPull:
				<-pullGate
				h.ServeHTTP(w, req)
			default:
				h.ServeHTTP(w, req)
			}
		})
	})
	if err := r.st.LoadSite(ctx, r.site); err != nil {
		t.Fatal(err)
	}
	sitetest.CommitShift(t, r.st, r.site, 0, 3, 3)
	j := &lateReader{Store: r.st, held: make(chan struct{}), later: make(chan struct{}, 1)}
	// Long waits: after the first push fails, the loops stay quiet but for
	// the test's kick.
	rep, ss, _ := start(t, j, replicator.Options{Hub: r.hub.URL, Token: r.token,
		PushInterval: time.Hour, PullInterval: time.Hour, MinBackoff: time.Hour, MaxBackoff: time.Hour})

	// The push failed and its refresh was published: the push loop waits
	// out its backoff. Only now may the pull go.
	sitetest.WaitFor(t, 10*time.Second, "the refused push and its refresh", func() bool {
		n := 0
		ss.anySince(0, func(s replicator.Status) bool {
			if strings.HasPrefix(s.LastError, "hub error (503)") {
				n++
			}
			return false
		})
		return n >= 2
	})
	close(pullGate)
	select {
	case <-j.held:
	case <-time.After(10 * time.Second):
		t.Fatal("the pull was never applied")
	}
	n0 := ss.count()
	sitetest.CommitShift(t, r.st, r.site, 3, 5, 5)
	rep.Kick() // the push loop, backing off, refreshes the count
	// Two publications follow: the pull's and the kick's, in some order.
	sitetest.WaitFor(t, 10*time.Second, "both loops to publish", func() bool { return ss.count() >= n0+2 })
	want := syncState(t, r.st).Waiting
	if want != 8 {
		t.Fatalf("the store has %d events waiting, want 8", want)
	}
	if got := ss.last(); got.Waiting != want {
		t.Fatalf("the status shows %d waiting, the store holds %d: a stale count was published last", got.Waiting, want)
	}
}

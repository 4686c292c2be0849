package replicator_test

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestHubFailingIsNotOnline: a hub that answers 500 (its disk full) makes
// the station say "hub failing", not "online"; once it takes pushes
// again the station catches up and says online.
func TestHubFailingIsNotOnline(t *testing.T) {
	var broken atomic.Bool
	broken.Store(true)
	r := newRig(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if broken.Load() && req.URL.Path == protocol.PathPush {
				w.Header().Set(protocol.VersionHeader, "1")
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(500)
				w.Write([]byte(`{"error":{"status":500,"code":"internal","message":"the hub could not complete the request"}}`))
				return
			}
			h.ServeHTTP(w, req)
		})
	})
	if err := r.st.LoadSite(ctx, r.site); err != nil {
		t.Fatal(err)
	}
	sitetest.CommitShift(t, r.st, r.site, 0, 10, 5)
	_, ss, _ := start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token})
	sitetest.WaitFor(t, 10*time.Second, "the hub failing to show", func() bool {
		s := ss.last()
		return s.Failing == replicator.FailingHub && !s.Online && strings.Contains(s.LastError, "500")
	})
	broken.Store(false)
	sitetest.WaitFor(t, 10*time.Second, "the station to catch up", func() bool {
		s := ss.last()
		st := syncState(t, r.st)
		return s.Online && s.Failing == "" && st.Pushed == st.LastSeq
	})
}

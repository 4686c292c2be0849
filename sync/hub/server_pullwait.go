package hub

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// DefaultMaxPullWait is the longest the hub holds a waiting pull unless
// Options say otherwise: well inside NewHTTPServer's write timeout (2 min)
// and the idle timeouts of common proxies (60 s).
const DefaultMaxPullWait = 30 * time.Second

// MaxWaitingPulls is how many pulls one token may have waiting at once;
// a pull over it is answered at once, with no wait offered (WaitMS 0),
// so the station falls back to its pull interval for a round instead of
// looping. A station waits with one; a restarted one may leave a dead
// request behind for a while.
const MaxWaitingPulls = 4

// pullWaits is the server's side of waiting pulls: the longest wait, the
// count of waiting pulls per token, and the drain at shutdown.
type pullWaits struct {
	max time.Duration // <= 0: pulls never wait

	mu       sync.Mutex
	waiting  map[string]int // by token hash
	stop     chan struct{}  // closed by Drain
	stopOnce sync.Once
}

func newPullWaits(max time.Duration) *pullWaits {
	if max == 0 {
		max = DefaultMaxPullWait
	}
	return &pullWaits{max: max, waiting: map[string]int{}, stop: make(chan struct{})}
}

func (p *pullWaits) maxMS() int64 { return max(p.max, 0).Milliseconds() }

// enter counts a waiting pull of token; false when the token has its
// fill.
func (p *pullWaits) enter(token string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waiting[token] >= MaxWaitingPulls {
		return false
	}
	p.waiting[token]++
	return true
}

func (p *pullWaits) leave(token string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.waiting[token]--; p.waiting[token] <= 0 {
		delete(p.waiting, token)
	}
}

// Drain answers every waiting pull now, and every later one at once, so
// a shutdown is never held by a station's wait. NewHTTPServer registers
// it with the http.Server's Shutdown; a caller with its own http.Server
// calls it before Shutdown.
func (s *Server) Drain() {
	s.waits.stopOnce.Do(func() { close(s.waits.stop) })
}

// pullWaiting answers a pull: at once, or held while the station has
// nothing new when it asked to wait and the hub may wait for it.
func (s *Server) pullWaiting(r *http.Request, station, cursor string, limit int) (protocol.PullResponse, error) {
	wait, err := protocol.ParseWait(r.URL.Query().Get(protocol.ParamWait))
	if err != nil {
		return protocol.PullResponse{}, protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	if s.waits.max <= 0 {
		return s.store.Pull(r.Context(), station, cursor, limit, s.now())
	}
	token := HashToken(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	offer := s.waits.maxMS()
	if wait > 0 {
		if !s.waits.enter(token) {
			wait, offer = 0, 0
		} else {
			defer s.waits.leave(token)
		}
	}
	resp, err := s.store.PullWait(r.Context(), station, cursor, limit, min(wait, s.waits.max), s.waits.stop, s.now)
	resp.WaitMS = offer
	return resp, err
}

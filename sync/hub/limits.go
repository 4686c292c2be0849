package hub

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"

	"github.com/totewms/tote/sync/protocol"
)

// Large bodies under one token. A push or a reference import may be tens
// of MiB and takes a few times that in memory while it is read and decoded
// (an order import is read an order at a time, server_import.go), so
// one token may run only a few large requests at once (the rest get 429
// with Retry-After), and a body that says it is over the limit is refused
// before a byte of it is read. Bodies without a length are cut at the
// limit as they are read (http.MaxBytesReader).

// LargeBody is the size from which a request counts as large; one of
// unknown length counts as large too.
const LargeBody = 1 << 20

// DefaultLargePerToken is how many large requests one token may run at once.
const DefaultLargePerToken = 2

// bodyGate counts each token's large requests in flight.
type bodyGate struct {
	mu   sync.Mutex
	busy map[string]int
	per  int
}

func newBodyGate(per int) *bodyGate {
	if per < 1 {
		per = DefaultLargePerToken
	}
	return &bodyGate{busy: map[string]int{}, per: per}
}

// enter takes a place for token; false when it has none left.
func (g *bodyGate) enter(token string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.busy[token] >= g.per {
		return false
	}
	g.busy[token]++
	return true
}

func (g *bodyGate) leave(token string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.busy[token]--; g.busy[token] <= 0 {
		delete(g.busy, token)
	}
}

// bounded wraps an endpoint whose body may be large: a declared length
// over limit is refused unread (413), and a large body waits for a place
// under its token or is refused (429 with Retry-After).
func (s *Server) bounded(limit int64, h handler) handler {
	return func(w http.ResponseWriter, r *http.Request, p Principal) error {
		if r.ContentLength > limit {
			// Not read: the connection closes rather than drain it.
			w.Header().Set("Connection", "close")
			return protocol.Errorf(protocol.CodeTooLarge, "the body is %d bytes, over the limit of %d: send less at a time", r.ContentLength, limit)
		}
		if r.ContentLength >= 0 && r.ContentLength < LargeBody {
			return h(w, r, p)
		}
		if !s.gate.enter(p.ID) {
			w.Header().Set("Connection", "close")
			w.Header().Set("Retry-After", strconv.Itoa(busyRetrySeconds))
			return protocol.Errorf(protocol.CodeBusy, "token %s already has %d large requests running at the hub: wait for them, then send this again", p.ID, s.gate.per)
		}
		defer s.gate.leave(p.ID)
		return h(w, r, p)
	}
}

// busyRetrySeconds is the Retry-After of a 429.
const busyRetrySeconds = 5

// maxImportBytes bounds an import's body.
const maxImportBytes = 64 << 20

// readBody reads a body of at most limit bytes into one buffer of its
// declared length (no doubling as it grows).
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if r.ContentLength > 0 && r.ContentLength <= limit {
		buf.Grow(int(r.ContentLength) + 1)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	return buf.Bytes(), err
}

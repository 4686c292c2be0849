package hub

import (
	"context"
	"net/http"
	"time"

	"github.com/totewms/tote/internal/buildstamp"
	"github.com/totewms/tote/sync/protocol"
)

// Ready writes one probe through the store: a hub whose database cannot
// take a write (a full disk, a read-only file, a lost connection) is not
// ready, whatever else it still answers.
func (s *Service) Ready(ctx context.Context, at time.Time) error {
	return s.store.Tx(ctx, func(tx StoreTx) error { return tx.Probe(at) })
}

// health answers /healthz: the process serves. It touches no store.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "version": protocol.Version, "tote": buildstamp.Read().Short()})
}

// ready answers /readyz: 200 when the store takes a write, else 503 with
// the reason in the hub's log (never the database's words).
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.store.Ready(ctx, s.now()); err != nil {
		ref := newRef()
		s.log.Error("not ready: the store cannot write", "ref", ref, "err", err)
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, protocol.ErrorBody{Error: *protocol.Errorf(protocol.CodeUnavailable,
			"the hub cannot write to its database (see the hub's log, ref %s): check its disk", ref)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"ready": true})
}

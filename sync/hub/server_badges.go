package hub

import (
	"net/http"
)

// badgeRoutes serve the PIN locks: supervisors read them (an admin
// token with the read scope, or a station's token for the supervisor's
// screens) and lift one (the operate scope; the audit log keeps who).
func (s *Server) badgeRoutes(operator, reader, station func(handler) http.Handler) {
	s.mux.Handle("POST /admin/v1/badges/{id}/unlock", operator(s.unlockBadge))
	s.mux.Handle("GET /api/v1/badge-locks", reader(s.badgeLocks))
	s.mux.Handle("GET /sync/v1/badge-locks", station(s.badgeLocks))
}

func (s *Server) unlockBadge(w http.ResponseWriter, r *http.Request, p Principal) error {
	rec, err := s.store.UnlockBadge(r.Context(), r.PathValue("id"), s.now())
	if err != nil {
		return err
	}
	s.log.Info("badge unlocked", "badge", rec.Badge, "by", p.Who())
	writeJSON(w, http.StatusOK, rec)
	return nil
}

func (s *Server) badgeLocks(w http.ResponseWriter, r *http.Request, _ Principal) error {
	bs, err := s.store.BadgeLocks(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"badges": nonNil(bs)})
	return nil
}

package hub

import (
	"net/http"
)

// The supervisor's read API: readers, admins and stations (a supervisor
// station fetches the figures it shows).
func (s *Server) superviseRoutes() {
	watcher := s.as(TokenAdmin, TokenReader, TokenStation)
	s.mux.Handle("GET /api/v1/waves", watcher(s.waves))
	s.mux.Handle("GET /api/v1/waves/{id}", watcher(s.wave))
	s.mux.Handle("GET /api/v1/site", watcher(s.site))
}

func (s *Server) waves(w http.ResponseWriter, r *http.Request, _ Principal) error {
	after, _, err := page(r)
	if err != nil {
		return err
	}
	v, err := s.store.Waves(r.Context(), after, s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

func (s *Server) wave(w http.ResponseWriter, r *http.Request, _ Principal) error {
	d, err := s.store.Wave(r.Context(), r.PathValue("id"), s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) site(w http.ResponseWriter, r *http.Request, _ Principal) error {
	after, _, err := page(r)
	if err != nil {
		return err
	}
	v, err := s.store.Site(r.Context(), after, s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

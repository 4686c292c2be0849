package hub

import (
	"net/http"

	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's read API: for readers under /api/v1, and the same
// answers for a station's token under /sync/v1 (a supervisor station
// fetches the figures it shows).
func (s *Server) superviseRoutes(reader, station func(handler) http.Handler) {
	s.mux.Handle("GET /api/v1/waves", reader(s.waves))
	s.mux.Handle("GET /api/v1/waves/{id}", reader(s.wave))
	s.mux.Handle("GET /api/v1/site", reader(s.site))
	s.mux.Handle("GET "+protocol.PathFigureWaves, station(s.waves))
	s.mux.Handle("GET "+protocol.PathFigureWaves+"/{id}", station(s.wave))
	s.mux.Handle("GET "+protocol.PathFigureSite, station(s.site))
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

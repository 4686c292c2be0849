package hub

import (
	"encoding/json"
	"net/http"

	"github.com/totewms/tote/internal/floor"

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
	s.mux.Handle("GET /api/v1/orders/{id}/story", reader(s.story))
	s.mux.Handle("GET "+protocol.PathFigureOrders+"/{id}/story", station(s.story))
	s.mux.Handle("POST "+protocol.PathDevices, station(s.devices))
}

func (s *Server) story(w http.ResponseWriter, r *http.Request, _ Principal) error {
	v, err := s.store.OrderStory(r.Context(), r.PathValue("id"), s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v)
	return nil
}

// devices keeps a station's devices as it reports them.
func (s *Server) devices(w http.ResponseWriter, r *http.Request, p Principal) error {
	var rep protocol.DevicesReport
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&rep); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "the devices report is not valid JSON: %v", err)
	}
	if rep.Station != p.Station {
		return protocol.Errorf(protocol.CodeForbidden, "this token belongs to station %s; it cannot report for station %s", p.Station, floor.Printable(rep.Station))
	}
	if err := rep.Validate(); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	if err := s.store.ReportStation(r.Context(), rep, s.now()); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int{"devices": len(rep.Devices)})
	return nil
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

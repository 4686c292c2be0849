package hub

import (
	"net/http"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// omsRoutes serve the facts feed and the webhook endpoints' admin API.
func (s *Server) omsRoutes(admin, reader func(handler) http.Handler) {
	s.mux.Handle("GET /api/v1/facts", reader(s.facts))
	s.mux.Handle("POST /admin/v1/webhooks", admin(s.addWebhook))
	s.mux.Handle("GET /admin/v1/webhooks", admin(s.listWebhooks))
	s.mux.Handle("POST /admin/v1/webhooks/{id}/rotate", admin(s.rotateWebhook))
	s.mux.Handle("GET /admin/v1/webhooks/{id}/deliveries", admin(s.webhookDeliveries))
	s.mux.Handle("POST /admin/v1/webhooks/{id}/replay", admin(s.replayDeliveries))
}

func (s *Server) facts(w http.ResponseWriter, r *http.Request, _ Principal) error {
	after, limit, err := page(r)
	if err != nil {
		return err
	}
	p, err := s.store.Facts(r.Context(), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) addWebhook(w http.ResponseWriter, r *http.Request, _ Principal) error {
	var nw protocol.NewWebhook
	if err := decode(w, r, &nw, 1<<20, true); err != nil {
		return err
	}
	info, err := s.store.AddWebhook(r.Context(), nw, s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, info)
	return nil
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request, _ Principal) error {
	ws, err := s.store.Webhooks(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": ws})
	return nil
}

// DefaultOverlap is how long a rotated-out secret still signs.
const DefaultOverlap = 24 * time.Hour

func (s *Server) rotateWebhook(w http.ResponseWriter, r *http.Request, _ Principal) error {
	overlap := DefaultOverlap
	if o := r.URL.Query().Get("overlap"); o != "" {
		d, err := time.ParseDuration(o)
		if err != nil {
			return protocol.Errorf(protocol.CodeBadRequest, "overlap %q is not a duration such as 24h", floor.Printable(o))
		}
		overlap = d
	}
	info, err := s.store.RotateWebhook(r.Context(), r.PathValue("id"), overlap, s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

func (s *Server) webhookDeliveries(w http.ResponseWriter, r *http.Request, _ Principal) error {
	after, limit, err := page(r)
	if err != nil {
		return err
	}
	ds, err := s.store.WebhookDeliveries(r.Context(), r.PathValue("id"), r.URL.Query().Get("status"), after, limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": ds})
	return nil
}

func (s *Server) replayDeliveries(w http.ResponseWriter, r *http.Request, _ Principal) error {
	n, err := s.store.ReplayDeliveries(r.Context(), r.PathValue("id"), r.URL.Query().Get("delivery"), s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhook": r.PathValue("id"), "replayed": n})
	return nil
}

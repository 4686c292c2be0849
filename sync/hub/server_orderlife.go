package hub

import (
	"context"
	"net/http"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// backOrder serves an admin action on an order's back order (release or
// close): no body, the order in the path.
func (s *Server) backOrder(act func(ctx context.Context, order string, at time.Time) (protocol.ReleaseResult, error)) handler {
	return func(w http.ResponseWriter, r *http.Request, _ Principal) error {
		res, err := act(r.Context(), r.PathValue("id"), s.now())
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, res)
		return nil
	}
}

// restocked serves the office's confirmation that a cancelled order's
// goods are back in stock.
func (s *Server) restocked(w http.ResponseWriter, r *http.Request, _ Principal) error {
	res, err := s.store.RestockDone(r.Context(), r.PathValue("id"), s.now())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// holdingShelf lists what waits on the site's holding shelves.
func (s *Server) holdingShelf(w http.ResponseWriter, r *http.Request, _ Principal) error {
	list, err := s.store.HoldingShelf(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"holding_shelf": list})
	return nil
}

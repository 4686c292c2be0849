package replicator

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/protocol"
)

// Figures are the supervisor's figures from the hub (docs/supervisor.md),
// with when they were fetched.
type Figures struct {
	Waves protocol.WavesView `json:"waves"`
	Site  protocol.SiteView  `json:"site"`
	AsOf  time.Time          `json:"as_of"`
}

// FetchFigures reads the hub's figures (every wave, the site) and keeps
// them in st, fetched at now. When the hub cannot be reached it returns
// the error and st keeps what it had: LastFigures then shows them, as of
// when they were fetched.
func (r *Replicator) FetchFigures(ctx context.Context, st *store.Store, now time.Time) (Figures, error) {
	f := Figures{AsOf: now.UTC()}
	if err := r.do(ctx, "GET", protocol.PathFigureWaves, url.Values{"after": {strconv.Itoa(0)}}, nil, &f.Waves); err != nil {
		return Figures{}, err
	}
	if err := r.do(ctx, "GET", protocol.PathFigureSite, nil, nil, &f.Site); err != nil {
		return Figures{}, err
	}
	body, err := json.Marshal(f)
	if err != nil {
		return Figures{}, err
	}
	return f, st.PutFigures(ctx, body, now)
}

// LastFigures are the figures st kept last; false when it has none.
func LastFigures(ctx context.Context, st *store.Store) (Figures, bool, error) {
	body, _, ok, err := st.Figures(ctx)
	if err != nil || !ok {
		return Figures{}, false, err
	}
	var f Figures
	if err := json.Unmarshal(body, &f); err != nil {
		return Figures{}, false, err
	}
	return f, true, nil
}

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

// FetchWave reads one wave's detail (its orders) and keeps it in st as
// the open wave's; LastWave gives it back offline.
func (r *Replicator) FetchWave(ctx context.Context, st *store.Store, wave string, now time.Time) (protocol.WaveDetail, error) {
	var d protocol.WaveDetail
	if err := r.do(ctx, "GET", protocol.PathFigureWaves+"/"+url.PathEscape(wave), nil, nil, &d); err != nil {
		return d, err
	}
	return d, keep(ctx, st, "wave", d, now)
}

// FetchStory reads one order's lines and story and keeps it in st as the
// open order's; LastStory gives it back offline.
func (r *Replicator) FetchStory(ctx context.Context, st *store.Store, order string, now time.Time) (protocol.OrderStory, error) {
	var s protocol.OrderStory
	if err := r.do(ctx, "GET", protocol.PathFigureOrders+"/"+url.PathEscape(order)+"/story", nil, nil, &s); err != nil {
		return s, err
	}
	return s, keep(ctx, st, "story", s, now)
}

func keep(ctx context.Context, st *store.Store, name string, v any, now time.Time) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return st.PutFigure(ctx, name, body, now)
}

// LastWave is the wave detail st kept last; false when it has none.
func LastWave(ctx context.Context, st *store.Store) (protocol.WaveDetail, bool, error) {
	var d protocol.WaveDetail
	ok, err := last(ctx, st, "wave", &d)
	return d, ok, err
}

// LastStory is the order story st kept last; false when it has none.
func LastStory(ctx context.Context, st *store.Store) (protocol.OrderStory, bool, error) {
	var s protocol.OrderStory
	ok, err := last(ctx, st, "story", &s)
	return s, ok, err
}

func last(ctx context.Context, st *store.Store, name string, v any) (bool, error) {
	body, _, ok, err := st.Figure(ctx, name)
	if err != nil || !ok {
		return false, err
	}
	return true, json.Unmarshal(body, v)
}

// FetchSupervisor reads what a supervisor's screens show: the site's
// figures, and the open wave's and order's when named ("" for none).
func (r *Replicator) FetchSupervisor(ctx context.Context, st *store.Store, wave, order string, now time.Time) error {
	if _, err := r.FetchFigures(ctx, st, now); err != nil {
		return err
	}
	if wave != "" {
		if _, err := r.FetchWave(ctx, st, wave, now); err != nil {
			return err
		}
	}
	if order != "" {
		if _, err := r.FetchStory(ctx, st, order, now); err != nil {
			return err
		}
	}
	return nil
}

package station_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestSupervisorFiguresOnATimer: a supervisor's station serving inputs,
// with a real hub on loopback. Signed in, the bench's Background fetches
// the hub's figures on its timer and the station hands out refreshed
// outcomes with them, online; opening the wave brings its orders. With
// the hub gone, the outcomes say offline and keep the figures as of the
// last fetch.
func TestSupervisorFiguresOnATimer(t *testing.T) {
	dir := t.TempDir()
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	token := hub.NewToken(hub.TokenStation)
	if err := hs.RegisterStation(ctx, "SUP-01", "", hub.HashToken(token), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := hs.RegisterStation(ctx, "CART-01", "", hub.HashToken(hub.NewToken(hub.TokenStation)), time.Now()); err != nil {
		t.Fatal(err)
	}
	imp := protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "CART-01")
	if _, err := hub.ImportSite(ctx, hs, imp, time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	defer srv.Close()
	st, err := store.Open(ctx, filepath.Join(dir, "station.db"), "SUP-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.LoadSite(ctx, store.Site{Operators: site.Operators}); err != nil {
		t.Fatal(err)
	}
	rep, err := replicator.New(st, replicator.Options{Hub: srv.URL, Token: token, RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s, err := station.Open(ctx, st, interp(t), station.Options{Bench: station.BenchSupervise,
		Supervise: station.SuperviseOptions{Every: 50 * time.Millisecond, Fetch: func(ctx context.Context, wave, order string, now time.Time) error {
			return rep.FetchSupervisor(ctx, st, wave, order, now)
		}}})
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go s.Serve(sctx)
	// until reads outcomes until one's state satisfies ok.
	until := func(what string, ok func(supervise.State) bool) supervise.State {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for {
			select {
			case o := <-s.Outcomes():
				if sv, is := o.State.(supervise.State); is && ok(sv) {
					return sv
				}
			case <-deadline:
				t.Fatalf("no outcome with %s", what)
			}
		}
	}
	s.Submit(typed("B1004"))
	s.Submit(typed("2468"))
	sv := until("the hub's waves, online", func(sv supervise.State) bool {
		return sv.LoggedIn() && sv.Figures.Online && len(sv.Figures.Waves.Waves) == 1
	})
	if sv.Figures.Waves.Waves[0].Wave != demo.WaveID || sv.Figures.AsOf.IsZero() {
		t.Fatalf("figures: %+v", sv.Figures.Waves)
	}
	s.Submit(typed("CMD:SUP-OPEN"))
	until("the wave's orders", func(sv supervise.State) bool {
		return sv.View == supervise.ViewWave && len(supervise.Orders(sv)) == len(site.Orders)
	})
	srv.CloseClientConnections()
	srv.Close()
	off := until("offline", func(sv supervise.State) bool { return !sv.Figures.Online })
	if off.Figures.AsOf.IsZero() || len(off.Figures.Waves.Waves) != 1 || len(supervise.Orders(off)) != len(site.Orders) {
		t.Fatalf("offline, the kept figures: as of %v, %d waves, %d orders", off.Figures.AsOf, len(off.Figures.Waves.Waves), len(supervise.Orders(off)))
	}
}

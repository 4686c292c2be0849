package replicator_test

import (
	"testing"
	"time"

	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// A supervisor station fetches the hub's figures over HTTP into its store;
// with the hub gone the fetch fails and the store still has them, as of
// when they were fetched.
func TestFiguresKeptForOffline(t *testing.T) {
	r := newRig(t, nil)
	rep, err := replicator.New(r.st, fast(replicator.Options{Hub: r.hub.URL, Token: r.token}))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok, err := replicator.LastFigures(ctx, r.st); ok || err != nil {
		t.Fatalf("figures before any fetch: %v %v", ok, err)
	}
	at := time.Date(2026, 3, 2, 17, 5, 0, 0, time.UTC)
	f, err := rep.FetchFigures(ctx, r.st, at)
	if err != nil {
		t.Fatal(err)
	}
	// The rig's site: one wave of its orders, this station.
	if len(f.Waves.Waves) != 1 || f.Waves.Waves[0].Orders != len(r.site.Orders) || f.Waves.Waves[0].ByState[protocol.StateReleased] != len(r.site.Orders) ||
		len(f.Site.Stations) != 1 {
		t.Fatalf("fetched %+v", f)
	}
	r.hub.Server.CloseClientConnections()
	r.hub.Server.Close()
	if _, err := rep.FetchFigures(ctx, r.st, at.Add(time.Minute)); err == nil {
		t.Fatal("a fetch from a closed hub succeeded")
	}
	kept, ok, err := replicator.LastFigures(ctx, r.st)
	if err != nil || !ok || !kept.AsOf.Equal(at) || len(kept.Waves.Waves) != len(f.Waves.Waves) {
		t.Fatalf("kept %+v %v %v, want the figures as of %v", kept, ok, err, at)
	}
}

package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
)

// loopbackHub is a hub on loopback, its SQLite store in dir, with the
// stations named registered: it returns the store, the hub's URL and each
// station's token. At cleanup (after the stations', registered later)
// waiting pulls are answered first, so closing the server need not wait
// them out, then the store closes.
func loopbackHub(tb testing.TB, ctx context.Context, dir string, stations ...string) (*hubstore.Store, string, map[string]string) {
	tb.Helper()
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { hs.Close() })
	hsrv := hub.NewServer(hs, hub.Options{})
	srv := httptest.NewServer(hsrv)
	tb.Cleanup(srv.Close)
	tb.Cleanup(hsrv.Drain)
	tokens := map[string]string{}
	for _, id := range stations {
		tokens[id] = hub.NewToken(hub.TokenStation)
		if err := hs.RegisterStation(ctx, id, "", hub.HashToken(tokens[id]), time.Now()); err != nil {
			tb.Fatal(err)
		}
	}
	return hs, srv.URL, tokens
}

package hub_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's read API over loopback HTTP: a reader token (and a
// station's, on its own path) read the waves, one wave (404 for an unknown one) and the site;
// ?after= answers only what changed.
func TestSupervisorAPIOverHTTP(t *testing.T) {
	st, err := hubstore.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	srv := httptest.NewServer(hub.NewServer(st, hub.Options{Now: func() time.Time { return now }}))
	defer srv.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = st.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01", Zone: "A"}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}}})
	must(err)
	by := now.Add(-time.Minute)
	_, err = st.ImportOrders(ctx, []protocol.Order{{ID: "SO-1", ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
		ShipBy: &by, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 4}}}}, now)
	must(err)
	must(st.RegisterStation(ctx, "CART-01", "", hub.HashToken("cart-token"), now))
	_, err = st.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, now)
	must(err)
	must(st.AddToken(ctx, hub.TokenRecord{Principal: hub.Principal{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeRead}},
		Hash: hub.HashToken("reader-token"), CreatedAt: now}, hub.Console("test")))

	get := func(token, path string, v any) int {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		must(err)
		defer res.Body.Close()
		if v != nil && res.StatusCode == 200 {
			must(json.NewDecoder(res.Body).Decode(v))
		}
		return res.StatusCode
	}
	var d protocol.WaveDetail
	if code := get("reader-token", "/api/v1/waves/W1", &d); code != 200 || d.Progress.Orders != 1 || d.Progress.Units != 4 ||
		d.Progress.Late != 1 || len(d.Orders) != 1 || !d.Orders[0].Late || d.Orders[0].State != protocol.StateReleased {
		t.Fatalf("GET /api/v1/waves/W1: %d %+v", code, d)
	}
	if code := get("reader-token", "/api/v1/waves/W9", nil); code != 404 {
		t.Fatalf("an unknown wave answered %d, want 404", code)
	}
	var ws protocol.WavesView
	if code := get("cart-token", protocol.PathFigureWaves, &ws); code != 200 || len(ws.Waves) != 1 || ws.Version == 0 {
		t.Fatalf("GET %s with a station token: %d %+v", protocol.PathFigureWaves, code, ws)
	}
	if code := get("cart-token", "/api/v1/waves", nil); code != 403 {
		t.Fatalf("a station token on the readers' path answered %d, want 403", code)
	}
	b, _ := json.Marshal(map[string]any{"order": "SO-1", "line": 1, "sku": "MUG-1", "location": "A-01", "qty": 3, "tote": "T1"})
	_, err = st.Push(ctx, "CART-01", now, []protocol.Event{{Station: "CART-01", Seq: 1, ID: "e1", Operator: "B1",
		DeviceTime: now.Add(-10 * time.Minute), Type: "pick.units_picked", Payload: b}})
	must(err)
	var next protocol.WavesView
	if code := get("reader-token", "/api/v1/waves?after="+itoa(ws.Version), &next); code != 200 || len(next.Waves) != 1 ||
		next.Waves[0].Picked != 3 || next.Waves[0].ETA == nil || next.Waves[0].Basis != "3 units in the last 10 min, 1 left" {
		t.Fatalf("after %d: %d %+v", ws.Version, code, next)
	}
	var site protocol.SiteView
	if code := get("reader-token", "/api/v1/site", &site); code != 200 || len(site.People) != 1 || site.People[0].Units != 3 ||
		len(site.Stations) != 1 || site.Stations[0].Operator != "B1" {
		t.Fatalf("GET /api/v1/site: %d %+v", code, site)
	}
	if code := get("reader-token", "/api/v1/site?after=soon", nil); code != 400 {
		t.Fatalf("?after=soon answered %d, want 400", code)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

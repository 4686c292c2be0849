package office

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestDemoHub: the hub `tote demo` runs in-process (Start) is the source of the
// demo's orders: a fresh station store pulls the whole site from it.
func TestDemoHub(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hq, err := Start(ctx, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer hq.Stop()
	cart := Stations[0]
	url, token, stop := hq.URL, hq.Tokens[cart.ID], hq.Stop
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health %d", resp.StatusCode)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "hub-admin.token")); err != nil || !strings.HasPrefix(string(b), "tote_admin_") {
		t.Fatalf("admin token file: %q %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "hub.url")); err != nil || strings.TrimSpace(string(b)) != url {
		t.Fatalf("hub.url: %q %v, want %s", b, err, url)
	}

	st, err := store.Open(ctx, filepath.Join(cart.Dir(dir), "station.db"), cart.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pulled := make(chan struct{}, 1)
	rep, err := replicator.New(st, replicator.Options{Hub: url, Token: token, PullInterval: 20 * time.Millisecond,
		OnStatus: func(replicator.Status) {
			select {
			case pulled <- struct{}{}:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	rctx, rstop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { rep.Run(rctx); close(done) }()
	defer func() { rstop(); <-done }()
	site := demo.Site(1, time.Now())
	deadline := time.After(30 * time.Second)
	for {
		var n int
		st.DB().R.QueryRow(`SELECT COUNT(*) FROM pick_tasks`).Scan(&n)
		if n == len(site.Tasks) {
			break
		}
		select {
		case <-pulled: // the replicator reported: look again
		case <-deadline:
			t.Fatalf("the station pulled %d of %d tasks", n, len(site.Tasks))
		}
	}
	w, err := st.NextWave(ctx)
	if err != nil || w.ID != demo.WaveID || w.Station != cart.ID {
		t.Fatalf("next wave %+v %v", w, err)
	}
	// A second start on the same folder keeps the data and its token: 95
	// restarts once left 95 tokens.
	tokens := func() int {
		ts, err := hq.hs.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(ts)
	}
	before := tokens()
	stop()
	hq2, err := Start(ctx, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer hq2.Stop()
	url2, token2 := hq2.URL, hq2.Tokens[cart.ID]
	req, _ := http.NewRequest("GET", url2+protocol.PathPull+"?limit=1", nil)
	req.Header.Set("Authorization", "Bearer "+token2)
	req.Header.Set(protocol.VersionHeader, "1")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page protocol.PullResponse
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&page) != nil || page.Station != cart.ID {
		t.Fatalf("pull with the kept token: %d %+v", resp.StatusCode, page)
	}
	if token2 != hq.Tokens[cart.ID] {
		t.Fatal("a second start minted another token")
	}
	hq.hs = hq2.hs
	if n := tokens(); n != before {
		t.Fatalf("%d tokens after a restart, %d before", n, before)
	}
}

// TestDemoStationsRegisteredApart: the demo's hub registers each demo
// station with a token of its own, kept in the station's own folder;
// only the cart is given the demo's wave; a station's token pulls as
// that station and no other.
func TestDemoStationsRegisteredApart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	hq, err := Start(ctx, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer hq.Stop()
	seen := map[string]bool{}
	for _, s := range Stations {
		token := hq.Tokens[s.ID]
		if token == "" || seen[token] {
			t.Fatalf("%s's token %q: empty or another station's", s.ID, token)
		}
		seen[token] = true
		b, err := os.ReadFile(filepath.Join(dir, s.ID, "station.token"))
		if err != nil || strings.TrimSpace(string(b)) != token {
			t.Fatalf("%s's token file: %q %v", s.ID, b, err)
		}
		req, _ := http.NewRequest("GET", hq.URL+protocol.PathPull+"?limit=1", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set(protocol.VersionHeader, "1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page protocol.PullResponse
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != 200 || err != nil || page.Station != s.ID {
			t.Fatalf("%s pulls as %q (%d, %v)", s.ID, page.Station, resp.StatusCode, err)
		}
	}
	var w protocol.Wave
	var ok bool
	err = hq.hs.Read(ctx, func(tx hub.StoreTx) error {
		var err error
		w, ok, err = tx.Wave(demo.WaveID)
		return err
	})
	if err != nil || !ok || w.Station != Stations[0].ID {
		t.Fatalf("the demo's wave %+v (%v, %v): want it on the cart %s", w, ok, err, Stations[0].ID)
	}
	if i, ok := Place("dispatch"); !ok || Stations[i].ID != "DOCK-01" {
		t.Fatalf("the dispatch bench's place: %d %v", i, ok)
	}
	if _, ok := Place("returns"); ok {
		t.Fatal("a bench the demo does not run has a place")
	}
}

// TestOldDemoFolderRefused: a folder of the one-station demo (its hub
// knows DEMO-01) is refused in plain words, naming what to do, and the
// hub's data is left as it was.
func TestOldDemoFolderRefused(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := hs.RegisterStation(ctx, oldStation, "demo station", hub.HashToken(hub.NewToken(hub.TokenStation)), time.Now()); err != nil {
		t.Fatal(err)
	}
	hs.Close()
	hq, err := Start(ctx, dir, 1)
	if err == nil {
		hq.Stop()
		t.Fatal("an old demo folder opened")
	}
	if !strings.Contains(err.Error(), "older demo") || !strings.Contains(err.Error(), "tote demo --dir NEW-FOLDER") {
		t.Fatalf("the refusal: %v", err)
	}
	for _, s := range Stations {
		if _, err := os.Stat(s.Dir(dir)); !os.IsNotExist(err) {
			t.Fatalf("the refused folder got %s's folder: %v", s.ID, err)
		}
	}
}

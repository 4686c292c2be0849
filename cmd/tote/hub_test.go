package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/demo/office"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

func TestHubTokenAndImport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	code, out, errs := runTote("hub", "token", "--db", db, "--station", "ST-01", "--name", "bench 1")
	if code != 0 || !strings.HasPrefix(out, "tote_station_") {
		t.Fatalf("token: exit %d %q %q", code, out, errs)
	}
	if !strings.Contains(errs, "registered station ST-01 as station number 1") {
		t.Errorf("registering said %q, want the station number", errs)
	}
	station := strings.TrimSpace(out)
	// Asking again for a registered station gives it a second token.
	if code, out, _ := runTote("hub", "token", "--db", db, "--station", "ST-01"); code != 0 || strings.TrimSpace(out) == station {
		t.Fatalf("second token: exit %d %q", code, out)
	}
	if code, out, _ := runTote("hub", "token", "--db", db, "--admin"); code != 0 || !strings.HasPrefix(out, "tote_admin_") {
		t.Fatalf("admin token: exit %d %q", code, out)
	}
	for _, bad := range [][]string{{"hub", "token", "--db", db}, {"hub", "token", "--db", db, "--admin", "--reader"}, {"hub", "token", "--db", db, "--station", "bad id"}} {
		if code, _, errs := runTote(bad...); code == 0 || errs == "" {
			t.Errorf("%v: exit %d", bad, code)
		}
	}

	site := filepath.Join(dir, "site.json")
	os.WriteFile(site, []byte(`{"locations":[{"code":"A-01-01-1","zone":"A","aisle":1,"bay":1,"level":1,"walk_seq":1}],
		"items":[{"sku":"MUG-1","description":"Red Mug","gtins":["04006381000017"],"location":"A-01-01-1"}],
		"operators":[{"badge":"B9","name":"Ana","roles":["picker"],"pin":"123456"}]}`), 0o600)
	orders := filepath.Join(dir, "orders.csv")
	os.WriteFile(orders, []byte("order_id,line_no,sku,qty\nSO-1,1,MUG-1,2\nSO-2,1,MUG-1,1\n"), 0o600)
	// Orders without a ship-to are refused while the site prints
	// shipping labels (the default), and taken once it does not.
	code, _, errs = runTote("hub", "import", "--db", db, site, orders)
	if code != 1 || !strings.Contains(errs, "order 1: order SO-1: the ship_to address is missing") || !strings.Contains(errs, "ship_to_required") {
		t.Fatalf("import without ship-to: exit %d %q", code, errs)
	}
	if code, out, errs := runTote("hub", "settings", "--db", db); code != 0 || out != "ship_to_required=true\nshort_remainder=backorder\npin_min_digits=6\npin_max_failures=5\nstation_quota_mb=4096\n" {
		t.Fatalf("settings: exit %d %q %q", code, out, errs)
	}
	if code, _, errs := runTote("hub", "settings", "--db", db, "ship_to_required=maybe"); code != 2 || !strings.Contains(errs, "use true or false") {
		t.Fatalf("bad setting: exit %d %q", code, errs)
	}
	if code, out, errs := runTote("hub", "settings", "--db", db, "ship_to_required=false"); code != 0 || out != "ship_to_required=false\nshort_remainder=backorder\npin_min_digits=6\npin_max_failures=5\nstation_quota_mb=4096\n" {
		t.Fatalf("settings: exit %d %q %q", code, out, errs)
	}
	if code, _, errs := runTote("hub", "settings", "--db", db, "short_remainder=later"); code != 2 || !strings.Contains(errs, "use reallocate or backorder") {
		t.Fatalf("bad short_remainder: exit %d %q", code, errs)
	}
	if code, out, errs := runTote("hub", "settings", "--db", db, "short_remainder=reallocate"); code != 0 || out != "ship_to_required=false\nshort_remainder=reallocate\npin_min_digits=6\npin_max_failures=5\nstation_quota_mb=4096\n" {
		t.Fatalf("settings: exit %d %q %q", code, out, errs)
	}
	code, out, errs = runTote("hub", "import", "--db", db, site, orders)
	if code != 0 || !strings.Contains(out, "1 items") || !strings.Contains(out, "2 orders") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("order_id,line_no,sku,qty\nSO-3,1,MUG-1,lots\n"), 0o600)
	if code, _, errs := runTote("hub", "import", "--db", db, bad); code != 1 || !strings.Contains(errs, "line 2: qty \"lots\"") {
		t.Fatalf("bad CSV: exit %d %q", code, errs)
	}
	if code, _, errs := runTote("hub", "import", "--db", db, filepath.Join(dir, "site.txt")); code != 1 || errs == "" {
		t.Fatalf("unknown file kind: exit %d %q", code, errs)
	}

	hs, err := hubstore.Open(context.Background(), db, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	p, err := hs.Authenticate(context.Background(), hub.HashToken(station), time.Now())
	if err != nil || p.Kind != hub.TokenStation || p.Station != "ST-01" {
		t.Fatalf("the printed token: %+v %v", p, err)
	}
	if f, err := hs.Fulfilment(context.Background(), "SO-1"); err != nil || f.Status != protocol.StatusOpen {
		t.Fatalf("imported order: %+v %v", f, err)
	}
}

// TestFinishedDemoReopensAndGetsANewWave: issue 14 (13). A demo folder
// whose wave is done opens (it used to wait 20 s for work and fail with
// "no answer"), and F12's new wave, released by the demo office, reaches
// the station with the next pull, numbered on from the last.
func TestFinishedDemoReopensAndGetsANewWave(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hq, err := office.Start(ctx, dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer hq.Stop()
	cart := office.Stations[0]
	st, err := store.Open(ctx, filepath.Join(cart.Dir(dir), "station.db"), cart.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if actors.WorkReady(ctx, st) {
		t.Fatal("an empty demo store is ready before its first pull")
	}
	pulled := make(chan struct{}, 1)
	rep, err := replicator.New(st, replicator.Options{Hub: hq.URL, Token: hq.Tokens[cart.ID], PullInterval: 20 * time.Millisecond,
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
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.After(30 * time.Second)
		for !ok() {
			select {
			case <-pulled:
			case <-deadline:
				t.Fatalf("no %s", what)
			}
		}
	}
	waitFor("first wave", func() bool { w, _ := st.NextWave(ctx); return w.ID == demo.WaveID })
	// The wave is picked: nothing is waiting any more. Its tasks are done
	// too, or the cart would reopen the wave for an open (reallocated) task.
	for _, q := range []string{`UPDATE pick_tasks SET status='picked'`, `UPDATE waves SET status='done'`} {
		if _, err := st.DB().W.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if w, _ := st.NextWave(ctx); w.ID != "" {
		t.Fatalf("next wave %+v after the demo's was done", w)
	}
	if !actors.WorkReady(ctx, st) {
		t.Fatal("a finished demo does not open")
	}
	id, err := hq.NewWave()
	if err != nil || id != "W-0002" {
		t.Fatalf("new wave %q, %v", id, err)
	}
	waitFor("second wave", func() bool { w, _ := st.NextWave(ctx); return w.ID == "W-0002" })
	tasks, err := st.WaveTasks(ctx, "W-0002")
	if err != nil || len(tasks) != len(demo.Site(1, time.Now()).Tasks) || tasks[0].OrderID != "ORD-100061" {
		t.Fatalf("wave W-0002: %d tasks, first %+v, %v", len(tasks), tasks[0], err)
	}
	if id, err := hq.NewWave(); err != nil || id != "W-0003" {
		t.Fatalf("third wave %q, %v", id, err)
	}
}

// A pull wait the hub cannot honour is refused before anything opens.
func TestHubPullWaitFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hub.db")
	for _, w := range []string{"-1s", "11m", "soon"} {
		code, _, errs := runTote("hub", "--db", db, "--listen", "127.0.0.1:0", "--pull-wait", w)
		if code != 2 || !strings.Contains(errs, "pull-wait") {
			t.Errorf("--pull-wait %s: exit %d, %q", w, code, errs)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a refused flag still made the database: %v", err)
	}
}

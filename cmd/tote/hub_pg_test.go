package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/hub/pgstore"
	"github.com/totewms/tote/sync/protocol"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestHubOnPostgres: `tote hub token/settings/import --postgres DSN` and
// two real `tote hub --config FILE` processes ([hub] postgres) serving
// one PostgreSQL database: a station's pushes go to each in turn and the
// hub's mark follows them all.
func TestHubOnPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hub.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("[hub]\nlisten = \"127.0.0.1:0\"\npostgres = %q\n", dsn)), 0o600)

	code, out, errs := runTote("hub", "token", "--postgres", dsn, "--station", "ST-01")
	if code != 0 || !strings.HasPrefix(out, "tote_station_") || !strings.Contains(errs, "station number 1") {
		t.Fatalf("token: exit %d %q %q", code, out, errs)
	}
	token := strings.TrimSpace(out)
	if code, out, errs := runTote("hub", "settings", "--config", cfg, "ship_to_required=false"); code != 0 || out != "ship_to_required=false\nshort_remainder=backorder\npin_min_digits=6\npin_max_failures=5\nstation_quota_mb=4096\n" {
		t.Fatalf("settings: exit %d %q %q", code, out, errs)
	}
	site := filepath.Join(dir, "site.json")
	os.WriteFile(site, []byte(`{"locations":[{"code":"A-01","zone":"A","walk_seq":1}],
		"items":[{"sku":"MUG-1","description":"Red Mug","location":"A-01"}]}`), 0o600)
	orders := filepath.Join(dir, "orders.csv")
	os.WriteFile(orders, []byte("order_id,line_no,sku,qty\nSO-1,1,MUG-1,20\n"), 0o600)
	// The picks below come from the station SO-1's wave is assigned to:
	// the hub refuses picks of another station's work.
	wave := filepath.Join(dir, "wave.json")
	os.WriteFile(wave, []byte(`{"waves":[{"id":"W-1","orders":["SO-1"],"station":"ST-01"}]}`), 0o600)
	if code, out, errs := runTote("hub", "import", "--postgres", dsn, site, orders, wave); code != 0 || !strings.Contains(out, "1 orders") {
		t.Fatalf("import: exit %d %q %q", code, out, errs)
	}
	if code, _, errs := runTote("hub", "settings", "--db", filepath.Join(dir, "x.db"), "--postgres", dsn); code != 1 || !strings.Contains(errs, "not both") {
		t.Fatalf("--db and --postgres: exit %d %q", code, errs)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[hub]\npostgress = \"x\"\n"), 0o600)
	if code, _, errs := runTote("hub", "settings", "--config", bad); code != 1 || !strings.Contains(errs, "hub.postgress: not a setting") {
		t.Fatalf("a misspelt key: exit %d %q", code, errs)
	}

	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for range 2 {
		cmd := exec.Command(bin, "hub", "--config", cfg)
		stdout, _ := cmd.StdoutPipe()
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if i := strings.Index(line, " on http://"); strings.HasPrefix(line, "tote hub: serving PostgreSQL") && i > 0 {
				urls = append(urls, strings.Fields(line[i+4:])[0])
				break
			}
		}
		if len(urls) == 0 || !strings.HasPrefix(urls[len(urls)-1], "http://127.0.0.1:") {
			t.Fatalf("the hub did not say where it serves: %v\n%s", urls, stderr.String())
		}
		go func() {
			for sc.Scan() {
			}
		}()
	}
	client := &http.Client{Timeout: 10 * time.Second}
	for seq := int64(1); seq <= 6; seq++ {
		p, _ := json.Marshal(map[string]any{"order": "SO-1", "line": 1, "sku": "MUG-1", "qty": 1, "tote": "T1"})
		body, _ := json.Marshal(protocol.PushRequest{Station: "ST-01", Events: []protocol.Event{{Station: "ST-01", Seq: seq,
			ID: fmt.Sprintf("ST-01-%d", seq), Operator: "B9", DeviceTime: time.Now(), Type: "pick.units_picked", Payload: p}}})
		req, _ := http.NewRequest("POST", urls[seq%2]+protocol.PathPush, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(protocol.VersionHeader, strconv.Itoa(protocol.Version))
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var pr protocol.PushResponse
		json.NewDecoder(resp.Body).Decode(&pr)
		resp.Body.Close()
		if resp.StatusCode != 200 || pr.Mark != seq {
			t.Fatalf("push %d to %s: %d, mark %d", seq, urls[seq%2], resp.StatusCode, pr.Mark)
		}
	}
	hs, err := pgstore.Open(context.Background(), dsn, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	f, err := hs.Fulfilment(context.Background(), "SO-1")
	if err != nil || len(f.Lines) != 1 || f.Lines[0].Picked != 6 {
		t.Fatalf("after six picks through two hubs: %+v %v", f, err)
	}
}

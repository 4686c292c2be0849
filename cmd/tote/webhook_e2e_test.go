package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/webhook"
)

// oms is a webhook receiver: it keeps every delivery it verified; while
// hold is set it answers none of them (the hub is killed meanwhile).
type oms struct {
	t       *testing.T
	secret  string
	mu      sync.Mutex
	hold    bool
	arrived map[int64][]string // fact -> delivery ids, one per arrival
	signal  chan struct{}
}

func (o *oms) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := webhook.Verify(r.Header, body, o.secret, time.Now(), 5*time.Minute); err != nil {
		o.t.Errorf("a delivery did not verify: %v", err)
		w.WriteHeader(400)
		return
	}
	var f protocol.Fact
	if err := json.Unmarshal(body, &f); err != nil {
		o.t.Errorf("a body is not a fact: %v", err)
	}
	o.mu.Lock()
	o.arrived[f.ID] = append(o.arrived[f.ID], r.Header.Get(webhook.HeaderDelivery))
	hold := o.hold
	o.mu.Unlock()
	select {
	case o.signal <- struct{}{}:
	default:
	}
	if hold {
		<-r.Context().Done() // taken, but the answer never leaves: the hub dies first
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (o *oms) distinct() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.arrived)
}

// TestKilledHubDeliversEveryFact: facts committed while no hub runs, a
// hub killed with SIGKILL while its deliveries are on the wire, and a
// restart: every fact arrives, and a fact that arrives twice carries the
// same delivery id both times.
func TestKilledHubDeliversEveryFact(t *testing.T) {
	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	o := &oms{t: t, arrived: map[int64][]string{}, hold: true, signal: make(chan struct{}, 1)}
	srv := httptest.NewServer(o)
	defer srv.Close()

	code, out, errs := runTote("hub", "webhook", "add", "--db", db, "--id", "oms", "--url", srv.URL)
	if code != 0 {
		t.Fatalf("webhook add: %d %s", code, errs)
	}
	fields := strings.Fields(out)
	o.secret = fields[indexOf(fields, "is")+1]
	if !strings.HasPrefix(o.secret, "whsec_") {
		t.Fatalf("no secret in %q", out)
	}
	if code, _, errs := runTote("hub", "settings", "--db", db, "ship_to_required=false"); code != 0 {
		t.Fatal(errs)
	}
	site := filepath.Join(dir, "site.json")
	os.WriteFile(site, []byte(`{"locations":[{"code":"A-01","zone":"A","walk_seq":1}],"items":[{"sku":"MUG-1","description":"Mug","location":"A-01"}]}`), 0o600)
	var csv strings.Builder
	csv.WriteString("order_id,line_no,sku,qty\n")
	const orders = 30
	for i := 1; i <= orders; i++ {
		fmt.Fprintf(&csv, "SO-%d,1,MUG-1,1\n", i)
	}
	ordersFile := filepath.Join(dir, "orders.csv")
	os.WriteFile(ordersFile, []byte(csv.String()), 0o600)
	// Committed while no hub runs: nothing has been sent.
	if code, _, errs := runTote("hub", "import", "--db", db, site, ordersFile); code != 0 {
		t.Fatal(errs)
	}

	start := func() *exec.Cmd {
		cmd := exec.Command(bin, "hub", "--db", db, "--listen", "127.0.0.1:0")
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	hub := start()
	select {
	case <-o.signal:
	case <-time.After(30 * time.Second):
		hub.Process.Kill()
		t.Fatal("the hub sent nothing")
	}
	// Deliveries are on the wire and none is recorded: kill -9.
	if err := hub.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	hub.Wait()
	first := o.distinct()
	o.mu.Lock()
	o.hold = false
	o.mu.Unlock()

	hub = start()
	defer func() {
		hub.Process.Signal(syscall.SIGTERM)
		hub.Wait()
	}()
	deadline := time.After(60 * time.Second)
	for o.distinct() < orders {
		select {
		case <-o.signal:
		case <-deadline:
			t.Fatalf("%d of %d facts delivered after the restart", o.distinct(), orders)
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	again := 0
	for fact, ids := range o.arrived {
		for _, id := range ids[1:] {
			if id != ids[0] {
				t.Fatalf("fact %d came as deliveries %v: a retry must keep its id", fact, ids)
			}
		}
		if len(ids) > 1 {
			again++
		}
	}
	if again < 1 || first < 1 {
		t.Fatalf("%d facts on the wire at the kill, %d sent again: the kill came at the wrong time", first, again)
	}
}

func indexOf(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

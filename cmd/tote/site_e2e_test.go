package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/sync/protocol"
)

// siteWait is how long one step of the site test may take on a loaded
// machine: every wait is for a condition, this is only its deadline.
const siteWait = 60 * time.Second

// siteWaitUntil polls cond every 20 ms until it holds, or fails with what()
// after siteWait.
func siteWaitUntil(t *testing.T, what string, cond func() bool, explain func() string) {
	t.Helper()
	deadline := time.Now().Add(siteWait)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			extra := ""
			if explain != nil {
				extra = "\n" + explain()
			}
			t.Fatalf("%s: not within %s%s", what, siteWait, extra)
		}
		<-tick.C
	}
}

// cutProxy is a TCP proxy on loopback between a station and the hub that
// can cut the line (every connection closed, new ones refused) and
// restore it: a station's network cable pulled and plugged back.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  map[net.Conn]struct{}
}

func startProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() { ln.Close(); p.Cut() })
	return p
}

func (p *cutProxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *cutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if p.cut {
			p.mu.Unlock()
			c.Close()
			continue
		}
		up, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns[c], p.conns[up] = struct{}{}, struct{}{}
		p.mu.Unlock()
		pipe := func(dst, src net.Conn) {
			io.Copy(dst, src)
			dst.Close()
			src.Close()
			p.mu.Lock()
			delete(p.conns, dst)
			delete(p.conns, src)
			p.mu.Unlock()
		}
		go pipe(up, c)
		go pipe(c, up)
	}
}

// Cut closes every connection through the proxy and refuses new ones.
func (p *cutProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for c := range p.conns {
		c.Close()
	}
}

// Restore lets connections through again.
func (p *cutProxy) Restore() {
	p.mu.Lock()
	p.cut = false
	p.mu.Unlock()
}

// siteHub is a real `tote hub` process on SQLite, with an admin token.
type siteHub struct {
	t     *testing.T
	db    string
	url   string
	admin string
	http  *http.Client
}

func startSiteHub(t *testing.T, dir string) *siteHub {
	t.Helper()
	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	h := &siteHub{t: t, db: filepath.Join(dir, "hub.db"), http: &http.Client{Timeout: 30 * time.Second}}
	h.admin = strings.TrimSpace(toteOut(t, bin, "hub", "token", "--db", h.db, "--admin"))
	cmd := exec.Command(bin, "hub", "--db", h.db, "--listen", "127.0.0.1:0", "--log-level", "warn")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, " on http://"); strings.HasPrefix(line, "tote hub: serving") && i > 0 {
			h.url = strings.Fields(line[i+4:])[0]
			break
		}
	}
	if h.url == "" {
		t.Fatalf("the hub did not say where it serves:\n%s", stderr.String())
	}
	go func() {
		for sc.Scan() {
		}
	}()
	return h
}

// toteOut runs the binary to its end and returns its standard output.
func toteOut(t *testing.T, bin string, args ...string) string {
	t.Helper()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tote %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr.String())
	}
	return string(out)
}

// call makes an admin or read API call; want is the status it must get.
func (h *siteHub) call(method, path string, body any, want int, into any) {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.url+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+h.admin)
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.http.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		h.t.Fatalf("%s %s: %d %s, want %d", method, path, resp.StatusCode, got, want)
	}
	if into != nil {
		if err := json.Unmarshal(got, into); err != nil {
			h.t.Fatalf("%s %s: %v in %s", method, path, err, got)
		}
	}
}

func (h *siteHub) order(id string) protocol.Fulfilment {
	h.t.Helper()
	var f protocol.Fulfilment
	h.call("GET", "/api/v1/orders/"+id, nil, http.StatusOK, &f)
	return f
}

// events is every event the hub keeps of a station, in sequence order.
func (h *siteHub) events(station string) []protocol.StoredEvent {
	h.t.Helper()
	var all []protocol.StoredEvent
	for after := int64(0); ; {
		var page struct {
			Events []protocol.StoredEvent `json:"events"`
		}
		h.call("GET", fmt.Sprintf("/api/v1/stations/%s/events?after=%d&limit=1000", station, after), nil, http.StatusOK, &page)
		if len(page.Events) == 0 {
			return all
		}
		all = append(all, page.Events...)
		after = page.Events[len(page.Events)-1].Seq
	}
}

// floorStation is a real `tote station` process: its screen in a
// pseudo-terminal, its scanner (and printer, scale) virtual serial devices
// on ptys, its own store, which the test reads (read-only) to know what
// the station recorded.
type floorStation struct {
	t       *testing.T
	id      string
	db      string
	dir     string
	hub     string
	token   string
	term    *terminal
	scanner *sim.ScannerSim
	printer *sim.PrinterSim
	scale   *sim.ScaleSim
	ro      *sql.DB
}

type stationKind struct {
	bench   string
	roles   string
	printer bool
	scale   bool
	// spool, when set, is the path of a spool printer (a file, appended
	// to) that takes the shipping labels instead of the pty printer.
	spool string
}

func startFloorStation(t *testing.T, dir, id, hubURL, token string, kind stationKind) *floorStation {
	t.Helper()
	sdir := filepath.Join(dir, id)
	if err := os.MkdirAll(sdir, 0o700); err != nil {
		t.Fatal(err)
	}
	s := &floorStation{t: t, id: id, db: filepath.Join(sdir, "station.db"), dir: sdir, hub: hubURL, token: token}
	var err error
	if s.scanner, err = sim.NewScanner(filepath.Join(sdir, "scanner"), sim.ScannerOptions{Suffix: "CRLF"}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.scanner.Close() })
	tokenFile := filepath.Join(sdir, "hub.token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s.run(kind)
	siteWaitUntil(t, id+" opens its store", func() bool {
		_, err := os.Stat(s.db)
		return err == nil
	}, s.screen)
	if s.ro, err = sql.Open("sqlite", "file:"+s.db+"?mode=ro&_pragma=busy_timeout(5000)"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.ro.Close() })
	return s
}

// run writes the station's configuration for kind (its devices made
// once) and starts `tote station` on it.
func (s *floorStation) run(kind stationKind) {
	t := s.t
	t.Helper()
	var err error
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "[station]\nid = %q\nsite = \"DC1\"\ndata_dir = %q\nroles = [%s]\n\n", s.id, s.dir, kind.roles)
	fmt.Fprintf(&cfg, "[sync]\nhub = %q\ntoken_file = %q\npush_interval = \"200ms\"\npull_interval = \"500ms\"\n\n", s.hub, filepath.Join(s.dir, "hub.token"))
	fmt.Fprintf(&cfg, "[pack]\ntracking_prefix = \"TB\"\n\n")
	fmt.Fprintf(&cfg, "[[scanners]]\nname = \"scanner\"\nport = %q\n\n", s.scanner.Path())
	switch {
	case kind.spool != "":
		fmt.Fprintf(&cfg, "[[printers]]\nname = \"zebra\"\ntransport = \"spool\"\npath = %q\ndpi = 203\n\n", kind.spool)
	case kind.printer:
		if s.printer == nil {
			if s.printer, err = sim.NewPrinter(filepath.Join(s.dir, "printer"), filepath.Join(s.dir, "printed")); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.printer.Close() })
		}
		fmt.Fprintf(&cfg, "[[printers]]\nname = \"zebra\"\ntransport = \"serial\"\nport = %q\ndpi = 203\n\n", s.printer.Path())
	}
	if kind.scale {
		if s.scale == nil {
			if s.scale, err = sim.NewScale(filepath.Join(s.dir, "scale"), sim.ProtocolMTSICS); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.scale.Close() })
		}
		fmt.Fprintf(&cfg, "[[scales]]\nname = \"scale\"\nport = %q\nprotocol = \"mt-sics\"\n\n", s.scale.Path())
	}
	path := filepath.Join(s.dir, "station.toml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	s.term = startTote(t, "station", "--config", path, "--bench", kind.bench)
}

// kill stops the station's process at once (kill -9): a crash, or a
// station that is down.
func (s *floorStation) kill() {
	s.t.Helper()
	s.term.cmd.Process.Kill()
	s.term.cmd.Wait()
}

func (s *floorStation) screen() string { return s.id + "'s screen:\n" + s.term.screenText() }

// journal is the station's journal from after on.
func (s *floorStation) journal(after int64) []floor.Event {
	s.t.Helper()
	rows, err := s.ro.Query(`SELECT seq, event_id, type, payload FROM journal WHERE seq > ? ORDER BY seq`, after)
	if err != nil {
		s.t.Fatalf("%s's journal: %v", s.id, err)
	}
	defer rows.Close()
	var evs []floor.Event
	for rows.Next() {
		var e floor.Event
		var payload string
		if err := rows.Scan(&e.Seq, &e.ID, &e.Type, &payload); err != nil {
			s.t.Fatal(err)
		}
		e.Payload = json.RawMessage(payload)
		evs = append(evs, e)
	}
	if err := rows.Err(); err != nil {
		s.t.Fatal(err)
	}
	return evs
}

func (s *floorStation) lastSeq() int64 {
	s.t.Helper()
	var n sql.NullInt64
	if err := s.ro.QueryRow(`SELECT MAX(seq) FROM journal`).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n.Int64
}

// scan sends data through the station's scanner and waits until the
// station journals want (an event type) for it; a rejected scan fails
// the test with the station's words and screen. It returns the events the
// scan recorded.
func (s *floorStation) scan(data string, want floor.EventType) []floor.Event {
	s.t.Helper()
	from := s.lastSeq()
	if err := s.scanner.Send(data); err != nil {
		s.t.Fatal(err)
	}
	return s.awaitEvent(from, want, "scan "+data)
}

// send sends data through the station's scanner when it journals
// nothing (a prompt opens), and waits for the screen to show text.
func (s *floorStation) send(data, text string) {
	s.t.Helper()
	if err := s.scanner.Send(data); err != nil {
		s.t.Fatal(err)
	}
	s.showing(text)
}

// showing waits until the station's screen shows text.
func (s *floorStation) showing(text string) {
	s.t.Helper()
	siteWaitUntil(s.t, s.id+" shows "+text, func() bool { return strings.Contains(s.term.screenText(), text) }, s.screen)
}

// refused sends data through the station's scanner and waits for the
// station to refuse it: journaled with a reason that says msg, and shown
// as an error on its screen.
func (s *floorStation) refused(data, msg string) {
	s.t.Helper()
	from := s.lastSeq()
	if err := s.scanner.Send(data); err != nil {
		s.t.Fatal(err)
	}
	var reason string
	siteWaitUntil(s.t, fmt.Sprintf("%s refuses %s", s.id, data), func() bool {
		for _, e := range s.journal(from) {
			var p floor.RejectPayload
			if e.Type == floor.EvScanRejected && json.Unmarshal(e.Payload, &p) == nil {
				reason = p.Reason
				return true
			}
		}
		return false
	}, s.screen)
	if !strings.Contains(reason, msg) {
		s.t.Fatalf("%s refused %s saying %q, want %q", s.id, data, reason, msg)
	}
	s.showing("✖")
}

// awaitEvent waits for an event of type want after seq from.
func (s *floorStation) awaitEvent(from int64, want floor.EventType, what string) []floor.Event {
	s.t.Helper()
	var got []floor.Event
	siteWaitUntil(s.t, fmt.Sprintf("%s at %s: %s journaled", what, s.id, want), func() bool {
		got = s.journal(from)
		for _, e := range got {
			if e.Type == floor.EvScanRejected || e.Type == floor.EvLoginRefused {
				s.t.Fatalf("%s at %s: refused: %s\n%s", what, s.id, e.Payload, s.screen())
			}
			if e.Type == want {
				return true
			}
		}
		return false
	}, func() string { return fmt.Sprintf("journaled since: %v\n%s", types(got), s.screen()) })
	return got
}

func types(evs []floor.Event) []floor.EventType {
	var ts []floor.EventType
	for _, e := range evs {
		ts = append(ts, e.Type)
	}
	return ts
}

// pushed waits until the hub has acknowledged every event journaled.
func (s *floorStation) pushed() {
	s.t.Helper()
	siteWaitUntil(s.t, s.id+" pushes its journal", func() bool {
		var pushed int64
		if err := s.ro.QueryRow(`SELECT pushed FROM sync_state WHERE id = 1`).Scan(&pushed); err != nil {
			s.t.Fatal(err)
		}
		return pushed == s.lastSeq()
	}, s.screen)
}

// query reads one value from the station's store.
func (s *floorStation) query(q string, args ...any) (v sql.NullString) {
	s.t.Helper()
	if err := s.ro.QueryRow(q, args...).Scan(&v); err != nil && err != sql.ErrNoRows {
		s.t.Fatalf("%s: %s: %v", s.id, q, err)
	}
	return v
}

// The site's goods: three plain items, each at its own pick face.
var (
	siteMug = demo.GTIN13("061414100011")
	siteCap = demo.GTIN13("061414100028")
	siteTea = demo.GTIN13("061414100035")
)

// siteDocument is the site the office imports: operators, pick faces,
// items, five orders and two waves, one for each cart.
func siteDocument() string {
	shipTo := `"ship_to":{"name":"Grace Hopper","line1":"1 Compiler Way","city":"Arlington","region":"VA","postal_code":"22201","country":"US"}`
	order := func(id, lines string) string {
		return fmt.Sprintf(`{"id":%q,"customer":"Grace Hopper",%s,"lines":[%s]}`, id, shipTo, lines)
	}
	line := func(n int, sku string, qty int) string {
		return fmt.Sprintf(`{"line":%d,"sku":%q,"qty":%d}`, n, sku, qty)
	}
	return `{
 "operators":[{"badge":"B1001","name":"Ana Picker","roles":["picker"]},
              {"badge":"B1002","name":"Ben Picker","roles":["picker"]},
              {"badge":"B2001","name":"Pam Packer","roles":["packer"]},
              {"badge":"B3001","name":"Lou Loader","roles":["loader"]}],
 "locations":[{"code":"A-01-01-1","zone":"A","aisle":1,"bay":1,"level":1,"walk_seq":1},
              {"code":"A-01-02-1","zone":"A","aisle":1,"bay":2,"level":1,"walk_seq":2},
              {"code":"A-01-03-1","zone":"A","aisle":1,"bay":3,"level":1,"walk_seq":3}],
 "items":[{"sku":"MUG-RED","description":"Red mug","gtins":["0` + siteMug + `"],"unit_weight_g":300,"length_mm":120,"width_mm":90,"height_mm":100,"location":"A-01-01-1"},
          {"sku":"CAP-BLU","description":"Blue cap","gtins":["0` + siteCap + `"],"unit_weight_g":150,"length_mm":200,"width_mm":150,"height_mm":60,"location":"A-01-02-1"},
          {"sku":"TEA-TIN","description":"Tea tin","gtins":["0` + siteTea + `"],"unit_weight_g":200,"length_mm":80,"width_mm":80,"height_mm":100,"location":"A-01-03-1"}],
 "orders":[` + strings.Join([]string{
		order("ORD-0001", line(1, "MUG-RED", 2)+","+line(2, "TEA-TIN", 1)),
		order("ORD-0002", line(1, "MUG-RED", 1)+","+line(2, "CAP-BLU", 1)),
		order("ORD-0003", line(1, "CAP-BLU", 1)),
		order("ORD-0004", line(1, "MUG-RED", 2)+","+line(2, "TEA-TIN", 1)),
		order("ORD-0005", line(1, "CAP-BLU", 1)),
	}, ",") + `],
 "waves":[{"id":"W-1","orders":["ORD-0001","ORD-0002","ORD-0005"],"station":"CART-01"},
          {"id":"W-2","orders":["ORD-0003","ORD-0004"],"station":"CART-02"}]
}`
}

// TestSiteEndToEnd runs a site as separate processes: a `tote hub`, two
// pick carts, a pack bench and a dispatch bench, each a `tote station`
// with its own store and virtual serial devices. The office imports the
// orders; the carts pick them into totes; the bench packs the totes the
// hub sends it; the dock loads the parcels and closes the pickup. On the
// way: an order cancelled while its cart picks it (ORD-0002), an order
// held while its tote is on the way to the bench (ORD-0003: the bench is
// cut off from the hub by a proxy then, and labels it), a short pick that
// becomes a back order and a partial shipment (ORD-0004), an order held
// while its parcel is on the truck (ORD-0005). At the end the hub has
// every order in the state its story says, every line reconciling, every
// station's journal exactly once, and no label or dispatch accepted for a
// held or cancelled order.
func TestSiteEndToEnd(t *testing.T) {
	dir := t.TempDir()
	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	h := startSiteHub(t, dir)
	ids := []string{"CART-01", "CART-02", "PACK-01", "DOCK-01"}
	tokens := map[string]string{}
	for _, id := range ids {
		tokens[id] = strings.TrimSpace(toteOut(t, bin, "hub", "token", "--db", h.db, "--station", id))
	}
	sitePath := filepath.Join(dir, "site.json")
	if err := os.WriteFile(sitePath, []byte(siteDocument()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := toteOut(t, bin, "hub", "import", "--db", h.db, sitePath); !strings.Contains(out, "5 orders") {
		t.Fatalf("import: %s", out)
	}

	// The pack bench reaches the hub through a line the test can cut.
	line := startProxy(t, strings.TrimPrefix(h.url, "http://"))
	cart1 := startFloorStation(t, dir, "CART-01", h.url, tokens["CART-01"], stationKind{bench: "pick", roles: `"picker"`})
	cart2 := startFloorStation(t, dir, "CART-02", h.url, tokens["CART-02"], stationKind{bench: "pick", roles: `"picker"`})
	bench := startFloorStation(t, dir, "PACK-01", line.URL(), tokens["PACK-01"], stationKind{bench: "pack", roles: `"packer"`, printer: true, scale: true})
	dock := startFloorStation(t, dir, "DOCK-01", h.url, tokens["DOCK-01"], stationKind{bench: "dispatch", roles: `"loader"`, printer: true})
	stations := []*floorStation{cart1, cart2, bench, dock}

	// Each cart has its wave from the hub.
	for c, n := range map[*floorStation]string{cart1: "5", cart2: "3"} {
		siteWaitUntil(t, c.id+" pulls its wave", func() bool {
			return c.query(`SELECT COUNT(*) FROM pick_tasks`).String == n
		}, c.screen)
	}
	cart1.scan("B1001", floor.EvLoggedIn)
	cart2.scan("B1002", floor.EvLoggedIn)

	// Cart 1: ORD-0001 whole into T00001.
	cart1.scan("T00001", floor.EvToteAssigned)
	cart1.scan("A-01-01-1", floor.EvLocationOK)
	cart1.scan(siteMug, floor.EvUnitsPicked)
	cart1.scan(siteMug, floor.EvTaskPicked)
	cart1.scan("A-01-03-1", floor.EvLocationOK)
	cart1.scan(siteTea, floor.EvTaskPicked)

	// Cart 2: ORD-0003 into T00003; ORD-0004 into T00004, one mug short
	// (not found): the hub's default rule back-orders it.
	cart2.scan("T00003", floor.EvToteAssigned)
	cart2.scan("A-01-02-1", floor.EvLocationOK)
	cart2.scan(siteCap, floor.EvTaskPicked)
	cart2.scan("T00004", floor.EvToteAssigned)
	cart2.scan("A-01-01-1", floor.EvLocationOK)
	cart2.scan(siteMug, floor.EvUnitsPicked)
	cart2.send("CMD:SHORT", "reason")
	cart2.scan("1", floor.EvTaskShort)
	cart2.scan("A-01-03-1", floor.EvLocationOK)
	cart2.scan(siteTea, floor.EvTaskPicked)

	// Cart 1: ORD-0002's first line into T00002; then the customer
	// cancels. The cart hears it at its next pull: the order's last task
	// leaves the walk and the mug in T00002 goes back to stock.
	cart1.scan("T00002", floor.EvToteAssigned)
	cart1.scan("A-01-01-1", floor.EvLocationOK)
	from := cart1.lastSeq()
	cart1.scan(siteMug, floor.EvTaskPicked)
	cart1.pushed()
	h.call("POST", "/admin/v1/orders/ORD-0002/cancel", map[string]string{"reason": "customer asked"}, http.StatusOK, nil)
	withdrawn := cart1.awaitEvent(from, floor.EvOrderWithdrawn, "the cancellation of ORD-0002")
	cart1.showing("ORD-0002 cancelled")
	cart1.showing("Return to stock")
	// and picks on: ORD-0005 into T00005.
	cart1.scan("T00005", floor.EvToteAssigned)
	cart1.scan("A-01-02-1", floor.EvLocationOK)
	cart1.scan(siteCap, floor.EvTaskPicked)

	// The bench hears of the totes the carts filled.
	for tote, order := range map[string]string{"T00001": "ORD-0001", "T00003": "ORD-0003", "T00004": "ORD-0004", "T00005": "ORD-0005"} {
		siteWaitUntil(t, "PACK-01 hears of "+tote, func() bool {
			return bench.query(`SELECT order_id FROM hub_totes WHERE code = ?`, tote).String == order
		}, bench.screen)
	}
	bench.scan("B2001", floor.EvLoggedIn)
	// weigh puts a carton on the bench scale, the pan read empty first.
	weigh := func(g float64) []floor.Event {
		t.Helper()
		bench.scale.Set(0, true)
		bench.showing("scale 0.000 kg")
		from := bench.lastSeq()
		bench.scale.Set(g, true)
		return bench.awaitEvent(from, floor.EvPackShipmentCompleted, fmt.Sprintf("weighing %g g", g))
	}
	bench.scan("T00001", floor.EvPackStarted)
	bench.scan(siteMug, floor.EvPackUnitVerified)
	bench.scan(siteMug, floor.EvPackUnitVerified)
	bench.scan(siteTea, floor.EvPackUnitVerified)
	bench.send("CMD:COMPLETE", "BOX-")
	bench.send("BOX-M", "WEIGH")
	weigh(600 + 200 + 250)
	bench.scan("T00005", floor.EvPackStarted)
	bench.scan(siteCap, floor.EvPackUnitVerified)
	bench.send("CMD:COMPLETE", "BOX-")
	bench.send("BOX-S", "WEIGH")
	weigh(150 + 120)

	// The bench's line to the hub is cut; meanwhile the office holds
	// ORD-0003, whose tote is at the bench. Not knowing, the bench packs
	// and labels it, and packs ORD-0004 (one mug short: a partial
	// shipment) too.
	line.Cut()
	bench.showing("OFFLINE")
	h.call("POST", "/admin/v1/orders/ORD-0003/holds", map[string]string{"reason": "INCORRECT_ADDRESS", "note": "no house number"}, http.StatusOK, nil)
	bench.scan("T00003", floor.EvPackStarted)
	bench.scan(siteCap, floor.EvPackUnitVerified)
	bench.send("CMD:COMPLETE", "BOX-")
	bench.send("BOX-S", "WEIGH")
	weigh(150 + 120)
	bench.scan("T00004", floor.EvPackStarted)
	bench.scan(siteMug, floor.EvPackUnitVerified)
	bench.scan(siteTea, floor.EvPackUnitVerified)
	bench.send("CMD:PARTIAL", "partially?")
	bench.send("CMD:OK", "BOX-")
	bench.send("BOX-M", "WEIGH")
	weigh(300 + 200 + 250)
	// Offline or not, the labels print: one per carton.
	printed, cancel := context.WithTimeout(context.Background(), siteWait)
	defer cancel()
	if _, err := bench.printer.WaitJobs(printed, 4); err != nil {
		t.Fatalf("the bench's labels: %v (%d printed)", err, len(bench.printer.Jobs()))
	}

	// The line is back: the bench pushes what it did offline. The hub
	// refuses ORD-0003's label and shipment (held when they arrived) and
	// the bench learns of the hold.
	line.Restore()
	bench.pushed()
	siteWaitUntil(t, "PACK-01 keeps the hub's refusals", func() bool {
		return bench.query(`SELECT COUNT(*) FROM sync_rejections WHERE reason LIKE '%ORD-0003 is ON HOLD%void the label%'`).String == "2"
	}, bench.screen)
	bench.showing("void the label")
	sscc := func(order string) string {
		t.Helper()
		v := bench.query(`SELECT c.sscc FROM cartons c JOIN shipments s ON s.id = c.shipment_id WHERE s.order_id = ?`, order)
		if !v.Valid {
			t.Fatalf("no carton of %s at the bench", order)
		}
		return v.String
	}
	parcel1, parcel3, parcel4, parcel5 := sscc("ORD-0001"), sscc("ORD-0003"), sscc("ORD-0004"), sscc("ORD-0005")

	// The dock loads the parcels the hub sends it onto the pickup; the
	// held order's parcel is refused loudly; closing the pickup prints the
	// manifest and the parcels have left.
	dock.scan("B3001", floor.EvLoggedIn)
	dock.showing("1 OWN FLEET")
	dock.scan("1", floor.EvDispatchPickupOpened)
	dock.scan(parcel1, floor.EvDispatchParcelLoaded)
	// The held order's parcel: its label was refused at the hub, so no
	// parcel of that number exists for the dock.
	dock.refused(parcel3, "is not known here yet")
	dock.scan(parcel5, floor.EvDispatchParcelLoaded)
	dock.scan(parcel4, floor.EvDispatchParcelLoaded)
	// ORD-0005 goes on hold while its parcel is on the truck: the dock
	// hears of it and will not close the pickup with it; the loader
	// takes it off.
	h.call("POST", "/admin/v1/orders/ORD-0005/holds", map[string]string{"reason": "HIGH_RISK_OF_FRAUD", "note": "check the card"}, http.StatusOK, nil)
	siteWaitUntil(t, "DOCK-01 hears of the hold on ORD-0005", func() bool {
		return dock.query(`SELECT holds FROM hub_parcels WHERE sscc = ?`, parcel5).String != ""
	}, dock.screen)
	dock.refused("CMD:CLOSE", "ORD-0005 is on hold")
	dock.scan(parcel5, floor.EvDispatchParcelUnloaded)
	dock.scan("CMD:CLOSE", floor.EvDispatchPickupClosed)
	// The manifest: the count and both parcels, nothing of the held one.
	jobs, err := dock.printer.WaitJobs(printed, 1)
	if err != nil {
		t.Fatalf("the manifest: %v", err)
	}
	if m := jobs[0].ZPL; !bytes.Contains(m, []byte("CARRIER MANIFEST")) || !bytes.Contains(m, []byte(parcel1)) ||
		!bytes.Contains(m, []byte(parcel4)) || bytes.Contains(m, []byte(parcel3)) || bytes.Contains(m, []byte(parcel5)) {
		t.Fatalf("the manifest printed:\n%s", m)
	}

	// ORD-0004 left partially: its back order waits at the hub.
	dock.pushed()
	if f := h.order("ORD-0004"); f.State != protocol.StatePartiallyShipped || len(f.BackOrders) != 1 || f.BackOrders[0].Qty != 1 {
		t.Fatalf("ORD-0004 after the pickup: %s, back orders %+v", f.State, f.BackOrders)
	}
	// The stock arrives: the office releases the back order; the cart
	// that picked the order gets the task on its finished wave, picks it
	// into a fresh tote, the bench packs it and the dock ships it.
	h.call("POST", "/admin/v1/orders/ORD-0004/release-backorder", nil, http.StatusOK, nil)
	siteWaitUntil(t, "CART-02 gets the back order's task", func() bool {
		return cart2.query(`SELECT COUNT(*) FROM pick_tasks`).String == "4"
	}, cart2.screen)
	cart2.scan("T00006", floor.EvToteAssigned)
	cart2.scan("A-01-01-1", floor.EvLocationOK)
	cart2.scan(siteMug, floor.EvTaskPicked)
	siteWaitUntil(t, "PACK-01 hears of T00006", func() bool {
		return bench.query(`SELECT order_id FROM hub_totes WHERE code = 'T00006'`).String == "ORD-0004"
	}, bench.screen)
	bench.scan("T00006", floor.EvPackStarted)
	bench.scan(siteMug, floor.EvPackUnitVerified)
	bench.send("CMD:COMPLETE", "BOX-")
	bench.send("BOX-S", "WEIGH")
	weigh(300 + 120)
	rest := bench.query(`SELECT c.sscc FROM cartons c JOIN shipments s ON s.id = c.shipment_id WHERE s.order_id = 'ORD-0004' AND c.sscc <> ?`, parcel4).String
	siteWaitUntil(t, "DOCK-01 hears of the back order's parcel", func() bool {
		return dock.query(`SELECT status FROM hub_parcels WHERE sscc = ?`, rest).String == "ready"
	}, dock.screen)
	// The loader chooses from the carriers the screen shows.
	dock.showing("1 OWN FLEET")
	dock.scan("1", floor.EvDispatchPickupOpened)
	dock.scan(rest, floor.EvDispatchParcelLoaded)
	dock.scan("CMD:CLOSE", floor.EvDispatchPickupClosed)

	// The office puts ORD-0002's mug back on its shelf.
	h.call("POST", "/admin/v1/orders/ORD-0002/restocked", nil, http.StatusOK, nil)

	// Every station's journal reaches the hub.
	for _, s := range stations {
		s.pushed()
	}

	// At the hub: each order as its story says.
	type lineWant struct{ picked, short, packed, shipped, inTote, backOrdered, restocked, cancelled int }
	stories := []struct {
		order, state string
		lines        []lineWant
	}{
		{"ORD-0001", protocol.StateShipped, []lineWant{{picked: 2, packed: 2, shipped: 2}, {picked: 1, packed: 1, shipped: 1}}},
		{"ORD-0002", protocol.StateCancelled, []lineWant{{picked: 1, restocked: 1}, {cancelled: 1}}},
		{"ORD-0003", protocol.StateOnHold, []lineWant{{picked: 1, inTote: 1}}},
		{"ORD-0004", protocol.StateShipped, []lineWant{{picked: 2, short: 1, packed: 2, shipped: 2}, {picked: 1, packed: 1, shipped: 1}}},
		{"ORD-0005", protocol.StateOnHold, []lineWant{{picked: 1, packed: 1}}},
	}
	orders := map[string]protocol.Fulfilment{}
	for _, story := range stories {
		f := h.order(story.order)
		orders[story.order] = f
		if f.State != story.state || len(f.Lines) != len(story.lines) {
			t.Errorf("%s is %s with %d lines, want %s with %d", story.order, f.State, len(f.Lines), story.state, len(story.lines))
			continue
		}
		for i, l := range f.Lines {
			got := lineWant{l.Picked, l.Short, l.Packed, l.Shipped, l.InTote, l.BackOrdered, l.Restocked, l.Cancelled}
			if got != story.lines[i] {
				t.Errorf("%s line %d: %+v, want %+v", story.order, l.Line, got, story.lines[i])
			}
			// Every unit in exactly one place.
			if sum := l.Open + l.InTote + (l.Packed - l.Shipped) + l.Shipped + l.BackOrdered + l.Restocked + l.Cancelled; sum != l.Qty {
				t.Errorf("%s line %d does not reconcile: %d units placed of %d: %+v", story.order, l.Line, sum, l.Qty, l)
			}
		}
	}
	if bo := orders["ORD-0004"].BackOrders; len(bo) != 0 {
		t.Errorf("ORD-0004's back order: %+v, want none left", bo)
	}
	if rt := orders["ORD-0002"].RestockTasks; len(rt) != 1 || rt[0].Qty != 1 || rt[0].From != "tote T00002" || rt[0].To != "A-01-01-1" || rt[0].Done == nil {
		t.Errorf("ORD-0002's restock tasks: %+v, want the mug in T00002, done", rt)
	}
	var withdraw floor.WithdrawPayload
	for _, e := range withdrawn {
		if e.Type == floor.EvOrderWithdrawn {
			json.Unmarshal(e.Payload, &withdraw)
		}
	}
	if len(withdraw.Tasks) != 1 || len(withdraw.Returns) != 1 || withdraw.Returns[0].Qty != 1 {
		t.Errorf("the cart withdrew ORD-0002 with %+v, want its cap's task and the mug to return", withdraw)
	}

	// Every station event at the hub exactly once, as the station
	// journaled it.
	held := map[string]bool{}
	for _, s := range stations {
		journal, got := s.journal(0), h.events(s.id)
		if len(got) != len(journal) {
			t.Errorf("%s journaled %d events, the hub has %d", s.id, len(journal), len(got))
			continue
		}
		for i, e := range journal {
			if g := got[i]; g.Seq != e.Seq || g.ID != e.ID || g.Type != string(e.Type) {
				t.Errorf("%s event %d: the hub has %d %s %s, the station journaled %s %s", s.id, e.Seq, g.Seq, g.ID, g.Type, e.ID, e.Type)
			}
		}
		// No label, shipment or dispatch accepted for the held or the
		// cancelled order: the hub refused them as conflicts.
		for _, g := range got {
			var about struct {
				Order string   `json:"order"`
				SSCC  string   `json:"sscc"`
				SSCCs []string `json:"ssccs"`
			}
			json.Unmarshal(g.Payload, &about)
			stopped := about.Order == "ORD-0002" || about.Order == "ORD-0003" || about.SSCC == parcel3 || slices.Contains(about.SSCCs, parcel3) || slices.Contains(about.SSCCs, parcel5)
			switch g.Type {
			case string(floor.EvPackLabelRequested), string(floor.EvPackShipmentCompleted), string(floor.EvDispatchParcelLoaded), string(floor.EvDispatchPickupClosed):
				if stopped && g.Status == protocol.Accepted {
					t.Errorf("%s's %s for %s was accepted: %s", s.id, g.Type, about.Order, g.Payload)
				}
				if stopped {
					held[g.Type] = true
				}
			}
		}
	}
	if !held[string(floor.EvPackLabelRequested)] || !held[string(floor.EvPackShipmentCompleted)] {
		t.Errorf("the bench's label and shipment of held ORD-0003 did not reach the hub: %v", held)
	}
	var conflicts []string
	for _, c := range orders["ORD-0003"].Conflicts {
		conflicts = append(conflicts, c.Kind)
	}
	if slices.Sort(conflicts); !slices.Equal(conflicts, []string{"held-order", "held-order"}) {
		t.Errorf("ORD-0003's conflicts: %+v, want its label and its shipment refused as held", orders["ORD-0003"].Conflicts)
	}
	// And across the hub, no event twice.
	hubDB, err := sql.Open("sqlite", "file:"+h.db+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer hubDB.Close()
	var twice int
	if err := hubDB.QueryRow(`SELECT COUNT(*) FROM (SELECT event_id FROM events GROUP BY event_id HAVING COUNT(*) > 1)`).Scan(&twice); err != nil || twice != 0 {
		t.Errorf("%d event ids twice at the hub (%v)", twice, err)
	}
}

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

func doctorRun(args ...string) (code int, stdout, stderr string) {
	var out, errb strings.Builder
	code = run(append([]string{"doctor"}, args...), stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

// doctorBench is a packing bench of virtual devices on pseudo-terminals,
// one scanner that is not plugged in, and its configuration file.
type doctorBench struct {
	dir, config, data string
	scanner           *sim.ScannerSim
	printer           *sim.PrinterSim
	scale             *sim.ScaleSim
	missing, spool    string
}

func newDoctorBench(t *testing.T) *doctorBench {
	t.Helper()
	b := &doctorBench{dir: t.TempDir()}
	b.data = filepath.Join(b.dir, "data")
	b.missing = filepath.Join(b.dir, "ttyGone")
	b.spool = filepath.Join(b.dir, "spool")
	if err := os.Mkdir(b.spool, 0o750); err != nil {
		t.Fatal(err)
	}
	var err error
	if b.scanner, err = sim.NewScanner(filepath.Join(b.dir, "ttyScan"), sim.ScannerOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.scanner.Close() })
	if b.printer, err = sim.NewPrinter(filepath.Join(b.dir, "ttyZebra"), filepath.Join(b.dir, "printed")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.printer.Close() })
	if b.scale, err = sim.NewScale(filepath.Join(b.dir, "ttyScale"), sim.ProtocolMTSICS); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.scale.Close() })
	b.scale.Set(1250, true)
	if err := os.MkdirAll(b.data, 0o750); err != nil {
		t.Fatal(err)
	}
	b.config = filepath.Join(b.dir, "station.toml")
	toml := fmt.Sprintf(`[station]
id = "PACK-03"
site = "DC1"
data_dir = %q

[[scanners]]
name = "bench-scanner"
port = %q

[[scanners]]
name = "spare-scanner"
port = %q

[[printers]]
name = "bench-zebra"
transport = "serial"
port = %q
status_timeout = "300ms"

[[printers]]
name = "cups-labels"
transport = "spool"
path = %q

[[scales]]
name = "bench-scale"
port = %q
protocol = "mt-sics"
`, b.data, b.scanner.Path(), b.missing, b.printer.Path(), b.spool, b.scale.Path())
	if err := os.WriteFile(b.config, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	return b
}

func wantLines(t *testing.T, out string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(out, l) {
			t.Errorf("output lacks %q:\n%s", l, out)
		}
	}
}

func TestDoctorChecksEveryDevice(t *testing.T) {
	b := newDoctorBench(t)
	code, out, errs := doctorRun("--config", b.config, "--test-label", "bench-zebra")
	if code != 1 {
		t.Fatalf("exit %d (the spare scanner is missing), stderr %q\n%s", code, errs, out)
	}
	wantLines(t, out,
		"OK   config: "+b.config+": station PACK-03 at site DC1; 2 scanners, 2 printers, 1 scale",
		"OK   scanner bench-scanner: port "+b.scanner.Path()+" opens",
		"FAIL scanner spare-scanner: port "+b.missing+" not found — plug the device in, or use its stable /dev/serial/by-id/… name (tote devices lists them)",
		"OK   printer bench-zebra: ready: ready (0 formats in buffer)",
		"OK   printer bench-zebra: test label sent: check that a label marked TEST came out",
		"WARN printer cups-labels: spool "+b.spool+" cannot say how the printer is: check the printer itself",
		"OK   scale bench-scale: reads 1.250 kg, stable",
		"OK   data_dir "+b.data+": writable",
		"OK   store "+filepath.Join(b.data, "station.db")+": none yet: the station creates it at first start",
		"OK   sync: no hub configured: the station works alone",
		"\n11 checks: ",
		", 1 FAIL\n",
	)
	if !strings.Contains(out, "OK   disk: ") && !strings.Contains(out, "WARN disk: ") {
		t.Errorf("no disk check:\n%s", out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	jobs, err := b.printer.WaitJobs(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 || !strings.Contains(string(jobs[0].ZPL), "^FDTEST^FS") || !strings.Contains(string(jobs[0].ZPL), "printer bench-zebra") {
		t.Fatalf("printed %q", jobs[0].ZPL)
	}
	if _, err := os.Stat(filepath.Join(b.data, "station.db")); !os.IsNotExist(err) {
		t.Error("doctor created a store")
	}
}

// A printer that is not ready fails with what to do, and gets no test label.
func TestDoctorSaysWhatIsWrongWithThePrinter(t *testing.T) {
	b := newDoctorBench(t)
	b.printer.SetFault(sim.FaultPaperOut)
	b.scale.Set(800, false)
	_, out, _ := doctorRun("--config", b.config, "--test-label", "bench-zebra")
	wantLines(t, out,
		"FAIL printer bench-zebra: out of labels — load labels\n",
		"FAIL printer bench-zebra: test label not sent: the printer is not ready",
		"WARN scale bench-scale: answers, but the weight is still moving (800 g)",
	)
	b.printer.SetFault(sim.FaultNone)
	b.printer.SetMute(true)
	_, out, _ = doctorRun("--config", b.config)
	wantLines(t, out, "FAIL printer bench-zebra: not answering (printer did not answer: no reply to ~HS within 300ms from "+b.printer.Path()+") — check that the printer is switched on")
	if n := len(b.printer.Jobs()); n != 0 {
		t.Fatalf("%d labels printed on a printer that was not ready", n)
	}
}

func TestDoctorRefusesABadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "station.toml")
	os.WriteFile(path, []byte("[station]\nid = \"PACK-03\"\nsite = \"DC1\"\n\n[[printers]]\nname = \"zebra\"\ntransport = \"tcp\"\nadress = \"10.0.0.5\"\n"), 0o600)
	code, out, _ := doctorRun("--config", path)
	if code != 1 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	wantLines(t, out, "FAIL config: the configuration is not valid", path+":5: printers[0]", path+":8: printers[0].adress")
	if strings.Contains(out, "OK ") {
		t.Errorf("checks ran on a bad config:\n%s", out)
	}

	code, out, _ = doctorRun("--config", filepath.Join(t.TempDir(), "none.toml"))
	if code != 1 || !strings.Contains(out, "none.toml: cannot read: no such file or directory") {
		t.Fatalf("missing file: exit %d\n%s", code, out)
	}
}

func TestDoctorUsageErrors(t *testing.T) {
	b := newDoctorBench(t)
	if code, _, errs := doctorRun("--config", b.config, "--test-label", "no-such-printer"); code != 2 || !strings.Contains(errs, "has no printer of that name (its printers: bench-zebra, cups-labels)") {
		t.Errorf("unknown test printer: exit %d, %q", code, errs)
	}
	if code, _, _ := doctorRun("--config", b.config, "extra"); code != 2 {
		t.Errorf("an argument: exit %d", code)
	}
}

// The store is checked with the station's own refusals, and labels in doubt
// in its print queue are pointed out.
func TestDoctorChecksTheStore(t *testing.T) {
	b := newDoctorBench(t)
	db := filepath.Join(b.data, "station.db")
	st, err := store.Open(context.Background(), db, "PACK-03")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	id, err := st.Enqueue(context.Background(), now, "B1001", store.NewPrintJob{Printer: "bench-zebra", Kind: floor.LabelShipping, Ref: "SHP-42", ZPL: []byte("^XA^FDSHP-42^FS^XZ")})
	if err != nil {
		t.Fatal(err)
	}
	st.StartSending(context.Background(), now, id)
	st.MarkNeedsOperator(context.Background(), now, id, "label partly sent")
	st.Close()
	_, out, _ := doctorRun("--config", b.config)
	wantLines(t, out,
		"OK   store "+db+": opens (schema ",
		fmt.Sprintf("WARN print queue: printer bench-zebra: 1 label may not have printed (job %d SHP-42)", id),
	)

	garbage := []byte(strings.Repeat("not a database ", 500))
	os.WriteFile(db, garbage, 0o600)
	os.Remove(db + "-wal")
	os.Remove(db + "-shm")
	code, out, _ := doctorRun("--config", b.config)
	wantLines(t, out, "FAIL store "+db+": "+db+": database is corrupt", "move it aside")
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	if got, _ := os.ReadFile(db); string(got) != string(garbage) {
		t.Error("doctor changed the corrupt store")
	}
}

// TestDoctorFullCheckOnDemand: a store closed cleanly is not read whole
// at start, and doctor says so; --full-check reads it all.
func TestDoctorFullCheckOnDemand(t *testing.T) {
	b := newDoctorBench(t)
	db := filepath.Join(b.data, "station.db")
	st, err := store.Open(context.Background(), db, "PACK-03")
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, out, _ := doctorRun("--config", b.config)
	wantLines(t, out, "OK   store "+db+": opens (schema ", "full check not due: last shutdown clean")
	_, out, _ = doctorRun("--config", b.config, "--full-check")
	wantLines(t, out, "quick_check ok, run because: asked for", "OK   store "+db+": integrity_check ok")
	if strings.Contains(out, "FAIL store") {
		t.Errorf("a sound store failed:\n%s", out)
	}
}

// doctorSyncStation is a station with no devices whose [sync] points at
// hubURL with its token in tokenFile (written when token is not "").
func doctorSyncStation(t *testing.T, hubURL, token string, mode os.FileMode) (config, tokenFile string) {
	t.Helper()
	dir := t.TempDir()
	tokenFile = filepath.Join(dir, "hub.token")
	if token != "" {
		if err := os.WriteFile(tokenFile, []byte(token+"\n"), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(tokenFile, mode); err != nil { // past the umask
			t.Fatal(err)
		}
	}
	config = filepath.Join(dir, "station.toml")
	toml := fmt.Sprintf(`[station]
id = "PACK-03"
site = "DC1"
data_dir = %q

[sync]
hub = %q
token_file = %q
`, filepath.Join(dir, "data"), hubURL, tokenFile)
	if err := os.WriteFile(config, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	return config, tokenFile
}

// doctorHub is a real hub on loopback with PACK-01 and PACK-03 registered.
func doctorHub(t *testing.T) (srv *httptest.Server, tokens map[string]string) {
	t.Helper()
	ctx := context.Background()
	hs, err := hubstore.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	tokens = map[string]string{}
	for _, id := range []string{"PACK-01", "PACK-03"} {
		tokens[id] = hub.NewToken(hub.TokenStation)
		if err := hs.RegisterStation(ctx, id, "", hub.HashToken(tokens[id]), time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	reg, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: hub.AllScopes}, hub.Console("test"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tokens["admin"] = reg.Token
	srv = httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	t.Cleanup(srv.Close)
	return srv, tokens
}

// TestDoctorChecksTheHub is issue 14's sixth defect: a wrong hub address,
// a missing token file or a bad token gave 0 FAIL and exit 0, and then the
// station refused to start or showed SYNC STOPPED. Each is a FAIL now,
// saying what to do, checked against a real hub on loopback.
func TestDoctorChecksTheHub(t *testing.T) {
	srv, tokens := doctorHub(t)

	// A good configuration passes.
	cfg, tokenFile := doctorSyncStation(t, srv.URL, tokens["PACK-03"], 0o600)
	code, out, _ := doctorRun("--config", cfg)
	wantLines(t, out,
		"OK   sync token_file "+tokenFile+": readable by this user only",
		"OK   hub "+srv.URL+": reachable, sync protocol 1, token accepted for station PACK-03 (station number 2); news as it commits: the hub holds a pull up to 30s",
		"0 FAIL")
	if code != 0 {
		t.Errorf("a good configuration: exit %d:\n%s", code, out)
	}

	cases := []struct {
		name  string
		hub   string
		token string // "" leaves the token file out
		mode  os.FileMode
		want  []string
	}{
		{"bad token", srv.URL, "tote_station_notonethehubgave", 0o600, []string{
			"FAIL hub " + srv.URL + ": the hub does not know the token in ",
			"`tote hub token --db hub.db --station PACK-03`"}},
		{"another station's token", srv.URL, tokens["PACK-01"], 0o600, []string{
			"belongs to station PACK-01, not PACK-03"}},
		{"an admin token", srv.URL, tokens["admin"], 0o600, []string{
			"is not a station token"}},
		{"missing token file", srv.URL, "", 0, []string{
			"FAIL sync token_file ", "does not exist, so the station will not start",
			"FAIL hub " + srv.URL + ": not checked"}},
		{"empty token file", srv.URL, " ", 0o600, []string{"is empty, so the station will not start"}},
		{"not a hub", notAHub(t), tokens["PACK-03"], 0o600, []string{"the address answers, but not as a tote hub", "the address the hub serves on (`tote hub --listen ADDR`)"}},
		{"another protocol version", otherVersion(t, srv), tokens["PACK-03"], 0o600, []string{
			"this hub speaks sync protocol version 1, the request version 2", "run the same tote version on the hub and the stations"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, _ := doctorSyncStation(t, c.hub, c.token, c.mode)
			code, out, _ := doctorRun("--config", cfg)
			wantLines(t, out, c.want...)
			if code != 1 || strings.Contains(out, " 0 FAIL") {
				t.Errorf("exit %d, want 1:\n%s", code, out)
			}
		})
	}

	// A token file others can read works, with a warning.
	cfg, tokenFile = doctorSyncStation(t, srv.URL, tokens["PACK-03"], 0o644)
	code, out, _ = doctorRun("--config", cfg)
	wantLines(t, out, "WARN sync token_file "+tokenFile+": others can read it (mode 0644)", "chmod 600 "+tokenFile,
		"OK   hub "+srv.URL+": reachable")
	if code != 0 {
		t.Errorf("a readable token file: exit %d:\n%s", code, out)
	}

	// The hub down: nothing listens at its address any more.
	cfg, _ = doctorSyncStation(t, srv.URL, tokens["PACK-03"], 0o600)
	srv.Close()
	code, out, _ = doctorRun("--config", cfg)
	wantLines(t, out, "FAIL hub "+srv.URL+": cannot reach it", "that the hub runs (`tote hub --listen ADDR --db FILE` on its machine)")
	// The advice names a command that exists: there is no `tote hub serve`.
	if strings.Contains(out, "hub serve") {
		t.Errorf("the hub down: the advice names a command tote does not have:\n%s", out)
	}
	if code != 1 {
		t.Errorf("the hub down: exit %d:\n%s", code, out)
	}
}

// notAHub is a web server on loopback that is not a tote hub.
func notAHub(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "<html>It works!</html>")
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// otherVersion stands for a station of another protocol version in front
// of the real hub: the hub hears version 2 and answers as it would.
func otherVersion(t *testing.T, h *httptest.Server) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set(protocol.VersionHeader, "2")
		h.Config.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

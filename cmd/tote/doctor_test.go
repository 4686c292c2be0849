package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
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
		"\n10 checks: ",
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

package printing_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/printing"
	"github.com/totewms/tote/station/store"
)

// checkingPrinter is a real printer with a look at the queue just before
// each Send reaches it.
type checkingPrinter struct {
	printer.Printer
	st *store.Store

	mu   sync.Mutex
	seen [][]store.PrintJob // the jobs recorded as sending, at each Send
}

var _ printer.Printer = (*checkingPrinter)(nil)

func (c *checkingPrinter) Send(ctx context.Context, zpl []byte) error {
	jobs, err := c.st.PrintJobs(ctx, "", store.PrintSending)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.seen = append(c.seen, jobs)
	c.mu.Unlock()
	return c.Printer.Send(ctx, zpl)
}

// A label is recorded, and marked sending, before a byte of it goes out.
func TestLabelIsRecordedBeforeItIsSent(t *testing.T) {
	st := openStore(t, "")
	ps, p := serialSim(t)
	cp := &checkingPrinter{Printer: p, st: st}
	r := startSpooler(t, st, map[string]printer.Printer{"ZEBRA-1": cp})
	id := r.enqueue(t, "ZEBRA-1", "SHP-1001")
	if got := waitPrinted(t, ps, 1); !slices.Equal(got, []string{"SHP-1001"}) {
		t.Fatalf("printed %v", got)
	}
	j := waitJob(t, st, id, store.PrintSent)
	cp.mu.Lock()
	defer cp.mu.Unlock()
	if len(cp.seen) != 1 || len(cp.seen[0]) != 1 || cp.seen[0][0].ID != id || cp.seen[0][0].Attempts != 1 {
		t.Fatalf("at Send the queue held %+v", cp.seen)
	}
	if j.Attempts != 1 || j.SentAt.IsZero() || j.Reason != "" {
		t.Fatalf("sent job %+v", j)
	}
	if !strings.Contains(r.log.String(), "label sent") {
		t.Errorf("nothing logged for the sent label:\n%s", r.log)
	}
}

// A printer that is not ready holds its labels with what to do; when it is
// ready again they print, each exactly once, in order.
func TestNotReadyHoldsThenPrintsOnce(t *testing.T) {
	st := openStore(t, "")
	ps, p := serialSim(t)
	ps.SetFault(sim.FaultHeadOpen)
	r := startSpooler(t, st, map[string]printer.Printer{"ZEBRA-1": p})

	a := r.enqueue(t, "ZEBRA-1", "A")
	r.waitReport(t, "ZEBRA-1", "Printer ZEBRA-1: print head open — close the print head; 1 label waiting")
	if j := waitJob(t, st, a, store.PrintHeld); j.Reason != "print head open — close the print head" || j.Attempts != 0 {
		t.Fatalf("held job %+v", j)
	}

	ps.SetFault(sim.FaultPaperOut)
	r.waitReport(t, "ZEBRA-1", "Printer ZEBRA-1: out of labels — load labels; 1 label waiting")
	b := r.enqueue(t, "ZEBRA-1", "B")
	rep := r.waitReport(t, "ZEBRA-1", "Printer ZEBRA-1: out of labels — load labels; 2 labels waiting")
	if rep.State != printing.StateHeld || rep.Problem != "out of labels" || rep.Instruction != "load labels" {
		t.Fatalf("report %+v", rep)
	}
	for _, id := range []int64{a, b} {
		if j := waitJob(t, st, id, store.PrintHeld); j.Reason != "out of labels — load labels" {
			t.Fatalf("job %d held for %q", id, j.Reason)
		}
	}
	if n, held := len(ps.Jobs()), ps.Held(); n != 0 || held != 0 {
		t.Fatalf("a held label reached the printer: %d printed, %d in its buffer", n, held)
	}

	ps.SetFault(sim.FaultNone) // labels loaded
	if got := waitPrinted(t, ps, 2); !slices.Equal(got, []string{"A", "B"}) {
		t.Fatalf("printed %v", got)
	}
	waitJob(t, st, a, store.PrintSent)
	waitJob(t, st, b, store.PrintSent)
	r.waitReport(t, "ZEBRA-1", "Printer ZEBRA-1: nothing to print")

	// A later label comes out next: no copy of A or B went out before it.
	r.enqueue(t, "ZEBRA-1", "C")
	if got := waitPrinted(t, ps, 3); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Fatalf("printed %v", got)
	}
	if len(ps.Jobs()) != 3 || len(ps.Errors()) != 0 {
		t.Fatalf("printer: %v, errors %v", printedRefs(ps.Jobs()), ps.Errors())
	}
	// The operator heard each step, in order.
	want := []string{
		"Printer ZEBRA-1: print head open — close the print head; 1 label waiting",
		"Printer ZEBRA-1: out of labels — load labels; 2 labels waiting",
		"Printer ZEBRA-1: printing; 2 labels waiting",
		"Printer ZEBRA-1: nothing to print",
	}
	h := r.history("ZEBRA-1")
	at := 0
	for _, line := range h {
		if at < len(want) && line == want[at] {
			at++
		}
	}
	if at != len(want) {
		t.Errorf("reports heard %q\nwant in order %q", h, want)
	}
	if !strings.Contains(r.log.String(), "printer not ready: labels held") {
		t.Errorf("holding was not logged:\n%s", r.log)
	}
}

// A printer that never answers ~HS holds its labels with a clear reason,
// while the station's other printer goes on printing.
func TestSilentPrinterIsHeldAndTheRestGoesOn(t *testing.T) {
	st := openStore(t, "")
	ps, p := serialSim(t)
	ps.SetMute(true)
	spoolDir := t.TempDir()
	spool, err := printer.NewSpool(spoolDir)
	if err != nil {
		t.Fatal(err)
	}
	r := startSpooler(t, st, map[string]printer.Printer{"ZEBRA-1": p, "SLIPS": spool})

	a := r.enqueue(t, "ZEBRA-1", "A")
	s1 := r.enqueue(t, "SLIPS", "S1")
	waitJob(t, st, s1, store.PrintSent)
	rep := r.waitReport(t, "ZEBRA-1", "Printer ZEBRA-1: not answering — check that the printer is switched on and connected; 1 label waiting")
	if !strings.Contains(rep.Detail, "no reply to ~HS") {
		t.Errorf("detail %q", rep.Detail)
	}
	if j := waitJob(t, st, a, store.PrintHeld); j.Reason != "not answering — check that the printer is switched on and connected" {
		t.Fatalf("held for %q", j.Reason)
	}
	s2 := r.enqueue(t, "SLIPS", "S2")
	waitJob(t, st, s2, store.PrintSent)
	if _, ok := r.report("ZEBRA-1"); !ok || len(ps.Jobs()) != 0 {
		t.Fatalf("silent printer printed %v", printedRefs(ps.Jobs()))
	}

	ps.SetMute(false)
	if got := waitPrinted(t, ps, 1); !slices.Equal(got, []string{"A"}) {
		t.Fatalf("printed %v", got)
	}
	waitJob(t, st, a, store.PrintSent)
	r.enqueue(t, "ZEBRA-1", "A2")
	if got := waitPrinted(t, ps, 2); !slices.Equal(got, []string{"A", "A2"}) {
		t.Fatalf("printed %v", got)
	}
}

// A spool directory printer has no status: its labels go out unchecked,
// one whole file each, in order.
func TestSpoolDirectoryPrinter(t *testing.T) {
	st := openStore(t, "")
	dir := t.TempDir()
	spool, err := printer.NewSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := startSpooler(t, st, map[string]printer.Printer{"CUPS": spool})
	var ids []int64
	for _, ref := range []string{"P1", "P2", "P3"} {
		ids = append(ids, r.enqueue(t, "CUPS", ref))
	}
	for _, id := range ids {
		waitJob(t, st, id, store.PrintSent)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "job-*.zpl"))
	slices.Sort(files)
	var got []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, refOf(b))
	}
	if !slices.Equal(got, []string{"P1", "P2", "P3"}) {
		t.Fatalf("spool files %v", got)
	}
	r.waitReport(t, "CUPS", "Printer CUPS: nothing to print")
}

// A send in which nothing left the station is tried again after a pause,
// and prints once the printer can take it.
func TestNothingSentIsTriedAgain(t *testing.T) {
	st := openStore(t, "")
	dir := filepath.Join(t.TempDir(), "spool")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	spool, err := printer.NewSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(dir) // the spool folder goes away: nothing can be written
	r := startSpooler(t, st, map[string]printer.Printer{"CUPS": spool})
	id := r.enqueue(t, "CUPS", "X")
	var j store.PrintJob
	waitFor(t, "a failed attempt", func() bool {
		j, _ = st.PrintJob(context.Background(), id)
		return j.Status == store.PrintFailed && j.Attempts >= 2
	}, func() string { return string(j.Status) + " " + j.Reason })
	if !strings.HasPrefix(j.Reason, "could not send the label: spool ") || !strings.Contains(j.Reason, "no such file or directory") {
		t.Fatalf("reason %q", j.Reason)
	}
	if rep, _ := r.report("CUPS"); rep.State != printing.StateRetrying && rep.State != printing.StatePrinting {
		t.Fatalf("report %+v", rep)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	j = waitJob(t, st, id, store.PrintSent)
	files, _ := filepath.Glob(filepath.Join(dir, "job-*.zpl"))
	if len(files) != 1 {
		t.Fatalf("%d files after %d attempts", len(files), j.Attempts)
	}
	if !strings.Contains(r.log.String(), "label not sent; it is tried again") {
		t.Errorf("failure not logged:\n%s", r.log)
	}
}

// A label cut off in the middle is never sent again by itself: the
// operator is told, and a reprint (with its reason) sends it again.
func TestPartlySentWaitsForTheOperator(t *testing.T) {
	st := openStore(t, "")
	bp := newBreakingPrinter(t)
	r := startSpooler(t, st, map[string]printer.Printer{"NET-1": printer.NewTCP(bp.ln.Addr().String(), testStatusTimeout)})

	// Big enough not to fit in the socket buffers, so the reset cuts it.
	big := append([]byte("^XA^FDLABEL BIG^FS"), bytes.Repeat([]byte("^FX padding for a large graphic^FS"), 7<<20/34)...)
	big = append(big, "^XZ"...)
	id, err := r.Enqueue(context.Background(), "", store.NewPrintJob{Printer: "NET-1", Kind: floor.LabelShipping, Ref: "BIG", ZPL: big})
	if err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, st, id, store.PrintNeedsOperator)
	if !strings.Contains(j.Reason, "label partly sent") || !strings.Contains(j.Reason, "check the printer, then reprint it or confirm it printed") {
		t.Fatalf("reason %q", j.Reason)
	}
	r.waitReport(t, "NET-1", "Printer NET-1: nothing to print; 1 label may not have printed (BIG) — check the printer, then reprint or confirm")

	r.enqueue(t, "NET-1", "NEXT")
	got := bp.waitWhole(t, 1)
	if broken, whole := bp.counts(); broken != 1 || whole != 1 || refOf(got[0]) != "NEXT" {
		t.Fatalf("printer got %d cut and %d whole labels (first %q)", broken, whole, refOf(got[0]))
	}

	rj, err := r.Reprint(context.Background(), store.ReprintRequest{Job: id, Operator: "B2002", Reason: "half a label came out"})
	if err != nil {
		t.Fatal(err)
	}
	got = bp.waitWhole(t, 2)
	if !bytes.Equal(got[1], big) {
		t.Fatalf("reprint sent %d bytes, want the %d of the label", len(got[1]), len(big))
	}
	waitJob(t, st, rj.ID, store.PrintSent)
	r.waitReport(t, "NET-1", "Printer NET-1: nothing to print")
	if !strings.Contains(r.log.String(), "label may have printed partly") {
		t.Errorf("not logged:\n%s", r.log)
	}
}

// A label that was being sent when tote stopped may have printed: after a
// restart it waits for the operator, and prints again only on a reprint,
// which is journaled with its reason and linked to the original.
func TestInterruptedLabelAfterRestart(t *testing.T) {
	ctx := context.Background()
	st := openStore(t, "")
	t0 := time.Now()
	id, err := st.Enqueue(ctx, t0, "B1001", store.NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-7", ZPL: label("SHP-7")})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := st.StartSending(ctx, t0, id); !ok || err != nil {
		t.Fatal(ok, err)
	}
	// ...and tote was killed here. Now it starts again.
	ps, p := serialSim(t)
	r := startSpooler(t, st, map[string]printer.Printer{"ZEBRA-1": p})
	j := waitJob(t, st, id, store.PrintNeedsOperator)
	if j.Reason != store.InterruptedReason {
		t.Fatalf("reason %q", j.Reason)
	}
	r.waitReport(t, "ZEBRA-1", "Printer ZEBRA-1: nothing to print; 1 label may not have printed (SHP-7) — check the printer, then reprint or confirm")

	r.enqueue(t, "ZEBRA-1", "SHP-8")
	if got := waitPrinted(t, ps, 1); !slices.Equal(got, []string{"SHP-8"}) {
		t.Fatalf("printed %v", got)
	}

	if _, err := r.Reprint(ctx, store.ReprintRequest{Job: id, Operator: "B1001"}); err == nil {
		t.Fatal("a reprint without a reason was accepted")
	}
	rj, err := r.Reprint(ctx, store.ReprintRequest{Job: id, Operator: "B1001", Reason: "not at the printer"})
	if err != nil {
		t.Fatal(err)
	}
	if got := waitPrinted(t, ps, 2); !slices.Equal(got, []string{"SHP-8", "SHP-7"}) {
		t.Fatalf("printed %v", got)
	}
	rj = waitJob(t, st, rj.ID, store.PrintSent)
	if rj.ReprintOf != id {
		t.Fatalf("reprint not linked: %+v", rj)
	}
	evs, _ := st.Journal(ctx, 0, 100)
	last := evs[len(evs)-1]
	var pl floor.LabelReprintedPayload
	json.Unmarshal(last.Payload, &pl)
	if last.Type != floor.EvLabelReprinted || last.Operator != "B1001" || pl.Reason != "not at the printer" || pl.Original != id || pl.Job != rj.ID {
		t.Fatalf("journal ends with %+v %+v", last, pl)
	}
	r.waitReport(t, "ZEBRA-1", "Printer ZEBRA-1: nothing to print")

	// A plain reprint of a label that printed makes a second copy.
	if _, err := r.Reprint(ctx, store.ReprintRequest{Job: rj.ID, Operator: "B1001", Reason: "carton relabelled"}); err != nil {
		t.Fatal(err)
	}
	if got := waitPrinted(t, ps, 3); !slices.Equal(got, []string{"SHP-8", "SHP-7", "SHP-7"}) {
		t.Fatalf("printed %v", got)
	}
	if !strings.Contains(r.log.String(), "it may or may not have printed") {
		t.Errorf("not logged:\n%s", r.log)
	}
}

// Labels for a printer this station does not have wait, and say why.
func TestLabelsForAnUnknownPrinter(t *testing.T) {
	st := openStore(t, "")
	_, p := serialSim(t)
	r := startSpooler(t, st, map[string]printer.Printer{"ZEBRA-1": p})
	id := r.enqueue(t, "GHOST", "G1")
	rep := r.waitReport(t, "GHOST", `Printer GHOST: not configured on this station — add a [[printers]] entry named "GHOST" to the station's configuration; 1 label waiting`)
	if rep.State != printing.StateNotConfigured {
		t.Fatalf("report %+v", rep)
	}
	if j := waitJob(t, st, id, store.PrintHeld); !strings.HasPrefix(j.Reason, "not configured on this station") {
		t.Fatalf("reason %q", j.Reason)
	}
}

func TestRunTwiceIsRefused(t *testing.T) {
	st := openStore(t, "")
	spool, err := printer.NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r := startSpooler(t, st, map[string]printer.Printer{"CUPS": spool})
	r.waitReport(t, "CUPS", "Printer CUPS: nothing to print") // the first Run is under way
	if err := r.Run(context.Background()); err != printing.ErrAlreadyRunning {
		t.Fatalf("second Run: %v", err)
	}
}

func TestNewRefusesBadPrinters(t *testing.T) {
	st := openStore(t, "")
	if _, err := printing.New(nil, nil, printing.Options{}); err == nil {
		t.Error("no store accepted")
	}
	if _, err := printing.New(st, map[string]printer.Printer{"Z": nil}, printing.Options{}); err == nil || !strings.Contains(err.Error(), "printer Z is nil") {
		t.Errorf("nil printer: %v", err)
	}
	if _, err := printing.New(st, map[string]printer.Printer{" ": printer.NewTCP("127.0.0.1:1", 0)}, printing.Options{}); err == nil {
		t.Error("a printer without a name accepted")
	}
}

package printing_test

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/totewms/tote/devices/printer"
	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/printing"
	"github.com/totewms/tote/station/store"
)

// The crash test re-runs this test binary as a station that only prints
// (TestMain sees the variables) and kills it with SIGKILL.
const (
	crashDBEnv      = "TOTE_PRINTQ_CRASH_DB"
	crashPrinterEnv = "TOTE_PRINTQ_CRASH_PRINTER"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(crashDBEnv); path != "" {
		os.Exit(crashChild(path, os.Getenv(crashPrinterEnv)))
	}
	os.Exit(m.Run())
}

// crashChild runs the spooler on the store until the queue is empty, then
// prints IDLE. Its log goes to standard output, one line per record, so the
// parent can kill it right after it marked a label sending or sent.
func crashChild(path, addr string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, path, "PACK-01")
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		return 3
	}
	defer st.Close()
	idle := make(chan struct{})
	var once sync.Once
	sp, err := printing.New(st, map[string]printer.Printer{"ZEBRA-1": printer.NewTCP(addr, time.Second)}, printing.Options{
		Log:       slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PollEvery: 20 * time.Millisecond, RetryMin: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond,
		OnReport: func(r printing.Report) {
			if r.Printer == "ZEBRA-1" && r.State == printing.StateIdle {
				once.Do(func() { close(idle) })
			}
		},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child spooler:", err)
		return 3
	}
	done := make(chan error, 1)
	go func() { done <- sp.Run(ctx) }()
	<-idle
	cancel()
	if err := <-done; err != nil {
		fmt.Fprintln(os.Stderr, "child run:", err)
		return 4
	}
	fmt.Println("IDLE")
	return 0
}

// TestKillNineNeverPrintsTwice kills a printing station at random moments,
// many times, each time restarting it on the same store. Afterwards every
// label recorded as sent printed exactly once, every label in doubt printed
// at most once and waits for the operator, nothing is left half done, and
// reprinting the labels in doubt prints each of them again exactly once.
func TestKillNineNeverPrintsTwice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "station.db")
	ps, err := sim.NewPrinterTCP("127.0.0.1:0", filepath.Join(dir, "printed"))
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()

	const labels = 80
	st, err := store.Open(ctx, path, "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= labels; i++ {
		ref := fmt.Sprintf("L%02d", i)
		if _, err := st.Enqueue(ctx, time.Now(), "", store.NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: ref, ZPL: label(ref)}); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	rng := rand.New(rand.NewPCG(7, 11))
	kills, idle := 0, false
	for round := 0; round < 300 && !idle; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashDBEnv+"="+path, crashPrinterEnv+"="+ps.Addr())
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill right after the child says it marked a label sending (so the
		// kill lands in the send or before its outcome is recorded) or sent.
		killAfter := 1 + rng.IntN(4)
		sc := bufio.NewScanner(stdout)
		seen := 0
		for sc.Scan() {
			line := sc.Text()
			if line == "IDLE" {
				idle = true
				break
			}
			if strings.Contains(line, `msg="sending label"`) || strings.Contains(line, `msg="label sent"`) {
				if seen++; seen >= killAfter {
					cmd.Process.Signal(syscall.SIGKILL)
					kills++
					break
				}
			}
		}
		go func() {
			for sc.Scan() { // drain what the child wrote before it died
			}
		}()
		err = cmd.Wait()
		if !idle {
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Fatalf("round %d: child ended without being killed: %v\n%s", round, err, stderr.String())
			}
		}
	}
	if !idle {
		t.Fatalf("the queue never emptied after %d kills", kills)
	}
	if kills < 30 {
		t.Fatalf("only %d kills: the queue ran out; queue more labels", kills)
	}

	// Every child is gone. One more label, sent after all of them, marks
	// the end of what the printer was sent.
	st = openStore(t, path)
	if err := st.DB().IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	tcp := printer.NewTCP(ps.Addr(), time.Second)
	r := startSpooler(t, st, map[string]printer.Printer{"ZEBRA-1": tcp})
	end := r.enqueue(t, "ZEBRA-1", "END")
	waitFor(t, "the END label", func() bool {
		refs := printedRefs(ps.Jobs())
		return len(refs) > 0 && refs[len(refs)-1] == "END"
	}, func() string { return fmt.Sprint(printedRefs(ps.Jobs())) })
	waitJob(t, st, end, store.PrintSent)

	printed := map[string]int{}
	for _, ref := range printedRefs(ps.Jobs()) {
		printed[ref]++
	}
	jobs, err := st.PrintJobs(ctx, "ZEBRA-1")
	if err != nil {
		t.Fatal(err)
	}
	var inDoubt []store.PrintJob
	doubtPrinted := 0
	for _, j := range jobs {
		n := printed[j.Ref]
		switch j.Status {
		case store.PrintSent:
			if n != 1 {
				t.Errorf("label %s is recorded sent and printed %d times", j.Ref, n)
			}
		case store.PrintNeedsOperator:
			if n > 1 {
				t.Errorf("label %s is in doubt and printed %d times", j.Ref, n)
			}
			doubtPrinted += n
			inDoubt = append(inDoubt, j)
		default:
			t.Errorf("label %s left %s (%s)", j.Ref, j.Status, j.Reason)
		}
		delete(printed, j.Ref)
	}
	if len(printed) != 0 {
		t.Errorf("printed labels nobody queued: %v", printed)
	}
	if len(inDoubt) == 0 {
		t.Errorf("no kill landed between marking a label sending and recording it sent: the window was not tested")
	}
	q, _ := st.PrintQueue(ctx, "ZEBRA-1")
	if len(q.InDoubt) != len(inDoubt) || q.Waiting != 0 || q.Sending != 0 {
		t.Errorf("queue %+v, %d jobs in doubt", q, len(inDoubt))
	}
	t.Logf("%d kills: %d labels sent once, %d in doubt (%d of them had printed)", kills, labels-len(inDoubt), len(inDoubt), doubtPrinted)
	if t.Failed() {
		return
	}

	// The operator reprints every label in doubt: each prints once more.
	before := len(ps.Jobs())
	for _, j := range inDoubt {
		if _, err := r.Reprint(ctx, store.ReprintRequest{Job: j.ID, Operator: "B1001", Reason: "not found after the station restarted"}); err != nil {
			t.Fatal(err)
		}
	}
	after := waitPrinted(t, ps, before+len(inDoubt))
	again := map[string]int{}
	for _, ref := range after[before:] {
		again[ref]++
	}
	for _, j := range inDoubt {
		if again[j.Ref] != 1 {
			t.Errorf("reprint of %s printed %d times", j.Ref, again[j.Ref])
		}
	}
	r.waitReport(t, "ZEBRA-1", "Printer ZEBRA-1: nothing to print")
	evs, _ := st.Journal(ctx, 0, 1_000_000)
	reprints := 0
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("journal gap at %d: seq %d", i, e.Seq)
		}
		if e.Type == floor.EvLabelReprinted {
			reprints++
		}
	}
	if reprints != len(inDoubt) {
		t.Errorf("%d reprints journaled, %d made", reprints, len(inDoubt))
	}
}

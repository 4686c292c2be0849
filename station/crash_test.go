package station_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// The crash test re-runs this test binary as a picker that never stops
// (TestMain sees the variable) and kills it with SIGKILL.
const crashChildEnv = "TOTE_CRASH_CHILD_DB"

func TestMain(m *testing.M) {
	if path := os.Getenv(crashChildEnv); path != "" {
		os.Exit(crashChild(path))
	}
	if path := os.Getenv(packCrashChildEnv); path != "" {
		os.Exit(packCrashChild(path))
	}
	os.Exit(m.Run())
}

// crashChild picks for ever, printing "ACK seq" after each durable commit:
// what an operator would have been told was OK.
func crashChild(path string) int {
	st, err := store.Open(ctx, path, "DEMO-01")
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		return 3
	}
	s, err := openStationErr(st)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child station:", err)
		return 3
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		o := s.Handle(ctx, nextInput(s.State(), i))
		if o.Err != nil {
			fmt.Fprintln(os.Stderr, "child commit:", o.Err)
			return 4
		}
		for _, ev := range o.Events {
			fmt.Fprintf(out, "ACK %d\n", ev.Seq)
		}
		out.Flush()
		if o.State.Step == pick.StepDone {
			fmt.Fprintln(out, "DONE")
			out.Flush()
			return 0
		}
	}
}

// TestKillNineLosesNothing kills a picking process at random moments, at
// least 50 times, restarting it on the same store each time. Afterwards
// every acknowledged event is in the journal, the journal has no gap, the
// database passes integrity_check, and the tables agree with the journal.
func TestKillNineLosesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "station.db")
	st := demoStore(t) // build the site in a scratch store, then copy it in
	if _, err := st.DB().W.Exec("VACUUM INTO ?", path); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	acked := map[int64]bool{}
	kills := 0
	const rounds = 60
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill after a random number of acknowledgements: the child is
		// committing continuously, so the kill lands mid-transaction, between
		// commit and print, or between prints.
		killAfter := 1 + rng.IntN(12)
		sc := bufio.NewScanner(stdout)
		seen, done := 0, false
		for sc.Scan() {
			line := sc.Text()
			if line == "DONE" {
				done = true
				break
			}
			seq, err := strconv.ParseInt(strings.TrimPrefix(line, "ACK "), 10, 64)
			if err != nil {
				t.Fatalf("child said %q", line)
			}
			acked[seq] = true
			if seen++; seen >= killAfter {
				cmd.Process.Signal(syscall.SIGKILL)
				kills++
				break
			}
		}
		go func() {
			for sc.Scan() { // drain what the child printed before it died
			}
		}()
		err = cmd.Wait()
		if !done {
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
				t.Fatalf("round %d: child ended without being killed: %v\n%s", round, err, stderr.String())
			}
		}
		if done {
			break
		}
	}
	if kills < 50 {
		t.Fatalf("only %d kills: the wave ran out; make it longer", kills)
	}

	final, err := store.Open(ctx, path, "DEMO-01")
	if err != nil {
		t.Fatalf("store after %d kills: %v", kills, err)
	}
	defer final.Close()
	if err := final.DB().IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	evs, err := final.Journal(ctx, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	inJournal := map[int64]bool{}
	units := 0
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("journal gap: position %d has seq %d", i, e.Seq)
		}
		inJournal[e.Seq] = true
		switch e.Type {
		case floor.EvUnitsPicked:
			units += countOf(t, e)
		case floor.EvPickUndone:
			units -= countOf(t, e)
		}
	}
	for seq := range acked {
		if !inJournal[seq] {
			t.Fatalf("acknowledged event %d is missing after kill -9", seq)
		}
	}
	var picked, taskPicked, linePicked int
	final.DB().R.QueryRow("SELECT COALESCE(SUM(qty),0) FROM picks").Scan(&picked)
	final.DB().R.QueryRow("SELECT COALESCE(SUM(qty_picked),0) FROM pick_task_progress").Scan(&taskPicked)
	final.DB().R.QueryRow("SELECT COALESCE(SUM(qty_picked),0) FROM order_line_progress").Scan(&linePicked)
	if picked != units || taskPicked != units || linePicked != units {
		t.Fatalf("journal says %d units, picks %d, tasks %d, order lines %d", units, picked, taskPicked, linePicked)
	}
	// And the station resumes on the store the kills left.
	s := openStation(t, final)
	t.Logf("%d kills, %d events, %d acknowledged, %d units; resumed at %s", kills, len(evs), len(acked), units, s.State().Step)
}

func countOf(t *testing.T, e floor.Event) int {
	t.Helper()
	var p struct {
		Qty int `json:"qty"`
	}
	if err := json.Unmarshal(e.Payload, &p); err != nil {
		t.Fatal(err)
	}
	return p.Qty
}

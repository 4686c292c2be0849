package station_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
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
		o := s.Handle(ctx, nextInput(s.Snapshot().State.(pick.State), i))
		if !acknowledge(out, o) {
			return 4
		}
		if o.State.(pick.State).Step == pick.StepDone {
			fmt.Fprintln(out, "DONE")
			out.Flush()
			return 0
		}
	}
}

// acknowledge prints "ACK seq" for each event of a crash child's outcome,
// what the operator would be told was OK, or false when nothing was
// committed.
func acknowledge(out *bufio.Writer, o station.Outcome) bool {
	if o.Err != nil {
		fmt.Fprintln(os.Stderr, "child commit:", o.Err)
		return false
	}
	for _, ev := range o.Events {
		fmt.Fprintf(out, "ACK %d\n", ev.Seq)
	}
	out.Flush()
	return true
}

// TestKillNineLosesNothing kills a picking process at random moments, 60
// times, restarting it on the same store each time, then lets it finish
// the wave. Afterwards every acknowledged event is in the journal, the
// journal has no gap, the database passes integrity_check, and the tables
// agree with the journal.
func TestKillNineLosesNothing(t *testing.T) {
	final, evs, acked := afterKills(t, demoStore(t), "DEMO-01", crashChildEnv, 7)
	units := 0
	for _, e := range evs {
		switch e.Type {
		case floor.EvUnitsPicked:
			units += countOf(t, e)
		case floor.EvPickUndone:
			units -= countOf(t, e)
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
	t.Logf("%d kills, %d events, %d acknowledged, %d units; resumed at %s", crashKills, len(evs), acked, units, s.Snapshot().State.(pick.State).Step)
}

// crashKills is how many times a crash test kills its child.
const crashKills = 60

// afterKills copies the site in scratch to a fresh file, has a child
// process of this test binary work on it (TestMain's branch for env),
// kills it crashKills times (killUntilDone) and opens what the kills left,
// checking what every crash test needs: the database passes
// integrity_check, the journal has no gap, and every event an operator was
// told was OK is in it. It returns the store, its journal and how many
// events were acknowledged.
func afterKills(t *testing.T, scratch *store.Store, station, env string, seed uint64) (*store.Store, []floor.Event, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "station.db")
	if _, err := scratch.DB().W.Exec("VACUUM INTO ?", path); err != nil {
		t.Fatal(err)
	}
	acked := killUntilDone(t, env, path, seed, crashKills)
	final, err := store.Open(ctx, path, station)
	if err != nil {
		t.Fatalf("store after %d kills: %v", crashKills, err)
	}
	t.Cleanup(func() { final.Close() })
	if err := final.DB().IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	evs, err := final.Journal(ctx, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	inJournal := map[int64]bool{}
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("journal gap: position %d has seq %d", i, e.Seq)
		}
		inJournal[e.Seq] = true
	}
	for seq := range acked {
		if !inJournal[seq] {
			t.Fatalf("acknowledged event %d is missing after kill -9", seq)
		}
	}
	return final, evs, len(acked)
}

// killUntilDone runs this test binary as a child with env=path set (its
// TestMain branch works for ever, printing "ACK seq" after each durable
// commit and "DONE" when the work is out) and kills it with SIGKILL after
// a random number of acknowledgements, restarting it on the same store,
// kills times; then it lets the child finish. The child commits
// continuously, so a kill lands mid-transaction, between commit and print,
// or between prints. It returns every sequence number acknowledged.
func killUntilDone(t *testing.T, env, path string, seed uint64, kills int) map[int64]bool {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 11))
	acked := map[int64]bool{}
	for killed := 0; ; {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), env+"="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAfter := 1 + rng.IntN(12)
		if killed == kills {
			killAfter = math.MaxInt
		}
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
				break
			}
		}
		go func() {
			for sc.Scan() { // drain what the child printed before it died
			}
		}()
		err = cmd.Wait()
		switch ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus); {
		case done && killed < kills:
			t.Fatalf("the work ran out after %d of %d kills: give the child more", killed, kills)
		case done:
			if err != nil {
				t.Fatalf("child finished with %v\n%s", err, stderr.String())
			}
			return acked
		case !ws.Signaled():
			t.Fatalf("after %d kills the child ended without being killed: %v\n%s", killed, err, stderr.String())
		}
		killed++
	}
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

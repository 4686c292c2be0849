package replicator_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// The kill -9 tests re-run this test binary as a station or a hub (TestMain
// sees the variables) and kill it with SIGKILL.
const (
	childEnv  = "TOTE_SYNC_CHILD" // station or hub
	dbEnv     = "TOTE_SYNC_DB"
	hubEnv    = "TOTE_SYNC_HUB"
	tokenEnv  = "TOTE_SYNC_TOKEN"
	dieAtEnv  = "TOTE_SYNC_DIE_AT" // hub: kill itself inside its n-th apply
	childWait = 60 * time.Second
)

func TestMain(m *testing.M) {
	// toxiproxy logs through zerolog's global logger; keep test output
	// readable.
	zerolog.SetGlobalLevel(zerolog.WarnLevel)
	switch os.Getenv(childEnv) {
	case "station":
		os.Exit(stationChild())
	case "hub":
		os.Exit(hubChild())
	case "pghub":
		os.Exit(pgHubChild())
	}
	pgtest.Main(m)
}

// stationChild syncs its store until nothing waits, prints DRAINED and
// exits; the parent kills it long before, most rounds.
func stationChild() int {
	st, err := store.Open(ctx, os.Getenv(dbEnv), station)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		return 3
	}
	defer st.Close()
	done := make(chan struct{})
	var once sync.Once
	rep, err := replicator.New(st, replicator.Options{Hub: os.Getenv(hubEnv), Token: os.Getenv(tokenEnv), BatchSize: 25,
		PushInterval: 20 * time.Millisecond, PullInterval: 20 * time.Millisecond, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
		OnStatus: func(s replicator.Status) {
			if s.Waiting == 0 && !s.LastPush.IsZero() {
				once.Do(func() { close(done) })
			}
		}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child replicator:", err)
		return 3
	}
	c, cancel := context.WithCancel(ctx)
	go rep.Run(c)
	<-done
	cancel()
	fmt.Println("DRAINED")
	return 0
}

// hubChild serves the hub on the listener the parent passed as fd 3, so
// the address survives its deaths. With dieAtEnv=n it SIGKILLs itself
// inside its n-th push transaction, after writing the batch and before the
// commit: a kill in the middle of an apply.
func hubChild() int {
	dieAt, _ := strconv.Atoi(os.Getenv(dieAtEnv))
	var applies atomic.Int32
	hs, err := hubstore.Open(ctx, os.Getenv(dbEnv), hubstore.Options{InApply: func(string, int64) {
		if dieAt > 0 && int(applies.Add(1)) == dieAt {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "hub child open:", err)
		return 3
	}
	ln, err := net.FileListener(os.NewFile(3, "listener"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "hub child listener:", err)
		return 3
	}
	fmt.Println("SERVING")
	if err := http.Serve(ln, hub.NewServer(hs, hub.Options{})); err != nil {
		fmt.Fprintln(os.Stderr, "hub child:", err)
	}
	return 4
}

// child is one run of this binary in a child role.
type child struct {
	cmd    *exec.Cmd
	stderr *strings.Builder
	done   chan struct{} // closed once the child has ended
	killed bool          // SIGKILL ended it; set before done closes
	err    error
}

func startChild(t *testing.T, env []string, files ...*os.File) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	cmd.ExtraFiles = files
	c := &child{cmd: cmd, stderr: &strings.Builder{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
		}
		c.err = cmd.Wait()
		ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
		c.killed = ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
		close(c.done)
	}()
	return c
}

// wait waits for the child to end and reports whether SIGKILL ended it.
func (c *child) wait(t *testing.T) (killed bool) {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(childWait):
		c.cmd.Process.Kill()
		<-c.done
		t.Fatalf("the child did not end within %v:\n%s", childWait, c.stderr)
	}
	if !c.killed && c.err != nil {
		t.Fatalf("child failed: %v\n%s", c.err, c.stderr)
	}
	return c.killed
}

func (c *child) ended() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// TestKillNineStationMidPush kills the station while a push is in flight,
// twenty times: half the time after the hub applied the batch and before
// its answer left, half the time before the hub read it. Each restart
// resumes from the store; at the end the hub holds the station's journal
// exactly once and the station knows it.
func TestKillNineStationMidPush(t *testing.T) {
	dir := t.TempDir()
	site := demo.Site(1, time.Now())
	var (
		mu      sync.Mutex
		current *child
		killAt  int // kill at this push of the current child; 0: never
		pushes  int
		after   bool // kill after the hub applied
		kills   atomic.Int32
		acked   atomic.Int64
	)
	h := sitetest.NewHub(t, dir, hubstore.Options{}, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != protocol.PathPush {
				next.ServeHTTP(w, r)
				return
			}
			mu.Lock()
			pushes++
			kill := current != nil && pushes == killAt
			victim, killAfter := current, after
			mu.Unlock()
			if kill && !killAfter {
				victim.cmd.Process.Kill()
				kills.Add(1)
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var resp protocol.PushResponse
			if rec.Code == 200 && json.Unmarshal(rec.Body.Bytes(), &resp) == nil && resp.Mark > acked.Load() {
				acked.Store(resp.Mark)
			}
			if kill && killAfter {
				victim.cmd.Process.Kill() // applied; the answer goes nowhere
				kills.Add(1)
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	})
	token := sitetest.Register(t, h.Store, station)
	sitetest.Import(t, h.Store, sitetest.ImportOf(site, station))
	path := filepath.Join(dir, "station.db")
	st := sitetest.OpenStation(t, path, station)
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	const total = 2000
	sitetest.CommitShift(t, st, site, 0, total, 50)
	st.Close()

	rng := rand.New(rand.NewPCG(1, 2))
	env := []string{childEnv + "=station", dbEnv + "=" + path, hubEnv + "=" + h.URL, tokenEnv + "=" + token}
	const rounds = 20
	for round := 0; ; round++ {
		mu.Lock()
		pushes, killAt, after = 0, 0, round%2 == 0
		if round < rounds {
			killAt = 1 + rng.IntN(4)
		}
		c := startChild(t, env)
		current = c
		mu.Unlock()
		killed := c.wait(t)
		mu.Lock()
		current = nil
		mu.Unlock()
		if !killed {
			if round < rounds {
				t.Fatalf("round %d: the station drained before its kill (push %d of %d); make the backlog longer", round, killAt, pushes)
			}
			break
		}
	}
	if n := kills.Load(); n < rounds {
		t.Fatalf("only %d kills", n)
	}
	final := sitetest.OpenStation(t, path, station)
	if err := final.DB().IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	if s := syncState(t, final); s.Pushed != total || s.Waiting != 0 {
		t.Fatalf("after the kills the station has %+v", s)
	}
	sitetest.Check(t, h.Store, final, acked.Load())
	t.Logf("%d kills mid-push; hub acknowledged up to %d; converged at %d", kills.Load(), acked.Load(), total)
}

// TestKillNineHubMidApply kills the hub inside its push transaction (after
// writing a batch, before the commit) and at other moments, while a
// station drains a backlog through the same address. Each restart recovers
// the database; the station retries; both converge.
func TestKillNineHubMidApply(t *testing.T) {
	dir := t.TempDir()
	site := demo.Site(1, time.Now())
	hubPath := filepath.Join(dir, "hub.db")
	hs, err := hubstore.Open(ctx, hubPath, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	token := sitetest.Register(t, hs, station)
	sitetest.Import(t, hs, sitetest.ImportOf(site, station))
	hs.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	lf, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()

	st := sitetest.OpenStation(t, filepath.Join(dir, "station.db"), station)
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	const total = 2500
	sitetest.CommitShift(t, st, site, 0, total, 50)
	_, ss, stop := start(t, st, replicator.Options{Hub: "http://" + ln.Addr().String(), Token: token, BatchSize: 20,
		RequestTimeout: 2 * time.Second, MaxBackoff: 30 * time.Millisecond})

	rng := rand.New(rand.NewPCG(5, 8))
	env := []string{childEnv + "=hub", dbEnv + "=" + hubPath}
	midApply, external := 0, 0
	for round := 0; ; round++ {
		var c *child
		switch {
		case syncState(t, st).Waiting == 0:
		case round%3 != 2:
			// Dies inside its n-th apply, unless the backlog runs out first.
			c = startChild(t, append(env, fmt.Sprintf("%s=%d", dieAtEnv, 1+rng.IntN(5))), lf)
			sitetest.WaitFor(t, childWait, "the hub child to die in an apply", func() bool {
				return c.ended() || syncState(t, st).Waiting == 0
			})
			if !c.ended() {
				c.cmd.Process.Kill()
				c.wait(t)
				continue
			}
			if !c.wait(t) {
				t.Fatalf("round %d: the hub child ended without being killed:\n%s", round, c.stderr)
			}
			midApply++
			continue
		default:
			// Killed from outside after the station's mark moves a little.
			c = startChild(t, env, lf)
			from, step := syncState(t, st).Pushed, int64(rng.IntN(60))
			sitetest.WaitFor(t, childWait, "progress through the hub child", func() bool {
				s := syncState(t, st)
				return s.Pushed > from+step || s.Waiting == 0
			})
			c.cmd.Process.Kill()
			c.wait(t)
			external++
			continue
		}
		break
	}
	stop()
	if midApply < 10 || external < 5 {
		t.Fatalf("only %d kills mid-apply and %d from outside: the backlog ran out; make it longer", midApply, external)
	}
	// A last hub that nobody kills answers one more push, as the station
	// records more.
	c := startChild(t, env, lf)
	sitetest.CommitShift(t, st, site, total, 10, 10)
	rep, _, stop := start(t, st, replicator.Options{Hub: "http://" + ln.Addr().String(), Token: token})
	rep.Kick()
	sitetest.WaitFor(t, childWait, "the last events", func() bool { return syncState(t, st).Waiting == 0 })
	stop()
	c.cmd.Process.Kill()
	c.wait(t)

	final, err := hubstore.Open(ctx, hubPath, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer final.Close()
	if err := final.DB().IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	sitetest.Check(t, final, st, total+10)
	if s := ss.last(); s.Stopped != "" {
		t.Fatalf("sync stopped: %s", s.Stopped)
	}
	t.Logf("%d kills inside an apply, %d from outside; converged at %d", midApply, external, total+10)
}

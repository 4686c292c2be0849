package replicator_test

import (
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/pgstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// pgHubChild serves a hub on PostgreSQL (dbEnv is its connection string)
// on the listener passed as fd 3; with dieAtEnv=n it SIGKILLs itself
// inside its n-th push transaction, after the batch is written and
// before the commit.
func pgHubChild() int {
	dieAt, _ := strconv.Atoi(os.Getenv(dieAtEnv))
	var applies atomic.Int32
	hs, err := pgstore.Open(ctx, os.Getenv(dbEnv), pgstore.Options{MaxConns: 8, InApply: func(string, int64) {
		if dieAt > 0 && int(applies.Add(1)) == dieAt {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pg hub child open:", err)
		return 3
	}
	ln, err := net.FileListener(os.NewFile(3, "listener"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "pg hub child listener:", err)
		return 3
	}
	if err := http.Serve(ln, hub.NewServer(hs, hub.Options{})); err != nil {
		fmt.Fprintln(os.Stderr, "pg hub child:", err)
	}
	return 4
}

// alternate sends each request to the next of the hubs in turn: a load
// balancer in front of several hub processes.
type alternate struct {
	hosts []string
	next  atomic.Uint64
	base  http.RoundTripper
}

func (a *alternate) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Host = a.hosts[a.next.Add(1)%uint64(len(a.hosts))]
	r.Host = r.URL.Host
	return a.base.RoundTrip(r)
}

func listenerFile(t *testing.T) (string, *os.File) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return ln.Addr().String(), f
}

// TestTwoHubsOnOnePostgres: two hub processes serve one PostgreSQL
// database; four stations push and pull through both, each request to the
// next hub in turn, all at once, while the office holds orders through a
// third. Hub A is killed with SIGKILL inside its push transactions again
// and again (and restarted), hub B from outside now and then. At the end
// every station's journal is at the hubs exactly once with a mark that
// matches it, every hold reached the station whose wave has the order, and
// every station's cursor stands at the end of its feed.
func TestTwoHubsOnOnePostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	office, err := pgstore.Open(ctx, dsn, pgstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer office.Close()
	site := demo.Site(1, time.Now())
	stations := []string{"ST-01", "ST-02", "ST-03", "ST-04"}
	tokens := map[string]string{}
	for _, id := range stations {
		tokens[id] = sitetest.Register(t, office, id)
	}
	sitetest.Import(t, office, sitetest.ImportOf(site, "ST-01"))

	addrA, fileA := listenerFile(t)
	addrB, fileB := listenerFile(t)
	client := &http.Client{Transport: &alternate{hosts: []string{addrA, addrB}, base: &http.Transport{}}}

	const total = 1500
	dir := t.TempDir()
	stores := map[string]*store.Store{}
	for _, id := range stations {
		st := sitetest.OpenStation(t, filepath.Join(dir, id+".db"), id)
		if err := st.LoadSite(ctx, site); err != nil {
			t.Fatal(err)
		}
		sitetest.CommitShift(t, st, site, 0, total, 50)
		stores[id] = st
	}
	env := []string{childEnv + "=pghub", dbEnv + "=" + dsn}
	hubB := startChild(t, env, fileB)
	var stops []func()
	for _, id := range stations {
		_, _, stop := start(t, stores[id], replicator.Options{Hub: "http://hub.invalid", InsecureHTTP: true, Token: tokens[id], Client: client,
			BatchSize: 20, RequestTimeout: 3 * time.Second, MaxBackoff: 50 * time.Millisecond})
		stops = append(stops, stop)
	}
	drained := func() bool {
		for _, st := range stores {
			if syncState(t, st).Waiting != 0 {
				return false
			}
		}
		return true
	}

	// The office holds orders of ST-01's wave through its own hub
	// meanwhile: feed changes committed while pushes and pulls run.
	var held []string
	var officeWG sync.WaitGroup
	officeWG.Go(func() {
		for i, o := range site.Orders {
			if i%3 != 0 {
				continue
			}
			if err := office.PlaceHold(ctx, o.ID, protocol.Hold{Reason: "INCORRECT_ADDRESS", Note: fmt.Sprint("round ", i)}, time.Now()); err != nil {
				t.Error(err)
				return
			}
			held = append(held, o.ID)
		}
	})

	rng := rand.New(rand.NewPCG(19, 1))
	midApply, external := 0, 0
	for round := 0; !drained(); round++ {
		c := startChild(t, append(env, fmt.Sprintf("%s=%d", dieAtEnv, 1+rng.IntN(6))), fileA)
		sitetest.WaitFor(t, childWait, "hub A to die in an apply", func() bool { return c.ended() || drained() })
		self := c.ended()
		if !self {
			c.cmd.Process.Kill()
		}
		if c.wait(t) && self {
			midApply++
		}
		if round%4 == 3 && !hubB.ended() {
			hubB.cmd.Process.Kill()
			hubB.wait(t)
			external++
			hubB = startChild(t, env, fileB)
		}
	}
	officeWG.Wait()
	// Both hubs up, nobody killed: the last pulls bring the last holds.
	hubA := startChild(t, env, fileA)
	sitetest.WaitFor(t, childWait, "the holds to reach ST-01", func() bool {
		for _, o := range held {
			if gate, _ := stores["ST-01"].LabelGate(ctx, o); gate == "" {
				return false
			}
		}
		return true
	})
	// Every station's cursor reaches the end of its feed.
	for _, id := range stations {
		end := feedEnd(t, office, id)
		sitetest.WaitFor(t, childWait, "station "+id+" to pull to the end of its feed", func() bool {
			c, err := hub.ParseCursor(syncState(t, stores[id]).Cursor)
			return err == nil && c.Seq == end
		})
	}
	for _, stop := range stops {
		stop()
	}
	hubA.cmd.Process.Kill()
	hubA.wait(t)
	hubB.cmd.Process.Kill()
	hubB.wait(t)
	if midApply < 5 {
		t.Fatalf("hub A died inside an apply only %d times: make the backlog longer", midApply)
	}
	for _, id := range stations {
		if mark := sitetest.Check(t, office, stores[id], total); mark != total {
			t.Fatalf("%s: hub mark %d, want %d", id, mark, total)
		}
	}
	t.Logf("%d stations × %d events through two hubs; hub A killed %d times inside an apply, hub B %d times from outside; %d holds delivered; %d transactions run again in the office's hub",
		len(stations), total, midApply, external, len(held), office.Retries())
}

// feedEnd is the seq of the last change in station's feed.
func feedEnd(t *testing.T, h hub.API, station string) int64 {
	t.Helper()
	cursor, end := "", int64(0)
	for {
		p, err := h.Pull(ctx, station, cursor, 1000, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Changes) > 0 {
			end = p.Changes[len(p.Changes)-1].Seq
		}
		cursor = p.Cursor
		if !p.More {
			return end
		}
	}
}

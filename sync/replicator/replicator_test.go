package replicator_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

var ctx = context.Background()

const station = "ST-01"

// rig is a hub with the demo site (its wave assigned to ST-01) and a
// station store.
type rig struct {
	hub   *sitetest.Hub
	token string
	site  store.Site
	st    *store.Store
	path  string
}

func newRig(t *testing.T, wrap func(http.Handler) http.Handler) *rig {
	t.Helper()
	return newRigOn(t, sitetest.SQLite, wrap)
}

// newRigOn is the rig with its hub on the kind of store.
func newRigOn(t *testing.T, kind sitetest.Kind, wrap func(http.Handler) http.Handler) *rig {
	t.Helper()
	dir := t.TempDir()
	h := sitetest.NewHubOn(t, kind, dir, hubstore.Options{}, wrap)
	r := &rig{hub: h, token: sitetest.Register(t, h.API, station), site: demo.Site(1, time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)),
		path: filepath.Join(dir, "station.db")}
	sitetest.Import(t, h.API, sitetest.ImportOf(r.site, station))
	r.st = sitetest.OpenStation(t, r.path, station)
	return r
}

// statuses collects every Status the replicator reports.
type statuses struct {
	mu  sync.Mutex
	all []replicator.Status
}

func (s *statuses) add(st replicator.Status) {
	s.mu.Lock()
	s.all = append(s.all, st)
	s.mu.Unlock()
}

func (s *statuses) last() replicator.Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.all) == 0 {
		return replicator.Status{}
	}
	return s.all[len(s.all)-1]
}

func (s *statuses) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.all)
}

func (s *statuses) any(f func(replicator.Status) bool) bool { return s.anySince(0, f) }

// anySince reports whether a status reported after the first n matches f.
func (s *statuses) anySince(n int, f func(replicator.Status) bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.all[n:] {
		if f(st) {
			return true
		}
	}
	return false
}

func fast(o replicator.Options) replicator.Options {
	if o.PushInterval == 0 {
		o.PushInterval = 50 * time.Millisecond
	}
	if o.PullInterval == 0 {
		o.PullInterval = 50 * time.Millisecond
	}
	if o.MinBackoff == 0 {
		o.MinBackoff = 10 * time.Millisecond
	}
	if o.MaxBackoff == 0 {
		o.MaxBackoff = 200 * time.Millisecond
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = 5 * time.Second
	}
	return o
}

// start runs a replicator for st until the test ends or stop is called.
func start(t *testing.T, st replicator.Journal, opts replicator.Options) (*replicator.Replicator, *statuses, func()) {
	t.Helper()
	ss := &statuses{}
	opts = fast(opts)
	opts.OnStatus = ss.add
	rep, err := replicator.New(st, opts)
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { rep.Run(c); close(done) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return rep, ss, stop
}

func syncState(t *testing.T, st *store.Store) store.SyncState {
	t.Helper()
	s, err := st.SyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func count(t *testing.T, st *store.Store, q string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB().R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPullThenPushConverges: a new station pulls its slice from the hub,
// picks, and everything it recorded reaches the hub exactly once.
func TestPullThenPushConverges(t *testing.T) { sitetest.OnEachStore(t, testPullThenPushConverges) }

func testPullThenPushConverges(t *testing.T, kind sitetest.Kind) {
	r := newRigOn(t, kind, nil)
	rep, ss, _ := start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token})
	sitetest.WaitFor(t, 20*time.Second, "the first pull", func() bool {
		return count(t, r.st, `SELECT COUNT(*) FROM pick_tasks`) == len(r.site.Tasks)
	})
	if n := count(t, r.st, `SELECT COUNT(*) FROM orders`); n != demo.Orders {
		t.Fatalf("station has %d orders after the pull", n)
	}
	w, err := r.st.NextWave(ctx)
	if err != nil || w.ID != demo.WaveID || w.Station != station {
		t.Fatalf("next wave %+v, %v", w, err)
	}
	sitetest.CommitShift(t, r.st, r.site, 0, 300, 7)
	rep.Kick()
	sitetest.WaitFor(t, 20*time.Second, "the journal to drain", func() bool { return syncState(t, r.st).Waiting == 0 })
	sitetest.Check(t, r.hub.API, r.st, 300)
	// The status is published just after the last acknowledgement commits.
	sitetest.WaitFor(t, 10*time.Second, "the status to show the drained journal", func() bool {
		st := ss.last()
		return st.Online && st.Waiting == 0 && !st.LastPull.IsZero() && !st.LastPush.IsZero() && st.LastError == "" && st.Stopped == ""
	})
	if !ss.any(func(s replicator.Status) bool { return s.Waiting > 0 && !s.OldestWaiting.IsZero() }) {
		t.Fatal("the status never showed events waiting")
	}
}

// TestStopsOn401 and 403: sync stops, says why, deletes nothing, and the
// waiting count stays current.
func TestStopsOnRefusedToken(t *testing.T) {
	r := newRig(t, nil)
	other := sitetest.Register(t, r.hub.Store, "ST-02")
	if err := r.st.LoadSite(ctx, r.site); err != nil {
		t.Fatal(err)
	}
	sitetest.CommitShift(t, r.st, r.site, 0, 20, 5)
	for _, c := range []struct {
		token, want string
	}{
		{"tote_station_not-a-real-token", "hub refused the token (401): check token_file"},
		{other, "hub refused this station (403)"},
	} {
		rep, ss, stop := start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: c.token})
		sitetest.WaitFor(t, 10*time.Second, "sync to stop", func() bool { return ss.last().Stopped != "" })
		if got := ss.last().Stopped; !strings.HasPrefix(got, c.want) {
			t.Fatalf("stopped: %q, want %q…", got, c.want)
		}
		sitetest.CommitShift(t, r.st, r.site, 20, 3, 3)
		rep.Kick()
		sitetest.WaitFor(t, 10*time.Second, "the waiting count to follow the new events", func() bool { return ss.last().Waiting == syncState(t, r.st).Waiting })
		stop()
		if s := syncState(t, r.st); s.Pushed != 0 || s.LastSeq == 0 {
			t.Fatalf("after the refusal: %+v", s)
		}
		if n := count(t, r.st, `SELECT COUNT(*) FROM orders WHERE id IN (SELECT order_id FROM pick_tasks)`); n != demo.Orders {
			t.Fatalf("the station's work changed: %d orders", n)
		}
		var held int
		r.hub.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM events`).Scan(&held)
		if held != 0 {
			t.Fatalf("the hub took %d events from a refused token", held)
		}
	}
}

// TestResumesAfterRestart: the pushed mark and the cursor are durable, so a
// new replicator on the reopened store carries on without resending or
// refetching.
func TestResumesAfterRestart(t *testing.T) { sitetest.OnEachStore(t, testResumesAfterRestart) }

func testResumesAfterRestart(t *testing.T, kind sitetest.Kind) {
	r := newRigOn(t, kind, nil)
	_, _, stop := start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token})
	sitetest.WaitFor(t, 20*time.Second, "the first pull", func() bool {
		return count(t, r.st, `SELECT COUNT(*) FROM pick_tasks`) == len(r.site.Tasks)
	})
	sitetest.CommitShift(t, r.st, r.site, 0, 100, 10)
	sitetest.WaitFor(t, 20*time.Second, "the first 100 events", func() bool { return syncState(t, r.st).Pushed == 100 })
	stop()
	before := syncState(t, r.st)
	r.st.Close()

	st := sitetest.OpenStation(t, r.path, station)
	if s := syncState(t, st); s.Pushed != 100 || s.Cursor != before.Cursor || s.LastPull.IsZero() {
		t.Fatalf("after reopening: %+v (before %+v)", s, before)
	}
	sitetest.CommitShift(t, st, r.site, 100, 50, 10) // recorded while no replicator ran
	start(t, st, replicator.Options{Hub: r.hub.URL, Token: r.token})
	sitetest.WaitFor(t, 20*time.Second, "the backlog to drain", func() bool { return syncState(t, st).Waiting == 0 })
	sitetest.Check(t, r.hub.API, st, 150)
	if s := syncState(t, st); s.Cursor != before.Cursor {
		t.Fatalf("the cursor moved with nothing new at the hub: %q -> %q", before.Cursor, s.Cursor)
	}
}

// TestCentralDecisionsReachTheStation: a hold, a release and a cancellation
// made at the hub arrive at the next pull; the label gate stops a held or
// cancelled order; a pick pushed after the cancellation is rejected,
// acknowledged, and kept as an exception; units picked before it become an
// exception too. The queue never blocks.
func TestCentralDecisionsReachTheStation(t *testing.T) {
	sitetest.OnEachStore(t, testCentralDecisionsReachTheStation)
}

func testCentralDecisionsReachTheStation(t *testing.T, kind sitetest.Kind) {
	r := newRigOn(t, kind, nil)
	rep, ss, _ := start(t, r.st, replicator.Options{Hub: r.hub.URL, Token: r.token})
	sitetest.WaitFor(t, 20*time.Second, "the first pull", func() bool {
		return count(t, r.st, `SELECT COUNT(*) FROM pick_tasks`) == len(r.site.Tasks)
	})
	held, cancelled := r.site.Orders[4].ID, r.site.Tasks[0].OrderID
	if gate, _ := r.st.LabelGate(ctx, held); gate != "" {
		t.Fatalf("gate before any hold: %q", gate)
	}
	// One unit of the order that will be cancelled is picked and pushed first.
	sitetest.CommitShift(t, r.st, r.site, 0, 4, 4)
	rep.Kick()
	sitetest.WaitFor(t, 20*time.Second, "the first picks to reach the hub", func() bool { return syncState(t, r.st).Waiting == 0 })

	hs := r.hub.API
	if err := hs.PlaceHold(ctx, held, protocol.Hold{Reason: "INCORRECT_ADDRESS", Note: "no house number"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := hs.CancelOrder(ctx, cancelled, "customer asked", time.Now()); err != nil {
		t.Fatal(err)
	}
	sitetest.WaitFor(t, 20*time.Second, "the hold to arrive", func() bool {
		gate, _ := r.st.LabelGate(ctx, held)
		return gate == "order on hold: INCORRECT_ADDRESS (no house number)"
	})
	sitetest.WaitFor(t, 20*time.Second, "the cancellation to arrive", func() bool {
		gate, _ := r.st.LabelGate(ctx, cancelled)
		return strings.HasPrefix(gate, "order cancelled centrally")
	})
	sitetest.WaitFor(t, 5*time.Second, "the news in the status", func() bool {
		n := ss.last().News
		return strings.Contains(n, held+" (INCORRECT_ADDRESS)") || strings.Contains(n, "cancelled: "+cancelled)
	})
	exc, err := r.st.Exceptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(exc) != 1 || exc[0].Kind != "order-cancelled" || exc[0].OrderID != cancelled || !strings.Contains(exc[0].Reason, "return the 1 picked units to stock") {
		t.Fatalf("exceptions after the cancellation: %+v", exc)
	}

	// The picker, not yet told, picks another unit for the cancelled order.
	var next floor.PickTask
	for _, tk := range r.site.Tasks {
		if tk.OrderID == cancelled && (tk.ID != r.site.Tasks[0].ID || tk.Qty > 1) {
			next = tk
			break
		}
	}
	if next.ID == 0 {
		t.Fatalf("order %s has no second unit to pick", cancelled)
	}
	if _, err := r.st.Commit(ctx, time.Now(), []floor.Event{unitsPicked(next)}, nil); err != nil {
		t.Fatal(err)
	}
	rep.Kick()
	sitetest.WaitFor(t, 20*time.Second, "the rejection to come back", func() bool { return ss.last().Rejected == 1 && ss.last().Waiting == 0 })
	exc, _ = r.st.Exceptions(ctx)
	if exc[0].Kind != "sync-rejected" || exc[0].Reason != hub.ReturnToStock || exc[0].OrderID != cancelled || exc[0].Qty != 1 {
		t.Fatalf("newest exception %+v", exc[0])
	}
	// Releasing the hold frees the gate at the next pull.
	if err := hs.ReleaseHold(ctx, held, "INCORRECT_ADDRESS"); err != nil {
		t.Fatal(err)
	}
	sitetest.WaitFor(t, 20*time.Second, "the release", func() bool { gate, _ := r.st.LabelGate(ctx, held); return gate == "" })
	// The queue went on: later events are accepted.
	sitetest.CommitShift(t, r.st, r.site, 10, 30, 10)
	rep.Kick()
	sitetest.WaitFor(t, 20*time.Second, "later events", func() bool { return syncState(t, r.st).Waiting == 0 })
	sitetest.Check(t, hs, r.st, syncState(t, r.st).LastSeq)
}

// TestHubRestoredFromBackup: the hub loses the events after its backup.
// Its gap answer names where it stands; the station sends them again from
// its untouched journal and both converge.
func TestHubRestoredFromBackup(t *testing.T) {
	dir := t.TempDir()
	site := demo.Site(1, time.Now())
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	token := sitetest.Register(t, hs, station)
	sitetest.Import(t, hs, sitetest.ImportOf(site, station))
	srv := httptestServer(t, hs)
	st := sitetest.OpenStation(t, filepath.Join(dir, "station.db"), station)
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	sitetest.CommitShift(t, st, site, 0, 40, 8)
	_, _, stop := start(t, st, replicator.Options{Hub: srv.URL, Token: token})
	sitetest.WaitFor(t, 20*time.Second, "40 events", func() bool { return syncState(t, st).Pushed == 40 })
	stop()
	backup := filepath.Join(dir, "backup.db")
	if _, err := hs.DB().W.Exec(`VACUUM INTO ?`, backup); err != nil {
		t.Fatal(err)
	}
	sitetest.CommitShift(t, st, site, 40, 60, 8)
	rep, _, stop := start(t, st, replicator.Options{Hub: srv.URL, Token: token})
	rep.Kick()
	sitetest.WaitFor(t, 20*time.Second, "100 events", func() bool { return syncState(t, st).Pushed == 100 })
	stop()
	srv.Close()
	hs.Close()

	restored, err := hubstore.Open(ctx, backup, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	srv = httptestServer(t, restored)
	sitetest.CommitShift(t, st, site, 100, 5, 5)
	start(t, st, replicator.Options{Hub: srv.URL, Token: token})
	sitetest.WaitFor(t, 20*time.Second, "the restored hub to catch up", func() bool {
		var mark int64
		restored.DB().R.QueryRow(`SELECT mark FROM stations WHERE id=?`, station).Scan(&mark)
		return mark == 105 && syncState(t, st).Pushed == 105
	})
	sitetest.Check(t, restored, st, 105)
}

func TestBackoffGrowsWithJitterAndCaps(t *testing.T) {
	b := replicator.NewBackoffForTest(100*time.Millisecond, 2*time.Second)
	var prevMax time.Duration
	for i := 0; i < 12; i++ {
		want := min(100*time.Millisecond<<i, 2*time.Second)
		seen := map[time.Duration]bool{}
		for j := 0; j < 20; j++ {
			b.SetStepForTest(i)
			d := b.Next()
			if d < want/2 || d > want {
				t.Fatalf("step %d: %v outside [%v, %v]", i, d, want/2, want)
			}
			seen[d] = true
		}
		if len(seen) < 2 && want > time.Millisecond {
			t.Fatalf("step %d: no jitter (%v)", i, seen)
		}
		if want < prevMax {
			t.Fatalf("the cap shrank")
		}
		prevMax = want
	}
}

func unitsPicked(t floor.PickTask) floor.Event {
	return floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{
		TaskPayload: floor.TaskPayload{Task: t.ID, Order: t.OrderID, Line: t.LineNo, Location: t.Location, SKU: t.SKU}, Qty: 1, Tote: "T09999"})
}

func httptestServer(t *testing.T, hs *hubstore.Store) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	t.Cleanup(srv.Close)
	return srv
}

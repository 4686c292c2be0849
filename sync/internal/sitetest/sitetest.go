// Package sitetest holds what the sync tests share: a real hub (on the
// SQLite store or on PostgreSQL, HTTP on 127.0.0.1) with stations registered, the demo site
// imported into it, station stores, generated shifts of events, and the
// checker that compares what the hub holds with what a station recorded.
//
// It is for tests only; nothing in tote's binary imports it.
package sitetest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/hub/pgstore"
	"github.com/totewms/tote/sync/protocol"
)

// Kind is a hub store the sync suite runs on.
type Kind string

const (
	SQLite   Kind = "sqlite"
	Postgres Kind = "postgres"
)

// Kinds are every hub store: a test that runs on each runs on these.
var Kinds = []Kind{SQLite, Postgres}

// OnEachStore runs test once per hub store, as subtests named by kind.
// A package whose tests use Postgres calls pgtest.Main from its TestMain.
func OnEachStore(t *testing.T, test func(t *testing.T, kind Kind)) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) { test(t, k) })
	}
}

// Hub is a hub serving on loopback.
type Hub struct {
	// API is the hub's service, on whichever store.
	API hub.API
	// Store is the SQLite store (nil on PostgreSQL).
	Store *hubstore.Store
	// PG is the PostgreSQL store (nil on SQLite).
	PG     *pgstore.Store
	Server *httptest.Server
	URL    string
	// Admin is an admin token for the admin API.
	Admin string

	kind  Kind
	where string // the SQLite file or the PostgreSQL DSN
}

// Another opens a second hub service on the same database, as another hub
// process would: its commits ring no bell in this hub's process.
func (h *Hub) Another(t testing.TB) hub.API {
	t.Helper()
	ctx := context.Background()
	var (
		api   hub.API
		close func() error
	)
	switch h.kind {
	case SQLite:
		s, err := hubstore.Open(ctx, h.where, hubstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		api, close = s, s.Close
	case Postgres:
		s, err := pgstore.Open(ctx, h.where, pgstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		api, close = s, s.Close
	}
	t.Cleanup(func() { close() })
	return api
}

// NewHub opens a SQLite hub database in dir and serves it. wrap, when
// set, wraps the handler (fault injection).
func NewHub(t testing.TB, dir string, opts hubstore.Options, wrap func(http.Handler) http.Handler) *Hub {
	return NewHubOn(t, SQLite, dir, opts, wrap)
}

// NewHubOn opens a hub of the kind (SQLite in dir; PostgreSQL in a fresh
// database of the test cluster) and serves it.
func NewHubOn(t testing.TB, kind Kind, dir string, opts hubstore.Options, wrap func(http.Handler) http.Handler) *Hub {
	t.Helper()
	return NewHubOnWith(t, kind, dir, opts, hub.Options{}, wrap)
}

// NewHubWith is NewHub with the server's options (e.g. its longest pull
// wait).
func NewHubWith(t testing.TB, dir string, opts hubstore.Options, hopts hub.Options, wrap func(http.Handler) http.Handler) *Hub {
	t.Helper()
	return NewHubOnWith(t, SQLite, dir, opts, hopts, wrap)
}

// NewHubOnWith is NewHubOn with the server's options.
func NewHubOnWith(t testing.TB, kind Kind, dir string, opts hubstore.Options, hopts hub.Options, wrap func(http.Handler) http.Handler) *Hub {
	t.Helper()
	ctx := context.Background()
	var (
		hs    hub.API
		h0    = &Hub{kind: kind}
		close func() error
	)
	switch kind {
	case SQLite:
		h0.where = filepath.Join(dir, "hub.db")
		s, err := hubstore.Open(ctx, h0.where, opts)
		if err != nil {
			t.Fatal(err)
		}
		hs, h0.Store, close = s, s, s.Close
	case Postgres:
		h0.where = pgtest.DSN(t)
		s, err := pgstore.Open(ctx, h0.where, pgstore.Options{Rules: opts.Rules, InApply: opts.InApply})
		if err != nil {
			t.Fatal(err)
		}
		hs, h0.PG, close = s, s, s.Close
	default:
		t.Fatalf("sitetest: no hub store %q", kind)
	}
	server := hub.NewServer(hs, hopts)
	var h http.Handler = server
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	reg, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: hub.AllScopes}, hub.Console("test"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	admin := reg.Token
	t.Cleanup(func() {
		server.Drain() // as a hub's shutdown does: no pull waits on
		srv.CloseClientConnections()
		srv.Close()
		close()
	})
	h0.API, h0.Server, h0.URL, h0.Admin = hs, srv, srv.URL, admin
	return h0
}

// Register registers a station and returns its token.
func Register(t testing.TB, hs hub.API, station string) string {
	t.Helper()
	token := hub.NewToken(hub.TokenStation)
	if err := hs.RegisterStation(context.Background(), station, "", hub.HashToken(token), time.Now()); err != nil {
		t.Fatal(err)
	}
	// The bench a station states on its pull, for the tests that push
	// before any pull: PACK-… packs, DOCK-… dispatches.
	bench := ""
	switch {
	case strings.HasPrefix(station, "PACK-"):
		bench = protocol.BenchPack
	case strings.HasPrefix(station, "DOCK-"):
		bench = hub.BenchDispatch
	}
	if bench != "" {
		if err := hs.NoteBench(context.Background(), station, bench); err != nil {
			t.Fatal(err)
		}
	}
	return token
}

// ImportOf converts a site (the demo's) for the hub, every wave assigned
// to station.
func ImportOf(site store.Site, station string) protocol.SiteImport {
	return protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, station)
}

// Import loads a site into a hub.
func Import(t testing.TB, hs hub.API, imp protocol.SiteImport) {
	t.Helper()
	if _, err := hub.ImportSite(context.Background(), hs, imp, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// OpenStation opens (or creates) a station store.
func OpenStation(t testing.TB, path, station string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), path, station)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Shift makes n events of a working shift over the site's tasks: logins,
// location confirmations, units picked (never more than a task's quantity),
// finished tasks, and rejected scans in between. Every event's effect
// applies to a store loaded with site; start continues a shift (the
// number of events already made).
func Shift(site store.Site, start, n int) []floor.Event {
	var out []floor.Event
	op := site.Operators[0].Badge
	for i := start; len(out) < n; i++ {
		k := i % 10
		t := site.Tasks[(i/10)%len(site.Tasks)]
		tp := floor.TaskPayload{Task: t.ID, Order: t.OrderID, Line: t.LineNo, Location: t.Location, SKU: t.SKU}
		switch {
		case i == 0:
			out = append(out, floor.NewEvent(floor.EvLoggedIn, op, floor.LoginPayload{Badge: op, Name: site.Operators[0].Name}))
		case k == 1 || k == 5 || k == 8:
			out = append(out, floor.NewEvent(floor.EvLocationOK, op, tp))
		case k == 3 && (i/10) < len(site.Tasks):
			// one unit per task, once: tasks never overfill however long the shift
			out = append(out, floor.NewEvent(floor.EvUnitsPicked, op, floor.UnitsPayload{TaskPayload: tp, Qty: 1, Tote: fmt.Sprintf("T%05d", 1+i/10)}))
		default:
			out = append(out, floor.NewEvent(floor.EvScanRejected, op, floor.RejectPayload{Step: "item", Input: fmt.Sprintf("X%07d", i), Reason: "not the item this task wants"}))
		}
	}
	return out
}

// CommitShift commits n shift events to st in commits of per events each.
func CommitShift(t testing.TB, st *store.Store, site store.Site, start, n, per int) {
	t.Helper()
	evs := Shift(site, start, n)
	for len(evs) > 0 {
		k := min(per, len(evs))
		if _, err := st.Commit(context.Background(), time.Now(), evs[:k], nil); err != nil {
			t.Fatal(err)
		}
		evs = evs[k:]
	}
}

// Check compares the hub's events for a station with the station's
// journal: the hub holds events 1..mark, each exactly once and in
// sequence order, each identical (id, type, payload, operator) to the
// station's event of that sequence, so nothing the station never sent is
// there; every sequence up to acked (what the hub was seen to acknowledge)
// is held. It returns the hub's mark.
func Check(t testing.TB, hs hub.API, st *store.Store, acked int64) int64 {
	t.Helper()
	ctx := context.Background()
	station := st.Station()
	mark := Mark(t, hs, station)
	if mark < acked {
		t.Fatalf("hub acknowledged up to %d but holds only up to %d", acked, mark)
	}
	journal, err := st.Journal(ctx, 0, int(mark)+1)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(journal)) < mark {
		t.Fatalf("hub holds %d events of %s, the station's journal only %d: the hub has events the station never sent", mark, station, len(journal))
	}
	// Every event the hub holds for the station, in order: exactly
	// 1..mark, each once, with an id no other of its events has.
	ids := map[string]bool{}
	after := int64(0)
	for {
		evs, err := hs.StationEvents(ctx, station, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			if e.Seq != after+1 {
				t.Fatalf("hub events out of order or not exactly once: %d after %d", e.Seq, after)
			}
			if e.Seq > mark {
				t.Fatalf("hub: mark %d but it holds event %d", mark, e.Seq)
			}
			if ids[e.ID] {
				t.Fatalf("hub holds event id %s twice", e.ID)
			}
			ids[e.ID] = true
			want := journal[e.Seq-1]
			if e.ID != want.ID || e.Type != string(want.Type) || e.Operator != want.Operator || !sameJSON(e.Payload, want.Payload) {
				t.Fatalf("hub event %d is %s %s %s, the station's is %s %s %s", e.Seq, e.ID, e.Type, e.Payload, want.ID, want.Type, want.Payload)
			}
			after = e.Seq
		}
	}
	if after != mark {
		t.Fatalf("hub: mark %d but it holds events only up to %d", mark, after)
	}
	return mark
}

// Mark is the hub's mark for station (the last sequence it applied).
func Mark(t testing.TB, hs hub.API, station string) int64 {
	t.Helper()
	sts, err := hs.Stations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sts {
		if s.ID == station {
			return s.Mark
		}
	}
	t.Fatalf("station %s is not registered at the hub", station)
	return 0
}

func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

// WaitFor polls cond until it holds or the deadline passes: tests wait for
// conditions, never for fixed times.
func WaitFor(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		<-tick.C
	}
}

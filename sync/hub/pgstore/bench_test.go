package pgstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/hub/pgstore"
	"github.com/totewms/tote/sync/protocol"
)

// The ingest benchmark's shape: 50 stations, each pushing its backlog
// in batches over HTTP, all at once.
const (
	benchStations = 50
	benchPerSt    = 2000 // events per station
	benchBatch    = 200  // events per push
	// benchConns is each hub's pool (and the bare inserts' pool): pgx's
	// default on a 2-core machine. More connections only meet more
	// serialization failures here (10 ran at half the rate, with 2.5×
	// the reruns).
	benchConns = 4
)

// benchEvents is a station's shift: per ten events one pick (a tally
// effect on the station's own order, into the cart's own tote), three
// location confirmations and six rejected scans, as the sync suite's
// shifts.
func benchEvents(station string) []protocol.Event {
	out := make([]protocol.Event, benchPerSt)
	order := "SO-" + station
	now := time.Now().UTC()
	for i := range out {
		seq := int64(i + 1)
		tp := floor.TaskPayload{Task: int64(i/10 + 1), Order: order, Line: 1 + i%2, Location: "A-01", SKU: "MUG-1"}
		var typ floor.EventType
		var payload any
		switch k := i % 10; {
		case k == 3:
			typ, payload = floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: tp, Qty: 1, Tote: "T-" + station}
		case k == 1 || k == 5 || k == 8:
			typ, payload = floor.EvLocationOK, tp
		default:
			typ, payload = floor.EvScanRejected, floor.RejectPayload{Step: "item", Input: fmt.Sprintf("X%07d", i), Reason: "not the item this task wants"}
		}
		b, _ := json.Marshal(payload)
		out[i] = protocol.Event{Station: station, Seq: seq, ID: fmt.Sprintf("%s-%d", station, seq), Operator: "B1", DeviceTime: now, Type: string(typ), Payload: b}
	}
	return out
}

func stationID(i int) string { return fmt.Sprintf("CART-%02d", i+1) }

// seedHub gives a hub the site every station works in (one order of two
// lines per station, on a wave assigned to the station, so that its
// picks are its own work) and registers the stations; it returns their
// tokens.
func seedHub(b *testing.B, h hub.API) []string {
	b.Helper()
	if _, err := h.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}}}); err != nil {
		b.Fatal(err)
	}
	var orders []protocol.Order
	tokens := make([]string, benchStations)
	for i := range benchStations {
		orders = append(orders, protocol.Order{ID: "SO-" + stationID(i), ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1_000_000}, {Line: 2, SKU: "MUG-1", Qty: 1_000_000}}})
		tokens[i] = hub.NewToken(hub.TokenStation)
		if err := h.RegisterStation(ctx, stationID(i), "", hub.HashToken(tokens[i]), time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := h.ImportOrders(ctx, orders, time.Now()); err != nil {
		b.Fatal(err)
	}
	for i := range benchStations {
		w := protocol.NewWave{ID: "W-" + stationID(i), Orders: []string{"SO-" + stationID(i)}, Station: stationID(i)}
		if _, err := h.CreateWave(ctx, w, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	return tokens
}

// pushAll has every station push its backlog through the hubs' URLs
// (station i to hub i mod n), all stations at once, and returns the time.
func pushAll(b *testing.B, urls []string, tokens []string, evs [][]protocol.Event) time.Duration {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchStations}}
	bodies := make([][][]byte, benchStations)
	for i := range benchStations {
		for from := 0; from < benchPerSt; from += benchBatch {
			body, _ := json.Marshal(protocol.PushRequest{Station: stationID(i), Events: evs[i][from : from+benchBatch]})
			bodies[i] = append(bodies[i], body)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, benchStations)
	t0 := time.Now()
	for i := range benchStations {
		wg.Go(func() {
			url := urls[i%len(urls)] + protocol.PathPush
			for _, body := range bodies[i] {
				req, _ := http.NewRequest("POST", url, bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tokens[i])
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(protocol.VersionHeader, strconv.Itoa(protocol.Version))
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("%s: push answered %d: %s", stationID(i), resp.StatusCode, msg)
					return
				}
			}
		})
	}
	wg.Wait()
	d := time.Since(t0)
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return d
}

// checkMarks: every station's mark is at its last event, and no event
// was refused as a conflict (the shifts are every station's own work).
func checkMarks(b *testing.B, h hub.API) {
	b.Helper()
	if cs, err := h.Conflicts(ctx, 0, 1); err != nil || len(cs) > 0 {
		b.Fatalf("the shifts raised conflicts (%v): %+v", err, cs)
	}
	sts, err := h.Stations(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range sts {
		if s.Mark != benchPerSt {
			b.Fatalf("%s: mark %d after the run, want %d", s.ID, s.Mark, benchPerSt)
		}
	}
}

// bareSQLite inserts every event into the hub's events table, one
// transaction per push-sized batch on the one writer: SQLite's bare rate.
func bareSQLite(b *testing.B, path string, evs [][]protocol.Event) time.Duration {
	b.Helper()
	hs, err := hubstore.OpenStore(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer hs.Close()
	seedBare(b, hs.DB().W)
	const q = `INSERT INTO events(station, seq, event_id, operator, device_time, received_at, type, payload, outcome, reason) VALUES (?,?,?,?,?,?,?,?,'accepted','')`
	if err := hs.DB().Prepare(ctx, true, q); err != nil {
		b.Fatal(err)
	}
	received := time.Now().UTC().Format(time.RFC3339Nano)
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range benchStations {
		wg.Go(func() {
			for from := 0; from < benchPerSt; from += benchBatch {
				err := hs.DB().Write(ctx, func(tx *sql.Tx) error {
					for _, e := range evs[i][from : from+benchBatch] {
						if _, err := hs.DB().Exec(ctx, tx, q, e.Station, e.Seq, e.ID, e.Operator, e.DeviceTime.Format(time.RFC3339Nano), received, e.Type, string(e.Payload)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(t0)
}

func seedBare(b *testing.B, db *sql.DB) {
	for i := range benchStations {
		if _, err := db.Exec(`INSERT INTO stations(id, registered_at, number) VALUES (?, '2026-03-02T09:00:00Z', ?)`, stationID(i), i+1); err != nil {
			b.Fatal(err)
		}
	}
}

// barePostgres COPYs every event into the events table, one transaction
// per push-sized batch, the 50 stations at once through one pool of the
// hub's size: PostgreSQL's bare rate.
func barePostgres(b *testing.B, dsn string, evs [][]protocol.Event) time.Duration {
	b.Helper()
	ps, err := pgstore.OpenStore(ctx, dsn, benchConns)
	if err != nil {
		b.Fatal(err)
	}
	defer ps.Close()
	received := time.Now().UTC().Format(time.RFC3339Nano)
	cols := []string{"station", "seq", "event_id", "operator", "device_time", "received_at", "type", "payload", "outcome", "reason"}
	var wg sync.WaitGroup
	t0 := time.Now()
	for i := range benchStations {
		wg.Go(func() {
			for from := 0; from < benchPerSt; from += benchBatch {
				batch := evs[i][from : from+benchBatch]
				err := pgx.BeginFunc(ctx, ps.Pool(), func(tx pgx.Tx) error {
					_, err := tx.CopyFrom(ctx, pgx.Identifier{"events"}, cols, pgx.CopyFromSlice(len(batch), func(k int) ([]any, error) {
						e := batch[k]
						return []any{e.Station, e.Seq, e.ID, e.Operator, e.DeviceTime.Format(time.RFC3339Nano), received, e.Type, string(e.Payload), "accepted", ""}, nil
					}))
					return err
				})
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(t0)
}

// pgHubs serves n hubs (each its own pool and HTTP server, as n hub
// processes would have) on one database.
func pgHubs(b *testing.B, dsn string, n int) (urls []string, stores []*pgstore.Store, stop func()) {
	b.Helper()
	var srvs []*httptest.Server
	for range n {
		s, err := pgstore.Open(ctx, dsn, pgstore.Options{MaxConns: benchConns})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(hub.NewServer(s, hub.Options{}))
		urls, stores, srvs = append(urls, srv.URL), append(stores, s), append(srvs, srv)
	}
	return urls, stores, func() {
		for i := range srvs {
			srvs[i].Close()
			stores[i].Close()
		}
	}
}

// BenchmarkIngest50Stations measures events per second ingested from 50
// stations pushing at once (HTTP on loopback, JSON, the hub's rules and
// projection, durable commits): into a SQLite hub, one hub on
// PostgreSQL, and two hubs on one PostgreSQL database, each next to bare
// batched inserts of the same events into the same kind of database in
// the same run (prepared INSERTs on SQLite's one writer; COPY on
// PostgreSQL). Run it with -benchtime 1x (-count for more runs).
func BenchmarkIngest50Stations(b *testing.B) {
	evs := make([][]protocol.Event, benchStations)
	for i := range evs {
		evs[i] = benchEvents(stationID(i))
	}
	total := float64(benchStations * benchPerSt)
	var sqliteBare, sqliteHub, pgBare, pg1, pg2 time.Duration
	var retries1, retries2, sqliteCommits int64
	// The cores each phase kept busy while it ran: this process (hubs
	// and stations), PostgreSQL, the whole machine; and the cores idle.
	cpu := map[string][4]float64{}
	metered := func(phase string, f func() time.Duration) time.Duration {
		m := startCPU()
		d := f()
		self, kids, busy, idle := m.cores()
		c := cpu[phase]
		cpu[phase] = [4]float64{c[0] + self, c[1] + kids, c[2] + busy, c[3] + idle}
		return d
	}
	// Each hub phase's goroutines carry its name as a profile label
	// (pprof -tagfocus phase=pg-1hub).
	labelled := func(phase string, f func()) {
		pprof.Do(ctx, pprof.Labels("phase", phase), func(context.Context) { f() })
	}
	for range b.N {
		dir := b.TempDir()
		// SQLite: bare, then the hub, each into a new database.
		sqliteBare += metered("sqlite-bare", func() time.Duration { return bareSQLite(b, filepath.Join(dir, "bare.db"), evs) })
		hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		tokens := seedHub(b, hs)
		seeded := hs.Commits()
		labelled("sqlite-hub", func() {
			srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
			defer srv.Close()
			sqliteHub += metered("sqlite-hub", func() time.Duration { return pushAll(b, []string{srv.URL}, tokens, evs) })
		})
		checkMarks(b, hs)
		sqliteCommits += hs.Commits() - seeded
		hs.Close()

		// PostgreSQL: bare COPY, one hub, two hubs, each into a new
		// database of the one cluster.
		bareDSN := pgtest.DSN(b)
		seedPG, err := pgstore.Open(ctx, bareDSN, pgstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		seedHub(b, seedPG)
		seedPG.Close()
		pgBare += metered("pg-bare", func() time.Duration { return barePostgres(b, bareDSN, evs) })
		for n, sum := range map[int]*time.Duration{1: &pg1, 2: &pg2} {
			dsn := pgtest.DSN(b)
			phase := fmt.Sprintf("pg-%dhub", n)
			labelled(phase, func() {
				urls, stores, stop := pgHubs(b, dsn, n)
				defer stop()
				tokens := seedHub(b, stores[0])
				*sum += metered(phase, func() time.Duration { return pushAll(b, urls, tokens, evs) })
				checkMarks(b, stores[0])
				for _, s := range stores {
					if n == 1 {
						retries1 += s.Retries()
					} else {
						retries2 += s.Retries()
					}
				}
			})
		}
	}
	rate := func(d time.Duration) float64 { return total * float64(b.N) / d.Seconds() }
	b.ReportMetric(rate(sqliteHub), "sqlite-hub-ev/s")
	b.ReportMetric(rate(sqliteBare), "sqlite-bare-ev/s")
	b.ReportMetric(rate(sqliteHub)/rate(sqliteBare), "sqlite-hub/bare")
	// The SQLite hub's commits while the stations pushed (500 pushes):
	// pushes that queue for the writer commit together.
	b.ReportMetric(float64(sqliteCommits)/float64(b.N), "sqlite-hub-commits/op")
	b.ReportMetric(rate(pg1), "pg-1hub-ev/s")
	b.ReportMetric(rate(pg2), "pg-2hubs-ev/s")
	b.ReportMetric(rate(pgBare), "pg-bare-ev/s")
	b.ReportMetric(rate(pg1)/rate(pgBare), "pg-1hub/bare")
	b.ReportMetric(rate(pg2)/rate(pgBare), "pg-2hubs/bare")
	b.ReportMetric(rate(pg2)/rate(pg1), "pg-2hubs/1hub")
	b.ReportMetric(float64(retries1+retries2)/float64(b.N), "pg-retries/op")
	for phase, c := range cpu {
		b.ReportMetric(c[0]/float64(b.N), phase+"-cpu-go")
		b.ReportMetric(c[1]/float64(b.N), phase+"-cpu-pg")
		b.ReportMetric(c[2]/float64(b.N), phase+"-cpu-machine")
		b.ReportMetric(c[3]/float64(b.N), phase+"-idle-machine")
	}
	b.ReportMetric(0, "ns/op") // the rates above are the figures
}

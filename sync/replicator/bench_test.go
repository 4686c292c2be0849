package replicator_test

import (
	"context"
	"database/sql"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/replicator"
)

// BenchmarkDrain100k drains a backlog of 100,000 events from a station to a
// hub on loopback with the replicator's default batches (HTTP, JSON, the
// hub's rules and projection, both sides' durable commits), and, in the
// same run, inserts the same events straight into a copy of the hub's
// database in transactions of the same size: the hub's bare ingest rate.
// It reports both rates and their ratio. Run it with -benchtime 1x.
func BenchmarkDrain100k(b *testing.B) {
	const total = 100_000
	dir := b.TempDir()
	site := demo.Site(1, time.Now())

	// Templates, made once: a hub with the demo site and the station
	// registered; a station that has pulled its slice and then recorded
	// 100,000 events.
	hubTpl, stTpl := filepath.Join(dir, "hub-template.db"), filepath.Join(dir, "station-template.db")
	hs, err := hubstore.Open(ctx, hubTpl, hubstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	token := sitetest.Register(b, hs, station)
	sitetest.Import(b, hs, sitetest.ImportOf(site, station))
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	st := sitetest.OpenStation(b, stTpl, station)
	rep, err := replicator.New(st, replicator.Options{Hub: srv.URL, Token: token})
	if err != nil {
		b.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	go rep.Run(c)
	sitetest.WaitFor(b, time.Minute, "the first pull", func() bool {
		var n int
		st.DB().R.QueryRow(`SELECT COUNT(*) FROM pick_tasks`).Scan(&n)
		return n == len(site.Tasks)
	})
	cancel()
	srv.Close()
	sitetest.CommitShift(b, st, site, 0, total, 1000)
	evs, err := st.Journal(ctx, 0, total)
	if err != nil || len(evs) != total {
		b.Fatalf("journal: %d events, %v", len(evs), err)
	}
	st.Close()
	hs.Close()
	batch := 2000 // the replicator's default

	var drainNS, bareNS int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		hubPath, stPath, barePath := filepath.Join(dir, "hub.db"), filepath.Join(dir, "station.db"), filepath.Join(dir, "bare.db")
		for _, p := range []string{hubPath, stPath, barePath} {
			removeDB(b, p)
		}
		copyDB(b, hubTpl, hubPath)
		copyDB(b, hubTpl, barePath)
		copyDB(b, stTpl, stPath)

		// The bare rate: the hub's events table, prepared INSERTs, one
		// transaction per batch, nothing else.
		bare, err := hubstore.Open(ctx, barePath, hubstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		const q = `INSERT INTO events(station, seq, event_id, operator, device_time, received_at, type, payload, outcome, reason) VALUES (?,?,?,?,?,?,?,?,'accepted','')`
		if err := bare.DB().Prepare(ctx, true, q); err != nil {
			b.Fatal(err)
		}
		received := time.Now().UTC().Format(time.RFC3339Nano)
		b.StartTimer()
		t0 := time.Now()
		for from := 0; from < total; from += batch {
			err := bare.DB().Write(ctx, func(tx *sql.Tx) error {
				for _, e := range evs[from:min(from+batch, total)] {
					if _, err := bare.DB().Exec(ctx, tx, q, e.Station, e.Seq, e.ID, e.Operator, e.DeviceTime.UTC().Format(time.RFC3339Nano),
						received, string(e.Type), string(e.Payload)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		bareNS += time.Since(t0).Nanoseconds()
		b.StopTimer()
		bare.Close()

		// The drain: the real replicator against the real hub on loopback.
		hs, err := hubstore.Open(ctx, hubPath, hubstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
		st, err := store.Open(ctx, stPath, station)
		if err != nil {
			b.Fatal(err)
		}
		drained := make(chan struct{})
		rep, err := replicator.New(st, replicator.Options{Hub: srv.URL, Token: token, PullInterval: time.Hour,
			OnStatus: func(s replicator.Status) {
				if s.Waiting == 0 && !s.LastPush.IsZero() {
					select {
					case <-drained:
					default:
						close(drained)
					}
				}
			}})
		if err != nil {
			b.Fatal(err)
		}
		c, cancel := context.WithCancel(ctx)
		b.StartTimer()
		t0 = time.Now()
		go rep.Run(c)
		<-drained
		drainNS += time.Since(t0).Nanoseconds()
		b.StopTimer()
		cancel()
		srv.Close()
		var mark int64
		hs.DB().R.QueryRow(`SELECT mark FROM stations WHERE id=?`, station).Scan(&mark)
		if mark != total {
			b.Fatalf("the hub holds %d events after the drain", mark)
		}
		st.Close()
		hs.Close()
		b.StartTimer()
	}
	b.StopTimer()
	drainRate := float64(total) * float64(b.N) / (float64(drainNS) / 1e9)
	bareRate := float64(total) * float64(b.N) / (float64(bareNS) / 1e9)
	b.ReportMetric(drainRate, "drain-events/s")
	b.ReportMetric(bareRate, "bare-events/s")
	b.ReportMetric(100*drainRate/bareRate, "drain-%-of-bare")
}

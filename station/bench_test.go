package station_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/store"
)

// latencies records each operation's duration and reports p50 and p99, the
// figures the issue compares (the scan path's p99 against the bare commit's).
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	at := func(q float64) float64 { return float64(l[int(q*float64(len(l)-1))].Nanoseconds()) }
	b.ReportMetric(at(0.50), "p50-ns")
	b.ReportMetric(at(0.99), "p99-ns")
}

// BenchmarkCommit compares a pick scan from input to durable commit with a
// bare SQLite commit under the same settings, in one run:
//
//	go test -run '^$' -bench Commit -benchtime 2000x -count 8 ./station > b.txt
//	benchstat -col /path b.txt
//
// path=verify is the pack bench's verify scan, measured the same way.
func BenchmarkCommit(b *testing.B) {
	b.Run("path=bare", benchBareCommit)
	b.Run("path=scan", benchScanPath)
	b.Run("path=verify", benchVerifyScan)
}

// benchVerifyScan is a pack bench's unit scan from input to durable
// commit: interpreted, matched against the order on the bench, the order's
// standing read for the hold gate, run through the pack workflow and
// committed with its event and the bench's state. Every ten scans the
// order is put aside and scanned again (three untimed commits), so the
// carton holds at most ten scans, as a real one does, and the bench commits
// about as often between verify scans as it would closing cartons and
// starting orders.
func benchVerifyScan(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "station.db"), "BENCH-02")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	site := packSite()
	site.Orders[1].Lines[0].Qty = 1 << 20
	site.Tasks[2].Qty = 1 << 20
	if err := st.LoadSite(ctx, site); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Commit(ctx, clock(), []floor.Event{
		floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: 3}, Qty: 1 << 20, Tote: "T00002"}),
		floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: 4}, Qty: 3, Tote: "T00002"}),
	}, nil); err != nil {
		b.Fatal(err)
	}
	s := openBench(b, st, packOptions())
	go s.Serve(ctx)
	do := func(a station.Action) station.Outcome {
		s.Submit(a)
		return <-s.Outcomes()
	}
	restart := []station.Action{key(floor.CmdCancel), key(floor.CmdOK), typed("T00002")}
	for _, a := range append([]station.Action{typed("B2001")}, restart[2]) {
		if o := do(a); o.Err != nil || o.Feedback.Level == floor.Error {
			b.Fatalf("setup %q: %+v", a.Scan.Data, o.Feedback)
		}
	}
	scan := typed(mugGTIN[1:])
	lat := make(latencies, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 && i%10 == 0 {
			b.StopTimer()
			for _, a := range restart {
				if o := do(a); o.Err != nil || o.Feedback.Level == floor.Error {
					b.Fatalf("set aside and restart at %d: %+v %v", i, o.Feedback, o.Err)
				}
			}
			b.StartTimer()
		}
		start := time.Now()
		o := do(scan)
		lat = append(lat, time.Since(start))
		if o.Err != nil || len(o.Events) != 1 || o.Events[0].Type != floor.EvPackUnitVerified {
			b.Fatalf("scan %d: %+v %v", i, o.Feedback, o.Err)
		}
	}
	b.StopTimer()
	lat.report(b)
}

// benchBareCommit is the baseline: one single-row INSERT committed with
// the store's settings (WAL, synchronous=FULL, BEGIN IMMEDIATE).
func benchBareCommit(b *testing.B) {
	ms := []sqlitedb.Migration{{Version: 1, Name: "1_t.sql", SQL: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"}}
	db, err := sqlitedb.Open(context.Background(), filepath.Join(b.TempDir(), "bare.db"), ms)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	lat := make(latencies, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, "INSERT INTO t(v) VALUES (?)", "04006381004350")
			return err
		})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	lat.report(b)
}

// benchScanPath is a pick scan from input to durable commit: submitted to
// the station as a scanner would, interpreted, resolved against the store,
// run through the workflow, committed with its event, and answered.
func benchScanPath(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "station.db"), "BENCH-01")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	// One task large enough for every iteration.
	err = st.LoadSite(ctx, store.Site{
		Operators: []floor.Operator{{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}}},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", WalkSeq: 1}},
		Items:     []floor.Item{{SKU: "CAND-435", GTINs: []string{"04006381004350"}, Description: "Small Candle"}},
		Orders:    []floor.Order{{ID: "ORD-100001", Lines: []floor.OrderLine{{LineNo: 1, SKU: "CAND-435", Qty: 1 << 30}}}},
		Waves:     []floor.Wave{{ID: "W1"}},
		Tasks:     []floor.PickTask{{ID: 1, WaveID: "W1", OrderID: "ORD-100001", LineNo: 1, Location: "A-01-01-1", SKU: "CAND-435", Qty: 1 << 30, SortKey: 1}},
	})
	if err != nil {
		b.Fatal(err)
	}
	s := openStation(b, st)
	go s.Serve(ctx)
	for _, a := range []station.Action{typed("B1001"), typed("T00001"), typed("A-01-01-1")} {
		s.Submit(a)
		if o := <-s.Outcomes(); o.Err != nil || len(o.Events) == 0 {
			b.Fatalf("setup %q: %+v", a.Scan.Data, o.Feedback)
		}
	}
	scan := typed("4006381004350")
	lat := make(latencies, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		s.Submit(scan)
		o := <-s.Outcomes()
		lat = append(lat, time.Since(start))
		if o.Err != nil || len(o.Events) != 1 || o.Events[0].Type != floor.EvUnitsPicked {
			b.Fatalf("scan %d: %+v %v", i, o.Feedback, o.Err)
		}
	}
	b.StopTimer()
	lat.report(b)
}

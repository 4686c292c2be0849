package station_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/returnsbench"
	"github.com/totewms/tote/station/store"
)

// latencies records each operation's duration and reports p50 and p99, the
// figures the issues compare (a scan path's p99 against the bare commit's).
type latencies []time.Duration

func (l latencies) at(q float64) float64 {
	s := slices.Clone(l)
	slices.Sort(s)
	return float64(s[int(q*float64(len(s)-1))].Nanoseconds())
}

func (l latencies) report(b *testing.B, prefix string) {
	if len(l) == 0 {
		return
	}
	b.ReportMetric(l.at(0.50), prefix+"p50-ns")
	b.ReportMetric(l.at(0.99), prefix+"p99-ns")
}

// timed is one measured operation of a path; it fails the benchmark itself.
type timed func(i int) time.Duration

// BenchmarkCommit compares a pick scan and a pack bench's verify scan, each
// from input to durable commit, with a bare SQLite commit under the same
// settings, in one run:
//
//	go test -run '^$' -bench Commit -benchtime 2000x -count 8 ./station > b.txt
//	benchstat -col /path b.txt
//
// Each path runs on its own for b.N operations, one after the other. See
// BenchmarkInterleaved for the same three paths taking turns.
func BenchmarkCommit(b *testing.B) {
	defer station.TuneGC()() // as in a station process
	for _, p := range paths {
		b.Run("path="+p.name, func(b *testing.B) {
			op := p.rig(b, dbIn(b), nil)
			lat := make(latencies, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				lat = append(lat, op(i))
			}
			b.StopTimer()
			lat.report(b, "")
		})
	}
}

// BenchmarkInterleaved runs the same three paths taking turns, one operation
// of each per round, each on its own store: a slow spell of the disk or the
// machine then falls on all three alike, so the ratios it reports
// (scan-p99/bare, verify-p99/bare) measure the code rather than which path
// ran during the spell.
//
//	go test -run '^$' -bench Interleaved -benchtime 2000x -count 8 ./station > i.txt
//	benchstat i.txt
func BenchmarkInterleaved(b *testing.B) {
	defer station.TuneGC()() // as in a station process
	bare, scan, done, verify := bareRig(b, dbIn(b), nil), scanRig(b, dbIn(b), nil), completeRig(b, dbIn(b), nil), verifyRig(b, dbIn(b), nil)
	var lb, ls, ld, lv latencies
	// Collections during the rounds: garbage the paths make is a cause of
	// their tail (a collection's work falls on the operations it runs beside).
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		lb = append(lb, bare(i))
		ls = append(ls, scan(i))
		ld = append(ld, done(i))
		lv = append(lv, verify(i))
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.NumGC-before.NumGC)*1000/float64(b.N), "gc/krounds")
	lb.report(b, "bare-")
	ls.report(b, "scan-")
	ld.report(b, "complete-")
	lv.report(b, "verify-")
	b.ReportMetric(ls.at(0.99)/lb.at(0.99), "scan-p99/bare")
	b.ReportMetric(ld.at(0.99)/lb.at(0.99), "complete-p99/bare")
	b.ReportMetric(lv.at(0.99)/lb.at(0.99), "verify-p99/bare")
	b.ReportMetric(lv.at(0.50)/lb.at(0.50), "verify-p50/bare")
}

// BenchmarkWALPages counts the pages each path appends to the WAL:
// what a commit makes the disk write and sync, and what a checkpoint
// copies later. pages/op is the timed operation's commit alone;
// all-pages/op also counts the untimed commits a rig makes between (the
// location scan before each task-completing scan, the verify path's set
// aside and restart every ten scans), which fill the WAL towards its next
// checkpoint too.
//
//	go test -run '^$' -bench WALPages -benchtime 1000x ./station
func BenchmarkWALPages(b *testing.B) {
	for _, p := range paths {
		b.Run("path="+p.name, func(b *testing.B) {
			path := dbIn(b)
			// The WAL emptied just before each timed commit, so what it
			// holds after is that commit's alone.
			var truncate func() int
			between := 0
			op := p.rig(b, path, func() { between += truncate() })
			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			// The frames the WAL held, copied into the database and the WAL
			// emptied. Batches stay far below the 1000-page automatic
			// checkpoint, which would restart the WAL uncounted.
			checkpoint := func(mode string) int {
				var busy, frames, done int
				if err := db.QueryRow("PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &frames, &done); err != nil || busy != 0 || done != frames {
					b.Fatalf("checkpoint(%s): busy %d, %d of %d frames: %v", mode, busy, done, frames, err)
				}
				return frames
			}
			// TRUNCATE answers with the emptied WAL's counts: FULL counts.
			truncate = func() int {
				frames := checkpoint("FULL")
				checkpoint("TRUNCATE")
				return frames
			}
			truncate()
			between = 0
			pages := 0
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				op(i)
				pages += truncate()
			}
			b.ReportMetric(float64(pages)/float64(b.N), "pages/op")
			b.ReportMetric(float64(pages+between)/float64(b.N), "all-pages/op")
		})
	}
}

// paths are the paths the benchmarks compare, each a rig that opens its
// store at the path given; a rig calls before (when set) just before
// each timed operation, after any untimed one.
var paths = []struct {
	name string
	rig  func(b *testing.B, path string, before func()) timed
}{{"bare", bareRig}, {"scan", scanRig}, {"complete", completeRig}, {"verify", verifyRig}}

// ready calls before when it is set.
func ready(before func()) {
	if before != nil {
		before()
	}
}

func dbIn(b *testing.B) string { return filepath.Join(b.TempDir(), "bench.db") }

// bareRig is the baseline: one single-row INSERT committed with the store's
// settings (WAL, synchronous=FULL, BEGIN IMMEDIATE).
func bareRig(b *testing.B, path string, before func()) timed {
	ms := []sqlitedb.Migration{{Version: 1, Name: "1_t.sql", SQL: "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)"}}
	db, err := sqlitedb.Open(context.Background(), path, ms)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	ctx := context.Background()
	// Prepared, as the store prepares the scan path's statements: the
	// baseline should not pay a parse the scan does not.
	const insert = "INSERT INTO t(v) VALUES (?)"
	if err := db.Prepare(ctx, true, insert); err != nil {
		b.Fatal(err)
	}
	return func(int) time.Duration {
		ready(before)
		start := time.Now()
		err := db.Write(ctx, func(tx *sql.Tx) error {
			_, err := db.Exec(ctx, tx, insert, "04006381004350")
			return err
		})
		d := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
}

// serve runs s in the background until the benchmark ends and returns a
// function that submits an action as a scanner would and waits for its
// outcome. The station's goroutine carries the path's name as a pprof
// label: -cpuprofile, then go tool pprof -tagfocus path=verify.
func serve(b *testing.B, s *station.Station, path string) func(station.Action) station.Outcome {
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	pprof.Do(ctx, pprof.Labels("path", path), func(ctx context.Context) { go s.Serve(ctx) })
	return func(a station.Action) station.Outcome {
		s.Submit(a)
		return <-s.Outcomes()
	}
}

// scanRig is a pick scan from input to durable commit: submitted to the
// station as a scanner would, interpreted, resolved against the store, run
// through the workflow, committed with its event, and answered.
func scanRig(b *testing.B, path string, before func()) timed {
	ctx := context.Background()
	st, err := store.Open(ctx, path, "BENCH-01")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
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
	do := serve(b, openStation(b, st), "scan")
	for _, a := range []station.Action{typed("B1001"), typed("T00001"), typed("A-01-01-1")} {
		if o := do(a); o.Err != nil || len(o.Events) == 0 {
			b.Fatalf("setup %q: %+v", a.Scan.Data, o.Feedback)
		}
	}
	scan := typed("4006381004350")
	return func(i int) time.Duration {
		ready(before)
		start := time.Now()
		o := do(scan)
		d := time.Since(start)
		if o.Err != nil || len(o.Events) != 1 || o.Events[0].Type != floor.EvUnitsPicked {
			b.Fatalf("scan %d: %+v %v", i, o.Feedback, o.Err)
		}
		return d
	}
}

// completeRig is a pick scan that completes its task, from input to
// durable commit: besides the unit's event it moves the task to done and
// the walk to the next task, all in the session row it commits (a
// unit scan that leaves the task open is scanRig, the cheapest). Every task is one unit
// at the same location; the location scan before each (a commit too) is
// not timed.
func completeRig(b *testing.B, path string, before func()) timed {
	ctx := context.Background()
	st, err := store.Open(ctx, path, "BENCH-03")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	n := b.N + 1
	order := floor.Order{ID: "ORD-100001"}
	tasks := make([]floor.PickTask, 0, n)
	for i := 1; i <= n; i++ {
		order.Lines = append(order.Lines, floor.OrderLine{LineNo: i, SKU: "CAND-435", Qty: 1})
		tasks = append(tasks, floor.PickTask{ID: int64(i), WaveID: "W1", OrderID: order.ID, LineNo: i, Location: "A-01-01-1", SKU: "CAND-435", Qty: 1, SortKey: i})
	}
	err = st.LoadSite(ctx, store.Site{
		Operators: []floor.Operator{{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}}},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", WalkSeq: 1}},
		Items:     []floor.Item{{SKU: "CAND-435", GTINs: []string{"04006381004350"}, Description: "Small Candle"}},
		Orders:    []floor.Order{order},
		Waves:     []floor.Wave{{ID: "W1"}},
		Tasks:     tasks,
	})
	if err != nil {
		b.Fatal(err)
	}
	do := serve(b, openStation(b, st), "complete")
	for _, a := range []station.Action{typed("B1001"), typed("T00001")} {
		if o := do(a); o.Err != nil || len(o.Events) == 0 {
			b.Fatalf("setup %q: %+v", a.Scan.Data, o.Feedback)
		}
	}
	loc, scan := typed("A-01-01-1"), typed("4006381004350")
	return func(i int) time.Duration {
		if o := do(loc); o.Err != nil || o.Feedback.Level == floor.Error {
			b.Fatalf("location before scan %d: %+v %v", i, o.Feedback, o.Err)
		}
		ready(before)
		start := time.Now()
		o := do(scan)
		d := time.Since(start)
		if o.Err != nil || len(o.Events) == 0 || o.Events[0].Type != floor.EvUnitsPicked || o.State.(pick.State).Step != pick.StepLocation {
			b.Fatalf("completing scan %d: %+v %v", i, o.Feedback, o.Err)
		}
		return d
	}
}

// verifyRig is a pack bench's unit scan from input to durable commit:
// interpreted, matched against the order on the bench, the order's standing
// checked for the hold gate, run through the pack workflow and committed
// with its event. Every ten scans the order is put aside and scanned again
// (three commits, not timed), so the carton holds at most ten scans, as a
// real one does, and the bench commits about as often between verify scans
// as it would closing cartons and starting orders. Like the location scan
// of completeRig, they count in ns/op but not in the latencies: the rig
// does not stop the benchmark's timer for them, because stopping and
// starting it reads the memory statistics, which stops the world and
// empties every allocation cache, and the scan timed next paid for that
// (its p50 about 50 µs more than the other scans', one scan in ten).
func verifyRig(b *testing.B, path string, before func()) timed {
	ctx := context.Background()
	st, err := store.Open(ctx, path, "BENCH-02")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
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
	do := serve(b, openBench(b, st, packOptions()), "verify")
	restart := []station.Action{key(floor.CmdCancel), key(floor.CmdOK), typed("T00002")}
	for _, a := range append([]station.Action{typed("B2001")}, restart[2]) {
		if o := do(a); o.Err != nil || o.Feedback.Level == floor.Error {
			b.Fatalf("setup %q: %+v", a.Scan.Data, o.Feedback)
		}
	}
	scan := typed(mugGTIN[1:])
	return func(i int) time.Duration {
		if i > 0 && i%10 == 0 {
			for _, a := range restart {
				if o := do(a); o.Err != nil || o.Feedback.Level == floor.Error {
					b.Fatalf("set aside and restart at %d: %+v %v", i, o.Feedback, o.Err)
				}
			}
		}
		ready(before)
		start := time.Now()
		o := do(scan)
		d := time.Since(start)
		if o.Err != nil || len(o.Events) != 1 || o.Events[0].Type != floor.EvPackUnitVerified {
			b.Fatalf("scan %d: %+v %v", i, o.Feedback, o.Err)
		}
		return d
	}
}

// TestBenchForRoles: a station configured with no bench runs the one bench
// its roles name (a visiting bench's only when alone); none or more than
// one, the default (a pick cart).
func TestBenchForRoles(t *testing.T) {
	for _, c := range []struct {
		roles []floor.Role
		want  station.BenchName
	}{
		{nil, station.DefaultBench},
		{[]floor.Role{floor.RolePicker}, station.BenchPick},
		{[]floor.Role{floor.RolePacker}, station.BenchPack},
		{[]floor.Role{floor.RolePacker, floor.RoleSupervisor}, station.BenchPack},
		{[]floor.Role{floor.RolePicker, floor.RolePacker}, station.DefaultBench},
		// The supervisor's bench visits every station: it is a station's
		// own only when no other bench's role is named.
		{[]floor.Role{floor.RoleSupervisor}, station.BenchSupervise},
		{[]floor.Role{floor.RolePicker, floor.RoleSupervisor}, station.BenchPick},
		// A minor role's bench (returns) is a station's own only when no
		// other bench's role is named; it still comes before a visitor's.
		{[]floor.Role{floor.RoleReturns}, returnsbench.Name},
		{[]floor.Role{floor.RoleReturns, floor.RoleSupervisor}, returnsbench.Name},
		{[]floor.Role{floor.RolePacker, floor.RoleSupervisor, floor.RoleReturns}, station.BenchPack},
	} {
		if got := station.BenchFor(c.roles); got != c.want {
			t.Errorf("roles %v: bench %q, want %q", c.roles, got, c.want)
		}
	}
	if !station.Registered(station.BenchPack) || station.Registered("nonesuch") {
		t.Error("Registered does not say which benches are registered")
	}
}

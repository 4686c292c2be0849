package station_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/store"
)

// The pack crash test re-runs this test binary as a packer that never stops
// (TestMain sees the variable) and kills it with SIGKILL.
const packCrashChildEnv = "TOTE_PACK_CRASH_CHILD_DB"

// packCrashOrders is how many picked orders wait at the crash test's bench:
// enough work for crashKills kills and more.
const packCrashOrders = 60

// packCrashTote is the tote order i (0-based) was picked into.
func packCrashTote(i int) string { return fmt.Sprintf("T%05d", i+1) }

// packCrashSplit reports whether order i goes into two cartons, so kills
// also land between one carton's label and the next.
func packCrashSplit(id string) bool {
	n, _ := strconv.Atoi(strings.TrimPrefix(id, "ORD-"))
	return n%3 == 0
}

// packCrashSite is packSite's items with packCrashOrders orders of 2 mugs
// and 1 cap each, every one picked into its own tote.
func packCrashSite(t testing.TB, st *store.Store) {
	t.Helper()
	site := packSite()
	site.Orders, site.Tasks = nil, nil
	var picks []floor.Event
	for i := range packCrashOrders {
		id := fmt.Sprintf("ORD-%04d", i+1)
		site.Orders = append(site.Orders, floor.Order{ID: id, Customer: "Ada Lovelace", Status: floor.OrderOpen, ShipTo: shipTo, Lines: []floor.OrderLine{
			{OrderID: id, LineNo: 1, SKU: "MUG-RED", Qty: 2},
			{OrderID: id, LineNo: 2, SKU: "CAP-BLU", Qty: 1},
		}})
		for line, l := range site.Orders[i].Lines {
			task := int64(2*i + line + 1)
			site.Tasks = append(site.Tasks, floor.PickTask{ID: task, WaveID: "W1", OrderID: id, LineNo: l.LineNo, Location: "A-01-01-1",
				SKU: l.SKU, Qty: l.Qty, Status: floor.TaskOpen, SortKey: int(task)})
			picks = append(picks,
				floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: task}, Qty: l.Qty, Tote: packCrashTote(i)}),
				floor.NewEvent(floor.EvTaskPicked, "B1001", floor.TaskPayload{Task: task}))
		}
	}
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStationNumber(ctx, 1); err != nil { // as the hub's first pull would
		t.Fatal(err)
	}
	if _, err := st.Commit(ctx, clock(), picks, nil); err != nil {
		t.Fatal(err)
	}
}

// packNext is what a packer does next at the crash test's bench: the next
// tote, each unit's GTIN, a carton closed early on split orders, Enter for
// the suggested box, the expected weight typed. tote is the index of the
// tote to try at the order scan.
func packNext(s pack.State, tote int) (station.Action, error) {
	switch s.Step {
	case pack.StepLogin:
		return typed("B2001"), nil
	case pack.StepOrder, pack.StepDone:
		return typed(packCrashTote(tote)), nil
	case pack.StepVerify:
		if c, ok := s.OpenCarton(); ok && packCrashSplit(s.Order.ID) && len(s.Cartons) == 1 && c.Count() == 1 {
			return key(floor.CmdCloseCarton), nil
		}
		for _, l := range s.Order.Lines {
			if s.Verified(l.LineNo) < l.Picked {
				return typed(l.GTINs[0][1:]), nil
			}
		}
		return key(floor.CmdComplete), nil
	case pack.StepBox:
		return typed(""), nil
	case pack.StepWeigh:
		c, ok := s.OpenCarton()
		if !ok {
			return station.Action{}, fmt.Errorf("weigh with no open carton")
		}
		b, ok := s.Box(c.Box)
		if !ok {
			return station.Action{}, fmt.Errorf("carton %d in unknown box %q", c.No, c.Box)
		}
		g, _ := s.ExpectedWeight(c, b)
		return typed(strconv.FormatFloat(math.Round(g), 'f', -1, 64)), nil
	}
	return station.Action{}, fmt.Errorf("the crash packer has no move at step %s", s.Step)
}

// packCrashChild packs for ever, printing "ACK seq" after each durable
// commit (what a packer would have been told was OK), and DONE when every
// tote is packed.
func packCrashChild(path string) int {
	st, err := store.Open(ctx, path, "PACK-01")
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		return 3
	}
	in, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		fmt.Fprintln(os.Stderr, "child interpreter:", err)
		return 3
	}
	s, err := station.Open(ctx, st, in, packOptions())
	if err != nil {
		fmt.Fprintln(os.Stderr, "child station:", err)
		return 3
	}
	out := bufio.NewWriter(os.Stdout)
	tote := 0
	for {
		state := s.Snapshot().State.(pack.State)
		a, err := packNext(state, tote)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child:", err)
			return 4
		}
		o := s.Handle(ctx, a)
		if !acknowledge(out, o) {
			return 4
		}
		switch {
		case o.Feedback.Level == floor.Error && (state.Step == pack.StepOrder || state.Step == pack.StepDone):
			// A tote packed before the last kill: refused, so the next one.
			if tote++; tote == packCrashOrders {
				fmt.Fprintln(out, "DONE")
				out.Flush()
				return 0
			}
		case o.Feedback.Level == floor.Error:
			fmt.Fprintf(os.Stderr, "child: %+v refused at %s: %s\n", a, state.Step, o.Feedback.Message)
			return 4
		}
	}
}

// TestKillNinePackLosesNothing kills a packing process at random moments, 60
// times, restarting it on the same store each time, then lets it pack the
// rest. Afterwards every acknowledged event is in the journal,
// the journal has no gap, the database passes integrity_check, every order
// has exactly one shipment, and every label the journal asked for has
// exactly one carton row, one SSCC and one print job: none lost, none
// doubled.
func TestKillNinePackLosesNothing(t *testing.T) {
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "scratch.db"), "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	packCrashSite(t, st)
	final, evs, acked := afterKills(t, st, "PACK-01", packCrashChildEnv, 13)
	types := map[floor.EventType]int{}
	labelled := map[string]floor.PackLabelPayload{} // by SSCC
	completed := map[string]int{}                   // shipments completed, by order
	for _, e := range evs {
		types[e.Type]++
		switch e.Type {
		case floor.EvPackLabelRequested:
			var p floor.PackLabelPayload
			if err := json.Unmarshal(e.Payload, &p); err != nil {
				t.Fatal(err)
			}
			if _, twice := labelled[p.SSCC]; twice {
				t.Fatalf("SSCC %s asked for twice", p.SSCC)
			}
			labelled[p.SSCC] = p
		case floor.EvPackShipmentCompleted:
			var p floor.PackShipmentPayload
			if err := json.Unmarshal(e.Payload, &p); err != nil {
				t.Fatal(err)
			}
			completed[p.Order]++
		case floor.EvPackVoided:
			t.Fatalf("nothing voids in this test, yet event %d is %s", e.Seq, e.Type)
		}
	}
	if len(completed) != packCrashOrders {
		t.Fatalf("%d orders completed, want %d", len(completed), packCrashOrders)
	}
	wantLabels := 0
	for i := range packCrashOrders {
		id := fmt.Sprintf("ORD-%04d", i+1)
		if completed[id] != 1 {
			t.Fatalf("order %s completed %d times", id, completed[id])
		}
		wantLabels++
		if packCrashSplit(id) {
			wantLabels++
		}
	}
	if len(labelled) != wantLabels {
		t.Fatalf("%d labels in the journal, want %d", len(labelled), wantLabels)
	}
	// The tables agree with the journal: one carton row and one print job
	// per label, the job's ZPL carrying the carton's SSCC.
	rows, err := final.DB().R.Query(`SELECT c.sscc, c.shipment_id, c.carton_no, c.units, j.id, j.ref, j.zpl
		FROM cartons c JOIN print_jobs j ON j.id = c.print_job`)
	if err != nil {
		t.Fatal(err)
	}
	cartons := 0
	for rows.Next() {
		var sscc, shipment, ref string
		var no, units int
		var job int64
		var zpl []byte
		if err := rows.Scan(&sscc, &shipment, &no, &units, &job, &ref, &zpl); err != nil {
			t.Fatal(err)
		}
		cartons++
		p, ok := labelled[sscc]
		if !ok || p.Shipment != shipment || p.Carton != no || p.Job != job || ref != shipment || !strings.Contains(string(zpl), sscc) {
			t.Fatalf("carton %s/%d (SSCC %s, job %d) does not match its label event %+v", shipment, no, sscc, job, p)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var jobs, shipments, units int
	final.DB().R.QueryRow(`SELECT COUNT(*) FROM print_jobs WHERE kind = ?`, floor.LabelShipping).Scan(&jobs)
	final.DB().R.QueryRow(`SELECT COUNT(*) FROM shipments WHERE status = 'completed'`).Scan(&shipments)
	final.DB().R.QueryRow(`SELECT COALESCE(SUM(qty), 0) FROM carton_lines`).Scan(&units)
	if cartons != wantLabels || jobs != wantLabels || shipments != packCrashOrders || units != 3*packCrashOrders {
		t.Fatalf("%d cartons, %d label jobs (want %d each), %d shipments (want %d), %d units (want %d)",
			cartons, jobs, wantLabels, shipments, packCrashOrders, units, 3*packCrashOrders)
	}
	// And the bench resumes on the store the kills left, refusing a packed
	// tote.
	s := openBench(t, final, packOptions())
	if step := s.Snapshot().State.(pack.State).Step; step != pack.StepDone && step != pack.StepOrder {
		t.Fatalf("the bench resumes at %s, want the packer still signed in at the order scan", step)
	}
	o := s.Handle(ctx, typed(packCrashTote(0)))
	if o.Err != nil || o.Feedback.Level != floor.Error {
		t.Fatalf("a packed tote after the kills: %+v %v", o.Feedback, o.Err)
	}
	t.Logf("events by type: %v", types)
	t.Logf("%d kills, %d events, %d acknowledged, %d labels; resumed at %s", crashKills, len(evs), acked, len(labelled), s.Snapshot().State.(pack.State).Step)
}

package actors

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/devices/scale"
	"github.com/totewms/tote/devices/sim"
	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/packbench"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/weigh/weightest"
)

// atWeigh is a pack bench that has just boxed a carton of order o and waits
// for its weight, reached through the real workflow: the box step accepts
// the suggested box.
func atWeigh(t *testing.T, o floor.PackOrder, units ...pack.Unit) pack.State {
	t.Helper()
	s := pack.State{Step: pack.StepBox, Rules: packbench.Rules(config.Default().Pack), HasScale: true,
		Operator: floor.Operator{Badge: "B2001", Name: "Pam", Roles: []floor.Role{floor.RolePacker}},
		Order:    o, Cartons: []pack.Carton{{No: 1, Units: units}}}
	res := pack.Apply(s, pack.Input{Command: floor.CmdOK, RoleAllowed: true, Today: time.Now()})
	if res.State.Step != pack.StepWeigh {
		t.Fatalf("accepting the box led to %q (%s), want weigh", res.State.Step, res.Feedback.Message)
	}
	return res.State
}

func mugOrder(unitWeightG float64) floor.PackOrder {
	return floor.PackOrder{ID: "ORD-0002", Customer: "Café Nordlicht", Status: floor.OrderPicked, Lines: []floor.PackLine{
		{LineNo: 1, SKU: "MUG-RED", Description: "Red mug", GTINs: []string{"04006381333931"}, Ordered: 2, Picked: 2,
			UnitWeightG: unitWeightG, LengthMM: 120, WidthMM: 100, HeightMM: 100}}}
}

func twoMugsIn() pack.Unit { return pack.Unit{Line: 1, SKU: "MUG-RED", Qty: 2} }

// expected is the carton's expected weight and tolerance, as the workflow
// will check them.
func expected(t *testing.T, s pack.State) (float64, float64) {
	t.Helper()
	c, ok := s.OpenCarton()
	if !ok {
		t.Fatal("no open carton")
	}
	b, ok := s.Box(c.Box)
	if !ok {
		t.Fatalf("box %q not configured", c.Box)
	}
	g, known := s.ExpectedWeight(c, b)
	if !known {
		t.Fatal("expected weight unknown")
	}
	return g, s.Tolerance(g)
}

// simStatus is what the sim says is on it, without any I/O.
func simStatus(t *testing.T, s *sim.ScaleSim) string {
	t.Helper()
	st, err := s.Command("status")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// demoScale plugs a virtual MT-SICS scale in at dir/scale, as the demo
// does, and returns it with the settings that read it.
func demoScale(t *testing.T, dir string) (*sim.ScaleSim, scale.Config) {
	t.Helper()
	sc, err := sim.NewScale(filepath.Join(dir, "scale"), sim.ProtocolMTSICS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.Close() })
	return sc, scale.Config{Name: "demo-scale", Protocol: scale.ProtocolMTSICS, Port: sc.Path(), Baud: 9600, DataBits: 8,
		Parity: "none", StopBits: 1, ReadTimeout: 200 * time.Millisecond}
}

func TestDemoScaleSettlesOnExpectedWeight(t *testing.T) {
	sc, cfg := demoScale(t, t.TempDir())
	rd, err := scale.New(cfg, nil)
	if err != nil {
		t.Fatalf("the demo scale's config is not valid: %v", err)
	}
	defer rd.Close()

	weigh := atWeigh(t, mugOrder(350), twoMugsIn())
	want, tol := expected(t, weigh)
	observe := ScaleHand(sc)
	observe(station.Outcome{Bench: station.BenchPack, State: weigh})
	// The observer returned before the carton settled: it does not block.
	// The hand clears the pan first, so the weight can count (pack.ScaleArm).
	if st := simStatus(t, sc); st != "0.0 g, stable" {
		t.Fatalf("just after the carton came to be weighed the scale says %q, want the pan cleared first", st)
	}

	// Read it like the station does until it settles.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	moving := 0
	var w scale.Weight
	for {
		w, err = rd.Read(ctx)
		if err == nil && w.Grams == 0 {
			continue // the pan cleared before the carton lands
		}
		if err == nil {
			break
		}
		if !errors.Is(err, scale.ErrMotion) {
			t.Fatalf("reading the demo scale: %v", err)
		}
		moving++
	}
	if moving == 0 {
		t.Error("the carton was stable at once; it should be seen moving first")
	}
	if !w.Stable || math.Abs(w.Grams-want) > tol {
		t.Fatalf("settled at %+v, want %.0f g ± %.0f g", w, want, tol)
	}

	// The same carton reported again (a refused scan) is not put on again.
	observe(station.Outcome{Bench: station.BenchPack, State: weigh})
	if st := simStatus(t, sc); !strings.Contains(st, "stable") {
		t.Errorf("the same carton reported again set the scale moving: %q", st)
	}
	// An outcome that was not recorded changes nothing.
	verify := weigh
	verify.Step = pack.StepVerify
	observe(station.Outcome{Bench: station.BenchPack, State: verify, Err: errors.New("disk full")})
	if st := simStatus(t, sc); strings.HasPrefix(st, "0.0 g") {
		t.Errorf("a failed outcome cleared the scale: %q", st)
	}
	// The carton done with: off the scale.
	observe(station.Outcome{Bench: station.BenchPack, State: verify})
	if st := simStatus(t, sc); st != "0.0 g, stable" {
		t.Errorf("after the carton left the scale it says %q, want 0.0 g, stable", st)
	}
	// A pick bench's outcomes are not the scale's business.
	observe(station.Outcome{Bench: station.BenchPick, State: weigh})
	if st := simStatus(t, sc); st != "0.0 g, stable" {
		t.Errorf("a pick outcome put a carton on the scale: %q", st)
	}
}

// TestDemoScaleThroughPoller is the demo's whole chain: the observer puts
// the carton on the virtual scale, the poller sees it move and settle, and
// submits the settled weight once.
func TestDemoScaleThroughPoller(t *testing.T) {
	sc, cfg := demoScale(t, t.TempDir())
	b := weightest.NewBench()
	b.Weigh()
	weightest.StartPoller(t, cfg, b, b.Send, weightest.DiscardLog())
	b.WaitFor(t, "the empty demo scale read", func() bool { return len(b.Readings()) > 0 })

	weigh := atWeigh(t, mugOrder(350), twoMugsIn())
	want, tol := expected(t, weigh)
	ScaleHand(sc)(station.Outcome{Bench: station.BenchPack, State: weigh})
	b.WaitFor(t, "the settled weight submitted", func() bool { return len(b.Weights()) == 1 })
	b.MoreReadings(t, 4)

	// The next order is the same: its carton comes to be weighed while the
	// first is still on the pan. The hand lifts the first off, so the
	// second is weighed too (issue 14: it used to pass on the first's weight).
	b.Weigh()
	again := mugOrder(350)
	again.ID = "ORD-0003"
	ScaleHand(sc)(station.Outcome{Bench: station.BenchPack, State: atWeigh(t, again, twoMugsIn())})
	b.WaitFor(t, "the second carton's weight submitted", func() bool { return len(b.Weights()) == 2 })

	b.Mu.Lock()
	defer b.Mu.Unlock()
	ws := b.Weights()
	if len(ws) != 2 || math.Abs(ws[0]-want) > tol || math.Abs(ws[1]-want) > tol {
		t.Fatalf("submitted %v, want two weights within %.0f g ± %.0f g", ws, want, tol)
	}
	sawMotion := false
	for _, r := range b.Readings() {
		if !r.Stable && r.Grams > 0 {
			sawMotion = true
		}
	}
	if !sawMotion {
		t.Error("the screen never showed the carton moving")
	}
}

// TestDemoWeightPlausible checks the weights the demo puts on the scale:
// within half the tolerance of the expected weight, and something sensible
// when an item's weight is unknown.
func TestDemoScaleWeightPlausible(t *testing.T) {
	known := atWeigh(t, mugOrder(350), twoMugsIn())
	want, tol := expected(t, known)
	kc, _ := known.OpenCarton()
	unknown := atWeigh(t, mugOrder(0), twoMugsIn())
	c, _ := unknown.OpenCarton()
	b, _ := unknown.Box(c.Box)
	guess := float64(b.TareG) + 2*unknownUnitG
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 1000 {
		if g := cartonWeight(known, kc, rng); math.Abs(g-want) > tol/2+0.5 {
			t.Fatalf("draw %d: %v g, want %.0f g ± %.0f g", i, g, want, tol/2)
		}
		if g := cartonWeight(unknown, c, rng); math.Abs(g-guess) > unknown.Tolerance(guess)/2+0.5 || g <= 0 {
			t.Fatalf("draw %d with an unknown item weight: %v g, want about %.0f g", i, g, guess)
		}
	}
}

// packSiteForScale is a pack bench's site: Pam, a mug, and ORD-0001 (two
// mugs) picked into tote T00001.
func packSiteForScale(t *testing.T, ctx context.Context, st *store.Store) string {
	t.Helper()
	mug := "0" + demo.GTIN13("061414100001")
	shipTo := floor.Address{Name: "Ada Lovelace", Line1: "12 Analytical Row", City: "London", PostalCode: "N1 7AA", Country: "GB"}
	site := store.Site{
		Operators: []floor.Operator{{Badge: "B2001", Name: "Pam Packer", Roles: []floor.Role{floor.RolePacker}}},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A", Aisle: 1, Bay: 1, Level: 1, WalkSeq: 1}},
		Items: []floor.Item{{SKU: "MUG-RED", Description: "Red mug", GTINs: []string{mug}, UnitWeightG: 300,
			LengthMM: 120, WidthMM: 90, HeightMM: 100}},
		Orders: []floor.Order{{ID: "ORD-0001", Customer: "Ada Lovelace", Status: floor.OrderOpen, ShipTo: shipTo,
			Lines: []floor.OrderLine{{OrderID: "ORD-0001", LineNo: 1, SKU: "MUG-RED", Qty: 2}}}},
		Waves: []floor.Wave{{ID: "W1", Status: "done"}},
		Tasks: []floor.PickTask{{ID: 1, WaveID: "W1", OrderID: "ORD-0001", LineNo: 1, Location: "A-01-01-1",
			SKU: "MUG-RED", Qty: 2, Status: floor.TaskOpen, SortKey: 1}},
	}
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStationNumber(ctx, 1); err != nil { // as the hub's first pull would
		t.Fatal(err)
	}
	picked := []floor.Event{
		floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: 1}, Qty: 2, Tote: "T00001"}),
		floor.NewEvent(floor.EvTaskPicked, "B1001", floor.TaskPayload{Task: 1}),
	}
	if _, err := st.Commit(ctx, time.Now(), picked, nil); err != nil {
		t.Fatal(err)
	}
	return mug
}

// TestScaleOnRealPackBench runs the demo's pack bench for one carton: a
// real station on a real store, the virtual scale on a pseudo-terminal, the
// poller, and the demo observer as the station's Observe. The packer only
// boxes the carton; the weight comes from the scale, once.
func TestScaleOnRealPackBench(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "station.db"), "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mug := packSiteForScale(t, ctx, st)

	sc, cfg := demoScale(t, dir)
	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	stn, err := station.Open(ctx, st, interp, station.Options{Bench: station.BenchPack, Observe: ScaleHand(sc),
		Pack: station.PackOptions{Rules: config.Default().Pack, Printer: "zebra-1", DPI: 203}})
	if err != nil {
		t.Fatal(err)
	}
	go stn.Serve(ctx)
	screen := weightest.NewBench() // the poller's messages
	weightest.StartPoller(t, cfg, stn, screen.Send, weightest.DiscardLog())
	screen.WaitFor(t, "the scale connected", func() bool { d, ok := screen.LastDevice(); return ok && devices.State(d).OK() })

	next := func() station.Outcome {
		t.Helper()
		select {
		case o := <-stn.Outcomes():
			if o.Err != nil {
				t.Fatalf("%+v: %v", o.Action, o.Err)
			}
			return o
		case <-time.After(15 * time.Second):
			t.Fatal("no outcome within 15s")
		}
		return station.Outcome{}
	}
	do := func(a station.Action, want pack.Step) station.Outcome {
		t.Helper()
		if !stn.Submit(a) {
			t.Fatal("the station refused an input")
		}
		o := next()
		if o.Action.Weight != nil || o.State.(pack.State).Step != want {
			t.Fatalf("%+v: outcome for %+v at %s (%q), want %s", a, o.Action, o.State.(pack.State).Step, o.Feedback.Message, want)
		}
		return o
	}
	typed := func(s string) station.Action { return station.Action{Scan: floor.Scan{Source: "keyboard", Data: s}} }
	do(typed("B2001"), pack.StepOrder)
	do(typed("T00001"), pack.StepVerify)
	do(typed(mug[1:]), pack.StepVerify)
	do(typed(mug[1:]), pack.StepVerify)
	do(station.Action{Command: floor.CmdComplete}, pack.StepBox)
	o := do(typed(""), pack.StepWeigh) // Enter takes the suggested box
	if !o.State.(pack.State).HasScale {
		t.Fatal("the bench does not know it has a scale")
	}
	want, tol := expected(t, o.State.(pack.State))

	// Nobody types anything: the carton settles and the scale's weight
	// closes it.
	o = next()
	if o.Action.Weight == nil || o.State.(pack.State).Step != pack.StepDone {
		t.Fatalf("after weighing: outcome for %+v at %s (%q), want the scale's weight and done", o.Action, o.State.(pack.State).Step, o.Feedback.Message)
	}
	var rec floor.PackWeightPayload
	for _, ev := range o.Events {
		if ev.Type == floor.EvPackWeightRecorded {
			if err := json.Unmarshal(ev.Payload, &rec); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !rec.Within || !rec.Checked || math.Abs(rec.WeightG-want) > tol || o.State.(pack.State).Cartons[0].WeightSource != "scale" {
		t.Fatalf("weight recorded %+v, carton %+v; want within %.0f g ± %.0f g from the scale", rec, o.State.(pack.State).Cartons[0], want, tol)
	}

	// Done: no more weights reach the station, and the carton comes off.
	screen.MoreReadings(t, 2)
	do(station.Action{Command: floor.CmdHelp}, pack.StepDone)
	if _, weighing := stn.WeighRound(); weighing {
		t.Error("the bench still weighs after the shipment is done")
	}
	if s := simStatus(t, sc); s != "0.0 g, stable" {
		t.Errorf("after the carton was done the scale says %q, want it empty", s)
	}
}

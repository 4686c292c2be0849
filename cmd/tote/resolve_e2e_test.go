package main

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/demo/actors"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/resolve"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/sync/protocol"
)

// startHubProcess runs the real binary's `tote hub` on db and returns
// its URL; the process is stopped at the test's end.
func startHubProcess(t *testing.T, db string) string {
	t.Helper()
	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "hub", "--db", db, "--listen", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, " on http://"); strings.HasPrefix(line, "tote hub: serving") && i > 0 {
			go func() {
				for sc.Scan() {
				}
			}()
			return strings.Fields(line[i+4:])[0]
		}
	}
	t.Fatalf("the hub did not say where it serves:\n%s", stderr.String())
	return ""
}

// TestEveryResolutionEndToEnd: a real `tote hub` process; two pick
// carts, a pack bench and a supervisor's station, each with its own store
// and the real replicator. Exceptions are raised on the floor (a short
// pick through the real pick workflow, a label in doubt through the
// print queue), fetched by the supervisor's station from the hub's
// figures, and resolved there through the station's resolve rule (the
// label and the approval from the supervisor bench's screen, by keys):
// a recount reaches the other cart, which records the count; a reprint
// prints the label again at the bench; a down cart's wave moves to the
// other cart, which picks it; a short is approved. The hub applies each,
// the operator who met the exception is told in words, and a resolution
// forged under a picker's badge is refused at the hub.
func TestEveryResolutionEndToEnd(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := filepath.Join(dir, "hub.db")
	if code, _, errs := runTote("hub", "settings", "--db", db, "ship_to_required=false"); code != 0 {
		t.Fatal(errs)
	}
	tokens := map[string]string{}
	for _, id := range []string{"CART-01", "CART-02", "PACK-01", "SUP-01"} {
		code, out, errs := runTote("hub", "token", "--db", db, "--station", id)
		if code != 0 {
			t.Fatalf("token %s: %s", id, errs)
		}
		tokens[id] = strings.TrimSpace(out)
	}
	shipBy := time.Now().Add(24 * time.Hour)
	site, second := demo.Site(1, shipBy), demo.ExtraWave(1, 2, shipBy)
	imp := protocol.SiteOf(site.Operators, site.Locations, site.Items, append(site.Orders, second.Orders...),
		append(site.Waves, second.Waves...), append(site.Tasks, second.Tasks...), "CART-01")
	body, err := json.Marshal(imp)
	if err != nil {
		t.Fatal(err)
	}
	siteFile := filepath.Join(dir, "site.json")
	if err := os.WriteFile(siteFile, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runTote("hub", "import", "--db", db, siteFile); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	url := startHubProcess(t, db)

	cartCtx, cartDown := context.WithCancel(ctx)
	cart := startSynced(t, cartCtx, dir, "CART-01", url, tokens["CART-01"], protocol.BenchPick)
	cart2 := startSynced(t, ctx, dir, "CART-02", url, tokens["CART-02"], protocol.BenchPick)
	bench := startSynced(t, ctx, dir, "PACK-01", url, tokens["PACK-01"], protocol.BenchPack)
	sup := startSynced(t, ctx, dir, "SUP-01", url, tokens["SUP-01"], "")
	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	count := func(st *store.Store, q string, args ...any) int {
		var n int
		if err := st.DB().R.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cart.await(t, "the cart has both waves", func() bool {
		return count(cart.st, `SELECT COUNT(*) FROM pick_tasks`) == len(site.Tasks)+len(second.Tasks)
	})
	sup.await(t, "the supervisor's station knows its people", func() bool {
		op, err := sup.st.Operator(ctx, "B1004")
		return err == nil && op != nil
	})
	synced := func(s *syncedStation, what string) {
		t.Helper()
		s.await(t, what, func() bool {
			ss, err := s.st.SyncState(ctx)
			return err == nil && ss.Waiting == 0
		})
	}
	supStation, err := station.Open(ctx, sup.st, interp, station.Options{Bench: station.BenchPick})
	if err != nil {
		t.Fatal(err)
	}
	// The supervisor's station reads the queue from the hub, as its
	// screens do, and finds the exception raised on the floor.
	exception := func(kind, order string) protocol.Conflict {
		t.Helper()
		var found protocol.Conflict
		sup.await(t, "the "+kind+" exception in the hub's queue", func() bool {
			f, err := sup.rep.FetchFigures(ctx, sup.st, time.Now())
			if err != nil {
				return false
			}
			for _, e := range f.Site.Exceptions {
				if e.Source == floor.SourceFloor && e.Kind == kind && (order == "" || e.Order == order) {
					found = e
					return true
				}
			}
			return false
		})
		return found
	}
	resolveAt := func(e protocol.Conflict, p floor.ExceptionResolvedPayload) {
		t.Helper()
		before, _ := sup.st.SyncState(ctx)
		o := supStation.Handle(ctx, station.Action{Resolve: &station.ResolveRequest{Badge: "B1004", PIN: demo.PINs["B1004"],
			Exception: resolve.Exception{ID: e.ID, Source: e.Source, Kind: e.Kind, Order: e.Order}, Payload: p}})
		if o.Feedback.Level != floor.OK {
			t.Fatalf("resolving %+v with %s: %s", e, p.Action, o.Feedback.Message)
		}
		synced(sup, "the resolution reaches the hub")
		if ss, _ := sup.st.SyncState(ctx); ss.Rejected != before.Rejected {
			t.Fatalf("the hub refused the %s resolution: %d refusals", p.Action, ss.Rejected)
		}
	}
	// resolveOnScreen resolves e as a supervisor does at a station's
	// screen: B1004 and the PIN at the login, the exceptions screen, the
	// exception chosen with ↓, F6, the action chosen with ↓ and Enter,
	// the reason typed; then signs out.
	resolveOnScreen := func(e protocol.Conflict, action, reason string) {
		t.Helper()
		before, _ := sup.st.SyncState(ctx)
		keyed := func(c floor.Command) station.Outcome { return supStation.Handle(ctx, station.Action{Command: c}) }
		typed := func(s string) station.Outcome {
			return supStation.Handle(ctx, station.Action{Scan: floor.Scan{Source: "keyboard", Data: s}})
		}
		typed("B1004")
		typed(demo.PINs["B1004"])
		o := keyed(floor.CmdSupExceptions)
		sv, ok := o.State.(supervise.State)
		if !ok || !sv.LoggedIn() {
			t.Fatalf("the supervisor's sign-in at the station: %T %s", o.State, o.Feedback.Message)
		}
		at := slices.IndexFunc(sv.Figures.Site.Exceptions, func(c protocol.Conflict) bool { return c.ID == e.ID && c.Source == e.Source })
		if at < 0 {
			t.Fatalf("exception %d not on the screen: %+v", e.ID, sv.Figures.Site.Exceptions)
		}
		for range at {
			keyed(floor.CmdSupDown)
		}
		o = keyed(floor.CmdSupResolve)
		sv = o.State.(supervise.State)
		i := slices.Index(sv.Resolving.Actions, action)
		if i < 0 {
			t.Fatalf("%s is not offered for %+v: %v (%s)", action, e, sv.Resolving.Actions, o.Feedback.Message)
		}
		for range i {
			keyed(floor.CmdSupDown)
		}
		keyed(floor.CmdOK)
		if o = typed(reason); o.Feedback.Level != floor.OK {
			t.Fatalf("resolving %+v with %s on the screen: %s", e, action, o.Feedback.Message)
		}
		if o = keyed(floor.CmdLogout); o.Bench != station.BenchPick {
			t.Fatalf("signing out: bench %s", o.Bench)
		}
		synced(sup, "the resolution reaches the hub")
		if ss, _ := sup.st.SyncState(ctx); ss.Rejected != before.Rejected {
			t.Fatalf("the hub refused the %s resolution: %d refusals", action, ss.Rejected)
		}
	}
	told := func(s *syncedStation, who, words string) {
		t.Helper()
		s.await(t, who+" is told "+words, func() bool {
			ns, err := s.st.Notices(ctx, 20)
			if err != nil {
				return false
			}
			for _, n := range ns {
				if strings.Contains(n.Text, words) {
					// What the bench's screen shows: "From the office: …".
					return strings.Contains(s.rep.Status().News, words)
				}
			}
			return false
		})
	}

	// 1. A short pick on CART-01 → recount on CART-02.
	if _, err := actors.Pick(ctx, cart.st, interp, 1, hints.Tote); err != nil {
		t.Fatal(err)
	}
	synced(cart, "the cart's picks reach the hub")
	short := exception(floor.ExShortPick, "")
	if short.Detail == nil || short.Detail.Location == "" || short.Station != "CART-01" {
		t.Fatalf("the short pick as queued: %+v", short)
	}
	resolveAt(short, floor.ExceptionResolvedPayload{Action: floor.ResolveRecount, Station: "CART-02", Reason: "check the bin"})
	var task store.CountTask
	cart2.await(t, "the count task reaches CART-02", func() bool {
		ts, err := cart2.st.CountTasks(ctx, true)
		if err != nil || len(ts) != 1 {
			return false
		}
		task = ts[0]
		return true
	})
	if task.Location != short.Detail.Location {
		t.Fatalf("count %+v for a short at %s", task, short.Detail.Location)
	}
	counter, err := station.Open(ctx, cart2.st, interp, station.Options{Bench: station.BenchPick})
	if err != nil {
		t.Fatal(err)
	}
	// The picker counts from the cart's screen: CMD:COUNT, the location,
	// the units.
	for _, in := range []string{"B1005", "CMD:COUNT", task.Location, "3"} {
		if o := counter.Handle(ctx, station.Action{Scan: floor.Scan{Source: "keyboard", Data: in}}); o.Feedback.Level == floor.Error {
			t.Fatalf("the count at %q: %s", in, o.Feedback.Message)
		}
	}
	if o := counter.Handle(ctx, station.Action{Command: floor.CmdLogout}); o.Feedback.Level != floor.OK {
		t.Fatalf("the counter's logout: %s", o.Feedback.Message)
	}
	if c, ok, err := cart2.st.CountTask(ctx, task.ID); err != nil || !ok || c.Status != store.CountCounted || c.Counted != 3 || c.CountedBy != "B1005" {
		t.Fatalf("the count task after the count: %+v %v %v", c, ok, err)
	}
	synced(cart2, "the count reaches the hub")
	if ss, _ := cart2.st.SyncState(ctx); ss.Rejected != 0 {
		t.Fatalf("the hub refused the count")
	}
	told(cart, "CART-01's picker", "sent a count of "+short.Detail.Location+" to CART-02 (check the bin)")

	// 2. A label in doubt at PACK-01 → printed again there.
	job, err := bench.st.Enqueue(ctx, time.Now(), "B1002", store.NewPrintJob{Printer: "zebra-1", Kind: floor.LabelShipping, Ref: "SH-1",
		ZPL: []byte("^XA^FO50,50^FDSH-1^FS^XZ")})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := bench.st.StartSending(ctx, time.Now(), job); err != nil || !ok {
		t.Fatalf("sending: %v %v", ok, err)
	}
	if err := bench.st.MarkNeedsOperator(ctx, time.Now(), job, "the printer went away mid-label"); err != nil {
		t.Fatal(err)
	}
	synced(bench, "the label in doubt reaches the hub")
	doubt := exception(floor.ExLabelInDoubt, "")
	if doubt.Detail == nil || doubt.Detail.Job != job || doubt.Station != "PACK-01" {
		t.Fatalf("the label in doubt as queued: %+v", doubt)
	}
	resolveOnScreen(doubt, floor.ResolveReprint, "no label on the carton")
	told(bench, "the packer", "had the label printed again (no label on the carton)")
	orig, err := bench.st.PrintJob(ctx, job)
	if err != nil || orig.Status != store.PrintSent {
		t.Fatalf("the label in doubt after the reprint: %+v %v", orig, err)
	}
	copies, err := bench.st.PrintJobs(ctx, "zebra-1", store.PrintQueued)
	if err != nil || len(copies) != 1 || copies[0].ReprintOf != job {
		t.Fatalf("the copy: %+v %v", copies, err)
	}

	// 3. CART-01 goes down; its second wave moves to CART-02, which
	// picks it and the hub takes the picks.
	cartDown()
	resolveAt(protocol.Conflict{}, floor.ExceptionResolvedPayload{Action: floor.ResolveReassignWave, Wave: demo.ExtraWaveID(2),
		Station: "CART-02", Reason: "CART-01 is down"})
	cart2.await(t, "the wave reaches CART-02", func() bool {
		return count(cart2.st, `SELECT COUNT(*) FROM pick_tasks WHERE wave_id=?`, demo.ExtraWaveID(2)) > 0
	})
	if _, err := actors.Pick(ctx, cart2.st, interp, 1, hints.Tote); err != nil {
		t.Fatal(err)
	}
	synced(cart2, "CART-02's picks reach the hub")
	if ss, _ := cart2.st.SyncState(ctx); ss.Rejected != 0 {
		var why string
		cart2.st.DB().R.QueryRow(`SELECT reason FROM sync_rejections LIMIT 1`).Scan(&why)
		t.Fatalf("the hub refused CART-02's picks of the moved wave: %s", why)
	}

	// 4. Its short is approved; a resolution forged under a picker's
	// badge is refused at the hub.
	short2 := exception(floor.ExShortPick, "")
	if short2.Station != "CART-02" {
		t.Fatalf("the moved wave's short: %+v", short2)
	}
	forged := floor.NewEvent(floor.EvExceptionResolved, "B1001", floor.ExceptionResolvedPayload{Exception: short2.ID,
		Source: floor.SourceFloor, Action: floor.ResolveApproveShort, Reason: "ship it"})
	if _, err := sup.st.Commit(ctx, time.Now(), []floor.Event{forged}, nil); err != nil {
		t.Fatal(err)
	}
	synced(sup, "the forged resolution reaches the hub")
	var refusal string
	if err := sup.st.DB().R.QueryRow(`SELECT reason FROM sync_rejections`).Scan(&refusal); err != nil || !strings.Contains(refusal, "B1001 is not a supervisor") {
		t.Fatalf("the forged resolution: %q %v", refusal, err)
	}
	resolveOnScreen(short2, floor.ResolveApproveShort, "customer takes the rest later")
	told(cart2, "CART-02's picker", "approved shipping short: the rest is a back order (customer takes the rest later)")

	// The queue holds none of them now.
	f, err := sup.rep.FetchFigures(ctx, sup.st, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range f.Site.Exceptions {
		if slices.Contains([]int64{short.ID, doubt.ID, short2.ID}, e.ID) && e.Source == floor.SourceFloor {
			t.Fatalf("still queued: %+v", e)
		}
	}
}

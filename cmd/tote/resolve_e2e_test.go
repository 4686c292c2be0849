package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// Keys as the terminal sends them (keyF4 is the demo's test's).
const (
	keyF6    = "\x1b[17~"
	keyF10   = "\x1b[21~"
	keyDown  = "\x1b[B"
	keyEnter = "\r"
)

// resolveSite is the site of the resolutions test: two carts' waves,
// a supervisor with a PIN, and a second pick face for tea (where a short
// remainder is re-released to).
func resolveSite() string {
	shipTo := `"ship_to":{"name":"Grace Hopper","line1":"1 Compiler Way","city":"Arlington","region":"VA","postal_code":"22201","country":"US"}`
	var orders []string
	for _, o := range []struct {
		id, sku string
		qty     int
	}{{"ORD-01", "MUG-RED", 2}, {"ORD-02", "CAP-BLU", 1}, {"ORD-03", "TEA-TIN", 2}, {"ORD-04", "MUG-RED", 2}, {"ORD-05", "TEA-TIN", 1},
		{"ORD-06", "CAP-BLU", 1}, {"ORD-07", "CAP-BLU", 1}, {"ORD-08", "TEA-TIN", 1}, {"ORD-09", "MUG-RED", 1}, {"ORD-10", "TEA-TIN", 1}} {
		orders = append(orders, fmt.Sprintf(`{"id":%q,"customer":"Grace Hopper",%s,"lines":[{"line":1,"sku":%q,"qty":%d}]}`, o.id, shipTo, o.sku, o.qty))
	}
	return `{
 "operators":[{"badge":"B1001","name":"Ana Picker","roles":["picker"]},
              {"badge":"B1002","name":"Ben Picker","roles":["picker"]},
              {"badge":"B2001","name":"Pam Packer","roles":["packer"]},
              {"badge":"B1004","name":"Sam Super","roles":["supervisor"],"pin":"246813"}],
 "locations":[{"code":"A-01-01-1","zone":"A","aisle":1,"bay":1,"level":1,"walk_seq":1},
              {"code":"A-01-02-1","zone":"A","aisle":1,"bay":2,"level":1,"walk_seq":2},
              {"code":"A-01-03-1","zone":"A","aisle":1,"bay":3,"level":1,"walk_seq":3},
              {"code":"A-02-01-1","zone":"A","aisle":2,"bay":1,"level":1,"walk_seq":4}],
 "items":[{"sku":"MUG-RED","description":"Red mug","gtins":["0` + siteMug + `"],"unit_weight_g":300,"length_mm":120,"width_mm":90,"height_mm":100,"location":"A-01-01-1"},
          {"sku":"CAP-BLU","description":"Blue cap","gtins":["0` + siteCap + `"],"unit_weight_g":150,"length_mm":200,"width_mm":150,"height_mm":60,"location":"A-01-02-1"},
          {"sku":"TEA-TIN","description":"Tea tin","gtins":["0` + siteTea + `"],"unit_weight_g":200,"length_mm":80,"width_mm":80,"height_mm":100,"location":"A-01-03-1"}],
 "orders":[` + strings.Join(orders, ",") + `],
 "waves":[{"id":"W-1","orders":["ORD-01","ORD-02","ORD-03","ORD-06","ORD-07","ORD-08","ORD-09","ORD-10"],"station":"CART-01"},
          {"id":"W-2","orders":["ORD-04","ORD-05"],"station":"CART-02"}]
}`
}

// TestEveryResolutionEndToEnd runs every resolution of an exception
// across separate processes: a `tote hub`, two pick carts, a pack bench
// and a supervisor's PC, each a `tote station` with its own store and
// virtual serial devices. Each exception is raised on a cart or the bench
// by its operator's scans, resolved on the supervisor's station by its
// screen keys or command barcodes (badge B1004 and PIN, the exceptions
// screen, the exception, the action, the reason), applied at the hub
// (read through its API), and seen by the operator who met it: "From the
// office: …" on that station's screen, and what follows on the floor.
//
//   - a short pick: a recount, whose count task reaches the cart and is
//     counted there;
//   - a damaged short: approved (back-ordered at the hub);
//   - a short: its remainder re-released to another pick face, picked
//     there by the cart;
//   - a short on a cart that then goes down: its wave reassigned to the
//     other cart, which picks it; the down cart, back, is told;
//   - a forged resolution (a picker's badge, pushed by a station nobody
//     signed in at) refused by the hub;
//   - a label that failed (its spool unwritable): marked printed, never
//     printed twice;
//   - a label in doubt (the bench killed while sending it): reprinted on
//     the bench's printer;
//   - a carton whose weight was off: voided;
//   - an order held at pack: released, and the bench packs and labels it;
//   - an order set aside on the holding shelf: returned to stock.
func TestEveryResolutionEndToEnd(t *testing.T) {
	dir := t.TempDir()
	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	h := startSiteHub(t, dir)
	tokens := map[string]string{}
	for _, id := range []string{"CART-01", "CART-02", "PACK-01", "SUP-01", "ROGUE-01"} {
		tokens[id] = strings.TrimSpace(toteOut(t, bin, "hub", "token", "--db", h.db, "--station", id))
	}
	sitePath := filepath.Join(dir, "site.json")
	if err := os.WriteFile(sitePath, []byte(resolveSite()), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := toteOut(t, bin, "hub", "import", "--db", h.db, sitePath); !strings.Contains(out, "10 orders") {
		t.Fatalf("import: %s", out)
	}

	// The bench's labels go first to a spool the test can break: a
	// directory where the label file should be fails each send; a FIFO
	// nobody reads holds a send open.
	spool := filepath.Join(dir, "spool", "labels.zpl")
	if err := os.MkdirAll(filepath.Dir(spool), 0o700); err != nil {
		t.Fatal(err)
	}
	packKind := stationKind{bench: "pack", roles: `"packer"`, scale: true, spool: spool}
	cart1 := startFloorStation(t, dir, "CART-01", h.url, tokens["CART-01"], stationKind{bench: "pick", roles: `"picker"`})
	cart2 := startFloorStation(t, dir, "CART-02", h.url, tokens["CART-02"], stationKind{bench: "pick", roles: `"picker"`})
	bench := startFloorStation(t, dir, "PACK-01", h.url, tokens["PACK-01"], packKind)
	sup := startFloorStation(t, dir, "SUP-01", h.url, tokens["SUP-01"], stationKind{bench: "supervise", roles: `"supervisor"`})
	for c, n := range map[*floorStation]string{cart1: "8", cart2: "2"} {
		siteWaitUntil(t, c.id+" pulls its wave", func() bool {
			return c.query(`SELECT COUNT(*) FROM pick_tasks`).String == n
		}, c.screen)
	}
	siteWaitUntil(t, "SUP-01 knows its supervisor", func() bool {
		var n int // the store may not have its tables yet
		return sup.ro.QueryRow(`SELECT COUNT(*) FROM operators WHERE badge = 'B1004'`).Scan(&n) == nil && n == 1
	}, sup.screen)

	// The floor picks. CART-01: a mug short (not found), a cap damaged, a
	// tea short (quantity short); the rest whole.
	cart1.scan("B1001", floor.EvLoggedIn)
	pick := func(c *floorStation, tote, loc, gtin string, units int) {
		t.Helper()
		c.scan(tote, floor.EvToteAssigned)
		c.scan(loc, floor.EvLocationOK)
		for range units - 1 {
			c.scan(gtin, floor.EvUnitsPicked)
		}
		c.scan(gtin, floor.EvTaskPicked)
	}
	short := func(c *floorStation, tote, loc, gtin string, picked int, reason string) {
		t.Helper()
		c.scan(tote, floor.EvToteAssigned)
		c.scan(loc, floor.EvLocationOK)
		for range picked {
			c.scan(gtin, floor.EvUnitsPicked)
		}
		c.send("CMD:SHORT", "reason")
		c.scan(reason, floor.EvTaskShort)
	}
	short(cart1, "T00001", "A-01-01-1", siteMug, 1, "1")
	short(cart1, "T00002", "A-01-02-1", siteCap, 0, "2")
	short(cart1, "T00003", "A-01-03-1", siteTea, 1, "3")
	pick(cart1, "T00006", "A-01-02-1", siteCap, 1)
	pick(cart1, "T00007", "A-01-02-1", siteCap, 1)
	pick(cart1, "T00008", "A-01-03-1", siteTea, 1)
	pick(cart1, "T00009", "A-01-01-1", siteMug, 1)
	pick(cart1, "T00010", "A-01-03-1", siteTea, 1)
	// CART-02: a mug short on its wave's first order.
	cart2.scan("B1002", floor.EvLoggedIn)
	short(cart2, "T00004", "A-01-01-1", siteMug, 1, "1")
	cart1.pushed()
	cart2.pushed()

	// The hub's open exceptions, as its read API gives them.
	open := func() []protocol.Conflict {
		t.Helper()
		var site protocol.SiteView
		h.call("GET", "/api/v1/site", nil, http.StatusOK, &site)
		return site.Exceptions
	}
	raised := func(kind, order string) protocol.Conflict {
		t.Helper()
		var found protocol.Conflict
		siteWaitUntil(t, fmt.Sprintf("the hub raises %s on %s", kind, order), func() bool {
			for _, e := range open() {
				if e.Source == floor.SourceFloor && e.Kind == kind && e.Order == order {
					found = e
					return true
				}
			}
			return false
		}, func() string { return fmt.Sprintf("open: %+v", open()) })
		return found
	}
	resolved := map[int64]bool{}
	// resolve signs B1004 in at the supervisor's PC, opens the exceptions
	// screen, moves to e, opens it, chooses action among those the screen
	// offers, gives target when the action asks for one and types the
	// reason; by the keys (F4, ↓, F6, Enter, F10, typing) or by the
	// command barcodes through the PC's scanner. It waits until the hub
	// has applied the resolution: e is no longer open.
	resolve := func(e protocol.Conflict, action, target, reason string, byKeys bool) {
		t.Helper()
		from := sup.lastSeq()
		in := func(key, barcode string) {
			t.Helper()
			if byKeys {
				sup.term.typeKeys(key)
			} else if err := sup.scanner.Send(barcode); err != nil {
				t.Fatal(err)
			}
		}
		typed := func(s string) { in(s+keyEnter, s) }
		sup.send("B1004", "PIN")
		sup.term.typeKeys("246813" + keyEnter)
		sup.awaitEvent(from, floor.EvLoggedIn, "B1004's PIN")
		in(keyF4, "CMD:SUP-EXCEPTIONS")
		sup.showing("Exceptions")
		// The exceptions as the PC fetched them at sign-in (or since):
		// the ones the screen lists, in its order.
		var shown []protocol.Conflict
		siteWaitUntil(t, "SUP-01 fetches the exception", func() bool {
			body := sup.query(`SELECT value FROM station_meta WHERE key = 'supervisor_figures'`)
			var f replicator.Figures
			if !body.Valid || json.Unmarshal([]byte(body.String), &f) != nil {
				return false
			}
			shown = f.Site.Exceptions
			return slices.ContainsFunc(shown, func(c protocol.Conflict) bool { return c.ID == e.ID && c.Source == e.Source }) &&
				!slices.ContainsFunc(shown, func(c protocol.Conflict) bool { return c.Source == floor.SourceFloor && resolved[c.ID] })
		}, sup.screen)
		sup.showing(fmt.Sprintf("#F%d ", e.ID)) // as a person waits to see it
		at := slices.IndexFunc(shown, func(c protocol.Conflict) bool { return c.ID == e.ID && c.Source == e.Source })
		for range at {
			in(keyDown, "CMD:SUP-DOWN")
		}
		in(keyF6, "CMD:SUP-RESOLVE")
		sup.showing("choose the action")
		i := slices.Index(floor.FittingActions(e.Source, e.Kind), action)
		if i < 0 {
			t.Fatalf("%s is not offered for %s", action, e.Kind)
		}
		for range i {
			in(keyDown, "CMD:SUP-DOWN")
		}
		in(keyEnter, "CMD:SUP-RESOLVE")
		if target != "" {
			typed(target)
		}
		typed(reason)
		evs := sup.awaitEvent(from, floor.EvExceptionResolved, fmt.Sprintf("resolving %s on %s with %s", e.Kind, e.Order, action))
		var p floor.ExceptionResolvedPayload
		json.Unmarshal(evs[len(evs)-1].Payload, &p)
		if p.Exception != e.ID || p.Action != action || p.Reason != reason {
			t.Fatalf("SUP-01 journaled %+v, want %s of exception %d for %q", p, action, e.ID, reason)
		}
		if evs[len(evs)-1].Type != floor.EvExceptionResolved {
			t.Fatalf("SUP-01 journaled %v", types(evs))
		}
		logout := sup.lastSeq()
		in(keyF10, "CMD:LOGOUT")
		sup.awaitEvent(logout, floor.EvLoggedOut, "signing out")
		sup.pushed()
		resolved[e.ID] = true
		siteWaitUntil(t, fmt.Sprintf("the hub applies the %s of %s on %s", action, e.Kind, e.Order), func() bool {
			return !slices.ContainsFunc(open(), func(c protocol.Conflict) bool { return c.ID == e.ID && c.Source == e.Source })
		}, func() string {
			return fmt.Sprintf("SUP-01's refusals: %s", sup.query(`SELECT group_concat(reason, '; ') FROM sync_rejections`).String)
		})
	}
	// told waits until the station that met an exception keeps the
	// office's notice of its resolution and shows it on its screen.
	told := func(s *floorStation, words string) {
		t.Helper()
		siteWaitUntil(t, s.id+" is told "+words, func() bool {
			return s.query(`SELECT COUNT(*) FROM office_notices WHERE text LIKE ?`, "%"+words+"%").String == "1"
		}, s.screen)
		s.showing("From the office")
	}
	line := func(order string) protocol.LineProgress {
		t.Helper()
		return h.order(order).Lines[0]
	}

	// 1. ORD-01's mug short at A-01-01-1: a recount. The count task
	// reaches CART-01, whose picker counts there.
	resolve(raised(floor.ExShortPick, "ORD-01"), floor.ResolveRecount, "", "check the bin", true)
	told(cart1, "sent a count of A-01-01-1")
	siteWaitUntil(t, "CART-01 gets the count task", func() bool {
		return cart1.query(`SELECT location FROM count_tasks WHERE status = 'open'`).String == "A-01-01-1"
	}, cart1.screen)
	cart1.send("CMD:COUNT", "A-01-01-1")
	cart1.send("A-01-01-1", "units")
	cart1.scan("3", floor.EvCountRecorded)
	if c := cart1.query(`SELECT counted || ' by ' || counted_by FROM count_tasks`).String; c != "3 by B1001" {
		t.Fatalf("CART-01's count: %s", c)
	}
	cart1.pushed()
	if ss := cart1.query(`SELECT COUNT(*) FROM sync_rejections`).String; ss != "0" {
		t.Fatalf("the hub refused CART-01's count: %s", cart1.query(`SELECT group_concat(reason, '; ') FROM sync_rejections`).String)
	}

	// 2. ORD-02's damaged cap: approved short, a back order at the hub.
	resolve(raised(floor.ExDamaged, "ORD-02"), floor.ResolveApproveShort, "", "customer takes the rest later", false)
	told(cart1, "approved shipping short")
	if l := line("ORD-02"); l.Short != 1 || l.BackOrdered != 1 {
		t.Fatalf("ORD-02 after the approval: %+v", l)
	}

	// 3. ORD-03's tea short: the remainder re-released to A-02-01-1;
	// CART-01 picks it there.
	resolve(raised(floor.ExShortPick, "ORD-03"), floor.ResolveRerelease, "A-02-01-1", "tea on the top shelf", true)
	told(cart1, "ORD-03")
	siteWaitUntil(t, "CART-01 gets the remainder's task", func() bool {
		return cart1.query(`SELECT COUNT(*) FROM pick_tasks WHERE location = 'A-02-01-1' AND status = 'open'`).String == "1"
	}, cart1.screen)
	cart1.showing("A-02-01-1")
	cart1.scan("T00003", floor.EvToteAssigned)
	cart1.scan("A-02-01-1", floor.EvLocationOK)
	cart1.scan(siteTea, floor.EvTaskPicked)
	cart1.pushed()
	siteWaitUntil(t, "the hub takes the remainder's pick", func() bool {
		l := line("ORD-03")
		return l.Picked == 2 && l.BackOrdered == 0
	}, func() string { return fmt.Sprintf("ORD-03: %+v", line("ORD-03")) })

	// 4. CART-02 goes down after its short; the supervisor reassigns its
	// wave to CART-01, which picks what is left of it.
	cart2.kill()
	resolve(raised(floor.ExShortPick, "ORD-04"), floor.ResolveReassignWave, "CART-01", "CART-02 is down", false)
	var w protocol.WaveDetail
	h.call("GET", "/api/v1/waves/W-2", nil, http.StatusOK, &w)
	if w.Progress.Station != "CART-01" {
		t.Fatalf("W-2 after the reassignment: at %q", w.Progress.Station)
	}
	siteWaitUntil(t, "CART-01 gets W-2", func() bool {
		return cart1.query(`SELECT COUNT(*) FROM pick_tasks WHERE wave_id = 'W-2'`).String != "0"
	}, cart1.screen)
	pick(cart1, "T00005", "A-01-03-1", siteTea, 1)
	cart1.pushed()
	if l := line("ORD-05"); l.Picked != 1 {
		t.Fatalf("ORD-05 after CART-01 picked it: %+v", l)
	}
	if ss := cart1.query(`SELECT COUNT(*) FROM sync_rejections`).String; ss != "0" {
		t.Fatalf("the hub refused CART-01's picks of the moved wave: %s", cart1.query(`SELECT group_concat(reason, '; ') FROM sync_rejections`).String)
	}

	// The bench packs. weigh puts a carton on its scale (the pan read
	// empty first) and waits for want.
	bench.scan("B2001", floor.EvLoggedIn)
	weigh := func(g float64, want floor.EventType) []floor.Event {
		t.Helper()
		bench.scale.Set(0, true)
		bench.showing("scale 0.000 kg")
		from := bench.lastSeq()
		bench.scale.Set(g, true)
		return bench.awaitEvent(from, want, fmt.Sprintf("weighing %g g", g))
	}
	pack := func(tote, gtin string, g float64, want floor.EventType) []floor.Event {
		t.Helper()
		siteWaitUntil(t, "PACK-01 hears of "+tote, func() bool {
			return bench.query(`SELECT COUNT(*) FROM hub_totes WHERE code = ?`, tote).String == "1"
		}, bench.screen)
		bench.scan(tote, floor.EvPackStarted)
		bench.scan(gtin, floor.EvPackUnitVerified)
		bench.send("CMD:COMPLETE", "BOX-")
		bench.send("BOX-S", "WEIGH")
		return weigh(g, want)
	}
	newest := func() string { return bench.query(`SELECT MAX(id) FROM print_jobs`).String }
	jobStatus := func(id string) string {
		return bench.query(`SELECT status FROM print_jobs WHERE id = ?`, id).String
	}

	// 5. ORD-09's label fails: its spool is a directory. The supervisor
	// marks it printed; the bench takes it as printed and never sends it.
	if err := os.Mkdir(spool, 0o700); err != nil {
		t.Fatal(err)
	}
	from := bench.lastSeq()
	pack("T00009", siteMug, 300+120, floor.EvPackShipmentCompleted)
	failed := newest()
	bench.awaitEvent(from, floor.EvLabelFailed, "ORD-09's label")
	bench.pushed()
	printFailed := raised(floor.ExPrintFailed, "")

	// A resolution forged under a picker's badge and pushed by a station
	// where nobody signed in is refused by the hub; the exception stays
	// open.
	forge(t, h, tokens["ROGUE-01"], "ROGUE-01", floor.NewEvent(floor.EvExceptionResolved, "B1001", floor.ExceptionResolvedPayload{
		Exception: printFailed.ID, Source: floor.SourceFloor, Action: floor.ResolveLabelPrinted, Reason: "trust me"}), "B1001 is not a supervisor")
	raised(floor.ExPrintFailed, "")

	resolve(printFailed, floor.ResolveLabelPrinted, "", "printed by hand at bench 2", true)
	told(bench, "printed by hand at bench 2")
	if st := jobStatus(failed); st != "sent" {
		t.Fatalf("ORD-09's failed label after the supervisor marked it printed: %s", st)
	}
	if n := bench.query(`SELECT COUNT(*) FROM journal WHERE type = ? AND operator = 'B1004'`, floor.EvLabelConfirmed).String; n != "1" {
		t.Fatalf("label.confirmed under B1004: %s", n)
	}

	// 6. ORD-10's label is being sent when the bench dies: its spool is
	// a FIFO nobody reads. The bench comes back with its pty printer;
	// the label is in doubt, the supervisor has it printed again, and
	// the copy prints there.
	if err := os.Remove(spool); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(spool, 0o600); err != nil {
		t.Fatal(err)
	}
	pack("T00010", siteTea, 200+120, floor.EvPackShipmentCompleted)
	doubt := newest()
	siteWaitUntil(t, "ORD-10's label is being sent", func() bool { return jobStatus(doubt) == "sending" }, bench.screen)
	bench.kill()
	packKind.spool, packKind.printer = "", true
	bench.run(packKind)
	siteWaitUntil(t, "PACK-01 finds ORD-10's label in doubt", func() bool { return jobStatus(doubt) == "needs_operator" }, bench.screen)
	bench.pushed()
	resolve(raised(floor.ExLabelInDoubt, ""), floor.ResolveReprint, "", "no label on the carton", false)
	told(bench, "no label on the carton")
	printed, cancel := context.WithTimeout(context.Background(), siteWait)
	defer cancel()
	jobs, err := bench.printer.WaitJobs(printed, 1)
	if err != nil {
		t.Fatalf("the reprint on PACK-01's printer: %v", err)
	}
	if !bytes.Contains(jobs[0].ZPL, []byte("^FDORD-10^FS")) {
		t.Fatalf("the reprint of ORD-10's label printed:\n%s", jobs[0].ZPL)
	}
	if n := bench.query(`SELECT COUNT(*) FROM print_jobs WHERE reprint_of = ?`, doubt).String; n != "1" {
		t.Fatalf("copies of ORD-10's label: %s", n)
	}

	// 7. ORD-08's carton weighs far off, then right: the weight mismatch
	// is voided.
	pack("T00008", siteTea, 5000, floor.EvPackWeightRecorded)
	bench.showing("WEIGHT OFF")
	weigh(200+120, floor.EvPackShipmentCompleted)
	bench.pushed()
	resolve(raised(floor.ExWeightMismatch, "ORD-08"), floor.ResolveVoid, "", "scale was bumped", true)
	told(bench, "scale was bumped")

	// 8. ORD-06 and ORD-07 are held at the office while their totes come
	// to the bench.
	for _, o := range []string{"ORD-06", "ORD-07"} {
		h.call("POST", "/admin/v1/orders/"+o+"/holds", map[string]string{"reason": "INCORRECT_ADDRESS", "note": "no house number"}, http.StatusOK, nil)
		siteWaitUntil(t, "PACK-01 hears of the hold on "+o, func() bool {
			return bench.query(`SELECT COUNT(*) FROM order_holds WHERE order_id = ?`, o).String == "1"
		}, bench.screen)
	}
	// ORD-06: no label, held at pack; the supervisor releases it and the
	// bench completes it.
	pack("T00006", siteCap, 150+120, floor.EvPackHeld)
	bench.showing("NO LABEL")
	bench.pushed()
	resolve(raised(floor.ExHeldAtPack, "ORD-06"), floor.ResolveReleaseHeld, "", "address confirmed by phone", false)
	told(bench, "address confirmed by phone")
	siteWaitUntil(t, "PACK-01 hears ORD-06 is released", func() bool {
		return bench.query(`SELECT COUNT(*) FROM order_holds WHERE order_id = 'ORD-06'`).String == "0"
	}, bench.screen)
	bench.scan("CMD:COMPLETE", floor.EvPackShipmentCompleted)
	bench.pushed()
	if l := line("ORD-06"); l.Packed != 1 {
		t.Fatalf("ORD-06 after its release: %+v", l)
	}
	if _, err := bench.printer.WaitJobs(printed, 3); err != nil { // ORD-08's, ORD-06's
		t.Fatalf("PACK-01's labels: %v", err)
	}
	// ORD-07: held, set aside on the holding shelf; the supervisor
	// returns it to stock.
	pack("T00007", siteCap, 150+120, floor.EvPackHeld)
	bench.scan("CMD:OK", floor.EvPackSetAside)
	bench.pushed()
	resolve(raised(floor.ExHoldingShelf, "ORD-07"), floor.ResolveReturnHeld, "", "customer cancels by phone", true)
	told(bench, "customer cancels by phone")
	o7 := h.order("ORD-07")
	if o7.Lines[0].Restocked != 1 || len(o7.RestockTasks) != 1 || o7.RestockTasks[0].Qty != 1 {
		t.Fatalf("ORD-07 after its return: %+v, restock %+v", o7.Lines[0], o7.RestockTasks)
	}

	// CART-02 comes back: its picker is told where the wave went.
	cart2.run(stationKind{bench: "pick", roles: `"picker"`})
	told(cart2, "CART-02 is down")

	// Nothing any station journaled was refused, but for the forgery.
	for _, s := range []*floorStation{cart1, bench, sup} {
		if why := s.query(`SELECT group_concat(reason, '; ') FROM sync_rejections`).String; why != "" {
			t.Errorf("%s's events refused by the hub: %s", s.id, why)
		}
	}
}

// forge pushes ev as station's, with its token, and wants the hub to
// refuse it saying why.
func forge(t *testing.T, h *siteHub, token, station string, ev floor.Event, why string) {
	t.Helper()
	e := protocol.FromFloor(ev)
	e.Station, e.Seq, e.ID, e.DeviceTime = station, 1, "forged-1", time.Now().UTC()
	body, err := json.Marshal(protocol.PushRequest{Station: station, Events: []protocol.Event{e}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", h.url+protocol.PathPush, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(protocol.VersionHeader, fmt.Sprint(protocol.Version))
	resp, err := h.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got protocol.PushResponse
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("the forged push: %d %v", resp.StatusCode, err)
	}
	if len(got.Outcomes) != 1 || got.Outcomes[0].Status != protocol.Rejected || !strings.Contains(got.Outcomes[0].Reason, why) {
		t.Fatalf("the forged resolution: %+v, want refused: %s", got.Outcomes, why)
	}
}

package hub_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

var ctx = context.Background()

const station = "ST-01"

// fixture is a hub on loopback with the demo site imported and its wave
// assigned to ST-01.
type fixture struct {
	*sitetest.Hub
	token string
	site  store.Site
}

func newFixture(t *testing.T, wrap func(http.Handler) http.Handler) *fixture {
	t.Helper()
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, wrap)
	f := &fixture{Hub: h, token: sitetest.Register(t, h.Store, station), site: demo.Site(1, time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC))}
	sitetest.Import(t, h.Store, sitetest.ImportOf(f.site, station))
	return f
}

// events makes protocol events from..to of ST-01: units picked on the
// site's tasks, so the hub judges and projects them.
func (f *fixture) events(from, to int64) []protocol.Event {
	var out []protocol.Event
	for seq := from; seq <= to; seq++ {
		t := f.site.Tasks[int(seq-1)%len(f.site.Tasks)]
		ev := floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{
			TaskPayload: floor.TaskPayload{Task: t.ID, Order: t.OrderID, Line: t.LineNo, Location: t.Location, SKU: t.SKU}, Qty: 1, Tote: "T00001"})
		out = append(out, protocol.Event{Station: station, Seq: seq, ID: fmt.Sprintf("ev-%06d", seq), Operator: "B1001",
			DeviceTime: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(seq) * time.Second), Type: string(ev.Type), Payload: ev.Payload})
	}
	return out
}

type answer struct {
	status int
	body   []byte
}

func (a answer) push(t *testing.T) protocol.PushResponse {
	t.Helper()
	if a.status != 200 {
		t.Fatalf("push answered %d: %s", a.status, a.body)
	}
	var r protocol.PushResponse
	if err := json.Unmarshal(a.body, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

func (a answer) err(t *testing.T, status int, code string) protocol.Error {
	t.Helper()
	if a.status != status {
		t.Fatalf("answered %d, want %d: %s", a.status, status, a.body)
	}
	var eb protocol.ErrorBody
	if err := json.Unmarshal(a.body, &eb); err != nil {
		t.Fatalf("error body does not read: %v: %s", err, a.body)
	}
	if eb.Error.Code != code || eb.Error.Message == "" {
		t.Fatalf("error %+v, want code %s with a message", eb.Error, code)
	}
	return eb.Error
}

func call(t *testing.T, method, url, token, contentType string, body []byte) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set(protocol.VersionHeader, "1")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, b}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (f *fixture) push(t *testing.T, evs []protocol.Event) answer {
	t.Helper()
	return call(t, "POST", f.URL+protocol.PathPush, f.token, "application/json", mustJSON(t, protocol.PushRequest{Station: station, Events: evs}))
}

func (f *fixture) admin(t *testing.T, method, path string, v any) answer {
	t.Helper()
	var body []byte
	if v != nil {
		body = mustJSON(t, v)
	}
	return call(t, method, f.URL+path, f.Admin, "application/json", body)
}

// heldAtHub counts ST-01's events at the hub.
func (f *fixture) heldAtHub(t *testing.T) (n, mark int64) {
	t.Helper()
	if err := f.Store.DB().R.QueryRow(`SELECT (SELECT COUNT(*) FROM events WHERE station=?), mark FROM stations WHERE id=?`, station, station).Scan(&n, &mark); err != nil {
		t.Fatal(err)
	}
	return n, mark
}

func TestSameBatchTwice(t *testing.T) {
	f := newFixture(t, nil)
	evs := f.events(1, 20)
	first := f.push(t, evs).push(t)
	again := f.push(t, evs).push(t)
	if first.Mark != 20 || again.Mark != 20 {
		t.Fatalf("marks %d and %d, want 20", first.Mark, again.Mark)
	}
	for i := range evs {
		a, b := first.Outcomes[i], again.Outcomes[i]
		if a.Seq != evs[i].Seq || a.Status != protocol.Accepted || a.Duplicate {
			t.Fatalf("first push outcome %d: %+v", i, a)
		}
		if b.Seq != a.Seq || b.Status != a.Status || b.Reason != a.Reason || !b.Duplicate {
			t.Fatalf("second push outcome %d: %+v, want the first's %+v marked duplicate", i, b, a)
		}
	}
	if n, mark := f.heldAtHub(t); n != 20 || mark != 20 {
		t.Fatalf("hub holds %d events, mark %d; want 20 and 20", n, mark)
	}
	// The projection counted each unit once.
	var picked int
	f.Store.DB().R.QueryRow(`SELECT SUM(picked) FROM line_progress`).Scan(&picked)
	if picked != 20 {
		t.Fatalf("line_progress counts %d units, want 20", picked)
	}
}

func TestBatchesOutOfOrder(t *testing.T) {
	f := newFixture(t, nil)
	e := f.push(t, f.events(11, 20)).err(t, 409, protocol.CodeGap)
	if e.Expected != 1 || !strings.Contains(e.Message, "expects sequence 1") {
		t.Fatalf("gap error %+v, want expected 1 named in the message", e)
	}
	if n, _ := f.heldAtHub(t); n != 0 {
		t.Fatalf("a refused batch left %d events", n)
	}
	if r := f.push(t, f.events(1, 10)).push(t); r.Mark != 10 {
		t.Fatalf("mark %d after 1-10", r.Mark)
	}
	if r := f.push(t, f.events(11, 20)).push(t); r.Mark != 20 {
		t.Fatalf("mark %d after 11-20", r.Mark)
	}
	// An old batch arriving late is all duplicates.
	late := f.push(t, f.events(1, 10)).push(t)
	for _, o := range late.Outcomes {
		if !o.Duplicate {
			t.Fatalf("late batch outcome %+v is not a duplicate", o)
		}
	}
	// A batch straddling the mark applies only its new part.
	r := f.push(t, f.events(16, 25)).push(t)
	if r.Mark != 25 || !r.Outcomes[4].Duplicate || r.Outcomes[5].Duplicate {
		t.Fatalf("straddling batch: mark %d outcomes %+v", r.Mark, r.Outcomes)
	}
	if n, mark := f.heldAtHub(t); n != 25 || mark != 25 {
		t.Fatalf("hub holds %d events, mark %d", n, mark)
	}
}

func TestGapIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	f.push(t, f.events(1, 5)).push(t)
	e := f.push(t, f.events(8, 9)).err(t, 409, protocol.CodeGap)
	if e.Expected != 6 || !strings.Contains(e.Message, "expects sequence 6") {
		t.Fatalf("gap error %+v, want sequence 6 expected", e)
	}
	// A hole inside one batch is a malformed request, not a gap.
	evs := f.events(6, 9)
	evs = append(evs[:1], evs[2:]...)
	f.push(t, evs).err(t, 400, protocol.CodeBadRequest)
	if n, mark := f.heldAtHub(t); n != 5 || mark != 5 {
		t.Fatalf("hub holds %d events, mark %d; want 5", n, mark)
	}
}

// TestCrashBetweenApplyAndReply: the hub applies a batch, then the
// connection dies before the answer leaves. The station cannot know; it
// sends the batch again and gets the same outcomes, and the hub holds each
// event once.
func TestCrashBetweenApplyAndReply(t *testing.T) {
	var pushes atomic.Int32
	f := newFixture(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != protocol.PathPush || pushes.Add(1) != 1 {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r) // applied and committed
			if rec.Code != 200 {
				t.Errorf("the first push failed: %d %s", rec.Code, rec.Body)
			}
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.Close() // the answer never leaves
		})
	})
	// One of the orders is cancelled centrally: its event's rejection must
	// survive the lost answer too.
	evs := f.events(1, 12)
	cancelled := protocol.RefOf(evs[3].Payload).Order
	if err := f.Store.CancelOrder(ctx, cancelled, "customer asked", time.Now()); err != nil {
		t.Fatal(err)
	}
	body := mustJSON(t, protocol.PushRequest{Station: station, Events: evs})
	req, _ := http.NewRequest("POST", f.URL+protocol.PathPush, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+f.token)
	req.Header.Set(protocol.VersionHeader, "1")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the first push got an answer (%d); the test wanted it lost", resp.StatusCode)
	}
	if n, mark := f.heldAtHub(t); n != 12 || mark != 12 {
		t.Fatalf("after the lost answer the hub holds %d events, mark %d; want them applied", n, mark)
	}
	r := f.push(t, evs).push(t)
	if r.Mark != 12 {
		t.Fatalf("retry mark %d", r.Mark)
	}
	rejected := 0
	for i, o := range r.Outcomes {
		if !o.Duplicate {
			t.Fatalf("retry outcome %d not a duplicate: %+v", i, o)
		}
		if protocol.RefOf(evs[i].Payload).Order == cancelled {
			if o.Status != protocol.Rejected || o.Reason != hub.ReturnToStock {
				t.Fatalf("event about the cancelled order: %+v, want rejected %q", o, hub.ReturnToStock)
			}
			rejected++
		} else if o.Status != protocol.Accepted {
			t.Fatalf("outcome %d: %+v", i, o)
		}
	}
	if rejected == 0 {
		t.Fatal("no event named the cancelled order")
	}
	if n, _ := f.heldAtHub(t); n != 12 {
		t.Fatalf("hub holds %d events after the retry", n)
	}
}

func TestReplacedJournalIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	f.push(t, f.events(1, 3)).push(t)
	evs := f.events(1, 4)
	evs[1].ID = "another-id"
	e := f.push(t, evs).err(t, 409, protocol.CodeSeqConflict)
	if !strings.Contains(e.Message, "sequence 2") {
		t.Fatalf("conflict message %q does not name the sequence", e.Message)
	}
	if n, mark := f.heldAtHub(t); n != 3 || mark != 3 {
		t.Fatalf("hub holds %d, mark %d: the refused batch applied something", n, mark)
	}
}

func TestCancelledOrderEventsAreRejectedAndAcknowledged(t *testing.T) {
	f := newFixture(t, nil)
	evs := f.events(1, 2)
	order := protocol.RefOf(evs[0].Payload).Order
	f.push(t, evs[:1]).push(t)
	if a := f.admin(t, "POST", "/admin/v1/orders/"+order+"/cancel", protocol.CancelRequest{Reason: "fraud check failed"}); a.status != 200 {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}
	// Picked twice for the same order: the second pick came after the cancellation.
	evs[1].Payload = evs[0].Payload
	r := f.push(t, evs[1:]).push(t)
	if r.Mark != 2 || r.Outcomes[0].Status != protocol.Rejected || r.Outcomes[0].Reason != hub.ReturnToStock {
		t.Fatalf("push after the cancellation: %+v", r)
	}
	var fl protocol.Fulfilment
	a := call(t, "GET", f.URL+"/api/v1/orders/"+order, f.Admin, "", nil)
	if a.status != 200 || json.Unmarshal(a.body, &fl) != nil {
		t.Fatalf("read API: %d %s", a.status, a.body)
	}
	if fl.Status != protocol.StatusCancelled || fl.CancelReason != "fraud check failed" {
		t.Fatalf("fulfilment %+v", fl)
	}
	// One conflict for the units picked before the cancellation, one for
	// the rejected event.
	kinds := map[string]bool{}
	for _, c := range fl.Conflicts {
		kinds[c.Kind] = true
		if !strings.Contains(c.Reason, "return the goods to stock") {
			t.Fatalf("conflict without the instruction: %+v", c)
		}
		if c.Kind == "cancelled-after-pick" && !strings.Contains(c.Reason, "(1 unit picked, 0 packed, at "+station+" before the cancellation)") {
			t.Errorf("the count reads wrong: %q", c.Reason)
		}
	}
	if !kinds["cancelled-after-pick"] || !kinds["cancelled-order"] || len(fl.Conflicts) != 2 {
		t.Fatalf("conflicts %+v", fl.Conflicts)
	}
	picked := 0
	for _, l := range fl.Lines {
		picked += l.Picked
	}
	if picked != 1 {
		t.Fatalf("the rejected pick moved the projection: %+v", fl.Lines)
	}
}

func TestTokens(t *testing.T) {
	f := newFixture(t, nil)
	other := sitetest.Register(t, f.Store, "ST-02")
	body := mustJSON(t, protocol.PushRequest{Station: station, Events: f.events(1, 1)})
	call(t, "POST", f.URL+protocol.PathPush, "", "application/json", body).err(t, 401, protocol.CodeUnauth)
	call(t, "POST", f.URL+protocol.PathPush, "tote_station_nonsense", "application/json", body).err(t, 401, protocol.CodeUnauth)
	e := call(t, "POST", f.URL+protocol.PathPush, other, "application/json", body).err(t, 403, protocol.CodeForbidden)
	if !strings.Contains(e.Message, "ST-02") || !strings.Contains(e.Message, station) {
		t.Fatalf("403 message %q should name both stations", e.Message)
	}
	call(t, "POST", f.URL+protocol.PathPush, f.Admin, "application/json", body).err(t, 403, protocol.CodeForbidden)
	call(t, "POST", f.URL+"/admin/v1/waves", f.token, "application/json", []byte(`{}`)).err(t, 403, protocol.CodeForbidden)
	call(t, "GET", f.URL+"/api/v1/orders/ORD-100001", f.token, "", nil).err(t, 403, protocol.CodeForbidden)

	// Tokens are kept hashed: the token itself is nowhere in the database.
	var n int
	f.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM tokens WHERE hash=? OR hash=?`, f.token, other).Scan(&n)
	var hashed int
	f.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM tokens WHERE hash=?`, hub.HashToken(f.token)).Scan(&hashed)
	if n != 0 || hashed != 1 {
		t.Fatalf("plain tokens stored: %d; hashed: %d", n, hashed)
	}

	// Another protocol version is refused with a plain reason.
	req, _ := http.NewRequest("POST", f.URL+protocol.PathPush, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+f.token)
	req.Header.Set(protocol.VersionHeader, "2")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	answer{resp.StatusCode, b}.err(t, 426, protocol.CodeVersion)
}

// pull reads ST-01's (or another token's) feed from cursor to the end.
func pullAll(t *testing.T, url, token, cursor string, limit int) ([]protocol.PullResponse, string) {
	t.Helper()
	var pages []protocol.PullResponse
	for {
		a := call(t, "GET", fmt.Sprintf("%s%s?cursor=%s&limit=%d", url, protocol.PathPull, cursor, limit), token, "", nil)
		if a.status != 200 {
			t.Fatalf("pull: %d %s", a.status, a.body)
		}
		var p protocol.PullResponse
		if err := json.Unmarshal(a.body, &p); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
		cursor = p.Cursor
		if !p.More {
			return pages, cursor
		}
	}
}

func kinds(pages []protocol.PullResponse) map[string]int {
	k := map[string]int{}
	for _, p := range pages {
		for _, c := range p.Changes {
			k[c.Kind]++
		}
	}
	return k
}

func TestPullSlices(t *testing.T) {
	f := newFixture(t, nil)
	other := sitetest.Register(t, f.Store, "ST-02")
	pages, cursor := pullAll(t, f.URL, f.token, "", 1000)
	k := kinds(pages)
	if k[protocol.KindItem] != demo.NumItems || k[protocol.KindOrder] != demo.Orders || k[protocol.KindTask] != len(f.site.Tasks) || k[protocol.KindWave] != 1 {
		t.Fatalf("ST-01's first pull: %v", k)
	}
	// ST-02 has no wave: reference data only.
	pages2, _ := pullAll(t, f.URL, other, "", 1000)
	if k2 := kinds(pages2); k2[protocol.KindOrder] != 0 || k2[protocol.KindTask] != 0 || k2[protocol.KindItem] != demo.NumItems {
		t.Fatalf("ST-02 sees %v; it must see reference data only", k2)
	}
	// Nothing new: an empty page with the same position.
	again, c2 := pullAll(t, f.URL, f.token, cursor, 1000)
	if len(again) != 1 || len(again[0].Changes) != 0 || c2 != cursor || again[0].Reset {
		t.Fatalf("pull with nothing new: %+v", again)
	}
	// A hold, a release and a cancellation reach ST-01 only.
	order := f.site.Orders[2].ID
	if a := f.admin(t, "POST", "/admin/v1/orders/"+order+"/holds", protocol.Hold{Reason: "INCORRECT_ADDRESS", Note: "no house number"}); a.status != 200 {
		t.Fatalf("hold: %d %s", a.status, a.body)
	}
	if a := f.admin(t, "POST", "/admin/v1/orders/"+order+"/holds", protocol.Hold{Reason: "HIGH_RISK_OF_FRAUD"}); a.status != 200 {
		t.Fatalf("hold: %d %s", a.status, a.body)
	}
	if a := f.admin(t, "DELETE", "/admin/v1/orders/"+order+"/holds/INCORRECT_ADDRESS", nil); a.status != 200 {
		t.Fatalf("release: %d %s", a.status, a.body)
	}
	if a := f.admin(t, "POST", "/admin/v1/orders/"+f.site.Orders[3].ID+"/cancel", protocol.CancelRequest{}); a.status != 200 {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}
	news, _ := pullAll(t, f.URL, f.token, cursor, 1000)
	var got []string
	for _, c := range news[0].Changes {
		switch c.Kind {
		case protocol.KindHolds:
			var rs []string
			for _, h := range c.Holds.Holds {
				rs = append(rs, h.Reason)
			}
			got = append(got, "holds "+c.Holds.Order+" "+strings.Join(rs, "+"))
		case protocol.KindCancel:
			got = append(got, "cancel "+c.Cancel.Order)
		default:
			got = append(got, c.Kind)
		}
	}
	want := []string{"holds " + order + " INCORRECT_ADDRESS", "holds " + order + " HIGH_RISK_OF_FRAUD+INCORRECT_ADDRESS",
		"holds " + order + " HIGH_RISK_OF_FRAUD", "cancel " + f.site.Orders[3].ID}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("changes after the holds:\n got %q\nwant %q", got, want)
	}
	if p2, _ := pullAll(t, f.URL, other, "", 1000); kinds(p2)[protocol.KindHolds] != 0 || kinds(p2)[protocol.KindCancel] != 0 {
		t.Fatal("ST-02 received holds or cancellations of orders it does not have")
	}
}

// TestPullPagesNeverSplitAnAction: with a page of 7 changes, a wave's
// orders, the wave and its tasks arrive in one page however many there are.
func TestPullPagesNeverSplitAnAction(t *testing.T) {
	f := newFixture(t, nil)
	pages, _ := pullAll(t, f.URL, f.token, "", 7)
	for i, p := range pages {
		k := kinds([]protocol.PullResponse{p})
		if k[protocol.KindWave] > 0 && (k[protocol.KindTask] != len(f.site.Tasks) || k[protocol.KindOrder] != demo.Orders) {
			t.Fatalf("page %d has the wave but %v", i, k)
		}
		if k[protocol.KindWave] == 0 && (k[protocol.KindTask] > 0 || k[protocol.KindOrder] > 0) {
			t.Fatalf("page %d has tasks or orders without their wave: %v", i, k)
		}
		if len(p.Changes) > 7 && k[protocol.KindWave] == 0 {
			t.Fatalf("page %d has %d changes, over the limit, without a reason", i, len(p.Changes))
		}
	}
	// The feed's sequence only goes up, page after page.
	var last int64
	for _, p := range pages {
		for _, c := range p.Changes {
			if c.Seq <= last {
				t.Fatalf("change %d after %d", c.Seq, last)
			}
			last = c.Seq
		}
	}
}

func TestResetRefetchesTheSlice(t *testing.T) {
	f := newFixture(t, nil)
	first, cursor := pullAll(t, f.URL, f.token, "", 1000)
	total := 0
	for _, p := range first {
		total += len(p.Changes)
	}
	if a := f.admin(t, "POST", "/admin/v1/stations/"+station+"/reset", nil); a.status != 200 {
		t.Fatalf("reset: %d %s", a.status, a.body)
	}
	again, _ := pullAll(t, f.URL, f.token, cursor, 1000)
	n := 0
	for _, p := range again {
		n += len(p.Changes)
	}
	if !again[0].Reset || n != total {
		t.Fatalf("after a reset: reset=%v, %d changes; want reset and all %d again", again[0].Reset, n, total)
	}
	// A cursor from another hub, or nonsense, also starts again.
	for _, c := range []string{"1.00000000000000aa.1.5.0", "garbage", "1.x.1.1.1", strings.Replace(cursor, ".1.", ".1.", 1) + "9"} {
		p, _ := pullAll(t, f.URL, f.token, c, 5000)
		if !p[0].Reset {
			t.Fatalf("cursor %q did not reset", c)
		}
	}
}

func TestAdminAPI(t *testing.T) {
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	f := &fixture{Hub: h}
	// A site whose shipping labels come from elsewhere: orders need no
	// ship-to (TestImportRefusesWhatCannotShip has the default).
	if err := h.Store.SetSetting(ctx, hub.SettingShipToRequired, "false"); err != nil {
		t.Fatal(err)
	}
	// Register a station through the API: the token is shown once.
	a := f.admin(t, "POST", "/admin/v1/stations", protocol.RegisterStation{ID: "PACK-02", Name: "packing bench 2"})
	var reg protocol.Registered
	if a.status != 201 || json.Unmarshal(a.body, &reg) != nil || !strings.HasPrefix(reg.Token, "tote_station_") {
		t.Fatalf("register: %d %s", a.status, a.body)
	}
	f.admin(t, "POST", "/admin/v1/stations", protocol.RegisterStation{ID: "PACK-02"}).err(t, 409, protocol.CodeConflict)
	f.admin(t, "POST", "/admin/v1/stations", protocol.RegisterStation{ID: "bad id"}).err(t, 400, protocol.CodeBadRequest)

	ref := protocol.Reference{
		Locations: []protocol.Location{{Code: "A-01-01-1", Zone: "A", Aisle: 1, Bay: 1, Level: 1, WalkSeq: 1}, {Code: "A-01-02-1", Zone: "A", Aisle: 1, Bay: 2, Level: 1, WalkSeq: 2}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Red Mug", GTINs: []string{"04006381000017"}, Location: "A-01-02-1"},
			{SKU: "CAN-1", Description: "Candle", GTINs: []string{"04006381000024"}, Location: "A-01-01-1"}},
		Operators: []protocol.Operator{{Badge: "B9", Name: "Ana", Roles: []string{"picker"}, PIN: "123456"}},
	}
	if a := f.admin(t, "POST", "/admin/v1/reference", ref); a.status != 200 {
		t.Fatalf("reference: %d %s", a.status, a.body)
	}
	// Unknown fields are refused, not ignored.
	a = call(t, "POST", f.URL+"/admin/v1/reference", f.Admin, "application/json", []byte(`{"itmes": []}`))
	a.err(t, 400, protocol.CodeBadRequest)

	csv := "order_id,line_no,sku,qty,priority,ship_by,customer\nSO-1,1,MUG-1,2,1,2026-03-02,Olivia Smith\nSO-1,2,CAN-1,1,1,2026-03-02,Olivia Smith\nSO-2,1,CAN-1,3,0,,Liam\n"
	if a := call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "text/csv", []byte(csv)); a.status != 200 {
		t.Fatalf("CSV import: %d %s", a.status, a.body)
	}
	bad := "order_id,line_no,sku,qty\nSO-3,1,MUG-1,two\n"
	e := call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "text/csv", []byte(bad)).err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, "line 2") {
		t.Fatalf("CSV error %q does not name the line", e.Message)
	}
	if a := f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{{ID: "SO-4", Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}}}}); a.status != 200 {
		t.Fatalf("JSON import: %d %s", a.status, a.body)
	}
	f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{{ID: "SO-5", Lines: []protocol.OrderLine{{Line: 1, SKU: "NOPE", Qty: 1}}}}}).err(t, 409, protocol.CodeConflict)

	a = f.admin(t, "POST", "/admin/v1/waves", protocol.NewWave{ID: "W-1", Orders: []string{"SO-1", "SO-2"}})
	var wi protocol.WaveInfo
	if a.status != 201 || json.Unmarshal(a.body, &wi) != nil || wi.Tasks != 3 || wi.Station != "" {
		t.Fatalf("wave: %d %s", a.status, a.body)
	}
	f.admin(t, "POST", "/admin/v1/waves", protocol.NewWave{ID: "W-2", Orders: []string{"SO-1"}}).err(t, 409, protocol.CodeConflict)
	f.admin(t, "POST", "/admin/v1/waves/W-1/assign", protocol.Assign{Station: "NOPE"}).err(t, 404, protocol.CodeNotFound)
	if a := f.admin(t, "POST", "/admin/v1/waves/W-1/assign", protocol.Assign{Station: "PACK-02"}); a.status != 200 {
		t.Fatalf("assign: %d %s", a.status, a.body)
	}
	if a := f.admin(t, "POST", "/admin/v1/orders/SO-1/labels", protocol.Label{Tracking: "1Z999", Carrier: "UPS", Data: "^XA^FDlabel^FS^XZ"}); a.status != 201 {
		t.Fatalf("label: %d %s", a.status, a.body)
	}
	pages, _ := pullAll(t, f.URL, reg.Token, "", 1000)
	k := kinds(pages)
	if k[protocol.KindOrder] != 2 || k[protocol.KindTask] != 3 || k[protocol.KindLabel] != 1 || k[protocol.KindOperator] != 1 {
		t.Fatalf("PACK-02 pulled %v", k)
	}
	// Walk order inside an order: SO-1's candle (walk 1) before its mug (walk 2).
	var tasks []protocol.Task
	for _, c := range pages[0].Changes {
		if c.Task != nil {
			tasks = append(tasks, *c.Task)
		}
	}
	if tasks[0].SKU != "CAN-1" || tasks[1].SKU != "MUG-1" || tasks[2].Order != "SO-2" || tasks[0].SortKey >= tasks[1].SortKey || tasks[1].SortKey >= tasks[2].SortKey {
		t.Fatalf("tasks not in order-then-walk order: %+v", tasks)
	}
	f.admin(t, "POST", "/admin/v1/orders/NOPE/holds", protocol.Hold{Reason: "X"}).err(t, 404, protocol.CodeNotFound)
	f.admin(t, "DELETE", "/admin/v1/orders/SO-1/holds/NOPE", nil).err(t, 404, protocol.CodeNotFound)

	a = call(t, "GET", f.URL+"/admin/v1/stations", f.Admin, "", nil)
	if a.status != 200 || !strings.Contains(string(a.body), `"PACK-02"`) {
		t.Fatalf("stations: %d %s", a.status, a.body)
	}
	// A reader token reads but cannot administer.
	a = f.admin(t, "POST", "/admin/v1/tokens", map[string]string{"kind": "reader"})
	var rt protocol.Registered
	if a.status != 201 || json.Unmarshal(a.body, &rt) != nil {
		t.Fatalf("reader token: %d %s", a.status, a.body)
	}
	if a := call(t, "GET", f.URL+"/api/v1/orders/SO-1", rt.Token, "", nil); a.status != 200 {
		t.Fatalf("reader reads: %d %s", a.status, a.body)
	}
	call(t, "POST", f.URL+"/admin/v1/orders/SO-1/cancel", rt.Token, "application/json", []byte(`{}`)).err(t, 403, protocol.CodeForbidden)
	call(t, "GET", f.URL+"/api/v1/orders/NOPE", rt.Token, "", nil).err(t, 404, protocol.CodeNotFound)
}

// TestFulfilmentProjection pushes a picking shift, then packing (a label
// per carton with its SSCC and tracking, the shipment completed, another
// voided), and reads each order's status. A rule added for an event type
// tote does not record (test.units_returned) shows new types plug in.
func TestFulfilmentProjection(t *testing.T) {
	rules := hub.DefaultRules()
	rules.Add("test.units_returned", func(ev protocol.Event, ref protocol.OrderRef, _ hub.OrderState) hub.Verdict {
		var p struct {
			Qty int `json:"qty"`
		}
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return hub.Reject(err.Error())
		}
		return hub.Accept(hub.Effect{Order: ref.Order, Line: ref.Line, Returned: p.Qty})
	})
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{Rules: rules}, nil)
	site := demo.Site(1, time.Now())
	f := &fixture{Hub: h, token: sitetest.Register(t, h.Store, station), site: site}
	sitetest.Import(t, h.Store, sitetest.ImportOf(site, station))

	var evs []protocol.Event
	add := func(typ floor.EventType, v any) {
		ev := floor.NewEvent(typ, "B1001", v)
		evs = append(evs, protocol.Event{Station: station, Seq: int64(len(evs) + 1), ID: fmt.Sprintf("e%d", len(evs)+1),
			DeviceTime: time.Now(), Type: string(ev.Type), Payload: ev.Payload})
	}
	push := func(from int) protocol.PushResponse {
		t.Helper()
		return f.push(t, evs[from:]).push(t)
	}
	status := func(order string) protocol.Fulfilment {
		t.Helper()
		var fl protocol.Fulfilment
		a := call(t, "GET", f.URL+"/api/v1/orders/"+order, f.Admin, "", nil)
		if a.status != 200 || json.Unmarshal(a.body, &fl) != nil {
			t.Fatalf("read %s: %d %s", order, a.status, a.body)
		}
		return fl
	}
	// Order 0: every line picked. Order 1: its first line short. Order 2:
	// picked, packed, then the shipment voided.
	o0, o1, o2 := site.Orders[0], site.Orders[1], site.Orders[2]
	for _, task := range site.Tasks {
		tp := floor.TaskPayload{Task: task.ID, Order: task.OrderID, Line: task.LineNo, Location: task.Location, SKU: task.SKU}
		switch {
		case task.OrderID == o1.ID && task.LineNo == 1:
			add(floor.EvTaskShort, floor.ShortPayload{TaskPayload: tp, Picked: 0, Short: task.Qty, Reason: floor.ShortNotFound})
		case task.OrderID == o0.ID || task.OrderID == o1.ID || task.OrderID == o2.ID:
			add(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: tp, Qty: task.Qty, Tote: "T1"})
			add(floor.EvTaskPicked, tp)
		}
	}
	push(0)
	if s := status(o0.ID).Status; s != protocol.StatusPicked {
		t.Fatalf("%s is %s, want picked", o0.ID, s)
	}
	if s := status(o1.ID).Status; s != protocol.StatusShort {
		t.Fatalf("%s is %s, want short", o1.ID, s)
	}
	if s := status(site.Orders[5].ID).Status; s != protocol.StatusOpen {
		t.Fatalf("an untouched order is %s", s)
	}

	// Pack orders 0 and 2: one carton each, as the pack bench records it.
	label := func(o floor.Order, shipment, sscc, tracking string) map[string]any {
		var lines []map[string]any
		for _, l := range o.Lines {
			lines = append(lines, map[string]any{"line": l.LineNo, "sku": l.SKU, "qty": l.Qty})
		}
		return map[string]any{"order": o.ID, "customer": o.Customer, "shipment": shipment, "carton": 1, "cartons": 1,
			"box": "B2", "box_name": "medium box", "weight_g": 812.5, "units": 2, "lines": lines, "sscc": sscc, "tracking": tracking}
	}
	n := len(evs)
	add("pack.label_requested", label(o0, o0.ID+"-1", "340063810000000013", "1Z999AA10123456784"))
	add("pack.label_requested", label(o2, o2.ID+"-1", "340063810000000020", "1Z999AA10123456791"))
	push(n)
	fl := status(o0.ID)
	if fl.Status != protocol.StatusPacked || len(fl.Parcels) != 1 || fl.Parcels[0].SSCC != "340063810000000013" || fl.Parcels[0].Status != "packed" {
		t.Fatalf("after packing: %+v", fl)
	}
	n = len(evs)
	add("pack.shipment_completed", map[string]any{"order": o0.ID, "shipment": o0.ID + "-1", "cartons": 1, "units": 2, "tracking": "1Z999AA10123456784"})
	add("pack.voided", map[string]any{"order": o2.ID, "shipment": o2.ID + "-1", "cartons": 1, "supervisor": "B1004", "reason": "wrong box"})
	push(n)
	// Labels printed and the shipment complete: packed, not shipped, until
	// the parcel leaves the dock on a pickup.
	if fl := status(o0.ID); fl.Status != protocol.StatusPacked || fl.State != protocol.StatePacked || fl.Parcels[0].Status != "packed" {
		t.Fatalf("after the shipment completed: %+v", fl)
	}
	// The dock (a station of its own, the dispatch bench) ships it.
	dock := sitetest.Register(t, h.Store, "DOCK-01")
	n = len(evs)
	add(protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: "340063810000000013", Order: o0.ID, Shipment: o0.ID + "-1", Pickup: "UPS-1", Carrier: "UPS"})
	add(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "UPS-1", Carrier: "UPS", SSCCs: []string{"340063810000000013"}})
	shipped := slices.Clone(evs[n:])
	evs = evs[:n]
	for i := range shipped {
		shipped[i].Station, shipped[i].Seq, shipped[i].ID = "DOCK-01", int64(i+1), fmt.Sprintf("dock-%d", i+1)
	}
	call(t, "POST", f.URL+protocol.PathPush, dock, "application/json", mustJSON(t, protocol.PushRequest{Station: "DOCK-01", Events: shipped})).push(t)
	fl = status(o0.ID)
	if fl.Status != protocol.StatusShipped || fl.State != protocol.StateShipped || fl.Parcels[0].Tracking != "1Z999AA10123456784" || fl.Parcels[0].Status != "shipped" {
		t.Fatalf("after shipping: %+v", fl)
	}
	for _, l := range fl.Lines {
		if l.Packed != l.Qty || l.Shipped != l.Qty {
			t.Fatalf("shipped line %+v", l)
		}
	}
	if fl := status(o2.ID); fl.Status != protocol.StatusPicked || fl.Parcels[0].Status != "voided" || fl.Lines[0].Packed != 0 {
		t.Fatalf("after the void: %+v", fl)
	}
	// A return, through the rule added above.
	n = len(evs)
	add("test.units_returned", map[string]any{"order": o0.ID, "line": o0.Lines[0].LineNo, "qty": o0.Lines[0].Qty})
	push(n)
	if fl := status(o0.ID); fl.Lines[0].Returned != o0.Lines[0].Qty {
		t.Fatalf("after the return: %+v", fl)
	}

	// A shipped order cannot be cancelled. A cancelled one's label and
	// shipment are rejected with the instruction to take the parcel off the
	// line and void the label; its set-aside is the bench doing the right
	// thing and is accepted.
	f.admin(t, "POST", "/admin/v1/orders/"+o0.ID+"/cancel", protocol.CancelRequest{}).err(t, 409, protocol.CodeConflict)
	if a := f.admin(t, "POST", "/admin/v1/orders/"+o1.ID+"/cancel", protocol.CancelRequest{}); a.status != 200 {
		t.Fatalf("cancel: %d %s", a.status, a.body)
	}
	n = len(evs)
	add("pack.label_requested", label(o1, o1.ID+"-1", "340063810000000037", "1Z999AA10123456800"))
	add("pack.shipment_completed", map[string]any{"order": o1.ID, "shipment": o1.ID + "-1", "tracking": "1Z999AA10123456800"})
	add("pack.set_aside", map[string]any{"order": o1.ID, "reason": "cancelled", "cartons": 1, "units": 1})
	r := push(n)
	for i, want := range []string{protocol.Rejected, protocol.Rejected, protocol.Accepted} {
		if o := r.Outcomes[i]; o.Status != want || (want == protocol.Rejected && o.Reason != hub.CancelledOffTheLine) {
			t.Fatalf("outcome %d for the cancelled order: %+v", i, o)
		}
	}
	if fl := status(o1.ID); fl.Status != protocol.StatusCancelled || len(fl.Parcels) != 0 {
		t.Fatalf("cancelled order after rejected packing: %+v", fl)
	}
}

func TestHealth(t *testing.T) {
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	resp, err := http.Get(h.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	if resp.StatusCode != 200 || !strings.Contains(line, `"ok":true`) || resp.Header.Get(protocol.VersionHeader) != "1" {
		t.Fatalf("health: %d %q", resp.StatusCode, line)
	}
}

// TestServeStopsGracefully: Serve answers until its context ends, then
// lets the request in flight finish and returns.
func TestServeStopsGracefully(t *testing.T) {
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	c, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- hub.Serve(c, ln, hub.NewServer(h.Store, hub.Options{})) }()
	resp, err := http.Get("http://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Serve returned %v", err)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Fatal("still serving after the context ended")
	}
}

// TestPullAfterARestoreRefetches: the hub is restored from a backup and
// the office goes on, so new changes take the lost changes' positions. A
// station whose cursor stood past the backup must not skip them: its
// cursor's tag no longer matches, and it refetches its slice.
func TestPullAfterARestoreRefetches(t *testing.T) {
	f := newFixture(t, nil)
	_, before := pullAll(t, f.URL, f.token, "", 5000)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := f.Store.DB().W.Exec(`VACUUM INTO ?`, backup); err != nil {
		t.Fatal(err)
	}
	hold := func(s hub.API, order, reason string) {
		t.Helper()
		if err := s.PlaceHold(ctx, order, protocol.Hold{Reason: reason}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	hold(f.Store, f.site.Orders[0].ID, "LOST_WITH_THE_RESTORE")
	hold(f.Store, f.site.Orders[1].ID, "LOST_WITH_THE_RESTORE")
	_, cursor := pullAll(t, f.URL, f.token, before, 5000)

	restored, err := hubstore.Open(ctx, backup, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	srv := httptest.NewServer(hub.NewServer(restored, hub.Options{}))
	defer srv.Close()
	hold(restored, f.site.Orders[2].ID, "PLACED_AFTER_THE_RESTORE")
	hold(restored, f.site.Orders[3].ID, "PLACED_AFTER_THE_RESTORE")
	pages, _ := pullAll(t, srv.URL, f.token, cursor, 5000)
	if !pages[0].Reset {
		t.Fatal("a cursor from before the restore was taken as current")
	}
	got := 0
	for _, p := range pages {
		for _, c := range p.Changes {
			if c.Kind == protocol.KindHolds && c.Holds.Holds[0].Reason == "PLACED_AFTER_THE_RESTORE" {
				got++
			}
		}
	}
	if got != 2 {
		t.Fatalf("the refetch brought %d of the 2 holds placed after the restore", got)
	}
}

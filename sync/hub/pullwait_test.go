package hub_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
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

// waitHub is a hub on loopback whose service and server options a test
// chooses, with ST-01 registered, the demo site imported, and the cursor
// at the end of ST-01's feed.
type waitHub struct {
	path   string
	svc    *hub.Service
	srv    *hub.Server
	url    string
	token  string
	cursor string
	order  string // an order of ST-01's waves
	bench  string // the bench the pulls state, "" for none
	site   store.Site
}

func newWaitHub(t *testing.T, sopts hub.ServiceOptions, opts hub.Options) *waitHub {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hub.db")
	sq, err := hubstore.OpenStore(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	svc := hub.New(sq, sopts)
	site := demo.Site(1, time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC))
	h := &waitHub{path: path, svc: svc, srv: hub.NewServer(svc, opts), token: sitetest.Register(t, svc, station), order: site.Tasks[0].OrderID, site: site}
	sitetest.Import(t, svc, sitetest.ImportOf(site, station))
	hs := httptest.NewServer(h.srv)
	t.Cleanup(func() {
		h.srv.Drain() // as a hub's shutdown does: no pull waits on
		hs.CloseClientConnections()
		hs.Close()
		sq.Close()
	})
	h.url = hs.URL
	for more := true; more; {
		resp, status, _ := h.pull(t, ctx, h.cursor, "")
		if status != http.StatusOK {
			t.Fatalf("the first pull answered %d", status)
		}
		h.cursor, more = resp.Cursor, resp.More
	}
	return h
}

// pull asks the hub for ST-01's changes after cursor, with wait when it
// is not "". A request that ctx ended gives status 0 and the error.
func (h *waitHub) pull(t *testing.T, ctx context.Context, cursor, wait string) (protocol.PullResponse, int, error) {
	q := url.Values{"cursor": {cursor}}
	if wait != "" {
		q.Set(protocol.ParamWait, wait)
	}
	if h.bench != "" {
		q.Set(protocol.PullBench, h.bench)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.url+protocol.PathPull+"?"+q.Encode(), nil)
	if err != nil {
		t.Error(err)
		return protocol.PullResponse{}, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set(protocol.VersionHeader, "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return protocol.PullResponse{}, 0, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var pr protocol.PullResponse
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &pr); err != nil {
			t.Errorf("the pull answer does not read: %v: %s", err, body)
		}
	} else {
		err = errors.New(string(body))
	}
	return pr, resp.StatusCode, err
}

type pulled struct {
	resp   protocol.PullResponse
	status int
	err    error
}

// waitingPull starts a waiting pull from the cursor and waits until the
// hub holds it.
func (h *waitHub) waitingPull(t *testing.T, ctx context.Context, wait string) <-chan pulled {
	t.Helper()
	out := make(chan pulled, 1)
	before := hub.WaitingPulls(h.srv)
	go func() {
		r, s, err := h.pull(t, ctx, h.cursor, wait)
		out <- pulled{r, s, err}
	}()
	sitetest.WaitFor(t, time.Minute, "the hub to hold the pull", func() bool { return hub.WaitingPulls(h.srv) > before })
	return out
}

func holdsOf(resp protocol.PullResponse, order string) []protocol.Hold {
	for _, c := range resp.Changes {
		if c.Kind == protocol.KindHolds && c.Holds.Order == order {
			return c.Holds.Holds
		}
	}
	return nil
}

// A station that is behind gets its changes at once: the hub holds a
// pull only while there is nothing to send.
func TestPullWaitAnswersAtOnceWithChanges(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{FeedRecheck: time.Hour}, hub.Options{MaxPullWait: time.Hour})
	before := h.cursor
	if err := h.svc.PlaceHold(ctx, h.order, protocol.Hold{Reason: "INCORRECT_ADDRESS"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, status, err := h.pull(t, ctx, before, "1h")
	if status != http.StatusOK {
		t.Fatalf("answered %d: %v", status, err)
	}
	if got := holdsOf(resp, h.order); len(got) != 1 || got[0].Reason != "INCORRECT_ADDRESS" {
		t.Fatalf("the waiting pull brought %+v, want the hold", resp.Changes)
	}
	if resp.WaitMS != time.Hour.Milliseconds() {
		t.Errorf("wait_ms %d, want the hub's maximum", resp.WaitMS)
	}
	// From the start, too: a new station's whole slice, at once.
	resp, status, _ = h.pull(t, ctx, "", "1h")
	if status != http.StatusOK || len(resp.Changes) == 0 {
		t.Fatalf("a first pull with a wait answered %d with %d changes", status, len(resp.Changes))
	}
}

// A hold committed at this hub wakes the waiting pull through the feed
// bell: the re-check is an hour away, the wait an hour long.
func TestPullWaitWakesOnCommit(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{FeedRecheck: time.Hour}, hub.Options{MaxPullWait: time.Hour})
	got := h.waitingPull(t, ctx, "1h")
	if err := h.svc.PlaceHold(ctx, h.order, protocol.Hold{Reason: "FRAUD_CHECK"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	p := <-got
	if p.status != http.StatusOK {
		t.Fatalf("answered %d: %v", p.status, p.err)
	}
	if holds := holdsOf(p.resp, h.order); len(holds) != 1 || holds[0].Reason != "FRAUD_CHECK" {
		t.Fatalf("the woken pull brought %+v, want the hold", p.resp.Changes)
	}
	if p.resp.Cursor == h.cursor {
		t.Error("the cursor did not move past the hold")
	}

	// A cancellation wakes it the same way.
	h.cursor = p.resp.Cursor
	got = h.waitingPull(t, ctx, "1h")
	if err := h.svc.CancelOrder(ctx, h.order, "customer changed their mind", time.Now()); err != nil {
		t.Fatal(err)
	}
	p = <-got
	var cancelled bool
	for _, c := range p.resp.Changes {
		cancelled = cancelled || (c.Kind == protocol.KindCancel && c.Cancel.Order == h.order)
	}
	if p.status != http.StatusOK || !cancelled {
		t.Fatalf("answered %d with %+v, want the cancellation", p.status, p.resp.Changes)
	}
}

// A change for another station leaves this one waiting; a change for
// every station (reference data) wakes it.
func TestPullWaitWakesOnlyItsStation(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{FeedRecheck: time.Hour}, hub.Options{MaxPullWait: time.Hour})
	sitetest.Register(t, h.svc, "ST-02")
	got := h.waitingPull(t, ctx, "1h")
	// A wave assigned to ST-02 is ST-02's news only.
	site := demo.Site(1, time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC))
	o := site.Orders[0]
	o.ID = "SO-ELSEWHERE"
	if _, err := h.svc.ImportOrders(ctx, []protocol.Order{protocol.OrderOf(o)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.CreateWave(ctx, protocol.NewWave{ID: "W-ELSEWHERE", Orders: []string{o.ID}, Station: "ST-02"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	select {
	case p := <-got:
		t.Fatalf("ST-01's pull answered for ST-02's wave: %d %+v", p.status, p.resp.Changes)
	default:
	}
	if n := hub.WaitingPulls(h.srv); n != 1 {
		t.Fatalf("%d pulls waiting, want ST-01's", n)
	}
	if _, err := h.svc.ImportReference(ctx, protocol.Reference{Operators: []protocol.Operator{{Badge: "B7777", Name: "New Picker", Roles: []string{"picker"}}}}); err != nil {
		t.Fatal(err)
	}
	p := <-got
	var op bool
	for _, c := range p.resp.Changes {
		op = op || (c.Kind == protocol.KindOperator && c.Operator.Badge == "B7777")
	}
	if p.status != http.StatusOK || !op {
		t.Fatalf("answered %d with %+v, want the new operator", p.status, p.resp.Changes)
	}
}

// Another hub process on the same database rings no bell here: the
// waiting pull finds its change at the next re-check.
func TestPullWaitSeesAnotherHubsCommit(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{FeedRecheck: 20 * time.Millisecond}, hub.Options{MaxPullWait: time.Hour})
	other, err := hubstore.Open(ctx, h.path, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	got := h.waitingPull(t, ctx, "1h")
	if err := other.PlaceHold(ctx, h.order, protocol.Hold{Reason: "CREDIT"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	p := <-got
	if holds := holdsOf(p.resp, h.order); p.status != http.StatusOK || len(holds) != 1 || holds[0].Reason != "CREDIT" {
		t.Fatalf("answered %d with %+v, want the other hub's hold", p.status, p.resp.Changes)
	}
}

// With nothing new, the pull ends at the wait's end: no changes, the same
// cursor, and the offer to wait again.
func TestPullWaitEndsEmpty(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{}, hub.Options{MaxPullWait: time.Hour})
	t0 := time.Now()
	resp, status, err := h.pull(t, ctx, h.cursor, "300ms")
	if status != http.StatusOK {
		t.Fatalf("answered %d: %v", status, err)
	}
	if len(resp.Changes) != 0 || resp.More || resp.Reset || resp.Cursor != h.cursor || resp.WaitMS == 0 {
		t.Fatalf("an empty wait answered %+v", resp)
	}
	if held := time.Since(t0); held < 300*time.Millisecond {
		t.Fatalf("the hub answered after %v, before the wait's end", held)
	}
	// The hub's maximum bounds the wait asked for.
	h2 := newWaitHub(t, hub.ServiceOptions{}, hub.Options{MaxPullWait: 200 * time.Millisecond})
	resp, status, _ = h2.pull(t, ctx, h2.cursor, "1h")
	if status != http.StatusOK || len(resp.Changes) != 0 || resp.WaitMS != 200 {
		t.Fatalf("a wait over the hub's maximum answered %d %+v", status, resp)
	}
}

// A station that hangs up ends its wait at the hub.
func TestPullWaitClientGone(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{FeedRecheck: time.Hour}, hub.Options{MaxPullWait: time.Hour})
	c, cancel := context.WithCancel(ctx)
	got := h.waitingPull(t, c, "1h")
	cancel()
	if p := <-got; !errors.Is(p.err, context.Canceled) {
		t.Fatalf("the cancelled pull ended with %d %v", p.status, p.err)
	}
	sitetest.WaitFor(t, time.Minute, "the hub to let the pull go", func() bool { return hub.WaitingPulls(h.srv) == 0 })
}

// A waiting pull never holds the hub's shutdown: hub.Serve's graceful
// Shutdown answers it at once (a held pull would run into Serve's
// shutdown timeout, and Serve would return its error).
func TestPullWaitDoesNotHoldShutdown(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{FeedRecheck: time.Hour}, hub.Options{MaxPullWait: time.Hour})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- hub.Serve(sctx, ln, h.srv) }()
	h.url = "http://" + ln.Addr().String()
	got := h.waitingPull(t, ctx, "1h")
	stop()
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		t.Fatalf("the hub's shutdown: %v", err)
	}
	p := <-got
	if p.status != http.StatusOK || len(p.resp.Changes) != 0 || p.resp.Cursor != h.cursor {
		t.Fatalf("the drained pull answered %d %+v, %v", p.status, p.resp, p.err)
	}
}

// One token holds at most hub.MaxWaitingPulls waiting pulls; the next is
// answered at once, offering no wait, so the station drops to its
// interval for a round instead of piling up requests.
func TestPullWaitCapPerToken(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{FeedRecheck: time.Hour}, hub.Options{MaxPullWait: time.Hour})
	var held []<-chan pulled
	for range hub.MaxWaitingPulls {
		held = append(held, h.waitingPull(t, ctx, "1h"))
	}
	resp, status, err := h.pull(t, ctx, h.cursor, "1h")
	if status != http.StatusOK || len(resp.Changes) != 0 || resp.WaitMS != 0 {
		t.Fatalf("the pull over the cap answered %d %+v %v", status, resp, err)
	}
	// Another station's token is not counted with this one's.
	h2tok := sitetest.Register(t, h.svc, "ST-02")
	saved := h.token
	h.token = h2tok
	resp2, _, _ := h.pull(t, ctx, "", "")
	h.cursor = resp2.Cursor
	for resp2.More {
		resp2, _, _ = h.pull(t, ctx, h.cursor, "")
		h.cursor = resp2.Cursor
	}
	other := h.waitingPull(t, ctx, "1h")
	h.token = saved
	if _, err := h.svc.ImportReference(ctx, protocol.Reference{Operators: []protocol.Operator{{Badge: "B7778", Name: "Night Picker", Roles: []string{"picker"}}}}); err != nil {
		t.Fatal(err)
	}
	for _, ch := range append(held, other) {
		if p := <-ch; p.status != http.StatusOK || len(p.resp.Changes) == 0 {
			t.Fatalf("a held pull answered %d %+v", p.status, p.resp.Changes)
		}
	}
}

// A wait that does not read is refused in plain words.
func TestPullWaitBadWait(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{}, hub.Options{})
	for _, w := range []string{"soon", "-5s", "2h", "1e9"} {
		_, status, err := h.pull(t, ctx, h.cursor, w)
		if status != http.StatusBadRequest || err == nil || !strings.Contains(err.Error(), "wait") {
			t.Errorf("wait=%s answered %d %v, want a bad request naming the wait", w, status, err)
		}
	}
}

// A hub that does not wait (MaxPullWait < 0, like a hub older than
// waiting) answers at once and offers no wait; hello says the same.
func TestPullWaitOff(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{}, hub.Options{MaxPullWait: -1})
	resp, status, _ := h.pull(t, ctx, h.cursor, "1h")
	if status != http.StatusOK || len(resp.Changes) != 0 || resp.WaitMS != 0 {
		t.Fatalf("a hub that does not wait answered %d %+v", status, resp)
	}
	hello, err := helloOf(h.url, h.token)
	if err != nil || hello.PullWaitMS != 0 {
		t.Fatalf("hello %+v %v, want no pull_wait_ms", hello, err)
	}
	h2 := newWaitHub(t, hub.ServiceOptions{}, hub.Options{})
	hello, err = helloOf(h2.url, h2.token)
	if err != nil || hello.PullWaitMS != hub.DefaultMaxPullWait.Milliseconds() {
		t.Fatalf("hello %+v %v, want pull_wait_ms %d", hello, err, hub.DefaultMaxPullWait.Milliseconds())
	}
}

func helloOf(base, token string) (protocol.Hello, error) {
	var h protocol.Hello
	req, err := http.NewRequest(http.MethodGet, base+protocol.PathHello, nil)
	if err != nil {
		return h, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(protocol.VersionHeader, "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return h, err
	}
	defer resp.Body.Close()
	return h, json.NewDecoder(resp.Body).Decode(&h)
}

// A tote a cart fills is news for every pack bench (an address that is
// a group, not a station): the cart's push wakes a bench's waiting pull
// through the bell, with the re-check an hour away.
func TestPullWaitWakesPackBenchOnTote(t *testing.T) {
	h := newWaitHub(t, hub.ServiceOptions{FeedRecheck: time.Hour}, hub.Options{MaxPullWait: time.Hour})
	h.token, h.bench, h.cursor = sitetest.Register(t, h.svc, "PACK-01"), protocol.BenchPack, ""
	for more := true; more; {
		resp, status, err := h.pull(t, ctx, h.cursor, "")
		if status != http.StatusOK {
			t.Fatalf("the bench's first pull answered %d: %v", status, err)
		}
		h.cursor, more = resp.Cursor, resp.More
	}
	got := h.waitingPull(t, ctx, "1h")
	tk := h.site.Tasks[0]
	ev := floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: tk.ID, Order: tk.OrderID,
		Line: tk.LineNo, Location: tk.Location, SKU: tk.SKU}, Qty: 1, Tote: "T00077"})
	if _, err := h.svc.Push(ctx, station, time.Now(), []protocol.Event{{Station: station, Seq: 1, ID: "ev-tote-1", Operator: "B1001",
		DeviceTime: time.Now().UTC(), Type: string(ev.Type), Payload: ev.Payload}}); err != nil {
		t.Fatal(err)
	}
	p := <-got
	var tote bool
	for _, c := range p.resp.Changes {
		tote = tote || (c.Kind == protocol.KindTote && c.Tote.Code == "T00077")
	}
	if p.status != http.StatusOK || !tote {
		t.Fatalf("the bench's waiting pull answered %d with %+v, want tote T00077", p.status, p.resp.Changes)
	}
}

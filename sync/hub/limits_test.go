package hub_test

import (
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// zeros is an endless body that allocates nothing.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// send posts body to path with the token; length -1 sends it chunked.
func send(t *testing.T, url, path, token string, body io.Reader, length int64, userAgent string) (int, http.Header, protocol.Error) {
	t.Helper()
	req, err := http.NewRequest("POST", url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = length
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(protocol.VersionHeader, "1")
	req.Header.Set("Content-Type", "application/json")
	if userAgent != "" {
		req.Header.Set("User-Agent", userAgent)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var eb protocol.ErrorBody
	b, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(b, &eb)
	return resp.StatusCode, resp.Header, eb.Error
}

// TestOversizedPushesInParallelAreRefusedUnread: eight 66 MiB pushes at
// once from one station token (which took a hub from 20 MB to 1.1 GB)
// are each refused with 413 before a byte is read, and so are eight
// imports from one admin token: the hub allocates next to nothing for
// them (runtime.MemStats.TotalAlloc, this process: hub and clients).
func TestOversizedPushesInParallelAreRefusedUnread(t *testing.T) {
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	token := sitetest.Register(t, h.Store, "PACK-01")
	const size = 66 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	statuses := make(chan int, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path, tok := protocol.PathPush, token
			if i%2 == 1 {
				path, tok = "/admin/v1/reference", h.Admin
			}
			req, _ := http.NewRequest("POST", h.URL+path, io.LimitReader(zeros{}, size))
			req.ContentLength = size
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set(protocol.VersionHeader, "1")
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				statuses <- 0 // the hub closed the connection while the body was sent: also unread
				return
			}
			resp.Body.Close()
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	runtime.ReadMemStats(&after)
	for s := range statuses {
		if s != http.StatusRequestEntityTooLarge && s != 0 {
			t.Errorf("an oversized body got %d, want 413", s)
		}
	}
	grew := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB for 16 bodies of %d MiB", grew>>10, size>>20)
	if grew > 64<<20 { // reading them would take 16 × 66 MiB and more
		t.Fatalf("the hub allocated %d MiB for bodies it should not read", grew>>20)
	}
	if n := h.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM events`); n != nil {
		var c int
		if err := n.Scan(&c); err != nil || c != 0 {
			t.Fatalf("events after the refusals: %d %v", c, err)
		}
	}
}

// TestLargeRequestsPerTokenAreLimited: while a token has as many large
// requests running as the hub allows, the next gets 429 with Retry-After
// and the reason; a hostile (unreadable) body gets 400 and changes
// nothing in the database; then the token may send again.
func TestLargeRequestsPerTokenAreLimited(t *testing.T) {
	h := sitetest.NewHubWith(t, t.TempDir(), hubstore.Options{}, hub.Options{LargePerToken: 1}, nil)
	token := sitetest.Register(t, h.Store, "PACK-01")
	other := sitetest.Register(t, h.Store, "PACK-02")
	pr, pw := io.Pipe()
	first := make(chan int, 1)
	go func() {
		s, _, _ := send(t, h.URL, protocol.PathPush, token, pr, -1, "")
		first <- s
	}()
	// Once the hub reads the body, the request holds the token's place.
	if _, err := pw.Write([]byte(`{"station":"PACK-01","events":[`)); err != nil {
		t.Fatal(err)
	}
	// The client may send those bytes before the hub takes the place.
	for srv := h.Server.Config.Handler.(*hub.Server); hub.LargeInFlight(srv) == 0; {
		runtime.Gosched()
	}
	status, hdr, e := send(t, h.URL, protocol.PathPush, token, strings.NewReader(`{}`), -1, "")
	if status != http.StatusTooManyRequests || hdr.Get("Retry-After") == "" || e.Code != protocol.CodeBusy || !strings.Contains(e.Message, "large requests running") {
		t.Fatalf("a second large push of the token: %d %q %+v", status, hdr.Get("Retry-After"), e)
	}
	// Another token is not held up, nor a small push of the same one.
	if status, _, e := send(t, h.URL, protocol.PathPush, other, strings.NewReader(`{"station":"PACK-02","events":[]}`), -1, ""); status != http.StatusBadRequest {
		t.Fatalf("another token's push: %d %+v", status, e)
	}
	body := `{"station":"PACK-01","events":[]}`
	if status, _, e := send(t, h.URL, protocol.PathPush, token, strings.NewReader(body), int64(len(body)), ""); status != http.StatusBadRequest || !strings.Contains(e.Message, "no events") {
		t.Fatalf("a small push beside the large one: %d %+v", status, e)
	}
	// The held body turns out hostile: cut JSON with a control byte.
	if _, err := pw.Write([]byte("{\"seq\":1,\"id\":\"x\x01\",")); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if s := <-first; s != http.StatusBadRequest {
		t.Fatalf("the hostile body: %d, want 400", s)
	}
	var events, mark int
	if err := h.Store.DB().R.QueryRow(`SELECT (SELECT COUNT(*) FROM events), (SELECT mark FROM stations WHERE id='PACK-01')`).Scan(&events, &mark); err != nil || events != 0 || mark != 0 {
		t.Fatalf("after the hostile body: %d events, mark %d (%v)", events, mark, err)
	}
	// Its place is free again.
	status, _, e = send(t, h.URL, protocol.PathPush, token, strings.NewReader(`{"station":"PACK-01","events":[]}`), -1, "")
	if status != http.StatusBadRequest || e.Code == protocol.CodeBusy {
		t.Fatalf("after the large push ended: %d %+v", status, e)
	}
	// A malformed import changes nothing either.
	var ops int
	status, _, _ = send(t, h.URL, "/admin/v1/reference", h.Admin, strings.NewReader(`{"operators":[{"badge":"B1","name":"A","roles":["picker"]}`), -1, "")
	if err := h.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM operators`).Scan(&ops); err != nil || status != http.StatusBadRequest || ops != 0 {
		t.Fatalf("a cut import: %d, %d operators (%v)", status, ops, err)
	}
}

// TestStationBuildRule: a station older than the hub's minimum, or of a
// newer major version, is refused with 426 and the reason; the same
// build, a newer minor one and a build without a release version are
// served.
func TestStationBuildRule(t *testing.T) {
	h := sitetest.NewHubWith(t, t.TempDir(), hubstore.Options{}, hub.Options{MinStationBuild: "v0.9.0", HubBuild: "v1.2.0"}, nil)
	token := sitetest.Register(t, h.Store, "PACK-01")
	body := `{"station":"PACK-01","events":[]}`
	for _, c := range []struct {
		ua   string
		want int
		says string
	}{
		{"tote/v0.8.9 (a1b2c3d4e5f6)", 426, "older than v0.9.0, the oldest this hub takes"},
		{"tote/v2.0.0", 426, "newer major version than the hub's v1.2.0: update the hub first"},
		{"tote/v0.9.0", 400, ""},
		{"tote/v1.3.1-rc1 (abc)", 400, ""},
		{"tote/(devel)", 400, ""},
		{"curl/8.0", 400, ""},
	} {
		status, _, e := send(t, h.URL, protocol.PathPush, token, strings.NewReader(body), int64(len(body)), c.ua)
		if status != c.want || (c.says != "" && (e.Code != protocol.CodeBuild || !strings.Contains(e.Message, c.says))) {
			t.Errorf("%s: %d %+v, want %d saying %q", c.ua, status, e, c.want, c.says)
		}
	}
	if err := hub.CheckMinStationBuild("0.9"); err == nil {
		t.Error("a minimum that is no release version was taken")
	}
}

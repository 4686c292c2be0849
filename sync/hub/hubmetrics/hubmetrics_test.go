package hubmetrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubmetrics"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

func do(t *testing.T, method, url, token string, body []byte) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set(protocol.VersionHeader, "1")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetrics: pushes and requests show in /metrics, which only a token
// with the read scope may read.
func TestMetrics(t *testing.T) {
	ctx := context.Background()
	hs, err := hubstore.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	m := hubmetrics.New(hs.Stations)
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{Observer: m, Metrics: m.Handler()}))
	defer srv.Close()
	token := hub.NewToken(hub.TokenStation)
	if err := hs.RegisterStation(ctx, "ST-01", "", hub.HashToken(token), time.Now()); err != nil {
		t.Fatal(err)
	}
	reader, err := hub.Issue(ctx, hs, protocol.NewToken{Kind: hub.TokenReader}, hub.Console("test"), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e := floor.NewEvent(floor.EvLoggedIn, "B1", floor.LoginPayload{Badge: "B1"})
	ev := protocol.Event{Station: "ST-01", Seq: 1, ID: "e1", Operator: "B1", DeviceTime: time.Now(), Type: string(e.Type), Payload: e.Payload}
	body, _ := json.Marshal(protocol.PushRequest{Station: "ST-01", Events: []protocol.Event{ev}})
	for range 2 {
		if code, b := do(t, "POST", srv.URL+protocol.PathPush, token, body); code != 200 {
			t.Fatalf("push: %d %s", code, b)
		}
	}
	if code, _ := do(t, "GET", srv.URL+"/metrics", token, nil); code != 403 {
		t.Fatalf("a station token reading metrics: %d", code)
	}
	code, text := do(t, "GET", srv.URL+"/metrics", reader.Token, nil)
	if code != 200 {
		t.Fatalf("metrics: %d %s", code, text)
	}
	for _, want := range []string{
		`tote_hub_events_total{outcome="accepted"} 1`,
		`tote_hub_events_total{outcome="duplicate"} 1`,
		`tote_hub_requests_total{code="200",route="POST /sync/v1/push"} 2`,
		`tote_hub_requests_total{code="403",route="GET /metrics"} 1`,
		`tote_hub_station_mark{station="ST-01"} 1`,
		`tote_hub_station_last_push_age_seconds{station="ST-01"}`,
		`tote_hub_request_seconds_bucket{route="POST /sync/v1/push"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/totewms/tote/internal/shopifytest"
	"github.com/totewms/tote/sync/shopify"
)

// TestHubAsShopifyFulfillmentService runs a real `tote hub` with a
// [shopify] table against the contract server: a request found by the
// poll at start, one brought by a signed notification (a bad signature
// refused), and after a SIGKILL and a restart a cancellation answered
// from the state the hub kept; then a hold the merchant places in Shopify
// reaches the hub's order and is lifted with it, and the office's
// cancellation at the hub closes the fulfillment order.
func TestHubAsShopifyFulfillmentService(t *testing.T) {
	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	shop := shopifytest.New("shpat_e2e", "gid://shopify/Location/77")
	defer shop.Close()
	dir := t.TempDir()
	db := filepath.Join(dir, "hub.db")
	site := filepath.Join(dir, "site.json")
	os.WriteFile(site, []byte(`{"locations":[{"code":"A-01","zone":"A","walk_seq":1}],"items":[{"sku":"MUG-1","description":"Mug","location":"A-01"}]}`), 0o600)
	if code, _, errs := runTote("hub", "import", "--db", db, site); code != 0 {
		t.Fatal(errs)
	}
	code, admin, errs := runTote("hub", "token", "--db", db, "--admin")
	if code != 0 {
		t.Fatal(errs)
	}
	admin = strings.TrimSpace(admin)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("app-secret\n"), 0o600)
	conf := filepath.Join(dir, "hub.toml")
	os.WriteFile(conf, []byte(`[hub]
db = "`+db+`"
listen = "127.0.0.1:0"

[shopify]
shop = "tote-e2e.myshopify.com"
api_version = "2025-01"
access_token_env = "TOTE_TEST_SHOPIFY_TOKEN"
callback_secret_file = "`+filepath.Join(dir, "secret")+`"
location_id = "77"
poll_interval = "24h"
endpoint = "`+shop.Endpoint()+`"
`), 0o600)
	dest := map[string]any{"firstName": "Olivia", "address1": "1 Main St", "city": "Springfield", "zip": "62701", "countryCode": "US"}
	first := shop.Add(shopifytest.FO{OrderName: "#1001", Destination: dest, Lines: []*shopifytest.Line{{SKU: "MUG-1", Total: 2}}})

	var logs bytes.Buffer
	start := func() (*exec.Cmd, string) {
		cmd := exec.Command(bin, "hub", "--config", conf)
		cmd.Env = append(os.Environ(), "TOTE_TEST_SHOPIFY_TOKEN=shpat_e2e")
		out, _ := cmd.StdoutPipe()
		cmd.Stderr = &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		re := regexp.MustCompile(`on (http://\S+)`)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				go io.Copy(io.Discard, out)
				return cmd, m[1]
			}
		}
		cmd.Process.Kill()
		t.Fatalf("the hub did not start: %s", logs.String())
		return nil, ""
	}
	hub, addr := start()
	waitUntil(t, "the first request accepted by the poll at start", func() bool { return shop.Get(first).RequestStatus == "ACCEPTED" })

	second := shop.Add(shopifytest.FO{OrderName: "#1002", Destination: dest, Lines: []*shopifytest.Line{{SKU: "MUG-1", Total: 1}}})
	body := []byte(`{"kind":"FULFILLMENT_REQUEST"}`)
	post := func(sig string) int {
		req, _ := http.NewRequest(http.MethodPost, addr+shopify.CallbackPath, bytes.NewReader(body))
		req.Header.Set("X-Shopify-Hmac-Sha256", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(shopify.Sign("not the secret", body)); code != http.StatusUnauthorized {
		t.Fatalf("a bad signature: %d", code)
	}
	if code := post(shopify.Sign("app-secret", body)); code != http.StatusOK {
		t.Fatalf("a good notification: %d", code)
	}
	waitUntil(t, "the second request accepted after the notification", func() bool { return shop.Get(second).RequestStatus == "ACCEPTED" })

	hub.Process.Signal(syscall.SIGKILL)
	hub.Wait()
	shop.RequestCancellation(first)
	hub, addr = start()
	defer func() { hub.Process.Signal(syscall.SIGTERM); hub.Wait() }()
	waitUntil(t, "the cancellation accepted after the restart", func() bool { return shop.Get(first).RequestStatus == "CANCELLATION_ACCEPTED" })
	if n := strings.Count(strings.Join(shop.Calls(), " "), "fulfillmentOrderAcceptFulfillmentRequest"); n != 2 {
		t.Fatalf("%d accepts for two requests", n)
	}
	// The second request's accept may have been answered just before the
	// kill, its record not yet written: the restarted hub settles it.
	var out string
	waitUntil(t, "the status to show both", func() bool {
		var code int
		code, out, _ = runTote("hub", "shopify", "status", "--db", db)
		return code == 0 && strings.Contains(out, "facts handled up to") && strings.Contains(out, first+"\tSH1001\tcancelled") &&
			strings.Contains(out, second+"\tSH1002\taccepted")
	})

	call := func(method, path, body string) string {
		req, _ := http.NewRequest(method, addr+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		return string(b)
	}
	fraud := shop.PlaceMerchantHold(second, "HIGH_RISK_OF_FRAUD", "check card")
	if code := post(shopify.Sign("app-secret", body)); code != http.StatusOK {
		t.Fatalf("a notification: %d", code)
	}
	waitUntil(t, "Shopify's hold on the hub's order", func() bool {
		return strings.Contains(call(http.MethodGet, "/api/v1/orders/SH1002", ""), "HIGH_RISK_OF_FRAUD")
	})
	shop.ReleaseMerchantHold(second, fraud)
	post(shopify.Sign("app-secret", body))
	waitUntil(t, "Shopify's hold lifted at the hub", func() bool {
		return !strings.Contains(call(http.MethodGet, "/api/v1/orders/SH1002", ""), "HIGH_RISK_OF_FRAUD")
	})
	call(http.MethodPost, "/admin/v1/orders/SH1002/cancel", `{"reason":"customer phoned"}`)
	waitUntil(t, "the fulfillment order closed after the office's cancellation", func() bool { return shop.Get(second).Status == "INCOMPLETE" })
	if m := shop.Get(second).Messages; m[len(m)-1] != "cancelled at the warehouse: customer phoned" {
		t.Fatalf("messages %q", m)
	}
}

func waitUntil(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		<-tick.C
	}
}

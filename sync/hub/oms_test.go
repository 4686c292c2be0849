package hub_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/totewms/tote/sync/protocol"
)

// TestCarrierLabelCheckedAtImport: the label the issue found stored (~JA,
// ~JR, ^ID, ^JU, ^DF, answered 201) is refused with its reason, as is one
// that would turn every later label; a carrier's real-looking label is
// taken.
func TestCarrierLabelCheckedAtImport(t *testing.T) {
	f := newFixture(t, nil)
	order := f.site.Tasks[0].OrderID
	path := "/admin/v1/orders/" + order + "/labels"
	for zpl, says := range map[string]string{
		"~JA~JR^ID^JU^DF\n^XA^FO10,10^A0N,30,30^FDx^FS^XZ": "~JA",
		"^XA^ID R:*.*^FDx^FS^XZ":                           "^ID",
		"^XA^POI^FO10,10^A0N,30,30^FDx^FS^XZ":              "^PO",
		"^XA^FO10,10^A0N,30,30^FDx^FS^XZ^XA^FDy^FS^XZ":     "second format",
	} {
		a := f.admin(t, "POST", path, protocol.Label{Tracking: "1Z999AA10123456784", Carrier: "UPS", Data: zpl})
		e := a.err(t, 400, protocol.CodeBadRequest)
		if !strings.Contains(e.Message, says) || !strings.Contains(e.Message, "nothing was stored") {
			t.Errorf("%q: %s (want %q named)", zpl, e.Message, says)
		}
	}
	var n int
	if err := f.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM carrier_labels`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d refused labels stored (%v)", n, err)
	}
	ups, err := os.ReadFile("../../labels/testdata/carrier/ups_ground.zpl")
	if err != nil {
		t.Fatal(err)
	}
	if a := f.admin(t, "POST", path, protocol.Label{Tracking: "1Z999AA10123456784", Carrier: "UPS", Data: string(ups)}); a.status != 201 {
		t.Fatalf("a carrier's label: %d %s", a.status, a.body)
	}
}

// TestFactsFeedAndWebhookAdmin: the feed over HTTP pages in commit order
// and resumes from its cursor; the webhook admin API adds, lists, rotates
// and lists deliveries.
func TestFactsFeedAndWebhookAdmin(t *testing.T) {
	f := newFixture(t, nil)
	var all []protocol.Fact
	next := "0"
	for range 100 {
		a := call(t, "GET", f.URL+"/api/v1/facts?limit=2&after="+next, f.Admin, "", nil)
		var p protocol.FactPage
		if a.status != 200 || json.Unmarshal(a.body, &p) != nil {
			t.Fatalf("facts: %d %s", a.status, a.body)
		}
		if len(p.Facts) == 0 {
			break
		}
		if len(p.Facts) > 2 {
			t.Fatalf("a page of %d facts, limit 2", len(p.Facts))
		}
		all = append(all, p.Facts...)
		next = strings.TrimSpace(string(mustJSON(t, p.Next)))
	}
	orders := map[string]bool{}
	for i, fc := range all {
		if fc.Kind != protocol.FactAccepted || fc.Seq != 1 || (i > 0 && fc.ID <= all[i-1].ID) {
			t.Fatalf("fact %d: %+v", i, fc)
		}
		orders[fc.Order] = true
	}
	if len(orders) == 0 || len(orders) != len(all) {
		t.Fatalf("facts %+v", all)
	}
	call(t, "GET", f.URL+"/api/v1/facts?after=-1", f.Admin, "", nil).err(t, 400, protocol.CodeBadRequest)

	a := f.admin(t, "POST", "/admin/v1/webhooks", protocol.NewWebhook{ID: "oms", URL: "https://oms.example.com/tote", Kinds: []string{protocol.FactShipped}})
	var info protocol.WebhookInfo
	if a.status != 201 || json.Unmarshal(a.body, &info) != nil || !strings.HasPrefix(info.Secret, "whsec_") || info.Scanned != all[len(all)-1].ID {
		t.Fatalf("add: %d %s", a.status, a.body)
	}
	f.admin(t, "POST", "/admin/v1/webhooks", protocol.NewWebhook{ID: "oms", URL: "https://oms.example.com/tote"}).err(t, 409, protocol.CodeConflict)
	f.admin(t, "POST", "/admin/v1/webhooks", protocol.NewWebhook{URL: "ftp://x"}).err(t, 400, protocol.CodeBadRequest)
	f.admin(t, "POST", "/admin/v1/webhooks", protocol.NewWebhook{URL: "https://x", Kinds: []string{"order.teleported"}}).err(t, 400, protocol.CodeBadRequest)
	if a := call(t, "GET", f.URL+"/admin/v1/webhooks", f.Admin, "", nil); a.status != 200 || strings.Contains(string(a.body), info.Secret) || !strings.Contains(string(a.body), `"oms"`) {
		t.Fatalf("list (must not show the secret): %d %s", a.status, a.body)
	}
	a = f.admin(t, "POST", "/admin/v1/webhooks/oms/rotate?overlap=1h", nil)
	var rot protocol.WebhookInfo
	if a.status != 200 || json.Unmarshal(a.body, &rot) != nil || rot.Secret == info.Secret || rot.PrevUntil == nil {
		t.Fatalf("rotate: %d %s", a.status, a.body)
	}
	if a := call(t, "GET", f.URL+"/admin/v1/webhooks/oms/deliveries?status=dead", f.Admin, "", nil); a.status != 200 || string(a.body) != "{\"deliveries\":[]}\n" {
		t.Fatalf("deliveries: %d %s", a.status, a.body)
	}
	call(t, "GET", f.URL+"/admin/v1/webhooks/oms/deliveries?status=lost", f.Admin, "", nil).err(t, 400, protocol.CodeBadRequest)
	f.admin(t, "POST", "/admin/v1/webhooks/nope/replay", nil).err(t, 404, protocol.CodeNotFound)
	f.admin(t, "POST", "/admin/v1/webhooks/oms/replay?delivery=dl_x", nil).err(t, 404, protocol.CodeNotFound)
}

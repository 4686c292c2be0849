package hub_test

import (
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// count is one number from the hub's database.
func (f *fixture) count(t *testing.T, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.Store.DB().R.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// mint makes a token over the admin API with the fixture's full admin token.
func (f *fixture) mint(t *testing.T, req protocol.NewToken) protocol.Registered {
	t.Helper()
	a := f.admin(t, "POST", "/admin/v1/tokens", req)
	if a.status != http.StatusCreated {
		t.Fatalf("token %+v: %d %s", req, a.status, a.body)
	}
	var reg protocol.Registered
	if err := json.Unmarshal(a.body, &reg); err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestAuthorizationSchemeIgnoresCase: RFC 9110 auth schemes are
// case-insensitive; other schemes and empty tokens are refused.
func TestAuthorizationSchemeIgnoresCase(t *testing.T) {
	f := newFixture(t, nil)
	for _, scheme := range []string{"Bearer", "bearer", "BEARER", "bEaReR"} {
		req, _ := http.NewRequest("GET", f.URL+protocol.PathHello, nil)
		req.Header.Set("Authorization", scheme+" "+f.token)
		req.Header.Set(protocol.VersionHeader, "1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("scheme %q: %d", scheme, resp.StatusCode)
		}
	}
	for _, h := range []string{"Basic " + f.token, "Bearer", "Bearer   ", f.token} {
		req, _ := http.NewRequest("GET", f.URL+protocol.PathHello, nil)
		req.Header.Set("Authorization", h)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("header %q: %d, want 401", h, resp.StatusCode)
		}
	}
}

// TestScopes: each admin endpoint needs its scope; a refusal changes
// nothing and is in the audit log with the token that tried.
func TestScopes(t *testing.T) {
	f := newFixture(t, nil)
	reader := f.mint(t, protocol.NewToken{Kind: hub.TokenReader})
	importer := f.mint(t, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeImport}, Label: "ERP"})
	if len(reader.Scopes) != 1 || reader.Scopes[0] != hub.ScopeRead || reader.Kind != hub.TokenAdmin || !strings.HasPrefix(reader.ID, "tk-") {
		t.Fatalf("reader token %+v", reader)
	}
	orders := f.count(t, `SELECT COUNT(*) FROM orders`)
	order := []byte(`{"orders":[{"id":"SO-X","ship_to":{"name":"A","line1":"1 St","city":"C","country":"US"},"lines":[{"line":1,"sku":"` + f.site.Items[0].SKU + `","qty":1}]}]}`)
	call(t, "POST", f.URL+"/admin/v1/orders", reader.Token, "application/json", order).err(t, 403, protocol.CodeForbidden)
	call(t, "POST", f.URL+"/admin/v1/orders", f.token, "application/json", order).err(t, 403, protocol.CodeForbidden)
	call(t, "POST", f.URL+"/admin/v1/waves", importer.Token, "application/json", []byte(`{"id":"W-X","orders":["SO-X"]}`)).err(t, 403, protocol.CodeForbidden)
	if n := f.count(t, `SELECT COUNT(*) FROM orders`); n != orders {
		t.Fatalf("refused imports wrote orders: %d, then %d", orders, n)
	}
	if a := call(t, "GET", f.URL+"/api/v1/orders/"+f.site.Orders[0].ID, reader.Token, "", nil); a.status != 200 {
		t.Fatalf("a read token reading: %d %s", a.status, a.body)
	}
	if a := call(t, "POST", f.URL+"/admin/v1/orders", importer.Token, "application/json", order); a.status != 200 {
		t.Fatalf("an import token importing: %d %s", a.status, a.body)
	}
	// Neither mints an admin token, nor reads the token list.
	call(t, "POST", f.URL+"/admin/v1/tokens", importer.Token, "application/json", mustJSON(t, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeImport}})).err(t, 403, protocol.CodeForbidden)
	call(t, "POST", f.URL+"/admin/v1/tokens", reader.Token, "application/json", mustJSON(t, protocol.NewToken{Kind: hub.TokenStation, Station: station})).err(t, 403, protocol.CodeForbidden)
	call(t, "GET", f.URL+"/admin/v1/tokens", reader.Token, "", nil).err(t, 403, protocol.CodeForbidden)
	// A token manager cannot grant a scope it does not hold.
	keeper := f.mint(t, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeTokens, hub.ScopeRead}})
	call(t, "POST", f.URL+"/admin/v1/tokens", keeper.Token, "application/json", mustJSON(t, protocol.NewToken{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeImport}})).err(t, 403, protocol.CodeForbidden)
	tokens := f.count(t, `SELECT COUNT(*) FROM tokens`)
	if tokens != 5 { // admin, ST-01, reader, importer, keeper
		t.Fatalf("%d tokens after refused mints, want 5", tokens)
	}

	// The audit log names who did what.
	a := call(t, "GET", f.URL+"/admin/v1/audit", keeper.Token, "", nil)
	var log struct{ Audit []hub.AuditEntry }
	if err := json.Unmarshal(a.body, &log); err != nil || a.status != 200 {
		t.Fatalf("audit: %d %s", a.status, a.body)
	}
	var done, refused int
	for _, e := range log.Audit {
		switch {
		case e.Actor == importer.ID && e.Action == "POST /admin/v1/orders" && e.Outcome == hub.AuditDone:
			done++
		case e.Actor == reader.ID && e.Action == "POST /admin/v1/orders" && e.Outcome == hub.AuditRefused && strings.Contains(e.Detail, "import"):
			refused++
		case e.Actor == keeper.ID && e.Outcome == hub.AuditRefused:
			refused++
		case e.Actor != importer.ID && e.Outcome == hub.AuditDone && e.Actor != hub.TokenID(hub.HashToken(f.Admin)):
			t.Errorf("a refused action recorded as done: %+v", e)
		}
	}
	if done != 1 || refused != 2 {
		t.Fatalf("audit log %+v: %d done, %d refused", log.Audit, done, refused)
	}
	var stationRefused int64 = f.count(t, `SELECT COUNT(*) FROM audit WHERE actor LIKE 'station ST-01%' AND outcome='refused'`)
	if stationRefused != 1 {
		t.Fatalf("the station token's try at an admin endpoint: %d audit rows", stationRefused)
	}
}

// TestRevokeAndRotate: a station gets a second token, the old one is
// revoked over the API, and the station goes on with the new one: no
// moment without a working token.
func TestRevokeAndRotate(t *testing.T) {
	f := newFixture(t, nil)
	old := f.token
	next := f.mint(t, protocol.NewToken{Kind: hub.TokenStation, Station: station})
	f.push(t, f.events(1, 1)).push(t)
	f.token = next.Token
	f.push(t, f.events(2, 2)).push(t)
	oldID := hub.TokenID(hub.HashToken(old))
	if a := f.admin(t, "DELETE", "/admin/v1/tokens/"+oldID, nil); a.status != 200 {
		t.Fatalf("revoke: %d %s", a.status, a.body)
	}
	f.token = old
	e := f.push(t, f.events(3, 3)).err(t, 401, protocol.CodeUnauth)
	if !strings.Contains(e.Message, "revoked") {
		t.Fatalf("a revoked token's message: %q", e.Message)
	}
	if n, mark := f.heldAtHub(t); n != 2 || mark != 2 {
		t.Fatalf("after the revoked push: %d events, mark %d", n, mark)
	}
	f.token = next.Token
	f.push(t, f.events(3, 3)).push(t)
	f.admin(t, "DELETE", "/admin/v1/tokens/tk-nothing", nil).err(t, 404, protocol.CodeNotFound)
	var list struct{ Tokens []hub.TokenRecord }
	a := f.admin(t, "GET", "/admin/v1/tokens", nil)
	if err := json.Unmarshal(a.body, &list); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(a.body), hub.HashToken(old)) || strings.Contains(string(a.body), old) {
		t.Fatal("the token list shows a token or its hash")
	}
	revoked := 0
	for _, tk := range list.Tokens {
		if tk.RevokedAt != nil {
			revoked++
			if tk.ID != oldID {
				t.Fatalf("revoked %s, want %s", tk.ID, oldID)
			}
		}
	}
	if revoked != 1 || f.count(t, `SELECT COUNT(*) FROM audit WHERE action=? AND outcome='done'`, "DELETE /admin/v1/tokens/"+oldID) != 1 {
		t.Fatalf("revocations %d, or no audit row", revoked)
	}
}

// TestOverflowIsRefused is issue 19's: units picked twice with the
// largest quantity for a 2-unit line were both accepted and the order
// then answered 500. Both are refused, nothing moves, the order reads.
func TestOverflowIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	task := f.site.Tasks[0]
	ev := func(seq int64, typ floor.EventType, payload map[string]any) protocol.Event {
		b, _ := json.Marshal(payload)
		return protocol.Event{Station: station, Seq: seq, ID: "ov-" + string(rune('a'+seq)), Operator: "B1001", DeviceTime: time.Now().UTC(), Type: string(typ), Payload: b}
	}
	p := map[string]any{"task": task.ID, "order": task.OrderID, "line": task.LineNo, "sku": task.SKU, "qty": int64(math.MaxInt64), "tote": "T1"}
	u := map[string]any{"task": task.ID, "order": task.OrderID, "line": task.LineNo, "sku": task.SKU, "qty": -int64(math.MaxInt64)}
	resp := f.push(t, []protocol.Event{ev(1, floor.EvUnitsPicked, p), ev(2, floor.EvUnitsPicked, p), ev(3, floor.EvPickUndone, u), ev(4, floor.EvPickUndone, u)}).push(t)
	for _, o := range resp.Outcomes {
		if o.Status != protocol.Rejected || o.Reason == "" {
			t.Fatalf("outcome %+v", o)
		}
	}
	if n := f.count(t, `SELECT COALESCE(SUM(picked),0) FROM line_progress WHERE order_id=?`, task.OrderID); n != 0 {
		t.Fatalf("picked %d after refused events", n)
	}
	if a := call(t, "GET", f.URL+"/api/v1/orders/"+task.OrderID, f.Admin, "", nil); a.status != 200 {
		t.Fatalf("the order after the refused events: %d %s", a.status, a.body)
	}
}

// TestAnotherStationsWorkIsRefused is issue 19's: a station reporting on
// an order of another station's wave is refused, and the wave can still
// be reassigned.
func TestAnotherStationsWorkIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	otherToken := sitetest.Register(t, f.Store, "ST-02")
	task := f.site.Tasks[0]
	b, _ := json.Marshal(floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: task.ID, Order: task.OrderID, Line: task.LineNo, SKU: task.SKU}, Qty: 1, Tote: "T9"})
	ev := protocol.Event{Station: "ST-02", Seq: 1, ID: "st02-1", Operator: "B1001", DeviceTime: time.Now().UTC(), Type: string(floor.EvUnitsPicked), Payload: b}
	a := call(t, "POST", f.URL+protocol.PathPush, otherToken, "application/json", mustJSON(t, protocol.PushRequest{Station: "ST-02", Events: []protocol.Event{ev}}))
	o := a.push(t).Outcomes[0]
	if o.Status != protocol.Rejected || !strings.Contains(o.Reason, "not by station ST-02") {
		t.Fatalf("a pick of another station's order: %+v", o)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM line_progress WHERE order_id=? AND picked>0`, task.OrderID); n != 0 {
		t.Fatalf("the refused pick moved %d lines", n)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM conflicts WHERE station='ST-02' AND kind=?`, hub.ConflictNotItsWork); n != 1 {
		t.Fatalf("%d conflicts", n)
	}
	// Its id is now taken: ST-01 cannot use it.
	mine := ev
	mine.Station = station
	if o := f.push(t, []protocol.Event{mine}).push(t).Outcomes[0]; o.Status != protocol.Rejected || !strings.Contains(o.Reason, "ST-02") {
		t.Fatalf("another station's event id: %+v", o)
	}
	if a := f.admin(t, "POST", "/admin/v1/waves/"+f.site.Waves[0].ID+"/assign", protocol.Assign{Station: "ST-02"}); a.status != 200 {
		t.Fatalf("reassigning the wave: %d %s", a.status, a.body)
	}
}

// TestUncleanPushIsRefusedWhole: invalid UTF-8 or control characters in
// an id, type or payload get a 400 and nothing is stored.
func TestUncleanPushIsRefusedWhole(t *testing.T) {
	f := newFixture(t, nil)
	for _, body := range []string{
		`{"station":"ST-01","events":[{"station":"ST-01","seq":1,"id":"e\u0001","type":"x.y","device_time":"2026-03-02T09:00:00Z","payload":{}}]}`,
		`{"station":"ST-01","events":[{"station":"ST-01","seq":1,"id":"e1","type":"x.y\n","device_time":"2026-03-02T09:00:00Z","payload":{}}]}`,
		"{\"station\":\"ST-01\",\"events\":[{\"station\":\"ST-01\",\"seq\":1,\"id\":\"e1\",\"type\":\"x.y\",\"device_time\":\"2026-03-02T09:00:00Z\",\"payload\":{\"a\":\"\xff\xfe\"}}]}",
		`{"station":"ST-01","events":[{"station":"ST-01","seq":1,"id":"e1","type":"x.y","device_time":"2026-03-02T09:00:00Z","payload":{"a":"\ud800"}}]}`,
	} {
		call(t, "POST", f.URL+protocol.PathPush, f.token, "application/json", []byte(body)).err(t, 400, protocol.CodeBadRequest)
	}
	if n, mark := f.heldAtHub(t); n != 0 || mark != 0 {
		t.Fatalf("after refused pushes: %d events, mark %d", n, mark)
	}
}

// TestInternalErrorsCarryNoSQL: a store failure answers 500 with a
// reference to the hub's log, never the database's words.
func TestInternalErrorsCarryNoSQL(t *testing.T) {
	f := newFixture(t, nil)
	if _, err := f.Store.DB().W.Exec(`DROP TABLE line_progress`); err != nil {
		t.Fatal(err)
	}
	a := call(t, "GET", f.URL+"/api/v1/orders/"+f.site.Orders[0].ID, f.Admin, "", nil)
	e := a.err(t, 500, protocol.CodeInternal)
	for _, leak := range []string{"line_progress", "SQL", "sql", "no such table"} {
		if strings.Contains(string(a.body), leak) {
			t.Fatalf("the 500 says %q: %s", leak, a.body)
		}
	}
	if !strings.Contains(e.Message, "ref ") {
		t.Fatalf("the 500 gives no log reference: %q", e.Message)
	}
}

// TestCSVFormulasAreRefused: a text value a spreadsheet would run as a
// formula is refused with its line; numbers may be negative (and are
// then refused as quantities, not as formulas).
func TestCSVFormulasAreRefused(t *testing.T) {
	head := "order_id,line_no,sku,qty,customer,ship_to_name,ship_to_line1,ship_to_city,ship_to_country\n"
	for _, c := range []struct{ row, says string }{
		{`SO-1,1,MUG-1,1,"=HYPERLINK(""http://x"")",A,1 St,C,US`, "customer"},
		{`SO-1,1,MUG-1,1,Olivia,@SUM(A1),1 St,C,US`, "ship_to_name"},
		{`+SO-1,1,MUG-1,1,Olivia,A,1 St,C,US`, "order_id"},
		{`SO-1,1,-MUG-1,1,Olivia,A,1 St,C,US`, "sku"},
		{`SO-1,1,MUG-1,1,Olivia,A,"-2+3+cmd|' /C calc'!A0",C,US`, "ship_to_line1"},
	} {
		_, err := hub.ParseOrdersCSV(strings.NewReader(head + c.row + "\n"))
		if err == nil || !strings.Contains(err.Error(), "line 2: "+c.says) || !strings.Contains(err.Error(), "formula") {
			t.Errorf("%s: %v", c.row, err)
		}
	}
	orders, err := hub.ParseOrdersCSV(strings.NewReader(head + "SO-1,1,MUG-1,2,Olivia O'Neil,A,1 St,C,US\n"))
	if err != nil || len(orders) != 1 || orders[0].Customer != "Olivia O'Neil" {
		t.Fatalf("a plain row: %+v %v", orders, err)
	}
	if _, err := hub.ParseOrdersCSV(strings.NewReader(head + "SO-1,1,MUG-1,-2,Olivia,A,1 St,C,US\n")); err == nil || strings.Contains(err.Error(), "formula") {
		t.Fatalf("a negative quantity: %v", err)
	}
}

// TestPINsAtImport: a PIN in clear needs the site's digits (6 by
// default) and is kept salted and slow; an old unsalted hash is refused.
func TestPINsAtImport(t *testing.T) {
	f := newFixture(t, nil)
	ops := f.count(t, `SELECT COUNT(*) FROM operators`)
	short := protocol.Reference{Operators: []protocol.Operator{{Badge: "B77", Name: "Ana", Roles: []string{"supervisor"}, PIN: "2468"}}}
	e := f.admin(t, "POST", "/admin/v1/reference", short).err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, "6 to 12 digits") {
		t.Fatalf("a 4-digit PIN: %q", e.Message)
	}
	legacy := protocol.Reference{Operators: []protocol.Operator{{Badge: "B77", Name: "Ana", Roles: []string{"supervisor"},
		PINHash: "0b14d501a594442a01c6859541bcb3e8164d183d32937b851835442f69d5c94e"}}}
	f.admin(t, "POST", "/admin/v1/reference", legacy).err(t, 400, protocol.CodeBadRequest)
	if n := f.count(t, `SELECT COUNT(*) FROM operators`); n != ops {
		t.Fatalf("refused imports wrote operators: %d then %d", ops, n)
	}
	good := protocol.Reference{Operators: []protocol.Operator{{Badge: "B77", Name: "Ana", Roles: []string{"supervisor"}, PIN: "246813"}}}
	if a := f.admin(t, "POST", "/admin/v1/reference", good); a.status != 200 {
		t.Fatalf("a 6-digit PIN: %d %s", a.status, a.body)
	}
	var h string
	if err := f.Store.DB().R.QueryRow(`SELECT pin_hash FROM operators WHERE badge='B77'`).Scan(&h); err != nil {
		t.Fatal(err)
	}
	op := floor.Operator{Badge: "B77", PINHash: h}
	if !strings.HasPrefix(h, "scrypt$") || !op.PINMatches("246813") || op.PINMatches("246814") {
		t.Fatalf("stored hash %q", h)
	}
	// A site may allow 4 digits.
	if err := f.Store.SetSetting(ctx, hub.SettingPINMinDigits, "4"); err != nil {
		t.Fatal(err)
	}
	if a := f.admin(t, "POST", "/admin/v1/reference", short); a.status != 200 {
		t.Fatalf("a 4-digit PIN where 4 are allowed: %d %s", a.status, a.body)
	}
}

// TestReadyz: /readyz writes through the store, so a database that
// cannot take a write makes it fail while /healthz still answers.
func TestReadyz(t *testing.T) {
	f := newFixture(t, nil)
	if a := call(t, "GET", f.URL+"/readyz", "", "", nil); a.status != 200 {
		t.Fatalf("readyz: %d %s", a.status, a.body)
	}
	if _, err := f.Store.DB().W.Exec(`PRAGMA query_only=1`); err != nil {
		t.Fatal(err)
	}
	a := call(t, "GET", f.URL+"/readyz", "", "", nil)
	a.err(t, 503, protocol.CodeUnavailable)
	if strings.Contains(string(a.body), "readonly") || strings.Contains(string(a.body), "SQL") {
		t.Fatalf("readyz says the database's words: %s", a.body)
	}
	if h := call(t, "GET", f.URL+"/healthz", "", "", nil); h.status != 200 {
		t.Fatalf("healthz while the store cannot write: %d", h.status)
	}
	if _, err := f.Store.DB().W.Exec(`PRAGMA query_only=0`); err != nil {
		t.Fatal(err)
	}
	if a := call(t, "GET", f.URL+"/readyz", "", "", nil); a.status != 200 {
		t.Fatalf("readyz after: %d %s", a.status, a.body)
	}
}

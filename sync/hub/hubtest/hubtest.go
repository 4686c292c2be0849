// Package hubtest is the conformance suite every hub store must pass: Run
// puts the hub's rules (hub.Service) over a fresh store and checks what the floor and
// the office rely on (push idempotence, the gapless mark, outcomes and
// conflicts, the pull feed's completeness and order, cursors, imports,
// station numbers, tokens). hubstore's test runs it on SQLite, pgstore's
// on PostgreSQL.
package hubtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// Open gives a new, empty store of the kind under test. The test closes
// what it opened with t.Cleanup.
type Open func(t *testing.T) hub.Store

// Run runs every conformance test against stores made by open.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{
		{"StationNumbers", stationNumbers},
		{"Tokens", tokens},
		{"ImportValidation", importValidation},
		{"SKUCaseIsASCII", skuCaseIsASCII},
		{"PushResendChangesNothing", pushResend},
		{"PushGapsAndForeignJournals", pushGaps},
		{"OutcomesPerEvent", outcomes},
		{"AdmissionRefusesAndChangesNothing", admission},
		{"ResentWithOtherContentIsRefused", resentOther},
		{"ReadyWrites", func(t *testing.T, h *hub.Service) {
			must(t, h.Ready(ctx, at))
			must(t, h.Ready(ctx, at.Add(time.Second)))
		}},
		{"CancelConflicts", cancelConflicts},
		{"DuplicateSSCC", duplicateSSCC},
		{"FeedCompleteAndOrdered", feedComplete},
		{"FeedCursors", feedCursors},
		{"HoldsReachStations", holds},
		{"ExceptionResolutions", resolutions},
		{"OrderLife", orderLife},
	}
	tests = append(tests, extra...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, hub.New(open(t), hub.ServiceOptions{})) })
	}
	t.Run("SupervisorAggregates", func(t *testing.T) { aggregates(t, open) })
	t.Run("ToteFillTwoHubs", func(t *testing.T) { toteFillTwoHubs(t, open) })
	for _, tc := range outboxTests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
	// The port's own methods, on a bare store.
	t.Run("LifeRecords", func(t *testing.T) { lifeRecords(t, open(t)) })
	t.Run("RowsRewritten", func(t *testing.T) { rowsRewritten(t, open(t)) })
}

var errRollback = errors.New("roll back")

// extra are the tests of files of their own (totes.go), added at init.
var extra []struct {
	name string
	fn   func(*testing.T, *hub.Service)
}

// plugIn adds a test of a file of its own to the suite (at init).
func plugIn(name string, fn func(*testing.T, *hub.Service)) {
	extra = append(extra, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{name, fn})
}

var (
	ctx = context.Background()
	at  = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

func code(err error) string {
	var pe *protocol.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func wantCode(t *testing.T, err error, want, what string) {
	t.Helper()
	if code(err) != want {
		t.Fatalf("%s: got %v, want a %s error", what, err, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func register(t *testing.T, h *hub.Service, id string) {
	t.Helper()
	must(t, h.RegisterStation(ctx, id, "", "hash-"+id, at))
	// A station states its bench on its pull: PACK-… runs the pack bench,
	// DOCK-… the dispatch bench (who may report what, validate_bench.go).
	switch {
	case strings.HasPrefix(id, "PACK-"):
		must(t, h.NoteBench(ctx, id, protocol.BenchPack))
	case strings.HasPrefix(id, "DOCK-"):
		must(t, h.NoteBench(ctx, id, hub.BenchDispatch))
	case strings.HasPrefix(id, "RET-"):
		must(t, h.NoteBench(ctx, id, protocol.BenchReturns))
	}
}

// ship closes pickup P1 with the parcels at the dock (DOCK-01, which
// ship registers when it must).
func ship(t *testing.T, h *hub.Service, ssccs ...string) {
	t.Helper()
	if _, ok, _ := stationOf(h, "DOCK-01"); !ok {
		register(t, h, "DOCK-01")
	}
	evs, err := h.StationEvents(ctx, "DOCK-01", 0, 1000)
	must(t, err)
	d := &journal{station: "DOCK-01", seq: int64(len(evs))}
	resp, err := h.Push(ctx, "DOCK-01", at, []protocol.Event{
		d.ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "P1", SSCCs: ssccs})})
	must(t, err)
	if o := resp.Outcomes[0]; o.Status != protocol.Accepted {
		t.Fatalf("closing the pickup: %+v", o)
	}
}

func stationOf(h *hub.Service, id string) (protocol.StationInfo, bool, error) {
	sts, err := h.Stations(ctx)
	for _, s := range sts {
		if s.ID == id {
			return s, true, err
		}
	}
	return protocol.StationInfo{}, false, err
}

var addr = protocol.Address{Name: "Olivia", Line1: "1 Main St", City: "Springfield", Country: "US"}

// site imports two locations, two items and n orders SO-1..SO-n of two
// lines each.
func site(t *testing.T, h *hub.Service, n int) {
	t.Helper()
	_, err := h.ImportReference(ctx, protocol.Reference{
		Locations: []protocol.Location{{Code: "A-01", Zone: "A", WalkSeq: 20}, {Code: "A-02", Zone: "A", WalkSeq: 10}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01", GTINs: []string{"00012345600012"}},
			{SKU: "CUP-1", Description: "Cup", Location: "A-02"}},
	})
	must(t, err)
	var orders []protocol.Order
	for i := 1; i <= n; i++ {
		orders = append(orders, protocol.Order{ID: fmt.Sprintf("SO-%d", i), Customer: "Olivia", ShipTo: addr,
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 2}, {Line: 2, SKU: "CUP-1", Qty: 1}}})
	}
	res, err := h.ImportOrders(ctx, orders, at)
	must(t, err)
	if res.Orders != n {
		t.Fatalf("imported %d orders, want %d", res.Orders, n)
	}
}

// journal builds a station's events from seq first on.
type journal struct {
	station string
	seq     int64
}

func (j *journal) ev(typ string, payload any) protocol.Event {
	j.seq++
	b, _ := json.Marshal(payload)
	return protocol.Event{Station: j.station, Seq: j.seq, ID: fmt.Sprintf("%s-%d", j.station, j.seq), Operator: "B1",
		DeviceTime: at, Type: typ, Payload: b}
}

func picked(order string, line, qty int) any {
	sku := "MUG-1" // the site's line 1; line 2 is CUP-1
	if line == 2 {
		sku = "CUP-1"
	}
	return floor.UnitsPayload{TaskPayload: floor.TaskPayload{Order: order, Line: line, SKU: sku}, Qty: qty, Tote: "T-" + order} // a tote per order, as the carts keep them
}

func label(order, shipment, sscc string) any {
	return map[string]any{"order": order, "shipment": shipment, "sscc": sscc, "lines": []map[string]int{{"line": 1, "qty": 2}}}
}

func mark(t *testing.T, h *hub.Service, station string) int64 {
	t.Helper()
	sts, err := h.Stations(ctx)
	must(t, err)
	for _, s := range sts {
		if s.ID == station {
			return s.Mark
		}
	}
	t.Fatalf("station %s is not listed", station)
	return 0
}

func stationNumbers(t *testing.T, h *hub.Service) {
	for i, id := range []string{"CART-01", "PACK-01", "CART-02"} {
		register(t, h, id)
		hello, err := h.Hello(ctx, id)
		must(t, err)
		if hello.Number != i+1 || hello.Station != id {
			t.Fatalf("%s: hello %+v, want number %d", id, hello, i+1)
		}
	}
	wantCode(t, h.RegisterStation(ctx, "CART-01", "", "other", at), protocol.CodeConflict, "registering a station twice")
	wantCode(t, h.RegisterStation(ctx, "bad id/", "", "x", at), protocol.CodeBadRequest, "a station id with a slash")
	_, err := h.Hello(ctx, "NOPE")
	wantCode(t, err, protocol.CodeNotFound, "hello of an unregistered station")
	sts, err := h.Stations(ctx)
	must(t, err)
	if len(sts) != 3 || sts[0].ID != "CART-01" || sts[1].ID != "CART-02" || sts[2].ID != "PACK-01" || sts[1].Number != 3 {
		t.Fatalf("stations %+v", sts)
	}
	// A refused registration uses no number.
	register(t, h, "PACK-02")
	if hello, _ := h.Hello(ctx, "PACK-02"); hello.Number != 4 {
		t.Fatalf("the station after two refusals has number %d, want 4", hello.Number)
	}
}

func tokens(t *testing.T, h *hub.Service) {
	register(t, h, "CART-01")
	p, err := h.Authenticate(ctx, "hash-CART-01", at)
	must(t, err)
	if p.Kind != hub.TokenStation || p.Station != "CART-01" || p.ID != hub.TokenID("hash-CART-01") {
		t.Fatalf("the registration token is %+v", p)
	}
	root := hub.Console("test")
	admin := hub.HashToken("admin")
	must(t, h.AddToken(ctx, hub.TokenRecord{Principal: hub.Principal{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeImport, hub.ScopeTokens}},
		Hash: admin, Label: "office", CreatedAt: at}, root))
	p, err = h.Authenticate(ctx, admin, at)
	if err != nil || p.Kind != hub.TokenAdmin || !p.Has(hub.ScopeImport) || !p.Has(hub.ScopeTokens) || p.Has(hub.ScopeOperate) {
		t.Fatalf("admin token: %+v %v", p, err)
	}
	second := hub.HashToken("second")
	must(t, h.AddToken(ctx, hub.TokenRecord{Principal: hub.Principal{Kind: hub.TokenStation, Station: "CART-01"}, Hash: second, CreatedAt: at}, root))
	if p, err := h.Authenticate(ctx, second, at); err != nil || p.Station != "CART-01" {
		t.Fatalf("second station token: %+v %v", p, err)
	}
	x := hub.HashToken("x")
	wantCode(t, h.AddToken(ctx, hub.TokenRecord{Principal: hub.Principal{Kind: hub.TokenStation, Station: "NOPE"}, Hash: x, CreatedAt: at}, root),
		protocol.CodeNotFound, "a token for an unregistered station")
	// No token makes a stronger one, and only admin-tokens makes admin tokens.
	wantCode(t, h.AddToken(ctx, hub.TokenRecord{Principal: hub.Principal{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeOperate}}, Hash: x, CreatedAt: at}, p2(t, h, admin)),
		protocol.CodeForbidden, "an admin token granting a scope it lacks")
	importer := hub.Principal{ID: "tk-imp", Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeImport, hub.ScopeOperate}}
	wantCode(t, h.AddToken(ctx, hub.TokenRecord{Principal: hub.Principal{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeImport}}, Hash: x, CreatedAt: at}, importer),
		protocol.CodeForbidden, "an admin token without admin-tokens making an admin token")
	wantCode(t, h.AddToken(ctx, hub.TokenRecord{Principal: hub.Principal{Kind: hub.TokenStation, Station: "CART-01"}, Hash: x, CreatedAt: at}, p2(t, h, admin)),
		protocol.CodeForbidden, "an admin token without operate making a station token")
	_, err = h.Authenticate(ctx, x, at)
	wantCode(t, err, protocol.CodeUnauth, "the refused token")

	// Expiry and revocation.
	exp := at.Add(time.Hour)
	temp := hub.HashToken("temp")
	must(t, h.AddToken(ctx, hub.TokenRecord{Principal: hub.Principal{Kind: hub.TokenAdmin, Scopes: []string{hub.ScopeRead}}, Hash: temp, CreatedAt: at, ExpiresAt: &exp}, root))
	if _, err := h.Authenticate(ctx, temp, at.Add(59*time.Minute)); err != nil {
		t.Fatalf("a token before its expiry: %v", err)
	}
	_, err = h.Authenticate(ctx, temp, exp)
	wantCode(t, err, protocol.CodeUnauth, "an expired token")
	wantCode(t, h.RevokeToken(ctx, hub.TokenID(second), importer, at), protocol.CodeForbidden, "a revocation without admin-tokens")
	must(t, h.RevokeToken(ctx, hub.TokenID(second), root, at.Add(time.Minute)))
	_, err = h.Authenticate(ctx, second, at.Add(2*time.Minute))
	wantCode(t, err, protocol.CodeUnauth, "a revoked token")
	if _, err := h.Authenticate(ctx, "hash-CART-01", at.Add(2*time.Minute)); err != nil {
		t.Fatalf("the station's other token after a revocation: %v", err)
	}
	must(t, h.RevokeToken(ctx, hub.TokenID(second), root, at.Add(time.Hour))) // again: keeps the first stamp
	wantCode(t, h.RevokeToken(ctx, "tk-nope", root, at), protocol.CodeNotFound, "revoking an unknown token")
	ts, err := h.Tokens(ctx)
	must(t, err)
	var revoked *hub.TokenRecord
	for i := range ts {
		if ts[i].Hash != "" && ts[i].ID == hub.TokenID(second) {
			revoked = &ts[i]
		}
		if i > 0 && ts[i-1].ID >= ts[i].ID {
			t.Fatalf("tokens not by id: %+v", ts)
		}
	}
	if len(ts) != 4 || revoked == nil || revoked.RevokedAt == nil || !revoked.RevokedAt.Equal(at.Add(time.Minute)) || revoked.CreatedBy != root.Who() {
		t.Fatalf("tokens %+v", ts)
	}
	if ok, err := h.HasToken(ctx, hub.TokenAdmin); err != nil || !ok {
		t.Fatalf("HasToken admin: %v %v", ok, err)
	}
	// Actions that write are recorded with who did them, in their transaction.
	actx := hub.WithAudit(ctx, "tk-someone", "POST /admin/v1/stations/CART-01/reset", "CART-01", at)
	must(t, h.ResetStation(actx, "CART-01"))
	if !hub.AuditWritten(actx) {
		t.Fatal("the reset was not recorded")
	}
	fctx := hub.WithAudit(ctx, "tk-someone", "POST /admin/v1/stations/NOPE/reset", "NOPE", at)
	wantCode(t, h.ResetStation(fctx, "NOPE"), protocol.CodeNotFound, "a reset of an unknown station")
	if hub.AuditWritten(fctx) {
		t.Fatal("a refused reset was recorded as done")
	}
	must(t, h.RecordAudit(ctx, hub.AuditEntry{At: at, Actor: "tk-someone", Action: "POST /admin/v1/stations/NOPE/reset", Outcome: hub.AuditRefused, Detail: "not registered"}))
	log, err := h.Audit(ctx, 0, 10)
	must(t, err)
	if len(log) != 2 || log[0].Actor != "tk-someone" || log[0].Outcome != hub.AuditDone || log[0].Target != "CART-01" ||
		log[1].Outcome != hub.AuditRefused || log[1].ID <= log[0].ID || !log[0].At.Equal(at) {
		t.Fatalf("audit log %+v", log)
	}
	if more, err := h.Audit(ctx, log[0].ID, 10); err != nil || len(more) != 1 {
		t.Fatalf("audit after %d: %+v %v", log[0].ID, more, err)
	}
}

// p2 is the principal of a token hash.
func p2(t *testing.T, h *hub.Service, hash string) hub.Principal {
	t.Helper()
	p, err := h.Authenticate(ctx, hash, at)
	must(t, err)
	return p
}

func importValidation(t *testing.T, h *hub.Service) {
	site(t, h, 1)
	_, err := h.ImportReference(ctx, protocol.Reference{Items: []protocol.Item{{SKU: "PEN-1", Description: "Pen", Location: "Z-99"}}})
	wantCode(t, err, protocol.CodeBadRequest, "an item at an unknown location")
	_, err = h.ImportReference(ctx, protocol.Reference{Items: []protocol.Item{{SKU: "PEN-2", Description: "Pen"}, {SKU: "mug-1", Description: "Mug"}}})
	wantCode(t, err, protocol.CodeConflict, "a SKU that differs only in case")
	// All or nothing: PEN-2 came before the refused item.
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-9", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "PEN-2", Qty: 1}}}}, at)
	wantCode(t, err, protocol.CodeConflict, "an order of an item a refused import named")
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-8", Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}}}, at)
	wantCode(t, err, protocol.CodeBadRequest, "an order without a ship-to address")
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-7", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}},
		{ID: "SO-6", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "NOPE", Qty: 1}}}}, at)
	wantCode(t, err, protocol.CodeConflict, "orders of which one names an unknown SKU")
	_, err = h.Fulfilment(ctx, "SO-7")
	wantCode(t, err, protocol.CodeNotFound, "the first order of a refused import")

	// An order not on a wave is replaced; one on a wave keeps its lines.
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-1", ShipTo: addr, Customer: "Omar", Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 5}}}}, at)
	must(t, err)
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if len(f.Lines) != 1 || f.Lines[0].Qty != 5 {
		t.Fatalf("a replaced order reads %+v", f.Lines)
	}
	register(t, h, "CART-01")
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-1", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 6}}}}, at)
	wantCode(t, err, protocol.CodeConflict, "new lines for an order on a wave")
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}}, at)
	wantCode(t, err, protocol.CodeConflict, "a wave id twice")
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W2", Orders: []string{"SO-1"}}, at)
	wantCode(t, err, protocol.CodeConflict, "an order on two waves")
	must(t, h.CancelOrder(ctx, "SO-1", "customer", at))
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-1", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 5}}}}, at)
	wantCode(t, err, protocol.CodeConflict, "a cancelled order again")
}

// skuCaseIsASCII: SKUs match ignoring ASCII letter case only, as SQLite's
// NOCASE and the stations' scans do: É and é are different letters.
func skuCaseIsASCII(t *testing.T, h *hub.Service) {
	site(t, h, 0)
	_, err := h.ImportReference(ctx, protocol.Reference{Items: []protocol.Item{{SKU: "ÉCLAIR-1", Description: "Eclair"}, {SKU: "éclair-1", Description: "eclair"}}})
	must(t, err)
	_, err = h.ImportReference(ctx, protocol.Reference{Items: []protocol.Item{{SKU: "Éclair-1", Description: "Eclair"}}})
	wantCode(t, err, protocol.CodeConflict, "a SKU that differs from ÉCLAIR-1 only in ASCII case")
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-E", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "éclair-1", Qty: 1}, {Line: 2, SKU: "ÉCLAIR-1", Qty: 1}}}}, at)
	must(t, err)
}

func pushResend(t *testing.T, h *hub.Service) {
	site(t, h, 1)
	register(t, h, "CART-01")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	j := &journal{station: "CART-01"}
	batch := []protocol.Event{j.ev("login", map[string]string{"badge": "B1"}),
		j.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 2)), j.ev(string(floor.EvUnitsPicked), picked("SO-9", 1, 1))}
	first, err := h.Push(ctx, "CART-01", at, batch)
	must(t, err)
	if first.Mark != 3 || len(first.Outcomes) != 3 {
		t.Fatalf("first push %+v", first)
	}
	conflicts, _ := h.Conflicts(ctx, 0, 100)
	again, err := h.Push(ctx, "CART-01", at.Add(time.Minute), batch)
	must(t, err)
	if again.Mark != 3 {
		t.Fatalf("the resent batch moved the mark to %d", again.Mark)
	}
	for i, o := range again.Outcomes {
		f := first.Outcomes[i]
		if !o.Duplicate || o.Seq != f.Seq || o.Status != f.Status || o.Reason != f.Reason {
			t.Fatalf("resent outcome %+v, first %+v", o, f)
		}
	}
	ff, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if ff.Lines[0].Picked != 2 {
		t.Fatalf("after a resend, line 1 has %d picked, want 2", ff.Lines[0].Picked)
	}
	evs, _ := h.StationEvents(ctx, "CART-01", 0, 100)
	if len(evs) != 3 {
		t.Fatalf("the hub holds %d events, want 3", len(evs))
	}
	if c2, _ := h.Conflicts(ctx, 0, 100); len(c2) != len(conflicts) {
		t.Fatalf("the resend added conflicts: %d then %d", len(conflicts), len(c2))
	}
	// A batch that overlaps: the old part is duplicate, the new part applies.
	next := j.ev(string(floor.EvUnitsPicked), picked("SO-1", 2, 1))
	resp, err := h.Push(ctx, "CART-01", at, append(batch[1:], next))
	must(t, err)
	if resp.Mark != 4 || !resp.Outcomes[0].Duplicate || resp.Outcomes[2].Duplicate || resp.Outcomes[2].Status != protocol.Accepted {
		t.Fatalf("overlapping push %+v", resp)
	}
	_, err = h.Push(ctx, "CART-01", at, nil)
	wantCode(t, err, protocol.CodeBadRequest, "an empty push")
}

func pushGaps(t *testing.T, h *hub.Service) {
	register(t, h, "CART-01")
	j := &journal{station: "CART-01"}
	e1, e2, e3 := j.ev("login", nil), j.ev("logout", nil), j.ev("login", nil)
	_, err := h.Push(ctx, "CART-01", at, []protocol.Event{e1})
	must(t, err)
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{e3})
	var pe *protocol.Error
	if !errors.As(err, &pe) || pe.Code != protocol.CodeGap || pe.Expected != 2 {
		t.Fatalf("a push past the mark: %v", err)
	}
	if m := mark(t, h, "CART-01"); m != 1 {
		t.Fatalf("a refused gap moved the mark to %d", m)
	}
	other := e1
	other.ID = "another"
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{other, e2})
	wantCode(t, err, protocol.CodeSeqConflict, "a sequence held with another id")
	if m := mark(t, h, "CART-01"); m != 1 {
		t.Fatalf("a foreign journal moved the mark to %d", m)
	}
	_, err = h.Push(ctx, "NOPE", at, []protocol.Event{e1})
	wantCode(t, err, protocol.CodeNotFound, "a push from an unregistered station")
	for want := int64(2); want <= 3; want++ {
		resp, err := h.Push(ctx, "CART-01", at, []protocol.Event{[]protocol.Event{e2, e3}[want-2]})
		must(t, err)
		if resp.Mark != want || mark(t, h, "CART-01") != want {
			t.Fatalf("mark %d after pushing %d", resp.Mark, want)
		}
	}
}

func outcomes(t *testing.T, h *hub.Service) {
	site(t, h, 1)
	register(t, h, "CART-01")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	j := &journal{station: "CART-01"}
	batch := []protocol.Event{
		j.ev(string(floor.EvWaveStarted), map[string]string{"wave": "W1"}),
		j.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 2)),
		j.ev(string(floor.EvUnitsPicked), picked("SO-1", 2, 0)),
		j.ev(string(floor.EvUnitsPicked), picked("SO-404", 1, 1)),
		j.ev(string(floor.EvTaskShort), map[string]any{"order": "SO-1", "line": 2, "short": 1}),
		j.ev("some.future_event", map[string]string{"x": "y"}),
		j.ev(string(floor.EvWaveCompleted), map[string]string{"wave": "W1"}),
		j.ev(string(floor.EvWaveStarted), map[string]string{"wave": "W1"}),
		j.ev(string(floor.EvUnitsPicked), json.RawMessage(`{"order":"SO-1","line":1,"qty":"two"}`)),
	}
	resp, err := h.Push(ctx, "CART-01", at, batch)
	must(t, err)
	want := []string{protocol.Accepted, protocol.Accepted, protocol.Rejected, protocol.Rejected, protocol.Accepted,
		protocol.Accepted, protocol.Accepted, protocol.Accepted, protocol.Rejected}
	for i, o := range resp.Outcomes {
		if o.Status != want[i] || o.Seq != int64(i+1) || (o.Status == protocol.Rejected) != (o.Reason != "") {
			t.Errorf("event %d (%s): %+v, want %s", i+1, batch[i].Type, o, want[i])
		}
	}
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if f.Lines[0].Picked != 2 || f.Lines[1].Short != 1 || f.Status != protocol.StatusShort {
		t.Fatalf("fulfilment %+v", f)
	}
	// The late wave.started did not reopen the finished wave.
	info, err := h.AssignWave(ctx, "W1", "CART-01")
	must(t, err)
	if info.Status != "done" {
		t.Fatalf("wave status %q, want done", info.Status)
	}
	cs, err := h.Conflicts(ctx, 0, 100)
	must(t, err)
	if len(cs) != 1 || cs[0].Kind != "unknown-order" || cs[0].Seq != 4 || cs[0].Station != "CART-01" || cs[0].Order != "SO-404" {
		t.Fatalf("conflicts %+v", cs)
	}
	// An undo of more than was picked, or of a negative quantity, is
	// refused and changes nothing; so is a pick beyond what is open.
	undo := func(qty int) protocol.Event {
		return j.ev(string(floor.EvPickUndone), floor.UndoPayload{TaskPayload: floor.TaskPayload{Order: "SO-1", Line: 1, SKU: "MUG-1"}, Qty: qty})
	}
	resp, err = h.Push(ctx, "CART-01", at, []protocol.Event{undo(5), undo(-3), undo(1),
		j.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 1)), j.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 1)), undo(2)})
	must(t, err)
	for i, want := range []string{protocol.Rejected, protocol.Rejected, protocol.Accepted, protocol.Accepted, protocol.Rejected, protocol.Accepted} {
		if resp.Outcomes[i].Status != want {
			t.Errorf("undo/pick %d: %+v, want %s", i+1, resp.Outcomes[i], want)
		}
	}
	if f, _ := h.Fulfilment(ctx, "SO-1"); f.Lines[0].Picked != 0 {
		t.Fatalf("after the undos and picks, line 1 has %d picked, want 0", f.Lines[0].Picked)
	}
	evs, err := h.StationEvents(ctx, "CART-01", 2, 3)
	must(t, err)
	if len(evs) != 3 || evs[0].Seq != 3 || evs[0].Status != protocol.Rejected || evs[2].Seq != 5 || string(evs[2].Payload) != string(batch[4].Payload) {
		t.Fatalf("stored events %+v", evs)
	}
}

func cancelConflicts(t *testing.T, h *hub.Service) {
	site(t, h, 3)
	register(t, h, "CART-01")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	j := &journal{station: "CART-01"}
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{j.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 2))})
	must(t, err)
	must(t, h.CancelOrder(ctx, "SO-1", "customer", at))
	must(t, h.CancelOrder(ctx, "SO-1", "customer", at)) // again: nothing changes
	must(t, h.CancelOrder(ctx, "SO-2", "customer", at)) // nothing picked: no conflict
	cs, err := h.Conflicts(ctx, 0, 100)
	must(t, err)
	if len(cs) != 1 || cs[0].Kind != "cancelled-after-pick" || cs[0].Order != "SO-1" || !strings.Contains(cs[0].Reason, hub.ReturnToStock) {
		t.Fatalf("conflicts after cancelling %+v", cs)
	}
	resp, err := h.Push(ctx, "CART-01", at, []protocol.Event{
		j.ev(string(floor.EvUnitsPicked), picked("SO-1", 2, 1)),
		j.ev(string(floor.EvTaskShort), map[string]any{"order": "SO-1", "line": 2, "short": 1}),
	})
	must(t, err)
	if o := resp.Outcomes[0]; o.Status != protocol.Rejected || o.Reason != hub.ReturnToStock {
		t.Fatalf("a pick for a cancelled order: %+v", o)
	}
	if o := resp.Outcomes[1]; o.Status != protocol.Accepted {
		t.Fatalf("a short for a cancelled order: %+v", o)
	}
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if f.Status != protocol.StatusCancelled || f.CancelReason != "customer" || f.Lines[1].Picked != 0 || f.Lines[1].Short != 0 || len(f.Conflicts) != 2 {
		t.Fatalf("the cancelled order %+v", f)
	}
	if f.Conflicts[1].Kind != "cancelled-order" {
		t.Fatalf("second conflict %+v", f.Conflicts[1])
	}
	wantCode(t, h.PlaceHold(ctx, "SO-1", protocol.Hold{Reason: "FRAUD"}, at), protocol.CodeConflict, "a hold on a cancelled order")
	wantCode(t, h.CancelOrder(ctx, "SO-404", "x", at), protocol.CodeNotFound, "cancelling an unknown order")
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W2", Orders: []string{"SO-2"}}, at)
	wantCode(t, err, protocol.CodeConflict, "a wave of a cancelled order")

	// Shipped units cannot be cancelled.
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W3", Orders: []string{"SO-3"}, Station: "CART-01"}, at)
	must(t, err)
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{
		j.ev("pack.label_requested", label("SO-3", "SH-1", "000000000000000017")),
		j.ev("pack.shipment_completed", map[string]string{"order": "SO-3", "shipment": "SH-1"}),
	})
	must(t, err)
	ship(t, h, "000000000000000017")
	wantCode(t, h.CancelOrder(ctx, "SO-3", "late", at), protocol.CodeConflict, "cancelling a shipped order")
}

func duplicateSSCC(t *testing.T, h *hub.Service) {
	site(t, h, 2)
	register(t, h, "PACK-01")
	j := &journal{station: "PACK-01"}
	const sscc = "000000000000000017"
	resp, err := h.Push(ctx, "PACK-01", at, []protocol.Event{
		j.ev("pack.label_requested", label("SO-1", "SH-1", sscc)),
		j.ev("pack.label_requested", label("SO-1", "SH-1", sscc)), // the same carton again: a reprint
		j.ev("pack.label_requested", label("SO-2", "SH-2", sscc)),
		j.ev("pack.label_requested", label("SO-1", "SH-3", sscc)),
	})
	must(t, err)
	st := func(i int) string { return resp.Outcomes[i].Status }
	if st(0) != protocol.Accepted || st(1) != protocol.Accepted || st(2) != protocol.Rejected || st(3) != protocol.Rejected {
		t.Fatalf("outcomes %+v", resp.Outcomes)
	}
	cs, err := h.Conflicts(ctx, 0, 100)
	must(t, err)
	if len(cs) != 2 || cs[0].Kind != hub.ConflictDuplicateSSCC || cs[0].Order != "SO-2" || cs[1].Order != "SO-1" {
		t.Fatalf("conflicts %+v", cs)
	}
	f, err := h.Fulfilment(ctx, "SO-2")
	must(t, err)
	if len(f.Parcels) != 0 {
		t.Fatalf("the refused carton was recorded: %+v", f.Parcels)
	}
	f, err = h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if len(f.Parcels) != 1 || f.Lines[0].Packed != 2 || f.Parcels[0].Status != hub.ParcelPacked {
		t.Fatalf("the reprinted carton counts %+v %+v", f.Parcels, f.Lines)
	}
	// Voiding the shipment frees nothing: the SSCC stays the carton's.
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{
		j.ev("pack.voided", map[string]string{"order": "SO-1", "shipment": "SH-1"}),
		j.ev("pack.shipment_completed", map[string]string{"order": "SO-1", "shipment": "SH-1", "tracking": "1Z"}),
	})
	must(t, err)
	f, _ = h.Fulfilment(ctx, "SO-1")
	if f.Parcels[0].Status != hub.ParcelVoided || f.Lines[0].Packed != 0 {
		t.Fatalf("a voided shipment's carton %+v %+v", f.Parcels, f.Lines)
	}
}

// pullAll pulls pages of limit until the feed says no more.
func pullAll(t *testing.T, h *hub.Service, station, cursor string, limit int) ([]protocol.PullResponse, string) {
	t.Helper()
	var pages []protocol.PullResponse
	for i := 0; ; i++ {
		if i > 1000 {
			t.Fatal("the feed never ends")
		}
		resp, err := h.Pull(ctx, station, cursor, limit, at)
		must(t, err)
		pages = append(pages, resp)
		cursor = resp.Cursor
		if !resp.More {
			return pages, cursor
		}
	}
}

func changes(pages []protocol.PullResponse) []protocol.Change {
	var out []protocol.Change
	for _, p := range pages {
		out = append(out, p.Changes...)
	}
	return out
}

func feedComplete(t *testing.T, h *hub.Service) {
	site(t, h, 3)
	register(t, h, "CART-01")
	register(t, h, "CART-02")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W2", Orders: []string{"SO-3"}, Station: "CART-02"}, at)
	must(t, err)
	must(t, h.AddLabel(ctx, protocol.Label{Order: "SO-1", Tracking: "1Z1", Carrier: "UPS", Format: "zpl", Data: "^XA^XZ"}, at))
	pages, _ := pullAll(t, h, "CART-01", "", 1)
	all := changes(pages)
	var kinds []string
	last := int64(0)
	for _, c := range all {
		if c.Seq <= last {
			t.Fatalf("change %d after %d: the feed is not in order", c.Seq, last)
		}
		last = c.Seq
		kinds = append(kinds, c.Kind)
	}
	got := strings.Join(kinds, " ")
	want := "location location item item order order wave task task task task label"
	if got != want {
		t.Fatalf("CART-01's feed: %s\nwant: %s", got, want)
	}
	// A page never splits an action: the wave comes with all its tasks.
	for _, p := range pages {
		n := map[string]int{}
		for _, c := range p.Changes {
			n[c.Kind]++
		}
		if n[protocol.KindWave] > 0 && (n[protocol.KindOrder] != 2 || n[protocol.KindTask] != 4) {
			t.Fatalf("the assignment was split across pages: %v", n)
		}
	}
	for _, c := range all {
		if c.Task != nil && c.Task.Wave != "W1" || c.Order != nil && c.Order.ID == "SO-3" {
			t.Fatalf("CART-01 was sent another station's change %+v", c)
		}
	}
	// Tasks in walk order inside each order, orders in wave order.
	var tasks []string
	for _, c := range all {
		if c.Task != nil {
			tasks = append(tasks, fmt.Sprintf("%s/%s", c.Task.Order, c.Task.Location))
		}
	}
	if strings.Join(tasks, " ") != "SO-1/A-02 SO-1/A-01 SO-2/A-02 SO-2/A-01" {
		t.Fatalf("tasks %v", tasks)
	}
	// Moving a released wave: the old station is told, the new one gets it all.
	info, err := h.AssignWave(ctx, "W2", "CART-01")
	must(t, err)
	if info.Station != "CART-01" || info.Tasks != 2 || len(info.Orders) != 1 {
		t.Fatalf("moved wave %+v", info)
	}
	p2, _ := pullAll(t, h, "CART-02", "", 100)
	c2 := changes(p2)
	if lc := c2[len(c2)-1]; lc.Kind != protocol.KindWave || lc.Wave.Station != "CART-01" {
		t.Fatalf("CART-02 was not told its wave moved: %+v", lc)
	}
	j := &journal{station: "CART-01"}
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{j.ev(string(floor.EvWaveStarted), map[string]string{"wave": "W2"})})
	must(t, err)
	_, err = h.AssignWave(ctx, "W2", "CART-02")
	wantCode(t, err, protocol.CodeConflict, "moving a started wave")
	_, err = h.AssignWave(ctx, "W2", "NOPE")
	wantCode(t, err, protocol.CodeNotFound, "a wave to an unregistered station")
}

func feedCursors(t *testing.T, h *hub.Service) {
	register(t, h, "CART-01")
	_, err := h.Pull(ctx, "NOPE", "", 10, at)
	wantCode(t, err, protocol.CodeNotFound, "a pull of an unregistered station")
	empty, err := h.Pull(ctx, "CART-01", "", 10, at)
	must(t, err)
	if empty.Changes == nil || len(empty.Changes) != 0 || empty.More || empty.Cursor == "" || empty.StationNumber != 1 {
		t.Fatalf("an empty feed %+v", empty)
	}
	site(t, h, 1)
	pages, cur := pullAll(t, h, "CART-01", empty.Cursor, 2)
	if n := len(changes(pages)); n != 4 {
		t.Fatalf("%d changes after the empty cursor, want 4", n)
	}
	again, err := h.Pull(ctx, "CART-01", cur, 10, at)
	must(t, err)
	if len(again.Changes) != 0 || again.Reset || again.Cursor != cur {
		t.Fatalf("a pull at the end %+v", again)
	}
	// The same cursor twice gives the same page: a lost response is harmless.
	p1, _ := h.Pull(ctx, "CART-01", empty.Cursor, 3, at)
	p2, _ := h.Pull(ctx, "CART-01", empty.Cursor, 3, at)
	if len(p1.Changes) != 3 || p1.Cursor != p2.Cursor || p1.Changes[2].Seq != p2.Changes[2].Seq {
		t.Fatalf("the same cursor gave %+v then %+v", p1, p2)
	}
	parts := strings.Split(cur, ".")
	otherTag := strings.Join(append(parts[:4:4], "7"), ".")
	pastEnd := strings.Join(append(parts[:3:3], "999", parts[4]), ".")
	for _, bad := range []string{"garbage", otherTag, pastEnd} {
		r, err := h.Pull(ctx, "CART-01", bad, 100, at)
		must(t, err)
		if !r.Reset || len(r.Changes) != 4 {
			t.Fatalf("cursor %q: %+v, want a reset to the start", bad, r)
		}
	}
	must(t, h.ResetStation(ctx, "CART-01"))
	wantCode(t, h.ResetStation(ctx, "NOPE"), protocol.CodeNotFound, "resetting an unregistered station")
	r, err := h.Pull(ctx, "CART-01", cur, 100, at)
	must(t, err)
	if !r.Reset || len(r.Changes) != 4 || r.Cursor == cur {
		t.Fatalf("after a reset %+v", r)
	}
	sts, _ := h.Stations(ctx)
	if sts[0].Epoch != 2 || sts[0].LastPull == nil {
		t.Fatalf("station after a reset and a pull %+v", sts[0])
	}
}

func holds(t *testing.T, h *hub.Service) {
	site(t, h, 2)
	register(t, h, "CART-01")
	register(t, h, "CART-02")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	_, cur := pullAll(t, h, "CART-01", "", 100)
	_, cur2 := pullAll(t, h, "CART-02", "", 100)
	must(t, h.PlaceHold(ctx, "SO-1", protocol.Hold{Reason: "FRAUD", Note: "call"}, at))
	must(t, h.PlaceHold(ctx, "SO-2", protocol.Hold{Reason: "FRAUD"}, at)) // on no wave: no station is told
	must(t, h.ReleaseHold(ctx, "SO-1", "FRAUD"))
	wantCode(t, h.ReleaseHold(ctx, "SO-1", "FRAUD"), protocol.CodeNotFound, "releasing a hold the order does not have")
	wantCode(t, h.PlaceHold(ctx, "SO-404", protocol.Hold{Reason: "X"}, at), protocol.CodeNotFound, "a hold on an unknown order")
	must(t, h.CancelOrder(ctx, "SO-1", "customer", at))
	pages, _ := pullAll(t, h, "CART-01", cur, 100)
	cs := changes(pages)
	if len(cs) != 3 || cs[0].Holds == nil || len(cs[0].Holds.Holds) != 1 || cs[0].Holds.Holds[0].Note != "call" ||
		cs[1].Holds == nil || len(cs[1].Holds.Holds) != 0 || cs[2].Cancel == nil || cs[2].Cancel.Reason != "customer" {
		t.Fatalf("CART-01 learnt %+v", cs)
	}
	if p, _ := pullAll(t, h, "CART-02", cur2, 100); len(changes(p)) != 0 {
		t.Fatalf("CART-02 learnt of another station's order: %+v", changes(p))
	}
	f, err := h.Fulfilment(ctx, "SO-2")
	must(t, err)
	if len(f.Holds) != 1 || f.Holds[0].Reason != "FRAUD" {
		t.Fatalf("SO-2's holds %+v", f.Holds)
	}
}

package store_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station/store"
)

// syncSite is the pulled slice of a small station: an operator, two
// locations, two items, two orders on one wave with their tasks.
func syncSite() []store.Change {
	op := floor.Operator{Badge: "B1001", Name: "Ann", Roles: []floor.Role{floor.RolePicker}}
	l1 := floor.Location{Code: "A-01-01-1", Zone: "A", Aisle: 1, Bay: 1, Level: 1, WalkSeq: 1}
	l2 := floor.Location{Code: "A-01-02-1", Zone: "A", Aisle: 1, Bay: 2, Level: 1, WalkSeq: 2}
	mug := floor.Item{SKU: "MUG", GTINs: []string{"04006381333931"}, Description: "Mug"}
	can := floor.Item{SKU: "CAN", GTINs: []string{"04006381333948"}, Description: "Candle"}
	o1 := floor.Order{ID: "ORD-1", Lines: []floor.OrderLine{{LineNo: 1, SKU: "MUG", Qty: 2}}}
	o2 := floor.Order{ID: "ORD-2", Lines: []floor.OrderLine{{LineNo: 1, SKU: "CAN", Qty: 1}}, Holds: []floor.Hold{{Reason: "HIGH_RISK_OF_FRAUD"}}}
	w := floor.Wave{ID: "W1", Status: "released", Station: "ST-01"}
	t1 := floor.PickTask{ID: 1, WaveID: "W1", OrderID: "ORD-1", LineNo: 1, Location: "A-01-01-1", SKU: "MUG", Qty: 2, SortKey: 1}
	t2 := floor.PickTask{ID: 2, WaveID: "W1", OrderID: "ORD-2", LineNo: 1, Location: "A-01-02-1", SKU: "CAN", Qty: 1, SortKey: 2}
	return []store.Change{{Operator: &op}, {Location: &l1}, {Location: &l2}, {Item: &mug}, {Item: &can},
		{Order: &o1}, {Order: &o2}, {Wave: &w}, {Task: &t1}, {Task: &t2}}
}

func pull(t *testing.T, s *store.Store, cursor string, cs ...store.Change) store.PullSummary {
	t.Helper()
	sum, err := s.ApplyPull(ctx, store.Pulled{Cursor: cursor, Changes: cs, At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func syncState(t *testing.T, s *store.Store) store.SyncState {
	t.Helper()
	st, err := s.SyncState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func picked(task int64, order string, qty int) floor.Event {
	return floor.NewEvent(floor.EvUnitsPicked, "B1001", floor.UnitsPayload{
		TaskPayload: floor.TaskPayload{Task: task, Order: order, Line: 1, Location: "A-01-01-1", SKU: "MUG"}, Qty: qty, Tote: "T1"})
}

func TestApplyPull(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	sum := pull(t, s, "c1", syncSite()...)
	if sum.Applied != 10 || len(sum.Skipped) != 0 || strings.Join(sum.Held, ",") != "ORD-2 (HIGH_RISK_OF_FRAUD)" {
		t.Fatalf("first pull: %+v", sum)
	}
	if w, err := s.NextWave(ctx); err != nil || w.ID != "W1" {
		t.Fatalf("next wave %+v %v", w, err)
	}
	if gate, _ := s.LabelGate(ctx, "ORD-2"); gate != "order on hold: HIGH_RISK_OF_FRAUD" {
		t.Fatalf("gate %q", gate)
	}
	if gate, _ := s.LabelGate(ctx, "ORD-1"); gate != "" {
		t.Fatalf("gate %q", gate)
	}
	st := syncState(t, s)
	if st.Cursor != "c1" || st.LastPull.IsZero() {
		t.Fatalf("state %+v", st)
	}
	// The same page again changes nothing and reports no news.
	if sum := pull(t, s, "c1", syncSite()...); sum.News() != "" {
		t.Fatalf("a repeated page reports %q", sum.News())
	}

	// Holds are a set: a release is a smaller set. A label arrives. Things
	// the station does not have are skipped, with why, and the rest applies.
	sum = pull(t, s, "c2",
		store.Change{Holds: &store.OrderHolds{Order: "ORD-1", Holds: []floor.Hold{{Reason: "INCORRECT_ADDRESS", Note: "no number"}}}},
		store.Change{Holds: &store.OrderHolds{Order: "ORD-2"}},
		store.Change{Label: &store.CarrierLabel{Order: "ORD-1", Tracking: "1Z999", Carrier: "UPS", Data: "^XA^XZ"}},
		store.Change{Task: &floor.PickTask{ID: 9, WaveID: "W-NONE", OrderID: "ORD-1", LineNo: 1, Location: "A-01-01-1", SKU: "MUG", Qty: 1}},
		store.Change{Holds: &store.OrderHolds{Order: "ORD-NONE", Holds: []floor.Hold{{Reason: "X"}}}},
		store.Change{},
	)
	if sum.Applied != 3 || len(sum.Skipped) != 3 || !strings.Contains(sum.Skipped[0], "unknown wave W-NONE") {
		t.Fatalf("second pull: %+v", sum)
	}
	if sum.News() != "held: ORD-1 (INCORRECT_ADDRESS); released: ORD-2 (HIGH_RISK_OF_FRAUD); 1 carrier labels" {
		t.Fatalf("news %q", sum.News())
	}
	if gate, _ := s.LabelGate(ctx, "ORD-1"); gate != "order on hold: INCORRECT_ADDRESS (no number)" {
		t.Fatalf("gate %q", gate)
	}
	if gate, _ := s.LabelGate(ctx, "ORD-2"); gate != "" {
		t.Fatalf("released order still gated: %q", gate)
	}
	if ls, err := s.CarrierLabels(ctx, "ORD-1"); err != nil || len(ls) != 1 || ls[0].Tracking != "1Z999" || ls[0].Format != "zpl" {
		t.Fatalf("labels %+v %v", ls, err)
	}
	if syncState(t, s).Cursor != "c2" {
		t.Fatal("cursor did not move with the page")
	}
}

func TestCancellationAfterPicking(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	pull(t, s, "c1", syncSite()...)
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{picked(1, "ORD-1", 2)}, nil); err != nil {
		t.Fatal(err)
	}
	sum := pull(t, s, "c2", store.Change{Cancel: &store.Cancellation{Order: "ORD-1", Reason: "customer asked"}})
	if strings.Join(sum.Cancelled, ",") != "ORD-1" {
		t.Fatalf("summary %+v", sum)
	}
	exc, err := s.Exceptions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(exc) != 1 || exc[0].Kind != "order-cancelled" || exc[0].Qty != 2 ||
		exc[0].Reason != "order cancelled centrally: return the 2 picked units to stock (customer asked)" {
		t.Fatalf("exceptions %+v", exc)
	}
	if gate, _ := s.LabelGate(ctx, "ORD-1"); !strings.HasPrefix(gate, "order cancelled centrally") {
		t.Fatalf("gate %q", gate)
	}
	// A cancellation is final and arrives once: a repeat adds nothing, and
	// an order record afterwards does not reopen the order.
	pull(t, s, "c3", store.Change{Cancel: &store.Cancellation{Order: "ORD-1"}}, syncSite()[5])
	if exc, _ := s.Exceptions(ctx); len(exc) != 1 {
		t.Fatalf("%d exceptions after a repeated cancellation", len(exc))
	}
	if gate, _ := s.LabelGate(ctx, "ORD-1"); !strings.HasPrefix(gate, "order cancelled centrally") {
		t.Fatalf("the order reopened: %q", gate)
	}
}

// TestWaveMovesBeforeItStartsOrByTheOffice: a released wave goes where
// the hub says; a wave this station started stays with it while the hub
// names no other station, and leaves when the office moved it to another
// cart (a supervisor's reassignment): WaveMoved says so, with who and
// why from the office's notice.
func TestWaveMovesBeforeItStartsOrByTheOffice(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	pull(t, s, "c1", syncSite()...)
	moved := floor.Wave{ID: "W1", Status: "released", Station: "ST-02"}
	pull(t, s, "c2", store.Change{Wave: &moved})
	if w, _ := s.NextWave(ctx); w.ID != "" {
		t.Fatalf("a wave moved to another station is still offered: %+v", w)
	}
	back := floor.Wave{ID: "W1", Status: "released", Station: "ST-01"}
	pull(t, s, "c3", store.Change{Wave: &back})
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{floor.NewEvent(floor.EvWaveStarted, "B1001", floor.WavePayload{Wave: "W1"})}, nil); err != nil {
		t.Fatal(err)
	}
	anyone := floor.Wave{ID: "W1", Status: "released", Station: ""}
	pull(t, s, "c4", store.Change{Wave: &anyone})
	if w, _ := s.NextWave(ctx); w.ID != "W1" || w.Station != "ST-01" {
		t.Fatalf("a wave this station started was taken away: %+v", w)
	}
	if _, moved, err := s.WaveMoved(ctx, "W1"); err != nil || moved {
		t.Fatalf("moved %v %v", moved, err)
	}
	pull(t, s, "c5", store.Change{Wave: &moved}, store.Change{Notice: &store.OfficeNotice{Exception: 7, Source: "wave-moved/SUP-01",
		Action: floor.ResolveReassignWave, Reason: "ST-01 is down", Supervisor: "B1004", Wave: "W1", Text: "Wave W1 was moved", At: time.Now()}})
	if w, _ := s.NextWave(ctx); w.ID == "W1" {
		t.Fatalf("a wave the office moved away is still offered: %+v", w)
	}
	m, ok, err := s.WaveMoved(ctx, "W1")
	if err != nil || !ok || m != (store.WaveMove{Wave: "W1", To: "ST-02", By: "B1004", Reason: "ST-01 is down"}) {
		t.Fatalf("moved %+v %v %v", m, ok, err)
	}
}

func TestRecordPush(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	pull(t, s, "c1", syncSite()...)
	var evs []floor.Event
	for i := 0; i < 5; i++ {
		evs = append(evs, floor.NewEvent(floor.EvScanRejected, "B1001", floor.RejectPayload{Input: fmt.Sprint(i), Reason: "no"}))
	}
	evs = append(evs, picked(1, "ORD-1", 1))
	t0 := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	if _, err := s.Commit(ctx, t0, evs, nil); err != nil {
		t.Fatal(err)
	}
	st := syncState(t, s)
	if st.LastSeq != 6 || st.Waiting != 6 || !st.OldestWaiting.Equal(t0) || st.Pushed != 0 {
		t.Fatalf("before any push: %+v", st)
	}
	at := t0.Add(time.Hour)
	if err := s.RecordPush(ctx, store.PushAck{Mark: 3, At: at}); err != nil {
		t.Fatal(err)
	}
	// The hub rejects the pick; the same answer twice records it once.
	ack := store.PushAck{Mark: 6, At: at, Rejections: []store.Rejection{{Seq: 6, Reason: "order cancelled centrally: return the goods to stock"}}}
	for i := 0; i < 2; i++ {
		if err := s.RecordPush(ctx, ack); err != nil {
			t.Fatal(err)
		}
	}
	// An older acknowledgement arriving late never moves the mark back.
	if err := s.RecordPush(ctx, store.PushAck{Mark: 2, At: at}); err != nil {
		t.Fatal(err)
	}
	st = syncState(t, s)
	if st.Pushed != 6 || st.Waiting != 0 || !st.OldestWaiting.IsZero() || st.Rejected != 1 || !st.LastPush.Equal(at) {
		t.Fatalf("after the acknowledgements: %+v", st)
	}
	exc, _ := s.Exceptions(ctx)
	if len(exc) != 1 || exc[0].Kind != "sync-rejected" || exc[0].OrderID != "ORD-1" || exc[0].SKU != "MUG" || exc[0].Qty != 1 ||
		exc[0].Reason != "order cancelled centrally: return the goods to stock" || exc[0].Operator != "B1001" {
		t.Fatalf("exceptions %+v", exc)
	}
	// The journal is untouched by all this.
	if evs, _ := s.Journal(ctx, 0, 100); len(evs) != 6 {
		t.Fatalf("journal has %d events", len(evs))
	}
	// Nonsense from a hub is refused, not recorded.
	if err := s.RecordPush(ctx, store.PushAck{Mark: 7, At: at}); err == nil {
		t.Fatal("a mark past the journal was accepted")
	}
	if err := s.RecordPush(ctx, store.PushAck{Mark: 6, At: at, Rejections: []store.Rejection{{Seq: 9}}}); err == nil {
		t.Fatal("a rejection past the mark was accepted")
	}
	// A hub restored from a backup: the station sends again from its mark.
	if err := s.RewindPush(ctx, 4); err != nil {
		t.Fatal(err)
	}
	if st := syncState(t, s); st.Pushed != 4 || st.Waiting != 2 {
		t.Fatalf("after the rewind: %+v", st)
	}
	if err := s.RewindPush(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if st := syncState(t, s); st.Pushed != 4 {
		t.Fatalf("a rewind moved the mark forward: %+v", st)
	}
	out, err := s.Outbox(ctx, 4, 10, 1<<20)
	if err != nil || len(out) != 2 || out[0].Seq != 5 || out[0].DeviceTime != t0.Format(time.RFC3339Nano) {
		t.Fatalf("outbox %+v %v", out, err)
	}
	if out, _ := s.Outbox(ctx, 0, 10, 1); len(out) != 1 {
		t.Fatalf("a tiny byte budget still returns one event, got %d", len(out))
	}
}

// TestPullIsAllOrNothing: a page that cannot be written (the disk is full)
// leaves neither its changes nor its cursor; with room it applies whole.
func TestPullIsAllOrNothing(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	pull(t, s, "c1", syncSite()...)
	var big []store.Change
	for i := 0; i < 400; i++ {
		it := floor.Item{SKU: fmt.Sprintf("BIG-%03d", i), Description: strings.Repeat("d", 900)}
		big = append(big, store.Change{Item: &it})
	}
	var pages int
	s.DB().W.QueryRow("PRAGMA page_count").Scan(&pages)
	if _, err := s.DB().W.Exec(fmt.Sprintf("PRAGMA max_page_count = %d", pages+5)); err != nil {
		t.Fatal(err)
	}
	_, err := s.ApplyPull(ctx, store.Pulled{Cursor: "c2", Changes: big, At: time.Now()})
	if !sqlitedb.IsFull(err) {
		t.Fatalf("expected a full disk, got %v", err)
	}
	var n int
	s.DB().R.QueryRow(`SELECT COUNT(*) FROM items WHERE sku LIKE 'BIG-%'`).Scan(&n)
	if st := syncState(t, s); st.Cursor != "c1" || n != 0 {
		t.Fatalf("a failed pull left cursor %q and %d of its items", st.Cursor, n)
	}
	if _, err := s.DB().W.Exec("PRAGMA max_page_count = 1000000"); err != nil {
		t.Fatal(err)
	}
	pull(t, s, "c2", big...)
	s.DB().R.QueryRow(`SELECT COUNT(*) FROM items WHERE sku LIKE 'BIG-%'`).Scan(&n)
	if st := syncState(t, s); st.Cursor != "c2" || n != 400 {
		t.Fatalf("after making room: cursor %q, %d items", st.Cursor, n)
	}
	if _, err := s.ApplyPull(ctx, store.Pulled{}); err == nil {
		t.Fatal("a page without a cursor was applied")
	}
}

// orderShipping reads an order's shipping columns as stored.
func orderShipping(t *testing.T, s *store.Store, id string) (shipTo, carrier, service string) {
	t.Helper()
	if err := s.DB().R.QueryRow(`SELECT ship_to, carrier, service FROM orders WHERE id=?`, id).Scan(&shipTo, &carrier, &service); err != nil {
		t.Fatalf("order %s: %v", id, err)
	}
	return shipTo, carrier, service
}

// TestPulledOrderShipTo: a pulled order's address, carrier and service are
// stored as they came; a later record of the order replaces them, and an
// order without them stores none.
func TestPulledOrderShipTo(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	site := syncSite()
	addr := floor.Address{Name: "Zoë O'Brien", Company: "Müller & Söhne", Line1: "12 Hafenstraße", Line2: "Apt 4B",
		City: "Hamburg", Region: "HH", PostalCode: "20457", Country: "DE"}
	o1 := *site[5].Order
	o1.ShipTo, o1.Carrier, o1.Service = addr, "DHL", "Express"
	site[5] = store.Change{Order: &o1}
	pull(t, s, "c1", site...)

	shipTo, carrier, service := orderShipping(t, s, "ORD-1")
	if want := `{"name":"Zoë O'Brien","company":"Müller \u0026 Söhne","line1":"12 Hafenstraße","line2":"Apt 4B","city":"Hamburg","region":"HH","postal_code":"20457","country":"DE"}`; shipTo != want {
		t.Fatalf("ship_to column\n got  %s\n want %s", shipTo, want)
	}
	if carrier != "DHL" || service != "Express" {
		t.Fatalf("carrier %q service %q", carrier, service)
	}
	if got, err := s.OrderShipTo(ctx, "ORD-1"); err != nil || got.Address != addr || got.Carrier != "DHL" || got.Service != "Express" {
		t.Fatalf("OrderShipTo %+v %v", got, err)
	}
	// ORD-2 came without any: the columns are empty, not "{}" or "null".
	if shipTo, carrier, service := orderShipping(t, s, "ORD-2"); shipTo != "" || carrier != "" || service != "" {
		t.Fatalf("ORD-2 stored %q %q %q", shipTo, carrier, service)
	}

	// The OMS corrects the address (after an INCORRECT_ADDRESS hold, say)
	// and drops its choice of carrier: the station takes the new record.
	fixed := o1
	fixed.ShipTo.Line1 = "14 Hafenstraße"
	fixed.Carrier, fixed.Service = "", ""
	pull(t, s, "c2", store.Change{Order: &fixed})
	shipTo, carrier, service = orderShipping(t, s, "ORD-1")
	if !strings.Contains(shipTo, `"line1":"14 Hafenstraße"`) || carrier != "" || service != "" {
		t.Fatalf("after the correction: %q %q %q", shipTo, carrier, service)
	}
	// An address taken back entirely leaves none.
	none := fixed
	none.ShipTo = floor.Address{}
	pull(t, s, "c3", store.Change{Order: &none})
	if shipTo, _, _ := orderShipping(t, s, "ORD-1"); shipTo != "" {
		t.Fatalf("an address taken back is still stored: %q", shipTo)
	}
}

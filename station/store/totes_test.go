package store_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
	"github.com/totewms/tote/station/store"
)

// commitNow commits evs in one transaction, now.
func commitNow(s *store.Store, evs ...floor.Event) error {
	_, err := s.Commit(ctx, time.Now(), evs, nil)
	return err
}

// toteHolds is the order tote holds on s.
func toteHolds(t *testing.T, s *store.Store, tote string) string {
	t.Helper()
	o, err := s.ToteHolds(ctx, tote)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestToteHoldsOneOrder: a tote holds an order from its first unit until a
// shipment of that order empties it (or a supervisor releases it); a unit
// of another order is refused at commit, and an undo of the only unit
// empties it again.
func TestToteHoldsOneOrder(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	pull(t, s, "c1", syncSite()...)
	task2 := floor.TaskPayload{Task: 2, Order: "ORD-2", Line: 1, Location: "A-01-02-1", SKU: "CAN"}
	task1 := floor.TaskPayload{Task: 1, Order: "ORD-1", Line: 1, Location: "A-01-01-1", SKU: "MUG"}
	if err := commitNow(s, ev(floor.EvToteAssigned, floor.TotePayload{Tote: "T1", Wave: "W1"})); err != nil {
		t.Fatal(err)
	}
	if o := toteHolds(t, s, "T1"); o != "" {
		t.Fatalf("a tote taken but not filled holds %q", o)
	}
	if o := toteHolds(t, s, "T-NEVER-SEEN"); o != "" {
		t.Fatalf("an unknown tote holds %q", o)
	}
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T1"})); err != nil {
		t.Fatal(err)
	}
	if o := toteHolds(t, s, "T1"); o != "ORD-1" {
		t.Fatalf("after the first unit T1 holds %q", o)
	}
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T1"})); err != nil {
		t.Fatalf("a second unit of the same order: %v", err)
	}
	// Another order's unit into T1 is refused inside the transaction.
	last, _ := s.LastSeq(ctx)
	err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task2, Qty: 1, Tote: "T1"}))
	var th *store.ErrToteHolds
	if !errors.As(err, &th) || th.Order != "ORD-1" || th.Error() != "tote T1 holds ORD-1: take an empty tote" {
		t.Fatalf("a unit of ORD-2 into T1: %v", err)
	}
	if now, _ := s.LastSeq(ctx); now != last {
		t.Fatalf("the refused unit moved the journal from %d to %d", last, now)
	}
	// Undo of the only unit of ORD-2 in T2 empties T2; an undo that leaves
	// a unit in T1 does not empty T1.
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task2, Qty: 1, Tote: "T2"})); err != nil {
		t.Fatal(err)
	}
	if err := commitNow(s, ev(floor.EvPickUndone, floor.UndoPayload{TaskPayload: task2, Qty: 1})); err != nil {
		t.Fatal(err)
	}
	if err := commitNow(s, ev(floor.EvPickUndone, floor.UndoPayload{TaskPayload: task1, Qty: 1})); err != nil {
		t.Fatal(err)
	}
	if a, b := toteHolds(t, s, "T1"), toteHolds(t, s, "T2"); a != "ORD-1" || b != "" {
		t.Fatalf("after the undos T1 holds %q, T2 %q", a, b)
	}
	// A shipment of ORD-1 empties its totes, a partial one too.
	if err := commitNow(s, ev(floor.EvPackShipmentCompleted, floor.PackShipmentPayload{Order: "ORD-1", Shipment: "S1", Partial: true})); err != nil {
		t.Fatal(err)
	}
	if o := toteHolds(t, s, "T1"); o != "" {
		t.Fatalf("after the shipment T1 holds %q", o)
	}
	// A supervisor's release empties a tote too.
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task2, Qty: 1, Tote: "T1"})); err != nil {
		t.Fatalf("an emptied tote refused: %v", err)
	}
	if err := commitNow(s, ev(floor.EvToteReleased, floor.ToteReleasePayload{Tote: "T1", Order: "ORD-2", Reason: "emptied by hand", Supervisor: "B1004"})); err != nil {
		t.Fatal(err)
	}
	if o := toteHolds(t, s, "T1"); o != "" {
		t.Fatalf("after the release T1 holds %q", o)
	}
	// A commit that rolls back leaves nothing filled, in the table or in
	// what the store remembers: T5 then takes ORD-1.
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task2, Qty: 1, Tote: "T5"}),
		ev(floor.EvPickUndone, floor.UndoPayload{TaskPayload: task2, Qty: 99})); err == nil {
		t.Fatal("an impossible undo was accepted")
	}
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T5"})); err != nil {
		t.Fatalf("T5 after a rolled-back fill: %v", err)
	}
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task2, Qty: 1, Tote: "T5"})); err == nil {
		t.Fatal("a unit of ORD-2 into T5, which holds ORD-1, was accepted")
	}
}

// TestToteHeldOnAnotherCart: the hub's hold of a tote another cart
// filled, with an order this cart need not have, makes the tote hold that
// order here: ToteHolds names it, after a restart too, and a unit of this
// cart's order into it is refused at commit with nothing journaled. A
// supervisor's release here empties it, and the same hold sent again (a
// slice started over) does not fill it again; the hub freeing a tote
// empties it; a withdrawal of its order empties the order's totes. The
// hold of a fill this station began is not stored: its own tote row knows
// better, and may have been released since.
func TestToteHeldOnAnotherCart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	s := open(t, path)
	pull(t, s, "c1", syncSite()...)
	task1 := floor.TaskPayload{Task: 1, Order: "ORD-1", Line: 1, Location: "A-01-01-1", SKU: "MUG"}
	hold := func(code, order string, fill int64, by string) store.Change {
		return store.Change{Tote: &store.HubTote{Code: code, Order: order, Fill: fill, Hold: true, FilledBy: by}}
	}
	sum := pull(t, s, "c2", hold("T5", "ORD-77", 1, "CART-09"))
	if sum.Totes != 1 || len(sum.Skipped) != 0 {
		t.Fatalf("a hold of an order this cart does not have: %+v", sum)
	}
	s.Close()
	s = open(t, path)
	if o := toteHolds(t, s, "T5"); o != "ORD-77" {
		t.Fatalf("T5, filled on CART-09, holds %q here", o)
	}
	last, _ := s.LastSeq(ctx)
	err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T5"}))
	var th *store.ErrToteHolds
	if !errors.As(err, &th) || th.Tote != "T5" || th.Order != "ORD-77" {
		t.Fatalf("a unit of ORD-1 into T5: %v", err)
	}
	if now, _ := s.LastSeq(ctx); now != last {
		t.Fatalf("the refused unit moved the journal from %d to %d", last, now)
	}

	if err := commitNow(s, ev(floor.EvToteReleased, floor.ToteReleasePayload{Tote: "T5", Order: "ORD-77", Reason: "emptied by hand", Supervisor: "B1004"})); err != nil {
		t.Fatal(err)
	}
	pull(t, s, "c3", hold("T5", "ORD-77", 1, "CART-09"))
	if o := toteHolds(t, s, "T5"); o != "" {
		t.Fatalf("T5 released here holds %q", o)
	}
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T5"})); err != nil {
		t.Fatalf("a unit into the released T5: %v", err)
	}

	pull(t, s, "c4", hold("T6", "ORD-1", 1, "ST-01"))
	if o := toteHolds(t, s, "T6"); o != "" {
		t.Fatalf("the hold of this station's own fill was stored: T6 holds %q", o)
	}

	pull(t, s, "c5", hold("T7", "ORD-88", 3, "CART-09"))
	if o := toteHolds(t, s, "T7"); o != "ORD-88" {
		t.Fatalf("T7 holds %q", o)
	}
	pull(t, s, "c6", store.Change{Tote: &store.HubTote{Code: "T7", Fill: 3, Freed: "ORD-88", FreedBy: "packed"}})
	if o := toteHolds(t, s, "T7"); o != "" {
		t.Fatalf("T7, freed at the hub, holds %q", o)
	}
	pull(t, s, "c7", hold("T7", "ORD-99", 4, "CART-08"))
	if o := toteHolds(t, s, "T7"); o != "ORD-99" {
		t.Fatalf("T7's next fill: it holds %q", o)
	}

	// ORD-1's wave moved here from CART-09, which had filled T8.
	pull(t, s, "c8", hold("T8", "ORD-1", 1, "CART-09"))
	if err := commitNow(s, ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T8"})); err != nil {
		t.Fatalf("a unit of ORD-1 into T8, which holds ORD-1: %v", err)
	}
	goods, err := s.PickedGoods(ctx, "ORD-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := commitNow(s, ev(floor.EvOrderWithdrawn, floor.WithdrawPayload{Order: "ORD-1", Tasks: []int64{1}, Returns: goods})); err != nil {
		t.Fatal(err)
	}
	if a, b, c := toteHolds(t, s, "T5"), toteHolds(t, s, "T8"), toteHolds(t, s, "T7"); a != "" || b != "" || c != "ORD-99" {
		t.Fatalf("after ORD-1's withdrawal T5 holds %q, T8 %q, T7 %q", a, b, c)
	}
}

// TestWaveStandingAndWithdrawal: the office's cancellation and holds as a
// pick cart reads them, and what a withdrawal leaves in the tables.
func TestWaveStandingAndWithdrawal(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "s.db"))
	pull(t, s, "c1", syncSite()...)
	task1 := floor.TaskPayload{Task: 1, Order: "ORD-1", Line: 1, Location: "A-01-01-1", SKU: "MUG"}
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{ev(floor.EvUnitsPicked, floor.UnitsPayload{TaskPayload: task1, Qty: 1, Tote: "T1", Lot: "L7"})}, nil); err != nil {
		t.Fatal(err)
	}
	ws, err := s.WaveStanding(ctx, "W1")
	if err != nil || ws.Cancelled != nil || !reflect.DeepEqual(ws.Held, []string{"ORD-2"}) {
		t.Fatalf("before: %+v %v", ws, err)
	}
	pull(t, s, "c2", store.Change{Cancel: &store.Cancellation{Order: "ORD-1"}}, store.Change{Holds: &store.OrderHolds{Order: "ORD-2"}})
	ws, err = s.WaveStanding(ctx, "W1")
	if err != nil || !reflect.DeepEqual(ws.Cancelled, []string{"ORD-1"}) || ws.Held != nil {
		t.Fatalf("after the pull: %+v %v", ws, err)
	}
	goods, err := s.PickedGoods(ctx, "ORD-1")
	want := []floor.ReturnLine{{Tote: "T1", SKU: "MUG", Qty: 1, Location: "A-01-01-1", Lot: "L7"}}
	if err != nil || !reflect.DeepEqual(goods, want) {
		t.Fatalf("goods %+v %v", goods, err)
	}
	if _, err := s.Commit(ctx, time.Now(), []floor.Event{ev(floor.EvOrderWithdrawn, floor.WithdrawPayload{Order: "ORD-1", Tasks: []int64{1}, Returns: goods})}, nil); err != nil {
		t.Fatal(err)
	}
	ws, _ = s.WaveStanding(ctx, "W1")
	tasks, _ := s.WaveTasks(ctx, "W1")
	if o, _ := s.ToteHolds(ctx, "T1"); ws.Cancelled != nil || tasks[0].Status != floor.TaskCancelled || o != "" {
		t.Fatalf("after the withdrawal: %+v task %+v tote holds %q", ws, tasks[0], o)
	}
}

// TestMigrationToToteHolds: a store from before the tote rule learns what
// its totes hold (the last order picked into each, while it is open and
// not shipped) and which order the session's tote was taken for.
func TestMigrationToToteHolds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	old, err := sqlitedb.Open(ctx, path, store.Migrations()[:7])
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO items(sku, description) VALUES ('MUG', 'Mug')`,
		`INSERT INTO locations(code, zone, aisle, bay, level, position, walk_seq) VALUES ('A-01-01-1', 'A', 1, 1, 1, 0, 1)`,
		`INSERT INTO orders(id, status) VALUES ('ORD-1', 'open'), ('ORD-2', 'open'), ('ORD-3', 'packed')`,
		`INSERT INTO order_lines(order_id, line_no, sku, qty) VALUES ('ORD-1', 1, 'MUG', 5), ('ORD-2', 1, 'MUG', 5), ('ORD-3', 1, 'MUG', 5)`,
		`INSERT INTO waves(id, status) VALUES ('W1', 'in_progress')`,
		`INSERT INTO pick_tasks(id, wave_id, order_id, line_no, location, sku, qty, sort_key) VALUES
			(1, 'W1', 'ORD-1', 1, 'A-01-01-1', 'MUG', 5, 1), (2, 'W1', 'ORD-2', 1, 'A-01-01-1', 'MUG', 5, 2), (3, 'W1', 'ORD-3', 1, 'A-01-01-1', 'MUG', 5, 3)`,
		`INSERT INTO picks(task_id, seq, qty, tote) VALUES (3, 1, 1, 'T1'), (1, 2, 1, 'T1'), (2, 3, 1, 'T2'), (3, 4, 1, 'T3')`,
		`INSERT INTO totes(code) VALUES ('T1'), ('T2'), ('T3'), ('T4')`,
		`UPDATE session SET operator='B1001', wave_id='W1', tote='T2', task_id=2, step='item'`,
	} {
		if _, err := old.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()
	s := open(t, path)
	for tote, want := range map[string]string{"T1": "ORD-1", "T2": "ORD-2", "T3": "", "T4": ""} {
		if got, err := s.ToteHolds(ctx, tote); err != nil || got != want {
			t.Errorf("%s holds %q after migrating, want %q (%v)", tote, got, want, err)
		}
	}
	if sess, err := s.LoadSession(ctx); err != nil || sess.ToteOrder != "ORD-2" {
		t.Fatalf("session %+v %v", sess, err)
	}
}

package hubstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func openBare(t *testing.T) (*SQLite, context.Context) {
	t.Helper()
	ctx := context.Background()
	s, err := OpenStore(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, ctx
}

func heldEvent(station string, seq int64) protocol.StoredEvent {
	return protocol.StoredEvent{Event: protocol.Event{Station: station, Seq: seq, ID: fmt.Sprintf("%s-%d", station, seq), Operator: "B1",
		DeviceTime: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Type: "scan.rejected", Payload: []byte(`{"input":"X"}`)},
		ReceivedAt: time.Date(2026, 3, 2, 9, 0, 1, 0, time.UTC), Status: protocol.Accepted}
}

// TestHeldRowsAreReadInTheirTransaction: events, story rows and tote units
// written as multi-row INSERTs are seen by each read of their tables in
// the same transaction (each read alone, in its own transaction),
// whatever their number (pieces of powers of two), and all of them are
// there once it commits, with those held after the read.
func TestHeldRowsAreReadInTheirTransaction(t *testing.T) {
	const n = 150 // two full statements and a remainder of 22 (16+4+2)
	reads := map[string]func(tx hub.StoreTx, station string) (int, error){
		"Events": func(tx hub.StoreTx, station string) (int, error) {
			evs, err := tx.Events(station, 0, 1000)
			return len(evs), err
		},
		"OrderEvents": func(tx hub.StoreTx, station string) (int, error) {
			evs, _, err := tx.OrderEvents("SO-"+station, 1000)
			return len(evs), err
		},
		"HeldEventIDs": func(tx hub.StoreTx, station string) (int, error) {
			ids := make([]string, n+1) // one more than held
			for i := range ids {
				ids[i] = fmt.Sprintf("%s-%d", station, i+1)
			}
			held, err := tx.HeldEventIDs(ids)
			return len(held), err
		},
		"ToteUnits": func(tx hub.StoreTx, station string) (int, error) {
			units, err := tx.ToteUnits("T-"+station, 1)
			return len(units), err
		},
		"DeleteLastToteUnit": func(tx hub.StoreTx, station string) (int, error) {
			u, ok, err := tx.DeleteLastToteUnit(station, n, 1)
			if err != nil || !ok || u.Seq != n {
				return 0, fmt.Errorf("deleted %+v, %v (%v), want the unit of sequence %d", u, ok, err, n)
			}
			return n, nil
		},
	}
	s, ctx := openBare(t)
	number := 0
	for name, read := range reads {
		number++
		station := fmt.Sprintf("CART-%02d", number)
		err := s.Tx(ctx, func(tx hub.StoreTx) error {
			if err := tx.InsertStation(protocol.StationInfo{ID: station, Number: number, RegisteredAt: time.Now()}); err != nil {
				return err
			}
			unit := func(seq int64) hub.ToteUnitRecord {
				return hub.ToteUnitRecord{Tote: "T-" + station, Fill: 1, Order: "SO-" + station,
					ToteUnit: protocol.ToteUnit{Station: station, Seq: seq, Task: seq, Line: 1, SKU: "MUG-1", Qty: 1}}
			}
			for i := int64(1); i <= n; i++ {
				if err := tx.InsertEvent(heldEvent(station, i)); err != nil {
					return err
				}
				if err := tx.IndexOrderEvent("SO-"+station, station, i); err != nil {
					return err
				}
				if err := tx.InsertToteUnit(unit(i)); err != nil {
					return err
				}
			}
			if got, err := read(tx, station); err != nil || got != n {
				return fmt.Errorf("%s read %d rows back in the transaction (%v), want %d", name, got, err, n)
			}
			// Held after the read, and sent by the commit alone.
			if err := tx.InsertEvent(heldEvent(station, n+1)); err != nil {
				return err
			}
			return tx.InsertToteUnit(unit(n + 1))
		})
		if err != nil {
			t.Fatal(err)
		}
		var events, units int
		if err := s.db.R.QueryRow(`SELECT (SELECT COUNT(*) FROM events WHERE station=?1), (SELECT COUNT(*) FROM tote_units WHERE station=?1)`, station).
			Scan(&events, &units); err != nil {
			t.Fatal(err)
		}
		wantUnits := n + 1
		if name == "DeleteLastToteUnit" {
			wantUnits--
		}
		if events != n+1 || units != wantUnits {
			t.Errorf("after %s: %d events and %d tote units committed, want %d and %d", name, events, units, n+1, wantUnits)
		}
	}
}

// TestHeldRowRefusedFailsItsTransaction: a held row a constraint refuses
// (an event sequence held twice) fails the whole transaction when it is
// sent at the end, and nothing of it stays.
func TestHeldRowRefusedFailsItsTransaction(t *testing.T) {
	s, ctx := openBare(t)
	if err := s.Tx(ctx, func(tx hub.StoreTx) error {
		return tx.InsertStation(protocol.StationInfo{ID: "CART-01", Number: 1, RegisteredAt: time.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	err := s.Tx(ctx, func(tx hub.StoreTx) error {
		for _, seq := range []int64{1, 2, 2} {
			if err := tx.InsertEvent(heldEvent("CART-01", seq)); err != nil {
				return err
			}
		}
		return tx.SetStationMark("CART-01", 2, time.Now())
	})
	if err == nil {
		t.Fatal("a sequence inserted twice was committed")
	}
	var events, mark int
	if err := s.db.R.QueryRow(`SELECT (SELECT COUNT(*) FROM events), mark FROM stations WHERE id='CART-01'`).Scan(&events, &mark); err != nil {
		t.Fatal(err)
	}
	if events != 0 || mark != 0 {
		t.Fatalf("%d events and mark %d after the refused transaction, want none and 0", events, mark)
	}
}

// TestWriterKeepsWhatItPrepared: a query the writer had not prepared is
// kept once its transaction ends, so the next transaction binds it; a
// query that does not parse still fails where it runs.
func TestWriterKeepsWhatItPrepared(t *testing.T) {
	s, ctx := openBare(t)
	const q = `SELECT COUNT(*) FROM order_events WHERE order_id=?`
	kept := func() bool {
		s.mu.RLock()
		defer s.mu.RUnlock()
		_, ok := s.stmts[q]
		return ok
	}
	if kept() {
		t.Fatal("the query was prepared before it ran")
	}
	for range 2 {
		err := s.Tx(ctx, func(tx hub.StoreTx) error {
			var n int
			return tx.(*storeTx).row(q, "SO-1").Scan(&n)
		})
		if err != nil {
			t.Fatal(err)
		}
		if !kept() {
			t.Fatal("the writer did not keep the query it ran")
		}
	}
	err := s.Tx(ctx, func(tx hub.StoreTx) error { return tx.(*storeTx).run(`INSERT INTO no_such_table VALUES (1)`) })
	if err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("a query that does not parse gave %v", err)
	}
}

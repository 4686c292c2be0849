package pgstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// TestTxReadsWhatItWrote: a transaction keeps what it read of an order,
// a wave, a station and the settings (cache.go); every read after a
// write in the same transaction answers what the database would, and
// after the commit the database holds the same.
func TestTxReadsWhatItWrote(t *testing.T) {
	s := open(t, pgtest.DSN(t))
	now := time.Now()
	if _, err := s.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.RegisterStation(ctx, "CART-01", "", hub.HashToken(hub.NewToken(hub.TokenStation)), now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportOrders(ctx, []protocol.Order{{ID: "SO-1", ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
		Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 5}, {Line: 2, SKU: "MUG-1", Qty: 5}}}}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateWave(ctx, protocol.NewWave{ID: "W-1", Orders: []string{"SO-1"}, Station: "CART-01"}, now); err != nil {
		t.Fatal(err)
	}

	check := func(tx hub.StoreTx, step string, want func(o hub.OrderRecord, ts []hub.LineTally, life hub.LifeRecord, w protocol.Wave, bytes int64, set map[string]string) bool) {
		t.Helper()
		o, ok, err := tx.Order("SO-1")
		if err != nil || !ok {
			t.Fatalf("%s: order: %v %v", step, ok, err)
		}
		ts, err := tx.Tallies("SO-1")
		if err != nil {
			t.Fatal(err)
		}
		life, _, err := tx.OrderLife("SO-1")
		if err != nil {
			t.Fatal(err)
		}
		wave, err := tx.OrderWave("SO-1")
		if err != nil || wave != "W-1" {
			t.Fatalf("%s: the order's wave is %q (%v), want W-1", step, wave, err)
		}
		w, _, err := tx.Wave(wave)
		if err != nil {
			t.Fatal(err)
		}
		bytes, err := tx.StationBytes("CART-01")
		if err != nil {
			t.Fatal(err)
		}
		set, err := tx.Settings()
		if err != nil {
			t.Fatal(err)
		}
		if !want(o, ts, life, w, bytes, set) {
			t.Fatalf("%s: read %+v %+v %+v %+v %d %v", step, o, ts, life, w, bytes, set)
		}
	}

	var bytes0 int64
	err := s.Postgres.Tx(ctx, func(tx hub.StoreTx) error {
		if _, ok, err := tx.Station("CART-01"); err != nil || !ok {
			t.Fatalf("station: %v %v", ok, err)
		}
		var err error
		if bytes0, err = tx.StationBytes("CART-01"); err != nil {
			return err
		}
		check(tx, "before", func(o hub.OrderRecord, ts []hub.LineTally, life hub.LifeRecord, w protocol.Wave, _ int64, set map[string]string) bool {
			return len(o.Lines) == 2 && len(o.Holds) == 0 && len(ts) == 0 && life.State == "" && w.Station == "CART-01" && set["pick.window"] == ""
		})
		// What a caller does to what it was given is not kept.
		o, _, _ := tx.Order("SO-1")
		o.Lines[0].Qty = 99
		if again, _, _ := tx.Order("SO-1"); again.Lines[0].Qty != 5 {
			t.Fatalf("a caller's change to the lines it was given changed the order: %+v", again.Lines)
		}
		lt, err := tx.Tally("SO-1", 2)
		if err != nil || lt != (hub.LineTally{Line: 2}) {
			t.Fatalf("tally of an untouched line: %+v %v", lt, err)
		}
		for _, w := range []func() error{
			func() error { return tx.PutHold("SO-1", protocol.Hold{Reason: "credit", Note: "call"}, now) },
			func() error { return tx.PutTally("SO-1", hub.LineTally{Line: 2, Picked: 3}) },
			func() error { return tx.PutTally("SO-1", hub.LineTally{Line: 1, Short: 1}) },
			func() error { return tx.PutOrderLife("SO-1", hub.LifeRecord{State: "picking"}) },
			func() error { return tx.SetWaveStation("W-1", "CART-02") },
			func() error { return tx.AddStationBytes("CART-01", 10) },
			func() error { return tx.PutSetting("pick.window", "5") },
		} {
			if err := w(); err != nil {
				return err
			}
		}
		if lt, err := tx.Tally("SO-1", 2); err != nil || lt.Picked != 3 {
			t.Fatalf("tally after the write: %+v %v", lt, err)
		}
		check(tx, "after the writes", func(o hub.OrderRecord, ts []hub.LineTally, life hub.LifeRecord, w protocol.Wave, bytes int64, set map[string]string) bool {
			return len(o.Holds) == 1 && o.Holds[0].Reason == "credit" &&
				slices.Equal(ts, []hub.LineTally{{Line: 1, Short: 1}, {Line: 2, Picked: 3}}) &&
				life.State == "picking" && w.Station == "CART-02" && bytes == bytes0+10 && set["pick.window"] == "5"
		})
		if _, err := tx.DeleteHold("SO-1", "credit"); err != nil {
			return err
		}
		if err := tx.SetOrderStatus("SO-1", "cancelled", "asked"); err != nil {
			return err
		}
		if o, _, _ := tx.Order("SO-1"); len(o.Holds) != 0 || o.Status != "cancelled" {
			t.Fatalf("order after the hold was lifted and it was cancelled: %+v", o)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The database holds what the transaction read back.
	err = s.Postgres.Read(ctx, func(tx hub.StoreTx) error {
		check(tx, "committed", func(o hub.OrderRecord, ts []hub.LineTally, life hub.LifeRecord, w protocol.Wave, bytes int64, set map[string]string) bool {
			return len(o.Holds) == 0 && o.Status == "cancelled" &&
				slices.Equal(ts, []hub.LineTally{{Line: 1, Short: 1}, {Line: 2, Picked: 3}}) &&
				life.State == "picking" && w.Station == "CART-02" && bytes == bytes0+10 && set["pick.window"] == "5"
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

package hubtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

var outboxTests = []struct {
	name string
	fn   func(*testing.T, hub.Store)
}{
	{"FactsOfAnOrdersLife", factsOfAnOrdersLife},
	{"FactsOnlyWhenCommitted", factsOnlyWhenCommitted},
	{"DeliveriesDueInOrderOrder", deliveriesDueInOrder},
	{"StationTrackingMarked", stationTrackingMarked},
	{"PruneDeliveries", pruneDeliveries},
}

// stationTrackingMarked: a tracking number no carrier label of the order
// has is reported as the station's, in the facts and the fulfilment.
func stationTrackingMarked(t *testing.T, s hub.Store) {
	h := hub.New(s, hub.ServiceOptions{})
	site(t, h, 1)
	register(t, h, "PACK-01")
	j := &journal{station: "PACK-01"}
	_, err := h.Push(ctx, "PACK-01", at, []protocol.Event{
		j.ev("pack.label_requested", map[string]any{"order": "SO-1", "shipment": "SH-1", "sscc": "000000000000000017",
			"tracking": "TT00010000000018", "lines": []map[string]int{{"line": 1, "qty": 2}}}),
		j.ev("pack.shipment_completed", map[string]string{"order": "SO-1", "shipment": "SH-1"}),
	})
	must(t, err)
	// Shipped means it left the dock: loaded onto a pickup that closed.
	register(t, h, "DOCK-01")
	d := &journal{station: "DOCK-01"}
	_, err = h.Push(ctx, "DOCK-01", at, []protocol.Event{
		d.ev(protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: "000000000000000017", Order: "SO-1", Shipment: "SH-1", Pickup: "PU-1"}),
		d.ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "PU-1", SSCCs: []string{"000000000000000017"}}),
	})
	must(t, err)
	fs := allFacts(t, h)
	var shipped protocol.FactShipment
	must(t, json.Unmarshal(fs[len(fs)-1].Data, &shipped))
	if fs[len(fs)-1].Kind != protocol.FactShipped || shipped.Cartons[0].TrackingSource != protocol.TrackingStation {
		t.Fatalf("last fact %s %+v", fs[len(fs)-1].Kind, shipped)
	}
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if len(f.Parcels) != 1 || f.Parcels[0].TrackingSource != protocol.TrackingStation {
		t.Fatalf("parcels %+v", f.Parcels)
	}
}

// allFacts reads the whole feed in small pages.
func allFacts(t *testing.T, h *hub.Service) []protocol.Fact {
	t.Helper()
	var out []protocol.Fact
	var after int64
	for {
		p, err := h.Facts(ctx, after, 3)
		must(t, err)
		if len(p.Facts) == 0 {
			if p.Next != after {
				t.Fatalf("an empty page moved the cursor from %d to %d", after, p.Next)
			}
			return out
		}
		out = append(out, p.Facts...)
		after = p.Next
	}
}

func kindsOf(fs []protocol.Fact, order string) []string {
	var out []string
	for _, f := range fs {
		if f.Order == order {
			out = append(out, f.Kind)
		}
	}
	return out
}

func factsOfAnOrdersLife(t *testing.T, s hub.Store) {
	h := hub.New(s, hub.ServiceOptions{Now: func() time.Time { return at }})
	site(t, h, 2)
	must(t, h.PlaceHold(ctx, "SO-1", protocol.Hold{Reason: "FRAUD", Note: "check card"}, at))
	must(t, h.ReleaseHold(ctx, "SO-1", "FRAUD"))
	register(t, h, "PACK-01")
	register(t, h, "CART-01")
	must(t, h.AddLabel(ctx, protocol.Label{Order: "SO-1", Tracking: "1Z999AA10123456784", Carrier: "UPS", Format: "zpl", Data: "^XA^FDx^FS^XZ"}, at))
	// Picks come from the cart the order's wave is assigned to.
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	c := &journal{station: "CART-01"}
	short := floor.ShortPayload{TaskPayload: floor.TaskPayload{Order: "SO-1", Line: 2, SKU: "CUP-1"}, Short: 1}
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{
		c.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 2)),
		c.ev(string(floor.EvTaskShort), short),
	})
	must(t, err)
	j := &journal{station: "PACK-01"}
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{
		j.ev("pack.label_requested", map[string]any{"order": "SO-1", "shipment": "SH-1", "sscc": "000000000000000017",
			"tracking": "1Z999AA10123456784", "carrier": "UPS", "lines": []map[string]int{{"line": 1, "qty": 2}}}),
		j.ev("pack.shipment_completed", map[string]string{"order": "SO-1", "shipment": "SH-1"}),
	})
	must(t, err)
	register(t, h, "DOCK-01")
	d := &journal{station: "DOCK-01"}
	_, err = h.Push(ctx, "DOCK-01", at, []protocol.Event{
		d.ev(protocol.EvDispatchParcelLoaded, protocol.DispatchParcelLoaded{SSCC: "000000000000000017", Order: "SO-1", Shipment: "SH-1", Pickup: "PU-1", Carrier: "UPS"}),
		d.ev(protocol.EvDispatchPickupClosed, protocol.DispatchPickupClosed{Pickup: "PU-1", Carrier: "UPS", SSCCs: []string{"000000000000000017"}}),
	})
	must(t, err)
	must(t, h.CancelOrder(ctx, "SO-2", "customer changed mind", at))
	fs := allFacts(t, h)
	want := []string{protocol.FactAccepted, protocol.FactHeld, protocol.FactReleased, protocol.FactShort, protocol.FactPicked,
		protocol.FactBackordered, protocol.FactPacked, protocol.FactShipped}
	if got := kindsOf(fs, "SO-1"); !slices.Equal(got, want) {
		t.Fatalf("SO-1's facts %v, want %v", got, want)
	}
	if got := kindsOf(fs, "SO-2"); !slices.Equal(got, []string{protocol.FactAccepted, protocol.FactCancelled}) {
		t.Fatalf("SO-2's facts %v", got)
	}
	seqs := map[string]int64{}
	for i, f := range fs {
		if i > 0 && f.ID <= fs[i-1].ID {
			t.Fatalf("fact ids not ascending: %d after %d", f.ID, fs[i-1].ID)
		}
		seqs[f.Order]++
		if f.Seq != seqs[f.Order] {
			t.Fatalf("fact %d of %s has seq %d, want %d", f.ID, f.Order, f.Seq, seqs[f.Order])
		}
	}
	var shipped protocol.FactShipment
	must(t, json.Unmarshal(fs[slices.IndexFunc(fs, func(f protocol.Fact) bool { return f.Kind == protocol.FactShipped })].Data, &shipped))
	if len(shipped.Cartons) != 1 || shipped.Cartons[0].Tracking != "1Z999AA10123456784" || shipped.Cartons[0].TrackingSource != protocol.TrackingCarrier ||
		shipped.Cartons[0].SSCC != "000000000000000017" || shipped.Carrier != "UPS" || len(shipped.Lines) != 1 || shipped.Lines[0].Qty != 2 || shipped.Lines[0].SKU != "MUG-1" {
		t.Fatalf("shipped %+v", shipped)
	}
	var back protocol.FactPick
	must(t, json.Unmarshal(fs[slices.IndexFunc(fs, func(f protocol.Fact) bool { return f.Kind == protocol.FactBackordered })].Data, &back))
	if len(back.Lines) != 1 || back.Lines[0].Line != 2 || back.Lines[0].Short != 1 {
		t.Fatalf("back-ordered %+v", back)
	}
}

func factsOnlyWhenCommitted(t *testing.T, s hub.Store) {
	h := hub.New(s, hub.ServiceOptions{})
	site(t, h, 1)
	before := allFacts(t, h)
	// A refused import and a refused push write no fact.
	_, err := h.ImportOrders(ctx, []protocol.Order{{ID: "SO-9", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}},
		{ID: "SO-10", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "NOPE", Qty: 1}}}}, at)
	wantCode(t, err, protocol.CodeConflict, "an import with an unknown SKU")
	register(t, h, "PACK-01")
	j := &journal{station: "PACK-01", seq: 5}
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{j.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 2))})
	wantCode(t, err, protocol.CodeGap, "a push with a gap")
	if after := allFacts(t, h); len(after) != len(before) {
		t.Fatalf("refused changes wrote facts: %d before, %d after", len(before), len(after))
	}
	// A resent push adds nothing.
	j = &journal{station: "PACK-01"}
	evs := []protocol.Event{j.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 2))}
	_, err = h.Push(ctx, "PACK-01", at, evs)
	must(t, err)
	n := len(allFacts(t, h))
	_, err = h.Push(ctx, "PACK-01", at, evs)
	must(t, err)
	if len(allFacts(t, h)) != n {
		t.Fatal("a resent push wrote facts again")
	}
}

func deliveriesDueInOrder(t *testing.T, s hub.Store) {
	var facts []protocol.Fact
	must(t, s.Tx(ctx, func(tx hub.StoreTx) error {
		for i, o := range []string{"A", "B", "A", "A"} {
			f, err := tx.AppendFact(protocol.Fact{Order: o, Kind: protocol.FactHeld, At: at, Data: json.RawMessage(fmt.Sprintf(`{"reason":"R%d"}`, i))})
			if err != nil {
				return err
			}
			facts = append(facts, f)
		}
		if err := tx.PutWebhook(hub.Webhook{ID: "oms", URL: "http://127.0.0.1:1/", Secret: "0123456789abcdef", Kinds: []string{protocol.FactHeld}, CreatedAt: at}); err != nil {
			return err
		}
		for i, f := range facts {
			d := hub.Delivery{ID: fmt.Sprintf("d%d", i), Webhook: "oms", Fact: f, Status: hub.DeliveryPending, NextAt: at, CreatedAt: at, UpdatedAt: at}
			if err := tx.InsertDelivery(d); err != nil {
				return err
			}
			d.ID = "again"
			if err := tx.InsertDelivery(d); err != nil { // a second fan-out of the same fact does nothing
				return err
			}
		}
		return nil
	}))
	if facts[2].Seq != 2 || facts[3].Seq != 3 || facts[1].Seq != 1 {
		t.Fatalf("per-order seqs %+v", facts)
	}
	due := func(now time.Time) []string {
		var ids []string
		must(t, s.Read(ctx, func(tx hub.StoreTx) error {
			ds, err := tx.DueDeliveries(now, 100)
			for _, d := range ds {
				ids = append(ids, d.ID)
				if d.Fact.Kind != protocol.FactHeld || len(d.Fact.Data) == 0 {
					t.Errorf("delivery %s came without its fact: %+v", d.ID, d.Fact)
				}
			}
			return err
		}))
		return ids
	}
	if got := due(at); !slices.Equal(got, []string{"d0", "d1"}) {
		t.Fatalf("due %v, want each order's first", got)
	}
	update := func(id, status string, next time.Time) {
		must(t, s.Tx(ctx, func(tx hub.StoreTx) error {
			d, ok, err := tx.Delivery(id)
			if err != nil || !ok {
				return fmt.Errorf("delivery %s: %v %v", id, ok, err)
			}
			d.Status, d.NextAt, d.Attempts = status, next, d.Attempts+1
			return tx.UpdateDelivery(d)
		}))
	}
	update("d0", hub.DeliveryPending, at.Add(time.Minute))
	if got := due(at); !slices.Equal(got, []string{"d1"}) {
		t.Fatalf("due %v while d0 waits, want d1 only (d2 waits behind d0)", got)
	}
	must(t, s.Read(ctx, func(tx hub.StoreTx) error {
		next, ok, err := tx.NextDue()
		if !ok || !next.Equal(at) {
			t.Errorf("next due %v %v, want %v", next, ok, at)
		}
		return err
	}))
	update("d0", hub.DeliveryDead, at)
	if got := due(at.Add(time.Hour)); !slices.Equal(got, []string{"d1"}) {
		t.Fatalf("due %v with d0 dead: A's later facts must wait", got)
	}
	update("d0", hub.DeliveryDelivered, at)
	if got := due(at.Add(time.Hour)); !slices.Equal(got, []string{"d1", "d2"}) {
		t.Fatalf("due %v once d0 is delivered", got)
	}
	must(t, s.Read(ctx, func(tx hub.StoreTx) error {
		ds, err := tx.Deliveries("oms", hub.DeliveryDelivered, 0, 10)
		if len(ds) != 1 || ds[0].ID != "d0" || ds[0].Attempts != 3 {
			t.Errorf("delivered %+v", ds)
		}
		return err
	}))
}

// pruneDeliveries: only delivered rows whose delivering attempt is older
// than the cut go; a recent delivered one and an old dead one stay.
func pruneDeliveries(t *testing.T, s hub.Store) {
	h := hub.New(s, hub.ServiceOptions{})
	site(t, h, 3)
	var fs []protocol.Fact
	must(t, s.Tx(ctx, func(tx hub.StoreTx) error {
		if err := tx.PutWebhook(hub.Webhook{ID: "oms", URL: "http://127.0.0.1:1/", Secret: "s", CreatedAt: at}); err != nil {
			return err
		}
		safe, err := tx.FactsSafe()
		if err != nil {
			return err
		}
		if fs, err = tx.Facts(0, safe, 10); err != nil || len(fs) < 3 {
			return fmt.Errorf("facts %v %v", fs, err)
		}
		for i, st := range []struct {
			status string
			due    time.Time
		}{{hub.DeliveryDelivered, at.Add(-48 * time.Hour)}, {hub.DeliveryDelivered, at}, {hub.DeliveryDead, at.Add(-48 * time.Hour)}} {
			d := hub.Delivery{ID: fmt.Sprintf("dl_%d", i), Webhook: "oms", Fact: fs[i], Status: st.status, Attempts: 1, NextAt: st.due, CreatedAt: st.due, UpdatedAt: st.due}
			if err := tx.InsertDelivery(d); err != nil {
				return err
			}
		}
		return nil
	}))
	must(t, s.Tx(ctx, func(tx hub.StoreTx) error { return tx.PruneDeliveries(at.Add(-24 * time.Hour)) }))
	var left []hub.Delivery
	must(t, s.Read(ctx, func(tx hub.StoreTx) (err error) { left, err = tx.Deliveries("oms", "", 0, 10); return err }))
	var ids []string
	for _, d := range left {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, []string{"dl_1", "dl_2"}) {
		t.Fatalf("after pruning: %v, want the recent delivered and the dead one", ids)
	}
}

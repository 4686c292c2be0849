package main

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

const keyF4 = "\x1bOS"

// journalTypes counts the event types in the journal of the demo station
// id, kept in dir/id/station.db, and returns the store open for more.
func journalTypes(t *testing.T, dir, id string) (map[floor.EventType]int, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(dir, id, "station.db"), id)
	if err != nil {
		t.Fatalf("%s's own store: %v", id, err)
	}
	t.Cleanup(func() { st.Close() })
	evs, err := st.Journal(context.Background(), 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	n := map[floor.EventType]int{}
	for _, e := range evs {
		if e.Station != id {
			t.Fatalf("%s's journal holds an event of %s", id, e.Station)
		}
		n[e.Type]++
	}
	return n, st
}

// quit ends a demo with ctrl+c and waits for it to exit cleanly.
func (term *terminal) quit() {
	term.t.Helper()
	term.typeKeys("\x03")
	select {
	case <-term.done:
	case <-time.After(10 * time.Second):
		term.t.Fatal("tote did not quit on ctrl+c")
	}
	if err := term.cmd.Wait(); err != nil {
		term.t.Fatalf("tote demo exited with %v", err)
	}
}

// TestDemoStationsJoinedByTheHub runs `tote demo` as a newcomer would: a
// tote picked on the demo's cart (CART-01) reaches the pack bench
// (PACK-01, its own store) through the demo's hub and opens its order
// there; Tab moves from cart to bench to dock and back, each station
// where it was left; the order packed on the bench becomes a parcel the
// dock (DOCK-01) loads and ships. Afterwards each station's own store
// holds only its own events (the picks on the cart's, the packing on the
// bench's, the pickup on the dock's), what came from the others only as
// the hub's word, and the hub has the order shipped.
func TestDemoStationsJoinedByTheHub(t *testing.T) {
	dir := t.TempDir()
	term := startTote(t, "demo", "--dir", dir)
	term.waitFor("tote CART-01")
	term.waitFor("Tab bench") // the switch key, on the help line
	term.typeKeys("B1001\r")
	term.waitFor("Hello Ana Picker")
	for _, next := range []string{"Picking into tote", "scan CAND-435", "Picked 1 × CAND-435", "At A-05-09-2", "1 of 2",
		"Picked 2 × YOGA-217", "scan BACK-378", "Next order ORD-100002"} {
		term.typeKeys(keyF12)
		term.waitFor(next)
	}

	term.typeKeys("\t")
	term.waitFor("tote PACK-01")
	term.waitFor("Tab dock")
	term.typeKeys("B1002\r")
	term.waitFor("Hello Ben Packer")
	term.waitFor("T00001") // the side panel's NEXT: the tote the hub sent the bench
	term.typeKeys(keyF12)
	term.waitFor("Order ORD-100001 for Noah Tanaka: 4 units on 3 lines")

	term.typeKeys("\t")
	term.waitFor("tote DOCK-01")
	term.waitFor("Tab cart")
	term.typeKeys("\t")
	term.waitFor("tote CART-01 · Ana Picker") // where it was left
	term.waitFor("Scan a tote for ORD-100002")
	term.typeKeys("\x1b[Z") // Shift+Tab: back to the dock
	term.waitFor("tote DOCK-01")
	term.typeKeys("\x1b[Z")
	term.waitFor("tote PACK-01 · Ben Packer")
	term.waitFor("0 of 4 verified")

	// Packed on the bench (the demo's hand puts the carton on the scale),
	// the parcel goes to the dock through the hub, is loaded and leaves.
	for n := 1; n <= 4; n++ {
		term.typeKeys(keyF12)
		term.waitFor(fmt.Sprintf("%d of 4 verified", n))
	}
	term.typeKeys(keyF12) // CMD:COMPLETE
	term.waitFor("press Enter for")
	term.typeKeys("\r")
	term.waitFor("Order ORD-100001 packed: 1 label printing")
	term.typeKeys("\t")
	term.waitFor("tote DOCK-01")
	term.typeKeys("B1002\r")
	term.waitFor("Ready at the dock:") // the bench's parcel, from the hub
	term.typeKeys(keyF12)
	term.waitFor("1 parcel loaded")
	term.typeKeys(keyF4)
	term.waitFor("1 parcel shipped with OWN FLEET")
	term.quit()

	cart, _ := journalTypes(t, dir, "CART-01")
	bench, bst := journalTypes(t, dir, "PACK-01")
	dock, dst := journalTypes(t, dir, "DOCK-01")
	if cart[floor.EvUnitsPicked] != 4 || bench[floor.EvUnitsPicked] != 0 || dock[floor.EvUnitsPicked] != 0 {
		t.Fatalf("units picked: cart %d, bench %d, dock %d; want the cart's 4 only (one per unit scanned)",
			cart[floor.EvUnitsPicked], bench[floor.EvUnitsPicked], dock[floor.EvUnitsPicked])
	}
	if len(bench) == 0 {
		t.Fatal("the bench journaled nothing of its own")
	}
	// The bench knew the tote only from the hub, which freed it once packed.
	ti, err := bst.ToteInfo(context.Background(), "T00001")
	if err != nil || !ti.Known || ti.Freed != "ORD-100001" || ti.FreedBy != protocol.ToteFreedPacked {
		t.Fatalf("the bench knows T00001 as %+v (%v), want ORD-100001's, freed as packed", ti, err)
	}
	if holding, err := bst.HubTotesHolding(context.Background()); err != nil || len(holding) != 0 {
		t.Fatalf("totes still holding an order at the bench: %v %v", holding, err)
	}
	if dock[floor.EvDispatchPickupClosed] != 1 || bench[floor.EvDispatchPickupClosed] != 0 || cart[floor.EvPackShipmentCompleted] != 0 {
		t.Fatalf("the dock closed %d pickups, the bench %d; the cart completed %d shipments",
			dock[floor.EvDispatchPickupClosed], bench[floor.EvDispatchPickupClosed], cart[floor.EvPackShipmentCompleted])
	}
	if bench[floor.EvPackShipmentCompleted] != 1 {
		t.Fatalf("the bench completed %d shipments, want ORD-100001's", bench[floor.EvPackShipmentCompleted])
	}
	if ready, err := dst.HubParcelsReady(context.Background()); err != nil || len(ready) != 0 {
		t.Fatalf("parcels still ready at the dock after the pickup left: %v %v", ready, err)
	}
	hs, err := hubstore.Open(context.Background(), filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	if f, err := hs.Fulfilment(context.Background(), "ORD-100001"); err != nil || f.Status != protocol.StatusShipped {
		t.Fatalf("at the hub ORD-100001 is %+v (%v), want shipped", f.Status, err)
	}
}

// TestDemoStartsAtTheBench: `tote demo --bench pack` opens at the pack
// bench once the demo's cart has picked the first 12 orders on its own
// store and their totes have come to the bench through the hub: the first
// tote opens its order at once, with every unit the cart picked.
func TestDemoStartsAtTheBench(t *testing.T) {
	dir := t.TempDir()
	term := startTote(t, "demo", "--dir", dir, "--bench", "pack")
	term.waitFor("tote PACK-01")
	term.waitFor("Tab dock")
	term.typeKeys("B1002\r")
	term.waitFor("Hello Ben Packer")
	term.typeKeys(keyF12)
	term.waitFor("Order ORD-100001 for Noah Tanaka: 4 units on 3 lines")
	term.typeKeys("\x1b[Z") // Shift+Tab: the cart the demo picked on, logged out
	term.waitFor("tote CART-01")
	term.waitFor("Scan your badge")
	term.quit()

	cart, _ := journalTypes(t, dir, "CART-01")
	bench, bst := journalTypes(t, dir, "PACK-01")
	if cart[floor.EvUnitsPicked] == 0 || bench[floor.EvUnitsPicked] != 0 {
		t.Fatalf("units picked: cart %d, bench %d; want the cart's only", cart[floor.EvUnitsPicked], bench[floor.EvUnitsPicked])
	}
	if holding, err := bst.HubTotesHolding(context.Background()); err != nil || len(holding) != 12 {
		t.Fatalf("the bench knows %d totes from the hub (%v), want the cart's 12", len(holding), err)
	}
}

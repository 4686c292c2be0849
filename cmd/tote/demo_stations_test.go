package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
)

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
// where it was left. Afterwards each station's own store holds only its
// own events: the picks on the cart's, the bench's sign-in and order on
// the bench's, the tote only as the hub's word.
func TestDemoStationsJoinedByTheHub(t *testing.T) {
	dir := t.TempDir()
	term := startTote(t, "demo", "--dir", dir)
	term.waitFor("tote CART-01")
	term.waitFor("Tab pack bench") // the switch key, on the help line
	term.typeKeys("B1001\r")
	term.waitFor("Hello Ana Picker")
	for _, next := range []string{"Picking into tote", "scan CAND-435", "Picked 1 × CAND-435", "At A-05-09-2", "1 of 2",
		"Picked 2 × YOGA-217", "scan BACK-378", "Next order ORD-100002"} {
		term.typeKeys(keyF12)
		term.waitFor(next)
	}

	term.typeKeys("\t")
	term.waitFor("tote PACK-01")
	term.waitFor("Tab dispatch bench")
	term.typeKeys("B1002\r")
	term.waitFor("Hello Ben Packer")
	term.waitFor("T00001") // the side panel's NEXT: the tote the hub sent the bench
	term.typeKeys(keyF12)
	term.waitFor("Order ORD-100001 for Noah Tanaka: 4 units on 3 lines")

	term.typeKeys("\t")
	term.waitFor("tote DOCK-01")
	term.waitFor("Tab pick cart")
	term.typeKeys("\t")
	term.waitFor("tote CART-01 · Ana Picker") // where it was left
	term.waitFor("Scan a tote for ORD-100002")
	term.typeKeys("\x1b[Z") // Shift+Tab: back to the dock
	term.waitFor("tote DOCK-01")
	term.typeKeys("\x1b[Z")
	term.waitFor("tote PACK-01 · Ben Packer")
	term.waitFor("0 of 4 verified")
	term.quit()

	cart, _ := journalTypes(t, dir, "CART-01")
	bench, bst := journalTypes(t, dir, "PACK-01")
	dock, _ := journalTypes(t, dir, "DOCK-01")
	if cart[floor.EvUnitsPicked] != 4 || bench[floor.EvUnitsPicked] != 0 || dock[floor.EvUnitsPicked] != 0 {
		t.Fatalf("units picked: cart %d, bench %d, dock %d; want the cart's 4 only (one per unit scanned)",
			cart[floor.EvUnitsPicked], bench[floor.EvUnitsPicked], dock[floor.EvUnitsPicked])
	}
	if len(bench) == 0 {
		t.Fatal("the bench journaled nothing of its own")
	}
	ti, err := bst.ToteInfo(context.Background(), "T00001")
	if err != nil || ti.Order != "ORD-100001" {
		t.Fatalf("the bench knows T00001 as %+v (%v), want ORD-100001 from the hub", ti, err)
	}
	if holding, err := bst.HubTotesHolding(context.Background()); err != nil || len(holding) != 1 || holding[0] != "T00001" {
		t.Fatalf("the totes the hub sent the bench: %v %v", holding, err)
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
	term.waitFor("Tab dispatch bench")
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

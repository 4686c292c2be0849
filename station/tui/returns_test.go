package tui

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/returns"
	"github.com/totewms/tote/station/returnsbench"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui/returnspage"
)

var rosa = floor.Operator{Badge: "B4001", Name: "Rosa Returns", Roles: []floor.Role{floor.RoleReturns}}

const retSSCC = "006141410000000017"

// newReturnsHarness is a real returns station over a real store that the
// hub told of ORD-0001: 2 red mugs shipped in parcel retSSCC, one plate
// not shipped.
func newReturnsHarness(t *testing.T, w, h int) (*harness, *store.Store) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	st, err := store.Open(ctx, path, "RET-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	site := store.Site{Operators: []floor.Operator{rosa, pam},
		Items:     []floor.Item{{SKU: "MUG-RED", GTINs: []string{gMug}, Description: "Red mug"}, {SKU: "PLATE-1", Description: "Plate"}},
		Locations: []floor.Location{{Code: "A-01-01-1", Zone: "A"}}}
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: packDay, Changes: []store.Change{{Returnable: &store.Returnable{
		Order: "ORD-0001", SSCCs: []string{retSSCC}, Lines: []store.ReturnableLine{{Line: 1, SKU: "MUG-RED", Shipped: 2}, {Line: 2, SKU: "PLATE-1"}}}}}}); err != nil {
		t.Fatal(err)
	}
	hs := openReturns(t, st, w, h)
	return hs, st
}

func openReturns(t *testing.T, st *store.Store, w, h int) *harness {
	in, _ := barcode.NewInterpreter(barcode.DefaultPatterns())
	stn, err := station.Open(context.Background(), st, in, station.Options{Bench: returnsbench.Name, Now: func() time.Time { return packDay }})
	if err != nil {
		t.Fatal(err)
	}
	ss := &syncStation{stn: stn}
	hs := &harness{t: t, ss: ss, m: New(ss, nil, stn.Snapshot(), Options{Station: "RET-01"})}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

func (h *harness) returnsStep(want returns.Step) {
	h.t.Helper()
	if got := h.m.page.(returnspage.Page).State().Step; got != want {
		h.t.Fatalf("step %s, want %s; message %q; screen:\n%s", got, want, h.m.feedback.Message, h.screen())
	}
}

// returnsScreens walks the returns bench through its screens at one
// size: login, the order, a unit restocked (condition, reason,
// disposition by keys, the location), a refusal, the finish.
func returnsScreens(t *testing.T, w, hgt int) {
	size := strconv.Itoa(w) + "x" + strconv.Itoa(hgt)
	h, st := newReturnsHarness(t, w, hgt)
	h.golden("returns_login_" + size)
	h.typeLine("B4001")
	h.returnsStep(returns.StepOrder)
	h.typeLine("RMA-5521")
	h.golden("returns_order_" + size)
	h.typeLine(retSSCC)
	h.returnsStep(returns.StepItem)
	h.golden("returns_item_" + size)
	h.typeLine(gMug)
	h.returnsStep(returns.StepCondition)
	h.golden("returns_condition_" + size)
	h.press(tea.KeyF3) // opened
	h.returnsStep(returns.StepReason)
	h.press(tea.KeyF2) // unwanted
	h.returnsStep(returns.StepDisposition)
	h.golden("returns_disposition_" + size)
	h.press(tea.KeyF2) // restock
	h.returnsStep(returns.StepLocation)
	h.golden("returns_location_" + size)
	h.typeLine("A-01-01-1")
	h.returnsStep(returns.StepItem)
	h.typeLine("PLATE-1") // not shipped: refused in red, nothing moves
	if h.m.feedback.Level != floor.Error || !strings.Contains(h.m.feedback.Message, "shipped no PLATE-1") {
		t.Fatalf("a plate that never shipped: %+v", h.m.feedback)
	}
	h.returnsStep(returns.StepItem)
	h.golden("returns_refused_" + size)
	h.press(tea.KeyF4) // finish
	h.returnsStep(returns.StepOrder)
	h.golden("returns_finished_" + size)
	r, _, err := st.Returnable(context.Background(), "ORD-0001")
	if err != nil || r.Lines[0].Returned != 1 {
		t.Fatalf("the station counts its own return: %+v %v", r, err)
	}
}

func TestReturnsScreens120x40(t *testing.T) { returnsScreens(t, 120, 40) }
func TestReturnsScreens80x24(t *testing.T)  { returnsScreens(t, 80, 24) }
func TestReturnsScreens40x16(t *testing.T)  { returnsScreens(t, 40, 16) }

// TestReturnsBenchResumesAndCountsOffline: a unit recorded, the bench
// stopped mid-choice, restarted: the return resumes at the choice with
// its unit; the second mug is recorded, and a third is refused offline
// as more than shipped (the hub has not heard of either yet).
func TestReturnsBenchResumesAndCountsOffline(t *testing.T) {
	h, st := newReturnsHarness(t, 80, 24)
	h.typeLine("B4001")
	h.typeLine("ORD-0001")
	h.typeLine(gMug)
	h.typeLine("sellable")
	h.typeLine("defective")
	h.press(tea.KeyF3) // refurbish
	h.returnsStep(returns.StepItem)
	h.typeLine("mug-red") // a plain SKU, any case
	h.press(tea.KeyF4)    // damaged
	h.returnsStep(returns.StepReason)

	h = openReturns(t, st, 80, 24) // the bench restarts
	h.returnsStep(returns.StepReason)
	if r := h.m.page.(returnspage.Page).State().Return; r == nil || r.Units() != 1 {
		t.Fatalf("the return after a restart: %+v", r)
	}
	h.press(tea.KeyF6) // other
	h.press(tea.KeyF4) // destroy
	h.returnsStep(returns.StepItem)
	h.typeLine(gMug)
	if h.m.feedback.Level != floor.Error || !strings.Contains(h.m.feedback.Message, "more than shipped") {
		t.Fatalf("a third mug of two shipped: %+v", h.m.feedback)
	}
	h.press(tea.KeyF4) // finish
	h.typeLine("ORD-0001")
	if h.m.feedback.Level != floor.Error || !strings.Contains(h.m.feedback.Message, "is back already") {
		t.Fatalf("the order again after every unit came back: %+v", h.m.feedback)
	}
}

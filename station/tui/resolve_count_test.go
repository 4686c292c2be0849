package tui

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// TestSupervisorResolvesOnScreen drives the root model over the real
// station: the supervisor at a cart's login, F4 to the exceptions, ↓ to
// the short pick, Enter opens the actions that fit it, Enter takes the
// first (approve short), the reason typed on the scan line journals the
// resolution as the supervisor's; Esc on the way steps back.
func TestSupervisorResolvesOnScreen(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	st := h.ss.(*syncStation).stn.Store()
	at := time.Date(2026, 11, 22, 8, 50, 0, 0, time.UTC)
	body, _ := json.Marshal(replicator.Figures{AsOf: at, Site: protocol.SiteView{Exceptions: []protocol.Conflict{
		{ID: 1, Station: "PACK-01", Order: "SO-7", Kind: "duplicate-sscc", Reason: "SSCC on another carton", At: at},
		{ID: 3, Station: "CART-02", Order: "SO-4", Kind: floor.ExShortPick, Reason: "1 of MUG-1 short at A-01", At: at, Source: floor.SourceFloor}}}})
	if err := st.PutFigures(context.Background(), body, at); err != nil {
		t.Fatal(err)
	}
	h.typeLine("B1004")
	h.typeLine("2468")
	h.press(tea.KeyF4)
	h.press(tea.KeyDown)
	if s := h.screen(); !strings.Contains(s, "F6 resolve") {
		t.Fatalf("the exceptions screen offers no resolution:\n%s", s)
	}
	h.press(tea.KeyEnter)
	sv := h.superviseState()
	if sv.Resolving.Step != supervise.ResolveAction || sv.Resolving.Exception.ID != 3 {
		t.Fatalf("Enter on the short pick: %+v\n%s", sv.Resolving, h.screen())
	}
	s := h.screen()
	for _, want := range []string{"RESOLVE #F3", "▶ approve short", "re-release", "recount", "void"} {
		if !strings.Contains(s, want) {
			t.Fatalf("no %q on the resolution screen:\n%s", want, s)
		}
	}
	if strings.Contains(s, "release held") || strings.Contains(s, "reprint") {
		t.Fatalf("actions that do not fit a short pick are offered:\n%s", s)
	}
	h.press(tea.KeyEnter) // approve short
	if sv = h.superviseState(); sv.Resolving.Step != supervise.ResolveReason || !strings.Contains(h.screen(), "Type the reason") {
		t.Fatalf("the reason is not asked: %+v\n%s", sv.Resolving, h.screen())
	}
	h.press(tea.KeyEscape) // another action
	h.press(tea.KeyDown)
	h.press(tea.KeyUp)
	h.press(tea.KeyF6)
	h.typeLine("ok")
	if s := h.screen(); !strings.Contains(s, "Type the reason in words") {
		t.Fatalf("a two-letter reason is not refused in words:\n%s", s)
	}
	h.typeLine("customer agreed to wait")
	if s := h.screen(); !strings.Contains(s, "Resolved (approve short)") || h.superviseState().Resolving.Step != "" {
		t.Fatalf("not resolved:\n%s", s)
	}
	evs, err := st.JournalAfter(context.Background(), 0, floor.EvExceptionResolved)
	if err != nil || len(evs) != 1 || evs[0].Operator != "B1004" || !strings.Contains(string(evs[0].Payload), `"action":"approve_short"`) {
		t.Fatalf("journaled: %+v %v", evs, err)
	}
}

// TestCartCountsOnScreen: a count task arrives from the office while a
// picker walks; F6 opens it, the picker scans the location (a wrong one
// is refused) and types the units found; the count is journaled, the
// task is counted, and the walk goes on at the step it was.
func TestCartCountsOnScreen(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1001")
	before := h.state().Step
	task, _ := h.state().Task()
	st := h.ss.(*syncStation).stn.Store()
	ctx := context.Background()
	h.press(tea.KeyF6)
	if s := h.screen(); !strings.Contains(s, "no count task from the office") {
		t.Fatalf("F6 without a count task:\n%s", s)
	}
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", Changes: []store.Change{{Count: &store.CountTask{ID: 7, Location: task.Location,
		SKU: task.SKU, Reason: "short pick found", At: time.Date(2026, 11, 22, 9, 1, 0, 0, time.UTC)}}}}); err != nil {
		t.Fatal(err)
	}
	h.send(SyncMsg{Online: true, News: "count " + task.Location, NewsAt: time.Date(2026, 11, 22, 9, 2, 0, 0, time.UTC)})
	if s := h.screen(); !strings.Contains(s, "F6 count") {
		t.Fatalf("the count key is not offered:\n%s", s)
	}
	h.press(tea.KeyF6)
	if h.state().Step != pick.StepCountLocation || !strings.Contains(h.screen(), "Go to "+task.Location+" and scan the location") {
		t.Fatalf("F6: step %s\n%s", h.state().Step, h.screen())
	}
	other := ""
	for _, t2 := range h.state().Tasks.All() {
		if t2.Location != task.Location {
			other = t2.Location
			break
		}
	}
	h.typeLine(other)
	if s := h.screen(); !strings.Contains(s, "the count is of "+task.Location) {
		t.Fatalf("a wrong location %s:\n%s", other, s)
	}
	h.typeLine(task.Location)
	if h.state().Step != pick.StepCountQty {
		t.Fatalf("after the location: %s\n%s", h.state().Step, h.screen())
	}
	h.typeLine("four")
	if s := h.screen(); !strings.Contains(s, "Type the number of units") {
		t.Fatalf("a count in letters:\n%s", s)
	}
	h.typeLine("4")
	if h.state().Step != before || !strings.Contains(h.screen(), "Count of "+task.Location+" recorded (4)") {
		t.Fatalf("after the count: step %s\n%s", h.state().Step, h.screen())
	}
	if c, ok, err := st.CountTask(ctx, 7); err != nil || !ok || c.Status != store.CountCounted || c.Counted != 4 || c.CountedBy != "B1001" {
		t.Fatalf("the task: %+v %v %v", c, ok, err)
	}
	if evs, err := st.JournalAfter(ctx, 0, floor.EvCountRecorded); err != nil || len(evs) != 1 {
		t.Fatalf("journaled: %+v %v", evs, err)
	}
	h.press(tea.KeyF6)
	if s := h.screen(); !strings.Contains(s, "no count task from the office") {
		t.Fatalf("F6 after the count:\n%s", s)
	}
}

// TestKeyRightAfterThePIN: F4 pressed before the PIN's sign-in came back
// from the station goes to the station after it, not dropped as doing
// nothing on the login screen the page still shows.
func TestKeyRightAfterThePIN(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1004")
	for _, r := range "2468" {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	for _, k := range []tea.KeyPressMsg{{Code: tea.KeyEnter}, {Code: tea.KeyF4}} { // typed ahead of the outcomes
		next, _ := h.m.Update(k)
		h.m = next.(Model)
	}
	h.send(nil) // the outcomes arrive
	if sv := h.superviseState(); sv.View != supervise.ViewExceptions {
		t.Fatalf("F4 typed ahead of the sign-in: view %s\n%s", sv.View, h.screen())
	}
}

package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// TestMovedWaveNewsWithARefusal: a cart back online after a supervisor
// moved its wave gets, in one round, the office's refusal of what it
// picked while down and the news that the wave moved. The refusal rings
// and shows, and the news still reaches the walk at once: the wave
// leaves it and the picker reads who moved it and why. The refusal is
// not lost: it is back once the screen has nothing more urgent to say.
func TestMovedWaveNewsWithARefusal(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1001")
	h.typeLine("T00001")
	task, _ := h.state().Task()
	h.typeLine(task.Location)
	h.typeLine(strings.TrimPrefix(task.GTIN, "0"))
	stn := h.ss.(*syncStation).stn
	st := stn.Store()
	evs, err := st.JournalAfter(ctx, 0, floor.EvUnitsPicked)
	if err != nil || len(evs) != 1 {
		t.Fatalf("picks in the journal: %v, %v", evs, err)
	}
	last, _ := st.LastSeq(ctx)
	if err := st.RecordPush(ctx, store.PushAck{Mark: last, At: time.Now(), Rejections: []store.Rejection{
		{Seq: evs[0].Seq, Reason: "order " + task.OrderID + " is picked by station CART-02"}}}); err != nil {
		t.Fatal(err)
	}
	wave := h.state().Wave
	moved := floor.Wave{ID: wave.ID, Status: "in_progress", Station: "CART-02"}
	text := floor.WaveMovedWords(wave.ID, "CART-02", "B1004", "cart down")
	if _, err := st.ApplyPull(ctx, store.Pulled{Cursor: "c1", At: time.Now(), Changes: []store.Change{{Wave: &moved},
		{Notice: &store.OfficeNotice{Exception: 3, Source: "wave-moved/SUP-01", Action: floor.ResolveReassignWave, Reason: "cart down",
			Supervisor: "B1004", Wave: wave.ID, Text: text, At: time.Now()}}}}); err != nil {
		t.Fatal(err)
	}
	rs, err := stn.Refusals(ctx)
	if err != nil || len(rs) != 1 {
		t.Fatalf("refusals %v, %v", rs, err)
	}
	h.send(SyncMsg{Online: true, Rejected: 1, Refusals: rs, News: text, NewsAt: time.Date(2026, 11, 22, 9, 12, 0, 0, time.UTC)})
	if h.m.refusal == nil {
		t.Fatal("the refusal was not shown")
	}
	s := strings.Join(strings.Fields(h.screen()), " ")
	if st := h.state(); st.Wave.ID != "" || st.Step != pick.StepNoWork || !strings.Contains(s, "was moved to CART-02 by B1004 (cart down)") {
		t.Fatalf("after the news, wave %q step %s:\n%s", st.Wave.ID, st.Step, h.screen())
	}
	h.press(tea.KeyF10) // log out: the screen is calm again
	h.send(SyncMsg{Online: true, Rejected: 1, Refusals: rs, News: text, NewsAt: time.Date(2026, 11, 22, 9, 12, 0, 0, time.UTC)})
	if !strings.Contains(h.screen(), "Office refused") {
		t.Fatalf("the refusal is not back after the logout:\n%s", h.screen())
	}
}

package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/station/pick"
)

// TestQuantityFollowsOneScan: on the pick cart F2 is offered (and works)
// only once the item has been scanned at the location; before, the key says
// why it does nothing. The keyed units are undone whole.
func TestQuantityFollowsOneScan(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1001")
	totes := 1
	h.typeLine(fmt.Sprintf("T%05d", totes))
	for i := 0; ; i++ {
		if i == 50 {
			t.Fatal("no task of three or more plain units in the demo wave")
		}
		s := h.state()
		if s.Step == pick.StepTote {
			totes++
			h.typeLine(fmt.Sprintf("T%05d", totes))
			continue
		}
		if task, _ := s.Task(); task.Qty >= 3 && !task.LotControlled && !task.SerialControlled {
			break
		}
		h.press(tea.KeyF4) // skip to the next task
	}
	task, _ := h.state().Task()
	h.typeLine(task.Location)
	helpLine := func() string { lines := strings.Split(h.screen(), "\n"); return lines[len(lines)-1] }
	if strings.Contains(helpLine(), "F2") {
		t.Errorf("F2 offered before the item was scanned: %q", helpLine())
	}
	h.press(tea.KeyF2)
	if !strings.Contains(h.screen(), "F2 does nothing here: scan the item once first, then F2") || h.state().Step != pick.StepItem {
		t.Fatalf("F2 before a scan:\n%s", h.screen())
	}
	h.typeLine(task.SKU)
	if h.state().Picks == nil || !strings.Contains(helpLine(), "F2 qty") {
		t.Fatalf("after one scan: help %q\n%s", helpLine(), h.screen())
	}
	h.press(tea.KeyF2)
	want := fmt.Sprintf("Type how many more (1–%d), then Enter", task.Qty-1)
	if !strings.Contains(h.screen(), want) {
		t.Fatalf("quantity prompt, want %q:\n%s", want, h.screen())
	}
	h.typeLine(fmt.Sprint(task.Qty - 2)) // all but one
	if got, _ := h.state().Task(); got.QtyPicked != task.Qty-1 {
		t.Fatalf("keyed %d after one scan: %d picked", task.Qty-2, got.QtyPicked)
	}
	h.press(tea.KeyF3)
	if got, _ := h.state().Task(); got.QtyPicked != 1 || !strings.Contains(h.screen(), fmt.Sprintf("Undone: %d × %s", task.Qty-2, task.SKU)) {
		t.Fatalf("undo after a keyed quantity: %d picked\n%s", got.QtyPicked, h.screen())
	}
}

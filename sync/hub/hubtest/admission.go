package hubtest

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// admission: every event is checked against what the hub knows before a
// rule judges it. Each refused event is acknowledged as rejected with its
// reason, raises a conflict, moves the mark, and changes no total.
func admission(t *testing.T, h *hub.Service) {
	site(t, h, 3)
	register(t, h, "CART-01")
	register(t, h, "CART-02")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W2", Orders: []string{"SO-3"}, Station: "CART-02"}, at)
	must(t, err)
	j := &journal{station: "CART-01"}
	k := &journal{station: "CART-02"}
	pick := func(j *journal, order string, line int, qty int64) protocol.Event {
		sku := map[int]string{1: "MUG-1", 2: "CUP-1"}[line]
		b, _ := json.Marshal(map[string]any{"order": order, "line": line, "sku": sku, "qty": qty, "tote": "T-" + order})
		return j.ev(string(floor.EvUnitsPicked), json.RawMessage(b))
	}
	// CART-02 picks its own order once, so it holds an event id.
	_, err = h.Push(ctx, "CART-02", at, []protocol.Event{pick(k, "SO-3", 1, 1)})
	must(t, err)
	before := snapshot(t, h)

	theirs := pick(j, "SO-1", 1, 1)
	theirs.ID = "CART-02-1" // CART-02's id
	twice := pick(j, "SO-1", 1, 1)
	twice.ID = "dup-in-push"
	again := pick(j, "SO-1", 1, 1)
	again.ID = "dup-in-push"
	cases := []struct {
		ev   protocol.Event
		kind string
		says string
	}{
		{pick(j, "SO-1", 1, math.MaxInt64), hub.ConflictBadEvent, "which asks for 2"},
		{pick(j, "SO-1", 1, 3), hub.ConflictBadEvent, "which asks for 2"},
		{j.ev(string(floor.EvPickUndone), map[string]any{"order": "SO-1", "line": 1, "sku": "MUG-1", "qty": -math.MaxInt64}), hub.ConflictBadEvent, "undone"},
		{j.ev(string(floor.EvPickUndone), map[string]any{"order": "SO-1", "line": 1, "sku": "MUG-1", "qty": 1}), hub.ConflictBadEvent, "where 0 are picked"},
		{j.ev(string(floor.EvTaskShort), map[string]any{"order": "SO-1", "line": 2, "sku": "CUP-1", "short": -1}), hub.ConflictBadEvent, "short"},
		{j.ev(string(floor.EvTaskShort), map[string]any{"order": "SO-1", "line": 2, "sku": "CUP-1", "short": 2}), hub.ConflictBadEvent, "which asks for 1"},
		{pick(j, "SO-1", 3, 1), hub.ConflictBadEvent, "has no line 3"},
		{j.ev(string(floor.EvUnitsPicked), map[string]any{"order": "SO-1", "line": 1, "sku": "CUP-1", "qty": 1}), hub.ConflictBadEvent, "not CUP-1"},
		{pick(j, "SO-3", 1, 1), hub.ConflictNotItsWork, "picked by station CART-02"},
		{j.ev(string(floor.EvWaveStarted), map[string]string{"wave": "W2"}), hub.ConflictNotItsWork, "assigned to station CART-02"},
		{j.ev(string(floor.EvWaveStarted), map[string]string{"wave": "W-NONE"}), hub.ConflictBadEvent, "not known"},
		{theirs, hub.ConflictDuplicateID, "station CART-02"},
		{twice, "", ""}, // accepted: its id is new
		{again, hub.ConflictDuplicateID, "also sequence"},
		{j.ev("pack.label_requested", map[string]any{"order": "SO-2", "shipment": "S1", "sscc": "000000000000000017",
			"lines": []map[string]int{{"line": 1, "qty": 2}, {"line": 1, "qty": 1}}}), hub.ConflictBadEvent, "asks for 2"},
		{j.ev("pack.label_requested", map[string]any{"order": "SO-2", "shipment": "S1", "sscc": "000000000000000017",
			"lines": []map[string]int{{"line": 7, "qty": 1}}}), hub.ConflictBadEvent, "does not have"},
	}
	// Built out of order above: number them in the order pushed.
	var evs []protocol.Event
	for i := range cases {
		c := &cases[i]
		c.ev.Seq = int64(i + 1)
		if strings.HasPrefix(c.ev.ID, "CART-01-") {
			c.ev.ID = fmt.Sprintf("CART-01-%d", i+1)
		}
		evs = append(evs, c.ev)
	}
	j.seq = int64(len(evs))
	resp, err := h.Push(ctx, "CART-01", at, evs)
	must(t, err)
	if resp.Mark != j.seq {
		t.Fatalf("mark %d after the push, want %d", resp.Mark, j.seq)
	}
	cs, err := h.Conflicts(ctx, 0, 100)
	must(t, err)
	byseq := map[int64]protocol.Conflict{}
	for _, c := range cs {
		byseq[c.Seq] = c
	}
	for i, c := range cases {
		o := resp.Outcomes[i]
		if c.kind == "" {
			if o.Status != protocol.Accepted {
				t.Errorf("event %d: %+v, want accepted", i+1, o)
			}
			continue
		}
		if o.Status != protocol.Rejected || !strings.Contains(o.Reason, c.says) {
			t.Errorf("event %d (%s): %+v, want rejected saying %q", i+1, c.ev.Type, o, c.says)
		}
		if cf, ok := byseq[c.ev.Seq]; !ok || cf.Kind != c.kind || cf.Station != "CART-01" {
			t.Errorf("event %d: conflict %+v, want kind %s", i+1, cf, c.kind)
		}
	}
	// Only the one accepted pick moved a total.
	after := snapshot(t, h)
	before["SO-1"][0].Picked++ // and the order life moves its unit from open into the tote
	before["SO-1"][0].Open--
	before["SO-1"][0].InTote++
	for order, lines := range before {
		for i := range lines {
			if after[order][i] != lines[i] {
				t.Errorf("order %s line %d: %+v after the refused events, want %+v", order, i+1, after[order][i], lines[i])
			}
		}
	}
	if f, err := h.Fulfilment(ctx, "SO-2"); err != nil || len(f.Parcels) != 0 {
		t.Errorf("SO-2 after refused cartons: %+v %v", f, err)
	}
	// What is open counts the push's own events: 1 picked, 1 open, 2 sent.
	resp, err = h.Push(ctx, "CART-01", at, []protocol.Event{pick(j, "SO-1", 1, 1), pick(j, "SO-1", 1, 1)})
	must(t, err)
	if resp.Outcomes[0].Status != protocol.Accepted || resp.Outcomes[1].Status != protocol.Rejected {
		t.Fatalf("two picks for the last unit: %+v", resp.Outcomes)
	}
	// A cancelled order's pick keeps the rules' instruction.
	must(t, h.CancelOrder(ctx, "SO-2", "customer", at))
	resp, err = h.Push(ctx, "CART-01", at, []protocol.Event{pick(j, "SO-2", 1, math.MaxInt64)})
	must(t, err)
	if o := resp.Outcomes[0]; o.Status != protocol.Rejected || o.Reason != hub.ReturnToStock {
		t.Fatalf("a pick for a cancelled order: %+v", o)
	}
}

// snapshot is every order's line progress.
func snapshot(t *testing.T, h *hub.Service) map[string][]protocol.LineProgress {
	t.Helper()
	out := map[string][]protocol.LineProgress{}
	for _, id := range []string{"SO-1", "SO-2", "SO-3"} {
		f, err := h.Fulfilment(ctx, id)
		must(t, err)
		out[id] = f.Lines
	}
	return out
}

// resentOther: an event sent again under its sequence and id but with
// other content is refused as a conflict (the station would otherwise
// believe its version arrived), and nothing changes.
func resentOther(t *testing.T, h *hub.Service) {
	site(t, h, 1)
	register(t, h, "CART-01")
	_, err := h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1"}, Station: "CART-01"}, at)
	must(t, err)
	j := &journal{station: "CART-01"}
	ev := j.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 1))
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{ev})
	must(t, err)
	// The same bytes with other spacing are the same event.
	spaced := ev
	spaced.Payload = append([]byte(" "), ev.Payload...)
	if resp, err := h.Push(ctx, "CART-01", at, []protocol.Event{spaced}); err != nil || !resp.Outcomes[0].Duplicate {
		t.Fatalf("the same event resent: %+v %v", resp, err)
	}
	other := ev
	other.Payload, _ = json.Marshal(picked("SO-1", 1, 2))
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{other})
	wantCode(t, err, protocol.CodeSeqConflict, "a resend with another quantity")
	retyped := ev
	retyped.Type = string(floor.EvPickUndone)
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{retyped})
	wantCode(t, err, protocol.CodeSeqConflict, "a resend with another type")
	f, err := h.Fulfilment(ctx, "SO-1")
	must(t, err)
	if f.Lines[0].Picked != 1 || mark(t, h, "CART-01") != 1 {
		t.Fatalf("after refused resends: picked %d, mark %d", f.Lines[0].Picked, mark(t, h, "CART-01"))
	}
}

package pack

import (
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
)

// TestUnknownToteSaysSo: a tote the station has no word of is refused in
// plain words with the age of its last pull; the bench does not guess an
// order, and the state stays as it was.
func TestUnknownToteSaysSo(t *testing.T) {
	for _, tc := range []struct {
		tote *UnknownTote
		want string
	}{
		{&UnknownTote{Pulled: true, Since: 8*time.Second + 300*time.Millisecond}, "Tote T00042 is not known here yet — last pull 8 s ago"},
		{&UnknownTote{Pulled: true, Since: 5 * time.Minute}, "Tote T00042 is not known here yet — last pull 5 min ago"},
		{&UnknownTote{Pulled: true, Since: 26 * time.Hour}, "Tote T00042 is not known here yet — last pull 26 h ago"},
		{&UnknownTote{}, "Tote T00042 is not known here yet — no pull from the hub yet"},
	} {
		in := scan(barcode.KindTote, "T00042")
		in.UnknownTote = tc.tote
		before := idle()
		res := Apply(before, in)
		if res.State.Step != StepOrder || res.State.Order.ID != "" {
			t.Fatalf("an unknown tote moved the bench to %s with order %q", res.State.Step, res.State.Order.ID)
		}
		if res.Feedback.Level != floor.Error || !strings.HasPrefix(res.Feedback.Message, tc.want) {
			t.Fatalf("feedback %v %q, want an error starting %q", res.Feedback.Level, res.Feedback.Message, tc.want)
		}
		if len(res.Events) != 1 || res.Events[0].Type != floor.EvScanRejected {
			t.Fatalf("events %v, want the rejection journaled", res.Events)
		}
	}
}

// TestFreedToteSaysWhy: an empty tote the hub freed says what it held and
// why; a cancelled order's tote sends what is left in it back to stock.
func TestFreedToteSaysWhy(t *testing.T) {
	for by, want := range map[string]string{
		floor.ToteFreedPacked:    "No order to pack in tote T00042: it held ORD-7, which was packed",
		floor.ToteFreedReleased:  "No order to pack in tote T00042: it held ORD-7 until a supervisor released it",
		floor.ToteFreedWithdrawn: "No order to pack in tote T00042: ORD-7 was cancelled: if anything is still in the tote, return it to stock",
		floor.ToteFreedUndone:    "No order to pack in tote T00042: the picks of ORD-7 in it were undone",
	} {
		in := scan(barcode.KindTote, "T00042")
		in.FreedTote = &FreedTote{Order: "ORD-7", By: by}
		res := Apply(idle(), in)
		if res.State.Step != StepOrder || res.Feedback.Level != floor.Error || res.Feedback.Message != want {
			t.Fatalf("freed by %s: %s %v %q, want %q", by, res.State.Step, res.Feedback.Level, res.Feedback.Message, want)
		}
	}
}

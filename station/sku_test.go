package station_test

import (
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
)

// TestSKUScanIgnoresCase: a SKU typed or scanned in lower case names the
// item (floor.SameSKU), at the pick cart and at the pack bench: the item
// the task wants is picked, another item is named as the wrong one.
func TestSKUScanIgnoresCase(t *testing.T) {
	st := demoStore(t)
	s := openStation(t, st)
	s.Handle(ctx, typed("B1001"))
	s.Handle(ctx, typed("T00001"))
	task, _ := s.Snapshot().State.(pick.State).Task()
	if o := s.Handle(ctx, typed(task.Location)); s.Snapshot().State.(pick.State).Step != pick.StepItem {
		t.Fatalf("at the location: %+v", o.Feedback)
	}
	var other string
	for _, x := range s.Snapshot().State.(pick.State).Tasks.All() {
		if x.SKU != task.SKU && !x.LotControlled && !x.SerialControlled {
			other = x.SKU
			break
		}
	}
	o := s.Handle(ctx, typed(strings.ToLower(other)))
	if o.Feedback.Level != pick.Error || !strings.Contains(o.Feedback.Message, "Wrong item "+other) {
		t.Fatalf("another item's SKU in lower case: %+v", o.Feedback)
	}
	lower := strings.ToLower(task.SKU)
	if lower == task.SKU {
		t.Fatalf("the demo SKU %s has no letters", task.SKU)
	}
	o = s.Handle(ctx, typed(lower))
	if o.Err != nil || o.Feedback.Level == pick.Error {
		t.Fatalf("%s for %s refused: %+v %v", lower, task.SKU, o.Feedback, o.Err)
	}
	if len(o.Events) == 0 || o.Events[0].Type != floor.EvUnitsPicked {
		t.Fatalf("%s picked nothing: %+v", lower, o.Events)
	}

	// The pack bench: the order's line by its SKU in mixed case.
	pst := packStore(t)
	b := bench{t, openBench(t, pst, packOptions())}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00001"), pack.StepVerify)
	o = b.do(typed("mug-Red"), pack.StepVerify)
	if o.Feedback.Level == floor.Error || b.s.Snapshot().State.(pack.State).Verified(1) != 1 {
		t.Fatalf("mug-Red at the bench: %+v, verified %d", o.Feedback, b.s.Snapshot().State.(pack.State).Verified(1))
	}
	o = b.do(typed("cap-blu"), pack.StepVerify)
	if o.Feedback.Level != floor.Error || !strings.Contains(o.Feedback.Message, "Wrong item CAP-BLU") {
		t.Fatalf("cap-blu at the bench: %+v", o.Feedback)
	}
}

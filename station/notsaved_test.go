package station_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
)

// notSaved checks an outcome the store could not make durable: NOT SAVED
// on screen, the error kept, and nothing journaled (no scan.rejected
// either: a failing disk is not the operator's mistake).
func notSaved(t *testing.T, st *store.Store, o station.Outcome, lastSeq int64) {
	t.Helper()
	if o.Err == nil || o.Feedback.Level != floor.Error || !strings.HasPrefix(o.Feedback.Message, "NOT SAVED") || len(o.Events) != 0 {
		t.Fatalf("outcome %+v (err %v): want NOT SAVED", o.Feedback, o.Err)
	}
	if seq, err := st.LastSeq(ctx); err != nil || seq != lastSeq {
		t.Fatalf("the journal moved from %d to %d (%v) although nothing was saved", lastSeq, seq, err)
	}
}

// failWrites makes the journal refuse every append, as a failing disk
// does, until the returned func is called.
func failWrites(t *testing.T, st *store.Store) (heal func()) {
	t.Helper()
	if _, err := st.DB().W.Exec(`CREATE TRIGGER fail_writes BEFORE INSERT ON journal BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END`); err != nil {
		t.Fatal(err)
	}
	return func() {
		if _, err := st.DB().W.Exec(`DROP TRIGGER fail_writes`); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWriteErrorIsNotSaved: a write error at the commit (injected in the
// real store) is NOT SAVED on the cart and on the bench, even for an
// input the workflow rejects, and the state stays where it was.
func TestWriteErrorIsNotSaved(t *testing.T) {
	st := demoStore(t)
	s := openStation(t, st)
	s.Handle(ctx, typed("B1001"))
	before := s.Snapshot().State.(pick.State)
	last, _ := st.LastSeq(ctx)
	heal := failWrites(t, st)
	for _, in := range []station.Action{typed("T00042"), typed("NOT-A-BARCODE"), key(floor.CmdLogout)} {
		notSaved(t, st, s.Handle(ctx, in), last)
		if !reflect.DeepEqual(normal(s.Snapshot().State.(pick.State)), normal(before)) {
			t.Fatalf("%+v: the state moved although nothing was saved", in)
		}
	}
	heal()
	if o := s.Handle(ctx, typed("T00042")); o.Err != nil || o.Feedback.Level != floor.OK {
		t.Fatalf("after the disk came back: %+v %v", o.Feedback, o.Err)
	}

	pst := packStore(t)
	b := bench{t, openBench(t, pst, packOptions())}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00001"), pack.StepVerify)
	plast, _ := pst.LastSeq(ctx)
	pbefore := b.s.Snapshot().State.(pack.State)
	heal = failWrites(t, pst)
	for _, in := range []station.Action{typed(mugGTIN[1:]), typed("BOX-NOPE")} {
		notSaved(t, pst, b.s.Handle(ctx, in), plast)
		if b.s.Snapshot().State.(pack.State).Step != pbefore.Step || len(b.s.Snapshot().State.(pack.State).Cartons) != len(pbefore.Cartons) {
			t.Fatalf("%+v: the bench moved although nothing was saved", in)
		}
	}
	heal()
}

// TestStoreFailureDuringAReprintIsNotARejection: when the store fails
// while the bench completes a reprint inside its commit (here the cartons
// table cannot be read), the operator reads NOT SAVED and nothing is
// journaled. It used to be journaled as a rejected scan with the SQL
// error as its reason.
func TestStoreFailureDuringAReprintIsNotARejection(t *testing.T) {
	st := packStore(t)
	b := bench{t, openBench(t, st, packOptions())}
	b.do(typed("B2001"), pack.StepOrder)
	b.do(typed("T00002"), pack.StepVerify)
	b.do(typed(mugGTIN[1:]), pack.StepVerify)
	b.do(typed(capGTIN[1:]), pack.StepVerify)
	b.do(typed(capGTIN[1:]), pack.StepVerify)
	b.do(key(floor.CmdPartial), pack.StepPartial)
	b.do(key(floor.CmdOK), pack.StepBox)
	b.do(typed("BOX-M"), pack.StepWeigh)
	b.do(typed("750"), pack.StepDone)
	cartons, err := st.ShipmentCartons(ctx, "ORD-0002-1")
	if err != nil || len(cartons) != 1 {
		t.Fatalf("cartons %+v %v", cartons, err)
	}
	if ok, err := st.StartSending(ctx, clock(), cartons[0].Job); !ok || err != nil {
		t.Fatalf("start sending: %v %v", ok, err)
	}
	if err := st.MarkSent(ctx, clock(), cartons[0].Job); err != nil {
		t.Fatal(err)
	}
	b.do(key(floor.CmdReprint), pack.StepReprintReason)
	last, _ := st.LastSeq(ctx)
	if _, err := st.DB().W.Exec(`ALTER TABLE cartons RENAME TO cartons_unreadable`); err != nil {
		t.Fatal(err)
	}
	notSaved(t, st, b.s.Handle(ctx, typed("1")), last)
	if b.s.Snapshot().State.(pack.State).Step != pack.StepReprintReason {
		t.Fatalf("step %q after a failed reprint", b.s.Snapshot().State.(pack.State).Step)
	}
	if _, err := st.DB().W.Exec(`ALTER TABLE cartons_unreadable RENAME TO cartons`); err != nil {
		t.Fatal(err)
	}
	if o := b.do(typed("1"), pack.StepDone); o.Feedback.Level != floor.OK {
		t.Fatalf("reprint once the store reads again: %+v", o.Feedback)
	}
}

package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// labelEvents is what the journal holds of type ev.
func labelEvents(t *testing.T, s *Store, ev floor.EventType) []floor.Event {
	t.Helper()
	all, err := s.Journal(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []floor.Event
	for _, e := range all {
		if e.Type == ev {
			out = append(out, e)
		}
	}
	return out
}

// A label that was being sent when tote stopped is in doubt at the next
// start, and journaled so (label.in_doubt) like a send that ended in
// doubt: the hub raises it in the supervisor's queue. Before, the
// station alone knew, and the supervisor never saw it.
func TestInterruptedLabelIsJournaledInDoubt(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	id, err := s.Enqueue(ctx, pqT0, "B2001", NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-7", ZPL: pqLabel("SHP-7")})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := s.StartSending(ctx, pqT0, id); !ok || err != nil {
		t.Fatalf("start sending: %v %v", ok, err)
	}
	s.Close() // tote stops mid-send

	s2, err := Open(ctx, s.db.Path, "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for range 2 { // a second start finds nothing more in doubt
		if _, err := s2.RecoverInterrupted(ctx, pqT0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	evs := labelEvents(t, s2, floor.EvLabelInDoubt)
	if len(evs) != 1 {
		t.Fatalf("label.in_doubt journaled %d times, want once", len(evs))
	}
	var p floor.LabelTroublePayload
	if err := json.Unmarshal(evs[0].Payload, &p); err != nil || p.Job != id || p.Printer != "ZEBRA-1" || p.Ref != "SHP-7" || p.Reason != InterruptedReason {
		t.Fatalf("label.in_doubt %s (%v)", evs[0].Payload, err)
	}
}

// A supervisor's "label printed" for a failed label that waits to be
// tried again takes it as printed: the spooler does not print a second
// label for the carton. Before, only a label in doubt was confirmed, and
// the failed one printed again when the printer came back.
func TestLabelPrintedResolvesAFailedLabel(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	id, err := s.Enqueue(ctx, pqT0, "B2001", NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-8", ZPL: pqLabel("SHP-8")})
	if err != nil {
		t.Fatal(err)
	}
	s.StartSending(ctx, pqT0, id)
	if err := s.MarkFailed(ctx, pqT0, id, "could not send", pqT0.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	notice := func(exception int64, action string) {
		t.Helper()
		_, err := s.ApplyPull(ctx, Pulled{Cursor: "c" + action, At: pqT0.Add(time.Minute), Changes: []Change{{Notice: &OfficeNotice{
			Exception: exception, Source: floor.SourceFloor, Kind: floor.ExPrintFailed, Action: action, Reason: "printed at bench 2",
			Supervisor: "B1004", Job: id, Text: "B1004 said the label printed", At: pqT0}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	// A reprint leaves a failed label to print by itself.
	notice(1, floor.ResolveReprint)
	if j, _ := s.PrintJob(ctx, id); j.Status != PrintFailed {
		t.Fatalf("a failed label after a reprint resolution: %s, want failed (it prints by itself)", j.Status)
	}
	notice(2, floor.ResolveLabelPrinted)
	if j, _ := s.PrintJob(ctx, id); j.Status != PrintSent {
		t.Fatalf("a failed label confirmed printed by the supervisor: %s, want sent", j.Status)
	}
	if next, _ := s.NextPrintJob(ctx, "ZEBRA-1"); next != nil {
		t.Fatalf("the label confirmed printed is still offered to the printer: %+v", next)
	}
	evs := labelEvents(t, s, floor.EvLabelConfirmed)
	if len(evs) != 1 || evs[0].Operator != "B1004" {
		t.Fatalf("label.confirmed: %+v", evs)
	}
}

package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
)

func pqOpen(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "station.db"), "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func pqLabel(ref string) []byte {
	return []byte("^XA^FO50,50^A0N,40,40^FD" + ref + "^FS^XZ")
}

var pqT0 = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

// A label queued together with the event that asks for it exists exactly
// when the event does: both commit, or neither.
func TestEnqueueInTheEventsTransaction(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	payload, _ := json.Marshal(floor.LabelQueuedPayload{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-1", ZPL: pqLabel("SHP-1")})
	var id int64
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		evs, err := s.appendEvents(ctx, tx, pqT0, []floor.Event{{Type: floor.EvLabelQueued, Operator: "B1001", Payload: payload}})
		if err != nil {
			return err
		}
		id, err = s.projectLabelQueued(ctx, tx, evs[0], pqT0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	j, err := s.PrintJob(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := s.Journal(ctx, 0, 10)
	if len(evs) != 1 || evs[0].Type != floor.EvLabelQueued || j.EventID != evs[0].ID {
		t.Fatalf("journal %+v, job event %q", evs, j.EventID)
	}
	if j.Status != PrintQueued || j.Printer != "ZEBRA-1" || j.Ref != "SHP-1" || !bytes.Equal(j.ZPL, pqLabel("SHP-1")) || !j.CreatedAt.Equal(pqT0) {
		t.Fatalf("job %+v", j)
	}

	// The workflow's transaction fails after queueing: no label, no event.
	boom := errors.New("the pack commit failed")
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		evs, err := s.appendEvents(ctx, tx, pqT0, []floor.Event{{Type: floor.EvLabelQueued, Payload: payload}})
		if err != nil {
			return err
		}
		if _, err := enqueueTx(ctx, tx, pqT0, NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-2", ZPL: pqLabel("SHP-2"), EventID: evs[0].ID}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("write: %v", err)
	}
	jobs, _ := s.PrintJobs(ctx, "")
	evs, _ = s.Journal(ctx, 0, 10)
	if len(jobs) != 1 || len(evs) != 1 {
		t.Fatalf("after a rolled-back transaction: %d jobs, %d events", len(jobs), len(evs))
	}
}

// Enqueue on its own journals label.queued with the label, so the queue
// and the journal agree, and the sequence stays gapless next to Commit.
func TestEnqueueJournalsTheLabel(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	if _, err := s.Commit(ctx, pqT0, []floor.Event{floor.NewEvent(floor.EvLoggedIn, "B1001", floor.LoginPayload{Badge: "B1001"})}, nil); err != nil {
		t.Fatal(err)
	}
	id, err := s.Enqueue(ctx, pqT0, "B1001", NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelDocument, Ref: "ORD-1", ZPL: pqLabel("ORD-1")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Commit(ctx, pqT0, []floor.Event{floor.NewEvent(floor.EvLoggedOut, "B1001", floor.LoginPayload{Badge: "B1001"})}, nil); err != nil {
		t.Fatal(err)
	}
	evs, _ := s.Journal(ctx, 0, 10)
	if len(evs) != 3 || evs[1].Seq != 2 || evs[2].Seq != 3 || evs[1].Type != floor.EvLabelQueued || evs[1].Station != "PACK-01" {
		t.Fatalf("journal %+v", evs)
	}
	var p floor.LabelQueuedPayload
	if err := json.Unmarshal(evs[1].Payload, &p); err != nil {
		t.Fatal(err)
	}
	j, _ := s.PrintJob(ctx, id)
	if !bytes.Equal(p.ZPL, j.ZPL) || p.Ref != "ORD-1" || j.EventID != evs[1].ID {
		t.Fatalf("payload %+v, job %+v", p, j)
	}
}

func TestBadJobsAreRefusedInPlainWords(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	ok := NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-1", ZPL: pqLabel("x")}
	for _, c := range []struct {
		name string
		edit func(*NewPrintJob)
		want string
	}{
		{"no printer", func(j *NewPrintJob) { j.Printer = " " }, "without a printer name"},
		{"bad kind", func(j *NewPrintJob) { j.Kind = "Shipping Label" }, "lower-case word"},
		{"empty label", func(j *NewPrintJob) { j.ZPL = []byte("  \r\n") }, "label is empty"},
		{"not zpl", func(j *NewPrintJob) { j.ZPL = []byte("hello") }, "no ^XA"},
		{"never ends", func(j *NewPrintJob) { j.ZPL = []byte("^XZ^XA^FDx^FS") }, "no ^XZ after its ^XA"},
		{"too big", func(j *NewPrintJob) { j.ZPL = append([]byte("^XA"), make([]byte, MaxLabelBytes)...) }, "at most"},
		{"control in ref", func(j *NewPrintJob) { j.Ref = "SHP\x1b[2J" }, "control character"},
	} {
		j := ok
		c.edit(&j)
		if _, err := s.Enqueue(ctx, pqT0, "", j); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if jobs, _ := s.PrintJobs(ctx, ""); len(jobs) != 0 {
		t.Fatalf("%d jobs recorded from bad input", len(jobs))
	}
	if evs, _ := s.Journal(ctx, 0, 10); len(evs) != 0 {
		t.Fatalf("%d events journaled from bad input", len(evs))
	}
	if _, err := s.Enqueue(ctx, pqT0, "", NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelTest, ZPL: []byte("^xa^fdlower case^fs^xz")}); err != nil {
		t.Fatalf("lower-case ZPL refused: %v", err)
	}
}

// The life of a job: the statuses move only in the allowed order, and a
// job in doubt survives a restart as needs_operator.
func TestJobLifeAndRecovery(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	enq := func(ref string) int64 {
		id, err := s.Enqueue(ctx, pqT0, "", NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: ref, ZPL: pqLabel(ref)})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a, b, c := enq("A"), enq("B"), enq("C")
	if n, err := s.HoldPrintJobs(ctx, pqT0, "ZEBRA-1", "out of labels — load labels"); err != nil || n != 3 {
		t.Fatalf("hold: %d, %v", n, err)
	}
	if n, _ := s.HoldPrintJobs(ctx, pqT0, "ZEBRA-1", "out of labels — load labels"); n != 0 {
		t.Fatalf("holding again for the same reason rewrote %d jobs", n)
	}
	next, err := s.NextPrintJob(ctx, "ZEBRA-1")
	if err != nil || next == nil || next.ID != a || next.Status != PrintHeld || next.Reason != "out of labels — load labels" {
		t.Fatalf("next %+v, %v", next, err)
	}
	if ok, err := s.StartSending(ctx, pqT0, a); !ok || err != nil {
		t.Fatalf("start sending: %v %v", ok, err)
	}
	if ok, _ := s.StartSending(ctx, pqT0, a); ok {
		t.Fatal("a job being sent was claimed twice")
	}
	if err := s.MarkSent(ctx, pqT0, a); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkSent(ctx, pqT0, a); err == nil {
		t.Fatal("a job was marked sent twice")
	}
	retry := pqT0.Add(time.Second)
	s.StartSending(ctx, pqT0, b)
	if err := s.MarkFailed(ctx, pqT0, b, "could not send", retry); err != nil {
		t.Fatal(err)
	}
	if j, _ := s.PrintJob(ctx, b); j.Status != PrintFailed || !j.RetryAt.Equal(retry) || j.Attempts != 1 {
		t.Fatalf("failed job %+v", j)
	}
	if next, _ := s.NextPrintJob(ctx, "ZEBRA-1"); next == nil || next.ID != b {
		t.Fatalf("a failed job lost its place: next is %+v", next)
	}
	s.StartSending(ctx, pqT0, b) // and tote stops here
	s.Close()

	s2, err := Open(ctx, s.db.Path, "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	rec, err := s2.RecoverInterrupted(ctx, pqT0)
	if err != nil || len(rec) != 1 || rec[0].ID != b || rec[0].Status != PrintNeedsOperator {
		t.Fatalf("recovered %+v, %v", rec, err)
	}
	jb, _ := s2.PrintJob(ctx, b)
	if jb.Status != PrintNeedsOperator || jb.Reason != InterruptedReason || jb.Attempts != 2 {
		t.Fatalf("interrupted job %+v", jb)
	}
	if next, _ := s2.NextPrintJob(ctx, "ZEBRA-1"); next == nil || next.ID != c {
		t.Fatalf("the job in doubt is still offered for sending: next %+v", next)
	}
	q, err := s2.PrintQueue(ctx, "ZEBRA-1")
	if err != nil || q.Waiting != 1 || q.Sending != 0 || len(q.InDoubt) != 1 || q.InDoubt[0].ID != b {
		t.Fatalf("queue %+v, %v", q, err)
	}
}

// A reprint is a new job linked to the original, journaled with the reason
// and the operator; a label that has not printed yet is not reprinted.
func TestReprint(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	id, _ := s.Enqueue(ctx, pqT0, "", NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-9", ZPL: pqLabel("SHP-9")})

	_, err := s.Reprint(ctx, pqT0, ReprintRequest{Job: id, Operator: "B1001", Reason: "smudged"})
	if err == nil || !strings.Contains(err.Error(), "has not printed yet") {
		t.Fatalf("reprint of a queued label: %v", err)
	}
	s.StartSending(ctx, pqT0, id)
	if _, err := s.Reprint(ctx, pqT0, ReprintRequest{Job: id, Operator: "B1001", Reason: "smudged"}); err == nil || !strings.Contains(err.Error(), "being sent") {
		t.Fatalf("reprint while sending: %v", err)
	}
	s.MarkSent(ctx, pqT0, id)
	for _, bad := range []ReprintRequest{
		{Job: id, Operator: "B1001", Reason: "  "},
		{Job: id, Reason: "smudged"},
		{Job: id + 100, Operator: "B1001", Reason: "smudged"},
	} {
		if _, err := s.Reprint(ctx, pqT0, bad); err == nil {
			t.Errorf("reprint %+v accepted", bad)
		}
	}
	before, _ := s.LastSeq(ctx)
	if before != 1 {
		t.Fatalf("refused reprints journaled something: last seq %d", before)
	}

	at := pqT0.Add(time.Minute)
	rj, err := s.Reprint(ctx, at, ReprintRequest{Job: id, Operator: "B1001", Reason: "label torn at the printer"})
	if err != nil {
		t.Fatal(err)
	}
	if rj.ReprintOf != id || rj.Status != PrintQueued || rj.Ref != "SHP-9" || !bytes.Equal(rj.ZPL, pqLabel("SHP-9")) || rj.Printer != "ZEBRA-1" {
		t.Fatalf("reprint job %+v", rj)
	}
	evs, _ := s.Journal(ctx, 1, 10)
	if len(evs) != 1 || evs[0].Type != floor.EvLabelReprinted || evs[0].Operator != "B1001" || rj.EventID != evs[0].ID {
		t.Fatalf("journal %+v", evs)
	}
	var p floor.LabelReprintedPayload
	json.Unmarshal(evs[0].Payload, &p)
	if p != (floor.LabelReprintedPayload{Job: rj.ID, Original: id, Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: "SHP-9", Reason: "label torn at the printer"}) {
		t.Fatalf("payload %+v", p)
	}
	// On another printer.
	other, err := s.Reprint(ctx, at, ReprintRequest{Job: id, Operator: "B1001", Reason: "ZEBRA-1 jammed", Printer: "ZEBRA-2"})
	if err != nil || other.Printer != "ZEBRA-2" || other.ReprintOf != id {
		t.Fatalf("reprint elsewhere %+v, %v", other, err)
	}
}

// A label in doubt leaves the operator's list when it is reprinted or
// confirmed; confirming is journaled.
func TestInDoubtIsSettledByReprintOrConfirm(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	var ids []int64
	for _, ref := range []string{"A", "B"} {
		id, _ := s.Enqueue(ctx, pqT0, "", NewPrintJob{Printer: "ZEBRA-1", Kind: floor.LabelShipping, Ref: ref, ZPL: pqLabel(ref)})
		s.StartSending(ctx, pqT0, id)
		s.MarkNeedsOperator(ctx, pqT0, id, "label partly sent")
		ids = append(ids, id)
	}
	if q, _ := s.PrintQueue(ctx, "ZEBRA-1"); len(q.InDoubt) != 2 {
		t.Fatalf("in doubt %+v", q.InDoubt)
	}
	if _, err := s.Reprint(ctx, pqT0, ReprintRequest{Job: ids[0], Operator: "B1001", Reason: "half printed"}); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmPrinted(ctx, pqT0, ids[1], "B1001", "it came out fine"); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmPrinted(ctx, pqT0, ids[1], "B1001", ""); err == nil {
		t.Fatal("a confirmed label was confirmed again")
	}
	q, _ := s.PrintQueue(ctx, "ZEBRA-1")
	if len(q.InDoubt) != 0 || q.Waiting != 1 {
		t.Fatalf("queue after settling %+v", q)
	}
	j, _ := s.PrintJob(ctx, ids[1])
	evs, _ := s.Journal(ctx, 0, 100)
	last := evs[len(evs)-1]
	if j.Status != PrintSent || last.Type != floor.EvLabelConfirmed || last.Operator != "B1001" {
		t.Fatalf("confirmed job %+v, last event %+v", j, last)
	}
}

// The spooler's reads use the partial indexes, so a long history of sent
// labels does not slow them down.
func TestQueueQueriesUseIndexes(t *testing.T) {
	ctx := context.Background()
	s := pqOpen(t)
	for _, q := range []string{
		`SELECT id FROM print_jobs WHERE printer='Z' AND ` + waitingSQL + ` ORDER BY id LIMIT 1`,
		`SELECT printer, COUNT(*) FROM print_jobs WHERE ` + waitingSQL + ` AND printer='Z' GROUP BY printer`,
		`SELECT printer, COUNT(*) FROM print_jobs WHERE status = 'sending' AND printer='Z' GROUP BY printer`,
		`SELECT id FROM print_jobs j WHERE status = 'needs_operator' AND NOT EXISTS (SELECT 1 FROM print_jobs c WHERE c.reprint_of=j.id) AND printer='Z' ORDER BY id`,
	} {
		rows, err := s.db.R.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			rows.Scan(&id, &parent, &notused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		if strings.Contains(all, "SCAN print_jobs") || strings.Contains(all, "SCAN j") || strings.Contains(all, "SCAN c") {
			t.Errorf("%s\n  plan: %s", q, all)
		}
	}
}

// FuzzCheckZPL: any bytes get an answer, never a panic, and an accepted
// label has a format start with an end after it.
func FuzzCheckZPL(f *testing.F) {
	f.Add([]byte("^XA^FDx^FS^XZ"))
	f.Add([]byte("^xa^xz"))
	f.Add([]byte("^XZ^XA"))
	f.Add([]byte("~HS"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, b []byte) {
		err := checkZPL(b)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without words")
			}
			return
		}
		u := bytes.ToUpper(b)
		start := bytes.Index(u, []byte("^XA"))
		if start < 0 || bytes.LastIndex(u, []byte("^XZ")) < start || len(b) > MaxLabelBytes {
			t.Fatalf("accepted %q", b)
		}
	})
}

// A station store made before labels could be cancelled (schema 5) is
// rebuilt to take the new status with every job, reprint link and carton
// reference intact, and the foreign keys hold again afterwards.
func TestMigrationToCancellableLabels(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "station.db")
	old, err := sqlitedb.Open(ctx, path, Migrations()[:5])
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO print_jobs(id, printer, kind, ref, zpl, status, created_at, updated_at) VALUES (1, 'zebra-1', 'shipping', 'ORD-1-1', x'5e58415e585a', 'sent', 't', 't')`,
		`INSERT INTO print_jobs(id, printer, kind, ref, zpl, status, created_at, updated_at, reprint_of) VALUES (2, 'zebra-1', 'shipping', 'ORD-1-1', x'5e58415e585a', 'queued', 't', 't', 1)`,
		`INSERT INTO shipments(id, order_id) VALUES ('ORD-1-1', 'ORD-1')`,
		`INSERT INTO cartons(shipment_id, carton_no, sscc, tracking, weight_g, units, print_job) VALUES ('ORD-1-1', 1, '006141410000000012', 'TT1', 500, 1, 1)`,
	} {
		if _, err := old.W.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := old.W.ExecContext(ctx, `UPDATE print_jobs SET status='cancelled' WHERE id=2`); err == nil {
		t.Fatal("schema 5 took a cancelled label: the test does not start where it should")
	}
	old.Close()

	s, err := Open(ctx, path, "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.db.Version != len(Migrations()) || len(Migrations()) < 6 {
		t.Fatalf("schema %d after opening, want %d", s.db.Version, len(Migrations()))
	}
	jobs, err := s.PrintJobs(ctx, "zebra-1")
	if err != nil || len(jobs) != 2 || jobs[0].Status != PrintSent || jobs[1].Status != PrintQueued || jobs[1].ReprintOf != 1 {
		t.Fatalf("jobs after the rebuild %+v %v", jobs, err)
	}
	if _, err := s.db.W.ExecContext(ctx, `UPDATE print_jobs SET status='cancelled' WHERE id=2`); err != nil {
		t.Fatalf("a cancelled label after the rebuild: %v", err)
	}
	if _, err := s.db.W.ExecContext(ctx, `UPDATE print_jobs SET status='lost' WHERE id=2`); err == nil {
		t.Fatal("the rebuilt table took a status it does not know")
	}
	var job int64
	if err := s.db.R.QueryRowContext(ctx, `SELECT print_job FROM cartons WHERE sscc='006141410000000012'`).Scan(&job); err != nil || job != 1 {
		t.Fatalf("carton's job %d %v", job, err)
	}
	if _, err := s.db.W.ExecContext(ctx, `INSERT INTO cartons(shipment_id, carton_no, sscc, tracking, weight_g, units, print_job) VALUES ('ORD-1-1', 2, '006141410000000029', 'TT2', 500, 1, 99)`); err == nil {
		t.Fatal("a carton pointing at no print job was taken: foreign keys are off after the migration")
	}
	if _, err := s.db.W.ExecContext(ctx, `DELETE FROM print_jobs WHERE id=1`); err == nil {
		t.Fatal("the carton's print job was deleted from under it")
	}
}

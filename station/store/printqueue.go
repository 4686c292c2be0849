package store

// The print queue: every label is a print_jobs row before a byte of it goes
// to a printer, and each step of its life (sending, sent, failed, in doubt)
// is committed before the next one starts. The spooler (station/printing)
// drives the steps; this file only records them. Its rule: a label is never
// sent twice unless an operator asks for a reprint, which is journaled with
// its reason.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/totewms/tote/internal/floor"
)

// PrintStatus is where a print job is in its life.
type PrintStatus string

// Print job statuses. Queued, held and failed jobs are waiting: the spooler
// sends them oldest first. Sent is final. A job in sending when tote starts,
// or one partly sent, needs the operator: it may or may not have printed.
// Cancelled is final too: a waiting label that must never print (its
// shipment was voided).
const (
	PrintQueued        PrintStatus = "queued"
	PrintHeld          PrintStatus = "held"   // the printer is not ready; Reason says why
	PrintFailed        PrintStatus = "failed" // nothing was sent; tried again at RetryAt
	PrintSending       PrintStatus = "sending"
	PrintSent          PrintStatus = "sent"
	PrintNeedsOperator PrintStatus = "needs_operator"
	PrintCancelled     PrintStatus = "cancelled" // never sent; Reason says why
)

// Waiting reports whether a job in this status still has to be sent.
func (s PrintStatus) Waiting() bool {
	return s == PrintQueued || s == PrintHeld || s == PrintFailed
}

// waitingSQL is the SQL test for a waiting job; it must match the partial
// index print_jobs_waiting word for word for SQLite to use it.
const waitingSQL = `status IN ('queued', 'held', 'failed')`

// MaxLabelBytes bounds one label: a label with graphics is well under a
// megabyte, and printers (and the virtual one) refuse formats past 8 MiB.
const MaxLabelBytes = 8 << 20

// ErrNoPrintJob means there is no print job with that id.
var ErrNoPrintJob = errors.New("no such print job")

// PrintJob is one label as the queue holds it.
type PrintJob struct {
	ID        int64
	Printer   string
	Kind      floor.LabelKind
	Ref       string // shipment, order or tote it is for
	ZPL       []byte // nil in lists; PrintJob and NextPrintJob fill it
	Status    PrintStatus
	Reason    string // why it waits, failed or is in doubt, in plain words
	Attempts  int    // sends tried
	RetryAt   time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
	SentAt    time.Time
	ReprintOf int64  // the job this one copies; 0 for an original
	EventID   string // the journal event that asked for it
}

// NewPrintJob is a label to queue.
type NewPrintJob struct {
	Printer   string
	Kind      floor.LabelKind
	Ref       string
	ZPL       []byte
	ReprintOf int64
	EventID   string
}

var labelKind = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)

// Validate says in plain words what is wrong with the job.
func (j NewPrintJob) Validate() error {
	if err := plainText("printer name", j.Printer, 64); err != nil {
		return err
	}
	if strings.TrimSpace(j.Printer) == "" {
		return errors.New("print job without a printer name")
	}
	if !labelKind.MatchString(string(j.Kind)) {
		return fmt.Errorf("label kind %q: want a lower-case word such as shipping, document or test", j.Kind)
	}
	if err := plainText("label reference", j.Ref, 128); err != nil {
		return err
	}
	return checkZPL(j.ZPL)
}

// plainText refuses text that is too long or not printable, so what the
// operator reads back is what was written.
func plainText(what, s string, max int) error {
	switch {
	case len(s) > max:
		return fmt.Errorf("%s is %d bytes long: at most %d", what, len(s), max)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s %q is not valid UTF-8", what, s)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return fmt.Errorf("%s %q contains a control character", what, s)
	}
	return nil
}

// checkZPL refuses what a printer could not print as a whole label: nothing,
// too much, no format start, or a format that never ends (the printer would
// wait for its end and swallow the next label into it).
func checkZPL(zpl []byte) error {
	if len(bytes.TrimSpace(zpl)) == 0 {
		return errors.New("label is empty")
	}
	if len(zpl) > MaxLabelBytes {
		return fmt.Errorf("label is %d bytes: at most %d (8 MiB)", len(zpl), MaxLabelBytes)
	}
	upper := bytes.ToUpper(zpl)
	start := bytes.Index(upper, []byte("^XA"))
	if start < 0 {
		return errors.New("label has no ^XA: it is not ZPL")
	}
	if bytes.LastIndex(upper, []byte("^XZ")) < start {
		return errors.New("label has no ^XZ after its ^XA: the printer would wait for the rest of it")
	}
	return nil
}

const timeLayout = time.RFC3339Nano

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(timeLayout, s)
	return t
}

// enqueueTx records a print job inside the caller's transaction, so a label
// exists exactly when the fact that asked for it does. The spooler sends it
// after the transaction commits (Kick it then). It returns the job's id.
func enqueueTx(ctx context.Context, tx *sql.Tx, now time.Time, j NewPrintJob) (int64, error) {
	if err := j.Validate(); err != nil {
		return 0, err
	}
	var reprintOf any
	if j.ReprintOf != 0 {
		reprintOf = j.ReprintOf
	}
	ts := formatTime(now)
	res, err := tx.ExecContext(ctx, `INSERT INTO print_jobs(printer, kind, ref, zpl, status, created_at, updated_at, reprint_of, event_id)
		VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
		j.Printer, string(j.Kind), j.Ref, j.ZPL, ts, ts, reprintOf, j.EventID)
	if err != nil {
		return 0, fmt.Errorf("queueing label for printer %s: %w", j.Printer, err)
	}
	return res.LastInsertId()
}

// Enqueue journals a label.queued event and records its print job in one
// durable transaction; operator is who asked (may be empty for the
// station itself). It returns the job's id.
func (s *Store) Enqueue(ctx context.Context, now time.Time, operator string, j NewPrintJob) (int64, error) {
	if err := j.Validate(); err != nil {
		return 0, err
	}
	payload, err := json.Marshal(floor.LabelQueuedPayload{Printer: j.Printer, Kind: j.Kind, Ref: j.Ref, ZPL: j.ZPL})
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		evs, err := s.appendEvents(ctx, tx, now, []floor.Event{{Type: floor.EvLabelQueued, Operator: operator, Payload: payload}})
		if err != nil {
			return err
		}
		id, err = s.projectLabelQueued(ctx, tx, evs[0], now)
		return err
	})
	return id, err
}

// projectLabelQueued is the effect of a label.queued event: its print job.
// Commit's projection can call it for events a workflow commits (see
// docs/printing.md); Enqueue uses it for labels queued outside a workflow.
func (s *Store) projectLabelQueued(ctx context.Context, tx *sql.Tx, ev floor.Event, now time.Time) (int64, error) {
	var p floor.LabelQueuedPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return 0, fmt.Errorf("label.queued payload: %w", err)
	}
	return enqueueTx(ctx, tx, now, NewPrintJob{Printer: p.Printer, Kind: p.Kind, Ref: p.Ref, ZPL: p.ZPL, EventID: ev.ID})
}

// appendEvents appends events to the journal inside tx exactly as Commit
// does and returns them as written. Their effects are the caller's to apply
// in the same tx.
func (s *Store) appendEvents(ctx context.Context, tx *sql.Tx, now time.Time, events []floor.Event) ([]floor.Event, error) {
	out := make([]floor.Event, len(events))
	for i, ev := range events {
		var err error
		if out[i], err = s.appendEvent(ctx, tx, now, ev, nil, -1); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// printJobCols is what lists read: everything but the label itself.
const printJobCols = `id, printer, kind, ref, status, reason, attempts, retry_at, created_at, updated_at, sent_at, COALESCE(reprint_of, 0), event_id`

type rowScanner interface{ Scan(dest ...any) error }

func scanPrintJob(r rowScanner, withZPL bool) (PrintJob, error) {
	var j PrintJob
	var kind, status, retry, created, updated, sent string
	dest := []any{&j.ID, &j.Printer, &kind, &j.Ref, &status, &j.Reason, &j.Attempts, &retry, &created, &updated, &sent, &j.ReprintOf, &j.EventID}
	if withZPL {
		dest = append(dest, &j.ZPL)
	}
	if err := r.Scan(dest...); err != nil {
		return PrintJob{}, err
	}
	j.Kind, j.Status = floor.LabelKind(kind), PrintStatus(status)
	j.RetryAt, j.CreatedAt, j.UpdatedAt, j.SentAt = parseTime(retry), parseTime(created), parseTime(updated), parseTime(sent)
	return j, nil
}

// PrintJob returns one job, label included; ErrNoPrintJob when unknown.
func (s *Store) PrintJob(ctx context.Context, id int64) (PrintJob, error) {
	j, err := scanPrintJob(s.db.QueryRow(ctx, `SELECT `+printJobCols+`, zpl FROM print_jobs WHERE id=?`, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return PrintJob{}, fmt.Errorf("%w: %d", ErrNoPrintJob, id)
	}
	return j, err
}

// NextPrintJob is the oldest waiting (queued, held or failed) job for a
// printer, label included; nil when none waits.
func (s *Store) NextPrintJob(ctx context.Context, printer string) (*PrintJob, error) {
	j, err := scanPrintJob(s.db.QueryRow(ctx,
		`SELECT `+printJobCols+`, zpl FROM print_jobs WHERE printer=? AND `+waitingSQL+` ORDER BY id LIMIT 1`, printer), true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &j, nil
}

// PrintJobs lists a printer's jobs in the given statuses (all statuses when
// none is given; every printer when printer is ""), oldest first, without
// the labels themselves.
func (s *Store) PrintJobs(ctx context.Context, printer string, statuses ...PrintStatus) ([]PrintJob, error) {
	q := `SELECT ` + printJobCols + ` FROM print_jobs WHERE 1=1`
	var args []any
	if printer != "" {
		q += ` AND printer=?`
		args = append(args, printer)
	}
	if len(statuses) > 0 {
		q += ` AND status IN (?` + strings.Repeat(`,?`, len(statuses)-1) + `)`
		for _, st := range statuses {
			args = append(args, string(st))
		}
	}
	rows, err := s.db.R.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PrintJob
	for rows.Next() {
		j, err := scanPrintJob(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// PrinterQueue is what one printer has to do and what the operator must
// look at.
type PrinterQueue struct {
	Printer string
	Waiting int // queued, held or failed
	Sending int
	// InDoubt are the jobs that need the operator (they may or may not have
	// printed) and have not been reprinted yet, oldest first.
	InDoubt []PrintJob
}

// PrintQueue sums up one printer's queue.
func (s *Store) PrintQueue(ctx context.Context, printer string) (PrinterQueue, error) {
	qs, err := s.printQueues(ctx, printer)
	if err != nil || len(qs) == 0 {
		return PrinterQueue{Printer: printer}, err
	}
	return qs[0], nil
}

// PrintQueues sums up the queue of every printer that has a job waiting,
// being sent or in doubt, by printer name.
func (s *Store) PrintQueues(ctx context.Context) ([]PrinterQueue, error) {
	return s.printQueues(ctx, "")
}

func (s *Store) printQueues(ctx context.Context, printer string) ([]PrinterQueue, error) {
	byName := map[string]*PrinterQueue{}
	get := func(name string) *PrinterQueue {
		if byName[name] == nil {
			byName[name] = &PrinterQueue{Printer: name}
		}
		return byName[name]
	}
	// Each count reads only its partial index, however long the history.
	for _, c := range []struct {
		where string
		add   func(*PrinterQueue, int)
	}{
		{waitingSQL, func(q *PrinterQueue, n int) { q.Waiting += n }},
		{`status = 'sending'`, func(q *PrinterQueue, n int) { q.Sending += n }},
	} {
		q := `SELECT printer, COUNT(*) FROM print_jobs WHERE ` + c.where
		var args []any
		if printer != "" {
			q += ` AND printer=?`
			args = append(args, printer)
		}
		rows, err := s.db.R.QueryContext(ctx, q+` GROUP BY printer`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var name string
			var n int
			if err := rows.Scan(&name, &n); err != nil {
				rows.Close()
				return nil, err
			}
			c.add(get(name), n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	doubt, err := s.inDoubt(ctx, printer)
	if err != nil {
		return nil, err
	}
	for _, j := range doubt {
		pq := get(j.Printer)
		pq.InDoubt = append(pq.InDoubt, j)
	}
	names := slices.Sorted(maps.Keys(byName))
	out := make([]PrinterQueue, 0, len(names))
	for _, n := range names {
		out = append(out, *byName[n])
	}
	return out, nil
}

// inDoubt lists needs-operator jobs nobody has reprinted yet.
func (s *Store) inDoubt(ctx context.Context, printer string) ([]PrintJob, error) {
	q := `SELECT ` + printJobCols + ` FROM print_jobs j WHERE status = 'needs_operator'
		AND NOT EXISTS (SELECT 1 FROM print_jobs c WHERE c.reprint_of=j.id)`
	var args []any
	if printer != "" {
		q += ` AND printer=?`
		args = append(args, printer)
	}
	rows, err := s.db.R.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PrintJob
	for rows.Next() {
		j, err := scanPrintJob(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// HoldPrintJobs marks every waiting job of a printer held with the reason
// (what is wrong and what to do). Jobs already held for the same reason are
// not rewritten, so a printer polled while out of labels costs no writes.
// It returns how many jobs changed.
func (s *Store) HoldPrintJobs(ctx context.Context, now time.Time, printer, reason string) (int, error) {
	var n int64
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE print_jobs SET status='held', reason=?, updated_at=?
			WHERE printer=? AND `+waitingSQL+` AND NOT (status='held' AND reason=?)`,
			reason, formatTime(now), printer, reason)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// StartSending marks a waiting job as being sent, in its own durable
// transaction, and counts the attempt. Only when it returns true may the
// label's bytes be written: false means the job is no longer waiting
// (another spooler, a reprint or an operator got there first).
func (s *Store) StartSending(ctx context.Context, now time.Time, id int64) (bool, error) {
	var n int64
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE print_jobs SET status='sending', reason='', attempts=attempts+1, updated_at=?
			WHERE id=? AND `+waitingSQL, formatTime(now), id)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, err
}

// finishSending moves a job out of sending; it fails if the job is not in
// sending (something changed it underneath, which must not go unnoticed).
func (s *Store) finishSending(ctx context.Context, id int64, set string, args ...any) error {
	return s.finishSendingTold(ctx, time.Time{}, id, "", "", set, args...)
}

// finishSendingTold is finishSending that also journals the trouble (ev:
// label.failed at a label's first failure, label.in_doubt) for the
// supervisor's queue, in the same transaction; "" journals nothing.
func (s *Store) finishSendingTold(ctx context.Context, now time.Time, id int64, ev floor.EventType, reason, set string, args ...any) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE print_jobs SET `+set+` WHERE id=? AND status='sending'`, append(args, id)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("print job %d is no longer being sent: its outcome was not recorded", id)
		}
		if ev == "" {
			return nil
		}
		j, err := scanPrintJob(tx.QueryRowContext(ctx, `SELECT `+printJobCols+` FROM print_jobs WHERE id=?`, id), false)
		if err != nil || ev == floor.EvLabelFailed && j.Attempts != 1 {
			return err
		}
		payload, err := json.Marshal(floor.LabelTroublePayload{Job: id, Printer: j.Printer, Kind: j.Kind, Ref: j.Ref, Reason: reason})
		if err != nil {
			return err
		}
		_, err = s.appendEvents(ctx, tx, now, []floor.Event{{Type: ev, Payload: payload}})
		return err
	})
}

// MarkSent records that the printer took every byte of the job.
func (s *Store) MarkSent(ctx context.Context, now time.Time, id int64) error {
	ts := formatTime(now)
	return s.finishSending(ctx, id, `status='sent', reason='', retry_at='', sent_at=?, updated_at=?`, ts, ts)
}

// MarkFailed records a send in which nothing left the station: the job
// waits again and is tried at retryAt.
func (s *Store) MarkFailed(ctx context.Context, now time.Time, id int64, reason string, retryAt time.Time) error {
	return s.finishSendingTold(ctx, now, id, floor.EvLabelFailed, reason, `status='failed', reason=?, retry_at=?, updated_at=?`, reason, formatTime(retryAt), formatTime(now))
}

// MarkNeedsOperator records a send whose outcome is unknown (some bytes went
// out): it is never sent again by itself; the operator checks the printer
// and reprints or confirms.
func (s *Store) MarkNeedsOperator(ctx context.Context, now time.Time, id int64, reason string) error {
	return s.finishSendingTold(ctx, now, id, floor.EvLabelInDoubt, reason, `status='needs_operator', reason=?, updated_at=?`, reason, formatTime(now))
}

// InterruptedReason is what a job found in sending at start says.
const InterruptedReason = "tote stopped while sending this label, so it may or may not have printed: check the printer, then reprint it or confirm it printed"

// RecoverInterrupted turns every job left in sending (tote stopped between
// marking it and recording the outcome) into needs_operator, and returns
// them. Call it once at start, before any spooler runs: a job in doubt is
// never resent by itself. Each is journaled as label.in_doubt in the same
// transaction, as a send that ended in doubt is, so the supervisor's
// queue has it too.
func (s *Store) RecoverInterrupted(ctx context.Context, now time.Time) ([]PrintJob, error) {
	var out []PrintJob
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, `SELECT `+printJobCols+` FROM print_jobs WHERE status='sending' ORDER BY id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			j, err := scanPrintJob(rows, false)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, j)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, `UPDATE print_jobs SET status='needs_operator', reason=?, updated_at=? WHERE status='sending'`,
			InterruptedReason, formatTime(now)); err != nil {
			return err
		}
		var told []floor.Event
		for _, j := range out {
			payload, err := json.Marshal(floor.LabelTroublePayload{Job: j.ID, Printer: j.Printer, Kind: j.Kind, Ref: j.Ref, Reason: InterruptedReason})
			if err != nil {
				return err
			}
			told = append(told, floor.Event{Type: floor.EvLabelInDoubt, Payload: payload})
		}
		if len(told) == 0 {
			return nil
		}
		_, err = s.appendEvents(ctx, tx, now, told)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Status, out[i].Reason, out[i].UpdatedAt = PrintNeedsOperator, InterruptedReason, now
	}
	return out, nil
}

// ReprintRequest is an operator asking for another copy of a label.
type ReprintRequest struct {
	Job      int64  // the job to copy
	Operator string // badge of who asked; required
	Reason   string // why, for the audit; required
	Printer  string // another printer; "" for the original's
}

// Reprint queues a copy of a job that printed (or may have: a job that
// needs the operator) and journals a label.reprinted event with the reason
// and the operator, in one durable transaction. The copy is a new job linked
// to the original. A label that has not printed yet is refused: it will
// print by itself, and a reprint would make two.
func (s *Store) Reprint(ctx context.Context, now time.Time, r ReprintRequest) (PrintJob, error) {
	reason := strings.TrimSpace(r.Reason)
	switch {
	case reason == "":
		return PrintJob{}, errors.New("a reprint needs a reason (for example: label smudged, label torn, carton relabelled)")
	case strings.TrimSpace(r.Operator) == "":
		return PrintJob{}, errors.New("a reprint needs the operator who asks for it")
	}
	if err := plainText("reprint reason", reason, 200); err != nil {
		return PrintJob{}, err
	}
	var job PrintJob
	err := s.db.Write(ctx, func(tx *sql.Tx) error {
		orig, id, err := reprintTx(ctx, tx, now, r.Job, r.Printer)
		if err != nil {
			return err
		}
		printer := orig.Printer
		if r.Printer != "" {
			printer = r.Printer
		}
		payload, err := json.Marshal(floor.LabelReprintedPayload{Job: id, Original: orig.ID, Printer: printer,
			Kind: orig.Kind, Ref: orig.Ref, Reason: reason})
		if err != nil {
			return err
		}
		evs, err := s.appendEvents(ctx, tx, now, []floor.Event{{Type: floor.EvLabelReprinted, Operator: r.Operator, Payload: payload}})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE print_jobs SET event_id=? WHERE id=?`, evs[0].ID, id); err != nil {
			return err
		}
		job, err = scanPrintJob(tx.QueryRowContext(ctx, `SELECT `+printJobCols+`, zpl FROM print_jobs WHERE id=?`, id), true)
		return err
	})
	return job, err
}

// ErrNotPrinted means a label has not printed yet (it waits, or is being
// sent): it prints by itself, so a copy would make two.
var ErrNotPrinted = errors.New("label not printed yet")

// notPrinted says which label and why, and is ErrNotPrinted.
type notPrinted struct{ msg string }

func (e *notPrinted) Error() string { return e.msg }
func (e *notPrinted) Is(target error) bool {
	return target == ErrNotPrinted || target == ErrRefused
}

// reprintTx queues, inside the caller's transaction, a copy of job for
// printer ("" for the original's), linked to the original. A job that has
// not printed yet is refused with ErrNotPrinted, in words an operator
// reads. It returns the original and the copy's id; the caller journals
// label.reprinted.
func reprintTx(ctx context.Context, tx *sql.Tx, now time.Time, job int64, printer string) (PrintJob, int64, error) {
	orig, err := scanPrintJob(tx.QueryRowContext(ctx, `SELECT `+printJobCols+`, zpl FROM print_jobs WHERE id=?`, job), true)
	if errors.Is(err, sql.ErrNoRows) {
		return orig, 0, fmt.Errorf("%w: %d", ErrNoPrintJob, job)
	}
	if err != nil {
		return orig, 0, err
	}
	switch {
	case orig.Status.Waiting():
		why := ""
		if orig.Reason != "" {
			why = " (" + orig.Reason + ")"
		}
		return orig, 0, &notPrinted{fmt.Sprintf("label %d has not printed yet%s: it prints by itself when the printer is ready, so no reprint is needed", orig.ID, why)}
	case orig.Status == PrintSending:
		return orig, 0, &notPrinted{fmt.Sprintf("label %d is being sent right now: wait for it, then reprint if it did not come out right", orig.ID)}
	case orig.Status == PrintCancelled:
		return orig, 0, &Refused{Why: fmt.Sprintf("label %d was cancelled (%s): it is not printed again", orig.ID, orig.Reason)}
	}
	if printer == "" {
		printer = orig.Printer
	}
	id, err := enqueueTx(ctx, tx, now, NewPrintJob{Printer: printer, Kind: orig.Kind, Ref: orig.Ref, ZPL: orig.ZPL, ReprintOf: orig.ID})
	return orig, id, err
}

// ConfirmPrinted records an operator's word that a label in doubt did print
// (journaled as label.confirmed): it is marked sent and stops asking for
// attention.
func (s *Store) ConfirmPrinted(ctx context.Context, now time.Time, id int64, operator, note string) error {
	if strings.TrimSpace(operator) == "" {
		return errors.New("confirming a label needs the operator who checked it")
	}
	if err := plainText("note", note, 200); err != nil {
		return err
	}
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		j, err := scanPrintJob(tx.QueryRowContext(ctx, `SELECT `+printJobCols+` FROM print_jobs WHERE id=?`, id), false)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %d", ErrNoPrintJob, id)
		}
		if err != nil {
			return err
		}
		if j.Status != PrintNeedsOperator {
			return fmt.Errorf("label %d is %s, not waiting for a check", id, strings.ReplaceAll(string(j.Status), "_", " "))
		}
		payload, err := json.Marshal(floor.LabelConfirmedPayload{Job: id, Printer: j.Printer, Ref: j.Ref, Note: note})
		if err != nil {
			return err
		}
		if _, err := s.appendEvents(ctx, tx, now, []floor.Event{{Type: floor.EvLabelConfirmed, Operator: operator, Payload: payload}}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE print_jobs SET status='sent', reason=?, updated_at=? WHERE id=?`,
			"confirmed printed by "+operator, formatTime(now), id)
		return err
	})
}

// LabelDigest is a short fingerprint of a label, for logs: the same label
// gives the same digest, so a reprint can be told from a new label.
func LabelDigest(zpl []byte) string {
	sum := sha256.Sum256(zpl)
	return hex.EncodeToString(sum[:6])
}

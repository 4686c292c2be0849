package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// The office's answers to the exceptions this station met (migration
// 0013): a supervisor's resolution arrives as a notice, kept once and
// told on the screen; for a label in doubt it also does what the
// supervisor decided (print it again, or take it as printed), journaled
// as the supervisor's. A recount arrives as a cycle-count task for the
// cart, which records the count as count.recorded.

// OfficeNotice is a supervisor's resolution of an exception met here.
type OfficeNotice struct {
	Exception  int64
	Source     string
	Kind       string
	Action     string
	Reason     string
	Supervisor string // badge
	Order      string
	Job        int64  // the print job, for a label
	EventID    string // the event that met the exception
	Text       string // in plain words
	At         time.Time
}

// CountTask is a cycle count sent to this cart.
type CountTask struct {
	ID        int64
	Exception int64
	Location  string
	SKU       string
	Reason    string
	Status    string // open or counted
	Counted   int
	CountedBy string
	At        time.Time
}

// Count task statuses.
const (
	CountOpen    = "open"
	CountCounted = "counted"
)

func (a applier) notice(n *OfficeNotice) (string, error) {
	res, err := a.tx.ExecContext(a.ctx, `INSERT OR IGNORE INTO office_notices(source, exception, kind, action, reason, supervisor,
		order_id, job, event_id, text, at, pulled_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
		n.Source, n.Exception, n.Kind, n.Action, n.Reason, n.Supervisor, n.Order, n.Job, n.EventID, n.Text,
		n.At.UTC().Format(time.RFC3339Nano), a.at)
	if err != nil {
		return "", err
	}
	if k, _ := res.RowsAffected(); k == 0 {
		return "", nil // told already (a refetch)
	}
	a.sum.Resolved = append(a.sum.Resolved, n.Text)
	if n.EventID != "" {
		if err := a.exec(`UPDATE exceptions SET status='resolved' WHERE event_id=? AND status='open'`, n.EventID); err != nil {
			return "", err
		}
	}
	if n.Job == 0 {
		return "", nil
	}
	switch n.Action {
	case floor.ResolveReprint:
		return "", a.reprintInDoubt(n)
	case floor.ResolveLabelPrinted:
		return "", a.confirmInDoubt(n)
	}
	return "", nil
}

// inDoubt reads the notice's job when it is in one of the statuses;
// false for any other (printed since, or not in that trouble).
func (a applier) inDoubt(job int64, statuses ...PrintStatus) (PrintJob, bool, error) {
	j, err := scanPrintJob(a.tx.QueryRowContext(a.ctx, `SELECT `+printJobCols+` FROM print_jobs WHERE id=?`, job), false)
	if errors.Is(err, sql.ErrNoRows) {
		return j, false, nil
	}
	return j, err == nil && slices.Contains(statuses, j.Status), err
}

// reprintInDoubt prints a copy of a label in doubt; a failed label
// prints by itself when its printer is ready, so it is left to do so.
func (a applier) reprintInDoubt(n *OfficeNotice) error {
	j, ok, err := a.inDoubt(n.Job, PrintNeedsOperator)
	if err != nil || !ok {
		return err
	}
	now := a.now
	orig, id, err := reprintTx(a.ctx, a.tx, now, j.ID, "")
	if err != nil {
		return err
	}
	payload, err := json.Marshal(floor.LabelReprintedPayload{Job: id, Original: orig.ID, Printer: orig.Printer,
		Kind: orig.Kind, Ref: orig.Ref, Reason: "supervisor: " + n.Reason})
	if err != nil {
		return err
	}
	if _, err := a.store.appendEvents(a.ctx, a.tx, now, []floor.Event{{Type: floor.EvLabelReprinted, Operator: n.Supervisor, Payload: payload}}); err != nil {
		return err
	}
	return a.exec(`UPDATE print_jobs SET status='sent', reason=?, updated_at=? WHERE id=?`,
		fmt.Sprintf("printed again as label %d on supervisor %s's word", id, n.Supervisor), formatTime(now), j.ID)
}

// confirmInDoubt takes the label as printed on the supervisor's word: a
// label in doubt, and a failed one still waiting to be tried again (held
// or failed), which would otherwise print a second label for the carton.
func (a applier) confirmInDoubt(n *OfficeNotice) error {
	j, ok, err := a.inDoubt(n.Job, PrintNeedsOperator, PrintFailed, PrintHeld)
	if err != nil || !ok {
		return err
	}
	now := a.now
	payload, err := json.Marshal(floor.LabelConfirmedPayload{Job: j.ID, Printer: j.Printer, Ref: j.Ref, Note: "supervisor: " + n.Reason})
	if err != nil {
		return err
	}
	if _, err := a.store.appendEvents(a.ctx, a.tx, now, []floor.Event{{Type: floor.EvLabelConfirmed, Operator: n.Supervisor, Payload: payload}}); err != nil {
		return err
	}
	return a.exec(`UPDATE print_jobs SET status='sent', retry_at='', reason=?, updated_at=? WHERE id=?`,
		"confirmed printed by supervisor "+n.Supervisor, formatTime(now), j.ID)
}

func (a applier) count(c *CountTask) (string, error) {
	res, err := a.tx.ExecContext(a.ctx, `INSERT OR IGNORE INTO count_tasks(id, exception, location, sku, reason, status, at)
		VALUES (?,?,?,?,?,?,?)`, c.ID, c.Exception, c.Location, c.SKU, c.Reason, CountOpen, c.At.UTC().Format(time.RFC3339Nano))
	if err != nil {
		return "", err
	}
	if k, _ := res.RowsAffected(); k == 1 {
		what := c.Location
		if c.SKU != "" {
			what += " (" + c.SKU + ")"
		}
		a.sum.Counts = append(a.sum.Counts, fmt.Sprintf("count %s for the supervisor: %s", what, c.Reason))
	}
	return "", nil
}

// Notices lists the office's notices, newest first, at most limit.
func (s *Store) Notices(ctx context.Context, limit int) ([]OfficeNotice, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT exception, source, kind, action, reason, supervisor, order_id, job, event_id, text, at
		FROM office_notices ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OfficeNotice
	for rows.Next() {
		var n OfficeNotice
		var at string
		if err := rows.Scan(&n.Exception, &n.Source, &n.Kind, &n.Action, &n.Reason, &n.Supervisor, &n.Order, &n.Job, &n.EventID, &n.Text, &at); err != nil {
			return nil, err
		}
		n.At = parseTime(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// CountTasks lists the cycle counts sent to this cart, open ones only
// when open, by id.
func (s *Store) CountTasks(ctx context.Context, open bool) ([]CountTask, error) {
	q := `SELECT id, exception, location, sku, reason, status, counted, counted_by, at FROM count_tasks`
	if open {
		q += ` WHERE status='open'`
	}
	rows, err := s.db.R.QueryContext(ctx, q+` ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CountTask
	for rows.Next() {
		var c CountTask
		var at string
		if err := rows.Scan(&c.ID, &c.Exception, &c.Location, &c.SKU, &c.Reason, &c.Status, &c.Counted, &c.CountedBy, &at); err != nil {
			return nil, err
		}
		c.At = parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountTask reads one cycle count; false when none has the id.
func (s *Store) CountTask(ctx context.Context, id int64) (CountTask, bool, error) {
	all, err := s.CountTasks(ctx, false)
	for _, c := range all {
		if c.ID == id {
			return c, true, err
		}
	}
	return CountTask{}, false, err
}

// projectCount marks the count task counted; a count of a task this
// cart does not hold, or holds counted, is refused.
func projectCount(ctx context.Context, tx *sql.Tx, ev floor.Event) error {
	var p floor.CountRecordedPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE count_tasks SET status='counted', counted=?, counted_by=? WHERE id=? AND status='open'`,
		p.Counted, ev.Operator, p.Count)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return &Refused{Why: fmt.Sprintf("count task %d is not open on this cart", p.Count)}
	}
	return nil
}

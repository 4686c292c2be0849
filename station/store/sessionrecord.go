package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Where the session is kept (migration 0016). A commit that appends events
// and changes the session keeps the new session (when it is short,
// maxJournalSession) in its last journal row:
// that page is written anyway, and the session row's page then is not, so
// a scan that completes a task writes and syncs one page fewer. A commit
// without events writes the session row, whose through_seq (the newest
// sequence then) makes every older journal session stale. So the session
// a restart resumes is the newest journal row's after through_seq, else
// the row's: both written in the commit that changed the session, so a
// kill at any point leaves exactly the last committed one.

// maxJournalSession is the largest session record a journal row keeps.
// A pick cart's is under a hundred bytes; a pack bench's whole state runs
// to kilobytes: kept in the journal it would fill a page or more per
// commit, save no page, and stay on disk until pruned, so it goes to the
// session row, overwritten in place, as before.
const maxJournalSession = 512

// sessionRecord is a session as a journal row keeps it: a JSON array of
// its fields in this order, not an object, so the row stays short (a
// journal page holds more rows, and fills and splits less often).
type sessionRecord struct {
	Bench     string
	Operator  string // [1], read by SyncState
	WaveID    string
	Tote      string
	ToteOrder string
	TaskID    int64
	Step      string
	Pending   json.RawMessage
}

// MarshalJSON writes the array by hand: it is built on every commit that
// moves a session, and encoding/json's reflection over []any cost more
// than the rest of building the row.
func (r sessionRecord) MarshalJSON() ([]byte, error) {
	if !json.Valid(r.Pending) {
		return nil, fmt.Errorf("session pending data is not JSON: %q", r.Pending)
	}
	b := make([]byte, 0, 64+len(r.Bench)+len(r.Operator)+len(r.WaveID)+len(r.Tote)+len(r.ToteOrder)+len(r.Step)+len(r.Pending))
	b = append(b, '[')
	for _, f := range []string{r.Bench, r.Operator, r.WaveID, r.Tote, r.ToteOrder} {
		b = appendJSONString(b, f)
		b = append(b, ',')
	}
	b = strconv.AppendInt(b, r.TaskID, 10)
	b = append(b, ',')
	b = appendJSONString(b, r.Step)
	b = append(b, ',')
	b = append(b, r.Pending...)
	return append(b, ']'), nil
}

// appendJSONString appends s as a JSON string: plain text as it is, and
// anything encoding/json would escape (quotes, backslashes, control
// characters, invalid UTF-8, HTML and line separators) through it.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= utf8.RuneSelf {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func (r *sessionRecord) UnmarshalJSON(b []byte) error {
	var f []json.RawMessage
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	if len(f) != 8 {
		return fmt.Errorf("%d fields, want 8", len(f))
	}
	for i, v := range []any{&r.Bench, &r.Operator, &r.WaveID, &r.Tote, &r.ToteOrder, &r.TaskID, &r.Step} {
		if err := json.Unmarshal(f[i], v); err != nil {
			return err
		}
	}
	r.Pending = f[7]
	return nil
}

// stored is sess as the store keeps it: a bench always named, pending
// data always an object.
func stored(sess *Session) sessionRecord {
	r := sessionRecord{Bench: sess.Bench, Operator: sess.Operator, WaveID: sess.WaveID, Tote: sess.Tote,
		ToteOrder: sess.ToteOrder, TaskID: sess.TaskID, Step: sess.Step, Pending: sess.Pending}
	if r.Bench == "" {
		r.Bench = "pick"
	}
	if len(r.Pending) == 0 {
		r.Pending = json.RawMessage("{}")
	}
	return r
}

// journalSession is sess as its commit's last journal row keeps it.
func journalSession(sess *Session) (string, error) {
	b, err := stored(sess).MarshalJSON()
	return string(b), err
}

// saveSessionRow writes sess to the session row, through the newest
// sequence.
func (s *Store) saveSessionRow(ctx context.Context, tx *sql.Tx, sess *Session) error {
	r := stored(sess)
	_, err := s.db.Exec(ctx, tx, qSession,
		r.Bench, r.Operator, r.WaveID, r.Tote, r.ToteOrder, r.TaskID, r.Step, string(r.Pending))
	return err
}

// qJournalSession is the newest session a journal row after ?1 keeps.
// The scan runs back from the newest row and stops at the first that
// keeps one: a few rows, those committed since the session last changed.
const qJournalSession = `SELECT seq, session FROM journal WHERE seq > ?1 AND session IS NOT NULL ORDER BY seq DESC LIMIT 1`

// newestJournalSession reads the newest session kept in a journal row
// after through; ok is false when there is none.
func newestJournalSession(ctx context.Context, query func(context.Context, string, ...any) *sql.Row, through int64) (Session, bool, error) {
	var seq int64
	var text string
	err := query(ctx, qJournalSession, through).Scan(&seq, &text)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, false, nil
	}
	if err != nil {
		return Session{}, false, err
	}
	var r sessionRecord
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		return Session{}, false, fmt.Errorf("the session kept in journal row %d: %w", seq, err)
	}
	return Session{Bench: r.Bench, Operator: r.Operator, WaveID: r.WaveID, Tote: r.Tote, ToteOrder: r.ToteOrder,
		TaskID: r.TaskID, Step: r.Step, Pending: r.Pending, Through: seq}, true, nil
}

// foldSession copies the newest journal session into the session row, with
// its sequence as through_seq, so pruning (which keeps every row after
// through_seq) can move the journal rows before it. The session is the
// same after: only where it is kept changes.
func (s *Store) foldSession(ctx context.Context) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		var through int64
		if err := tx.QueryRowContext(ctx, `SELECT through_seq FROM session WHERE id=1`).Scan(&through); err != nil {
			return err
		}
		j, ok, err := newestJournalSession(ctx, tx.QueryRowContext, through)
		if err != nil || !ok {
			return err
		}
		r := stored(&j)
		_, err = tx.ExecContext(ctx, `UPDATE session SET bench=?, operator=?, wave_id=?, tote=?, tote_order=?, task_id=?, step=?, pending=?,
			through_seq=? WHERE id=1`, r.Bench, r.Operator, r.WaveID, r.Tote, r.ToteOrder, r.TaskID, r.Step, string(r.Pending), j.Through)
		return err
	})
}

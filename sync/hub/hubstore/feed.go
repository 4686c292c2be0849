package hubstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// everyStation addresses a change to all stations (reference data).
const everyStation = ""

// feed appends one central action's changes, all in one grp unless a
// record is emitted alone.
type feed struct {
	tx     *sql.Tx
	insert *sql.Stmt
	grp    int64
	next   int64 // the seq the next insert will get
}

func newFeed(ctx context.Context, tx *sql.Tx) (*feed, error) {
	f := &feed{tx: tx}
	// AUTOINCREMENT keeps the last seq in sqlite_sequence; the grp is the
	// group's first seq, which no earlier group can have used.
	err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name='changes'), 0) + 1`).Scan(&f.grp)
	if err != nil {
		return nil, err
	}
	f.next = f.grp
	f.insert, err = tx.PrepareContext(ctx, `INSERT INTO changes(grp, station, kind, body) VALUES (?,?,?,?)`)
	return f, err
}

// emit appends a change to the action's group.
func (f *feed) emit(ctx context.Context, station string, c protocol.Change) error {
	_, err := f.add(ctx, f.grp, station, c)
	return err
}

// emitAlone appends a change in a group of its own: records that need not
// travel together (reference data) so pages stay near their limit.
func (f *feed) emitAlone(ctx context.Context, station string, c protocol.Change) error {
	want := f.next
	seq, err := f.add(ctx, want, station, c)
	if err == nil && seq != want {
		_, err = f.tx.ExecContext(ctx, `UPDATE changes SET grp=seq WHERE seq=?`, seq)
	}
	return err
}

func (f *feed) add(ctx context.Context, grp int64, station string, c protocol.Change) (int64, error) {
	c.Seq = 0
	body, err := json.Marshal(c)
	if err != nil {
		return 0, err
	}
	res, err := f.tx.StmtContext(ctx, f.insert).ExecContext(ctx, grp, station, c.Kind, string(body))
	if err != nil {
		return 0, err
	}
	seq, err := res.LastInsertId()
	f.next = seq + 1
	return seq, err
}

// Pull returns a page of the station's changes after cursor. A cursor from
// another hub database, an older epoch (a reset was ordered), or past the
// end of the feed (the hub was restored from a backup) starts the station
// again from the beginning, with Reset set.
func (s *Store) Pull(ctx context.Context, station, cursor string, limit int, at time.Time) (protocol.PullResponse, error) {
	resp := protocol.PullResponse{Station: station}
	if limit < 1 {
		limit = 1
	}
	tx, err := s.db.R.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return resp, err
	}
	defer tx.Rollback()
	var epoch, maxSeq int64
	err = tx.QueryRowContext(ctx, `SELECT epoch, (SELECT COALESCE(MAX(seq), 0) FROM changes), COALESCE(number, 0) FROM stations WHERE id=?`, station).Scan(&epoch, &maxSeq, &resp.StationNumber)
	if errors.Is(err, sql.ErrNoRows) {
		return resp, protocol.Errorf(protocol.CodeNotFound, "station %s is not registered at this hub", station)
	}
	if err != nil {
		return resp, err
	}
	var from, fromTag int64
	if cursor != "" {
		c, err := hub.ParseCursor(cursor)
		switch {
		case err != nil || c.Hub != s.hubID || c.Epoch != epoch || c.Seq > maxSeq:
			resp.Reset = true
		case c.Seq > 0:
			// The change the cursor stands on must still be the same one.
			var tag int64
			err := tx.QueryRowContext(ctx, `SELECT tag FROM changes WHERE seq=?`, c.Seq).Scan(&tag)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && tag != c.Tag) {
				resp.Reset = true
			} else if err != nil {
				return resp, err
			} else {
				from, fromTag = c.Seq, c.Tag
			}
		}
	}
	const q = `SELECT seq, grp, tag, body FROM changes WHERE station IN ('', ?1) AND seq > ?2 `
	rows, err := tx.QueryContext(ctx, q+`ORDER BY seq LIMIT ?3`, station, from, limit)
	if err != nil {
		return resp, err
	}
	last, lastGrp, lastTag, err := scanChanges(rows, &resp.Changes)
	if err != nil {
		return resp, err
	}
	if last == 0 {
		last, lastTag = from, fromTag
	} else {
		// Finish the last action's group so a page never splits it.
		rows, err := tx.QueryContext(ctx, q+`AND grp = ?3 ORDER BY seq`, station, last, lastGrp)
		if err != nil {
			return resp, err
		}
		l, _, lt, err := scanChanges(rows, &resp.Changes)
		if err != nil {
			return resp, err
		}
		if l > last {
			last, lastTag = l, lt
		}
		var more int
		err = tx.QueryRowContext(ctx, `SELECT EXISTS (`+q+`)`, station, last).Scan(&more)
		if err != nil {
			return resp, err
		}
		resp.More = more == 1
	}
	if resp.Changes == nil {
		resp.Changes = []protocol.Change{}
	}
	resp.Cursor = hub.Cursor{Hub: s.hubID, Epoch: epoch, Seq: last, Tag: lastTag}.String()
	tx.Rollback()
	// When the station last asked is information for the office; it does
	// not gate anything, so it is written after the read.
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE stations SET last_pull_at=? WHERE id=?`, stamp(at), station)
		return err
	})
	return resp, err
}

func scanChanges(rows *sql.Rows, out *[]protocol.Change) (last, grp, tag int64, err error) {
	defer rows.Close()
	for rows.Next() {
		var seq, g, t int64
		var body string
		if err := rows.Scan(&seq, &g, &t, &body); err != nil {
			return 0, 0, 0, err
		}
		var c protocol.Change
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return 0, 0, 0, fmt.Errorf("change %d in the feed does not read: %w", seq, err)
		}
		c.Seq = seq
		*out = append(*out, c)
		last, grp, tag = seq, g, t
	}
	return last, grp, tag, rows.Err()
}

package store

// Pruning: the journal would otherwise grow for the station's whole life.
// Events the hub acknowledged (seq ≤ the pushed mark) and older than a
// configured age leave it, in small batches, into an archive file next to
// the store or nowhere, by configuration. Never pruned:
//
//   - events the hub has not acknowledged (the outbox);
//   - events after the session's through_seq (a restart replays them
//     and reads its session from the newest that keeps one; pruning
//     first moves that session to the row, foldSession);
//   - the newest event: the next sequence is MAX(seq)+1, so keeping the
//     newest row keeps the sequence gapless without a second counter on
//     the scan path;
//   - events the hub refused (sync_rejections joins them for the floor).
//
// Archive mode copies a batch into the archive and commits it there first,
// then deletes the same range from the journal: a kill between the two
// leaves the batch in both, and the next run copies it again (a row
// already there with the same event id counts as copied) and deletes it.
// A row there with another event id stops pruning: nothing is deleted that
// is not safely elsewhere.

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/sqlitedb"
)

//go:embed archive_migrations/*.sql
var archiveFS embed.FS

// ArchiveFile is the archive's name, in the store's directory.
const ArchiveFile = "journal-archive.db"

// What happens to pushed events once old enough.
const (
	PushedArchive = "archive" // moved into journal-archive.db
	PushedDelete  = "delete"  // deleted
	PushedKeep    = "keep"    // left in the journal
)

// PruneOptions say which events leave the journal and where they go.
type PruneOptions struct {
	Mode       string        // PushedArchive, PushedDelete or PushedKeep
	KeepPushed time.Duration // acknowledged events younger than this stay
	Batch      int           // events per transaction; 500 when zero
	Now        func() time.Time
}

// ArchivePath is where the archive of the store at path lives.
func ArchivePath(storePath string) string {
	return filepath.Join(filepath.Dir(storePath), ArchiveFile)
}

// afterCopy, when set (tests), runs between the archive's commit and the
// journal's delete.
var afterCopy func()

// Prune moves or deletes every prunable event, one batch per transaction,
// and returns how many left the journal.
func (s *Store) Prune(ctx context.Context, o PruneOptions) (int, error) {
	switch o.Mode {
	case PushedKeep:
		return 0, nil
	case PushedArchive, PushedDelete:
	default:
		return 0, fmt.Errorf("pushed events: %q is not archive, delete or keep", o.Mode)
	}
	if o.Batch <= 0 {
		o.Batch = 500
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	cutoff := now().Add(-o.KeepPushed)
	// Rows after the session row's through_seq stay (a restart reads
	// them): a session kept in the journal moves to the row first.
	if err := s.foldSession(ctx); err != nil {
		return 0, fmt.Errorf("saving the session before pruning: %w", err)
	}
	var arch *sqlitedb.DB
	if o.Mode == PushedArchive {
		var err error
		arch, err = sqlitedb.Open(ctx, ArchivePath(s.db.Path), sqlitedb.MustLoadMigrations(archiveFS, "archive_migrations"))
		if err != nil {
			return 0, fmt.Errorf("journal archive: %w", err)
		}
		defer arch.Close()
	}
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, err := s.pruneBatch(ctx, arch, cutoff, o.Batch)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// qPrunable is the highest sequence that may leave the journal.
const qPrunable = `SELECT MIN((SELECT pushed FROM sync_state WHERE id=1),
	(SELECT through_seq FROM session WHERE id=1),
	(SELECT COALESCE(MAX(seq), 0) - 1 FROM journal))`

type prunedRow struct {
	seq                                                  int64
	eventID, station, operator, deviceTime, typ, payload string
}

// pruneBatch moves or deletes up to batch of the oldest prunable events.
func (s *Store) pruneBatch(ctx context.Context, arch *sqlitedb.DB, cutoff time.Time, batch int) (int, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT seq, event_id, station, operator, device_time, type, payload FROM journal
		WHERE seq <= (`+qPrunable+`) AND seq NOT IN (SELECT seq FROM sync_rejections) ORDER BY seq LIMIT ?`, batch)
	if err != nil {
		return 0, err
	}
	var evs []prunedRow
	for rows.Next() {
		var r prunedRow
		if err := rows.Scan(&r.seq, &r.eventID, &r.station, &r.operator, &r.deviceTime, &r.typ, &r.payload); err != nil {
			rows.Close()
			return 0, err
		}
		// Stop at the first event too young (or with a time we cannot
		// read): device clocks may step back, so what follows stays too.
		t, err := time.Parse(time.RFC3339Nano, r.deviceTime)
		if err != nil || !t.Before(cutoff) {
			break
		}
		evs = append(evs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(evs) == 0 {
		return 0, nil
	}
	lo, hi := evs[0].seq, evs[len(evs)-1].seq
	if arch != nil {
		if err := copyToArchive(ctx, arch, evs); err != nil {
			return 0, fmt.Errorf("journal archive: %w", err)
		}
		if afterCopy != nil {
			afterCopy()
		}
	}
	var n int64
	err = s.db.Write(ctx, func(tx *sql.Tx) error {
		// The bound again, inside the writer: it only ever rises, but
		// the journal decides, not what was read a moment ago.
		res, err := tx.ExecContext(ctx, `DELETE FROM journal WHERE seq BETWEEN ? AND ? AND seq <= (`+qPrunable+`)
			AND seq NOT IN (SELECT seq FROM sync_rejections)`, lo, hi)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// errArchiveDiffers: the archive holds another event under a sequence.
var errArchiveDiffers = errors.New("the archive holds a different event under the same sequence; nothing was deleted")

// copyToArchive commits evs to the archive; a row already there with the
// same event id counts as copied (a retry after a kill).
func copyToArchive(ctx context.Context, arch *sqlitedb.DB, evs []prunedRow) error {
	return arch.Write(ctx, func(tx *sql.Tx) error {
		st, err := tx.PrepareContext(ctx, `INSERT INTO journal(seq, event_id, station, operator, device_time, type, payload)
			VALUES (?,?,?,?,?,?,?) ON CONFLICT(seq) DO UPDATE SET seq = seq WHERE event_id = excluded.event_id RETURNING seq`)
		if err != nil {
			return err
		}
		defer st.Close()
		var bad []string
		for _, r := range evs {
			var seq int64
			err := st.QueryRowContext(ctx, r.seq, r.eventID, r.station, r.operator, r.deviceTime, r.typ, r.payload).Scan(&seq)
			if errors.Is(err, sql.ErrNoRows) {
				bad = append(bad, fmt.Sprint(r.seq))
				continue
			}
			if err != nil {
				return err
			}
		}
		if len(bad) > 0 {
			return fmt.Errorf("%w (sequence %s)", errArchiveDiffers, strings.Join(bad, ", "))
		}
		return nil
	})
}

// KeepPruning prunes at once and then every interval until ctx ends,
// telling report what each run did.
func (s *Store) KeepPruning(ctx context.Context, o PruneOptions, every time.Duration, report func(moved int, err error)) {
	if o.Mode == PushedKeep {
		return
	}
	if every <= 0 {
		every = time.Hour
	}
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := s.Prune(ctx, o)
		if ctx.Err() != nil {
			return
		}
		if report != nil {
			report(n, err)
		}
		t.Reset(every)
	}
}

// ArchivedJournal returns up to limit archived events after seq, in order.
func ArchivedJournal(ctx context.Context, storePath string, after int64, limit int) ([]floor.Event, error) {
	db, err := sqlitedb.Open(ctx, ArchivePath(storePath), sqlitedb.MustLoadMigrations(archiveFS, "archive_migrations"))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.R.QueryContext(ctx,
		`SELECT seq, event_id, station, operator, device_time, type, payload FROM journal WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	return scanEvents(rows)
}

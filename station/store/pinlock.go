package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// PIN lockout at the station (docs/security.md). The workflows journal a
// wrong PIN as operator.pin_failed with the badge's count so far, or as
// operator.badge_locked when it reaches the limit; project writes that
// count in the same transaction, so a restart does not reset it. The hub
// sends the site's locks and unlocks in its feed (Change.Badge).

// SetPINMaxFailures sets the station's limit of wrong PINs in a row
// ([station] pin_max_failures); below 1: floor.DefaultPINMaxFailures.
func (s *Store) SetPINMaxFailures(n int) {
	s.mu.Lock()
	s.pinLimit = n
	s.mu.Unlock()
}

// BadgeLock is a badge's standing at the hub, as its feed sends it.
type BadgeLock struct {
	Badge    string
	Locked   bool
	Failures int
	Station  string // the station that locked it
	At       time.Time
}

// pinStanding fills op's PIN standing from the badge_locks table.
func (s *Store) pinStanding(ctx context.Context, op *floor.Operator) error {
	s.mu.Lock()
	op.PIN.Limit = s.pinLimit
	s.mu.Unlock()
	var locked int
	err := s.db.QueryRow(ctx, `SELECT failures, locked FROM badge_locks WHERE badge=?`, op.Badge).Scan(&op.PIN.Failures, &locked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	op.PIN.Locked = locked == 1
	return err
}

// projectPIN writes a PIN failure, a lock, or a sign-in that starts the
// count again.
func (s *Store) projectPIN(ctx context.Context, tx *sql.Tx, ev floor.Event, now time.Time) error {
	if ev.Type == floor.EvLoggedIn {
		var p floor.LoginPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return err
		}
		_, err := s.db.Exec(ctx, tx, `DELETE FROM badge_locks WHERE badge=? AND locked=0`, p.Badge)
		return err
	}
	var p floor.PINFailPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return err
	}
	locked, at := 0, ""
	if ev.Type == floor.EvBadgeLocked {
		locked, at = 1, now.UTC().Format(time.RFC3339)
	}
	_, err := s.db.Exec(ctx, tx, `INSERT INTO badge_locks(badge, failures, locked, locked_at) VALUES (?,?,?,?)
		ON CONFLICT(badge) DO UPDATE SET failures=max(badge_locks.failures, excluded.failures),
		locked=max(badge_locks.locked, excluded.locked),
		locked_at=CASE WHEN badge_locks.locked=1 THEN badge_locks.locked_at ELSE excluded.locked_at END`,
		p.Badge, p.Failures, locked, at)
	return err
}

// badge applies the hub's word on a badge: locked (kept, with the
// higher count), or unlocked (the row goes: the count starts again).
func (a applier) badge(b *BadgeLock) error {
	if !b.Locked {
		return a.exec(`DELETE FROM badge_locks WHERE badge=?`, b.Badge)
	}
	return a.exec(`INSERT INTO badge_locks(badge, failures, locked, locked_at, locked_by) VALUES (?,?,1,?,?)
		ON CONFLICT(badge) DO UPDATE SET failures=max(badge_locks.failures, excluded.failures), locked=1,
		locked_at=excluded.locked_at, locked_by=excluded.locked_by`,
		b.Badge, b.Failures, b.At.UTC().Format(time.RFC3339), b.Station)
}

// LockedBadges lists the badges locked at this station, by badge.
func (s *Store) LockedBadges(ctx context.Context) ([]BadgeLock, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT badge, failures, locked_by, locked_at FROM badge_locks WHERE locked=1 ORDER BY badge`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []BadgeLock
	for rows.Next() {
		b := BadgeLock{Locked: true}
		var at string
		if err := rows.Scan(&b.Badge, &b.Failures, &b.Station, &at); err != nil {
			return nil, err
		}
		b.At, _ = time.Parse(time.RFC3339, at)
		out = append(out, b)
	}
	return out, rows.Err()
}

package hubstore

import (
	"database/sql"

	"github.com/totewms/tote/sync/protocol"
)

const qBadgeCols = `badge, name, failures, locked, station, locked_at, unlocked_by, unlocked_at`

func scanBadge(r interface{ Scan(...any) error }, b *protocol.BadgeLock) error {
	var locked int
	var at, unAt string
	if err := r.Scan(&b.Badge, &b.Name, &b.Failures, &locked, &b.Station, &at, &b.UnlockedBy, &unAt); err != nil {
		return err
	}
	b.Locked = locked == 1
	b.LockedAt, b.UnlockedAt = parseStamp(at), parseStamp(unAt)
	return nil
}

func stampOr(b bool, s string) string {
	if b {
		return s
	}
	return ""
}

func (t *storeTx) BadgeLock(badge string) (protocol.BadgeLock, bool, error) {
	var b protocol.BadgeLock
	ok, err := found(scanBadge(t.row(`SELECT `+qBadgeCols+` FROM badge_locks WHERE badge=?`, badge), &b))
	return b, ok, err
}

func (t *storeTx) PutBadgeLock(b protocol.BadgeLock) error {
	locked := 0
	if b.Locked {
		locked = 1
	}
	return t.run(`INSERT INTO badge_locks(`+qBadgeCols+`) VALUES (?,?,?,?,?,?,?,?)
		ON CONFLICT(badge) DO UPDATE SET name=excluded.name, failures=excluded.failures, locked=excluded.locked, station=excluded.station,
		locked_at=excluded.locked_at, unlocked_by=excluded.unlocked_by, unlocked_at=excluded.unlocked_at`,
		b.Badge, b.Name, b.Failures, locked, b.Station, stampOr(!b.LockedAt.IsZero(), stamp(b.LockedAt)),
		b.UnlockedBy, stampOr(!b.UnlockedAt.IsZero(), stamp(b.UnlockedAt)))
}

func (t *storeTx) BadgeLocks() ([]protocol.BadgeLock, error) {
	rows, err := t.query(`SELECT ` + qBadgeCols + ` FROM badge_locks ORDER BY badge`)
	return list(rows, err, func(r *sql.Rows, b *protocol.BadgeLock) error { return scanBadge(r, b) })
}

func (t *storeTx) StationBytes(id string) (int64, error) {
	var n int64
	err := t.row(`SELECT stored_bytes FROM stations WHERE id=?`, id).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, err
}

func (t *storeTx) AddStationBytes(id string, n int64) error {
	return t.run(`UPDATE stations SET stored_bytes = stored_bytes + ? WHERE id=?`, n, id)
}

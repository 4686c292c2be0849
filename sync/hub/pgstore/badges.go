package pgstore

import (
	"github.com/jackc/pgx/v5"
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
	ok, err := found(scanBadge(t.row(`SELECT `+qBadgeCols+` FROM badge_locks WHERE badge=$1`, badge), &b))
	return b, ok, err
}

func (t *storeTx) PutBadgeLock(b protocol.BadgeLock) error {
	locked := 0
	if b.Locked {
		locked = 1
	}
	return t.run(`INSERT INTO badge_locks(`+qBadgeCols+`) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
		ON CONFLICT(badge) DO UPDATE SET name=excluded.name, failures=excluded.failures, locked=excluded.locked, station=excluded.station,
		locked_at=excluded.locked_at, unlocked_by=excluded.unlocked_by, unlocked_at=excluded.unlocked_at`,
		b.Badge, b.Name, b.Failures, locked, b.Station, stampOr(!b.LockedAt.IsZero(), stamp(b.LockedAt)),
		b.UnlockedBy, stampOr(!b.UnlockedAt.IsZero(), stamp(b.UnlockedAt)))
}

func (t *storeTx) BadgeLocks() ([]protocol.BadgeLock, error) {
	return list(t, `SELECT `+qBadgeCols+` FROM badge_locks ORDER BY badge`, nil,
		func(r pgx.Rows, b *protocol.BadgeLock) error { return scanBadge(r, b) })
}

package hub

import (
	"context"
	"encoding/json"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// PIN lockout at the hub. Each station counts its own wrong PINs and
// locks a badge at its own limit (its config); the hub adds up the
// failures every station reports for a badge since its last sign-in and
// locks it at the site's limit (setting pin_max_failures), or when a
// station reports it locked. A lock reaches every station through the
// feed (KindBadge) and stands until a supervisor lifts it (UnlockBadge,
// in the audit log). A station offline knows only its own failures.

// badgeBook is a push's view of the badges: the settings are read once,
// when the first PIN event comes.
type badgeBook struct {
	set *Settings
}

// event applies an accepted operator event to its badge's record.
func (b *badgeBook) event(tx StoreTx, station string, at time.Time, ev protocol.Event) error {
	switch floor.EventType(ev.Type) {
	case floor.EvPINFailed, floor.EvBadgeLocked, floor.EvLoggedIn:
	default:
		return nil
	}
	var p floor.PINFailPayload
	if err := json.Unmarshal(ev.Payload, &p); err != nil || p.Badge == "" {
		return nil // a payload without a badge names nobody to count
	}
	if _, known, err := tx.OperatorRoles(p.Badge); err != nil || !known {
		return err
	}
	rec, _, err := tx.BadgeLock(p.Badge)
	if err != nil {
		return err
	}
	rec.Badge = p.Badge
	if p.Name != "" {
		rec.Name = p.Name
	}
	if floor.EventType(ev.Type) == floor.EvLoggedIn {
		if rec.Locked || rec.Failures == 0 {
			return nil // a sign-in an offline station allowed does not lift a lock
		}
		rec.Failures = 0
		return tx.PutBadgeLock(rec)
	}
	if b.set == nil {
		set, err := settingsOf(tx)
		if err != nil {
			return err
		}
		b.set = &set
	}
	rec.Failures++
	lock := !rec.Locked && (floor.EventType(ev.Type) == floor.EvBadgeLocked || rec.Failures >= b.set.PINMaxFailures)
	if lock {
		rec.Locked, rec.Station, rec.LockedAt = true, station, at
	}
	if err := tx.PutBadgeLock(rec); err != nil {
		return err
	}
	if !lock {
		return nil
	}
	return tx.AppendFeed(FeedEntry{EveryStation, protocol.Change{Kind: protocol.KindBadge, Badge: &rec}})
}

// UnlockBadge lifts a badge's lock at every station: the feed sends it
// unlocked, and its count starts again. The audit log records who did it.
func (s *Service) UnlockBadge(ctx context.Context, badge string, at time.Time) (protocol.BadgeLock, error) {
	var rec protocol.BadgeLock
	err := s.store.Tx(ctx, func(tx StoreTx) error {
		var ok bool
		var err error
		if rec, ok, err = tx.BadgeLock(badge); err != nil {
			return err
		}
		if !ok || !rec.Locked {
			return protocol.Errorf(protocol.CodeConflict, "badge %s is not locked", floor.Printable(badge))
		}
		rec.Locked, rec.Failures = false, 0
		rec.UnlockedBy, rec.UnlockedAt = orElse(actorOf(ctx), "console"), at
		if err := tx.PutBadgeLock(rec); err != nil {
			return err
		}
		return tx.AppendFeed(FeedEntry{EveryStation, protocol.Change{Kind: protocol.KindBadge, Badge: &rec}})
	})
	if err != nil {
		return protocol.BadgeLock{}, err
	}
	return rec, nil
}

// BadgeLocks lists the badges the hub keeps a record of (locked, or with
// wrong PINs counted), by badge.
func (s *Service) BadgeLocks(ctx context.Context) ([]protocol.BadgeLock, error) {
	var out []protocol.BadgeLock
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { out, err = tx.BadgeLocks(); return err })
	return out, err
}

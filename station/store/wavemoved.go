package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/totewms/tote/internal/floor"
)

// WaveMove is a wave a supervisor moved from this cart to another: To
// is the cart that has it now, By and Reason come from the office's
// notice (empty until it arrives).
type WaveMove struct {
	Wave, To, By, Reason string
}

// WaveMoved reads whether the wave is now another station's (false: it
// is this station's, or anyone's).
func (s *Store) WaveMoved(ctx context.Context, wave string) (WaveMove, bool, error) {
	m := WaveMove{Wave: wave}
	err := s.db.QueryRow(ctx, `SELECT station FROM waves WHERE id=?`, wave).Scan(&m.To)
	if errors.Is(err, sql.ErrNoRows) || err == nil && (m.To == "" || m.To == s.station) {
		return m, false, nil
	}
	if err != nil {
		return m, false, err
	}
	err = s.db.QueryRow(ctx, `SELECT supervisor, reason FROM office_notices
		WHERE wave=? AND action=? ORDER BY id DESC LIMIT 1`, wave, floor.ResolveReassignWave).Scan(&m.By, &m.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return m, true, err
}

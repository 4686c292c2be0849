package store

import (
	"context"
	"database/sql"
	"time"
)

// The supervisor's figures as last fetched from the hub, kept whole (the
// hub's JSON) with the time they were fetched, so a supervisor station
// offline still shows them, "as of" then.

// PutFigures keeps the figures fetched at at, replacing the last.
func (s *Store) PutFigures(ctx context.Context, body []byte, at time.Time) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{"supervisor_figures": string(body), "supervisor_figures_at": at.UTC().Format(time.RFC3339Nano)} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO station_meta(key, value) VALUES (?, ?)
				ON CONFLICT(key) DO UPDATE SET value=excluded.value`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Figures are the figures last kept and when they were fetched; false
// when none ever were.
func (s *Store) Figures(ctx context.Context) ([]byte, time.Time, bool, error) {
	var body, at sql.NullString
	err := s.db.QueryRow(ctx, `SELECT (SELECT value FROM station_meta WHERE key='supervisor_figures'),
		(SELECT value FROM station_meta WHERE key='supervisor_figures_at')`).Scan(&body, &at)
	if err != nil || !body.Valid {
		return nil, time.Time{}, false, err
	}
	t, _ := time.Parse(time.RFC3339Nano, at.String)
	return []byte(body.String), t, true, nil
}

// PutFigure keeps one more of the supervisor's figures under its name (a
// wave's detail, an order's story), fetched at at, replacing the last
// kept under that name. Only the latest of each name is kept: a
// supervisor's station shows one wave and one order at a time.
func (s *Store) PutFigure(ctx context.Context, name string, body []byte, at time.Time) error {
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		for k, v := range map[string]string{"supervisor_" + name: string(body), "supervisor_" + name + "_at": at.UTC().Format(time.RFC3339Nano)} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO station_meta(key, value) VALUES (?, ?)
				ON CONFLICT(key) DO UPDATE SET value=excluded.value`, k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Figure is the figure last kept under name and when it was fetched;
// false when none ever was.
func (s *Store) Figure(ctx context.Context, name string) ([]byte, time.Time, bool, error) {
	var body, at sql.NullString
	err := s.db.QueryRow(ctx, `SELECT (SELECT value FROM station_meta WHERE key=?1),
		(SELECT value FROM station_meta WHERE key=?1 || '_at')`, "supervisor_"+name).Scan(&body, &at)
	if err != nil || !body.Valid {
		return nil, time.Time{}, false, err
	}
	t, _ := time.Parse(time.RFC3339Nano, at.String)
	return []byte(body.String), t, true, nil
}

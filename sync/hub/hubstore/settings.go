package hubstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// The hub's settings live in hub_meta under "setting.NAME"; a setting
// never set has its default (hub.DefaultSettings).
const settingPrefix = "setting."

// Settings reads the hub's settings.
func (s *Store) Settings(ctx context.Context) (hub.Settings, error) {
	return settingsOf(ctx, s.db.R)
}

// SetSetting changes one setting (hub.Settings.Set says which and how).
func (s *Store) SetSetting(ctx context.Context, name, value string) error {
	set := hub.DefaultSettings()
	if err := set.Set(name, value); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	v, _ := set.Get(name)
	return s.db.Write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO hub_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value`,
			settingPrefix+name, v)
		return err
	})
}

func settingsOf(ctx context.Context, q querier) (hub.Settings, error) {
	set := hub.DefaultSettings()
	rows, err := q.QueryContext(ctx, `SELECT substr(key, ?), value FROM hub_meta WHERE key LIKE ?`, len(settingPrefix)+1, settingPrefix+"%")
	if err != nil {
		return set, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return set, err
		}
		if err := set.Set(name, value); err != nil {
			return set, fmt.Errorf("the hub's database holds a setting this build does not read: %w", err)
		}
	}
	return set, rows.Err()
}

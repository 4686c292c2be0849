package hubstore

import (
	"database/sql"
	"time"

	"github.com/totewms/tote/sync/hub"
)

func (t *storeTx) ConnectorValue(connector, key string) (string, bool, error) {
	var v string
	ok, err := found(t.row(`SELECT value FROM connector_state WHERE connector=? AND key=?`, connector, key).Scan(&v))
	return v, ok, err
}

func (t *storeTx) PutConnectorValue(connector, key, value string, at time.Time) error {
	return t.run(`INSERT INTO connector_state(connector, key, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(connector, key) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at`, connector, key, value, stamp(at))
}

func (t *storeTx) ConnectorValues(connector, prefix, after string, limit int) ([]hub.ConnectorEntry, error) {
	rows, err := t.query(`SELECT key, value, updated_at FROM connector_state
		WHERE connector=?1 AND substr(key, 1, length(?2)) = ?2 AND key > ?3 ORDER BY key LIMIT ?4`, connector, prefix, after, limit)
	return list(rows, err, func(r *sql.Rows, e *hub.ConnectorEntry) error {
		var at string
		if err := r.Scan(&e.Key, &e.Value, &at); err != nil {
			return err
		}
		e.UpdatedAt = parseStamp(at)
		return nil
	})
}

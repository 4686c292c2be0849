package hubstore

import (
	"database/sql"

	"github.com/totewms/tote/sync/protocol"
)

func (t *storeTx) PutStationFacts(station string, f protocol.StationFacts) error {
	oldest := ""
	if !f.OldestWaiting.IsZero() {
		oldest = stamp(f.OldestWaiting)
	}
	return t.run(`INSERT OR REPLACE INTO station_facts(station, waiting, oldest_waiting, operator, at) VALUES (?,?,?,?,?)`,
		station, f.Waiting, oldest, f.Operator, stamp(f.At))
}

func (t *storeTx) StationFacts() (map[string]protocol.StationFacts, error) {
	type row struct {
		station string
		f       protocol.StationFacts
	}
	rows, err := t.query(`SELECT station, waiting, oldest_waiting, operator, at FROM station_facts`)
	rs, err := list(rows, err, func(r *sql.Rows, x *row) error {
		var oldest, at string
		err := r.Scan(&x.station, &x.f.Waiting, &oldest, &x.f.Operator, &at)
		if oldest != "" {
			x.f.OldestWaiting = parseStamp(oldest)
		}
		x.f.At = parseStamp(at)
		return err
	})
	out := make(map[string]protocol.StationFacts, len(rs))
	for _, r := range rs {
		out[r.station] = r.f
	}
	return out, err
}

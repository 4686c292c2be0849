package pgstore

import (
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/totewms/tote/sync/protocol"
)

// The supervisor's station: each order's events (the story) and the
// stations' devices (migration 0012).

func (t *storeTx) OrderEvents(order string, limit int) ([]protocol.StoredEvent, bool, error) {
	evs, err := list(t, `SELECT e.station, e.seq, e.event_id, e.operator, e.device_time, e.received_at, e.type, e.payload, e.outcome, e.reason
		FROM order_events o JOIN events e ON e.station = o.station AND e.seq = o.seq
		WHERE o.order_id = $1 ORDER BY e.device_time DESC, e.station DESC, e.seq DESC LIMIT $2`, args(order, limit+1),
		func(r pgx.Rows, e *protocol.StoredEvent) error {
			var dt, rt, payload string
			if err := r.Scan(&e.Station, &e.Seq, &e.ID, &e.Operator, &dt, &rt, &e.Type, &payload, &e.Status, &e.Reason); err != nil {
				return err
			}
			e.DeviceTime, e.ReceivedAt, e.Payload = parseStamp(dt), parseStamp(rt), json.RawMessage(payload)
			return nil
		})
	if err != nil {
		return nil, false, err
	}
	more := len(evs) > limit
	if more {
		evs = evs[:limit]
	}
	for i, j := 0, len(evs)-1; i < j; i, j = i+1, j-1 { // oldest first
		evs[i], evs[j] = evs[j], evs[i]
	}
	return evs, more, nil
}

func (t *storeTx) PutStationDevices(station string, ds []protocol.DeviceState, at time.Time) error {
	if err := t.run(`DELETE FROM station_devices WHERE station=$1`, station); err != nil {
		return err
	}
	for _, d := range ds {
		since := ""
		if !d.Since.IsZero() {
			since = stamp(d.Since)
		}
		if err := t.run(`INSERT INTO station_devices(station, kind, device, status, reason, since, paper_out, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
			ON CONFLICT (station, kind, device) DO UPDATE SET status=excluded.status, reason=excluded.reason, since=excluded.since,
			paper_out=excluded.paper_out, at=excluded.at`,
			station, d.Kind, d.Device, d.Status, d.Reason, since, d.PaperOut, stamp(at)); err != nil {
			return err
		}
	}
	return nil
}

func (t *storeTx) StationDevices() (map[string][]protocol.DeviceState, error) {
	type row struct {
		station string
		d       protocol.DeviceState
	}
	rs, err := list(t, `SELECT station, kind, device, status, reason, since, paper_out FROM station_devices ORDER BY station, kind, device`, nil,
		func(r pgx.Rows, x *row) error {
			var since string
			err := r.Scan(&x.station, &x.d.Kind, &x.d.Device, &x.d.Status, &x.d.Reason, &since, &x.d.PaperOut)
			if since != "" {
				x.d.Since = parseStamp(since)
			}
			return err
		})
	out := map[string][]protocol.DeviceState{}
	for _, r := range rs {
		out[r.station] = append(out[r.station], r.d)
	}
	return out, err
}

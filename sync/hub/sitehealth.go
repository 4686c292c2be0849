package hub

import (
	"context"
	"sort"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// The site's health: each station reports its devices (scanners,
// printers, scales) after its pushes whenever they changed
// (protocol.DevicesReport); the hub keeps the latest list per station and
// shows it with the station's sync state, printers out of labels first.

// ReportDevices keeps a station's devices as it reports them, replacing
// the list it reported before.
func (s *Service) ReportDevices(ctx context.Context, station string, ds []protocol.DeviceState, at time.Time) error {
	return s.told(s.store.Tx(ctx, func(tx StoreTx) error {
		if _, ok, err := tx.Station(station); err != nil || !ok {
			if err == nil {
				err = notRegistered(station)
			}
			return err
		}
		return tx.PutStationDevices(station, ds, at)
	}))
}

// withDevices puts each station's devices in its state and sorts the
// stations for the health screen (SortHealth).
func withDevices(tx StoreTx, sts []protocol.StationState) error {
	ds, err := tx.StationDevices()
	if err != nil {
		return err
	}
	for i := range sts {
		sts[i].Devices = ds[sts[i].ID]
	}
	SortHealth(sts)
	return nil
}

// SortHealth puts first the stations that need someone: a printer out of
// labels, then any device not connected; then by station.
func SortHealth(sts []protocol.StationState) {
	rank := func(st protocol.StationState) int {
		r := 2
		for _, d := range st.Devices {
			switch {
			case d.PaperOut:
				return 0
			case d.Status != "connected":
				r = 1
			}
		}
		return r
	}
	sort.SliceStable(sts, func(i, j int) bool {
		if a, b := rank(sts[i]), rank(sts[j]); a != b {
			return a < b
		}
		return sts[i].ID < sts[j].ID
	})
}

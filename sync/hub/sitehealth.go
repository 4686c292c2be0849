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
	return s.ReportStation(ctx, protocol.DevicesReport{Station: station, Devices: ds}, at)
}

// ReportStation keeps a station's whole report: its devices and what it
// says of itself (events waiting, who is signed in), in one transaction.
func (s *Service) ReportStation(ctx context.Context, rep protocol.DevicesReport, at time.Time) error {
	station, ds := rep.Station, rep.Devices
	return s.told(s.store.Tx(ctx, func(tx StoreTx) error {
		if _, ok, err := tx.Station(station); err != nil || !ok {
			if err == nil {
				err = notRegistered(station)
			}
			return err
		}
		if err := tx.PutStationDevices(station, ds, at); err != nil {
			return err
		}
		f := rep.StationFacts
		f.At = at
		return tx.PutStationFacts(station, f)
	}))
}

// withDevices puts each station's devices and reported facts in its
// state, says whether it is online (its last contact within
// protocol.OfflineAfter of now) and sorts the stations for the health
// screen (SortHealth).
func withDevices(tx StoreTx, sts []protocol.StationState, now time.Time) error {
	ds, err := tx.StationDevices()
	if err != nil {
		return err
	}
	fs, err := tx.StationFacts()
	if err != nil {
		return err
	}
	for i := range sts {
		st := &sts[i]
		st.Devices = ds[st.ID]
		f, reported := fs[st.ID]
		st.Waiting, st.SignedIn = f.Waiting, f.Operator
		if !f.OldestWaiting.IsZero() {
			t := f.OldestWaiting.UTC()
			st.OldestWaiting = &t
		}
		var contact time.Time
		for _, t := range []*time.Time{st.LastPush, st.LastPull} {
			if t != nil && t.After(contact) {
				contact = *t
			}
		}
		if reported && f.At.After(contact) {
			contact = f.At
		}
		if !contact.IsZero() {
			c := contact.UTC()
			st.LastContact = &c
			st.Online = now.Sub(contact) <= protocol.OfflineAfter
		}
	}
	SortHealth(sts)
	return nil
}

// SortHealth puts first the stations that need someone: a printer out of
// labels, then any device not connected, then a station gone offline
// (one never heard from is not yet set up, not down); then by station.
func SortHealth(sts []protocol.StationState) {
	rank := func(st protocol.StationState) int {
		r := 3
		if !st.Online && st.LastContact != nil { // never heard from: not yet set up, not down
			r = 2
		}
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

// lockedBadges are the badges locked now, the longest locked first: the
// supervisor sees them with the site's health and lifts them.
func lockedBadges(tx StoreTx) ([]protocol.BadgeLock, error) {
	all, err := tx.BadgeLocks()
	var out []protocol.BadgeLock
	for _, b := range all {
		if b.Locked {
			out = append(out, b)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].LockedAt.Before(out[j].LockedAt) })
	return out, err
}

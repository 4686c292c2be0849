package hub

import (
	"strconv"

	"github.com/totewms/tote/sync/protocol"
)

// The storage quota. Each station's pushed events take room at the hub
// (their ids, types and payloads are what grows); a push that would take
// the station past the hub's station_quota_mb is refused whole, before
// anything of it is applied, with the reason the station shows. Events
// already held are still acknowledged as duplicates.

// eventBytes is what events take at the hub, as counted for the quota.
func eventBytes(events []protocol.Event) int64 {
	var n int64
	for _, e := range events {
		n += int64(len(e.ID) + len(e.Type) + len(e.Operator) + len(e.Payload))
	}
	return n
}

// checkQuota refuses events that would take station over its quota; on
// success it counts them, in the push's transaction.
func checkQuota(tx StoreTx, station string, events []protocol.Event) error {
	set, err := settingsOf(tx)
	if err != nil {
		return err
	}
	n := eventBytes(events)
	if set.StationQuotaMB > 0 {
		held, err := tx.StationBytes(station)
		if err != nil {
			return err
		}
		if quota := int64(set.StationQuotaMB) << 20; held+n > quota {
			return protocol.Errorf(protocol.CodeQuota,
				"station %s's events take %s at the hub and this push would add %s, over its quota of %d MiB (hub setting %s): nothing of the push was applied; the office must raise the quota",
				station, mib(held), mib(n), set.StationQuotaMB, SettingStationQuotaMB)
		}
	}
	return tx.AddStationBytes(station, n)
}

func mib(n int64) string {
	return formatMiB(float64(n) / (1 << 20))
}

func formatMiB(f float64) string {
	return strconv.FormatFloat(f, 'f', 1, 64) + " MiB"
}

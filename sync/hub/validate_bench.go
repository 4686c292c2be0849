package hub

import (
	"slices"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Which bench may report what (admission, validate.go). A station states
// its bench on every pull (protocol.PullBench), and the hub feeds the
// site's totes to every pack bench: so a pack event comes from a pack
// bench (one the order's totes were fed to), or from the station that
// picked the order (its wave's cart: the tote never left it); a dispatch
// event (dispatch.*: the dock's loading and the pickup that ships)
// comes only from a dispatch bench. A station that has stated no bench
// yet (it never pulled, so it holds no orders) may report neither.
// pack.shipment_completed stays a pack bench's: packed, not shipped.
// A return event (return.*) comes only from a returns bench.

// BenchDispatch is the dock's bench, as a station states it on its pull.
const BenchDispatch = "dispatch"

// stationBench is the bench the pushing station last stated.
func (a *admission) stationBench() (string, error) {
	if a.bench == nil {
		st, _, err := a.tx.Station(a.station)
		if err != nil {
			return "", err
		}
		a.bench = &st.Bench
	}
	return *a.bench, nil
}

// checkBench judges a pack or dispatch event of the pushing station
// (order "" when the event names none).
func (a *admission) checkBench(family, order string) (Verdict, error) {
	bench, err := a.stationBench()
	if err != nil {
		return Verdict{}, err
	}
	switch family {
	case "dispatch":
		if bench != BenchDispatch {
			return refuse(ConflictNotItsWork, "station %s runs %s, not the dispatch bench: only a dispatch bench loads parcels and ships them", a.station, benchName(bench)), nil
		}
	case "return":
		if bench != protocol.BenchReturns {
			return refuse(ConflictNotItsWork, "station %s runs %s, not the returns bench: only a returns bench takes goods back", a.station, benchName(bench)), nil
		}
	case "pack":
		if bench == protocol.BenchPack || order == "" {
			return Verdict{}, nil
		}
		picked, err := a.tx.StationsOf(order)
		if err != nil {
			return Verdict{}, err
		}
		if !slices.Contains(picked, a.station) {
			return refuse(ConflictNotItsWork, "station %s runs %s and did not pick order %s: only a pack bench, which the order's totes go to, or the cart that picked it reports its packing",
				a.station, benchName(bench), floor.Printable(order)), nil
		}
	}
	return Verdict{}, nil
}

func benchName(b string) string {
	if b == "" {
		return "no bench it has stated (it never pulled)"
	}
	return "the " + b + " bench"
}

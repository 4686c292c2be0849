package hub

import (
	"context"
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// ExceptionsShown is how many exceptions (oldest first) the site view carries.
const ExceptionsShown = 500

// byKey groups counters by key.
func byKey(cs []Count) map[string][]Count {
	m := map[string][]Count{}
	for _, c := range cs {
		m[c.Key] = append(m[c.Key], c)
	}
	return m
}

// changedKeys are the keys with a counter above after (all with after 0).
func changedKeys(tx StoreTx, scope string, after, from int64) (map[string]bool, error) {
	cs, err := tx.Counts(scope, after, from)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, c := range cs {
		m[c.Key] = true
	}
	return m, nil
}

func waveProgress(tx StoreTx, id string, counts []Count, now time.Time) (protocol.WaveProgress, error) {
	late, err := tx.LateOrders(id, now)
	if err != nil {
		return protocol.WaveProgress{}, err
	}
	p := WaveFigures(id, counts, late, now)
	if w, ok, err := tx.Wave(id); err != nil {
		return p, err
	} else if ok {
		p.Status, p.Station = w.Status, w.Station
	}
	return p, nil
}

// Waves is every wave's progress from the aggregates; with after, only
// the waves whose figures changed since that version.
func (s *Service) Waves(ctx context.Context, after int64, now time.Time) (protocol.WavesView, error) {
	v := protocol.WavesView{At: now.UTC(), Waves: []protocol.WaveProgress{}}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		var err error
		if v.Version, err = tx.AggVersion(false); err != nil {
			return err
		}
		from := WaveWindowStart(now)
		all, err := tx.Counts(ScopeWave, 0, from)
		if err != nil {
			return err
		}
		changed := map[string]bool{}
		if after > 0 {
			if changed, err = changedKeys(tx, ScopeWave, after, from); err != nil {
				return err
			}
		}
		waves := byKey(all)
		for _, id := range sortedKeys(waves) {
			if after > 0 && !changed[id] {
				continue
			}
			p, err := waveProgress(tx, id, waves[id], now)
			if err != nil {
				return err
			}
			v.Waves = append(v.Waves, p)
		}
		return nil
	})
	return v, err
}

// Wave is one wave's progress with its orders.
func (s *Service) Wave(ctx context.Context, id string, now time.Time) (protocol.WaveDetail, error) {
	d := protocol.WaveDetail{At: now.UTC(), Orders: []protocol.OrderProgress{}}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		if _, ok, err := tx.Wave(id); err != nil || !ok {
			if err == nil {
				err = protocol.Errorf(protocol.CodeNotFound, "wave %s is not known at the hub", floor.Printable(id))
			}
			return err
		}
		var err error
		if d.Version, err = tx.AggVersion(false); err != nil {
			return err
		}
		all, err := tx.Counts(ScopeWave, 0, WaveWindowStart(now))
		if err != nil {
			return err
		}
		if d.Progress, err = waveProgress(tx, id, byKey(all)[id], now); err != nil {
			return err
		}
		os, err := tx.AggOrders(id)
		if err != nil {
			return err
		}
		for _, o := range os {
			d.Orders = append(d.Orders, protocol.OrderProgress{Order: o.Order, State: o.State, ShipBy: o.ShipBy,
				Late:  o.ShipBy != nil && o.ShipBy.Before(now) && !finished(o.State),
				Lines: o.Lines, LinesDone: o.LinesDone, Units: o.Units, Picked: o.Picked, Short: o.Short, Packed: o.Packed, Shipped: o.Shipped})
		}
		return nil
	})
	return d, err
}

// finished: an order in one of these states is never late (its life's
// states, docs/order-life.md).
func finished(state string) bool {
	return slices.Contains(FinishedStates, state)
}

// FinishedStates are the order-life states in which nothing is left due.
var FinishedStates = []string{protocol.StateShipped, protocol.StateClosed, protocol.StateCancelled}

// Site is the people (with after, only those whose figures changed), the
// stations and the exceptions, oldest first.
func (s *Service) Site(ctx context.Context, after int64, now time.Time) (protocol.SiteView, error) {
	v := protocol.SiteView{At: now.UTC(), People: []protocol.PersonRate{}, Stations: []protocol.StationState{}, Exceptions: []protocol.Conflict{}}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		var err error
		if v.Version, err = tx.AggVersion(false); err != nil {
			return err
		}
		from := ShiftStart(now)
		seen, err := tx.OperatorsSeen(0)
		if err != nil {
			return err
		}
		changed := map[string]bool{}
		if after > 0 {
			if changed, err = changedKeys(tx, ScopeOperator, after, from); err != nil {
				return err
			}
		}
		ops, err := tx.Counts(ScopeOperator, 0, from)
		if err != nil {
			return err
		}
		counts := byKey(ops)
		at := map[string]OperatorSeen{} // station -> the operator last seen there
		for _, o := range seen {
			if prev, ok := at[o.Station]; !ok || o.At.After(prev.At) {
				at[o.Station] = o
			}
			if after > 0 && o.Version <= after && !changed[o.Badge] {
				continue
			}
			v.People = append(v.People, PersonFigures(o, counts[o.Badge], now))
		}
		SortPeople(v.People)
		sts, err := tx.Stations()
		if err != nil {
			return err
		}
		stc, err := tx.Counts(ScopeStation, 0, 0)
		if err != nil {
			return err
		}
		sc := byKey(stc)
		for _, st := range sts {
			ss := protocol.StationState{ID: st.ID, Name: st.Name, Mark: st.Mark, LastPush: st.LastPush, LastPull: st.LastPull, Operator: at[st.ID].Badge}
			for _, c := range sc[st.ID] {
				switch c.Metric {
				case MetricEvents:
					ss.Events = c.Value
				case MetricRejected:
					ss.Rejected = c.Value
				}
			}
			v.Stations = append(v.Stations, ss)
		}
		if err := withDevices(tx, v.Stations, now); err != nil {
			return err
		}
		if v.BadgeLocks, err = lockedBadges(tx); err != nil {
			return err
		}
		// The oldest unresolved first.
		resolved := map[int64]bool{}
		for after := int64(0); ; {
			rs, err := tx.Resolutions(after, 1000)
			if err != nil {
				return err
			}
			for _, r := range rs {
				resolved[r.Conflict] = true
				after = r.Conflict
			}
			if len(rs) < 1000 {
				break
			}
		}
		for after := int64(0); len(v.Exceptions) < ExceptionsShown; {
			ex, err := tx.Conflicts(after, ExceptionsShown)
			if err != nil {
				return err
			}
			for _, c := range ex {
				if !resolved[c.ID] && len(v.Exceptions) < ExceptionsShown {
					v.Exceptions = append(v.Exceptions, c)
				}
				after = c.ID
			}
			if len(ex) < ExceptionsShown {
				break
			}
		}
		v.Exceptions, err = withFloorExceptions(tx, v.Exceptions)
		return err
	})
	return v, err
}

package hub

import (
	"context"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// Pull returns a page of the station's changes after cursor ("" for the
// start). A page reads only up to the feed's safe mark (see Store) and
// never splits a group. A cursor from another hub database, an older epoch
// (a reset was ordered), past the safe mark (the hub was restored from a
// backup) or standing on a change that is no longer the one it saw starts
// the station again from the beginning, with Reset set.
func (s *Service) Pull(ctx context.Context, station, cursor string, limit int, at time.Time) (protocol.PullResponse, error) {
	resp, err := s.readPull(ctx, station, cursor, limit)
	if err != nil {
		return protocol.PullResponse{}, err
	}
	return resp, s.notePulled(ctx, station, at)
}

// readPull reads a page of the station's changes after cursor and writes
// nothing.
func (s *Service) readPull(ctx context.Context, station, cursor string, limit int) (protocol.PullResponse, error) {
	if limit < 1 {
		limit = 1
	}
	var resp protocol.PullResponse
	err := s.store.Read(ctx, func(tx StoreTx) error {
		resp = protocol.PullResponse{Station: station}
		st, ok, err := tx.Station(station)
		if err != nil {
			return err
		}
		if !ok {
			return notRegistered(station)
		}
		resp.StationNumber = st.Number
		safe, err := tx.FeedSafe()
		if err != nil {
			return err
		}
		var from, fromTag int64
		if cursor != "" {
			c, err := ParseCursor(cursor)
			switch {
			case err != nil || c.Hub != s.store.HubID() || c.Epoch != st.Epoch || c.Seq > safe:
				resp.Reset = true
			case c.Seq > 0:
				// The change the cursor stands on must still be the same one.
				tag, ok, err := tx.FeedTag(c.Seq)
				if err != nil {
					return err
				}
				if !ok || tag != c.Tag {
					resp.Reset = true
				} else {
					from, fromTag = c.Seq, c.Tag
				}
			}
		}
		page, err := tx.Feed(station, from, safe, limit)
		if err != nil {
			return err
		}
		last, lastTag := from, fromTag
		if n := len(page); n > 0 {
			// Finish the last group so a page never splits it.
			rest, err := tx.FeedGroup(station, page[n-1].Seq, page[n-1].Group)
			if err != nil {
				return err
			}
			page = append(page, rest...)
			last, lastTag = page[len(page)-1].Seq, page[len(page)-1].Tag
			more, err := tx.Feed(station, last, safe, 1)
			if err != nil {
				return err
			}
			resp.More = len(more) > 0
		}
		resp.Changes = make([]protocol.Change, len(page))
		for i, c := range page {
			resp.Changes[i] = c.Change
			resp.Changes[i].Seq = c.Seq
		}
		resp.Cursor = Cursor{Hub: s.store.HubID(), Epoch: st.Epoch, Seq: last, Tag: lastTag}.String()
		return nil
	})
	if err != nil {
		return protocol.PullResponse{}, err
	}
	return resp, nil
}

// notePulled records when the station last asked: information for the
// office that gates nothing, so it is written after the read.
func (s *Service) notePulled(ctx context.Context, station string, at time.Time) error {
	return s.store.Tx(ctx, func(tx StoreTx) error { return tx.SetStationPulled(station, at) })
}

// tellStations is the order's current state of one kind (order, holds or
// cancel) for every station that has it.
func tellStations(tx StoreTx, order, kind string) ([]FeedEntry, error) {
	stations, err := tx.StationsOf(order)
	if err != nil {
		return nil, err
	}
	benches, err := packBenchesOf(tx, order)
	if err != nil {
		return nil, err
	}
	// The order's parcels at the dock carry its standing to the dispatch benches.
	dock, err := dispatchNews(tx, order)
	if err != nil || len(stations) == 0 && len(benches) == 0 {
		return dock, err
	}
	stations = append(stations, benches...)
	o, ok, err := tx.Order(order)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, orderUnknown(order)
	}
	var c protocol.Change
	switch kind {
	case protocol.KindOrder:
		c = protocol.Change{Kind: kind, Order: &o.Order}
	case protocol.KindHolds:
		c = protocol.Change{Kind: kind, Holds: &protocol.Holds{Order: order, Holds: o.Holds}}
	case protocol.KindCancel:
		c = protocol.Change{Kind: kind, Cancel: &protocol.Cancel{Order: order, Reason: o.CancelReason}}
	}
	out := make([]FeedEntry, len(stations), len(stations)+len(dock))
	for i, st := range stations {
		out[i] = FeedEntry{Station: st, Change: c}
	}
	return append(out, dock...), nil
}

// appendFeed appends an action's changes as one group, if there are any.
func appendFeed(tx StoreTx, entries []FeedEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return tx.AppendFeed(entries...)
}

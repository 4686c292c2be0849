package hub

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/totewms/tote/internal/buildstamp"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// RegisterStation adds a station with its first token and gives it the
// next station number, never reused: it keeps this station's SSCCs and
// tracking numbers apart from every other's.
func (s *Service) RegisterStation(ctx context.Context, id, name, tokenHash string, at time.Time) error {
	if err := protocol.CheckStationID(id); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	return s.store.Tx(ctx, func(tx StoreTx) error {
		if _, ok, err := tx.Station(id); err != nil || ok {
			if ok {
				return protocol.Errorf(protocol.CodeConflict, "station %s is registered already; to give it a new token, ask for a token of kind station", id)
			}
			return err
		}
		number, err := tx.MaxStationNumber()
		if err != nil {
			return err
		}
		number++
		if number > protocol.MaxStationNumber {
			return protocol.Errorf(protocol.CodeConflict, "this hub has given out all %d station numbers; station %s was not registered", protocol.MaxStationNumber, id)
		}
		if err := tx.InsertStation(protocol.StationInfo{ID: id, Name: name, Number: number, RegisteredAt: at}); err != nil {
			return err
		}
		return tx.PutToken(TokenRecord{Principal: Principal{ID: TokenID(tokenHash), Kind: TokenStation, Station: id},
			Hash: tokenHash, CreatedAt: at, CreatedBy: actorOf(ctx)})
	})
}

func stationExists(tx StoreTx, station string) error {
	_, ok, err := tx.Station(station)
	if err == nil && !ok {
		return notRegistered(station)
	}
	return err
}

// Stations lists the registered stations.
func (s *Service) Stations(ctx context.Context) ([]protocol.StationInfo, error) {
	var out []protocol.StationInfo
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { out, err = tx.Stations(); return err })
	return out, err
}

// StationRegistered reports whether a station is registered.
func (s *Service) StationRegistered(ctx context.Context, id string) (bool, error) {
	var ok bool
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { _, ok, err = tx.Station(id); return err })
	return ok, err
}

// Hello is what the hub knows of station for the station itself: its name
// and its number. It writes nothing.
func (s *Service) Hello(ctx context.Context, station string) (protocol.Hello, error) {
	h := protocol.Hello{Station: station, Version: protocol.Version, Tote: buildstamp.Read().Short()}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		st, ok, err := tx.Station(station)
		if err == nil && !ok {
			return notRegistered(station)
		}
		h.Name, h.Number = st.Name, st.Number
		return err
	})
	return h, err
}

// ResetStation bumps the station's epoch: its next pull starts again from
// the beginning of its slice.
func (s *Service) ResetStation(ctx context.Context, station string) error {
	return s.store.Tx(ctx, func(tx StoreTx) error {
		st, ok, err := tx.Station(station)
		if err != nil {
			return err
		}
		if !ok {
			return notRegistered(station)
		}
		return tx.SetStationEpoch(station, st.Epoch+1)
	})
}

// Settings reads the hub's settings.
func (s *Service) Settings(ctx context.Context) (Settings, error) {
	var set Settings
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { set, err = settingsOf(tx); return err })
	return set, err
}

// SetSetting changes one setting (Settings.Set says which and how).
func (s *Service) SetSetting(ctx context.Context, name, value string) error {
	set := DefaultSettings()
	if err := set.Set(name, value); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "%v", err)
	}
	v, _ := set.Get(name)
	return s.store.Tx(ctx, func(tx StoreTx) error { return tx.PutSetting(name, v) })
}

func settingsOf(tx StoreTx) (Settings, error) {
	set := DefaultSettings()
	stored, err := tx.Settings()
	if err != nil {
		return set, err
	}
	for name, value := range stored {
		if err := set.Set(name, value); err != nil {
			return set, fmt.Errorf("the hub's database holds a setting this build does not read: %w", err)
		}
	}
	return set, nil
}

// ImportOrders writes orders, all or none (ImportOrderStream). Every
// order is checked (CheckOrder) before the transaction starts.
func (s *Service) ImportOrders(ctx context.Context, orders []protocol.Order, at time.Time) (protocol.ImportResult, error) {
	for i, o := range orders {
		if err := CheckOrder(o); err != nil {
			return protocol.ImportResult{}, protocol.Errorf(protocol.CodeBadRequest, "order %d: %v; nothing was imported", i+1, err)
		}
	}
	return s.ImportOrderStream(ctx, OrderList(orders), at)
}

func sameLines(a, b []protocol.OrderLine) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(ls []protocol.OrderLine) []string {
		out := make([]string, len(ls))
		for i, l := range ls {
			out[i] = fmt.Sprintf("%d\x00%s\x00%d", l.Line, l.SKU, l.Qty)
		}
		sort.Strings(out)
		return out
	}
	return slices.Equal(key(a), key(b))
}

// CreateWave makes a wave of orders with one pick task per order line at
// the item's home location: order by order (each order its own tote), in
// walk order within an order. With a station it is assigned at once.
func (s *Service) CreateWave(ctx context.Context, w protocol.NewWave, at time.Time) (protocol.WaveInfo, error) {
	var info protocol.WaveInfo
	err := s.store.Tx(ctx, func(tx StoreTx) error {
		if _, ok, err := tx.Wave(w.ID); err != nil || ok {
			if ok {
				return protocol.Errorf(protocol.CodeConflict, "wave %s exists already", floor.Printable(w.ID))
			}
			return err
		}
		if err := tx.InsertWave(w.ID, at); err != nil {
			return err
		}
		seen := map[string]bool{}
		for oi, id := range w.Orders {
			if seen[id] {
				return protocol.Errorf(protocol.CodeBadRequest, "order %s is listed twice", floor.Printable(id))
			}
			seen[id] = true
			o, ok, err := tx.Order(id)
			if err != nil {
				return err
			}
			if !ok {
				return orderUnknown(id)
			}
			if o.Status == string(floor.OrderCancelled) {
				return protocol.Errorf(protocol.CodeConflict, "order %s is cancelled; it cannot go on a wave", id)
			}
			other, err := tx.OrderWave(id)
			if err != nil {
				return err
			}
			if other != "" {
				return protocol.Errorf(protocol.CodeConflict, "order %s is already on wave %s", id, other)
			}
			type slot struct {
				line     protocol.OrderLine
				location string
				walk     int
			}
			var slots []slot
			for _, l := range o.Lines {
				loc, _, err := tx.ItemLocation(l.SKU)
				if err != nil {
					return err
				}
				home, ok, err := tx.Location(loc)
				if err != nil {
					return err
				}
				if loc == "" || !ok {
					return protocol.Errorf(protocol.CodeConflict, "order %s line %d: item %s has no home location; import the item with \"location\"", id, l.Line, l.SKU)
				}
				slots = append(slots, slot{l, loc, home.WalkSeq})
			}
			sort.SliceStable(slots, func(i, j int) bool { return slots[i].walk < slots[j].walk })
			for _, sl := range slots {
				// Orders one after another, walk order inside each.
				sortKey := (oi+1)*1_000_000 + sl.walk
				if err := tx.InsertTask(protocol.Task{Wave: w.ID, Order: id, Line: sl.line.Line, Location: sl.location,
					SKU: sl.line.SKU, Qty: sl.line.Qty, SortKey: sortKey}); err != nil {
					return err
				}
			}
		}
		if err := waveCreated(tx, w.Orders, w.ID); err != nil {
			return err
		}
		if w.Station != "" {
			if err := assign(tx, w.ID, w.Station); err != nil {
				return err
			}
		}
		var err error
		info, err = waveInfo(tx, w.ID)
		return err
	})
	return info, err
}

// AssignWave gives a wave to a station: it receives the orders, the wave
// and its tasks (and any carrier labels) at its next pull. A wave the
// floor has started cannot move.
func (s *Service) AssignWave(ctx context.Context, wave, station string) (protocol.WaveInfo, error) {
	var info protocol.WaveInfo
	err := s.store.Tx(ctx, func(tx StoreTx) error {
		if err := assign(tx, wave, station); err != nil {
			return err
		}
		var err error
		info, err = waveInfo(tx, wave)
		return err
	})
	return info, err
}

// assign sends the wave to station as one group: the old station (if
// any) learns it is no longer its own; the new one gets its orders, the
// wave, its tasks and the orders' labels, in that order, so a record
// always comes before anything that refers to it.
func assign(tx StoreTx, wave, station string) error {
	if err := stationExists(tx, station); err != nil {
		return err
	}
	wv, ok, err := tx.Wave(wave)
	if err != nil {
		return err
	}
	if !ok {
		return protocol.Errorf(protocol.CodeNotFound, "wave %s is not known at the hub", floor.Printable(wave))
	}
	old := wv.Station
	if old == station {
		return nil
	}
	if old != "" && wv.Status != "released" {
		return protocol.Errorf(protocol.CodeConflict, "wave %s is %s at station %s: it cannot move", wave, strings.ReplaceAll(wv.Status, "_", " "), old)
	}
	if err := tx.SetWaveStation(wave, station); err != nil {
		return err
	}
	wv.Station = station
	var feed []FeedEntry
	if old != "" {
		feed = append(feed, FeedEntry{old, protocol.Change{Kind: protocol.KindWave, Wave: &wv}})
	}
	tasks, err := tx.WaveTasks(wave)
	if err != nil {
		return err
	}
	orders := waveOrders(tasks)
	for _, id := range orders {
		o, ok, err := tx.Order(id)
		if err != nil {
			return err
		}
		if !ok {
			return orderUnknown(id)
		}
		feed = append(feed, FeedEntry{station, protocol.Change{Kind: protocol.KindOrder, Order: &o.Order}})
	}
	feed = append(feed, FeedEntry{station, protocol.Change{Kind: protocol.KindWave, Wave: &wv}})
	for i := range tasks {
		feed = append(feed, FeedEntry{station, protocol.Change{Kind: protocol.KindTask, Task: &tasks[i]}})
	}
	for _, id := range orders {
		labels, err := tx.Labels(id)
		if err != nil {
			return err
		}
		for i := range labels {
			feed = append(feed, FeedEntry{station, protocol.Change{Kind: protocol.KindLabel, Label: &labels[i]}})
		}
	}
	return appendFeed(tx, feed)
}

// waveOrders lists a wave's orders in the order they are picked.
func waveOrders(tasks []protocol.Task) []string {
	first := map[string]int{}
	var out []string
	for _, t := range tasks {
		if k, ok := first[t.Order]; !ok || t.SortKey < k {
			if !ok {
				out = append(out, t.Order)
			}
			first[t.Order] = t.SortKey
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return first[out[i]] < first[out[j]] })
	return out
}

func waveInfo(tx StoreTx, wave string) (protocol.WaveInfo, error) {
	info := protocol.WaveInfo{ID: wave}
	wv, ok, err := tx.Wave(wave)
	if err != nil {
		return info, err
	}
	if !ok {
		return info, protocol.Errorf(protocol.CodeNotFound, "wave %s is not known at the hub", floor.Printable(wave))
	}
	tasks, err := tx.WaveTasks(wave)
	if err != nil {
		return info, err
	}
	info.Status, info.Station, info.Tasks, info.Orders = wv.Status, wv.Station, len(tasks), waveOrders(tasks)
	return info, nil
}

// liveOrder reads an order an admin action names.
func liveOrder(tx StoreTx, id string) (OrderRecord, error) {
	o, ok, err := tx.Order(id)
	if err == nil && !ok {
		err = orderUnknown(id)
	}
	return o, err
}

// PlaceHold holds an order (or changes the note of a hold it has); the
// stations that have it learn at their next pull.
func (s *Service) PlaceHold(ctx context.Context, order string, h protocol.Hold, at time.Time) error {
	return s.told(s.store.Tx(ctx, func(tx StoreTx) error {
		o, err := liveOrder(tx, order)
		if err != nil {
			return err
		}
		if o.Status == string(floor.OrderCancelled) {
			return protocol.Errorf(protocol.CodeConflict, "order %s is cancelled; a hold would change nothing", order)
		}
		facts := trackFacts(tx, at)
		if err := facts.Watch(order); err != nil {
			return err
		}
		if err := tx.PutHold(order, h, at); err != nil {
			return err
		}
		if err := lifeAfterHolds(tx, order, at); err != nil {
			return err
		}
		if err := facts.Emit(); err != nil {
			return err
		}
		feed, err := tellStations(tx, order, protocol.KindHolds)
		if err != nil {
			return err
		}
		return appendFeed(tx, feed)
	}))
}

// ReleaseHold removes one hold from an order.
func (s *Service) ReleaseHold(ctx context.Context, order, reason string) error {
	return s.told(s.store.Tx(ctx, func(tx StoreTx) error {
		if _, err := liveOrder(tx, order); err != nil {
			return err
		}
		facts := trackFacts(tx, s.now())
		if err := facts.Watch(order); err != nil {
			return err
		}
		gone, err := tx.DeleteHold(order, reason)
		if err != nil {
			return err
		}
		if !gone {
			return protocol.Errorf(protocol.CodeNotFound, "order %s has no hold %s", order, floor.Printable(reason))
		}
		if err := lifeAfterHolds(tx, order, time.Time{}); err != nil {
			return err
		}
		if err := facts.Emit(); err != nil {
			return err
		}
		feed, err := tellStations(tx, order, protocol.KindHolds)
		if err != nil {
			return err
		}
		return appendFeed(tx, feed)
	}))
}

// units counts an order's units picked, in packed cartons and in shipped
// ones, by line.
func units(tx StoreTx, order string) (picked, packed, shipped map[int]int, err error) {
	picked, packed, shipped = map[int]int{}, map[int]int{}, map[int]int{}
	tallies, err := tx.Tallies(order)
	if err != nil {
		return
	}
	for _, t := range tallies {
		picked[t.Line] += t.Picked
	}
	parcels, err := tx.Parcels(order)
	if err != nil {
		return
	}
	for _, p := range parcels {
		for _, l := range p.Lines {
			switch p.Status {
			case ParcelPacked:
				packed[l.Line] += l.Qty
			case ParcelShipped:
				shipped[l.Line] += l.Qty
			}
		}
	}
	return
}

func sum(m map[int]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

// CancelOrder cancels an order centrally. Units the floor already picked
// or packed for it become a conflict with the instruction to return them;
// an order with shipped units cannot be cancelled (it needs a return).
// Cancelling a cancelled order changes nothing.
func (s *Service) CancelOrder(ctx context.Context, order, reason string, at time.Time) error {
	return s.told(s.store.Tx(ctx, func(tx StoreTx) error {
		o, err := liveOrder(tx, order)
		if err != nil {
			return err
		}
		if o.Status == string(floor.OrderCancelled) {
			return nil
		}
		facts := trackFacts(tx, at)
		if err := facts.Watch(order); err != nil {
			return err
		}
		pickedBy, packedBy, shippedBy, err := units(tx, order)
		if err != nil {
			return err
		}
		picked, packed, shipped := sum(pickedBy), sum(packedBy), sum(shippedBy)
		if shipped > 0 {
			return protocol.Errorf(protocol.CodeConflict, "order %s has %d units shipped: it cannot be cancelled; book a return instead", order, shipped)
		}
		if err := standLife(tx, order, Standing{Cancelled: true}, at, reason); err != nil {
			return err
		}
		if err := tx.SetOrderStatus(order, string(floor.OrderCancelled), reason); err != nil {
			return err
		}
		if picked > 0 || packed > 0 {
			stations, err := tx.StationsOf(order)
			if err != nil {
				return err
			}
			what := ReturnToStock
			if packed > 0 {
				what = UnpackRestock
			}
			unit := "units"
			if picked == 1 {
				unit = "unit"
			}
			msg := fmt.Sprintf("%s (%d %s picked, %d packed, at %s before the cancellation)", what, picked, unit, packed, strings.Join(stations, ", "))
			if err := tx.InsertConflict(protocol.Conflict{Order: order, Kind: "cancelled-after-pick", Reason: msg, At: at}); err != nil {
				return err
			}
		}
		if err := facts.Emit(); err != nil {
			return err
		}
		feed, err := tellStations(tx, order, protocol.KindCancel)
		if err != nil {
			return err
		}
		return appendFeed(tx, feed)
	}))
}

// AddLabel stores a carrier-supplied label for an order and sends it to
// the stations that have the order (or to the station its wave goes to).
func (s *Service) AddLabel(ctx context.Context, l protocol.Label, at time.Time) error {
	if err := checkCarrierLabel(l); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(tx StoreTx) error {
		o, err := liveOrder(tx, l.Order)
		if err != nil {
			return err
		}
		if o.Status == string(floor.OrderCancelled) {
			return protocol.Errorf(protocol.CodeConflict, "order %s is cancelled; it needs no label", l.Order)
		}
		if err := tx.PutLabel(l, at); err != nil {
			return err
		}
		stations, err := tx.StationsOf(l.Order)
		if err != nil {
			return err
		}
		var feed []FeedEntry
		for _, st := range stations {
			feed = append(feed, FeedEntry{st, protocol.Change{Kind: protocol.KindLabel, Label: &l}})
		}
		return appendFeed(tx, feed)
	})
}

// Fulfilment reads an order's progress as the floor reported it, with its
// holds, parcels, the stations that have it and its conflicts. Packed and
// shipped cartons count their lines as packed, shipped ones as shipped
// too; voided ones count nothing.
func (s *Service) Fulfilment(ctx context.Context, order string) (protocol.Fulfilment, error) {
	f := protocol.Fulfilment{Order: order}
	err := s.store.Read(ctx, func(tx StoreTx) error {
		o, err := liveOrder(tx, order)
		if err != nil {
			return err
		}
		f.CancelReason, f.Holds = o.CancelReason, o.Holds
		tallies, err := tx.Tallies(order)
		if err != nil {
			return err
		}
		byLine := map[int]LineTally{}
		for _, t := range tallies {
			byLine[t.Line] = t
		}
		_, packed, shipped, err := units(tx, order)
		if err != nil {
			return err
		}
		for _, l := range o.Lines {
			t := byLine[l.Line]
			f.Lines = append(f.Lines, protocol.LineProgress{Line: l.Line, SKU: l.SKU, Qty: l.Qty, Picked: t.Picked, Short: t.Short,
				Packed: packed[l.Line] + shipped[l.Line], Shipped: shipped[l.Line], Returned: t.Returned})
		}
		parcels, err := tx.Parcels(order)
		if err != nil {
			return err
		}
		view, err := ViewOrder(tx, order)
		if err != nil {
			return err
		}
		for _, p := range parcels {
			f.Parcels = append(f.Parcels, protocol.Parcel{SSCC: p.SSCC, Tracking: p.Tracking, Carrier: p.Carrier, Status: p.Status,
				TrackingSource: view.TrackingSource(p.Tracking)})
		}
		if f.Stations, err = tx.StationsOf(order); err != nil {
			return err
		}
		if f.Conflicts, err = tx.OrderConflicts(order); err != nil {
			return err
		}
		f.Status = FulfilmentStatus(o.Status == protocol.StatusCancelled, f.Lines)
		return fillLife(tx, &f)
	})
	if err != nil {
		return protocol.Fulfilment{Order: order}, err
	}
	return f, nil
}

// Conflicts lists conflicts after an id, oldest first.
func (s *Service) Conflicts(ctx context.Context, after int64, limit int) ([]protocol.Conflict, error) {
	var out []protocol.Conflict
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { out, err = tx.Conflicts(after, limit); return err })
	return out, err
}

// StationEvents lists a station's events after a sequence, in order, as
// the hub keeps them: the floor's truth for the rest of the business.
func (s *Service) StationEvents(ctx context.Context, station string, after int64, limit int) ([]protocol.StoredEvent, error) {
	var out []protocol.StoredEvent
	err := s.store.Read(ctx, func(tx StoreTx) (err error) { out, err = tx.Events(station, after, limit); return err })
	return out, err
}

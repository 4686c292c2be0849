package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Totes travel between stations. A cart's accepted picks, undos and
// shorts move the hub's record of the tote, in the push's transaction;
// at the end of the push every tote it touched goes into the feed as
// one group: to every pack bench while it holds an order (after the
// order's snapshot, the first time it fills), with its hold to every
// cart when a fill begins, and to every station once it is free again
// (packed, released, withdrawn), so the carts may take it.

// toteBook is what one push did to totes. It keeps the tote records it
// read or wrote, and the whole contents of the fills this push began, so
// a push of many picks reads each tote once and a new fill not at all (a
// PostgreSQL store pays a round trip per read).
type toteBook struct {
	touched map[string]bool // tote codes
	filled  []string        // orders that went into a fresh fill, in order
	totes   map[string]ToteRecord
	fresh   map[string][]protocol.ToteUnit // fills begun in this push: all their units
	// moved are the units that joined or left each tote in this push,
	// in order: its version moves, and they bring a fill's units kept
	// in cache up to date.
	moved map[string][]unitMove
	cache *fillCache
	// sent are the fills the feed sent, to keep in cache once the push
	// is committed.
	sent []sentFill
}

// unitMove is a unit that joined (gone false) or left a fill of a tote.
type unitMove struct {
	fill int64
	unit protocol.ToteUnit
	gone bool
}

func (b *toteBook) move(tote string, m unitMove) {
	if b.moved == nil {
		b.moved = map[string][]unitMove{}
	}
	b.moved[tote] = append(b.moved[tote], m)
}

func (b *toteBook) tote(tx StoreTx, code string) (ToteRecord, error) {
	if t, ok := b.totes[code]; ok {
		return t, nil
	}
	t, _, err := tx.Tote(code)
	t.Code = code
	if err == nil {
		b.keep(t)
	}
	return t, err
}

func (b *toteBook) keep(t ToteRecord) {
	if b.totes == nil {
		b.totes = map[string]ToteRecord{}
	}
	b.totes[t.Code] = t
}

func (b *toteBook) put(tx StoreTx, t ToteRecord) error {
	b.keep(t)
	return tx.PutTote(t)
}

// ConflictToteTwoOrders: a cart picked into a tote the hub knew to hold
// another order. The carts refuse such a tote (the hub tells them which
// totes hold what); two carts that filled it offline, or within one
// pull of each other, still can. The goods of both orders may be in it.
const ConflictToteTwoOrders = "tote-two-orders"

// toteEvent moves the tote records for one accepted event of station.
func (b *toteBook) toteEvent(tx StoreTx, station string, at time.Time, ev protocol.Event) error {
	switch floor.EventType(ev.Type) {
	case floor.EvUnitsPicked:
		var p floor.UnitsPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil || p.Tote == "" {
			return nil // the rule judged the payload; a pick without a tote fills none
		}
		t, err := b.tote(tx, p.Tote)
		if err != nil {
			return err
		}
		if t.Order != p.Order {
			// A new fill: the latest pick names its order, as on the
			// stations. A tote that still held another order is a
			// person's to sort out.
			if t.Order != "" {
				if err := b.twoOrders(tx, station, at, ev, t, p.Order); err != nil {
					return err
				}
			}
			t = ToteRecord{Code: p.Tote, Order: p.Order, Fill: t.Fill + 1, Version: t.Version}
			if err := b.put(tx, t); err != nil {
				return err
			}
			if b.fresh == nil {
				b.fresh = map[string][]protocol.ToteUnit{}
			}
			b.fresh[p.Tote] = []protocol.ToteUnit{}
			if !slices.Contains(b.filled, p.Order) {
				b.filled = append(b.filled, p.Order)
			}
		}
		b.touch(p.Tote)
		u := protocol.ToteUnit{Station: station, Seq: ev.Seq, Task: p.Task, Line: p.Line, SKU: p.SKU, Qty: p.Qty, Lot: p.Lot,
			Serial: p.Serial, Expiry: p.Expiry, Location: p.Location, Operator: ev.Operator}
		if units, ok := b.fresh[p.Tote]; ok {
			b.fresh[p.Tote] = append(units, u)
		}
		b.move(p.Tote, unitMove{fill: t.Fill, unit: u})
		return tx.InsertToteUnit(ToteUnitRecord{Tote: p.Tote, Fill: t.Fill, Order: p.Order, ToteUnit: u})
	case floor.EvPickUndone:
		var p floor.UndoPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil
		}
		u, ok, err := tx.DeleteLastToteUnit(station, p.Task, p.Qty)
		if err != nil || !ok {
			return err
		}
		b.touch(u.Tote)
		b.move(u.Tote, unitMove{fill: u.Fill, unit: u.ToteUnit, gone: true})
		t, err := b.tote(tx, u.Tote)
		if err != nil || t.Fill != u.Fill {
			return err // a unit of an earlier fill: the tote moved on
		}
		var left []protocol.ToteUnit
		if units, ok := b.fresh[u.Tote]; ok {
			left = slices.DeleteFunc(units, func(x protocol.ToteUnit) bool { return x.Station == u.Station && x.Seq == u.Seq })
			b.fresh[u.Tote] = left
		} else if left, err = tx.ToteUnits(u.Tote, u.Fill); err != nil {
			return err
		}
		if len(left) > 0 {
			return nil
		}
		// The undone units were the fill's last: the tote is empty again.
		return b.free(tx, u.Tote, u.Order, protocol.ToteFreedUndone)
	case floor.EvTaskShort:
		var p floor.ShortPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil || p.Short <= 0 {
			return nil
		}
		if err := tx.AddShort(p.Order, protocol.ToteShort{Station: station, Task: p.Task, Line: p.Line, Qty: p.Short}); err != nil {
			return err
		}
		// The order's totes carry its shorts to the benches.
		return b.touchOrder(tx, p.Order)
	case floor.EvToteReleased:
		var p floor.ToteReleasePayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil
		}
		t, err := b.tote(tx, p.Tote)
		if err != nil || t.Order == "" {
			return err
		}
		return b.free(tx, p.Tote, t.Order, protocol.ToteFreedReleased)
	case floor.EvOrderWithdrawn:
		var p floor.WithdrawPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil
		}
		return b.freeOrder(tx, p.Order, protocol.ToteFreedWithdrawn)
	case floor.EvPackLabelRequested:
		var p floor.PackLabelPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil
		}
		for _, l := range p.Lines {
			if l.Qty <= 0 {
				continue
			}
			if err := tx.AddPacked(p.Order, protocol.TotePacked{Station: station, Shipment: p.Shipment, Line: l.Line, Qty: l.Qty}); err != nil {
				return err
			}
		}
		return b.touchOrder(tx, p.Order)
	case floor.EvPackVoided:
		var p floor.PackVoidPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil
		}
		if err := tx.DeletePacked(p.Order, station, p.Shipment); err != nil {
			return err
		}
		return b.touchOrder(tx, p.Order)
	case floor.EvExceptionResolved:
		// A supervisor sent a held order's goods back to stock (the
		// resolution was applied, or the event would not be accepted):
		// its totes are empty, for every cart to take again.
		var p floor.ExceptionResolvedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil || p.Action != floor.ResolveReturnHeld {
			return nil
		}
		ex, ok, err := exceptionOf(tx, p)
		if err != nil || !ok {
			return err
		}
		if order := orElse(ex.Order, p.Order); order != "" {
			return b.freeOrder(tx, order, protocol.ToteFreedWithdrawn)
		}
		return nil
	case floor.EvPackShipmentCompleted:
		// The bench emptied the order's totes into cartons (a partial
		// shipment ships all that was in them).
		var p floor.PackShipmentPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil
		}
		return b.freeOrder(tx, p.Order, protocol.ToteFreedPacked)
	}
	return nil
}

// twoOrders records that station picked order into tote t while the hub
// knew it to hold t.Order, naming the stations that filled it.
func (b *toteBook) twoOrders(tx StoreTx, station string, at time.Time, ev protocol.Event, t ToteRecord, order string) error {
	units, ok := b.fresh[t.Code]
	if !ok {
		var err error
		if units, err = tx.ToteUnits(t.Code, t.Fill); err != nil {
			return err
		}
	}
	var by []string
	for _, u := range units {
		if !slices.Contains(by, u.Station) {
			by = append(by, u.Station)
		}
	}
	where := ""
	if len(by) > 0 {
		where = " (picked at " + strings.Join(by, ", ") + ")"
	}
	reason := fmt.Sprintf("tote %s still held %s%s when %s picked %s into it: the goods of both orders may be in it; sort them before it is packed (the hub now counts it as %s's)",
		floor.Printable(t.Code), floor.Printable(t.Order), where, station, floor.Printable(order), floor.Printable(order))
	return tx.InsertConflict(protocol.Conflict{Station: station, Seq: ev.Seq, EventID: ev.ID, Order: order, Kind: ConflictToteTwoOrders, Reason: reason, At: at})
}

func (b *toteBook) touch(tote string) {
	if b.touched == nil {
		b.touched = map[string]bool{}
	}
	b.touched[tote] = true
}

// touchOrder marks the order's totes touched: they carry its shorts and
// packed units to the benches.
func (b *toteBook) touchOrder(tx StoreTx, order string) error {
	totes, err := tx.TotesOf(order)
	for _, t := range totes {
		b.touch(t)
	}
	return err
}

func (b *toteBook) free(tx StoreTx, tote, order, why string) error {
	t, err := b.tote(tx, tote)
	if err != nil {
		return err
	}
	t.Order, t.Freed, t.FreedBy = "", order, why
	b.touch(tote)
	return b.put(tx, t)
}

func (b *toteBook) freeOrder(tx StoreTx, order, why string) error {
	totes, err := tx.TotesOf(order)
	if err != nil {
		return err
	}
	for _, t := range totes {
		if err := b.free(tx, t, order, why); err != nil {
			return err
		}
	}
	return nil
}

// feed is the push's tote news: each order newly in a tote (its
// snapshot, for the pack benches), then each touched tote, by code. A
// tote that began a fill also goes to every cart, as the hold only (its
// order, not its units): a cart refuses a tote another cart filled.
func (b *toteBook) feed(tx StoreTx) ([]FeedEntry, error) {
	if len(b.touched) == 0 {
		return nil, nil
	}
	var out []FeedEntry
	for _, id := range b.filled {
		o, ok, err := tx.Order(id)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, FeedEntry{Station: PackBenches, Change: protocol.Change{Kind: protocol.KindOrder, Order: &o.Order}})
		}
	}
	codes := make([]string, 0, len(b.touched))
	for c := range b.touched {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	type orderNews struct {
		shorts []protocol.ToteShort
		packed []protocol.TotePacked
	}
	news := map[string]orderNews{}
	for _, code := range codes {
		t, err := b.tote(tx, code)
		if err != nil {
			return nil, err
		}
		seen := t.Version // the version the units in cache are checked against
		if len(b.moved[code]) > 0 {
			t.Version++
			if err := b.put(tx, t); err != nil {
				return nil, err
			}
		}
		w := protocol.Tote{Code: code, Order: t.Order, Fill: t.Fill, Freed: t.Freed, FreedBy: t.FreedBy}
		if t.Order == "" {
			out = append(out, FeedEntry{Station: EveryStation, Change: protocol.Change{Kind: protocol.KindTote, Tote: &w}})
			continue
		}
		if units, ok := b.fresh[code]; ok {
			w.Units = sortUnits(units)
		} else if units, ok := b.cache.units(code, t.Fill, seen); ok {
			w.Units = sortUnits(b.moveUnits(code, t.Fill, units))
		} else if w.Units, err = tx.ToteUnits(code, t.Fill); err != nil {
			return nil, err
		}
		b.sent = append(b.sent, sentFill{code: code, fill: t.Fill, version: t.Version, units: w.Units})
		n, ok := news[t.Order]
		if !ok {
			if n.shorts, err = tx.Shorts(t.Order); err != nil {
				return nil, err
			}
			if n.packed, err = tx.Packed(t.Order); err != nil {
				return nil, err
			}
			news[t.Order] = n
		}
		w.Shorts, w.Packed = n.shorts, n.packed
		out = append(out, FeedEntry{Station: PackBenches, Change: protocol.Change{Kind: protocol.KindTote, Tote: &w}})
		if units := b.fresh[code]; len(units) > 0 {
			hold := protocol.Tote{Code: code, Order: t.Order, Fill: t.Fill, Hold: true, FilledBy: units[0].Station}
			out = append(out, FeedEntry{Station: PickCarts, Change: protocol.Change{Kind: protocol.KindTote, Tote: &hold}})
		}
	}
	return out, nil
}

// sortUnits orders units as ToteUnits lists them: by station, then seq.
func sortUnits(units []protocol.ToteUnit) []protocol.ToteUnit {
	return slices.SortedFunc(slices.Values(units), func(x, y protocol.ToteUnit) int {
		if x.Station != y.Station {
			return strings.Compare(x.Station, y.Station)
		}
		return cmp.Compare(x.Seq, y.Seq)
	})
}

// moveUnits is a fill's units as kept in cache, with the units this push
// moved in or out of it (a new slice: the cache's is not changed).
func (b *toteBook) moveUnits(code string, fill int64, kept []protocol.ToteUnit) []protocol.ToteUnit {
	units := slices.Clone(kept)
	for _, m := range b.moved[code] {
		if m.fill != fill {
			continue
		}
		at := slices.IndexFunc(units, func(u protocol.ToteUnit) bool { return u.Station == m.unit.Station && u.Seq == m.unit.Seq })
		switch {
		case m.gone && at >= 0:
			units = slices.Delete(units, at, at+1)
		case !m.gone && at < 0: // a unit is recorded once
			units = append(units, m.unit)
		}
	}
	return units
}

// fillCache keeps the units of the fills this hub sent in the feed, with
// the tote's version they were read or written at. A push sends a fill's
// units again from here while the tote's version (which it reads anyway)
// is the one kept, instead of reading all of them: a tote filled over n
// pushes otherwise costs reads of n²/2 units. The version moves in every
// transaction that moves units of the tote, on any hub, so a kept fill
// that another hub changed is read again. Only committed pushes fill it.
type fillCache struct {
	mu    sync.Mutex
	fills map[toteFill]sentFill
}

type toteFill struct {
	code string
	fill int64
}

type sentFill struct {
	code          string
	fill, version int64
	units         []protocol.ToteUnit
}

// fillCacheMax bounds the fills kept; a full cache starts again.
const fillCacheMax = 4096

func (c *fillCache) units(code string, fill, version int64) ([]protocol.ToteUnit, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.fills[toteFill{code, fill}]
	if !ok || f.version != version {
		return nil, false
	}
	return f.units, true
}

// keep records what a committed push sent.
func (c *fillCache) keep(sent []sentFill) {
	if c == nil || len(sent) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fills == nil || len(c.fills)+len(sent) > fillCacheMax {
		c.fills = map[toteFill]sentFill{}
	}
	for _, f := range sent {
		c.fills[toteFill{f.code, f.fill}] = f
	}
}

// packBenchesOf is the pack benches' audience while the order is in a
// tote: a hold, a cancellation or a corrected address must reach the
// bench that will pack it, not only the cart that picked it.
func packBenchesOf(tx StoreTx, order string) ([]string, error) {
	totes, err := tx.TotesOf(order)
	if err != nil || len(totes) == 0 {
		return nil, err
	}
	return []string{PackBenches}, nil
}

// NoteBench records the bench a station says it runs (on its pull). A
// station whose bench changed starts its slice again: the changes of its
// new audience that came before its cursor would otherwise never reach it.
func (s *Service) NoteBench(ctx context.Context, station, bench string) error {
	if bench == "" {
		return nil
	}
	if len(bench) > 32 || strings.Trim(bench, "abcdefghijklmnopqrstuvwxyz") != "" {
		return protocol.Errorf(protocol.CodeBadRequest, "bench %q is not a bench name (lower-case letters, at most 32)", floor.Printable(bench))
	}
	var st protocol.StationInfo
	var ok bool
	err := s.store.Read(ctx, func(tx StoreTx) (err error) {
		st, ok, err = tx.Station(station)
		return err
	})
	if err != nil || (ok && st.Bench == bench) {
		return err // the usual case: nothing to write
	}
	return s.store.Tx(ctx, func(tx StoreTx) error {
		st, ok, err := tx.Station(station)
		if err != nil {
			return err
		}
		if !ok {
			return notRegistered(station)
		}
		if st.Bench == bench {
			return nil
		}
		if err := tx.SetStationBench(station, bench); err != nil {
			return err
		}
		if err := tx.SetStationEpoch(station, st.Epoch+1); err != nil {
			return fmt.Errorf("station %s changed bench: %w", station, err)
		}
		return nil
	})
}

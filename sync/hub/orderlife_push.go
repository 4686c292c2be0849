package hub

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// How pushed events move the order's life (orderlife.go). judgeLife works
// out an accepted event's moves before the event is written, so a move
// that would not reconcile turns the verdict into a refusal kept without
// effect; lifeStep.commit writes the outcome in the push's transaction.

// ConflictNotReconciled is the conflict of an event whose units do not
// fit the order's lines (more picked than ordered, a shipped parcel
// voided…).
const ConflictNotReconciled = "does-not-reconcile"

// lifeStep is what one event does to the order life.
type lifeStep struct {
	records   map[string]LifeRecord
	order     []string // records' keys in the order first touched
	parcels   []parcelWrite
	tasks     []protocol.Task
	conflicts []protocol.Conflict
}

type parcelWrite struct {
	order string
	rec   ParcelRecord
}

func (l *lifeStep) put(order string, r LifeRecord) {
	if l.records == nil {
		l.records = map[string]LifeRecord{}
	}
	if _, ok := l.records[order]; !ok {
		l.order = append(l.order, order)
	}
	l.records[order] = r
}

// commit writes the step: records (to the batch's lives, written at its
// end), parcels, tasks (with their feed to the wave's station) and
// conflicts.
func (l *lifeStep) commit(tx StoreTx, ls *lives) error {
	if l == nil {
		return nil
	}
	for _, o := range l.order {
		ls.put(o, l.records[o])
	}
	for _, p := range l.parcels {
		if err := tx.PutParcel(p.order, p.rec); err != nil {
			return err
		}
	}
	if err := issueTasks(tx, l.tasks); err != nil {
		return err
	}
	for _, c := range l.conflicts {
		if err := tx.InsertConflict(c); err != nil {
			return err
		}
	}
	return nil
}

// lives are the order lives a push batch touches, read once and written
// once at its end, as the tallies are: nothing else in a push reads them.
type lives struct {
	recs  map[string]lifeEntry
	dirty []string
}

type lifeEntry struct {
	r     LifeRecord
	orig  LifeRecord // as read, for the life's facts
	st    Standing
	holds []string // the standing holds' reasons
}

// load reads an order's life; known, when given, is the order's standing
// as the push read it, which spares reading the order again once its
// life has started.
func (ls *lives) load(tx StoreTx, order string, known *OrderState) (LifeRecord, Standing, []string, error) {
	if e, ok := ls.recs[order]; ok {
		return e.r, e.st, e.holds, nil
	}
	var e lifeEntry
	if known != nil && known.Known {
		r, ok, err := tx.OrderLife(order)
		if err != nil {
			return r, Standing{}, nil, err
		}
		if ok && touched(r) {
			e = lifeEntry{r: r, st: Standing{Cancelled: known.Cancelled, Held: len(known.Holds) > 0}, holds: known.Holds}
		}
	}
	if e.r.State == "" {
		r, o, err := loadLife(tx, order)
		if err != nil {
			return r, Standing{}, nil, err
		}
		e = lifeEntry{r: r, st: standingOf(o)}
		for _, h := range o.Holds {
			e.holds = append(e.holds, h.Reason)
		}
	}
	if ls.recs == nil {
		ls.recs = map[string]lifeEntry{}
	}
	e.orig = e.r
	ls.recs[order] = e
	return e.r, e.st, e.holds, nil
}

func (ls *lives) put(order string, r LifeRecord) {
	if !slices.Contains(ls.dirty, order) {
		ls.dirty = append(ls.dirty, order)
	}
	e := ls.recs[order]
	e.r = r
	ls.recs[order] = e
}

func (ls *lives) write(tx StoreTx) error {
	for _, o := range ls.dirty {
		if err := tx.PutOrderLife(o, ls.recs[o].r); err != nil {
			return err
		}
	}
	return nil
}

// emitFacts appends the life's facts of every order the batch changed
// (after the line counts' facts: a restock follows its stock.returned).
func (ls *lives) emitFacts(tx StoreTx, at time.Time) error {
	for _, o := range ls.dirty {
		e := ls.recs[o]
		if err := appendLifeFacts(tx, o, e.orig, e.r, e.st.Cancelled, at); err != nil {
			return err
		}
	}
	return nil
}

// standingOf is what stands on an order record.
func standingOf(o OrderRecord) Standing {
	return Standing{Cancelled: o.Status == string(floor.OrderCancelled), Held: len(o.Holds) > 0}
}

// loadLife reads an order's life, starting it from the order's lines
// (and from what the hub recorded before it kept lives: picks and
// cartons) when none is written yet, or when the lines were re-imported
// before anything happened to them.
func loadLife(tx StoreTx, order string) (LifeRecord, OrderRecord, error) {
	o, ok, err := tx.Order(order)
	if err != nil {
		return LifeRecord{}, o, err
	}
	if !ok {
		return LifeRecord{}, o, orderUnknown(order)
	}
	r, ok, err := tx.OrderLife(order)
	if err != nil {
		return r, o, err
	}
	if ok && (sameOrdered(r.Lines, o.Lines) || touched(r)) {
		return r, o, nil
	}
	r.Lines = NewLines(o.Lines)
	// An order the floor worked on before the hub kept lives: its picks
	// and cartons, as far as they fit.
	tallies, err := tx.Tallies(order)
	if err != nil {
		return r, o, err
	}
	parcels, err := tx.Parcels(order)
	if err != nil {
		return r, o, err
	}
	for i := range r.Lines {
		l := &r.Lines[i]
		for _, t := range tallies {
			if t.Line == l.Line && t.Picked > 0 {
				*l, _ = ApplyMove(*l, Move{MovePick, min(t.Picked, l.Open)})
			}
		}
		for _, p := range parcels {
			for _, pl := range p.Lines {
				if pl.Line != l.Line || p.Status == ParcelVoided {
					continue
				}
				if n := min(pl.Qty, l.InTote+l.Open); n > 0 {
					*l, _ = ApplyMove(*l, Move{MovePack, n})
					if p.Status == ParcelShipped {
						*l, _ = ApplyMove(*l, Move{MoveShip, n})
					}
				}
			}
		}
	}
	r.State = DeriveState(standingOf(o), r.Lines)
	return r, o, nil
}

func sameOrdered(life []protocol.LineLife, lines []protocol.OrderLine) bool {
	if len(life) != len(lines) {
		return false
	}
	for i := range lines {
		if life[i].Line != lines[i].Line || life[i].Ordered != lines[i].Qty || life[i].SKU != lines[i].SKU {
			return false
		}
	}
	return true
}

// touched reports whether anything happened to the order's units.
func touched(r LifeRecord) bool {
	for _, l := range r.Lines {
		if l.Open != l.Ordered || l.Picked != 0 || l.Short != 0 {
			return true
		}
	}
	return false
}

// lineSKU is the SKU of an order's line.
func lineSKU(r LifeRecord, line int) string {
	for _, l := range r.Lines {
		if l.Line == line {
			return l.SKU
		}
	}
	return ""
}

// notReconciled is the refusal of an event whose moves do not fit.
func notReconciled(ev protocol.Event, order string, err error) Verdict {
	v := Reject(fmt.Sprintf("order %s: %v. The event is kept without effect; count the goods and tell the office", floor.Printable(order), err))
	v.Conflict = ConflictNotReconciled
	return v
}

// judgeLife works out what an event does to the order life (or refuses
// it). v is the rules' verdict; ost is the order's standing as the push
// read it.
func (s *Service) judgeLife(tx StoreTx, ls *lives, station string, at time.Time, ev protocol.Event, ref protocol.OrderRef, ost OrderState, v Verdict) (Verdict, *lifeStep, error) {
	if ev.Type == protocol.EvDispatchPickupClosed && v.Status == protocol.Accepted {
		return closePickup(tx, ls, station, at, ev, v)
	}
	if ref.Order == "" {
		return v, nil, nil
	}
	if v.Status != protocol.Accepted {
		if v.Conflict == "cancelled-order" && ev.Type == string(floor.EvUnitsPicked) {
			return restockRefusedPick(tx, ls, at, ev, ref, v)
		}
		return v, nil, nil
	}
	r, st, _, err := ls.load(tx, ref.Order, &ost)
	if err != nil {
		return v, nil, err
	}
	if st.Cancelled && !slices.Contains([]string{string(floor.EvPackSetAside), string(floor.EvPackStarted), string(floor.EvOrderWithdrawn),
		protocol.EvDispatchParcelUnloaded, string(floor.EvStockReturned), protocol.EvReturnReceived}, ev.Type) {
		return v, nil, nil // its fulfilment stopped at the cancellation; only where its goods are still counts
	}
	step := &lifeStep{}
	var moves []LineMove
	switch ev.Type {
	case string(floor.EvUnitsPicked):
		var p floor.UnitsPayload
		_ = json.Unmarshal(ev.Payload, &p) // the rule read it
		moves = []LineMove{{ref.Line, Move{MovePick, p.Qty}}}
	case string(floor.EvPickUndone):
		var p floor.UndoPayload
		_ = json.Unmarshal(ev.Payload, &p)
		moves = []LineMove{{ref.Line, Move{MoveUnpick, p.Qty}}}
	case string(floor.EvTaskShort):
		var p floor.ShortPayload
		_ = json.Unmarshal(ev.Payload, &p)
		if p.Short <= 0 {
			break
		}
		m, task, err := s.shortRemainder(tx, ref, p)
		if err != nil {
			return v, nil, err
		}
		moves = []LineMove{{ref.Line, m}}
		if task != nil {
			step.tasks = append(step.tasks, *task)
		}
	case string(floor.EvPackLabelRequested):
		var p packLabel
		_ = json.Unmarshal(ev.Payload, &p)
		key := orElse(p.SSCC, p.Tracking)
		parcels, err := tx.Parcels(ref.Order)
		if err != nil {
			return v, nil, err
		}
		for _, old := range parcels {
			if old.Key != key || old.Status == ParcelVoided {
				continue
			}
			if old.Status == ParcelShipped {
				return notReconciled(ev, ref.Order, fmt.Errorf("parcel %s left the dock already: it cannot be labelled again", floor.Printable(key))), nil, nil
			}
			for _, l := range old.Lines { // the carton is labelled again: its earlier lines are replaced
				moves = append(moves, LineMove{l.Line, Move{MoveUnpack, l.Qty}})
			}
		}
		for _, l := range p.Lines {
			moves = append(moves, LineMove{l.Line, Move{MovePack, l.Qty}})
		}
	case string(floor.EvPackShipmentCompleted):
		var p struct {
			Partial bool `json:"partial"`
		}
		_ = json.Unmarshal(ev.Payload, &p)
		if p.Partial {
			// What was not packed for this shipment waits for stock.
			moves = []LineMove{{0, Move{Kind: MoveBackOrderRest}}}
		}
	case string(floor.EvPackVoided):
		var p packShipment
		_ = json.Unmarshal(ev.Payload, &p)
		parcels, err := tx.Parcels(ref.Order)
		if err != nil {
			return v, nil, err
		}
		for _, par := range parcels {
			if par.Shipment != p.Shipment || par.Status == ParcelVoided {
				continue
			}
			if par.Status == ParcelShipped {
				return notReconciled(ev, ref.Order, fmt.Errorf("shipment %s left the dock already: it cannot be voided; book a return instead", floor.Printable(p.Shipment))), nil, nil
			}
			for _, l := range par.Lines {
				moves = append(moves, LineMove{l.Line, Move{MoveUnpack, l.Qty}})
			}
		}
	case string(floor.EvPackSetAside):
		var p floor.PackSetAsidePayload
		_ = json.Unmarshal(ev.Payload, &p)
		if p.Location != "" {
			r = shelve(r, station, at, p)
		}
	case string(floor.EvPackStarted):
		// The order is on a bench again: its goods left the shelf.
		r.Shelf = nil
	case string(floor.EvToteReleased):
		// A supervisor emptied the order's tote by hand: its units are no
		// longer picked (they are to pick again).
		var p floor.ToteReleasePayload
		_ = json.Unmarshal(ev.Payload, &p)
		tote, ok, err := tx.Tote(p.Tote)
		if err != nil {
			return v, nil, err
		}
		if ok && tote.Order == ref.Order {
			units, err := tx.ToteUnits(p.Tote, tote.Fill)
			if err != nil {
				return v, nil, err
			}
			byLine := map[int]int{}
			for _, u := range units {
				byLine[u.Line] += u.Qty
			}
			for _, l := range r.Lines {
				if n := min(byLine[l.Line], l.InTote); n > 0 {
					moves = append(moves, LineMove{l.Line, Move{MoveUnpick, n}})
				}
			}
		}
	case string(floor.EvOrderWithdrawn):
		var p floor.WithdrawPayload
		_ = json.Unmarshal(ev.Payload, &p)
		r = withdrawn(r, p)
	case string(floor.EvStockReturned):
		var p floor.StockReturnedPayload
		_ = json.Unmarshal(ev.Payload, &p)
		r, moves = stockReturned(r, at, p)
	case protocol.EvDispatchParcelLoaded:
		return loadParcel(tx, ev, ref, v, r)
	case protocol.EvReturnReceived:
		return judgeReturn(tx, station, at, ev, ref, v, r, st)
	case protocol.EvDispatchParcelUnloaded:
		var p protocol.DispatchParcelLoaded
		_ = json.Unmarshal(ev.Payload, &p)
		if _, ok := r.Loaded[p.SSCC]; ok {
			r.Loaded = cloneMap(r.Loaded)
			delete(r.Loaded, p.SSCC)
		}
	default:
		return v, nil, nil
	}
	next, err := r.Apply(st, moves...)
	if err != nil {
		return notReconciled(ev, ref.Order, err), nil, nil
	}
	step.put(ref.Order, next)
	return v, step, nil
}

// shelve records an order's goods on the holding shelf: what its lines
// have in totes, as the bench set them aside.
func shelve(r LifeRecord, station string, at time.Time, p floor.PackSetAsidePayload) LifeRecord {
	e := protocol.ShelfEntry{Location: p.Location, Station: station, Reason: p.Reason, Units: p.Units, Since: at}
	for _, l := range r.Lines {
		if n := l.InTote + l.Packed; n > 0 {
			e.Lines = append(e.Lines, protocol.LineQty{Line: l.Line, Qty: n})
		}
	}
	r.Shelf = append(slices.DeleteFunc(slices.Clone(r.Shelf), func(x protocol.ShelfEntry) bool { return x.Location == p.Location }), e)
	// A cancelled order's restock tasks now fetch the goods from the shelf.
	r.Restock = slices.Clone(r.Restock)
	for i := range r.Restock {
		r.Restock[i].From = p.Location
	}
	return r
}

// withdrawn gives a cancelled order's restock tasks what the cart said of
// its goods: which tote they are in and the location they go back to.
// Units of a SKU no open task holds yet (picked after the cancellation
// reached the hub) get tasks of their own.
func withdrawn(r LifeRecord, p floor.WithdrawPayload) LifeRecord {
	r.Restock = slices.Clone(r.Restock)
	for _, ret := range p.Returns {
		left := ret.Qty
		for i := range r.Restock {
			k := &r.Restock[i]
			if left == 0 || k.Done != nil || k.SKU != ret.SKU || k.To != "" {
				continue
			}
			k.From, k.To = "tote "+ret.Tote, ret.Location
			left -= min(left, k.Qty)
		}
	}
	return r
}

// restockRefusedPick makes a restock task of units picked for an order
// cancelled before the pick reached the hub: they are in a tote.
func restockRefusedPick(tx StoreTx, ls *lives, at time.Time, ev protocol.Event, ref protocol.OrderRef, v Verdict) (Verdict, *lifeStep, error) {
	var p floor.UnitsPayload
	if json.Unmarshal(ev.Payload, &p) != nil || p.Qty <= 0 {
		return v, nil, nil
	}
	r, _, _, err := ls.load(tx, ref.Order, nil)
	if err != nil {
		return v, nil, err
	}
	r.Restock = append(slices.Clone(r.Restock), protocol.RestockTask{Line: ref.Line, SKU: orElse(p.SKU, lineSKU(r, ref.Line)), Qty: p.Qty,
		From: "tote " + p.Tote, Reason: "picked after the order was cancelled", At: at})
	step := &lifeStep{}
	step.put(ref.Order, r)
	return v, step, nil
}

// shortRemainder is the move a short makes under the site's rule, with
// the new pick task when the remainder is offered again elsewhere.
func (s *Service) shortRemainder(tx StoreTx, ref protocol.OrderRef, p floor.ShortPayload) (Move, *protocol.Task, error) {
	backOrder := Move{MoveShortBackOrder, p.Short}
	set, err := settingsOf(tx)
	if err != nil || set.ShortRemainder != ShortReallocate {
		return backOrder, nil, err
	}
	wave, err := tx.OrderWave(ref.Order)
	if err != nil || wave == "" {
		return backOrder, nil, err
	}
	tasks, err := tx.WaveTasks(wave)
	if err != nil {
		return backOrder, nil, err
	}
	sku := p.SKU
	tried := map[string]bool{p.Location: true}
	last := 0
	for _, t := range tasks {
		last = max(last, t.SortKey)
		if t.Order == ref.Order && t.Line == ref.Line {
			tried[t.Location] = true
			sku = orElse(sku, t.SKU)
		}
	}
	others, err := tx.ItemLocations(sku)
	if err != nil {
		return backOrder, nil, err
	}
	for _, loc := range others {
		if tried[loc] {
			continue
		}
		return Move{MoveShortRealloc, p.Short}, &protocol.Task{Wave: wave, Order: ref.Order, Line: ref.Line, Location: loc,
			SKU: sku, Qty: p.Short, SortKey: last + 1}, nil
	}
	return backOrder, nil, nil // no other pick face holds it
}

// issueTasks adds pick tasks to their waves and sends each to its wave's
// station (a wave not yet assigned sends them when it is).
func issueTasks(tx StoreTx, tasks []protocol.Task) error {
	var feed []FeedEntry
	for _, t := range tasks {
		if err := tx.InsertTask(t); err != nil {
			return err
		}
		w, ok, err := tx.Wave(t.Wave)
		if err != nil {
			return err
		}
		if !ok || w.Station == "" {
			continue
		}
		// The store gave the task its id: read it back with its wave's.
		all, err := tx.WaveTasks(t.Wave)
		if err != nil {
			return err
		}
		for i := len(all) - 1; i >= 0; i-- {
			if all[i].Order == t.Order && all[i].Line == t.Line && all[i].Location == t.Location && all[i].SortKey == t.SortKey {
				feed = append(feed, FeedEntry{w.Station, protocol.Change{Kind: protocol.KindTask, Task: &all[i]}})
				break
			}
		}
		if w.Status == "done" {
			// The wave has work again.
			if err := tx.SetWaveStatus(t.Wave, "in_progress"); err != nil {
				return err
			}
			w.Status = "in_progress"
			feed = append(feed, FeedEntry{w.Station, protocol.Change{Kind: protocol.KindWave, Wave: &w}})
		}
	}
	return appendFeed(tx, feed)
}

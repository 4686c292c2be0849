package hub

import (
	"encoding/json"
	"slices"
	"sort"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// OrderView is an order as the facts hook compares it: what the hub holds
// for it at one moment inside a transaction.
type OrderView struct {
	Known     bool
	Order     OrderRecord
	Cancelled bool
	Holds     map[string]string // reason -> note
	Tallies   map[int]LineTally
	Parcels   map[string]ParcelRecord // by key
	// Carrier are the tracking numbers of the carrier labels the order
	// came with: a carton under one of them has the carrier's tracking.
	Carrier map[string]bool
}

// TrackingSource says whose a carton's tracking number is: the carrier's
// when a carrier label of the order has it, else the station's ("" for none).
func (v OrderView) TrackingSource(tracking string) string {
	switch {
	case tracking == "":
		return ""
	case v.Carrier[tracking]:
		return protocol.TrackingCarrier
	}
	return protocol.TrackingStation
}

// ViewOrder reads an order's view inside tx.
func ViewOrder(tx StoreTx, id string) (OrderView, error) {
	v := OrderView{Holds: map[string]string{}, Tallies: map[int]LineTally{}, Parcels: map[string]ParcelRecord{}, Carrier: map[string]bool{}}
	o, ok, err := tx.Order(id)
	if err != nil || !ok {
		return v, err
	}
	v.Known, v.Order, v.Cancelled = true, o, o.Status == string(floor.OrderCancelled)
	for _, h := range o.Holds {
		v.Holds[h.Reason] = h.Note
	}
	ts, err := tx.Tallies(id)
	if err != nil {
		return v, err
	}
	for _, t := range ts {
		v.Tallies[t.Line] = t
	}
	ps, err := tx.Parcels(id)
	if err != nil {
		return v, err
	}
	for _, p := range ps {
		v.Parcels[p.Key] = p
	}
	ls, err := tx.Labels(id)
	if err != nil {
		return v, err
	}
	for _, l := range ls {
		v.Carrier[l.Tracking] = true
	}
	return v, nil
}

// FactDraft is a fact before the store gives it its id and seq.
type FactDraft struct {
	Kind string
	Data any
}

// OrderFacts is the facts hook: given an order's view before and after a
// transaction's effects, the facts the OMS is to hear, in the order they
// happened. It is pure; a new fact is a new case here, whatever path
// (push, import, hold, cancel) changed the order.
func OrderFacts(before, after OrderView) []FactDraft {
	if !after.Known {
		return nil
	}
	var out []FactDraft
	add := func(kind string, data any) { out = append(out, FactDraft{kind, data}) }
	o := after.Order
	if !before.Known {
		d := protocol.FactOrder{ShipBy: o.ShipBy, Carrier: o.Carrier, Service: o.Service}
		for _, l := range o.Lines {
			d.Lines = append(d.Lines, protocol.FactLine(l))
		}
		add(protocol.FactAccepted, d)
	}
	for _, r := range sortedKeys(after.Holds) {
		if _, had := before.Holds[r]; !had {
			add(protocol.FactHeld, protocol.FactHold{Reason: r, Note: after.Holds[r]})
		}
	}
	for _, r := range sortedKeys(before.Holds) {
		if _, has := after.Holds[r]; !has {
			add(protocol.FactReleased, protocol.FactHold{Reason: r})
		}
	}
	for _, l := range o.Lines {
		if d := after.Tallies[l.Line].Short - before.Tallies[l.Line].Short; d > 0 {
			add(protocol.FactShort, protocol.FactShortLine{Line: l.Line, SKU: l.SKU, Ordered: l.Qty, Short: d, ShortTotal: after.Tallies[l.Line].Short})
		}
	}
	if pickDone(after) && !pickDone(before) {
		var pick, back protocol.FactPick
		for _, l := range o.Lines {
			t := after.Tallies[l.Line]
			pl := protocol.FactPickLine{Line: l.Line, SKU: l.SKU, Ordered: l.Qty, Picked: t.Picked, Short: t.Short}
			pick.Lines = append(pick.Lines, pl)
			if t.Short > 0 {
				back.Lines = append(back.Lines, pl)
			}
		}
		add(protocol.FactPicked, pick)
		if len(back.Lines) > 0 {
			add(protocol.FactBackordered, back)
		}
	}
	for _, status := range []string{ParcelPacked, ParcelVoided, ParcelShipped} {
		for _, sh := range movedTo(before, after, status) {
			add(map[string]string{ParcelPacked: protocol.FactPacked, ParcelVoided: protocol.FactLabelVoided, ParcelShipped: protocol.FactShipped}[status], sh)
		}
	}
	// order.returned is the life's fact (returnFacts): it carries the
	// condition and disposition the line counts do not know.
	if after.Cancelled && !before.Cancelled {
		add(protocol.FactCancelled, protocol.FactCancel{Reason: o.CancelReason})
	}
	return out
}

// pickDone: every line picked or short.
func pickDone(v OrderView) bool {
	if !v.Known || len(v.Order.Lines) == 0 {
		return false
	}
	for _, l := range v.Order.Lines {
		if t := v.Tallies[l.Line]; t.Picked+t.Short < l.Qty {
			return false
		}
	}
	return true
}

// reached: a carton shipped was packed too (a push may bring both).
func reached(now, status string) bool {
	return now == status || status == ParcelPacked && now == ParcelShipped
}

// movedTo lists, per shipment, the cartons that reached status in this
// transaction.
func movedTo(before, after OrderView, status string) []protocol.FactShipment {
	byShipment := map[string]*protocol.FactShipment{}
	var order []string
	for _, key := range sortedKeys(after.Parcels) {
		p := after.Parcels[key]
		if !reached(p.Status, status) || reached(before.Parcels[key].Status, status) {
			continue
		}
		sh, ok := byShipment[p.Shipment]
		if !ok {
			sh = &protocol.FactShipment{Shipment: p.Shipment, Carrier: orElse(p.Carrier, after.Order.Carrier), Service: after.Order.Service}
			byShipment[p.Shipment] = sh
			order = append(order, p.Shipment)
		}
		c := protocol.FactCarton{SSCC: p.SSCC, Tracking: p.Tracking, Carrier: orElse(p.Carrier, after.Order.Carrier)}
		c.TrackingSource = after.TrackingSource(p.Tracking)
		for _, l := range p.Lines {
			fl := protocol.FactLine{Line: l.Line, SKU: orderLineSKU(after.Order, l.Line), Qty: l.Qty}
			c.Lines = append(c.Lines, fl)
			i := slices.IndexFunc(sh.Lines, func(x protocol.FactLine) bool { return x.Line == l.Line })
			if i < 0 {
				sh.Lines = append(sh.Lines, fl)
			} else {
				sh.Lines[i].Qty += l.Qty
			}
		}
		sh.Cartons = append(sh.Cartons, c)
	}
	out := make([]protocol.FactShipment, 0, len(order))
	for _, s := range order {
		sh := byShipment[s]
		sort.Slice(sh.Lines, func(i, j int) bool { return sh.Lines[i].Line < sh.Lines[j].Line })
		out = append(out, *sh)
	}
	return out
}

func orderLineSKU(o OrderRecord, line int) string {
	for _, l := range o.Lines {
		if l.Line == line {
			return l.SKU
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// factTracker runs the hook in one transaction: Watch reads an order's
// view before the transaction touches it, Emit diffs every watched order
// with its view at the end and appends the facts.
//
// A push reads less (push mode): its reads come between its batched
// writes, and on PostgreSQL each one is a round trip. A push never changes
// an order's record, so the view keeps the record the push read anyway
// (WatchRecord); the tallies are read once before they are written
// (Settle: a push writes them at its end); the cartons only for orders
// whose cartons the batch moves (WatchParcels, before the first move).
type factTracker struct {
	tx     StoreTx
	at     time.Time
	before map[string]OrderView
	orders []string
	push   bool
	// parcels: orders whose cartons this push moves; changed: orders any
	// accepted effect of this push touches (no other can have a new fact).
	parcels, changed map[string]bool
}

func trackFacts(tx StoreTx, at time.Time) *factTracker {
	return &factTracker{tx: tx, at: at, before: map[string]OrderView{}}
}

func trackPushFacts(tx StoreTx, at time.Time) *factTracker {
	ft := trackFacts(tx, at)
	ft.push, ft.parcels, ft.changed = true, map[string]bool{}, map[string]bool{}
	return ft
}

// Watch reads the order's view unless it is watched already.
func (ft *factTracker) Watch(order string) error {
	if _, ok := ft.before[order]; ok || order == "" {
		return nil
	}
	v, err := ViewOrder(ft.tx, order)
	if err != nil {
		return err
	}
	ft.before[order] = v
	ft.orders = append(ft.orders, order)
	return nil
}

// WatchRecord starts a push's view of an order from the record it read.
func (ft *factTracker) WatchRecord(o OrderRecord, known bool) {
	if _, ok := ft.before[o.ID]; ok || o.ID == "" {
		return
	}
	v := OrderView{Known: known, Order: o, Cancelled: o.Status == string(floor.OrderCancelled), Holds: map[string]string{},
		Parcels: map[string]ParcelRecord{}, Carrier: map[string]bool{}}
	for _, h := range o.Holds {
		v.Holds[h.Reason] = h.Note
	}
	ft.before[o.ID] = v
	ft.orders = append(ft.orders, o.ID)
}

// WatchParcels notes the orders an accepted event's effects touch, and
// reads, before the effects move them, the cartons of the orders whose
// cartons they move.
func (ft *factTracker) WatchParcels(effects []Effect) error {
	for _, e := range effects {
		if ft.changed != nil && e.Order != "" {
			ft.changed[e.Order] = true
		}
		if e.Order == "" || (e.Parcel == nil && e.Shipment == nil) || ft.parcels[e.Order] {
			continue
		}
		v, ok := ft.before[e.Order]
		if !ok {
			continue
		}
		ps, err := ft.tx.Parcels(e.Order)
		if err != nil {
			return err
		}
		for _, p := range ps {
			v.Parcels[p.Key] = p
		}
		ft.parcels[e.Order] = true
	}
	return nil
}

// Settle reads a push's tallies before they are written.
func (ft *factTracker) Settle() error {
	for _, id := range ft.orders {
		v := ft.before[id]
		if !v.Known || !ft.changed[id] {
			continue
		}
		ts, err := ft.tx.Tallies(id)
		if err != nil {
			return err
		}
		v.Tallies = map[int]LineTally{}
		for _, t := range ts {
			v.Tallies[t.Line] = t
		}
		ft.before[id] = v
	}
	return nil
}

// after is an order's view at the end of the transaction.
func (ft *factTracker) after(id string) (OrderView, error) {
	if !ft.push {
		return ViewOrder(ft.tx, id)
	}
	b := ft.before[id]
	if !b.Known || !ft.changed[id] {
		return b, nil // nothing of it changed
	}
	v := OrderView{Known: true, Order: b.Order, Cancelled: b.Cancelled, Holds: b.Holds, Tallies: map[int]LineTally{},
		Parcels: b.Parcels, Carrier: map[string]bool{}}
	ts, err := ft.tx.Tallies(id)
	if err != nil {
		return v, err
	}
	for _, t := range ts {
		v.Tallies[t.Line] = t
	}
	if ft.parcels[id] {
		v.Parcels = map[string]ParcelRecord{}
		ps, err := ft.tx.Parcels(id)
		if err != nil {
			return v, err
		}
		for _, p := range ps {
			v.Parcels[p.Key] = p
		}
		ls, err := ft.tx.Labels(id)
		if err != nil {
			return v, err
		}
		for _, l := range ls {
			v.Carrier[l.Tracking] = true
		}
	}
	return v, nil
}

// Emit appends the watched orders' facts, order by order as first watched.
func (ft *factTracker) Emit() error {
	for _, id := range ft.orders {
		after, err := ft.after(id)
		if err != nil {
			return err
		}
		for _, d := range OrderFacts(ft.before[id], after) {
			data, err := json.Marshal(d.Data)
			if err != nil {
				return err
			}
			if _, err := ft.tx.AppendFact(protocol.Fact{Order: id, Kind: d.Kind, At: ft.at.UTC(), Data: data}); err != nil {
				return err
			}
		}
		ft.before[id] = after
	}
	return nil
}

package hub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Admission: every pushed event is checked against what the hub knows
// before any rule judges it, so a rule may trust that the event's id is
// its own, that the order line and SKU it names exist and agree, that its
// quantities fit what is open on the line, and that the station reports
// on its own work. A refused event is kept with its reason, acknowledged
// as rejected, and changes no total; a person sees it as a conflict.
//
// What is whose. Pick events (pick.*) and wave and tote events naming a
// wave come only from the station the wave is assigned to. Pack events
// may come from any bench (a tote can travel to any of them, and the hub
// does not yet know which bench holds it), but a carton may not hold
// more of a line than the order asks for.

// Conflict kinds of refused events.
const (
	ConflictDuplicateID = "duplicate-event-id"
	ConflictNotItsWork  = "not-its-work"
	ConflictBadEvent    = "invalid-event"
)

// admission checks one push's new events, in order, inside its
// transaction. Orders and waves are read once per push; line tallies are
// the push's own (ts), so an event sees the ones before it.
type admission struct {
	tx      StoreTx
	station string
	ts      tallies
	ids     map[string]int64    // event ids of this push, to their seq
	held    map[string]EventRef // of those, the ones the hub held before it
	orders  map[string]*OrderRecord
	waves   map[string]*protocol.Wave
	owner   map[string]string // order -> station its wave is assigned to ("" for none)
	bench   *string           // the pushing station's stated bench, once read (validate_bench.go)
}

func newAdmission(tx StoreTx, station string, ts tallies, events []protocol.Event) (*admission, error) {
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	held, err := tx.HeldEventIDs(ids)
	if err != nil {
		return nil, err
	}
	return &admission{tx: tx, station: station, ts: ts, ids: make(map[string]int64, len(events)), held: held,
		orders: map[string]*OrderRecord{}, waves: map[string]*protocol.Wave{}, owner: map[string]string{}}, nil
}

// refuse is a rejected verdict raising a conflict of kind.
func refuse(kind, format string, args ...any) Verdict {
	v := Reject(fmt.Sprintf(format, args...) + ": the event is kept without effect")
	v.Conflict = kind
	return v
}

// check gives the verdict on ev when admission refuses it, or a zero
// Verdict when the rules may judge it. An order the hub does not know,
// or one cancelled, is left to the rules, which say what to do with the
// goods.
func (a *admission) check(ev protocol.Event, ref protocol.OrderRef) (Verdict, error) {
	if seq, ok := a.ids[ev.ID]; ok {
		return refuse(ConflictDuplicateID, "event id %s is also sequence %d of this push: every event needs its own id", floor.Printable(ev.ID), seq), nil
	}
	a.ids[ev.ID] = ev.Seq
	if held, ok := a.held[ev.ID]; ok {
		return refuse(ConflictDuplicateID, "event id %s is already held at the hub as sequence %d of station %s: every event needs its own id",
			floor.Printable(ev.ID), held.Seq, held.Station), nil
	}
	family, _, _ := strings.Cut(ev.Type, ".")
	if family == "pack" || family == "dispatch" || family == "return" {
		if v, err := a.checkBench(family, ref.Order); err != nil || v.Status != "" {
			return v, err
		}
	}
	if ref.Order == "" {
		if ref.Wave != "" && (family == "wave" || family == "tote" || family == "pick") {
			return a.checkWave(ref.Wave)
		}
		return Verdict{}, nil
	}
	o, err := a.order(ref.Order)
	if err != nil || o == nil || o.Status == string(floor.OrderCancelled) {
		return Verdict{}, err
	}
	if family == "pick" {
		if v, err := a.checkOwner(ref.Order); err != nil || v.Status != "" {
			return v, err
		}
	}
	switch ev.Type {
	case string(floor.EvUnitsPicked), string(floor.EvPickUndone), string(floor.EvTaskShort):
		return a.checkPick(ev, ref, o)
	case "pack.label_requested":
		return a.checkCarton(ev, o)
	}
	return Verdict{}, nil
}

func (a *admission) order(id string) (*OrderRecord, error) {
	if o, ok := a.orders[id]; ok {
		return o, nil
	}
	o, ok, err := a.tx.Order(id)
	if err != nil {
		return nil, err
	}
	var p *OrderRecord
	if ok {
		p = &o
	}
	a.orders[id] = p
	return p, nil
}

// checkWave: a wave event comes from the station the wave is assigned to.
func (a *admission) checkWave(id string) (Verdict, error) {
	w, ok := a.waves[id]
	if !ok {
		got, found, err := a.tx.Wave(id)
		if err != nil {
			return Verdict{}, err
		}
		if found {
			w = &got
		}
		a.waves[id] = w
	}
	if w == nil {
		return refuse(ConflictBadEvent, "wave %s is not known at the hub", floor.Printable(id)), nil
	}
	if w.Station != a.station {
		return refuse(ConflictNotItsWork, "wave %s is assigned to %s, not to station %s", floor.Printable(id), stationOrNone(w.Station), a.station), nil
	}
	return Verdict{}, nil
}

// checkOwner: picks for an order come from the station its wave is
// assigned to.
func (a *admission) checkOwner(order string) (Verdict, error) {
	owner, ok := a.owner[order]
	if !ok {
		wave, err := a.tx.OrderWave(order)
		if err != nil {
			return Verdict{}, err
		}
		if wave != "" {
			w, found, err := a.tx.Wave(wave)
			if err != nil {
				return Verdict{}, err
			}
			if found {
				owner = w.Station
			}
		}
		a.owner[order] = owner
	}
	if owner != a.station {
		return refuse(ConflictNotItsWork, "order %s is picked by %s, not by station %s", floor.Printable(order), stationOrNone(owner), a.station), nil
	}
	return Verdict{}, nil
}

func stationOrNone(s string) string {
	if s == "" {
		return "no station"
	}
	return "station " + s
}

// findLine finds an order line.
func findLine(o *OrderRecord, n int) (protocol.OrderLine, bool) {
	for _, l := range o.Lines {
		if l.Line == n {
			return l, true
		}
	}
	return protocol.OrderLine{}, false
}

// checkPick: the line exists, the SKU is the line's, and the quantity is
// positive and fits: picked or short at most the line's quantity, undone
// at most what was picked.
func (a *admission) checkPick(ev protocol.Event, ref protocol.OrderRef, o *OrderRecord) (Verdict, error) {
	var p struct {
		SKU    string `json:"sku"`
		Qty    int64  `json:"qty"`
		Picked int64  `json:"picked"`
		Short  int64  `json:"short"`
	}
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return unreadable(ev, err), nil
	}
	l, ok := findLine(o, ref.Line)
	if !ok {
		return refuse(ConflictBadEvent, "order %s has no line %d", floor.Printable(o.ID), ref.Line), nil
	}
	if p.SKU != "" && !strings.EqualFold(p.SKU, l.SKU) {
		return refuse(ConflictBadEvent, "line %d of order %s is %s, not %s", l.Line, floor.Printable(o.ID), floor.Printable(l.SKU), floor.Printable(p.SKU)), nil
	}
	t, err := a.ts.get(a.tx, o.ID, l.Line)
	if err != nil {
		return Verdict{}, err
	}
	// An event's quantity is bounded here by the line's (so no sum can
	// overflow); whether the units are still open on the line is the
	// order life's reconciliation (orderlife.go), which knows what was
	// re-offered elsewhere, back-ordered or released again.
	ordered := int64(l.Qty)
	switch ev.Type {
	case string(floor.EvUnitsPicked):
		if p.Qty > ordered { // below 1 the rule refuses
			return refuse(ConflictBadEvent, "%d units picked on line %d of order %s, which asks for %d",
				p.Qty, l.Line, floor.Printable(o.ID), l.Qty), nil
		}
	case string(floor.EvPickUndone):
		if p.Qty < 1 || p.Qty > int64(t.Picked) {
			return refuse(ConflictBadEvent, "%d units undone on line %d of order %s, where %d are picked", p.Qty, l.Line, floor.Printable(o.ID), t.Picked), nil
		}
	case string(floor.EvTaskShort):
		if p.Short < 1 || p.Short > ordered || p.Picked < 0 {
			return refuse(ConflictBadEvent, "%d units short on line %d of order %s, which asks for %d", p.Short, l.Line, floor.Printable(o.ID), l.Qty), nil
		}
	}
	return Verdict{}, nil
}

// checkCarton: every line of a carton exists, and the order's cartons
// (not voided; this one counted once, as labelled now) hold at most what
// each line asks for.
func (a *admission) checkCarton(ev protocol.Event, o *OrderRecord) (Verdict, error) {
	var p packLabel
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return unreadable(ev, err), nil
	}
	key := p.SSCC
	if key == "" {
		key = p.Tracking
	}
	want := map[int]int64{}
	for _, cl := range p.Lines {
		if _, ok := findLine(o, cl.Line); !ok {
			return refuse(ConflictBadEvent, "the carton lists line %d, which order %s does not have", cl.Line, floor.Printable(o.ID)), nil
		}
		if cl.Qty < 1 {
			return Verdict{}, nil // the rule says what is wrong with it
		}
		want[cl.Line] += int64(cl.Qty)
	}
	if len(want) == 0 {
		return Verdict{}, nil
	}
	parcels, err := a.tx.Parcels(o.ID)
	if err != nil {
		return Verdict{}, err
	}
	for _, pc := range parcels {
		if pc.Status == ParcelVoided || pc.Key == key {
			continue
		}
		for _, pl := range pc.Lines {
			if _, ok := want[pl.Line]; ok {
				want[pl.Line] += int64(pl.Qty)
			}
		}
	}
	for _, l := range o.Lines {
		if n, ok := want[l.Line]; ok && n > int64(l.Qty) {
			return refuse(ConflictBadEvent, "order %s's cartons would hold %d units of line %d, which asks for %d", floor.Printable(o.ID), n, l.Line, l.Qty), nil
		}
	}
	return Verdict{}, nil
}

// get is the line's tally as this push has it so far.
func (ts tallies) get(tx StoreTx, order string, line int) (LineTally, error) {
	if t, ok := ts[tallyKey{order, line}]; ok {
		return *t, nil
	}
	t, err := tx.Tally(order, line)
	t.Line = line
	return t, err
}

// sameEvent reports whether a resent event is the one the hub holds under
// its sequence: same id, type, operator, device time and payload (JSON
// compared without insignificant space).
func sameEvent(held protocol.StoredEvent, ev protocol.Event) bool {
	if held.ID != ev.ID || held.Type != ev.Type || held.Operator != ev.Operator || !held.DeviceTime.Equal(ev.DeviceTime) {
		return false
	}
	if bytes.Equal(held.Payload, ev.Payload) {
		return true
	}
	var a, b bytes.Buffer
	return json.Compact(&a, held.Payload) == nil && json.Compact(&b, ev.Payload) == nil && bytes.Equal(a.Bytes(), b.Bytes())
}

package hub

import (
	"fmt"
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// What each resolution does at the hub, in the push's transaction. do
// answers why it cannot be done (the resolution is then refused and the
// exception stays open) before it writes anything.
type resolutionAct struct {
	tx   StoreTx
	ls   *lives
	ev   protocol.Event
	p    floor.ExceptionResolvedPayload
	ex   FloorException
	at   time.Time
	feed []FeedEntry
	wave string // reassign_wave: the wave moved
}

func (a *resolutionAct) do() (string, error) {
	switch a.p.Action {
	case floor.ResolveReleaseHeld:
		return a.releaseHeld()
	case floor.ResolveReturnHeld:
		return a.returnHeld()
	case floor.ResolveRerelease:
		return a.rerelease()
	case floor.ResolveRecount:
		return a.recount()
	case floor.ResolveReassignWave:
		return a.reassignWave()
	}
	// approve_short (the short is a back order already), label_printed
	// and reprint (the station acts on its notice), void: recorded and told.
	return "", nil
}

func (a *resolutionAct) order() string { return orElse(a.ex.Order, a.p.Order) }

// releaseHeld lifts the named hold, or every hold when none is named,
// and tells the stations that have the order.
func (a *resolutionAct) releaseHeld() (string, error) {
	order := a.order()
	if order == "" {
		return "", nil
	}
	o, ok, err := a.tx.Order(order)
	if err != nil || !ok {
		return "", err
	}
	lifted := false
	for _, h := range o.Holds {
		if a.p.Hold != "" && h.Reason != a.p.Hold {
			continue
		}
		gone, err := a.tx.DeleteHold(order, h.Reason)
		if err != nil {
			return "", err
		}
		lifted = lifted || gone
	}
	if !lifted {
		return "", nil
	}
	feed, err := tellStations(a.tx, order, protocol.KindHolds)
	if err != nil {
		return "", err
	}
	a.feed = append(a.feed, feed...)
	r, _, _, err := a.ls.load(a.tx, order, nil)
	if err != nil {
		return "", err
	}
	st, err := orderStanding(a.tx, order)
	if err != nil {
		return "", err
	}
	next, err := r.Apply(st)
	if err != nil {
		return "", nil // the life's state step waits for the floor
	}
	a.ls.put(order, next)
	return "", nil
}

// returnHeld sends the order's goods in totes (on the holding shelf)
// back to stock: each line's units in totes are restocked, with a
// restock task from the shelf.
func (a *resolutionAct) returnHeld() (string, error) {
	order := a.order()
	if order == "" {
		return "returning held goods needs the order they belong to", nil
	}
	r, st, _, err := a.ls.load(a.tx, order, nil)
	if err != nil {
		return "", err
	}
	from := orElse(r.ShelfLocation(), "tote")
	var moves []LineMove
	restock := slices.Clone(r.Restock)
	for _, l := range r.Lines {
		if l.InTote == 0 {
			continue
		}
		moves = append(moves, LineMove{l.Line, Move{MoveRestock, l.InTote}})
		restock = append(restock, protocol.RestockTask{Line: l.Line, SKU: l.SKU, Qty: l.InTote, From: from,
			Reason: a.p.Reason, At: a.at, Counted: true})
	}
	if len(moves) == 0 {
		return fmt.Sprintf("order %s has no goods in totes or on the shelf to return", floor.Printable(order)), nil
	}
	next, err := r.Apply(st, moves...)
	if err != nil {
		return fmt.Sprintf("order %s: %v", floor.Printable(order), err), nil
	}
	next.Restock, next.Shelf = restock, nil // off the shelf, back to stock
	a.ls.put(order, next)
	return "", nil
}

// rerelease offers the short remainder again from another location: the
// line's back-ordered units (at most the short) become open, with a new
// pick task there on the order's wave, sent to the wave's cart.
func (a *resolutionAct) rerelease() (string, error) {
	order, d := a.order(), a.ex.Detail
	if order == "" || d.Line == 0 {
		return "only a short pick's remainder can be re-released", nil
	}
	if a.p.Location == d.Location {
		return fmt.Sprintf("the remainder was short at %s: re-release it to another location", d.Location), nil
	}
	if _, ok, err := a.tx.Location(a.p.Location); err != nil || !ok {
		return fmt.Sprintf("location %s is not known at the office", floor.Printable(a.p.Location)), err
	}
	r, st, _, err := a.ls.load(a.tx, order, nil)
	if err != nil {
		return "", err
	}
	n := 0
	for _, l := range r.Lines {
		if l.Line == d.Line {
			n = min(l.BackOrdered, max(d.Qty, 1))
		}
	}
	if n == 0 {
		return fmt.Sprintf("order %s line %d has nothing back-ordered to re-release", floor.Printable(order), d.Line), nil
	}
	wave, err := a.tx.OrderWave(order)
	if err != nil {
		return "", err
	}
	if wave == "" {
		return fmt.Sprintf("order %s is on no wave: release its back order from the office", floor.Printable(order)), nil
	}
	next, err := r.Apply(st, LineMove{d.Line, Move{MoveRelease, n}})
	if err != nil {
		return fmt.Sprintf("order %s: %v", floor.Printable(order), err), nil
	}
	tasks, err := a.tx.WaveTasks(wave)
	if err != nil {
		return "", err
	}
	last := 0
	for _, t := range tasks {
		last = max(last, t.SortKey)
	}
	a.ls.put(order, next)
	return "", issueTasks(a.tx, []protocol.Task{{Wave: wave, Order: order, Line: d.Line, Location: a.p.Location,
		SKU: d.SKU, Qty: n, SortKey: last + 1}})
}

// recount sends a cycle-count task of the location to a cart: the one
// named, else the station that met the exception.
func (a *resolutionAct) recount() (string, error) {
	loc, cart := orElse(a.p.Location, a.ex.Detail.Location), orElse(a.p.Station, a.ex.Station)
	if loc == "" {
		return "a recount needs the location to count", nil
	}
	if cart == "" {
		return "a recount needs the cart that counts", nil
	}
	if _, ok, err := a.tx.Station(cart); err != nil || !ok {
		return fmt.Sprintf("station %s is not registered at the office", floor.Printable(cart)), err
	}
	c := protocol.Count{Exception: a.ex.ID, Station: cart, Location: loc, SKU: a.ex.Detail.SKU, Reason: a.p.Reason,
		Status: protocol.CountOpen, At: a.at}
	id, err := a.tx.InsertCount(c)
	if err != nil {
		return "", err
	}
	c.ID = id
	a.feed = append(a.feed, FeedEntry{cart, protocol.Change{Kind: protocol.KindCount, Count: &c}})
	return "", nil
}

// reassignWave moves a wave from a station that is down to another cart,
// whatever the floor had started: the new cart gets the wave's orders,
// the wave and the tasks of its lines not yet done at the hub (each for
// what is left of its line), and the old station learns the wave is no
// longer its own. From then on admission takes the wave's picks from
// the new cart only.
func (a *resolutionAct) reassignWave() (string, error) {
	id := orElse(a.p.Wave, a.ex.Detail.Wave)
	if id == "" && a.order() != "" {
		w, err := a.tx.OrderWave(a.order())
		if err != nil {
			return "", err
		}
		id = w
	}
	if id == "" {
		return "reassigning a wave needs the wave", nil
	}
	w, ok, err := a.tx.Wave(id)
	if err != nil || !ok {
		return fmt.Sprintf("wave %s is not known at the office", floor.Printable(id)), err
	}
	to := a.p.Station
	if to == w.Station {
		return fmt.Sprintf("wave %s is at %s already", id, to), nil
	}
	if _, ok, err := a.tx.Station(to); err != nil || !ok {
		return fmt.Sprintf("station %s is not registered at the office", floor.Printable(to)), err
	}
	if w.Status == "done" {
		return fmt.Sprintf("wave %s is done: nothing to reassign", id), nil
	}
	old := w.Station
	if err := a.tx.SetWaveStation(id, to); err != nil {
		return "", err
	}
	w.Station = to
	a.wave = id
	if old != "" && old == a.ex.Station {
		// The old station met the exception: its notice names the wave.
		a.feed = append(a.feed, FeedEntry{old, protocol.Change{Kind: protocol.KindWave, Wave: &w}})
	} else if old != "" {
		// The old station learns the wave is no longer its own, and its
		// picker is told in words who moved it and why.
		n := protocol.Notice{Exception: a.ev.Seq, Source: protocol.WaveMovedSource(a.ev.Station), Kind: a.ex.Kind,
			Action: a.p.Action, Reason: a.p.Reason, Supervisor: a.ev.Operator, Order: a.ex.Order, Wave: id, At: a.at,
			Text: floor.WaveMovedWords(id, to, a.ev.Operator, a.p.Reason)}
		a.feed = append(a.feed, FeedEntry{old, protocol.Change{Kind: protocol.KindWave, Wave: &w}},
			FeedEntry{old, protocol.Change{Kind: protocol.KindNotice, Notice: &n}})
	}
	tasks, err := a.tx.WaveTasks(id)
	if err != nil {
		return "", err
	}
	for _, o := range waveOrders(tasks) {
		rec, ok, err := a.tx.Order(o)
		if err != nil {
			return "", err
		}
		if ok {
			a.feed = append(a.feed, FeedEntry{to, protocol.Change{Kind: protocol.KindOrder, Order: &rec.Order}})
		}
	}
	a.feed = append(a.feed, FeedEntry{to, protocol.Change{Kind: protocol.KindWave, Wave: &w}})
	left := map[[2]any]int{} // what is left of each line, handed out task by task
	for i := range tasks {
		t := tasks[i]
		k := [2]any{t.Order, t.Line}
		if _, seen := left[k]; !seen {
			tl, err := a.tx.Tally(t.Order, t.Line)
			if err != nil {
				return "", err
			}
			due := 0
			for _, x := range tasks {
				if x.Order == t.Order && x.Line == t.Line {
					due += x.Qty
				}
			}
			left[k] = max(0, due-tl.Picked-tl.Short)
		}
		if left[k] == 0 {
			continue
		}
		q := min(t.Qty, left[k])
		left[k] -= q
		t.Qty = q
		a.feed = append(a.feed, FeedEntry{to, protocol.Change{Kind: protocol.KindTask, Task: &t}})
	}
	return "", nil
}

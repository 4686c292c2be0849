package hub

import (
	"context"
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// The office's actions on the order's life: holds and cancellations move
// its state (and a cancellation leaves restock tasks for goods already
// picked), and the OMS releases or closes a back order.

// standLife moves an order's life to its new standing (a hold placed or
// released, a cancellation), in the admin action's transaction. A
// cancellation cancels what was still to pick or back-ordered and makes a
// restock task of each line's goods in totes or cartons.
func standLife(tx StoreTx, order string, st Standing, at time.Time, cancelReason string) error {
	r, _, err := loadLife(tx, order)
	if err != nil {
		return err
	}
	var moves []LineMove
	if st.Cancelled {
		moves = append(moves, LineMove{0, Move{Kind: MoveCancel}})
		from := "tote"
		if len(r.Shelf) > 0 {
			from = r.Shelf[len(r.Shelf)-1].Location
		}
		r.Restock = slices.Clone(r.Restock)
		for _, l := range r.Lines {
			if l.InTote > 0 {
				r.Restock = append(r.Restock, protocol.RestockTask{Line: l.Line, SKU: l.SKU, Qty: l.InTote, From: from,
					Reason: orElse(cancelReason, "order cancelled"), At: at, Counted: true})
			}
			if l.Packed > 0 {
				r.Restock = append(r.Restock, protocol.RestockTask{Line: l.Line, SKU: l.SKU, Qty: l.Packed, From: "a labelled carton: unpack it",
					Reason: orElse(cancelReason, "order cancelled"), At: at, Counted: true})
			}
		}
	}
	next, err := r.Apply(st, moves...)
	if err != nil {
		return protocol.Errorf(protocol.CodeConflict, "order %s: %v", floor.Printable(order), err)
	}
	return tx.PutOrderLife(order, next)
}

// orderStanding is the order's standing read inside tx.
func orderStanding(tx StoreTx, order string) (Standing, error) {
	o, err := liveOrder(tx, order)
	return standingOf(o), err
}

// lifeAfterHolds moves the life after a hold was placed or released.
func lifeAfterHolds(tx StoreTx, order string, at time.Time) error {
	st, err := orderStanding(tx, order)
	if err != nil {
		return err
	}
	return standLife(tx, order, st, at, "")
}

// ReleaseBackOrder offers an order's back-ordered units again, when the
// OMS says stock has arrived: each line's back order becomes open, with a
// pick task at the item's home location on the order's wave (sent to the
// wave's station). An order on no wave gets its tasks when it is put on one.
func (s *Service) ReleaseBackOrder(ctx context.Context, order string, at time.Time) (protocol.ReleaseResult, error) {
	var res protocol.ReleaseResult
	err := s.store.Tx(ctx, func(tx StoreTx) error {
		res = protocol.ReleaseResult{Order: order} // a PostgreSQL store may run this again
		r, o, err := loadLife(tx, order)
		if err != nil {
			return err
		}
		st := standingOf(o)
		if st.Cancelled {
			return protocol.Errorf(protocol.CodeConflict, "order %s is cancelled: it has no back order to release", floor.Printable(order))
		}
		wave, err := tx.OrderWave(order)
		if err != nil {
			return err
		}
		last := 0
		if wave != "" {
			tasks, err := tx.WaveTasks(wave)
			if err != nil {
				return err
			}
			for _, t := range tasks {
				last = max(last, t.SortKey)
			}
		}
		var moves []LineMove
		var tasks []protocol.Task
		for _, l := range r.Lines {
			if l.BackOrdered == 0 {
				continue
			}
			moves = append(moves, LineMove{l.Line, Move{MoveRelease, l.BackOrdered}})
			res.Released += l.BackOrdered
			if wave == "" {
				continue
			}
			loc, ok, err := tx.ItemLocation(l.SKU)
			if err != nil {
				return err
			}
			if !ok || loc == "" {
				return protocol.Errorf(protocol.CodeConflict, "order %s line %d: item %s has no home location to pick the back order from; import the item with \"location\"",
					floor.Printable(order), l.Line, floor.Printable(l.SKU))
			}
			last++
			tasks = append(tasks, protocol.Task{Wave: wave, Order: order, Line: l.Line, Location: loc, SKU: l.SKU, Qty: l.BackOrdered, SortKey: last})
		}
		if len(moves) == 0 {
			return protocol.Errorf(protocol.CodeConflict, "order %s has no back order", floor.Printable(order))
		}
		next, err := r.Apply(st, moves...)
		if err != nil {
			return protocol.Errorf(protocol.CodeConflict, "order %s: %v", floor.Printable(order), err)
		}
		if err := tx.PutOrderLife(order, next); err != nil {
			return err
		}
		if err := appendLifeFacts(tx, order, r, next, false, at); err != nil {
			return err
		}
		res.Tasks, res.State = len(tasks), next.State
		return issueTasks(tx, tasks)
	})
	if err != nil {
		return protocol.ReleaseResult{Order: order}, err
	}
	return res, nil
}

// CloseBackOrder closes an order's back order when the OMS gives up on
// it: the back-ordered units are cancelled, and an order with nothing
// else due is closed.
func (s *Service) CloseBackOrder(ctx context.Context, order string, at time.Time) (protocol.ReleaseResult, error) {
	var res protocol.ReleaseResult
	err := s.store.Tx(ctx, func(tx StoreTx) error {
		res = protocol.ReleaseResult{Order: order} // a PostgreSQL store may run this again
		r, o, err := loadLife(tx, order)
		if err != nil {
			return err
		}
		var moves []LineMove
		for _, l := range r.Lines {
			if l.BackOrdered > 0 {
				moves = append(moves, LineMove{l.Line, Move{MoveCloseBackOrder, l.BackOrdered}})
				res.Released += l.BackOrdered
			}
		}
		if len(moves) == 0 {
			return protocol.Errorf(protocol.CodeConflict, "order %s has no back order", floor.Printable(order))
		}
		st := standingOf(o)
		next, err := r.Apply(st, moves...)
		if err != nil {
			return protocol.Errorf(protocol.CodeConflict, "order %s: %v", floor.Printable(order), err)
		}
		res.State = next.State
		if err := tx.PutOrderLife(order, next); err != nil {
			return err
		}
		return appendLifeFacts(tx, order, r, next, st.Cancelled, at)
	})
	if err != nil {
		return protocol.ReleaseResult{Order: order}, err
	}
	return res, nil
}

// RestockDone records that a cancelled order's goods are back in stock,
// as the office confirms: every open restock task is done, and the units
// it counted move to the lines' restocked.
func (s *Service) RestockDone(ctx context.Context, order string, at time.Time) (protocol.RestockResult, error) {
	var res protocol.RestockResult
	err := s.store.Tx(ctx, func(tx StoreTx) error {
		res = protocol.RestockResult{Order: order} // a PostgreSQL store may run this again
		r, o, err := loadLife(tx, order)
		if err != nil {
			return err
		}
		var moves []LineMove
		orig := r // its tasks stay as read: the clone below is marked done
		r.Restock = slices.Clone(r.Restock)
		done := at.UTC()
		for i, k := range r.Restock {
			if k.Done != nil {
				continue
			}
			left := k.Qty - k.Returned // the floor put some back already
			if k.Counted && left > 0 {
				moves = append(moves, LineMove{k.Line, Move{MoveRestock, left}})
			}
			r.Restock[i].Done = &done
			res.Tasks++
			res.Units += left
		}
		if res.Tasks == 0 {
			return protocol.Errorf(protocol.CodeConflict, "order %s has no restock task open", floor.Printable(order))
		}
		st := standingOf(o)
		next, err := r.Apply(st, moves...)
		if err != nil {
			return protocol.Errorf(protocol.CodeConflict, "order %s: %v", floor.Printable(order), err)
		}
		res.State = next.State
		if err := tx.PutOrderLife(order, next); err != nil {
			return err
		}
		return appendLifeFacts(tx, order, orig, next, st.Cancelled, at)
	})
	if err != nil {
		return protocol.RestockResult{Order: order}, err
	}
	return res, nil
}

// checkItemLocations refuses other pick faces the hub does not know (or
// given twice, or the item's home), then writes them.
func checkItemLocations(tx StoreTx, li Listed[protocol.Item]) error {
	it := li.R
	seen := map[string]bool{it.Location: it.Location != ""}
	for _, loc := range it.OtherLocations {
		if seen[loc] {
			return protocol.Errorf(protocol.CodeBadRequest, "item %d (%s): location %s is listed twice (home and other locations)%s; nothing was imported",
				li.N, floor.Printable(it.SKU), floor.Printable(loc), li.at("item"))
		}
		seen[loc] = true
		if _, ok, err := tx.Location(loc); err != nil || !ok {
			if err == nil {
				err = protocol.Errorf(protocol.CodeBadRequest, "item %d (%s): other location %s is not known; import the location first (or in the same request)%s; nothing was imported",
					li.N, floor.Printable(it.SKU), floor.Printable(loc), li.at("item"))
			}
			return err
		}
	}
	return tx.PutItemLocations(it.SKU, it.OtherLocations)
}

// fillLife adds the order's life to its read: state, each line's units by
// where they are, back orders, the holding shelf and restock tasks.
func fillLife(tx StoreTx, f *protocol.Fulfilment) error {
	r, _, err := loadLife(tx, f.Order)
	if err != nil {
		return err
	}
	f.State = r.State
	for _, l := range r.Lines {
		for i := range f.Lines {
			if f.Lines[i].Line != l.Line {
				continue
			}
			p := &f.Lines[i]
			p.Open, p.InTote, p.BackOrdered, p.Restocked, p.Cancelled = l.Open, l.InTote, l.BackOrdered, l.Restocked, l.Cancelled
			p.Picked, p.Short = l.Picked, l.Short
		}
		if l.BackOrdered > 0 {
			f.BackOrders = append(f.BackOrders, protocol.BackOrder{Line: l.Line, SKU: l.SKU, Qty: l.BackOrdered})
		}
	}
	f.HoldingShelf, f.RestockTasks, f.Returns = r.Shelf, r.Restock, r.Returns
	if f.State == protocol.StatePartiallyShipped || f.State == protocol.StateClosed {
		f.Status = f.State
	}
	return nil
}

// HoldingShelf lists the goods waiting on the site's holding shelves:
// every order's, by order.
func (s *Service) HoldingShelf(ctx context.Context) ([]protocol.ShelfEntry, error) {
	var out []protocol.ShelfEntry
	err := s.store.Read(ctx, func(tx StoreTx) error {
		out = nil
		orders, err := tx.ShelvedOrders()
		if err != nil {
			return err
		}
		for _, o := range orders {
			r, ok, err := tx.OrderLife(o)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			for _, e := range r.Shelf {
				e.Order = o
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

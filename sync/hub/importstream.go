package hub

import (
	"context"
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// ImportOrderStream writes the orders as they are read, in one
// transaction: all or none, whatever fails (an order the hub refuses, or
// the reading itself, e.g. a body cut short). Only the order being
// written is held, with its facts and feed entries, so an import's size
// does not decide the hub's memory.
//
// A new order is added; an order not yet on a wave is replaced; an order
// on a wave may change its own fields (the stations that have it are
// told) but not its lines; a cancelled order is refused. An order listed
// twice is imported twice, in turn, as by two imports.
func (s *Service) ImportOrderStream(ctx context.Context, orders Orders, at time.Time) (protocol.ImportResult, error) {
	n := 0
	err := s.told(s.store.Tx(ctx, func(tx StoreTx) error {
		n = 0 // a store may run the transaction again, from the first order
		// Read in the transaction: the import is judged by the settings
		// it commits under.
		set, err := settingsOf(tx)
		if err != nil {
			return err
		}
		for o, err := range orders {
			if err != nil {
				return protocol.Errorf(protocol.CodeBadRequest, "%v; nothing was imported", err)
			}
			n++
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := CheckOrder(o); err != nil {
				return protocol.Errorf(protocol.CodeBadRequest, "order %d: %v; nothing was imported", n, err)
			}
			if err := importOrder(tx, set, n, o, at); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil {
		return protocol.ImportResult{}, err
	}
	return protocol.ImportResult{Orders: n}, nil
}

// importOrder writes the nth order of an import, with its facts and the
// news for the stations that have it.
func importOrder(tx StoreTx, set Settings, n int, o protocol.Order, at time.Time) error {
	facts := trackFacts(tx, at)
	if err := facts.Watch(o.ID); err != nil {
		return err
	}
	if err := CheckShipping(o, set); err != nil {
		return protocol.Errorf(protocol.CodeBadRequest, "order %d: %v; nothing was imported", n, err)
	}
	for _, l := range o.Lines {
		folded, err := tx.SKUsFolded(l.SKU)
		if err != nil {
			return err
		}
		if !slices.Contains(folded, l.SKU) {
			hint := "import the item first"
			if len(folded) > 0 {
				hint = "the hub has " + floor.Printable(folded[0]) + ": write the SKU as the item has it"
			}
			return protocol.Errorf(protocol.CodeConflict, "order %s line %d: SKU %s is not known at the hub; %s; nothing was imported", o.ID, l.Line, floor.Printable(l.SKU), hint)
		}
	}
	cur, exists, err := tx.Order(o.ID)
	if err != nil {
		return err
	}
	if exists && cur.Status == string(floor.OrderCancelled) {
		return protocol.Errorf(protocol.CodeConflict, "order %s was cancelled; import it under a new id; nothing was imported", o.ID)
	}
	wave, err := tx.OrderWave(o.ID)
	if err != nil {
		return err
	}
	if err := tx.PutOrder(o, at); err != nil {
		return err
	}
	if wave != "" {
		if !sameLines(cur.Lines, o.Lines) {
			return protocol.Errorf(protocol.CodeConflict, "order %s is already on wave %s: its lines cannot change (cancel it and import it under a new id); nothing was imported", o.ID, wave)
		}
	} else if err := tx.ReplaceOrderLines(o.ID, o.Lines); err != nil {
		return err
	}
	for _, h := range o.Holds {
		if err := tx.PutHold(o.ID, h, at); err != nil {
			return err
		}
	}
	if err := facts.Emit(); err != nil {
		return err
	}
	if wave == "" {
		return nil
	}
	told, err := tellStations(tx, o.ID, protocol.KindOrder)
	if err != nil {
		return err
	}
	return appendFeed(tx, told)
}

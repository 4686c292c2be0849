package hub

import (
	"slices"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// The floor's restock. A cart puts a cancelled order's goods back where
// they came from and records each line (stock.returned: the tote, the
// SKU, the units and the location). The hub counts them against the
// order's open restock tasks of that SKU, those from that tote first; a
// task whose units are all back is done, and the counted units move from
// the line's in-tote (or packed) to restocked. Units no open task holds
// (the office confirmed first, POST …/restocked) change nothing.

// stockReturned applies a stock.returned to the life's restock tasks, and
// gives the moves it makes.
func stockReturned(r LifeRecord, at time.Time, p floor.StockReturnedPayload) (LifeRecord, []LineMove) {
	if p.Qty <= 0 {
		return r, nil
	}
	r.Restock = slices.Clone(r.Restock)
	left := p.Qty
	var moves []LineMove
	take := func(fromTote bool) {
		for i := range r.Restock {
			k := &r.Restock[i]
			if left == 0 || k.Done != nil || k.SKU != p.SKU || (k.From == "tote "+p.Tote) != fromTote {
				continue
			}
			n := min(left, k.Qty-k.Returned)
			if n <= 0 {
				continue
			}
			k.Returned += n
			left -= n
			if k.To == "" {
				k.To = p.Location
			}
			if k.Counted {
				moves = append(moves, LineMove{k.Line, Move{MoveRestock, n}})
			}
			if k.Returned == k.Qty {
				done := at.UTC()
				k.Done = &done
			}
		}
	}
	take(true)
	take(false)
	return r, moves
}

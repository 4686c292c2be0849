package hub

import (
	"encoding/json"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// LifeFacts is the facts hook of the order's life: given its life record
// before and after a transaction (and whether the order is cancelled), the
// facts the line counts of OrderFacts cannot tell: a back order released
// or closed, the order closed by that, and a cancellation the floor has
// finished (its goods back in stock). Pure, like OrderFacts.
func LifeFacts(before, after LifeRecord, cancelled bool) []FactDraft {
	var out []FactDraft
	prev := map[int]protocol.LineLife{}
	for _, l := range before.Lines {
		prev[l.Line] = l
	}
	var released, closed protocol.FactBackOrder
	for _, l := range after.Lines {
		p, ok := prev[l.Line]
		if !ok {
			continue
		}
		gone := p.BackOrdered - l.BackOrdered
		if gone <= 0 {
			continue
		}
		if d := min(gone, l.Released-p.Released); d > 0 {
			released.Lines = append(released.Lines, protocol.FactLine{Line: l.Line, SKU: l.SKU, Qty: d})
		}
		if d := min(gone, l.Cancelled-p.Cancelled); d > 0 && !cancelled {
			closed.Lines = append(closed.Lines, protocol.FactLine{Line: l.Line, SKU: l.SKU, Qty: d})
		}
	}
	if len(released.Lines) > 0 {
		released.State = after.State
		out = append(out, FactDraft{protocol.FactBackorderReleased, released})
	}
	if len(closed.Lines) > 0 {
		closed.State = after.State
		out = append(out, FactDraft{protocol.FactBackorderClosed, closed})
	}
	if cancelled && openRestock(before) > 0 && openRestock(after) == 0 {
		var ack protocol.FactCancelAck
		for _, l := range after.Lines {
			if d := l.Restocked - prev[l.Line].Restocked; d > 0 {
				ack.Restocked = append(ack.Restocked, protocol.FactLine{Line: l.Line, SKU: l.SKU, Qty: d})
			}
		}
		out = append(out, FactDraft{protocol.FactCancelAcknowledged, ack})
	}
	return append(out, returnFacts(before, after)...)
}

// openRestock counts the restock tasks not yet done.
func openRestock(r LifeRecord) int {
	n := 0
	for _, k := range r.Restock {
		if k.Done == nil {
			n++
		}
	}
	return n
}

// appendLifeFacts appends LifeFacts in tx.
func appendLifeFacts(tx StoreTx, order string, before, after LifeRecord, cancelled bool, at time.Time) error {
	for _, d := range LifeFacts(before, after, cancelled) {
		data, err := json.Marshal(d.Data)
		if err != nil {
			return err
		}
		if _, err := tx.AppendFact(protocol.Fact{Order: order, Kind: d.Kind, At: at.UTC(), Data: data}); err != nil {
			return err
		}
	}
	return nil
}

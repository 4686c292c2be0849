package hubtest

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() { plugIn("ImportStreamAllOrNone", importStream) }

// streamOf makes n orders P-00001… one at a time; the order at bad (from
// 1) names an unknown SKU, and after them comes end (a read error) unless
// it is nil.
func streamOf(n, bad int, end error) hub.Orders {
	return func(yield func(protocol.Order, error) bool) {
		for i := 1; i <= n; i++ {
			sku := "MUG-1"
			if i == bad {
				sku = "NOPE-1"
			}
			o := protocol.Order{ID: fmt.Sprintf("P-%05d", i), ShipTo: addr, Holds: []protocol.Hold{{Reason: "CHECK"}},
				Lines: []protocol.OrderLine{{Line: 1, SKU: sku, Qty: 1 + i%3}, {Line: 2, SKU: "CUP-1", Qty: 1}}}
			if !yield(o, nil) {
				return
			}
		}
		if end != nil {
			yield(protocol.Order{}, end)
		}
	}
}

// factsSoFar counts the hub's facts by kind.
func factsSoFar(t *testing.T, h *hub.Service) map[string]int {
	t.Helper()
	out := map[string]int{}
	after := int64(0)
	for {
		p, err := h.Facts(ctx, after, 0)
		must(t, err)
		for _, f := range p.Facts {
			out[f.Kind]++
		}
		if len(p.Facts) == 0 {
			return out
		}
		after = p.Next
	}
}

// importStream: an import read as it goes is still all or none. A read
// error or a refused order after hundreds of orders leaves nothing of them
// (no order, no fact); the same orders again change nothing; an order
// listed twice ends as its later copy.
func importStream(t *testing.T, h *hub.Service) {
	site(t, h, 0)
	const n = 600
	before := factsSoFar(t, h)
	_, err := h.ImportOrderStream(ctx, streamOf(n, 0, io.ErrUnexpectedEOF), at)
	wantCode(t, err, protocol.CodeBadRequest, "a stream cut short after 600 orders")
	if !contains(err, "unexpected EOF") {
		t.Fatalf("the refusal %q does not say the body was cut short", err)
	}
	_, err = h.ImportOrderStream(ctx, streamOf(n, 450, nil), at)
	wantCode(t, err, protocol.CodeConflict, "order 450 of 600 names an unknown SKU")
	if !contains(err, "P-00450") {
		t.Fatalf("the refusal %q does not name the order", err)
	}
	for _, id := range []string{"P-00001", "P-00449"} {
		_, err = h.Fulfilment(ctx, id)
		wantCode(t, err, protocol.CodeNotFound, id+" of a refused import")
	}
	if got := factsSoFar(t, h); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("refused imports left facts: %v, before %v", got, before)
	}

	res, err := h.ImportOrderStream(ctx, streamOf(n, 0, nil), at)
	must(t, err)
	if res.Orders != n {
		t.Fatalf("imported %d orders, want %d", res.Orders, n)
	}
	once := factsSoFar(t, h)
	if once[protocol.FactAccepted]-before[protocol.FactAccepted] != n || once[protocol.FactHeld]-before[protocol.FactHeld] != n {
		t.Fatalf("facts after %d new orders: %v (before %v)", n, once, before)
	}
	f, err := h.Fulfilment(ctx, "P-00599")
	must(t, err)
	if len(f.Lines) != 2 || f.Lines[0].Qty != 1+599%3 {
		t.Fatalf("P-00599 reads %+v", f.Lines)
	}
	// Idempotent: the same import again tells nothing new.
	_, err = h.ImportOrderStream(ctx, streamOf(n, 0, nil), at.Add(1))
	must(t, err)
	if again := factsSoFar(t, h); fmt.Sprint(again) != fmt.Sprint(once) {
		t.Fatalf("the same import again added facts: %v, after the first %v", again, once)
	}

	twice := []protocol.Order{
		{ID: "P-TWICE", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}},
		{ID: "P-TWICE", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 4}, {Line: 2, SKU: "CUP-1", Qty: 1}}},
	}
	_, err = h.ImportOrderStream(ctx, hub.OrderList(twice), at)
	must(t, err)
	f, err = h.Fulfilment(ctx, "P-TWICE")
	must(t, err)
	if len(f.Lines) != 2 || f.Lines[0].Qty != 4 {
		t.Fatalf("an order listed twice reads %+v, want its later copy", f.Lines)
	}
	res, err = h.ImportOrderStream(ctx, hub.OrderList(nil), at)
	if err != nil || res.Orders != 0 {
		t.Fatalf("an import of no orders: %+v, %v", res, err)
	}
}

func contains(err error, s string) bool {
	return err != nil && strings.Contains(err.Error(), s)
}

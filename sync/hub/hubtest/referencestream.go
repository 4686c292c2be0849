package hubtest

import (
	"fmt"
	"io"
	"testing"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() { plugIn("ReferenceStreamAllOrNone", referenceStream) }

// refStreamOf makes an operator, n locations R-00001… and n items
// RI-00001… (each at its location), one at a time; the item at bad
// (from 1) is at an unknown location, the one at twin is MUG-1 in
// lower case, and after the items comes end (a read error) unless nil.
func refStreamOf(n, bad, twin int, end error) hub.ReferenceStream {
	return hub.ReferenceStream{
		Operators: func(yield func(hub.Listed[protocol.Operator], error) bool) {
			yield(hub.Listed[protocol.Operator]{N: 1, R: protocol.Operator{Badge: "B-R1", Name: "Rae", Roles: []string{"picker"}}}, nil)
		},
		Locations: func(yield func(hub.Listed[protocol.Location], error) bool) {
			for i := 1; i <= n; i++ {
				if !yield(hub.Listed[protocol.Location]{N: i, End: int64(100 * i), R: protocol.Location{Code: fmt.Sprintf("R-%05d", i), Zone: "R", WalkSeq: i}}, nil) {
					return
				}
			}
		},
		Items: func(yield func(hub.Listed[protocol.Item], error) bool) {
			for i := 1; i <= n; i++ {
				it := protocol.Item{SKU: fmt.Sprintf("RI-%05d", i), Description: "Ring binder", Location: fmt.Sprintf("R-%05d", i)}
				switch i {
				case bad:
					it.Location = "NOPE-1"
				case twin:
					it.SKU = "mug-1"
				}
				if !yield(hub.Listed[protocol.Item]{N: i, End: int64(100*n + 100*i), R: it}, nil) {
					return
				}
			}
			if end != nil {
				yield(hub.Listed[protocol.Item]{}, end)
			}
		},
	}
}

// referenceChanges counts the reference changes of a station's feed
// after cursor, by kind.
func referenceChanges(t *testing.T, h *hub.Service, station, cursor string) (map[string]int, string) {
	t.Helper()
	pages, cursor := pullAll(t, h, station, cursor, 1000)
	out := map[string]int{}
	for _, c := range changes(pages) {
		switch c.Kind {
		case protocol.KindOperator, protocol.KindLocation, protocol.KindItem:
			out[c.Kind]++
		}
	}
	return out, cursor
}

// referenceStream: a reference import read as it goes is still all or
// none. A read error, an item at an unknown location or a case twin of
// the hub's item after hundreds of records leaves nothing of them (no
// item, no location, no change in the feed), and the refusal names the
// item and its byte; a record that fails its own checks is refused
// whoever read it; a good one writes every record, locations before
// items, and tells every station.
func referenceStream(t *testing.T, h *hub.Service) {
	site(t, h, 0)
	register(t, h, "CART-01")
	_, cursor := referenceChanges(t, h, "CART-01", "")
	const n = 400
	_, err := h.ImportReferenceStream(ctx, refStreamOf(n, 0, 0, io.ErrUnexpectedEOF))
	wantCode(t, err, protocol.CodeBadRequest, "a stream cut short after 400 items")
	if !contains(err, "unexpected EOF") {
		t.Fatalf("the refusal %q does not say the body was cut short", err)
	}
	_, err = h.ImportReferenceStream(ctx, refStreamOf(n, 350, 0, nil))
	wantCode(t, err, protocol.CodeBadRequest, "item 350 of 400 at an unknown location")
	if !contains(err, "item 350 (RI-00350): location NOPE-1 is not known") || !contains(err, "item 350 ends at byte 75000") {
		t.Fatalf("the refusal %q does not name the item and its byte", err)
	}
	_, err = h.ImportReferenceStream(ctx, refStreamOf(n, 0, 300, nil))
	wantCode(t, err, protocol.CodeConflict, "item 300 of 400 a case twin of the hub's MUG-1")
	if !contains(err, "item 300 (mug-1): the hub has item MUG-1") {
		t.Fatalf("the refusal %q does not name the item", err)
	}
	// Each record is checked alone again, whoever read the records.
	_, err = h.ImportReferenceStream(ctx, hub.ReferenceStream{Locations: func(yield func(hub.Listed[protocol.Location], error) bool) {
		yield(hub.Listed[protocol.Location]{N: 1, R: protocol.Location{Code: "R-\x1b[2J"}}, nil)
	}})
	wantCode(t, err, protocol.CodeBadRequest, "a location code with a control character")
	_, err = h.ImportReferenceStream(ctx, hub.ReferenceStream{Operators: func(yield func(hub.Listed[protocol.Operator], error) bool) {
		yield(hub.Listed[protocol.Operator]{N: 1, R: protocol.Operator{Badge: "B-R2", Name: "Sam", Roles: []string{"picker"}, PIN: "12"}}, nil)
	}})
	wantCode(t, err, protocol.CodeBadRequest, "a PIN shorter than the site's")
	if got, _ := referenceChanges(t, h, "CART-01", cursor); len(got) != 0 {
		t.Fatalf("refused imports told the stations %v", got)
	}
	// Neither the locations nor the items of the refused imports are known.
	_, err = h.ImportReference(ctx, protocol.Reference{Items: []protocol.Item{{SKU: "PROBE-1", Description: "Probe", Location: "R-00001"}}})
	wantCode(t, err, protocol.CodeBadRequest, "an item at a location of a refused import")
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-R", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "RI-00001", Qty: 1}}}}, at)
	wantCode(t, err, protocol.CodeConflict, "an order of an item of a refused import")

	res, err := h.ImportReferenceStream(ctx, refStreamOf(n, 0, 0, nil))
	must(t, err)
	if res != (protocol.ImportResult{Operators: 1, Locations: n, Items: n}) {
		t.Fatalf("imported %+v, want 1 operator, %d locations and %d items", res, n, n)
	}
	got, _ := referenceChanges(t, h, "CART-01", cursor)
	if got[protocol.KindOperator] != 1 || got[protocol.KindLocation] != n || got[protocol.KindItem] != n {
		t.Fatalf("the station was told %v", got)
	}
	_, err = h.ImportOrders(ctx, []protocol.Order{{ID: "SO-R", ShipTo: addr, Lines: []protocol.OrderLine{{Line: 1, SKU: "RI-00400", Qty: 1}}}}, at)
	must(t, err)
	res, err = h.ImportReferenceStream(ctx, hub.ReferenceStream{})
	if err != nil || res != (protocol.ImportResult{}) {
		t.Fatalf("an import of nothing: %+v, %v", res, err)
	}
}

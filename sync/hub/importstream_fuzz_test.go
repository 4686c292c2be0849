package hub_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// FuzzDecodeOrdersJSON: the streaming decoder never panics, always says
// why it refuses, and agrees with decoding the whole body at once: what it
// takes, a whole decode takes as the same orders; what a whole decode
// takes (with orders), it takes too, unless "orders" comes twice (which a
// whole decode lets the later list win and it refuses).
func FuzzDecodeOrdersJSON(f *testing.F) {
	f.Add([]byte(`{"orders":[{"id":"SO-1","lines":[{"line":1,"sku":"MUG-1","qty":2}]}]}`))
	f.Add([]byte(`{"Orders":null}`))
	f.Add([]byte(`{"orders":[{"id":"A","lines":[]},{"id":"B","lines":[],"x":1}]}`))
	f.Add([]byte(`{"orders":[{"id":"A","lines":[]}]} {}`))
	f.Add([]byte(`{"orders":[{"id":"A","lines":[{"line":1,`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var streamed []protocol.Order
		var serr error
		for o, err := range hub.DecodeOrdersJSON(bytes.NewReader(body)) {
			if err != nil {
				serr = err
				if err.Error() == "" {
					t.Fatal("a refusal without a reason")
				}
				break
			}
			streamed = append(streamed, o)
		}
		var whole protocol.OrderImport
		werr := decodeWhole(body, &whole)
		if serr == nil {
			if werr != nil {
				t.Fatalf("streamed %d orders from a body a whole decode refuses: %v", len(streamed), werr)
			}
			if !reflect.DeepEqual(streamed, whole.Orders) {
				t.Fatalf("streamed %+v, a whole decode gives %+v", streamed, whole.Orders)
			}
			return
		}
		if werr == nil && len(whole.Orders) > 0 && !strings.Contains(serr.Error(), "twice") {
			t.Fatalf("refused %q, which a whole decode takes (%d orders): %v", body, len(whole.Orders), serr)
		}
	})
}

// FuzzDecodeReferenceJSON: the streaming reference decoder never panics,
// always says why it refuses, numbers each list's records from 1 and
// places each record within the body, and agrees with decoding the whole
// body at once: what it takes, a whole decode takes as the same records;
// what a whole decode takes (with records), it takes too, unless a list
// comes twice (which a whole decode lets the later list win and it
// refuses).
func FuzzDecodeReferenceJSON(f *testing.F) {
	f.Add([]byte(`{"items":[{"sku":"MUG-1","description":"Mug","location":"A-01"}],"locations":[{"code":"A-01","walk_seq":1}]}`))
	f.Add([]byte(`{"Operators":null,"ITEMS":[]}`))
	f.Add([]byte(`{"locations":[{"code":"A"}],"locations":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var streamed protocol.Reference
		var serr error
		var lastEnd int64
		for rec, err := range hub.DecodeReferenceJSON(bytes.NewReader(body)) {
			if err != nil {
				serr = err
				if err.Error() == "" {
					t.Fatal("a refusal without a reason")
				}
				break
			}
			if rec.End <= lastEnd || rec.End > int64(len(body)) {
				t.Fatalf("a record placed at byte %d, after one at %d, in a body of %d", rec.End, lastEnd, len(body))
			}
			lastEnd = rec.End
			var n int
			switch {
			case rec.Operator != nil:
				streamed.Operators = append(streamed.Operators, *rec.Operator)
				n = len(streamed.Operators)
			case rec.Location != nil:
				streamed.Locations = append(streamed.Locations, *rec.Location)
				n = len(streamed.Locations)
			case rec.Item != nil:
				streamed.Items = append(streamed.Items, *rec.Item)
				n = len(streamed.Items)
			default:
				t.Fatal("a record of no kind")
			}
			if rec.N != n {
				t.Fatalf("record numbered %d, the %dth of its list", rec.N, n)
			}
		}
		var whole protocol.Reference
		werr := decodeWhole(body, &whole)
		if serr == nil {
			if werr != nil {
				t.Fatalf("streamed %+v from a body a whole decode refuses: %v", streamed, werr)
			}
			if !reflect.DeepEqual(noEmpty(streamed), noEmpty(whole)) {
				t.Fatalf("streamed %+v, a whole decode gives %+v", streamed, whole)
			}
			return
		}
		records := len(whole.Operators) + len(whole.Locations) + len(whole.Items)
		if werr == nil && records > 0 && !strings.Contains(serr.Error(), "twice") {
			t.Fatalf("refused %q, which a whole decode takes (%d records): %v", body, records, serr)
		}
	})
}

// noEmpty makes an empty list none, as a stream gives it.
func noEmpty(r protocol.Reference) protocol.Reference {
	if len(r.Operators) == 0 {
		r.Operators = nil
	}
	if len(r.Locations) == 0 {
		r.Locations = nil
	}
	if len(r.Items) == 0 {
		r.Items = nil
	}
	return r
}

// decodeWhole decodes body at once, as the admin API did before it
// streamed: one value, unknown fields refused, nothing after it.
func decodeWhole(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("more after the value")
	}
	return nil
}

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
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		werr := dec.Decode(&whole)
		if werr == nil {
			if _, err := dec.Token(); !errors.Is(err, io.EOF) {
				werr = errors.New("more after the value")
			}
		}
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

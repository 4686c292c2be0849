package protocol

import (
	"encoding/json"
	"testing"
)

// FuzzReturnable: any feed change is either refused by Check or, when it
// is a returnable order, one with an order number and lines that read
// (positive line numbers, a SKU, no negative counts).
func FuzzReturnable(f *testing.F) {
	f.Add(`{"seq":1,"kind":"returnable","returnable":{"order":"SO-1","ssccs":["006141410000000017"],"lines":[{"line":1,"sku":"MUG-1","shipped":2,"returned":1}],"counted":["e1"]}}`)
	f.Add(`{"seq":2,"kind":"returnable","returnable":{"order":"","lines":[]}}`)
	f.Add(`{"seq":3,"kind":"returnable","returnable":{"order":"SO-1","lines":[{"line":0,"sku":"","shipped":-1}]}}`)
	f.Add(`{"seq":4,"kind":"returnable"}`)
	f.Fuzz(func(t *testing.T, s string) {
		var c Change
		if json.Unmarshal([]byte(s), &c) != nil || c.Check() != nil || c.Kind != KindReturnable {
			return
		}
		if err := c.Returnable.Check(); err != nil {
			return
		}
		r := c.Returnable
		if r.Order == "" {
			t.Fatalf("a returnable order without a number passed: %q", s)
		}
		for _, l := range r.Lines {
			if l.Line < 1 || l.SKU == "" || l.Shipped < 0 || l.Returned < 0 {
				t.Fatalf("line %+v passed: %q", l, s)
			}
		}
	})
}

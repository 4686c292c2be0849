package shopify_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/totewms/tote/sync/shopify"
)

// FuzzToOrder: any fulfillment order Shopify could send maps to an order
// or a rejection, never a crash; an order it maps has lines with a SKU
// and a quantity, each tied to its line item.
func FuzzToOrder(f *testing.F) {
	f.Add(`{"id":"gid://shopify/FulfillmentOrder/1","fulfillBy":"2026-03-04T17:00:00Z","order":{"name":"#1001"},
		"destination":{"firstName":"Olivia","city":"Springfield","countryCode":"US"},
		"fulfillmentHolds":[{"id":"h","reason":"HIGH_RISK_OF_FRAUD","reasonNotes":"card"}],
		"lineItems":{"nodes":[{"id":"li1","sku":"MUG-1","totalQuantity":2,"remainingQuantity":2}]}}`)
	f.Add(`{"id":"gid://shopify/FulfillmentOrder/x"}`)
	f.Add(`{"id":"gid://shopify/FulfillmentOrder/2","fulfillBy":"tomorrow","lineItems":{"nodes":[{"id":"a","sku":null,"remainingQuantity":1}]}}`)
	f.Add(`{"id":"gid://shopify/FulfillmentOrder/3","destination":{"firstName":"^XA^FDx^XZ","city":"\u001b[2J"},"lineItems":{"nodes":[{"id":"a","sku":" ","remainingQuantity":-4}]}}`)
	f.Fuzz(func(t *testing.T, data string) {
		var fo shopify.FulfillmentOrder
		if json.Unmarshal([]byte(data), &fo) != nil {
			return
		}
		o, link, refusal := shopify.ToOrder(fo)
		if refusal != nil {
			if refusal.Reason == "" || refusal.Message == "" {
				t.Fatalf("a rejection without reason or words: %+v", refusal)
			}
			return
		}
		if !strings.HasPrefix(o.ID, "SH") || len(o.Lines) == 0 || len(o.Lines) != len(link.Lines) || link.Order != o.ID {
			t.Fatalf("mapped %+v / %+v", o, link)
		}
		for i, l := range o.Lines {
			if l.SKU == "" || l.Qty < 1 || l.Line != i+1 || link.Lines[i].Line != l.Line || link.Lines[i].Qty != l.Qty {
				t.Fatalf("line %+v / %+v", l, link.Lines[i])
			}
		}
	})
}

// FuzzNotification: a notification body is a known kind or refused, and
// only the signature of exactly its bytes verifies.
func FuzzNotification(f *testing.F) {
	f.Add([]byte(`{"kind":"FULFILLMENT_REQUEST"}`), "secret")
	f.Add([]byte(`{"kind":"CANCELLATION_REQUEST"}`), "s")
	f.Add([]byte(`{"kind":1}`), "")
	f.Add([]byte("\x00\xff"), "k")
	f.Fuzz(func(t *testing.T, body []byte, secret string) {
		kind, err := shopify.ParseNotification(body)
		if err == nil && kind != shopify.KindFulfillmentRequest && kind != shopify.KindCancellationRequest {
			t.Fatalf("kind %q passed", kind)
		}
		sig := shopify.Sign(secret, body)
		if secret != "" && !shopify.Verify(secret, body, sig) {
			t.Fatal("its own signature does not verify")
		}
		if shopify.Verify(secret+"x", body, sig) || shopify.Verify(secret, append(body, 'x'), sig) {
			t.Fatal("a signature verified another secret or body")
		}
	})
}

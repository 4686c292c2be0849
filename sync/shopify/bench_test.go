package shopify_test

import (
	"testing"

	"github.com/totewms/tote/sync/protocol"
)

// BenchmarkHoldAndRelease: a floor hold and its release at the hub, each
// a fact; "Sent" also sends both to the contract Shopify on loopback
// (a fulfillment-order read and a mutation each). Compare the two in one
// run: what the connector adds per pair of facts.
func BenchmarkHoldAndRelease(b *testing.B) {
	for _, send := range []bool{false, true} {
		name := "HubOnly"
		if send {
			name = "Sent"
		}
		b.Run(name, func(b *testing.B) {
			r := newRig(b)
			fo := r.requested(1, 0)
			c := r.connector()
			if err := c.Requests(ctx); err != nil {
				b.Fatal(err)
			}
			order := orderOf(b, fo)
			if err := c.Facts(ctx); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if err := r.hub.PlaceHold(ctx, order, protocol.Hold{Reason: "INCORRECT_ADDRESS"}, at); err != nil {
					b.Fatal(err)
				}
				if err := r.hub.ReleaseHold(ctx, order, "INCORRECT_ADDRESS"); err != nil {
					b.Fatal(err)
				}
				if send {
					if err := c.Facts(ctx); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

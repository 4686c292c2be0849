package replicator_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// BenchmarkParcelToDock measures how soon a parcel a pack bench finished
// can be scanned on a dispatch bench that is another station, with the
// replicators' defaults, against a real hub on loopback: from the pack
// bench's commit of pack.shipment_completed (its Kick, as the station's
// service does) to the dock's pull transaction that applied the parcel as
// ready. Each iteration imports an order, labels its carton at the bench
// (not yet complete: not for the dock), then times the completion. In the
// same run it times the bare round trips of a third station. It reports
// p50 and p99 in milliseconds. Run it with -benchtime 200x.
func BenchmarkParcelToDock(b *testing.B) {
	for _, kind := range sitetest.Kinds {
		b.Run(string(kind), func(b *testing.B) { benchParcelToDock(b, kind) })
	}
}

func benchParcelToDock(b *testing.B, kind sitetest.Kind) {
	const packID, dockID = "PACK-01", "DOCK-01"
	dir := b.TempDir()
	h := sitetest.NewHubOn(b, kind, dir, hubstore.Options{}, nil)
	site := demo.Site(1, time.Now())
	sitetest.Register(b, h.API, "CART-01") // the demo's wave goes to a cart
	packTok, dockTok := sitetest.Register(b, h.API, packID), sitetest.Register(b, h.API, dockID)
	sitetest.Import(b, h.API, sitetest.ImportOf(site, "CART-01"))
	rt := newRoundTrips(b, h)

	pack := appliedJournal{Store: sitetest.OpenStation(b, dir+"/pack.db", packID), applied: make(chan appliedPage, 4096)}
	dock := appliedJournal{Store: sitetest.OpenStation(b, dir+"/dock.db", dockID), applied: make(chan appliedPage, 4096)}
	told := make(chan struct{}, 1)
	packRep := runReplicator(b, pack, replicator.Options{Hub: h.URL, Token: packTok, Bench: protocol.BenchPack,
		OnStatus: func(replicator.Status) {
			select {
			case told <- struct{}{}:
			default:
			}
		}})
	runReplicator(b, dock, replicator.Options{Hub: h.URL, Token: dockTok, Bench: protocol.BenchDispatch})
	pack.until(b, "the bench's first pull", func(ch store.Change) bool { return ch.Operator != nil })
	dock.until(b, "the dock's first pull", func(ch store.Change) bool { return ch.Operator != nil })
	tmpl := protocol.OrderOf(site.Orders[0])

	var parcel, pull, push []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		o := tmpl
		o.ID, o.Status, o.Holds = fmt.Sprintf("SO-P%06d", i), "", nil
		if _, err := h.API.ImportOrders(ctx, []protocol.Order{o}, time.Now()); err != nil {
			b.Fatal(err)
		}
		sscc, ship := ssccOf(uint64(i+1)), o.ID+"-1"
		var lines []floor.CartonLine
		for _, l := range o.Lines {
			lines = append(lines, floor.CartonLine{Line: l.Line, SKU: l.SKU, Qty: l.Qty})
		}
		labelled := floor.NewEvent(floor.EvPackLabelRequested, "B1002", floor.PackLabelPayload{Order: o.ID, Shipment: ship, Carton: 1, Cartons: 1,
			Box: "BOX-M", WeightG: 500, Units: 1, SSCC: sscc, Tracking: fmt.Sprintf("TT%09d", i+1), Lines: lines})
		if _, err := pack.Commit(ctx, time.Now(), []floor.Event{labelled}, nil); err != nil {
			b.Fatal(err)
		}
		packRep.Kick()
		// The label alone reaches no dock: wait until the hub holds it.
		waitMark(b, pack.Store, told)

		b.StartTimer()
		t0 := time.Now()
		done := floor.NewEvent(floor.EvPackShipmentCompleted, "B1002", floor.PackShipmentPayload{Order: o.ID, Shipment: ship, Cartons: 1})
		if _, err := pack.Commit(ctx, time.Now(), []floor.Event{done}, nil); err != nil {
			b.Fatal(err)
		}
		packRep.Kick()
		parcel = append(parcel, dock.until(b, "parcel "+sscc, func(ch store.Change) bool {
			return ch.Parcel != nil && ch.Parcel.SSCC == sscc && ch.Parcel.Status == store.HubParcelReady
		}).Sub(t0))
		b.StopTimer()
		if p, err := dock.Parcel(ctx, sscc, ""); err != nil || p == nil || p.ShipmentStatus != "completed" || p.Order != o.ID {
			b.Fatalf("the dock cannot load parcel %s: %+v %v", sscc, p, err)
		}
		pull = append(pull, rt.pull(b))
		push = append(push, rt.push(b, int64(i+1)))
	}
	reportQuantiles(b, "parcel", parcel)
	reportQuantiles(b, "pull-rt", pull)
	reportQuantiles(b, "push-rt", push)
}

// waitMark waits, report by report of the station's replicator, until
// the hub acknowledged every event of st.
func waitMark(b *testing.B, st *store.Store, told <-chan struct{}) {
	b.Helper()
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for {
		s, err := st.SyncState(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if s.Waiting == 0 {
			return
		}
		select {
		case <-told:
		case <-timeout.C:
			b.Fatalf("the hub did not take the bench's events within a minute: %+v", s)
		}
	}
}

// ssccOf is a valid SSCC of another station's n-th carton.
func ssccOf(n uint64) string {
	d := fmt.Sprintf("00614141%09d", n)
	sum := 0
	for i := range len(d) {
		x := int(d[len(d)-1-i] - '0')
		if i%2 == 0 {
			x *= 3
		}
		sum += x
	}
	return d + fmt.Sprint((10-sum%10)%10)
}

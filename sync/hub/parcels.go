package hub

import (
	"encoding/json"
	"slices"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Parcels travel to the dock. A carton becomes ready when its shipment
// completes at a pack bench; from then on every dispatch bench of the
// site is sent it (protocol.Parcel), whichever bench packed it, and sent
// it again whenever what the dock must know changes: a void, a hold, a
// release or a cancellation of its order, a load onto a pickup or off
// it, and its pickup closing (it left: the last word on it).

// DispatchBenches is every dispatch bench of the site: where parcels go.
var DispatchBenches = Audience(protocol.BenchDispatch)

// parcelBook is what one push did to ready parcels: by order, the keys
// of the cartons touched. It is read back at the end of the push, so
// the feed carries each parcel as the push left it.
type parcelBook struct {
	touched map[string][]string
	orders  []string
}

func (b *parcelBook) touch(order, key string) {
	if b.touched == nil {
		b.touched = map[string][]string{}
	}
	keys, ok := b.touched[order]
	if !ok {
		b.orders = append(b.orders, order)
	}
	if !slices.Contains(keys, key) {
		b.touched[order] = append(keys, key)
	}
}

// parcelEvent notes what an accepted event of the push did to parcels:
// a completed shipment makes its cartons ready.
func (b *parcelBook) parcelEvent(tx StoreTx, ev protocol.Event, ref protocol.OrderRef) error {
	switch ev.Type {
	case string(floor.EvPackShipmentCompleted), string(floor.EvPackVoided):
		var p packShipment
		if json.Unmarshal(ev.Payload, &p) != nil || ref.Order == "" {
			return nil
		}
		parcels, err := tx.Parcels(ref.Order)
		if err != nil {
			return err
		}
		for _, par := range parcels {
			if par.Shipment != p.Shipment || par.SSCC == "" {
				continue
			}
			if ev.Type == string(floor.EvPackShipmentCompleted) && !par.Ready && par.Status == ParcelPacked {
				par.Ready = true
				if err := tx.PutParcel(ref.Order, par); err != nil {
					return err
				}
			}
			if par.Ready {
				b.touch(ref.Order, par.Key)
			}
		}
	case protocol.EvDispatchParcelLoaded, protocol.EvDispatchParcelUnloaded:
		var p protocol.DispatchParcelLoaded
		if json.Unmarshal(ev.Payload, &p) != nil {
			return nil
		}
		return b.touchSSCC(tx, p.SSCC)
	case protocol.EvDispatchPickupClosed:
		var p protocol.DispatchPickupClosed
		if json.Unmarshal(ev.Payload, &p) != nil {
			return nil
		}
		for _, sscc := range p.SSCCs {
			if err := b.touchSSCC(tx, sscc); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *parcelBook) touchSSCC(tx StoreTx, sscc string) error {
	owner, parcel, ok, err := parcelOf(tx, sscc)
	if err != nil || !ok || !parcel.Ready {
		return err
	}
	b.touch(owner.Order, parcel.Key)
	return nil
}

// feed is the push's parcel news, order by order as first touched.
func (b *parcelBook) feed(tx StoreTx) ([]FeedEntry, error) {
	var out []FeedEntry
	for _, order := range b.orders {
		keys := b.touched[order]
		news, err := parcelNews(tx, order, func(p ParcelRecord) bool { return slices.Contains(keys, p.Key) })
		if err != nil {
			return nil, err
		}
		out = append(out, news...)
	}
	return out, nil
}

// dispatchNews is an order's ready parcels still at the dock, for the
// dispatch benches, after its standing changed (a hold, a release, a
// cancellation, a corrected order).
func dispatchNews(tx StoreTx, order string) ([]FeedEntry, error) {
	return parcelNews(tx, order, func(p ParcelRecord) bool { return p.Status == ParcelPacked })
}

// parcelNews is the feed entries of an order's ready parcels that want
// says, each as the hub holds it now.
func parcelNews(tx StoreTx, order string, want func(ParcelRecord) bool) ([]FeedEntry, error) {
	parcels, err := tx.Parcels(order)
	if err != nil {
		return nil, err
	}
	var pick []ParcelRecord
	for _, p := range parcels {
		if p.Ready && p.SSCC != "" && want(p) {
			pick = append(pick, p)
		}
	}
	if len(pick) == 0 {
		return nil, nil
	}
	o, ok, err := tx.Order(order)
	if err != nil || !ok {
		return nil, err
	}
	life, _, err := tx.OrderLife(order)
	if err != nil {
		return nil, err
	}
	out := make([]FeedEntry, 0, len(pick))
	for _, p := range pick {
		w := protocol.DockParcel{SSCC: p.SSCC, Order: order, Shipment: p.Shipment, Carrier: orElse(p.Carrier, o.Carrier),
			Service: o.Service, Tracking: p.Tracking, Status: protocol.ParcelReady, Pickup: life.Loaded[p.SSCC],
			Holds: o.Holds, Cancelled: o.Status == string(floor.OrderCancelled)}
		switch p.Status {
		case ParcelVoided:
			w.Status = protocol.ParcelVoided
		case ParcelShipped:
			w.Status = protocol.ParcelShipped
		}
		out = append(out, FeedEntry{Station: DispatchBenches, Change: protocol.Change{Kind: protocol.KindParcel, Parcel: &w}})
	}
	return out, nil
}

package store

// Parcels packed on other stations, as the hub sends them (migration
// 0011): a dispatch bench loads a parcel another PC packed. A carton this
// station packed itself is in cartons; the hub's record of it is kept
// too, and the station's own record comes first when both exist.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// HubParcel is a packed parcel as the hub knows it: ready for the dock,
// voided, or shipped (it left with Pickup). Holds and Cancelled are its
// order's standing as the hub last said.
type HubParcel struct {
	SSCC      string
	Order     string
	Shipment  string
	Carrier   string
	Service   string
	Tracking  string
	Status    string // ready, voided, shipped
	Pickup    string
	Holds     []floor.Hold
	Cancelled bool
}

// Hub parcel statuses.
const (
	HubParcelReady   = "ready"
	HubParcelVoided  = "voided"
	HubParcelShipped = "shipped"
)

// parcel applies a parcel record: it replaces the one held.
func (a applier) parcel(p *HubParcel) (string, error) {
	switch p.Status {
	case HubParcelReady, HubParcelVoided, HubParcelShipped:
	default:
		return fmt.Sprintf("parcel %s has status %q", floor.Printable(p.SSCC), floor.Printable(p.Status)), nil
	}
	holds := ""
	if len(p.Holds) > 0 {
		b, err := json.Marshal(p.Holds)
		if err != nil {
			return "", err
		}
		holds = string(b)
	}
	a.sum.Parcels++
	return "", a.exec(`INSERT INTO hub_parcels(sscc, order_id, shipment, carrier, service, tracking, status, pickup_id, holds, cancelled, received)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(sscc) DO UPDATE SET order_id=excluded.order_id, shipment=excluded.shipment, carrier=excluded.carrier,
		service=excluded.service, tracking=excluded.tracking, status=excluded.status, pickup_id=excluded.pickup_id,
		holds=excluded.holds, cancelled=excluded.cancelled, received=excluded.received`,
		p.SSCC, p.Order, p.Shipment, p.Carrier, p.Service, p.Tracking, p.Status, p.Pickup, holds, p.Cancelled, a.at)
}

// hubParcel is the hub's record of a parcel as the dispatch bench judges
// it, nil when the hub sent none.
func (s *Store) hubParcel(ctx context.Context, sscc, defaultCarrier string) (*Parcel, error) {
	p := Parcel{SSCC: sscc}
	var status, hubPickup, holds, pickup, pickupCarrier, pickupStatus string
	var cancelled bool
	err := s.db.QueryRow(ctx, `SELECT h.order_id, h.shipment, COALESCE(NULLIF(h.carrier, ''), ?2), h.status, h.pickup_id, h.holds, h.cancelled,
			COALESCE(pp.pickup_id, ''), COALESCE(pu.carrier, ''), COALESCE(pu.status, '')
		FROM hub_parcels h
		LEFT JOIN pickup_parcels pp ON pp.sscc = h.sscc
		LEFT JOIN pickups pu ON pu.id = pp.pickup_id
		WHERE h.sscc = ?1`, sscc, defaultCarrier).Scan(&p.Order, &p.Shipment, &p.Carrier, &status, &hubPickup, &holds, &cancelled,
		&pickup, &pickupCarrier, &pickupStatus)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	// The dispatch workflow's words: completed is ready to go.
	p.ShipmentStatus = map[string]string{HubParcelReady: "completed", HubParcelVoided: "voided", HubParcelShipped: "shipped"}[status]
	switch {
	case pickup != "": // loaded here: this station's pickup is the truth
		p.Pickup, p.PickupCarrier, p.Left = pickup, pickupCarrier, pickupStatus == "closed"
	case hubPickup != "": // loaded on another dispatch bench
		p.Pickup, p.PickupCarrier, p.Left = hubPickup, p.Carrier, status == HubParcelShipped
	}
	if status == HubParcelShipped {
		p.Left = true
	}
	// The order's standing: the hub's word on the parcel, and this
	// station's own record of the order when it has one.
	if p.Standing, err = s.OrderStanding(ctx, p.Order); err != nil {
		return nil, err
	}
	if cancelled {
		p.Standing.Status = floor.OrderCancelled
	}
	if holds != "" {
		var hs []floor.Hold
		if err := json.Unmarshal([]byte(holds), &hs); err != nil {
			return nil, fmt.Errorf("parcel %s holds: %w", floor.Printable(sscc), err)
		}
		for _, h := range hs {
			if !hasHold(p.Standing.Holds, h.Reason) {
				p.Standing.Holds = append(p.Standing.Holds, h)
			}
		}
	}
	return &p, nil
}

func hasHold(hs []floor.Hold, reason string) bool {
	for _, h := range hs {
		if h.Reason == reason {
			return true
		}
	}
	return false
}

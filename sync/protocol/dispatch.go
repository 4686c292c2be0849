package protocol

// The contract between a dispatch bench and the hub (the dispatch bench
// only produces these events; the hub's rules are sync/hub/rules_dispatch.go).

// The dispatch bench's events (docs/sync-protocol.md#dispatch): a parcel
// scanned onto a carrier's pickup, and the pickup closed (the truck left):
// only then are its parcels shipped at the hub.
const (
	EvDispatchParcelLoaded = "dispatch.parcel_loaded"
	// EvDispatchParcelUnloaded: taken off the pickup again before it
	// closed (its payload is DispatchParcelLoaded's).
	EvDispatchParcelUnloaded = "dispatch.parcel_unloaded"
	EvDispatchPickupClosed   = "dispatch.pickup_closed"
)

// DispatchParcelLoaded is dispatch.parcel_loaded's payload.
type DispatchParcelLoaded struct {
	SSCC     string `json:"sscc"`
	Order    string `json:"order"`
	Shipment string `json:"shipment"`
	Pickup   string `json:"pickup"`
	Carrier  string `json:"carrier"`
}

// DispatchPickupClosed is dispatch.pickup_closed's payload: every parcel
// loaded onto the pickup, by SSCC.
type DispatchPickupClosed struct {
	Pickup  string   `json:"pickup"`
	Carrier string   `json:"carrier"`
	SSCCs   []string `json:"ssccs"`
}

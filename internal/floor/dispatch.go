package floor

import "strings"

// Dispatch: the loader scans each parcel's SSCC onto a carrier's pickup
// (its manifest) at the dock; closing the pickup prints the manifest and
// is the moment the parcels shipped. docs/dispatch.md walks through it.

// RoleLoader loads parcels onto carriers' pickups at the dock. A packer
// may load too (small sites load at the bench that packed).
const RoleLoader Role = "loader"

// Dispatch commands, by key or by scanning CMD:<Code>. OK, CANCEL, UNDO,
// HELP and LOGOUT are shared with the other benches.
const (
	// CmdClosePickup closes the open pickup: the manifest prints and its
	// parcels are shipped. Its barcode is CMD:CLOSE, like a pack bench's
	// close carton: each bench reads it at its own step.
	CmdClosePickup Command = "CLOSE"
)

// DispatchCommands are the commands of the dispatch bench, in sheet order.
var DispatchCommands = []CommandInfo{
	{CmdUndo, "Take the last parcel off the pickup"},
	{CmdClosePickup, "Close the pickup: the manifest prints, the parcels are shipped"},
	{CmdCancel, "Leave the pickup open and choose another carrier"},
	{CmdHelp, "Show or hide the help panel"},
	{CmdLogout, "Log out (the pickup stays open)"},
}

// Dispatch events.
const (
	// EvDispatchPickupOpened: a loader opened a carrier's pickup, or
	// resumed one left open (Resumed).
	EvDispatchPickupOpened EventType = "dispatch.pickup_opened"
	// EvDispatchPickupLeft: the loader left the pickup open to load
	// another carrier's; it resumes when that carrier is chosen again.
	EvDispatchPickupLeft     EventType = "dispatch.pickup_left"
	EvDispatchParcelLoaded   EventType = "dispatch.parcel_loaded"
	EvDispatchParcelUnloaded EventType = "dispatch.parcel_unloaded"
	EvDispatchPickupClosed   EventType = "dispatch.pickup_closed"
)

// IsDispatch reports whether t is one of the dispatch events.
func (t EventType) IsDispatch() bool { return strings.HasPrefix(string(t), "dispatch.") }

// Payloads of the dispatch events. Field names are the JSON the hub reads
// (the hub ships an order on dispatch.pickup_closed, never before); add
// fields, never rename them.
type (
	DispatchPickupPayload struct {
		Pickup  string `json:"pickup"`
		Carrier string `json:"carrier"`
		Resumed bool   `json:"resumed,omitempty"`
	}
	// DispatchParcelPayload: a parcel loaded onto a pickup (or, as
	// dispatch.parcel_unloaded, taken off it again before it closed).
	DispatchParcelPayload struct {
		SSCC     string `json:"sscc"`
		Order    string `json:"order"`
		Shipment string `json:"shipment"`
		Pickup   string `json:"pickup"`
		Carrier  string `json:"carrier"`
	}
	// DispatchClosedPayload: the pickup left with these parcels, in load
	// order. Job is the station's print job of the manifest (0 from the
	// workflow: the station fills it in when it commits the event).
	DispatchClosedPayload struct {
		Pickup  string   `json:"pickup"`
		Carrier string   `json:"carrier"`
		SSCCs   []string `json:"ssccs"`
		Job     int64    `json:"job,omitempty"`
	}
)

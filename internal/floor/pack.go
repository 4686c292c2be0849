package floor

import "strings"

// Packing: the order snapshot a pack bench works from, the pack commands and
// the events the pack workflow (station/pack) records. docs/pack.md walks
// through the flow and lists every payload.

// Pack commands, reachable by key or by scanning CMD:<Code>. OK, CANCEL,
// QTY, UNDO, HELP and LOGOUT are shared with picking.
const (
	CmdComplete    Command = "COMPLETE" // pack complete: close, check holds, request labels
	CmdCloseCarton Command = "CLOSE"    // close the open carton: box, then weight
	CmdPartial     Command = "PARTIAL"  // ship what is verified; the rest is a back order
	CmdReprint     Command = "REPRINT"  // another copy of a shipping label, with a reason
	CmdVoid        Command = "VOID"     // void the shipment (supervisor)
	CmdOverride    Command = "OVERRIDE" // a supervisor accepts a weight or a split
	CmdReopen      Command = "REOPEN"   // re-verify a carton whose weight is off
)

// PackCommands are the commands of the pack flow, in sheet order.
var PackCommands = []CommandInfo{
	{CmdOK, "Confirm (a large quantity, the suggested box, a prompt)"},
	{CmdCancel, "Cancel the current prompt"},
	{CmdQuantity, "Enter a quantity, then scan the item once"},
	{CmdUndo, "Undo the last scan in the open carton"},
	{CmdCloseCarton, "Close the carton: choose a box, then weigh it"},
	{CmdComplete, "Pack complete: the labels print"},
	{CmdPartial, "Ship what is here as a partial shipment"},
	{CmdReopen, "Re-verify a carton whose weight is off"},
	{CmdOverride, "Supervisor override (weight, ship-together)"},
	{CmdReprint, "Reprint a shipping label (with a reason)"},
	{CmdVoid, "Void the shipment (supervisor)"},
	{CmdHelp, "Show or hide the help panel"},
	{CmdLogout, "Log out"},
}

// PackOrder is what a pack bench knows of one order: the station builds it
// from its store when a tote, order number or pick ticket is scanned, so
// the pack workflow needs no look-up of its own.
type PackOrder struct {
	ID       string      `json:"id"`
	Customer string      `json:"customer"`
	Status   OrderStatus `json:"status"`
	Holds    []Hold      `json:"holds,omitempty"`
	// ShipTogether names the order's ship-together group, "" for none.
	ShipTogether string `json:"ship_together,omitempty"`
	// GroupOpen lists the other orders of the group that are not packed
	// yet, as far as the station knows.
	GroupOpen []string `json:"group_open,omitempty"`
	// Shipments counts the shipments of this order completed before (an
	// earlier partial): this one is number Shipments+1.
	Shipments int        `json:"shipments,omitempty"`
	Lines     []PackLine `json:"lines"`
}

// PackLine is one order line with what was picked for it and the item data
// packing needs. Ordered is what this shipment is for: after an earlier
// partial shipment, the open remainder.
type PackLine struct {
	LineNo      int      `json:"line"`
	SKU         string   `json:"sku"`
	Description string   `json:"description,omitempty"`
	GTINs       []string `json:"gtins,omitempty"` // 14 digits each
	Ordered     int      `json:"ordered"`
	Picked      int      `json:"picked"`
	Short       int      `json:"short,omitempty"` // recorded short at pick
	// Lots and Serials are what the picker recorded for this line.
	Lots    []LotCount `json:"lots,omitempty"`
	Serials []string   `json:"serials,omitempty"`

	UnitWeightG float64 `json:"unit_weight_g,omitempty"` // 0 when unknown
	LengthMM    float64 `json:"length_mm,omitempty"`     // 0 when unknown
	WidthMM     float64 `json:"width_mm,omitempty"`
	HeightMM    float64 `json:"height_mm,omitempty"`

	Hazmat           bool `json:"hazmat,omitempty"`
	LotControlled    bool `json:"lot_controlled,omitempty"`
	SerialControlled bool `json:"serial_controlled,omitempty"`
}

// HasGTIN reports whether gtin (14 digits) identifies the line's item.
func (l PackLine) HasGTIN(gtin string) bool {
	for _, g := range l.GTINs {
		if g == gtin {
			return true
		}
	}
	return false
}

// LotCount is how many units of one lot were picked.
type LotCount struct {
	Lot string `json:"lot"`
	Qty int    `json:"qty"`
}

// OrderStanding is the latest a station knows of an order's status, holds
// and ship-together group; it can change while the order is on the bench.
type OrderStanding struct {
	Status    OrderStatus
	Holds     []Hold
	GroupOpen []string
}

// Pack events, in the order a pack usually records them.
const (
	EvPackStarted           EventType = "pack.started"
	EvPackUnitVerified      EventType = "pack.unit_verified"
	EvPackUnitUndone        EventType = "pack.unit_undone"
	EvPackWeightRecorded    EventType = "pack.weight_recorded"
	EvPackCartonClosed      EventType = "pack.carton_closed"
	EvPackCartonReopened    EventType = "pack.carton_reopened"
	EvPackOverride          EventType = "pack.override"
	EvPackHeld              EventType = "pack.held"
	EvPackSetAside          EventType = "pack.set_aside"
	EvPackPartial           EventType = "pack.partial"
	EvPackLabelRequested    EventType = "pack.label_requested"
	EvPackShipmentCompleted EventType = "pack.shipment_completed"
	EvPackReprintRequested  EventType = "pack.reprint_requested"
	EvPackVoided            EventType = "pack.voided"
)

// Override purposes: what a supervisor allowed.
const (
	OverrideWeight = "weight" // a carton outside the weight tolerance ships as weighed
	OverrideSplit  = "split"  // a ship-together group is split
)

// Set-aside reasons: why an order left the bench without a label.
const (
	SetAsideHeld      = "held"      // the hold gate stopped it
	SetAsideCancelled = "cancelled" // cancelled while on the bench
	SetAsidePacker    = "packer"    // the packer put it aside (CMD:CANCEL)
)

// Payloads of the pack events. Field names are the JSON the hub reads; add
// fields, never rename them. Weights are grams.
type (
	HoldInfo struct {
		Reason string `json:"reason"`
		Note   string `json:"note,omitempty"`
	}
	PackStartedPayload struct {
		Order        string     `json:"order"`
		Customer     string     `json:"customer"`
		Scanned      string     `json:"scanned"`   // the tote, order or ticket barcode
		ScanKind     string     `json:"scan_kind"` // tote, order, unknown (a ticket)
		Lines        int        `json:"lines"`
		Ordered      int        `json:"ordered"`
		Picked       int        `json:"picked"`
		Short        int        `json:"short"`
		ShipTogether string     `json:"ship_together,omitempty"`
		Holds        []HoldInfo `json:"holds,omitempty"` // standing at start: verified, not labelled
	}
	PackUnitPayload struct {
		Order  string `json:"order"`
		Line   int    `json:"line"`
		SKU    string `json:"sku"`
		Qty    int    `json:"qty"`
		Carton int    `json:"carton"`
		Lot    string `json:"lot,omitempty"`
		Serial string `json:"serial,omitempty"`
		Expiry string `json:"expiry,omitempty"` // YYYY-MM-DD from the scan
	}
	PackWeightPayload struct {
		Order      string  `json:"order"`
		Carton     int     `json:"carton"`
		Box        string  `json:"box"`
		WeightG    float64 `json:"weight_g"`
		ExpectedG  float64 `json:"expected_g"`  // items plus tare; 0 when not known
		ToleranceG float64 `json:"tolerance_g"` // the larger of the two allowances
		Checked    bool    `json:"checked"`     // false: an item's weight is unknown
		Within     bool    `json:"within"`
		Source     string  `json:"source"` // scale or typed
	}
	CartonLine struct {
		Line    int      `json:"line"`
		SKU     string   `json:"sku"`
		Qty     int      `json:"qty"`
		Lots    []string `json:"lots,omitempty"`
		Serials []string `json:"serials,omitempty"`
	}
	PackCartonPayload struct {
		Order      string       `json:"order"`
		Carton     int          `json:"carton"`
		Box        string       `json:"box"` // code
		BoxName    string       `json:"box_name"`
		LengthMM   int          `json:"length_mm"`
		WidthMM    int          `json:"width_mm"`
		HeightMM   int          `json:"height_mm"`
		TareG      int          `json:"tare_g"`
		Units      int          `json:"units"`
		WeightG    float64      `json:"weight_g"`
		ExpectedG  float64      `json:"expected_g"`
		Overridden bool         `json:"overridden,omitempty"` // weight accepted by a supervisor
		Hazmat     bool         `json:"hazmat,omitempty"`
		Lines      []CartonLine `json:"lines"`
	}
	PackReopenedPayload struct {
		Order   string  `json:"order"`
		Carton  int     `json:"carton"`
		Units   int     `json:"units"` // no longer verified: scanned again
		WeightG float64 `json:"weight_g"`
	}
	PackOverridePayload struct {
		Order          string `json:"order"`
		Purpose        string `json:"purpose"` // OverrideWeight or OverrideSplit
		Carton         int    `json:"carton,omitempty"`
		Supervisor     string `json:"supervisor"` // badge
		SupervisorName string `json:"supervisor_name"`
		Reason         string `json:"reason"`
		Detail         string `json:"detail"`
	}
	PackHeldPayload struct {
		Order           string      `json:"order"`
		Status          OrderStatus `json:"status"`
		Holds           []HoldInfo  `json:"holds,omitempty"`
		HoldingLocation string      `json:"holding_location"`
		Cartons         int         `json:"cartons"`
		Units           int         `json:"units"`
	}
	PackSetAsidePayload struct {
		Order    string `json:"order"`
		Reason   string `json:"reason"`             // SetAside*
		Location string `json:"location,omitempty"` // the holding location, "" when the goods stay in their tote
		Cartons  int    `json:"cartons"`
		Units    int    `json:"units"`
	}
	ShipLine struct {
		Line int    `json:"line"`
		SKU  string `json:"sku"`
		Qty  int    `json:"qty"`
	}
	BackOrderLine struct {
		Line      int    `json:"line"`
		SKU       string `json:"sku"`
		Ordered   int    `json:"ordered"`
		Shipped   int    `json:"shipped"`
		Remaining int    `json:"remaining"` // ordered − shipped: the back order
		Missing   int    `json:"missing"`   // picked but not found at pack
	}
	PackPartialPayload struct {
		Order     string          `json:"order"`
		Shipment  string          `json:"shipment"`
		Ships     []ShipLine      `json:"ships"`
		BackOrder []BackOrderLine `json:"back_order"`
	}
	// PackLabelPayload asks for one carton's shipping label. SSCC and
	// Tracking are empty from the workflow: the station fills them in when
	// it commits the event (one SSCC per carton from its counter, the
	// carrier's tracking number).
	PackLabelPayload struct {
		Order    string       `json:"order"`
		Customer string       `json:"customer"`
		Shipment string       `json:"shipment"`
		Carton   int          `json:"carton"`
		Cartons  int          `json:"cartons"`
		Box      string       `json:"box"`
		BoxName  string       `json:"box_name"`
		WeightG  float64      `json:"weight_g"`
		Units    int          `json:"units"`
		Hazmat   bool         `json:"hazmat,omitempty"`
		Lines    []CartonLine `json:"lines"`
		SSCC     string       `json:"sscc"`
		Tracking string       `json:"tracking"`
		// Carrier is set when the tracking number is a carrier label's.
		Carrier string `json:"carrier,omitempty"`
		// Job is the station's print job for the label (0 from the
		// workflow), so the carton and its label stay linked.
		Job int64 `json:"job,omitempty"`
	}
	// PackShipmentPayload closes the shipment. Tracking (the master
	// tracking number) is empty from the workflow; the station fills it in.
	PackShipmentPayload struct {
		Order    string  `json:"order"`
		Customer string  `json:"customer"`
		Shipment string  `json:"shipment"`
		Cartons  int     `json:"cartons"`
		Units    int     `json:"units"`
		WeightG  float64 `json:"weight_g"`
		Partial  bool    `json:"partial"`
		Tracking string  `json:"tracking"`
	}
	PackReprintPayload struct {
		Order    string `json:"order"`
		Shipment string `json:"shipment"`
		Carton   int    `json:"carton"`
		Cartons  int    `json:"cartons"`
		Reason   string `json:"reason"`
	}
	PackVoidPayload struct {
		Order          string `json:"order"`
		Shipment       string `json:"shipment"`
		Cartons        int    `json:"cartons"`
		Supervisor     string `json:"supervisor"`
		SupervisorName string `json:"supervisor_name"`
		Reason         string `json:"reason"`
	}
)

// IsPack reports whether t is one of the pack events.
func (t EventType) IsPack() bool { return strings.HasPrefix(string(t), "pack.") }

package floor

import "strings"

// Returns: at the returns bench a clerk scans the parcel that came back
// (its SSCC), the order, or the return's RMA and then the order; scans
// each item, says what condition it is in and why it came back, and what
// becomes of it: back to stock at a location, to refurbishing, or
// destroyed. docs/returns.md walks through it.

// Return conditions: what state a returned unit arrived in.
type ReturnCondition string

const (
	ConditionSellable  ReturnCondition = "sellable"   // as new, sealed
	ConditionOpened    ReturnCondition = "opened"     // opened, complete, no damage
	ConditionDamaged   ReturnCondition = "damaged"    // damaged or incomplete
	ConditionWrongItem ReturnCondition = "wrong_item" // not what the order shipped on that line: the customer sent something else back
)

// ReturnConditions lists the conditions in the order screens show them.
var ReturnConditions = []ReturnCondition{ConditionSellable, ConditionOpened, ConditionDamaged, ConditionWrongItem}

// Return reasons: why the customer sent it back, as the clerk reads it
// on the return slip.
type ReturnReason string

const (
	ReasonUnwanted       ReturnReason = "unwanted"        // changed their mind, does not fit
	ReasonDefective      ReturnReason = "defective"       // does not work
	ReasonWrongSent      ReturnReason = "wrong_item_sent" // we sent the wrong item
	ReasonArrivedDamaged ReturnReason = "arrived_damaged" // damaged in transit
	ReasonOther          ReturnReason = "other"
)

// ReturnReasons lists the reasons in the order screens show them.
var ReturnReasons = []ReturnReason{ReasonUnwanted, ReasonDefective, ReasonWrongSent, ReasonArrivedDamaged, ReasonOther}

// Dispositions: what becomes of a returned unit.
type Disposition string

const (
	DispositionRestock   Disposition = "restock"   // back to stock, at a location scanned
	DispositionRefurbish Disposition = "refurbish" // to the refurbishing area: processing required
	DispositionDestroy   Disposition = "destroy"   // written off: not restocked
)

// Dispositions lists the dispositions in the order screens show them.
var Dispositions = []Disposition{DispositionRestock, DispositionRefurbish, DispositionDestroy}

// Words is how a screen says a return code ("wrong_item" → "wrong item").
func Words[T ~string](v T) string { return strings.ReplaceAll(string(v), "_", " ") }

// Returns commands, by key or by scanning CMD:<Code>: one per condition,
// reason and disposition, so a gloved clerk never types. OK finishes the
// return; CANCEL, HELP and LOGOUT are shared with the other benches.
const (
	CmdRetSellable  Command = "RET-SELLABLE"
	CmdRetOpened    Command = "RET-OPENED"
	CmdRetDamaged   Command = "RET-DAMAGED"
	CmdRetWrongItem Command = "RET-WRONG"

	CmdRetWhyUnwanted  Command = "RET-WHY-UNWANTED"
	CmdRetWhyDefective Command = "RET-WHY-DEFECT"
	CmdRetWhyWrongSent Command = "RET-WHY-WRONGSENT"
	CmdRetWhyDamaged   Command = "RET-WHY-TRANSIT"
	CmdRetWhyOther     Command = "RET-WHY-OTHER"

	CmdRetRestock   Command = "RET-RESTOCK"
	CmdRetRefurbish Command = "RET-REFURB"
	CmdRetDestroy   Command = "RET-DESTROY"
)

// ConditionCommands, ReasonCommands and DispositionCommands map each
// choice to its command, in screen order.
var (
	ConditionCommands = map[ReturnCondition]Command{ConditionSellable: CmdRetSellable, ConditionOpened: CmdRetOpened,
		ConditionDamaged: CmdRetDamaged, ConditionWrongItem: CmdRetWrongItem}
	ReasonCommands = map[ReturnReason]Command{ReasonUnwanted: CmdRetWhyUnwanted, ReasonDefective: CmdRetWhyDefective,
		ReasonWrongSent: CmdRetWhyWrongSent, ReasonArrivedDamaged: CmdRetWhyDamaged, ReasonOther: CmdRetWhyOther}
	DispositionCommands = map[Disposition]Command{DispositionRestock: CmdRetRestock, DispositionRefurbish: CmdRetRefurbish,
		DispositionDestroy: CmdRetDestroy}
)

// ReturnsCommands are the commands of the returns bench, in sheet order.
var ReturnsCommands = []CommandInfo{
	{CmdRetSellable, "Condition: sellable (as new)"},
	{CmdRetOpened, "Condition: opened, complete"},
	{CmdRetDamaged, "Condition: damaged or incomplete"},
	{CmdRetWrongItem, "Condition: wrong item sent back"},
	{CmdRetWhyUnwanted, "Reason: not wanted"},
	{CmdRetWhyDefective, "Reason: defective"},
	{CmdRetWhyWrongSent, "Reason: we sent the wrong item"},
	{CmdRetWhyDamaged, "Reason: arrived damaged"},
	{CmdRetWhyOther, "Reason: other"},
	{CmdRetRestock, "Disposition: restock (then scan the location)"},
	{CmdRetRefurbish, "Disposition: refurbish"},
	{CmdRetDestroy, "Disposition: destroy"},
	{CmdOK, "Finish the return"},
	{CmdCancel, "Cancel the item in hand (or the return, if no item is recorded)"},
	{CmdHelp, "Show or hide the help panel"},
	{CmdLogout, "Log out"},
}

// Returns events.
const (
	// EvReturnOpened: the clerk named the order a parcel came back for.
	EvReturnOpened EventType = "return.opened"
	// EvReturnReceived: one unit of an order line came back, with its
	// condition, reason and disposition (and the location it was put away
	// at, when restocked). The hub books it against what shipped.
	EvReturnReceived EventType = "return.received"
	// EvReturnClosed: the clerk finished the return: nothing more came in
	// the parcel.
	EvReturnClosed EventType = "return.closed"
)

// IsReturn reports whether t is one of the returns events.
func (t EventType) IsReturn() bool { return strings.HasPrefix(string(t), "return.") }

// Payloads of the returns events. Field names are the JSON the hub reads;
// add fields, never rename them.
type (
	// ReturnPayload: a return opened or closed. Return is the station's
	// id of the return; RMA the OMS's authorisation when one was
	// scanned; SSCC the parcel it came back in, when scanned. Units is,
	// on return.closed, how many units the return recorded.
	ReturnPayload struct {
		Return string `json:"return"`
		Order  string `json:"order"`
		RMA    string `json:"rma,omitempty"`
		SSCC   string `json:"sscc,omitempty"`
		Units  int    `json:"units,omitempty"`
	}
	// ReturnReceivedPayload: units of one order line came back.
	ReturnReceivedPayload struct {
		Return      string          `json:"return"`
		Order       string          `json:"order"`
		Line        int             `json:"line"`
		SKU         string          `json:"sku"`
		Qty         int             `json:"qty"`
		Condition   ReturnCondition `json:"condition"`
		Reason      ReturnReason    `json:"reason"`
		Disposition Disposition     `json:"disposition"`
		Location    string          `json:"location,omitempty"`
		RMA         string          `json:"rma,omitempty"`
	}
)

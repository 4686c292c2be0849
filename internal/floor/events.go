package floor

// EventType names a kind of fact. Types are dotted: subject.verb.
type EventType string

const (
	EvLoggedIn       EventType = "operator.logged_in"
	EvLoggedOut      EventType = "operator.logged_out"
	EvLoginRefused   EventType = "operator.login_refused"
	EvWaveStarted    EventType = "wave.started"
	EvWaveCompleted  EventType = "wave.completed"
	EvToteAssigned   EventType = "tote.assigned"
	EvLocationOK     EventType = "pick.location_confirmed"
	EvUnitsPicked    EventType = "pick.units_picked"
	EvPickUndone     EventType = "pick.undone"
	EvTaskPicked     EventType = "pick.task_picked"
	EvTaskShort      EventType = "pick.task_short"
	EvTaskSkipped    EventType = "pick.task_skipped"
	EvScanRejected   EventType = "scan.rejected"
	EvExceptionAdded EventType = "exception.raised"
)

// The tote rule and the office's cancellations at the pick cart.
const (
	// EvToteReleased: a supervisor emptied a tote by hand, with a reason;
	// it may then take another order.
	EvToteReleased EventType = "tote.released"
	// EvOrderWithdrawn: the cart learnt its order was cancelled centrally.
	// Its open tasks left the walk, and the goods already picked for it
	// are to go back to the locations they came from.
	EvOrderWithdrawn EventType = "pick.order_withdrawn"
)

// Why a tote is free again, as the hub records it (sync's tote record).
const (
	ToteFreedPacked    = "packed"    // its order's shipment was completed
	ToteFreedReleased  = "released"  // a supervisor emptied it (tote.released)
	ToteFreedWithdrawn = "withdrawn" // its order was cancelled: the goods went back to stock
	ToteFreedUndone    = "undone"    // its only units were undone
)

// Payloads, one per event type. Field names are the JSON the hub reads;
// add fields, never rename them.
type (
	LoginPayload struct {
		Badge string `json:"badge"`
		Name  string `json:"name"`
	}
	RejectPayload struct {
		Step   string `json:"step"`
		Input  string `json:"input"`
		Kind   string `json:"kind,omitempty"`
		Reason string `json:"reason"`
	}
	WavePayload struct {
		Wave string `json:"wave"`
	}
	TotePayload struct {
		Tote string `json:"tote"`
		Wave string `json:"wave"`
	}
	ToteReleasePayload struct {
		Tote       string `json:"tote"`
		Order      string `json:"order"` // the order it held
		Reason     string `json:"reason"`
		Supervisor string `json:"supervisor"`
	}
	// WithdrawPayload: a cancelled order's tasks left the walk (Tasks)
	// and Returns say what goes back to stock, from which tote to where.
	WithdrawPayload struct {
		Order   string       `json:"order"`
		Tasks   []int64      `json:"tasks,omitempty"`
		Returns []ReturnLine `json:"returns,omitempty"`
	}
	TaskPayload struct {
		Task     int64  `json:"task"`
		Order    string `json:"order"`
		Line     int    `json:"line"`
		Location string `json:"location"`
		SKU      string `json:"sku"`
	}
	UnitsPayload struct {
		TaskPayload
		Qty    int    `json:"qty"`
		Tote   string `json:"tote"`
		Lot    string `json:"lot,omitempty"`
		Serial string `json:"serial,omitempty"`
		Expiry string `json:"expiry,omitempty"`
	}
	UndoPayload struct {
		TaskPayload
		Qty int `json:"qty"`
	}
	ShortPayload struct {
		TaskPayload
		Picked int         `json:"picked"`
		Short  int         `json:"short"`
		Reason ShortReason `json:"reason"`
	}
	SkipPayload struct {
		TaskPayload
		SortKey int `json:"sort_key"`
	}
)

// ReturnLine is goods to take back to stock: Qty of SKU from Tote to
// Location, the location they were picked from.
type ReturnLine struct {
	Tote     string `json:"tote"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Location string `json:"location"`
	Lot      string `json:"lot,omitempty"`
	Serial   string `json:"serial,omitempty"`
}

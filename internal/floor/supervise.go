package floor

// EvExceptionResolved: a supervisor resolved an exception (a hub
// conflict, by its id) with an action and a reason. The hub applies it
// only from an operator the hub knows as a supervisor.
const EvExceptionResolved EventType = "supervisor.exception_resolved"

// Resolution actions.
const (
	ResolveApproveShort = "approve_short" // ship short; the rest is a back order
	ResolveReleaseHeld  = "release_held"  // release the order's held goods (its hold, when named)
	ResolveLabelPrinted = "label_printed" // the label in doubt did print
	ResolveReprint      = "reprint"       // the label in doubt is printed again
)

// ResolveActions lists the actions in the order screens show them.
var ResolveActions = []string{ResolveApproveShort, ResolveReleaseHeld, ResolveLabelPrinted, ResolveReprint}

// ExceptionResolvedPayload is EvExceptionResolved's payload.
type ExceptionResolvedPayload struct {
	Exception int64  `json:"exception"`
	Action    string `json:"action"`
	Reason    string `json:"reason"`
	Order     string `json:"order,omitempty"`
	Hold      string `json:"hold,omitempty"` // release_held: the hold to lift
}

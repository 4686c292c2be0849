package floor

// Print events: what the journal records about labels. The label itself is
// a row of the station's print queue; these facts say who asked for it and,
// for a reprint, why.
const (
	// EvLabelQueued asks for a label to be printed. Its effect is a new
	// print job, made in the same transaction as the journal row.
	EvLabelQueued EventType = "label.queued"
	// EvLabelReprinted is an operator asking for another copy of a label
	// that printed (or may have): the reason is kept for the audit.
	EvLabelReprinted EventType = "label.reprinted"
	// EvLabelConfirmed is an operator saying that a label in doubt (tote
	// could not tell whether it printed) did print, so it needs no reprint.
	EvLabelConfirmed EventType = "label.confirmed"
)

// LabelKind is what a label is for.
type LabelKind string

// Label kinds. Others (lower-case words) are allowed.
const (
	LabelShipping LabelKind = "shipping" // carrier shipping label
	LabelDocument LabelKind = "document" // packing slip, tote or location label
	LabelTest     LabelKind = "test"     // printed by tote doctor
)

// Payloads of the print events. Field names are the JSON the hub reads;
// add fields, never rename them.
type (
	// LabelQueuedPayload carries the ZPL itself: the print job is made from
	// it when the event is committed. ZPL is bytes (a label may use a
	// single-byte code page), so it travels base64-encoded.
	LabelQueuedPayload struct {
		Printer string    `json:"printer"`
		Kind    LabelKind `json:"kind"`
		Ref     string    `json:"ref,omitempty"` // shipment, order or tote
		ZPL     []byte    `json:"zpl"`
	}
	LabelReprintedPayload struct {
		Job      int64     `json:"job"`      // the new print job
		Original int64     `json:"original"` // the job it copies
		Printer  string    `json:"printer"`
		Kind     LabelKind `json:"kind"`
		Ref      string    `json:"ref,omitempty"`
		Reason   string    `json:"reason"`
	}
	LabelConfirmedPayload struct {
		Job     int64  `json:"job"`
		Printer string `json:"printer"`
		Ref     string `json:"ref,omitempty"`
		Note    string `json:"note,omitempty"`
	}
)

package protocol

import "time"

// ExceptionDetail is what an exception names, for the screens and for
// the resolution's action (the location to recount, the short to
// re-release, the label to reprint).
type ExceptionDetail struct {
	Wave     string `json:"wave,omitempty"`
	Task     int64  `json:"task,omitempty"`
	Line     int    `json:"line,omitempty"`
	Location string `json:"location,omitempty"`
	SKU      string `json:"sku,omitempty"`
	Qty      int    `json:"qty,omitempty"` // units short, held or on the shelf
	Job      int64  `json:"job,omitempty"` // the station's print job
	Printer  string `json:"printer,omitempty"`
	Event    string `json:"event,omitempty"` // the refused event's type
}

// Notice tells the station whose operator met an exception how a
// supervisor resolved it. Text is in plain words for the screen; Job,
// for a label in doubt, is the print job to reprint or confirm.
type Notice struct {
	Exception  int64  `json:"exception"`
	Source     string `json:"source,omitempty"`
	Kind       string `json:"kind"`
	Action     string `json:"action"`
	Reason     string `json:"reason"`
	Supervisor string `json:"supervisor"`
	Order      string `json:"order,omitempty"`
	Job        int64  `json:"job,omitempty"`
	EventID    string `json:"event_id,omitempty"` // the event that met the exception
	// Wave is the wave a reassignment moved away from this station (its
	// Source is WaveMovedSource and Exception the resolving event's seq).
	Wave string    `json:"wave,omitempty"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// WaveMovedSource is the source of the notice a station gets when a
// supervisor moved its wave to another cart: with the resolving event's
// station, so that (source, exception) names each notice once.
func WaveMovedSource(resolvedAt string) string { return "wave-moved/" + resolvedAt }

// Count is a cycle-count task: count SKU at Location and record the
// count (count.recorded). Status is open or counted.
type Count struct {
	ID        int64     `json:"id"`
	Exception int64     `json:"exception"`
	Station   string    `json:"station"`
	Location  string    `json:"location"`
	SKU       string    `json:"sku"`
	Reason    string    `json:"reason"`
	Status    string    `json:"status"`
	Counted   int       `json:"counted,omitempty"`
	CountedBy string    `json:"counted_by,omitempty"`
	At        time.Time `json:"at"`
}

// Count statuses.
const (
	CountOpen    = "open"
	CountCounted = "counted"
)

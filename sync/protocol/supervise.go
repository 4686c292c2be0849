package protocol

import "time"

// The figures' paths for a station's token (readers use /api/v1/waves,
// /api/v1/waves/{id}, /api/v1/site).
const (
	PathFigureWaves = "/sync/v1/waves"
	PathFigureSite  = "/sync/v1/site"
)

// The supervisor's read API (GET /api/v1/waves, /api/v1/waves/{id},
// /api/v1/site): the hub's live aggregates, kept in the push transaction
// from the events it applies. Version grows with every push that changed
// them; ?after=Version answers only what changed since.

// WavesView is every wave with progress, as of At.
type WavesView struct {
	Version int64          `json:"version"`
	At      time.Time      `json:"at"`
	Waves   []WaveProgress `json:"waves"`
}

// WaveProgress is one wave's figures: orders by state, units, the recent
// pick rate and the finish it gives, and orders late against ship-by.
type WaveProgress struct {
	Wave    string         `json:"wave"`
	Status  string         `json:"status,omitempty"`
	Station string         `json:"station,omitempty"`
	Orders  int            `json:"orders"`
	ByState map[string]int `json:"by_state"`
	Lines   int            `json:"lines"`
	// LinesDone are lines picked or shorted to the full quantity.
	LinesDone int `json:"lines_done"`
	Units     int `json:"units"`
	Picked    int `json:"picked"`
	Short     int `json:"short"`
	Packed    int `json:"packed"`
	Shipped   int `json:"shipped"`
	// BackOrders are orders with units shorted (a back order each).
	BackOrders int `json:"back_orders"`
	Late       int `json:"late"`
	// RatePerHour is units picked per hour over the recent window;
	// ETA is when the units left to pick are picked at that rate; Basis
	// says what it rests on, in words.
	RatePerHour float64    `json:"rate_per_hour"`
	ETA         *time.Time `json:"eta,omitempty"`
	Basis       string     `json:"basis"`
}

// WaveDetail is one wave's progress with its orders.
type WaveDetail struct {
	Version  int64           `json:"version"`
	At       time.Time       `json:"at"`
	Progress WaveProgress    `json:"progress"`
	Orders   []OrderProgress `json:"orders"`
}

// OrderProgress is one order's figures inside its wave.
type OrderProgress struct {
	Order     string     `json:"order"`
	State     string     `json:"state"`
	ShipBy    *time.Time `json:"ship_by,omitempty"`
	Late      bool       `json:"late,omitempty"`
	Lines     int        `json:"lines"`
	LinesDone int        `json:"lines_done"`
	Units     int        `json:"units"`
	Picked    int        `json:"picked"`
	Short     int        `json:"short"`
	Packed    int        `json:"packed"`
	Shipped   int        `json:"shipped"`
}

// SiteView is the site's people, stations and exceptions, as of At.
type SiteView struct {
	Version    int64          `json:"version"`
	At         time.Time      `json:"at"`
	People     []PersonRate   `json:"people"`
	Stations   []StationState `json:"stations"`
	Exceptions []Conflict     `json:"exceptions"`
	// BadgeLocks are the badges locked now (wrong PINs), for the
	// supervisor to lift; as GET /api/v1/badge-locks, locked ones only.
	BadgeLocks []BadgeLock `json:"badge_locks,omitempty"`
}

// PersonRate is one operator's pace: units and lines per hour over the
// last hour and the shift, mis-scans per 100 scans, the latest event
// (task and station) and the time since it.
type PersonRate struct {
	Badge          string    `json:"badge"`
	Station        string    `json:"station,omitempty"`
	LastEvent      string    `json:"last_event,omitempty"`
	LastAt         time.Time `json:"last_at"`
	IdleSeconds    int64     `json:"idle_seconds"`
	UnitsHour      float64   `json:"units_hour"`
	LinesHour      float64   `json:"lines_hour"`
	UnitsShiftHour float64   `json:"units_shift_hour"`
	LinesShiftHour float64   `json:"lines_shift_hour"`
	Units          int64     `json:"units"`
	Lines          int64     `json:"lines"`
	Scans          int64     `json:"scans"`
	MisScans       int64     `json:"mis_scans"`
	MisScansPer100 float64   `json:"mis_scans_per_100"`
}

// StationState is one station as the hub sees it.
type StationState struct {
	ID       string     `json:"id"`
	Name     string     `json:"name,omitempty"`
	Mark     int64      `json:"mark"`
	LastPush *time.Time `json:"last_push,omitempty"`
	LastPull *time.Time `json:"last_pull,omitempty"`
	Events   int64      `json:"events"`
	Rejected int64      `json:"rejected"`
	Operator string     `json:"operator,omitempty"`
	// Devices are its devices as it last reported them (DevicesReport).
	Devices []DeviceState `json:"devices,omitempty"`
	// LastContact is its latest push, pull or report; Online when that is
	// within OfflineAfter of the answer's time.
	LastContact *time.Time `json:"last_contact,omitempty"`
	Online      bool       `json:"online"`
	// Waiting events at the station and the device time of the oldest,
	// and who is signed in there, as it last reported them.
	Waiting       int64      `json:"waiting,omitempty"`
	OldestWaiting *time.Time `json:"oldest_waiting,omitempty"`
	SignedIn      string     `json:"signed_in,omitempty"`
}

// OfflineAfter: a station not heard from (push, pull or report) for this
// long shows offline. An online station pulls at least every 35s (a 25s
// wait at the hub plus its 10s interval), so two minutes is several
// missed exchanges, not one slow one.
const OfflineAfter = 2 * time.Minute

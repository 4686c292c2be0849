package protocol

import (
	"time"

	"github.com/totewms/tote/internal/floor"
)

// Paths of the admin and read APIs. {id} and {reason} are path segments.
const (
	PathAdmin = "/admin/v1/"
	PathRead  = "/api/v1/"
)

// Reference is reference data to import: who works, where things are, what
// they are. Every record replaces the one with the same key.
type Reference struct {
	Operators []Operator `json:"operators,omitempty"`
	Locations []Location `json:"locations,omitempty"`
	Items     []Item     `json:"items,omitempty"`
}

// OrderImport is the JSON body of an order import.
type OrderImport struct {
	Orders []Order `json:"orders"`
}

// ImportResult counts what an import wrote.
type ImportResult struct {
	Operators int `json:"operators,omitempty"`
	Locations int `json:"locations,omitempty"`
	Items     int `json:"items,omitempty"`
	Orders    int `json:"orders,omitempty"`
}

// NewWave asks the hub to make a wave of orders: it makes one pick task per
// order line at the item's home location, order by order in walk order.
// Station, when set, assigns the wave at once.
type NewWave struct {
	ID      string   `json:"id"`
	Orders  []string `json:"orders"`
	Station string   `json:"station,omitempty"`
}

// WaveInfo describes a wave at the hub.
type WaveInfo struct {
	ID      string   `json:"id"`
	Status  string   `json:"status"`
	Station string   `json:"station"`
	Orders  []string `json:"orders"`
	Tasks   int      `json:"tasks"`
}

// Assign moves a wave to a station.
type Assign struct {
	Station string `json:"station"`
}

// CancelRequest cancels an order centrally.
type CancelRequest struct {
	Reason string `json:"reason"`
}

// RegisterStation asks for a station and its token.
type RegisterStation struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Registered carries a new token. The hub keeps only its SHA-256: this is
// the one time it is shown.
type Registered struct {
	Station   string     `json:"station,omitempty"`
	Number    int        `json:"number,omitempty"` // the station's number, see Hello
	Kind      string     `json:"kind"`
	Token     string     `json:"token"`
	ID        string     `json:"id,omitempty"` // what lists and revocation name it by
	Scopes    []string   `json:"scopes,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// NewToken asks for a token: a station's (Station), or an admin token
// with Scopes (import, operate, read, admin-tokens).
type NewToken struct {
	Kind           string   `json:"kind"`
	Station        string   `json:"station,omitempty"`
	Scopes         []string `json:"scopes,omitempty"`
	Label          string   `json:"label,omitempty"`
	ExpiresInHours int      `json:"expires_in_hours,omitempty"`
}

// StationInfo is what the hub knows of a station's sync.
type StationInfo struct {
	ID           string     `json:"id"`
	Name         string     `json:"name,omitempty"`
	Number       int        `json:"number,omitempty"` // see Hello
	Bench        string     `json:"bench,omitempty"`  // what the station said it runs on its last pull (BenchPick, BenchPack)
	Mark         int64      `json:"mark"`             // last sequence applied
	Epoch        int64      `json:"epoch"`            // bumped by each reset
	RegisteredAt time.Time  `json:"registered_at"`
	LastPush     *time.Time `json:"last_push,omitempty"`
	LastPull     *time.Time `json:"last_pull,omitempty"`
}

// Fulfilment statuses, from least to most advanced (cancelled aside).
const (
	StatusOpen       = "open"
	StatusInProgress = "in_progress"
	StatusShort      = "short"  // every line picked or short, at least one short
	StatusPicked     = "picked" // every unit picked
	StatusPacked     = "packed"
	StatusShipped    = "shipped"
	StatusReturned   = "returned"
	StatusCancelled  = "cancelled"
)

// Fulfilment is an order's progress as the floor reported it.
type Fulfilment struct {
	Order  string `json:"order"`
	Status string `json:"status"`
	// State is the order's state in its life at the hub
	// (docs/order-life.md): State* in orderlife.go.
	State        string         `json:"state,omitempty"`
	CancelReason string         `json:"cancel_reason,omitempty"`
	Holds        []Hold         `json:"holds,omitempty"`
	Stations     []string       `json:"stations,omitempty"` // stations whose waves hold it
	Lines        []LineProgress `json:"lines"`
	Parcels      []Parcel       `json:"parcels,omitempty"`
	Conflicts    []Conflict     `json:"conflicts,omitempty"`
	BackOrders   []BackOrder    `json:"back_orders,omitempty"`
	HoldingShelf []ShelfEntry   `json:"holding_shelf,omitempty"`
	RestockTasks []RestockTask  `json:"restock_tasks,omitempty"`
	// Returns are the units that came back at returns benches (returns.go).
	Returns []ReturnEntry `json:"returns,omitempty"`
}

// LineProgress counts units of one order line.
type LineProgress struct {
	Line     int    `json:"line"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	Picked   int    `json:"picked"`
	Short    int    `json:"short"`
	Packed   int    `json:"packed"`
	Shipped  int    `json:"shipped"`
	Returned int    `json:"returned"`
	// Where the units are now (see LineLife): they add up to Qty.
	Open        int `json:"open"`
	InTote      int `json:"in_tote"`
	BackOrdered int `json:"back_ordered"`
	Restocked   int `json:"restocked"`
	Cancelled   int `json:"cancelled"`
}

// Parcel is a carton of an order: its SSCC, and its tracking once shipped.
type Parcel struct {
	SSCC     string `json:"sscc,omitempty"`
	Tracking string `json:"tracking,omitempty"`
	Carrier  string `json:"carrier,omitempty"`
	// TrackingSource: TrackingCarrier or TrackingStation (a number the
	// packing station made up, for sites without carrier integration).
	TrackingSource string `json:"tracking_source,omitempty"`
	Status         string `json:"status"` // packed, shipped, returned
}

// Conflict is a problem the hub found between the floor and central
// decisions, for a person to resolve (e.g. goods picked for an order
// cancelled meanwhile).
type Conflict struct {
	ID      int64     `json:"id"`
	Station string    `json:"station,omitempty"`
	Seq     int64     `json:"seq,omitempty"`
	EventID string    `json:"event_id,omitempty"`
	Order   string    `json:"order,omitempty"`
	Kind    string    `json:"kind"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
	// Source is floor.SourceFloor for an exception the hub raised from a
	// station's event (its ID is then that queue's), "" for a conflict.
	Source string           `json:"source,omitempty"`
	Detail *ExceptionDetail `json:"detail,omitempty"`
}

// StoredEvent is an event as the hub keeps it, with its receipt time and
// outcome.
type StoredEvent struct {
	Event
	ReceivedAt time.Time `json:"received_at"`
	Status     string    `json:"status"`
	Reason     string    `json:"reason,omitempty"`
}

// SiteImport is a whole site in one document, for `tote hub import` and
// the demo: reference data, orders, and waves to make (and assign). Any
// part may be left out.
type SiteImport struct {
	Operators []Operator `json:"operators,omitempty"`
	Locations []Location `json:"locations,omitempty"`
	Items     []Item     `json:"items,omitempty"`
	Orders    []Order    `json:"orders,omitempty"`
	Waves     []NewWave  `json:"waves,omitempty"`
}

// SiteOf makes an import document of a site held in domain types (the
// demo's generator makes one): each item's home location is where its
// pick tasks are, each wave lists its tasks' orders in task order, and
// every wave is assigned to station ("" leaves them unassigned).
func SiteOf(operators []floor.Operator, locations []floor.Location, items []floor.Item, orders []floor.Order,
	waves []floor.Wave, tasks []floor.PickTask, station string) SiteImport {
	var imp SiteImport
	home := map[string]string{}
	waveOrders := map[string][]string{}
	seen := map[[2]string]bool{}
	for _, t := range tasks {
		home[t.SKU] = t.Location
		if k := [2]string{t.WaveID, t.OrderID}; !seen[k] {
			seen[k] = true
			waveOrders[t.WaveID] = append(waveOrders[t.WaveID], t.OrderID)
		}
	}
	for _, o := range operators {
		imp.Operators = append(imp.Operators, OperatorOf(o))
	}
	for _, l := range locations {
		imp.Locations = append(imp.Locations, LocationOf(l))
	}
	for _, it := range items {
		imp.Items = append(imp.Items, ItemOf(it, home[it.SKU]))
	}
	for _, o := range orders {
		w := OrderOf(o)
		w.Status = "" // an import makes open orders
		imp.Orders = append(imp.Orders, w)
	}
	for _, w := range waves {
		if len(waveOrders[w.ID]) > 0 {
			imp.Waves = append(imp.Waves, NewWave{ID: w.ID, Orders: waveOrders[w.ID], Station: station})
		}
	}
	return imp
}

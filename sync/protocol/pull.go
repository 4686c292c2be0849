package protocol

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
)

// PullResponse is one page of a station's change feed. The station applies
// Changes in order and stores Cursor in the same transaction, then asks
// again with it while More is true. Reset means the hub ordered a refetch:
// these changes start again from the beginning of the station's slice.
type PullResponse struct {
	Station string `json:"station"` // whose slice this is: the token's station
	// StationNumber is the number the hub gave the station at registration
	// (see Hello); 0 from a hub that gives none.
	StationNumber int      `json:"station_number,omitempty"`
	Reset         bool     `json:"reset,omitempty"`
	Cursor        string   `json:"cursor"`
	More          bool     `json:"more"`
	Changes       []Change `json:"changes"`
	// WaitMS is the longest this hub holds a waiting pull (ParamWait), in
	// milliseconds; 0 (absent): the hub answers at once, always (a hub
	// older than waiting, one that does not wait, or one that will not
	// hold another pull for this token now). The station waits only
	// while the hub's last answer said it may.
	WaitMS int64 `json:"wait_ms,omitempty"`
}

// Change kinds. Every change carries the whole current state of what it
// names, so applying one twice, or an older one after a reset, is harmless.
const (
	KindOperator = "operator"
	KindLocation = "location"
	KindItem     = "item"
	KindOrder    = "order"  // an order with its lines, holds and status
	KindWave     = "wave"   // a wave and the station it is assigned to
	KindTask     = "task"   // a pick task of a wave
	KindHolds    = "holds"  // the full set of an order's holds (a release is a smaller set)
	KindCancel   = "cancel" // an order cancelled centrally
	KindLabel    = "label"  // a carrier-supplied shipping label
	KindTote     = "tote"   // a tote: the order it holds and what the carts put in it, or free
	KindBadge    = "badge"  // a badge locked after wrong PINs, or unlocked (badge.go)
	KindNotice   = "notice" // a supervisor's resolution of an exception this station met
	KindCount    = "count"  // a cycle-count task for a pick cart
	KindParcel   = "parcel" // a packed parcel for the dispatch benches: its label, its order's standing, where it is
	// KindReturnable is an order that shipped, for the returns benches:
	// its parcels and what shipped and came back per line (returns.go).
	KindReturnable = "returnable"
)

// Change is one entry of the feed: Kind says which one field is set.
type Change struct {
	Seq      int64       `json:"seq"`
	Kind     string      `json:"kind"`
	Operator *Operator   `json:"operator,omitempty"`
	Location *Location   `json:"location,omitempty"`
	Item     *Item       `json:"item,omitempty"`
	Order    *Order      `json:"order,omitempty"`
	Wave     *Wave       `json:"wave,omitempty"`
	Task     *Task       `json:"task,omitempty"`
	Holds    *Holds      `json:"holds,omitempty"`
	Cancel   *Cancel     `json:"cancel,omitempty"`
	Label    *Label      `json:"label,omitempty"`
	Tote     *Tote       `json:"tote,omitempty"`
	Parcel   *DockParcel `json:"parcel,omitempty"`
	Badge    *BadgeLock  `json:"badge,omitempty"`
	Notice   *Notice     `json:"notice,omitempty"`
	Count    *Count      `json:"count,omitempty"`
	// Returnable: see KindReturnable.
	Returnable *Returnable `json:"returnable,omitempty"`
}

// Check reports a change whose kind and content disagree.
func (c *Change) Check() error {
	set := map[string]bool{
		KindOperator: c.Operator != nil, KindLocation: c.Location != nil, KindItem: c.Item != nil,
		KindOrder: c.Order != nil, KindWave: c.Wave != nil, KindTask: c.Task != nil,
		KindHolds: c.Holds != nil, KindCancel: c.Cancel != nil, KindLabel: c.Label != nil,
		KindTote: c.Tote != nil, KindParcel: c.Parcel != nil, KindBadge: c.Badge != nil,
		KindNotice: c.Notice != nil, KindCount: c.Count != nil, KindReturnable: c.Returnable != nil,
	}
	has, known := set[c.Kind]
	if !known {
		return fmt.Errorf("change %d has unknown kind %q", c.Seq, floor.Printable(c.Kind))
	}
	if !has {
		return fmt.Errorf("change %d of kind %q has no %s in it", c.Seq, c.Kind, c.Kind)
	}
	n := 0
	for _, v := range set {
		if v {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("change %d of kind %q carries %d records; it must carry exactly one", c.Seq, c.Kind, n)
	}
	return nil
}

// Operator is a person who may log in on stations. PIN is accepted on
// import only (the hub keeps and sends PINHash).
type Operator struct {
	Badge   string   `json:"badge"`
	Name    string   `json:"name"`
	Roles   []string `json:"roles"`
	PINHash string   `json:"pin_hash,omitempty"`
	PIN     string   `json:"pin,omitempty"`
}

// Location is a pick face.
type Location struct {
	Code     string `json:"code"`
	Zone     string `json:"zone"`
	Aisle    int    `json:"aisle"`
	Bay      int    `json:"bay"`
	Level    int    `json:"level"`
	Position string `json:"position,omitempty"`
	WalkSeq  int    `json:"walk_seq"`
}

// Item is a stock-keeping unit. Location is its home pick face: the hub
// makes pick tasks there when a wave is created.
type Item struct {
	SKU              string   `json:"sku"`
	Description      string   `json:"description"`
	GTINs            []string `json:"gtins,omitempty"`
	UnitWeightG      float64  `json:"unit_weight_g,omitempty"`
	LengthMM         float64  `json:"length_mm,omitempty"`
	WidthMM          float64  `json:"width_mm,omitempty"`
	HeightMM         float64  `json:"height_mm,omitempty"`
	LotControlled    bool     `json:"lot_controlled,omitempty"`
	SerialControlled bool     `json:"serial_controlled,omitempty"`
	Hazmat           bool     `json:"hazmat,omitempty"`
	Location         string   `json:"location,omitempty"`
	// OtherLocations are other pick faces that hold the item, where a
	// short pick's remainder is offered again (hub setting
	// short_remainder = reallocate).
	OtherLocations []string `json:"other_locations,omitempty"`
}

// Order is a customer order with its lines and holds. ShipTo, Carrier and
// Service are optional: an order without them ships with the packing
// station's [pack] defaults. CheckShipTo says whether they may be stored.
type Order struct {
	ID           string      `json:"id"`
	Priority     int         `json:"priority"`
	ShipBy       *time.Time  `json:"ship_by,omitempty"`
	Status       string      `json:"status,omitempty"`
	Customer     string      `json:"customer,omitempty"`
	ShipTogether string      `json:"ship_together,omitempty"`
	Holds        []Hold      `json:"holds,omitempty"`
	Lines        []OrderLine `json:"lines"`
	ShipTo       Address     `json:"ship_to,omitzero"`
	Carrier      string      `json:"carrier,omitempty"`
	Service      string      `json:"service,omitempty"`
}

// Address is the domain's postal address: its JSON names are the wire's.
// The zero Address (or an absent "ship_to") means none.
type Address = floor.Address

// OrderLine is one SKU and quantity of an order.
type OrderLine struct {
	Line int    `json:"line"`
	SKU  string `json:"sku"`
	Qty  int    `json:"qty"`
}

// Hold stops an order's label while it stands.
type Hold struct {
	Reason string `json:"reason"`
	Note   string `json:"note,omitempty"`
}

// Wave is a batch of orders released to a station.
type Wave struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Station string `json:"station"`
}

// Task is one pick task: go to Location, take Qty of SKU for the order line.
type Task struct {
	ID       int64  `json:"id"`
	Wave     string `json:"wave"`
	Order    string `json:"order"`
	Line     int    `json:"line"`
	Location string `json:"location"`
	SKU      string `json:"sku"`
	Qty      int    `json:"qty"`
	SortKey  int    `json:"sort_key"`
}

// Holds is the whole set of holds an order has now.
type Holds struct {
	Order string `json:"order"`
	Holds []Hold `json:"holds"`
}

// Cancel says an order was cancelled centrally.
type Cancel struct {
	Order  string `json:"order"`
	Reason string `json:"reason,omitempty"`
}

// Label is a shipping label a carrier supplied for an order; the packing
// station prints it when the order is packed.
type Label struct {
	Order    string `json:"order"`
	Tracking string `json:"tracking"`
	Carrier  string `json:"carrier,omitempty"`
	Service  string `json:"service,omitempty"`
	SSCC     string `json:"sscc,omitempty"`
	Format   string `json:"format"` // zpl
	Data     string `json:"data"`   // the label itself, e.g. ZPL text
}

// Conversions between the wire and the domain.

// OperatorOf converts a domain operator.
func OperatorOf(o floor.Operator) Operator {
	roles := make([]string, len(o.Roles))
	for i, r := range o.Roles {
		roles[i] = string(r)
	}
	return Operator{Badge: o.Badge, Name: o.Name, Roles: roles, PINHash: o.PINHash}
}

// Floor converts to the domain; unknown roles are an error.
func (o Operator) Floor() (floor.Operator, error) {
	op := floor.Operator{Badge: o.Badge, Name: o.Name, PINHash: o.PINHash}
	if op.PINHash == "" && o.PIN != "" {
		op.PINHash = floor.HashPIN(o.Badge, o.PIN)
	}
	for _, r := range o.Roles {
		role, err := floor.ParseRole(strings.TrimSpace(r))
		if err != nil {
			return op, fmt.Errorf("operator %s: %w", floor.Printable(o.Badge), err)
		}
		op.Roles = append(op.Roles, role)
	}
	return op, nil
}

// LocationOf converts a domain location.
func LocationOf(l floor.Location) Location {
	return Location{Code: l.Code, Zone: l.Zone, Aisle: l.Aisle, Bay: l.Bay, Level: l.Level, Position: l.Position, WalkSeq: l.WalkSeq}
}

// Floor converts to the domain.
func (l Location) Floor() floor.Location {
	return floor.Location{Code: l.Code, Zone: l.Zone, Aisle: l.Aisle, Bay: l.Bay, Level: l.Level, Position: l.Position, WalkSeq: l.WalkSeq}
}

// ItemOf converts a domain item with its home location.
func ItemOf(it floor.Item, location string) Item {
	return Item{SKU: it.SKU, Description: it.Description, GTINs: it.GTINs, UnitWeightG: it.UnitWeightG,
		LengthMM: it.LengthMM, WidthMM: it.WidthMM, HeightMM: it.HeightMM, LotControlled: it.LotControlled,
		SerialControlled: it.SerialControlled, Hazmat: it.Hazmat, Location: location}
}

// Floor converts to the domain.
func (it Item) Floor() floor.Item {
	return floor.Item{SKU: it.SKU, Description: it.Description, GTINs: it.GTINs, UnitWeightG: it.UnitWeightG,
		LengthMM: it.LengthMM, WidthMM: it.WidthMM, HeightMM: it.HeightMM, LotControlled: it.LotControlled,
		SerialControlled: it.SerialControlled, Hazmat: it.Hazmat}
}

// OrderOf converts a domain order.
func OrderOf(o floor.Order) Order {
	w := Order{ID: o.ID, Priority: o.Priority, Status: string(o.Status), Customer: o.Customer, ShipTogether: o.ShipTogether,
		ShipTo: o.ShipTo, Carrier: o.Carrier, Service: o.Service}
	if !o.ShipBy.IsZero() {
		t := o.ShipBy.UTC()
		w.ShipBy = &t
	}
	for _, h := range o.Holds {
		w.Holds = append(w.Holds, Hold(h))
	}
	for _, l := range o.Lines {
		w.Lines = append(w.Lines, OrderLine{Line: l.LineNo, SKU: l.SKU, Qty: l.Qty})
	}
	return w
}

// Floor converts to the domain.
func (o Order) Floor() floor.Order {
	f := floor.Order{ID: o.ID, Priority: o.Priority, Status: floor.OrderStatus(o.Status), Customer: o.Customer, ShipTogether: o.ShipTogether,
		ShipTo: o.ShipTo, Carrier: o.Carrier, Service: o.Service}
	if o.ShipBy != nil {
		f.ShipBy = *o.ShipBy
	}
	for _, h := range o.Holds {
		f.Holds = append(f.Holds, floor.Hold(h))
	}
	for _, l := range o.Lines {
		f.Lines = append(f.Lines, floor.OrderLine{OrderID: o.ID, LineNo: l.Line, SKU: l.SKU, Qty: l.Qty})
	}
	return f
}

// WaveOf converts a domain wave.
func WaveOf(w floor.Wave) Wave { return Wave{ID: w.ID, Status: w.Status, Station: w.Station} }

// Floor converts to the domain.
func (w Wave) Floor() floor.Wave { return floor.Wave{ID: w.ID, Status: w.Status, Station: w.Station} }

// TaskOf converts a domain pick task.
func TaskOf(t floor.PickTask) Task {
	return Task{ID: t.ID, Wave: t.WaveID, Order: t.OrderID, Line: t.LineNo, Location: t.Location, SKU: t.SKU, Qty: t.Qty, SortKey: t.SortKey}
}

// Floor converts to the domain; the task is open.
func (t Task) Floor() floor.PickTask {
	return floor.PickTask{ID: t.ID, WaveID: t.Wave, OrderID: t.Order, LineNo: t.Line, Location: t.Location, SKU: t.SKU,
		Qty: t.Qty, SortKey: t.SortKey, Status: floor.TaskOpen}
}

// ParamWait is the pull's query parameter that asks the hub to hold the
// pull while the station has nothing new: a duration ("25s", "1500ms")
// or whole seconds ("25").
const ParamWait = "wait"

// MaxWaitParam bounds what ParseWait accepts; the hub holds a pull no
// longer than its own maximum anyway.
const MaxWaitParam = time.Hour

// ParseWait reads a pull's wait parameter; "" is no wait.
func ParseWait(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		n, nerr := strconv.ParseUint(s, 10, 16)
		if nerr != nil {
			return 0, fmt.Errorf("wait %q is not a duration: write it like 25s or 1500ms", floor.Printable(s))
		}
		d = time.Duration(n) * time.Second
	}
	if d < 0 || d > MaxWaitParam {
		return 0, fmt.Errorf("wait %q: give a duration from 0s to %v", floor.Printable(s), MaxWaitParam)
	}
	return d, nil
}

// Package floor is the warehouse domain tote works in: operators, locations,
// items, orders, waves, pick tasks, totes and the journal of events that
// records every fact a station learns.
//
// It is the heart every other package builds on, so it imports none of them:
// no SQLite, no serial ports, no terminal. Workflows (station/pick and the
// others) are pure functions over these types; adapters store and transport
// them.
//
// Caveats: quantities are whole units; weights are grams, lengths
// millimetres; GTINs are always held as 14 digits.
package floor

import (
	"encoding/json"
	"fmt"
	"github.com/totewms/tote/internal/pin"
	"slices"
	"strings"
	"time"
)

// Role is what an operator may do on a station.
type Role string

const (
	RolePicker     Role = "picker"
	RolePacker     Role = "packer"
	RoleSupervisor Role = "supervisor"
	RoleReturns    Role = "returns"
)

// Roles lists every role in the order screens show them.
var Roles = []Role{RolePicker, RolePacker, RoleSupervisor, RoleReturns, RoleLoader}

// ParseRole accepts a role name as written in config and data files.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (want one of picker, packer, supervisor, returns, loader)", s)
}

// Operator is a person who logs in by scanning a badge.
type Operator struct {
	Badge string
	Name  string
	Roles []Role
	// PINHash is empty when the operator has no PIN. See HashPIN.
	PINHash string
	// PIN is the badge's standing at this station's PIN prompt (the
	// station's store fills it; it is never on the wire). See pinlock.go.
	PIN PINStanding
}

// Has reports whether the operator holds role r.
func (o Operator) Has(r Role) bool { return slices.Contains(o.Roles, r) }

// Location is a pick face. Code is what its barcode says; WalkSeq orders
// locations along the pick path (lower first).
type Location struct {
	Code     string
	Zone     string
	Aisle    int
	Bay      int
	Level    int
	Position string
	WalkSeq  int
}

// Item is a stock-keeping unit with the barcodes that identify it.
type Item struct {
	SKU         string
	GTINs       []string // 14 digits each
	Description string
	UnitWeightG float64
	LengthMM    float64
	WidthMM     float64
	HeightMM    float64
	// LotControlled items need a lot captured at pick; SerialControlled
	// items need a serial per unit.
	LotControlled    bool
	SerialControlled bool
	Hazmat           bool
}

// SameSKU is how a SKU is matched: ignoring the case of the letters A-Z,
// so "yoga-217" typed or scanned names the item YOGA-217. The hub refuses
// two items whose SKUs differ only in case, so the match is never
// ambiguous. Other letters match exactly.
func SameSKU(a, b string) bool { return len(a) == len(b) && SKUKey(a) == SKUKey(b) }

// SKUKey is a SKU as SameSKU compares it: A-Z in capitals.
func SKUKey(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'a' && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// HasGTIN reports whether gtin (14 digits) identifies the item.
func (it Item) HasGTIN(gtin string) bool { return slices.Contains(it.GTINs, gtin) }

// OrderStatus follows Shopify's FulfillmentOrder statuses where they match.
type OrderStatus string

const (
	OrderOpen       OrderStatus = "open"
	OrderInProgress OrderStatus = "in_progress"
	OrderPicked     OrderStatus = "picked"
	OrderPacked     OrderStatus = "packed"
	OrderShipped    OrderStatus = "shipped"
	OrderCancelled  OrderStatus = "cancelled"
)

// Order is a customer order routed to this site.
type Order struct {
	ID       string
	Priority int // higher goes first
	ShipBy   time.Time
	Status   OrderStatus
	Customer string
	// ShipTogether names a group of orders (or "" for none) whose lines must
	// not be split across shipments without a supervisor override.
	ShipTogether string
	Holds        []Hold
	Lines        []OrderLine
	// ShipTo is where the order goes; Carrier and Service, when set,
	// replace the station's [pack] defaults on its shipping labels.
	ShipTo  Address
	Carrier string
	Service string
}

// Address is a postal address as a carrier needs it. The JSON names are
// those of the OMS import and the sync protocol.
type Address struct {
	Name       string `json:"name"`
	Company    string `json:"company,omitempty"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country"`
}

// IsZero reports whether no part of the address is set.
func (a Address) IsZero() bool { return a == Address{} }

// Hold stops an order from being labelled while it stands.
type Hold struct {
	Reason string // e.g. INCORRECT_ADDRESS, HIGH_RISK_OF_FRAUD
	Note   string
}

// OrderLine is one SKU and quantity of an order.
type OrderLine struct {
	OrderID   string
	LineNo    int
	SKU       string
	Qty       int
	QtyPicked int
	QtyShort  int
}

// Wave is a batch of orders released to the floor together.
type Wave struct {
	ID      string
	Status  string // released, in_progress, done
	Station string // the station it is assigned to, "" for any
}

// TaskStatus is where a pick task stands.
type TaskStatus string

const (
	TaskOpen       TaskStatus = "open"
	TaskInProgress TaskStatus = "in_progress"
	TaskPicked     TaskStatus = "picked"
	TaskShort      TaskStatus = "short"
	TaskSkipped    TaskStatus = "skipped"
	// TaskCancelled: its order was cancelled centrally, so the task left
	// the walk; what was picked for it went back to stock.
	TaskCancelled TaskStatus = "cancelled"
)

// Done reports whether the task needs no more work.
func (s TaskStatus) Done() bool { return s == TaskPicked || s == TaskShort || s == TaskCancelled }

// PickTask says: go to Location, take Qty of SKU into the tote.
// It is comparable so a workflow's changes can be found with !=.
type PickTask struct {
	ID        int64
	WaveID    string
	OrderID   string
	LineNo    int
	Location  string
	SKU       string
	Qty       int
	QtyPicked int
	Tote      string // the tote the last units went into
	Status    TaskStatus
	// SortKey is the walk order; skipping a task moves it past the others.
	SortKey int
	// From the item, so the screen and the workflow need no catalogue look-up.
	Description      string
	GTIN             string // the item's first GTIN, for hints and labels
	LotControlled    bool
	SerialControlled bool
}

// Remaining is what is still to pick.
func (t PickTask) Remaining() int { return t.Qty - t.QtyPicked }

// ShortReason says why a picker could not take the full quantity.
type ShortReason string

const (
	ShortNotFound ShortReason = "not-found"
	ShortDamaged  ShortReason = "damaged"
	ShortQtyShort ShortReason = "quantity-short"
)

// ShortReasons in the order the screen numbers them.
var ShortReasons = []ShortReason{ShortNotFound, ShortDamaged, ShortQtyShort}

// Describe gives the reason in words for screens.
func (r ShortReason) Describe() string {
	switch r {
	case ShortNotFound:
		return "Item not found"
	case ShortDamaged:
		return "Damaged"
	case ShortQtyShort:
		return "Quantity short"
	}
	return string(r)
}

// Event is one fact in a station's journal. The station assigns Seq (gapless,
// +1 per event, per station) and ID when it commits the event together with
// its effect; workflows fill in Type, Operator and Payload.
type Event struct {
	Seq        int64
	ID         string
	Station    string
	Operator   string
	DeviceTime time.Time // the station's clock: information, never order
	Type       EventType
	Payload    json.RawMessage
}

// NewEvent builds an unsequenced event with v marshalled as its payload.
// Payload types are plain structs of strings and numbers, so marshalling
// cannot fail; a failure would be a programming error and panics.
func NewEvent(t EventType, operator string, v any) Event {
	if b, ok := plainPayload(v); ok {
		return Event{Type: t, Operator: operator, Payload: b}
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("floor: payload for %s does not marshal: %v", t, err))
	}
	return Event{Type: t, Operator: operator, Payload: b}
}

// Scan is one barcode read, from any source: a keyboard-wedge scanner typing
// into the terminal, a serial scanner, or a person typing.
type Scan struct {
	Source string // "keyboard" or the scanner's configured name
	AIM    string // AIM symbology identifier such as "]C1", "" when unknown
	Data   string
	At     time.Time
	// Problem is set when the scanner delivered something that is not a
	// scan (too long, cut off by an unplug); the station journals it as a
	// rejection with this reason.
	Problem string
}

// Printable returns s made safe to put on a terminal or in a log line:
// what the outside-text rule (text.go) does not take becomes a visible
// escape, so hostile data can never drive the terminal or hide from the
// operator. Control characters (escape sequences included) and bytes that
// are not UTF-8 show as \xNN, GS as <GS>, invisible formatting (bidi
// controls, U+061C, U+200B, U+2060, U+FEFF, line and paragraph separators,
// a ZWNJ or ZWJ that joins nothing) as \uNNNN. Text the rule takes passes
// unchanged.
func Printable(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == 0x1D:
			b.WriteString("<GS>")
		case r == '\uFFFD' && len(s) > i && !validAt(s, i):
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\x%02x`, r)
		case !allowedAt(s, i, r):
			// formatting could reorder or hide what the operator reads
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// validAt reports whether the rune at s[i] is a real U+FFFD rather than the
// decoder's stand-in for an invalid byte.
func validAt(s string, i int) bool {
	return strings.HasPrefix(s[i:], "\uFFFD")
}

// HashPIN is how a PIN is kept: a slow salted hash (internal/pin), so
// the hash a station holds does not give the PIN away in a few thousand
// tries. Each call costs tens of milliseconds.
func HashPIN(badge, typed string) string { return pin.Hash(badge, typed) }

// PINMatches reports whether typed is the operator's PIN.
func (o Operator) PINMatches(typed string) bool { return pin.Verify(o.PINHash, o.Badge, typed) }

// ValidPINHash reports whether h is a PIN hash tote reads ("" for none).
func ValidPINHash(h string) bool { return pin.Valid(h) }

// LegacyPINHash reports whether h is an unsalted hash of tote before 0.9.
func LegacyPINHash(h string) bool { return pin.Legacy(h) }

// CheckPINDigits says what is wrong with a PIN: digits only, min to 12.
func CheckPINDigits(p string, min int) error { return pin.CheckDigits(p, min) }

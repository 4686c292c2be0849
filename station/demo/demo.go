// Package demo makes a realistic, deterministic site for `tote demo` and for
// tests: five aisles of locations walked in an S-shape, 500 items with valid
// GTIN-13s, operators for every role, and a released wave of 60 orders, each
// with a ship-to address in the US. Among the first ten orders are always
// one of simple items only (the first), one with a lot-controlled line and
// one with a hazmat item, so a short demo shows each kind of packing.
//
// It only builds data, the same for the same seed; the caller loads it into
// a store or a hub. The addresses are made up: they must never be mistaken
// for, or sent to, a real carrier.
package demo

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/gs1"
	"github.com/totewms/tote/station/store"
)

// Sizes of the demo site.
const (
	Aisles   = 5
	Bays     = 20
	Levels   = 5
	NumItems = 500
	Orders   = 60
	WaveID   = "W-0001"
	// CompanyPrefix is a GS1 company prefix for demo GTINs.
	CompanyPrefix = "4006381"
)

// PINs of the demo's operators that have one, by badge: the demo's side panel
// shows them at the PIN prompt.
var PINs = map[string]string{"B1004": "2468"}

// demoPINHash is HashPIN("B1004", "2468"), made once: hashing a PIN is
// slow on purpose, and every start of tote would pay for it here.
const demoPINHash = "scrypt$32768$8$1$hcbUUwzC51_50Kp60CywIA$Za2MWhy_j10w_9HRVj6fEham2OmyWdK6qlWXCtEUk_g"

// Operators of the demo site. Badges are what the demo's side panel tells a
// newcomer to type.
var Operators = []floor.Operator{
	{Badge: "B1001", Name: "Ana Picker", Roles: []floor.Role{floor.RolePicker}},
	{Badge: "B1002", Name: "Ben Packer", Roles: []floor.Role{floor.RolePacker}},
	{Badge: "B1003", Name: "Chen Returns", Roles: []floor.Role{floor.RoleReturns}},
	{Badge: "B1004", Name: "Dana Supervisor", Roles: []floor.Role{floor.RoleSupervisor, floor.RolePicker, floor.RolePacker, floor.RoleReturns},
		PINHash: demoPINHash},
	{Badge: "B1005", Name: "Eli Picker", Roles: []floor.Role{floor.RolePicker, floor.RolePacker}},
}

var (
	adjectives = []string{"Red", "Blue", "Green", "Black", "White", "Small", "Large", "Steel", "Oak", "Bamboo", "Linen", "Cotton", "Glass", "Copper", "Matte", "Travel"}
	nouns      = []struct {
		word     string
		gram     float64
		l, w, h  float64
		lot, ser bool
		hazmat   bool
	}{
		{"Mug", 350, 120, 90, 100, false, false, false},
		{"Water Bottle", 280, 75, 75, 260, false, false, false},
		{"Notebook A5", 220, 210, 148, 15, false, false, false},
		{"Desk Lamp", 1200, 300, 180, 160, false, true, false},
		{"Phone Case", 60, 160, 85, 15, false, false, false},
		{"T-Shirt M", 180, 300, 250, 20, false, false, false},
		{"Sock Pack", 150, 200, 120, 40, false, false, false},
		{"Vitamin C 60ct", 120, 60, 60, 110, true, false, false},
		{"Hand Cream", 90, 40, 30, 150, true, false, false},
		{"AA Batteries 8pk", 190, 120, 90, 20, true, false, true},
		{"Spray Paint", 400, 65, 65, 200, true, false, true},
		{"USB-C Cable", 50, 150, 100, 20, false, false, false},
		{"Headphones", 250, 200, 180, 80, false, true, false},
		{"Cutting Board", 900, 400, 250, 20, false, false, false},
		{"Candle", 300, 80, 80, 100, false, false, false},
		{"Tea Tin", 150, 80, 80, 120, true, false, false},
		{"Yoga Mat", 1100, 610, 120, 120, false, false, false},
		{"Backpack", 700, 450, 300, 150, false, false, false},
		{"Plant Pot", 500, 150, 150, 140, false, false, false},
		{"Board Game", 1300, 300, 300, 80, false, false, false},
	}
	// Ship-to addresses: made-up streets in real cities, each city with its
	// state and the first three digits of its ZIP codes.
	streets  = []string{"Maple", "Oak", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Main", "Pine", "River", "Church", "Sunset", "Highland", "Mill", "Willow"}
	suffixes = []string{"St", "Ave", "Rd", "Blvd", "Ln", "Dr", "Ct", "Way"}
	cities   = []struct{ city, state, zip3 string }{
		{"Springfield", "IL", "627"}, {"Portland", "OR", "972"}, {"Austin", "TX", "787"}, {"Columbus", "OH", "432"},
		{"Madison", "WI", "537"}, {"Raleigh", "NC", "276"}, {"Boise", "ID", "837"}, {"Albany", "NY", "122"},
		{"Denver", "CO", "802"}, {"Sacramento", "CA", "958"}, {"Nashville", "TN", "372"}, {"Burlington", "VT", "054"},
		{"Tucson", "AZ", "857"}, {"Savannah", "GA", "314"}, {"Duluth", "MN", "558"}, {"Providence", "RI", "029"},
	}
	firstNames = []string{"Olivia", "Liam", "Zoë", "Mateo", "Aisha", "Noah", "Mei", "Lucas", "Fatima", "Jonas", "Sofia", "Kwame", "Ingrid", "Ravi", "Chloé", "Tomás"}
	lastNames  = []string{"Smith", "Müller", "García", "Okafor", "Nguyen", "Rossi", "Kowalski", "Dubois", "Tanaka", "O'Brien", "Johansson", "Patel", "Haddad", "Silva"}
)

// GTIN13 returns the 13-digit GTIN for a company prefix and item reference
// (12 digits in all) with its check digit.
func GTIN13(first12 string) string {
	return first12 + string(rune('0'+gs1.CheckDigit(first12)))
}

// LocationCode is the barcode of a pick face: zone-aisle-bay-level.
func LocationCode(aisle, bay, level int) string {
	return fmt.Sprintf("A-%02d-%02d-%d", aisle, bay, level)
}

// Site builds the demo site. The same seed gives the same site.
func Site(seed uint64, shipBy time.Time) store.Site {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var site store.Site
	site.Operators = Operators

	// S-shape walk: up odd aisles, down even ones, low levels first.
	walk := 0
	for a := 1; a <= Aisles; a++ {
		for i := 0; i < Bays; i++ {
			bay := i + 1
			if a%2 == 0 {
				bay = Bays - i
			}
			for lv := 1; lv <= Levels; lv++ {
				walk++
				site.Locations = append(site.Locations, floor.Location{
					Code: LocationCode(a, bay, lv), Zone: "A", Aisle: a, Bay: bay, Level: lv, WalkSeq: walk,
				})
			}
		}
	}

	// One item per location; a shuffled slotting so neighbours differ.
	slot := rng.Perm(len(site.Locations))
	home := map[string]floor.Location{}
	for i := 0; i < NumItems; i++ {
		n := nouns[i%len(nouns)]
		adj := adjectives[(i/len(nouns))%len(adjectives)]
		sku := fmt.Sprintf("%s-%03d", skuStem(n.word), i+1)
		ref := fmt.Sprintf("%05d", i+1)
		it := floor.Item{
			SKU: sku, GTINs: []string{"0" + GTIN13(CompanyPrefix+ref)},
			Description: adj + " " + n.word, UnitWeightG: n.gram * (0.9 + 0.2*rng.Float64()),
			LengthMM: n.l, WidthMM: n.w, HeightMM: n.h,
			LotControlled: n.lot, SerialControlled: n.ser, Hazmat: n.hazmat,
		}
		site.Items = append(site.Items, it)
		home[sku] = site.Locations[slot[i%len(slot)]]
	}

	// Orders: mostly one to three lines of one or two units; a few larger.
	// Addresses come from a stream of their own, so adding them left every
	// order, item and task of a seed as it was.
	addrRng := rand.New(rand.NewPCG(seed^0x5ad0_77e5_a11e_5eed, seed))
	site.Waves = []floor.Wave{{ID: WaveID, Status: "released"}}
	taskID := int64(0)
	hazmatSeen := false
	for o := 0; o < Orders; o++ {
		order := floor.Order{
			ID: fmt.Sprintf("ORD-%06d", 100001+o), Priority: rng.IntN(3), ShipBy: shipBy, Status: floor.OrderOpen,
			Customer: firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))],
		}
		order.ShipTo = shipTo(addrRng, order.Customer)
		if o%15 == 7 {
			order.ShipTogether = fmt.Sprintf("GRP-%d", o/15)
		}
		lines := 1 + rng.IntN(3)
		used := map[int]bool{}
		var tasks []floor.PickTask
		for l := 1; l <= lines; l++ {
			var idx int
			if o == 9 && l == 1 && !hazmatSeen {
				// The first nine orders had no hazmat item (so perhaps no lot
				// either: every hazmat item has lots): the tenth gets one.
				idx = pickHazmat(rng, used)
			} else {
				idx = pickItem(rng, used, o)
			}
			it := site.Items[idx]
			hazmatSeen = hazmatSeen || it.Hazmat
			qty := 1 + rng.IntN(2)
			if o%20 == 5 && l == 1 {
				qty = 12 // a case quantity: shows the keyed quantity and its confirmation
			}
			order.Lines = append(order.Lines, floor.OrderLine{OrderID: order.ID, LineNo: l, SKU: it.SKU, Qty: qty})
			loc := home[it.SKU]
			tasks = append(tasks, floor.PickTask{WaveID: WaveID, OrderID: order.ID, LineNo: l, Location: loc.Code, SKU: it.SKU, Qty: qty,
				Status: floor.TaskOpen, SortKey: loc.WalkSeq})
		}
		// Within an order, walk order; orders one after another, one tote each.
		sort.Slice(tasks, func(i, j int) bool { return tasks[i].SortKey < tasks[j].SortKey })
		for i := range tasks {
			taskID++
			tasks[i].ID = taskID
			tasks[i].SortKey = (o+1)*10000 + tasks[i].SortKey
		}
		site.Orders = append(site.Orders, order)
		site.Tasks = append(site.Tasks, tasks...)
	}
	return site
}

// pickItem chooses an item for an order line, keeping the first orders
// simple (no lots, serials or hazmat) so a newcomer's first order is quick.
func pickItem(rng *rand.Rand, used map[int]bool, order int) int {
	for {
		i := rng.IntN(NumItems)
		n := nouns[i%len(nouns)]
		if used[i] || (order < 3 && (n.lot || n.ser || n.hazmat)) {
			continue
		}
		used[i] = true
		return i
	}
}

// pickHazmat chooses a hazmat item the order does not have yet.
func pickHazmat(rng *rand.Rand, used map[int]bool) int {
	for {
		i := rng.IntN(NumItems)
		if !used[i] && nouns[i%len(nouns)].hazmat {
			used[i] = true
			return i
		}
	}
}

// shipTo makes a plausible US address for the customer: a house number
// and street, a city with its state, and a ZIP code in that city's range.
// One in eight has an apartment.
func shipTo(rng *rand.Rand, customer string) floor.Address {
	c := cities[rng.IntN(len(cities))]
	a := floor.Address{
		Name:       customer,
		Line1:      fmt.Sprintf("%d %s %s", 1+rng.IntN(9899), streets[rng.IntN(len(streets))], suffixes[rng.IntN(len(suffixes))]),
		City:       c.city,
		Region:     c.state,
		PostalCode: fmt.Sprintf("%s%02d", c.zip3, 1+rng.IntN(98)),
		Country:    "US",
	}
	if rng.IntN(8) == 0 {
		a.Line2 = fmt.Sprintf("Apt %d%c", 1+rng.IntN(30), 'A'+rune(rng.IntN(6)))
	}
	return a
}

func skuStem(word string) string {
	stem := make([]byte, 0, 4)
	for i := 0; i < len(word) && len(stem) < 4; i++ {
		c := word[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c >= 'A' && c <= 'Z' {
			stem = append(stem, c)
		}
	}
	return string(stem)
}

// ExtraWaveID is the id of the demo's n-th wave (the first is WaveID).
func ExtraWaveID(n int) string { return fmt.Sprintf("W-%04d", n) }

// ExtraWave is the demo's wave number n (2, 3, …), which the demo office
// releases when asked once the wave before is picked: the first wave's
// orders again, under new order numbers (ORD-100061… for wave 2), so a
// demo folder can be used again and again.
func ExtraWave(seed uint64, n int, shipBy time.Time) store.Site {
	site := Site(seed, shipBy)
	id := ExtraWaveID(n)
	renumber := map[string]string{}
	for i := range site.Orders {
		o := &site.Orders[i]
		renumber[o.ID] = fmt.Sprintf("ORD-%06d", 100001+(n-1)*Orders+i)
		o.ID = renumber[o.ID]
		for j := range o.Lines {
			o.Lines[j].OrderID = o.ID
		}
		if o.ShipTogether != "" {
			o.ShipTogether = fmt.Sprintf("%s-W%d", o.ShipTogether, n)
		}
	}
	for i := range site.Tasks {
		t := &site.Tasks[i]
		t.WaveID, t.OrderID = id, renumber[t.OrderID]
		t.ID += int64((n - 1) * len(site.Tasks))
	}
	return store.Site{Orders: site.Orders, Waves: []floor.Wave{{ID: id, Status: "released"}}, Tasks: site.Tasks}
}

package hub

import (
	"fmt"
	"hash/maphash"
	"strconv"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/gs1"
	"github.com/totewms/tote/sync/protocol"
)

// Limits of reference text, in characters.
const (
	MaxZoneLen     = 50
	MaxPositionLen = 20
)

// CheckReference checks reference data to import against what the floor
// will need: every code (badge, location, SKU) and text (operator name,
// zone, description) by the rule for outside text; every GTIN 14 digits
// with the right check digit (a wrong one would make every scan of the
// item fail at the cart) and on one item of the batch only; no two SKUs of
// the batch the same ignoring case (scans match SKUs ignoring case,
// floor.SameSKU). The error names the record (its place in the list and
// its key), the field and the reason.
func CheckReference(ref protocol.Reference) error {
	for i, o := range ref.Operators {
		if err := checkOperator(i+1, o); err != nil {
			return err
		}
	}
	for i, l := range ref.Locations {
		if err := checkLocation(i+1, l); err != nil {
			return err
		}
	}
	c := newRefCheck(func(n int) (string, error) { return ref.Items[n-1].SKU, nil })
	for i, it := range ref.Items {
		if err := c.item(i+1, it); err != nil {
			return err
		}
	}
	return nil
}

// checkOperator checks the nth operator of an import alone.
func checkOperator(n int, o protocol.Operator) error {
	if err := checkKey("badge", o.Badge); err != nil {
		return fmt.Errorf("operator %d: %w", n, err)
	}
	if err := floor.CheckText("operator name", o.Name, floor.MaxNameLen); err != nil {
		return fmt.Errorf("operator %d (%s): %w", n, o.Badge, err)
	}
	if len(o.Roles) == 0 {
		return fmt.Errorf("operator %d (%s) needs at least one role (picker, packer, supervisor, returns, loader)", n, o.Badge)
	}
	return nil
}

// checkLocation checks the nth location of an import alone.
func checkLocation(n int, l protocol.Location) error {
	if err := checkKey("location code", l.Code); err != nil {
		return fmt.Errorf("location %d: %w", n, err)
	}
	if l.Zone != "" {
		if err := floor.CheckText("zone", l.Zone, MaxZoneLen); err != nil {
			return fmt.Errorf("location %d (%s): %w", n, l.Code, err)
		}
	}
	if l.Position != "" {
		if err := floor.CheckText("position", l.Position, MaxPositionLen); err != nil {
			return fmt.Errorf("location %d (%s): %w", n, l.Code, err)
		}
	}
	return nil
}

// refCheck checks an import's items as they come, each alone and against
// the ones before it, keeping only keys: two numbers per SKU and one per
// GTIN, never the items. Whether an item's locations exist is the
// transaction's to check (the locations are written before the items).
type refCheck struct {
	seed maphash.Seed
	// skus maps a hash of each SKU folded to ASCII upper case to the
	// number of its first item (high 32 bits) and the low 32 bits of a
	// hash of that SKU as written: the same SKU again is that item again,
	// another spelling a case twin.
	skus map[uint64]uint64
	// gtins maps each GTIN (14 digits, as a number) to the first item of
	// the SKU that has it.
	gtins map[uint64]int32
	// skuOf reads back the SKU of an earlier item by its number, for a
	// refusal's words and to tell a hash collision from a twin: the maps
	// hold no text. A collision never refuses anything; it only leaves
	// that SKU's twins to the transaction (the hub's own case check).
	skuOf func(n int) (string, error)
}

func newRefCheck(skuOf func(n int) (string, error)) *refCheck {
	return &refCheck{seed: maphash.MakeSeed(), skus: map[uint64]uint64{}, gtins: map[uint64]int32{}, skuOf: skuOf}
}

// item checks the nth item alone and against the earlier ones.
func (c *refCheck) item(n int, it protocol.Item) error {
	if err := checkItem(n, it); err != nil {
		return err
	}
	first, err := c.firstOf(n, it.SKU)
	if err != nil {
		return err
	}
	for _, g := range it.GTINs {
		key, _ := strconv.ParseUint(g, 10, 64) // 14 digits: checked
		holder, ok := c.gtins[key]
		if !ok {
			c.gtins[key] = int32(first)
			continue
		}
		if int(holder) == first {
			continue
		}
		other, err := c.skuOf(int(holder))
		if err != nil {
			return err
		}
		if other != it.SKU {
			return fmt.Errorf("item %d (%s): the GTIN %s is also item %s's; a scan of it would name two items", n, it.SKU, g, other)
		}
	}
	return nil
}

// firstOf gives the number of the first item with the nth item's SKU
// (n itself for a new SKU), or refuses a case twin of an earlier one.
func (c *refCheck) firstOf(n int, sku string) (int, error) {
	folded := maphash.String(c.seed, floor.SKUKey(sku))
	exact := uint32(maphash.String(c.seed, sku))
	seen, ok := c.skus[folded]
	if !ok {
		c.skus[folded] = uint64(n)<<32 | uint64(exact)
		return n, nil
	}
	first := int(seen >> 32)
	if uint32(seen) == exact {
		return first, nil
	}
	other, err := c.skuOf(first)
	if err != nil {
		return 0, err
	}
	if other == sku || floor.SKUKey(other) != floor.SKUKey(sku) {
		return n, nil // a hash collision, not a twin
	}
	return 0, fmt.Errorf("item %d: the SKU %s differs from the SKU %s only in letter case; scans match SKUs ignoring case, so they cannot both be items", n, sku, other)
}

// checkItem checks the nth item of an import alone.
func checkItem(n int, it protocol.Item) error {
	if err := checkKey("SKU", it.SKU); err != nil {
		return fmt.Errorf("item %d: %w", n, err)
	}
	if err := floor.CheckText("description", it.Description, floor.MaxDescriptionLen); err != nil {
		return fmt.Errorf("item %d (%s): %w", n, it.SKU, err)
	}
	for _, g := range it.GTINs {
		if err := CheckGTIN(g); err != nil {
			return fmt.Errorf("item %d (%s): %w", n, it.SKU, err)
		}
	}
	if it.Location != "" {
		if err := checkKey("location", it.Location); err != nil {
			return fmt.Errorf("item %d (%s): %w", n, it.SKU, err)
		}
	}
	return nil
}

// CheckGTIN accepts a GTIN as the hub keeps it: 14 digits with the right
// check digit.
func CheckGTIN(g string) error {
	if len(g) != 14 {
		return fmt.Errorf("the GTIN \"%s\" must be 14 digits (pad a GTIN-13 or UPC with leading zeros)", floor.Printable(g))
	}
	if !allDigits(g) {
		return fmt.Errorf("the GTIN \"%s\" must be 14 digits (pad a GTIN-13 or UPC with leading zeros)", floor.Printable(g))
	}
	if err := gs1.CheckGTIN("GTIN", g); err != nil {
		return fmt.Errorf("the GTIN %s has a wrong check digit: it should end in %d, not %c; scans of it would be refused at the cart. Correct it where it came from",
			g, gs1.CheckDigit(g[:13]), g[13])
	}
	return nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

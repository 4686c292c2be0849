package hub

import (
	"fmt"

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
		if err := checkKey("badge", o.Badge); err != nil {
			return fmt.Errorf("operator %d: %w", i+1, err)
		}
		if err := floor.CheckText("operator name", o.Name, floor.MaxNameLen); err != nil {
			return fmt.Errorf("operator %d (%s): %w", i+1, o.Badge, err)
		}
		if len(o.Roles) == 0 {
			return fmt.Errorf("operator %d (%s) needs at least one role (picker, packer, supervisor, returns, loader)", i+1, o.Badge)
		}
	}
	for i, l := range ref.Locations {
		if err := checkKey("location code", l.Code); err != nil {
			return fmt.Errorf("location %d: %w", i+1, err)
		}
		if l.Zone != "" {
			if err := floor.CheckText("zone", l.Zone, MaxZoneLen); err != nil {
				return fmt.Errorf("location %d (%s): %w", i+1, l.Code, err)
			}
		}
		if l.Position != "" {
			if err := floor.CheckText("position", l.Position, MaxPositionLen); err != nil {
				return fmt.Errorf("location %d (%s): %w", i+1, l.Code, err)
			}
		}
	}
	skus := map[string]string{}
	gtins := map[string]string{}
	for i, it := range ref.Items {
		if err := checkKey("SKU", it.SKU); err != nil {
			return fmt.Errorf("item %d: %w", i+1, err)
		}
		if other, dup := skus[floor.SKUKey(it.SKU)]; dup && other != it.SKU {
			return fmt.Errorf("item %d: the SKU %s differs from the SKU %s only in letter case; scans match SKUs ignoring case, so they cannot both be items", i+1, it.SKU, other)
		}
		skus[floor.SKUKey(it.SKU)] = it.SKU
		if err := floor.CheckText("description", it.Description, floor.MaxDescriptionLen); err != nil {
			return fmt.Errorf("item %d (%s): %w", i+1, it.SKU, err)
		}
		for _, g := range it.GTINs {
			if err := CheckGTIN(g); err != nil {
				return fmt.Errorf("item %d (%s): %w", i+1, it.SKU, err)
			}
			if other, dup := gtins[g]; dup && other != it.SKU {
				return fmt.Errorf("item %d (%s): the GTIN %s is also item %s's; a scan of it would name two items", i+1, it.SKU, g, other)
			}
			gtins[g] = it.SKU
		}
		if it.Location != "" {
			if err := checkKey("location", it.Location); err != nil {
				return fmt.Errorf("item %d (%s): %w", i+1, it.SKU, err)
			}
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

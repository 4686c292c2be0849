package pack

import "github.com/totewms/tote/internal/floor"

// equal reports whether s and o are deeply equal exactly as
// reflect.DeepEqual says (a nil slice differs from an empty one; a slice
// shared by both is equal to itself), without reflection: Journaled
// compares every verify scan's state with its replay, and reflection cost
// each one about 2 KB. TestStateEqualNamesEveryField fails when a field is
// added to State, or to a type it holds, and not compared here.
func (s State) equal(o State) bool {
	return operatorsEqual(s.Operator, o.Operator) &&
		s.Step == o.Step &&
		s.Pending == o.Pending &&
		packOrdersEqual(s.Order, o.Order) &&
		slicesEqualFunc(s.Cartons, o.Cartons, cartonsEqual) &&
		s.Finishing == o.Finishing &&
		s.SplitApproved == o.SplitApproved &&
		s.Held == o.Held &&
		s.Shipment == o.Shipment &&
		s.Partial == o.Partial &&
		rulesEqual(s.Rules, o.Rules) &&
		s.HasScale == o.HasScale &&
		s.Shipped == o.Shipped
}

func operatorsEqual(a, b floor.Operator) bool {
	return a.Badge == b.Badge && a.Name == b.Name && slicesEqual(a.Roles, b.Roles) &&
		a.PINHash == b.PINHash && a.PIN == b.PIN
}

func packOrdersEqual(a, b floor.PackOrder) bool {
	return a.ID == b.ID && a.Customer == b.Customer && a.Status == b.Status &&
		slicesEqual(a.Holds, b.Holds) && a.ShipTogether == b.ShipTogether &&
		slicesEqual(a.GroupOpen, b.GroupOpen) && a.Shipments == b.Shipments &&
		slicesEqualFunc(a.Lines, b.Lines, packLinesEqual)
}

func packLinesEqual(a, b floor.PackLine) bool {
	return a.LineNo == b.LineNo && a.SKU == b.SKU && a.Description == b.Description &&
		slicesEqual(a.GTINs, b.GTINs) && a.Ordered == b.Ordered && a.Picked == b.Picked &&
		a.Short == b.Short && slicesEqual(a.Lots, b.Lots) && slicesEqual(a.Serials, b.Serials) &&
		a.UnitWeightG == b.UnitWeightG && a.LengthMM == b.LengthMM && a.WidthMM == b.WidthMM &&
		a.HeightMM == b.HeightMM && a.Hazmat == b.Hazmat && a.LotControlled == b.LotControlled &&
		a.SerialControlled == b.SerialControlled
}

func cartonsEqual(a, b Carton) bool {
	return a.No == b.No && a.Box == b.Box && slicesEqual(a.Units, b.Units) &&
		a.WeightG == b.WeightG && a.ExpectedG == b.ExpectedG && a.ToleranceG == b.ToleranceG &&
		a.WeightSource == b.WeightSource && a.Closed == b.Closed && a.Overridden == b.Overridden
}

func rulesEqual(a, b Rules) bool {
	return a.ConfirmQuantityAbove == b.ConfirmQuantityAbove &&
		a.WeightTolerancePercent == b.WeightTolerancePercent &&
		a.WeightToleranceGrams == b.WeightToleranceGrams &&
		a.HoldingLocation == b.HoldingLocation && a.HazmatAlone == b.HazmatAlone &&
		slicesEqual(a.Boxes, b.Boxes)
}

func slicesEqual[T comparable](a, b []T) bool {
	return slicesEqualFunc(a, b, func(x, y T) bool { return x == y })
}

// slicesEqualFunc compares as reflect.DeepEqual does: nil only equals nil,
// and a slice both share (the order's lines, the rules' boxes, carried
// from state to state) equals itself without a look at its elements.
func slicesEqualFunc[T any](a, b []T, eq func(x, y T) bool) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if !eq(a[i], b[i]) {
			return false
		}
	}
	return true
}

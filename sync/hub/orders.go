package hub

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// CheckOrder checks an order to import: an id, at least one line, line
// numbers positive and unique, every line a SKU and a positive quantity;
// every text field (customer, ship_together, holds, the ship-to address,
// carrier and service) by the rule for all outside text (floor.CheckText,
// floor.CheckCode). The error names the order, the field and the reason.
// Whether the order must have a ship-to is the hub's setting (Settings),
// checked by the store.
func CheckOrder(o protocol.Order) error {
	if err := checkKey("order id", o.ID); err != nil {
		return err
	}
	if len(o.Lines) == 0 {
		return fmt.Errorf("order %s has no lines", o.ID)
	}
	seen := map[int]bool{}
	for _, l := range o.Lines {
		if l.Line < 1 {
			return fmt.Errorf("order %s: line number %d; line numbers start at 1", o.ID, l.Line)
		}
		if seen[l.Line] {
			return fmt.Errorf("order %s: line %d appears twice", o.ID, l.Line)
		}
		seen[l.Line] = true
		if err := checkKey("SKU", l.SKU); err != nil {
			return fmt.Errorf("order %s line %d: %w", o.ID, l.Line, err)
		}
		if l.Qty < 1 {
			return fmt.Errorf("order %s line %d: quantity %d; it must be at least 1", o.ID, l.Line, l.Qty)
		}
	}
	if o.Customer != "" {
		if err := floor.CheckText("customer", o.Customer, floor.MaxNameLen); err != nil {
			return fmt.Errorf("order %s: %w", o.ID, err)
		}
	}
	if o.ShipTogether != "" {
		if err := checkKey("ship_together group", o.ShipTogether); err != nil {
			return fmt.Errorf("order %s: %w", o.ID, err)
		}
	}
	for _, h := range o.Holds {
		if err := checkKey("hold reason", h.Reason); err != nil {
			return fmt.Errorf("order %s: %w", o.ID, err)
		}
		if h.Note != "" {
			if err := floor.CheckText("hold note", h.Note, floor.MaxDescriptionLen); err != nil {
				return fmt.Errorf("order %s: %w", o.ID, err)
			}
		}
	}
	switch o.Status {
	case "", string(floor.OrderOpen):
	default:
		return fmt.Errorf("order %s: an import may not set status %q; cancel orders with the cancel action", o.ID, floor.Printable(o.Status))
	}
	if err := o.CheckShipTo(); err != nil {
		return fmt.Errorf("order %s: %w", o.ID, err)
	}
	return nil
}

// CheckShipping checks what shipping the order needs from the site's
// settings: when the site prints shipping labels, an order without a
// ship-to address cannot ship, so it is refused at import rather than at
// the pack bench after it was picked.
func CheckShipping(o protocol.Order, set Settings) error {
	if set.ShipToRequired && o.ShipTo == (protocol.Address{}) {
		return fmt.Errorf("order %s: the ship_to address is missing, and this site prints shipping labels "+
			"(hub setting ship_to_required): add the address in the OMS and import the order again", floor.Printable(o.ID))
	}
	return nil
}

// checkKey accepts identifiers that barcodes and URLs can carry: the rule
// for outside text, no spaces or slashes, at most 100 bytes.
func checkKey(what, s string) error {
	return floor.CheckCode(what, s, floor.MaxCodeLen)
}

// ParseOrdersCSV reads every order of a CSV (DecodeOrdersCSV) into a list.
func ParseOrdersCSV(r io.Reader) ([]protocol.Order, error) {
	var orders []protocol.Order
	for o, err := range DecodeOrdersCSV(r) {
		if err != nil {
			return nil, err
		}
		orders = append(orders, o)
	}
	return orders, nil
}

func parseShipBy(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("ship_by %q is not a date (use 2026-03-01 or 2026-03-01T17:00:00Z)", floor.Printable(s))
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("line %d: %v", pe.StartLine, pe.Err)
	}
	return err
}

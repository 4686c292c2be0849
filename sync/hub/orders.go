package hub

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
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

// CSV columns of an order import. One row per order line; the order's own
// fields are repeated on each of its rows and must agree.
var csvColumns = []string{"order_id", "line_no", "sku", "qty", "priority", "ship_by", "customer", "ship_together",
	"ship_to_name", "ship_to_company", "ship_to_line1", "ship_to_line2", "ship_to_city", "ship_to_region",
	"ship_to_postal_code", "ship_to_country", "carrier", "service"}

// ParseOrdersCSV reads orders from CSV with a header row. order_id,
// line_no, sku and qty are required; priority, ship_by (RFC 3339 or
// YYYY-MM-DD), customer, ship_together, the ship-to address (ship_to_name,
// ship_to_company, ship_to_line1, ship_to_line2, ship_to_city,
// ship_to_region, ship_to_postal_code, ship_to_country), carrier and
// service are optional. Errors name the line of the file. A text value
// starting with = + - or @ is refused (checkFormula).
func ParseOrdersCSV(r io.Reader) ([]protocol.Order, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("the CSV is empty: it needs a header row (%s)", strings.Join(csvColumns, ","))
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(csvColumns, h) {
			return nil, fmt.Errorf("line 1: unknown column %q (the columns are %s)", floor.Printable(h), strings.Join(csvColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("line 1: column %q appears twice", h)
		}
		col[h] = i
	}
	for _, need := range csvColumns[:4] {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("line 1: the header has no %q column (required: order_id, line_no, sku, qty)", need)
		}
	}
	var orders []protocol.Order
	index := map[string]int{}
	firstLine := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // a blank row, as spreadsheets leave at the end
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("line %d: %d fields, but the header has %d", line, len(rec), len(header))
		}
		for _, name := range csvColumns {
			i, ok := col[name]
			if !ok {
				continue
			}
			if err := checkFormula(name, strings.TrimSpace(rec[i])); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
		}
		get := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		o := protocol.Order{ID: get("order_id"), Customer: get("customer"), ShipTogether: get("ship_together"),
			Carrier: get("carrier"), Service: get("service"),
			ShipTo: protocol.Address{Name: get("ship_to_name"), Company: get("ship_to_company"), Line1: get("ship_to_line1"),
				Line2: get("ship_to_line2"), City: get("ship_to_city"), Region: get("ship_to_region"),
				PostalCode: get("ship_to_postal_code"), Country: get("ship_to_country")}}
		if err := checkKey("order id", o.ID); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if p := get("priority"); p != "" {
			if o.Priority, err = strconv.Atoi(p); err != nil {
				return nil, fmt.Errorf("line %d: priority %q is not a whole number", line, floor.Printable(p))
			}
		}
		if s := get("ship_by"); s != "" {
			t, err := parseShipBy(s)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			o.ShipBy = &t
		}
		var l protocol.OrderLine
		if l.Line, err = strconv.Atoi(get("line_no")); err != nil {
			return nil, fmt.Errorf("line %d: line_no %q is not a whole number", line, floor.Printable(get("line_no")))
		}
		l.SKU = get("sku")
		if l.Qty, err = strconv.Atoi(get("qty")); err != nil {
			return nil, fmt.Errorf("line %d: qty %q is not a whole number", line, floor.Printable(get("qty")))
		}
		i, seen := index[o.ID]
		if !seen {
			index[o.ID] = len(orders)
			firstLine[o.ID] = line
			o.Lines = []protocol.OrderLine{l}
			orders = append(orders, o)
		} else {
			prev := &orders[i]
			if prev.Priority != o.Priority || prev.Customer != o.Customer || prev.ShipTogether != o.ShipTogether || !sameTime(prev.ShipBy, o.ShipBy) {
				return nil, fmt.Errorf("line %d: order %s has different priority, ship_by, customer or ship_together than on line %d", line, o.ID, firstLine[o.ID])
			}
			if prev.ShipTo != o.ShipTo || prev.Carrier != o.Carrier || prev.Service != o.Service {
				return nil, fmt.Errorf("line %d: order %s has a different ship-to address, carrier or service than on line %d", line, o.ID, firstLine[o.ID])
			}
			prev.Lines = append(prev.Lines, l)
		}
		if err := CheckOrder(orders[index[o.ID]]); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
	}
	if len(orders) == 0 {
		return nil, fmt.Errorf("the CSV has a header but no order lines")
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

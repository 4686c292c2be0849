package hub

import (
	"encoding/csv"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// Orders is an import's orders, read one at a time so that an import of
// any size holds one order in memory, not the file. Each range reads them
// from the start: a store may run its transaction again. A read or format
// error is the last pair, with a zero order.
type Orders = iter.Seq2[protocol.Order, error]

// OrderList gives the orders of a list.
func OrderList(orders []protocol.Order) Orders {
	return func(yield func(protocol.Order, error) bool) {
		for _, o := range orders {
			if !yield(o, nil) {
				return
			}
		}
	}
}

// FromStart reads what decode finds in rs (orders, spooled records),
// from its start at each range (a spooled body, a file).
func FromStart[T any](rs io.ReadSeeker, decode func(io.Reader) iter.Seq2[T, error]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			var zero T
			yield(zero, err)
			return
		}
		for v, err := range decode(rs) {
			if !yield(v, err) || err != nil {
				return
			}
		}
	}
}

const sendOrders = `send {"orders": [...]}`

// orderBody is an order import's JSON body.
var orderBody = jsonLists{lists: []string{"orders"}, elems: []string{"order"}, body: "an order import", send: sendOrders}

// DecodeOrdersJSON reads {"orders": [...]} one order at a time. Unknown
// fields are refused, in the body and in each order, as everywhere in the
// admin API. An error says where: the order (counted from 1) and the byte.
func DecodeOrdersJSON(r io.Reader) Orders {
	return func(yield func(protocol.Order, error) bool) {
		n := 0
		err := orderBody.read(r, func(e listElem) error {
			var o protocol.Order
			if err := e.decode(&o); err != nil {
				return err
			}
			n++
			if !yield(o, nil) {
				return errStopped
			}
			return nil
		})
		switch {
		case errors.Is(err, errStopped):
		case err != nil:
			yield(protocol.Order{}, err)
		case n == 0:
			yield(protocol.Order{}, errors.New("the body has no orders: "+sendOrders))
		}
	}
}

// errStopped ends a walk whose reader stopped ranging.
var errStopped = errors.New("stopped")

// CSV columns of an order import. One row per order line; the order's own
// fields are repeated on each of its rows and must agree.
var csvColumns = []string{"order_id", "line_no", "sku", "qty", "priority", "ship_by", "customer", "ship_together",
	"ship_to_name", "ship_to_company", "ship_to_line1", "ship_to_line2", "ship_to_city", "ship_to_region",
	"ship_to_postal_code", "ship_to_country", "carrier", "service"}

// DecodeOrdersCSV reads orders from CSV with a header row, an order at a
// time: an order is complete when a row of another order (or the end)
// comes, so an order's rows must come together. order_id, line_no, sku
// and qty are required; priority, ship_by (RFC 3339 or YYYY-MM-DD),
// customer, ship_together, the ship-to address (ship_to_name,
// ship_to_company, ship_to_line1, ship_to_line2, ship_to_city,
// ship_to_region, ship_to_postal_code, ship_to_country), carrier and
// service are optional. Errors name the line of the file. A text value
// starting with = + - or @ is refused (checkFormula).
func DecodeOrdersCSV(r io.Reader) Orders {
	return func(yield func(protocol.Order, error) bool) {
		fail := func(err error) { yield(protocol.Order{}, err) }
		cr := csv.NewReader(r)
		cr.FieldsPerRecord = -1
		cr.ReuseRecord = true
		header, err := cr.Read()
		if errors.Is(err, io.EOF) {
			fail(fmt.Errorf("the CSV is empty: it needs a header row (%s)", strings.Join(csvColumns, ",")))
			return
		}
		if err != nil {
			fail(csvError(err))
			return
		}
		header = slices.Clone(header) // ReuseRecord
		col := map[string]int{}
		for i, h := range header {
			h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
			if !slices.Contains(csvColumns, h) {
				fail(fmt.Errorf("line 1: unknown column %q (the columns are %s)", floor.Printable(h), strings.Join(csvColumns, ", ")))
				return
			}
			if _, dup := col[h]; dup {
				fail(fmt.Errorf("line 1: column %q appears twice", h))
				return
			}
			col[h] = i
		}
		for _, need := range csvColumns[:4] {
			if _, ok := col[need]; !ok {
				fail(fmt.Errorf("line 1: the header has no %q column (required: order_id, line_no, sku, qty)", need))
				return
			}
		}
		var (
			cur      protocol.Order // the order whose rows are being read
			curLine  int            // its first row's line
			curLines map[int]bool   // its line numbers
			have     bool
		)
		// The orders already given, by a hash of their id, to their first
		// line: the only thing kept per order (12 bytes). Two ids sharing
		// a 64-bit hash (about 1 in 10⁷ for a million orders) would refuse
		// the file as if an order came back; nothing is ever imported wrong.
		seed := maphash.MakeSeed()
		given := map[uint64]int32{}
		for {
			rec, err := cr.Read()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				fail(csvError(err))
				return
			}
			line, _ := cr.FieldPos(0)
			o, l, err := csvRow(rec, header, col, line)
			if err != nil {
				fail(err)
				return
			}
			if o.ID == "" {
				continue // a blank row, as spreadsheets leave at the end
			}
			if have && o.ID == cur.ID {
				if cur.Priority != o.Priority || cur.Customer != o.Customer || cur.ShipTogether != o.ShipTogether || !sameTime(cur.ShipBy, o.ShipBy) {
					fail(fmt.Errorf("line %d: order %s has different priority, ship_by, customer or ship_together than on line %d", line, o.ID, curLine))
					return
				}
				if cur.ShipTo != o.ShipTo || cur.Carrier != o.Carrier || cur.Service != o.Service {
					fail(fmt.Errorf("line %d: order %s has a different ship-to address, carrier or service than on line %d", line, o.ID, curLine))
					return
				}
				// The order's own fields were checked on its first row.
				if err := CheckOrder(protocol.Order{ID: o.ID, Lines: []protocol.OrderLine{l}}); err != nil {
					fail(fmt.Errorf("line %d: %w", line, err))
					return
				}
				if curLines[l.Line] {
					fail(fmt.Errorf("line %d: order %s: line %d appears twice", line, o.ID, l.Line))
					return
				}
				curLines[l.Line] = true
				cur.Lines = append(cur.Lines, l)
				continue
			}
			if have && !yield(cur, nil) {
				return
			}
			h := maphash.String(seed, o.ID)
			if first, ok := given[h]; ok {
				fail(fmt.Errorf("line %d: order %s came on line %d already, with other orders' rows between: "+
					"keep each order's rows together (sort the file by order_id)", line, o.ID, first))
				return
			}
			given[h] = int32(line)
			o.Lines = []protocol.OrderLine{l}
			if err := CheckOrder(o); err != nil {
				fail(fmt.Errorf("line %d: %w", line, err))
				return
			}
			cur, curLine, curLines, have = o, line, map[int]bool{l.Line: true}, true
		}
		if !have {
			fail(fmt.Errorf("the CSV has a header but no order lines"))
			return
		}
		yield(cur, nil)
	}
}

// csvRow reads one row: its order's own fields and its line. A blank row
// gives an order without an id.
func csvRow(rec, header []string, col map[string]int, line int) (protocol.Order, protocol.OrderLine, error) {
	var o protocol.Order
	var l protocol.OrderLine
	if strings.TrimSpace(strings.Join(rec, "")) == "" {
		return o, l, nil
	}
	if len(rec) != len(header) {
		return o, l, fmt.Errorf("line %d: %d fields, but the header has %d", line, len(rec), len(header))
	}
	for _, name := range csvColumns {
		i, ok := col[name]
		if !ok {
			continue
		}
		if err := checkFormula(name, strings.TrimSpace(rec[i])); err != nil {
			return o, l, fmt.Errorf("line %d: %w", line, err)
		}
	}
	get := func(name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	o = protocol.Order{ID: get("order_id"), Customer: get("customer"), ShipTogether: get("ship_together"),
		Carrier: get("carrier"), Service: get("service"),
		ShipTo: protocol.Address{Name: get("ship_to_name"), Company: get("ship_to_company"), Line1: get("ship_to_line1"),
			Line2: get("ship_to_line2"), City: get("ship_to_city"), Region: get("ship_to_region"),
			PostalCode: get("ship_to_postal_code"), Country: get("ship_to_country")}}
	if err := checkKey("order id", o.ID); err != nil {
		return o, l, fmt.Errorf("line %d: %w", line, err)
	}
	var err error
	if p := get("priority"); p != "" {
		if o.Priority, err = strconv.Atoi(p); err != nil {
			return o, l, fmt.Errorf("line %d: priority %q is not a whole number", line, floor.Printable(p))
		}
	}
	if s := get("ship_by"); s != "" {
		t, err := parseShipBy(s)
		if err != nil {
			return o, l, fmt.Errorf("line %d: %w", line, err)
		}
		o.ShipBy = &t
	}
	if l.Line, err = strconv.Atoi(get("line_no")); err != nil {
		return o, l, fmt.Errorf("line %d: line_no %q is not a whole number", line, floor.Printable(get("line_no")))
	}
	l.SKU = get("sku")
	if l.Qty, err = strconv.Atoi(get("qty")); err != nil {
		return o, l, fmt.Errorf("line %d: qty %q is not a whole number", line, floor.Printable(get("qty")))
	}
	return o, l, nil
}

package hub

import (
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// CSV formula values. A spreadsheet opening a file that holds a value
// starting with '=', '+', '-' or '@' (or a tab or carriage return) runs it
// as a formula, and order data goes back to spreadsheets (exports,
// reports, the OMS). The hub refuses such a value in every text column of
// an order CSV rather than neutralising it: neutralising means adding a
// quote that would then be printed on shipping labels and packing slips,
// and an order id or SKU changed by the hub no longer matches the OMS.
// The numeric columns (line_no, qty, priority) are read as numbers, and
// ship_by as a date, so they need no such rule (docs/security.md).

// numericCSV are the columns read as numbers or dates.
var numericCSV = map[string]bool{"line_no": true, "qty": true, "priority": true, "ship_by": true}

// checkFormula refuses a text value a spreadsheet would run as a formula.
func checkFormula(column, v string) error {
	if v == "" || numericCSV[column] {
		return nil
	}
	switch v[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return fmt.Errorf("%s %q starts with %q, which a spreadsheet runs as a formula: remove it in the source and export again",
			column, floor.Printable(clip(v)), floor.Printable(v[:1]))
	}
	return nil
}

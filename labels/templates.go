package labels

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/totewms/tote/internal/floor"
)

// Page margin on every template, in millimetres.
const margin = 3

// textHeight is the box height that holds n lines of text at size.
func textHeight(size float64, n int) float64 {
	return firstLine*size + float64(n-1)*linePitch*size
}

// sheet collects the items of one label as a template lays it out.
type sheet struct {
	items []Item
}

// text adds a box of n lines at (x, y) and returns the y just below it.
func (s *sheet) text(x, y, w, size float64, n int, v string) float64 {
	h := textHeight(size, n)
	s.items = append(s.items, Text{Rect: Rect{X: x, Y: y, W: w, H: h}, Size: size, Value: v})
	return y + h
}

func (s *sheet) rule(y, width float64) {
	s.items = append(s.items, Box{Rect: Rect{X: 1.5, Y: y, W: width - 3, H: 0.5}, Thickness: 0.5})
}

func (s *sheet) code128(r Rect, data string, module float64) {
	s.items = append(s.items, Barcode{Rect: r, Symbology: Code128, Data: data, Module: module})
}

// label finishes the layout. It checks that every barcode fits its box at
// 203 dpi, the coarsest printer (finer ones fit more), so data a template
// accepts always prints.
func (s *sheet) label(name string, stock Stock) (Label, error) {
	l := Label{Name: name, Stock: stock, Items: s.items}
	if err := l.Validate(); err != nil {
		return Label{}, err
	}
	for _, it := range l.Items {
		if b, ok := it.(Barcode); ok {
			if _, err := b.moduleDots(203); err != nil {
				return Label{}, fmt.Errorf("%s label: %w", name, err)
			}
		}
	}
	return l, nil
}

// Address is the domain's postal address (name, line1, city and country
// required on a label).
type Address = floor.Address

func checkAddress(a Address, what string) error {
	for _, f := range []struct{ name, v string }{
		{"name", a.Name}, {"line1", a.Line1}, {"city", a.City}, {"country", a.Country},
	} {
		if strings.TrimSpace(f.v) == "" {
			return fmt.Errorf("%s address has no %s", what, f.name)
		}
	}
	for _, v := range []string{a.Name, a.Company, a.Line1, a.Line2, a.City, a.Region, a.PostalCode, a.Country} {
		if !utf8.ValidString(v) {
			return fmt.Errorf("%s address holds text that is not valid UTF-8", what)
		}
	}
	return nil
}

// rows is the address as printed, one row per part, empty parts left out.
func addressRows(a Address) []string {
	var rows []string
	for _, v := range []string{a.Name, a.Company, a.Line1, a.Line2, joinNonEmpty(a.City, a.Region, a.PostalCode), a.Country} {
		if v != "" {
			rows = append(rows, v)
		}
	}
	return rows
}

func joinNonEmpty(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

// Weight is a carton's weight as the scale read it.
type Weight struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"` // "kg" or "lb"
}

func (w Weight) check() error {
	if w.Unit != "kg" && w.Unit != "lb" {
		return fmt.Errorf("weight unit %q must be kg or lb", w.Unit)
	}
	if !(w.Value > 0 && w.Value < 10000) || math.IsNaN(w.Value) {
		return fmt.Errorf("weight %g %s must be above 0 and below 10000", w.Value, w.Unit)
	}
	return nil
}

func (w Weight) String() string {
	return strconv.FormatFloat(math.Round(w.Value*1000)/1000, 'f', -1, 64) + " " + strings.ToUpper(w.Unit)
}

// ShippingData is what a shipping label shows.
type ShippingData struct {
	ShipFrom       Address `json:"ship_from"`
	ShipTo         Address `json:"ship_to"`
	Carrier        string  `json:"carrier"`
	Service        string  `json:"service"`
	TrackingNumber string  `json:"tracking_number"`
	OrderNumber    string  `json:"order_number"`
	Carton         int     `json:"carton"`  // this carton's number, from 1
	Cartons        int     `json:"cartons"` // cartons in the shipment
	Weight         Weight  `json:"weight"`
	SSCC           string  `json:"sscc"` // 18 digits with check digit (see SSCC)
}

func checkCartons(n, of int) error {
	if of < 1 || of > 999 || n < 1 || n > of {
		return fmt.Errorf("carton %d of %d: need 1 ≤ carton ≤ cartons ≤ 999", n, of)
	}
	return nil
}

func required(what, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s is missing", what)
	}
	if !utf8.ValidString(v) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	return nil
}

// Shipping lays out a 4×6 in shipping label as a GS1 logistic label: ship
// from and carrier at the top, ship to, order, carton and weight, the
// carrier's tracking number with its Code 128 barcode, and the SSCC as a
// GS1-128 barcode (AI 00) at the bottom with its human-readable line.
func Shipping(d ShippingData) (Label, error) {
	for _, err := range []error{
		checkAddress(d.ShipFrom, "ship-from"), checkAddress(d.ShipTo, "ship-to"),
		required("carrier", d.Carrier), required("service", d.Service), required("order number", d.OrderNumber),
		checkCartons(d.Carton, d.Cartons), d.Weight.check(), ValidateSSCC(d.SSCC),
	} {
		if err != nil {
			return Label{}, fmt.Errorf("shipping label: %w", err)
		}
	}
	if err := checkCode128Data(d.TrackingNumber); err != nil {
		return Label{}, fmt.Errorf("shipping label: tracking number: %w", err)
	}
	stock := Stock4x6()
	var s sheet
	// The layout runs down the label; each text box is as high as its text
	// needs (textHeight), and section rules sit where the fullest section
	// ends, so a short address leaves its rows empty instead of moving them.
	const gap = 0.2
	// Ship from (left) and carrier and service (right).
	y := s.text(margin, 2.6, 58, 2.2, 1, "FROM")
	for i, row := range addressRows(d.ShipFrom) {
		s.text(margin, y+float64(i)*textHeight(2.5, 1), 58, 2.5, 1, row)
	}
	c := s.text(64, 2.6, 34.6, 2.2, 1, "CARRIER")
	c = s.text(64, c, 34.6, 5, 1, d.Carrier)
	s.text(64, c+gap, 34.6, 3, 2, d.Service)
	y += 6*textHeight(2.5, 1) + gap
	s.rule(y, stock.Width)
	// Ship to, large.
	y = s.text(margin, y+0.5+gap, 95.6, 2.2, 1, "SHIP TO")
	for i, row := range addressRows(d.ShipTo) {
		s.text(margin, y+float64(i)*textHeight(3.8, 1), 95.6, 3.8, 1, row)
	}
	y += 6*textHeight(3.8, 1) + gap
	s.rule(y, stock.Width)
	// Order, carton n of N, weight.
	y = s.text(margin, y+0.5+gap, 46, 2.2, 1, "ORDER")
	s.text(51, y-textHeight(2.2, 1), 22, 2.2, 1, "CARTON")
	s.text(75, y-textHeight(2.2, 1), 23.6, 2.2, 1, "WEIGHT")
	s.text(margin, y, 46, 3.4, 1, d.OrderNumber)
	s.text(51, y, 22, 3.4, 1, fmt.Sprintf("%d OF %d", d.Carton, d.Cartons))
	y = s.text(75, y, 23.6, 3.4, 1, d.Weight.String()) + gap
	s.rule(y, stock.Width)
	// Carrier tracking number.
	y = s.text(margin, y+0.5+gap, 95.6, 2.2, 1, "TRACKING NUMBER")
	y = s.text(margin, y, 95.6, 3.4, 1, d.TrackingNumber) + 0.3
	s.code128(Rect{X: margin, Y: y, W: 95.6, H: 17}, d.TrackingNumber, 0.375)
	y += 17 + 0.4
	s.rule(y, stock.Width)
	// SSCC at the bottom: data title above, human-readable line below; GS1
	// recommends 32mm bars or more.
	sscc := []GS1Element{{AI: "00", Value: d.SSCC}}
	y = s.text(margin, y+0.5+gap, 95.6, 2.2, 1, "SSCC") + 0.3
	s.items = append(s.items, Barcode{Rect: Rect{X: margin, Y: y, W: 95.6, H: 38}, Symbology: GS1128, Elements: sscc, Module: 0.5})
	s.text(20, y+38+0.4, 70, 4, 1, "(00) "+d.SSCC)
	return s.label("shipping", stock)
}

// PackSlipLine is one line of a pack slip.
type PackSlipLine struct {
	SKU         string `json:"sku"`
	Description string `json:"description"`
	Quantity    int    `json:"quantity"`
}

// PackSlipData is what a pack slip shows: what is in this carton and what of
// the order is still to come (later cartons, back orders).
type PackSlipData struct {
	OrderNumber string         `json:"order_number"`
	ShipTo      Address        `json:"ship_to"`
	Carton      int            `json:"carton"`
	Cartons     int            `json:"cartons"`
	SSCC        string         `json:"sscc,omitempty"` // optional; printed in the Data Matrix
	InCarton    []PackSlipLine `json:"in_carton"`
	ToCome      []PackSlipLine `json:"to_come,omitempty"`
}

// maxSlipLines bounds a pack slip (about 35 pages).
const maxSlipLines = 500

func (l PackSlipLine) check(i int, section string) error {
	if err := required(fmt.Sprintf("%s line %d SKU", section, i+1), l.SKU); err != nil {
		return err
	}
	if !utf8.ValidString(l.Description) {
		return fmt.Errorf("%s line %d description is not valid UTF-8", section, i+1)
	}
	if l.Quantity < 1 || l.Quantity > 999999 {
		return fmt.Errorf("%s line %d (%s) quantity %d must be 1 to 999999", section, i+1, l.SKU, l.Quantity)
	}
	return nil
}

// slipRow is one block of a pack slip page: a section heading or a line.
type slipRow struct {
	heading string // section title, when this row is a heading
	line    PackSlipLine
	note    string // a plain sentence instead of a line
}

// Pack slip geometry, in millimetres.
const (
	slipTop       = 24.2  // first row under the header
	slipBottom    = 121   // last row ends above the footer
	slipHeadingH  = 7     // section title and column captions
	slipRowH      = 7.5   // two lines of 2.8mm text and a gap
	slipCellSize  = 2.8   // line text size
	slipFooterTop = 122.5 // Data Matrix and SSCC line
)

// PackSlip lays out the pack slip on as many 4×6 in pages as its lines need.
// Every page repeats the order header and carries a GS1 DataMatrix with the
// order number (AI 400) and the SSCC (AI 00) when they can be encoded.
func PackSlip(d PackSlipData) ([]Label, error) {
	for _, err := range []error{
		required("order number", d.OrderNumber), checkAddress(d.ShipTo, "ship-to"), checkCartons(d.Carton, d.Cartons),
	} {
		if err != nil {
			return nil, fmt.Errorf("pack slip: %w", err)
		}
	}
	if d.SSCC != "" {
		if err := ValidateSSCC(d.SSCC); err != nil {
			return nil, fmt.Errorf("pack slip: %w", err)
		}
	}
	if len(d.InCarton) == 0 {
		return nil, errors.New("pack slip: no lines in this carton")
	}
	if n := len(d.InCarton) + len(d.ToCome); n > maxSlipLines {
		return nil, fmt.Errorf("pack slip: %d lines; at most %d fit on a pack slip", n, maxSlipLines)
	}
	rows := []slipRow{{heading: "IN THIS CARTON"}}
	for i, l := range d.InCarton {
		if err := l.check(i, "in-carton"); err != nil {
			return nil, fmt.Errorf("pack slip: %w", err)
		}
		rows = append(rows, slipRow{line: l})
	}
	rows = append(rows, slipRow{heading: "STILL TO COME"})
	for i, l := range d.ToCome {
		if err := l.check(i, "to-come"); err != nil {
			return nil, fmt.Errorf("pack slip: %w", err)
		}
		rows = append(rows, slipRow{line: l})
	}
	if len(d.ToCome) == 0 {
		rows = append(rows, slipRow{note: "Nothing: the rest of the order is complete."})
	}

	// Paginate: a heading never ends a page, and a section carried onto a
	// new page gets its heading again.
	var pages [][]slipRow
	var page []slipRow
	y, section := slipTop, ""
	for _, r := range rows {
		h := slipRowH
		if r.heading != "" {
			h = slipHeadingH + slipRowH // keep the heading with its first row
			section = r.heading
		}
		if y+h > slipBottom && len(page) > 0 {
			pages = append(pages, page)
			page, y = nil, slipTop
			if r.heading == "" {
				page = append(page, slipRow{heading: section + " (CONTINUED)"})
				y += slipHeadingH
			}
		}
		page = append(page, r)
		if r.heading != "" {
			y += slipHeadingH
		} else {
			y += slipRowH
		}
	}
	pages = append(pages, page)

	var matrix []GS1Element
	if checkElement(GS1Element{AI: "400", Value: d.OrderNumber}, true) == nil {
		matrix = append(matrix, GS1Element{AI: "400", Value: d.OrderNumber})
	}
	if d.SSCC != "" {
		matrix = append(matrix, GS1Element{AI: "00", Value: d.SSCC})
	}

	stock := Stock4x6()
	labels := make([]Label, len(pages))
	for p, rows := range pages {
		var s sheet
		y := s.text(margin, 2.4, 62, 4.5, 1, "PACKING SLIP")
		s.text(68, 3.4, 30.6, 2.6, 1, fmt.Sprintf("PAGE %d OF %d", p+1, len(pages)))
		y = s.text(margin, y, 50, 2.2, 1, "ORDER")
		s.text(56, y-textHeight(2.2, 1), 42.6, 2.2, 1, "CARTON")
		s.text(56, y, 42.6, 3.4, 1, fmt.Sprintf("%d OF %d", d.Carton, d.Cartons))
		y = s.text(margin, y, 50, 3.4, 1, d.OrderNumber)
		y = s.text(margin, y, 95.6, 2.2, 1, "SHIP TO")
		y = s.text(margin, y, 95.6, 2.8, 1, d.ShipTo.Name)
		s.rule(y+0.2, stock.Width)
		y = slipTop
		for _, r := range rows {
			switch {
			case r.heading != "":
				caps := s.text(margin, y, 95.6, 2.8, 1, r.heading)
				s.text(margin, caps, 11, 2.2, 1, "QTY")
				s.text(15, caps, 27, 2.2, 1, "SKU")
				s.text(43, caps, 55.6, 2.2, 1, "DESCRIPTION")
				y += slipHeadingH
			case r.note != "":
				s.text(margin, y, 95.6, slipCellSize, 2, r.note)
				y += slipRowH
			default:
				s.text(margin, y, 11, slipCellSize, 1, strconv.Itoa(r.line.Quantity))
				s.text(15, y, 27, slipCellSize, 2, r.line.SKU)
				s.text(43, y, 55.6, slipCellSize, 2, r.line.Description)
				y += slipRowH
			}
		}
		s.rule(slipFooterTop-1, stock.Width)
		if d.SSCC != "" {
			y := s.text(margin, slipFooterTop+1, 64, 2.2, 1, "SSCC")
			s.text(margin, y, 64, 3.2, 1, "(00) "+d.SSCC)
		}
		if matrix != nil {
			s.items = append(s.items, Barcode{Rect: Rect{X: 70, Y: slipFooterTop, W: 28.6, H: 26.9}, Symbology: GS1DataMatrix, Elements: matrix, Module: 0.5})
		}
		l, err := s.label(fmt.Sprintf("packslip page %d", p+1), stock)
		if err != nil {
			return nil, err
		}
		labels[p] = l
	}
	return labels, nil
}

// ToteData is what a tote label shows.
type ToteData struct {
	Tote string `json:"tote"`           // the tote's ID, as scanned
	Zone string `json:"zone,omitempty"` // where the tote belongs
}

// checkScanCode checks an ID that is printed as a Code 128 barcode and
// typed by people.
func checkScanCode(what, v string) error {
	if err := checkCode128Data(v); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if len(v) > 30 {
		return fmt.Errorf("%s %q is %d characters; at most 30 fit the label", what, v, len(v))
	}
	return nil
}

// Tote lays out a 4×3 in tote label: the tote ID large, its Code 128
// barcode, and the zone.
func Tote(d ToteData) (Label, error) {
	if err := checkScanCode("tote ID", d.Tote); err != nil {
		return Label{}, fmt.Errorf("tote label: %w", err)
	}
	if !utf8.ValidString(d.Zone) {
		return Label{}, errors.New("tote label: zone is not valid UTF-8")
	}
	var s sheet
	y := s.text(margin, 2.6, 40, 3, 1, "TOTE")
	if d.Zone != "" {
		s.text(46, 2.6, 52.6, 3, 1, "ZONE "+d.Zone)
	}
	y = s.text(margin, y, 95.6, 13, 1, d.Tote) + 0.3
	s.code128(Rect{X: margin, Y: y, W: 95.6, H: Stock4x3().Height - margin - y}, d.Tote, 0.5)
	return s.label("tote", Stock4x3())
}

// LocationData is what a location (bin) label shows.
type LocationData struct {
	Location    string `json:"location"`              // the location code, as scanned
	Description string `json:"description,omitempty"` // e.g. aisle, bay and level in words
}

// Location lays out a 4×2 in location label: the code large, a description
// line and the Code 128 barcode.
func Location(d LocationData) (Label, error) {
	if err := checkScanCode("location code", d.Location); err != nil {
		return Label{}, fmt.Errorf("location label: %w", err)
	}
	if !utf8.ValidString(d.Description) {
		return Label{}, errors.New("location label: description is not valid UTF-8")
	}
	var s sheet
	y := s.text(margin, 1.2, 95.6, 8.5, 1, d.Location)
	y = s.text(margin, y, 95.6, 2.8, 1, d.Description) + 0.3
	s.code128(Rect{X: margin, Y: y, W: 95.6, H: Stock4x2().Height - margin - y}, d.Location, 0.4)
	return s.label("location", Stock4x2())
}

// BadgeData is what an operator badge shows.
type BadgeData struct {
	Name  string `json:"name"`           // the operator's name
	Role  string `json:"role,omitempty"` // e.g. picker, packer, supervisor
	Badge string `json:"badge"`          // the badge code scanned to log in
}

// Badge lays out a 3×2 in operator badge: name, role, and the badge code as
// Code 128 with its text.
func Badge(d BadgeData) (Label, error) {
	if err := required("operator name", d.Name); err != nil {
		return Label{}, fmt.Errorf("badge: %w", err)
	}
	if !utf8.ValidString(d.Role) {
		return Label{}, errors.New("badge: role is not valid UTF-8")
	}
	if err := checkScanCode("badge code", d.Badge); err != nil {
		return Label{}, fmt.Errorf("badge: %w", err)
	}
	stock := Stock3x2()
	var s sheet
	y := s.text(margin, 2.6, 70.2, 4.6, 2, d.Name)
	y = s.text(margin, y, 70.2, 2.8, 1, d.Role) + 0.3
	code := stock.Height - margin - textHeight(2.6, 1) // the badge code's text at the foot
	s.code128(Rect{X: margin, Y: y, W: 70.2, H: code - 0.3 - y}, d.Badge, 0.33)
	s.text(margin, code, 70.2, 2.6, 1, d.Badge)
	return s.label("badge", stock)
}

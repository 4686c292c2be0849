package protocol

import (
	"fmt"

	"github.com/totewms/tote/internal/floor"
)

// Limits of the shipping text an order carries, in characters. A carrier
// takes about 35 per address line; these leave room for what the OMS holds,
// yet refuse a pasted document. The station's [pack] settings hold to the
// same limits.
const (
	MaxCarrierLen     = 50 // carrier and service names
	MaxAddressLineLen = 100
	MaxRegionLen      = 50
	MaxPostalCodeLen  = 20
)

// CheckShipTo checks an order's ship-to address, carrier and service, all
// optional here, before anything stores them. This text comes from an OMS
// and ends up on a terminal and a label, so it must be printable by the
// rule for all outside text (floor.CheckText): a control character (an
// escape sequence, a line break), invisible formatting (a bidi override
// that makes a label read other than it prints, a joiner that joins no
// letters) or text that was not valid UTF-8 at its source is refused with
// the reason, never cleaned up silently. Whether an order must have a
// ship-to is the hub's setting (hub.ImportRules).
func (o Order) CheckShipTo() error {
	if o.Carrier != "" {
		if err := checkLabelText("", "carrier", o.Carrier, MaxCarrierLen); err != nil {
			return err
		}
	}
	if o.Service != "" {
		if err := checkLabelText("", "service", o.Service, MaxCarrierLen); err != nil {
			return err
		}
	}
	if o.ShipTo == (Address{}) {
		return nil
	}
	return CheckAddress(o.ShipTo, "ship-to")
}

// CheckAddress checks an address that is given: name, line1, city and country
// are required, every part is printable text within its limit, the country
// is an ISO 3166 two-letter code. what names the address in the error
// ("ship-to").
func CheckAddress(a Address, what string) error {
	parts := []struct {
		name, v  string
		max      int
		required bool
	}{
		{"name", a.Name, MaxAddressLineLen, true},
		{"company", a.Company, MaxAddressLineLen, false},
		{"line1", a.Line1, MaxAddressLineLen, true},
		{"line2", a.Line2, MaxAddressLineLen, false},
		{"city", a.City, MaxAddressLineLen, true},
		{"region", a.Region, MaxRegionLen, false},
	}
	for _, p := range parts {
		if p.v == "" {
			if p.required {
				return fmt.Errorf("the %s address has no %s (name, line1, city and country are required)", what, p.name)
			}
			continue
		}
		if err := checkLabelText(what, p.name, p.v, p.max); err != nil {
			return err
		}
	}
	if a.PostalCode != "" && !postalCode(a.PostalCode) {
		return fmt.Errorf("the %s postal_code \"%s\" is not a postal code: use 1 to %d of letters, digits, spaces and -",
			what, floor.Printable(floor.Clip(a.PostalCode)), MaxPostalCodeLen)
	}
	switch {
	case a.Country == "":
		return fmt.Errorf("the %s address has no country (name, line1, city and country are required)", what)
	case !countryCode(a.Country):
		return fmt.Errorf("the %s country \"%s\" is not a country code: use the two capital letters of ISO 3166 (US, DE, GB)",
			what, floor.Printable(floor.Clip(a.Country)))
	}
	return nil
}

// checkLabelText accepts text by the rule for all outside text
// (floor.CheckText): printable, not blank, at most max characters. whose
// and what name the text in the error ("ship-to" "city"; whose may be
// empty).
func checkLabelText(whose, what, s string, max int) error {
	if whose != "" {
		what = whose + " " + what
	}
	return floor.CheckText(what, s, max)
}

// postalCode accepts 1–MaxPostalCodeLen of ASCII letters, digits, spaces
// and -, starting with a letter or digit.
func postalCode(s string) bool {
	if s == "" || len(s) > MaxPostalCodeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		if !alnum && (i == 0 || c != ' ' && c != '-') {
			return false
		}
	}
	return true
}

// countryCode accepts two capital ASCII letters.
func countryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

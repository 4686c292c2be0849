package barcode

import (
	"errors"
	"strings"

	"github.com/totewms/tote/internal/gs1"
)

// Entry is how a line reads at a prompt that takes free text, a lot or a
// serial number: the picker may type it or scan the unit's label, and a
// scan of anything else must never be stored as a lot.
type Entry int

const (
	// EntryText: take the line as typed.
	EntryText Entry = iota
	// EntryLabel: a GTIN or GS1 scan of the goods. Take the lot, serial and
	// expiry from its AIs (never its digits), with the item step's rules.
	EntryLabel
	// EntryCommand: a command barcode; the prompt's commands apply.
	EntryCommand
	// EntryRefused: not a lot or serial number. When the scan has an Err,
	// that is why (a label that did not read); otherwise Kind says what it
	// is (a location, tote, badge, order, return or carton label).
	EntryRefused
)

// AtTextPrompt says how the scan reads at a prompt for a lot or serial
// number.
func (m *Meaning) AtTextPrompt() Entry {
	if m.Err != nil {
		if m.typedNumber() {
			return EntryText
		}
		return EntryRefused
	}
	switch m.Kind {
	case KindUnknown:
		return EntryText
	case KindGTIN, KindGS1:
		return EntryLabel
	case KindCommand:
		return EntryCommand
	}
	return EntryRefused // a site barcode or an SSCC
}

// typedNumber reports whether a refused scan may still be a number a person
// typed. Without a symbology identifier the interpreter tries digits as a
// GTIN (check digit) or an element string, and lots such as 20240115 or
// 0123 are neither. What the scanner says is GS1 or EAN/UPC, what is
// bracketed, a Digital Link, holds a GS, or opens with a whole (00), (01)
// or (02) key is a label that did not read.
func (m *Meaning) typedNumber() bool {
	var se *ScanError
	if errors.As(m.Err, &se) {
		return false
	}
	if m.Kind != KindGTIN && m.Kind != KindGS1 && m.Kind != KindSSCC {
		return false // refused before any barcode rule: not text either
	}
	if sym := classify(m.Symbology); sym == symGS1 || sym == symRetail {
		return false
	}
	if m.Form == FormBracketed || m.Form == FormDigitalLink || strings.IndexByte(m.Input, gs1.GS) >= 0 {
		return false
	}
	return !opensWithKey(m.Input)
}

// opensWithKey reports data that starts with a GS1 key in full: (00) and
// 18 digits, or (01)/(02) and 14.
func opensWithKey(data string) bool {
	n := 0
	switch {
	case strings.HasPrefix(data, "00"):
		n = 2 + 18
	case strings.HasPrefix(data, "01"), strings.HasPrefix(data, "02"):
		n = 2 + 14
	default:
		return false
	}
	return len(data) >= n && allDigits(data[:n])
}

// Noun names the kind in words for a sentence: "a location", "an order".
func (k Kind) Noun() string {
	switch k {
	case KindGTIN:
		return "an item barcode (GTIN)"
	case KindGS1:
		return "a GS1 barcode"
	case KindSSCC:
		return "a carton label (SSCC)"
	case KindLocation:
		return "a location"
	case KindTote:
		return "a tote"
	case KindBadge:
		return "a badge"
	case KindCommand:
		return "a command"
	case KindOrder:
		return "an order"
	case KindRMA:
		return "a return (RMA)"
	}
	return "an unknown barcode"
}

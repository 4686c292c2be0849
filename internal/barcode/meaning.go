// Package barcode turns one scan into what it means on the floor: a GTIN
// (with lot, serial and expiry when the scan carries them), a GS1 element
// string, an SSCC, or a site barcode (location, tote, badge, command,
// order, return).
//
// It is on the scan path of every pick, so Interpret is cheap: patterns
// are compiled once and a valid GS1 scan is read without allocating when
// the caller reuses a Meaning (InterpretTo).
//
// It must never touch devices or storage, and never guess: data it cannot
// read exactly is rejected with a reason in plain words; data that is no
// barcode it knows is KindUnknown, for the caller to look up (it may be a
// SKU).
package barcode

import (
	"fmt"
	"regexp"
	"time"

	"github.com/totewms/tote/internal/gs1"
)

// Kind is what sort of thing a scan names.
type Kind string

const (
	KindGTIN     Kind = "gtin"
	KindGS1      Kind = "gs1"
	KindSSCC     Kind = "sscc"
	KindLocation Kind = "location"
	KindTote     Kind = "tote"
	KindBadge    Kind = "badge"
	KindCommand  Kind = "command"
	KindOrder    Kind = "order"
	KindRMA      Kind = "rma"
	KindUnknown  Kind = "unknown" // matches nothing: may still be a SKU, the caller decides
)

// Form names how a scan was written, for messages and the CLI.
const (
	FormEAN13       = "ean-13"
	FormUPCA        = "upc-a"
	FormUPCE        = "upc-e"
	FormEAN8        = "ean-8"
	FormITF14       = "itf-14"
	FormGTIN14      = "gtin-14"
	FormElements    = "element-string" // GS1 AIs as a scanner sends them
	FormBracketed   = "bracketed"      // (01)...(10)...
	FormDigitalLink = "digital-link"
	FormPattern     = "site-pattern"
)

// MaxScanBytes is the longest scan accepted: more than any GS1 symbol holds
// (a QR code tops out near 3 KB of text), so longer input is a fault.
const MaxScanBytes = 4096

// Meaning is what one scan says.
type Meaning struct {
	Input     string        // the data as scanned, AIM identifier removed
	Symbology string        // AIM identifier such as "]C1", "" when none
	Kind      Kind          // what the scan names
	Err       error         // nil when accepted; a plain-words reason when rejected (Kind is then what it tried to be)
	GTIN      string        // 14-digit GTIN when the scan carries one (GTIN-8/12/13 and UPC-E normalised to 14 digits)
	SSCC      string        // 18 digits for AI (00)
	Lot       string        // AI (10)
	Serial    string        // AI (21)
	Expiry    time.Time     // AI (17) as a date (zero when absent); DD=00 means the month's last day
	Code      string        // for site barcodes: the code (first capture group of the pattern if it has one, else the whole data); for commands the command name, e.g. "SHORT" for "CMD:SHORT"
	AIs       []gs1.Element // every AI in scan order (empty for non-GS1)

	Form     string   // how the scan was written: one of the Form constants, "" for unknown
	AddOn    string   // EAN/UPC 2- or 5-digit add-on, when the scanner sent one (]E3)
	Warnings []string // accepted, but worth a look: e.g. a separator the scanner may have dropped
	// Uncertain is the warning (also in Warnings) that says the data may
	// read another way, a separator the scanner may have dropped: a lot or
	// serial read from this scan is a guess. "" when the reading is certain;
	// a missing companion AI (a lot label without its GTIN) is not doubt.
	Uncertain string
}

// OK reports whether the scan was accepted.
func (m *Meaning) OK() bool { return m.Err == nil }

// AI returns the value of one AI in the scan and whether it is there.
func (m *Meaning) AI(ai string) (gs1.Element, bool) {
	for _, e := range m.AIs {
		if e.AI == ai {
			return e, true
		}
	}
	return gs1.Element{}, false
}

// Patterns are regular expressions (Go RE2 syntax) for site barcodes. The
// interpreter anchors them (^...$), so "T\d{5}" and "^T\d{5}$" are the
// same. An empty pattern switches that kind off.
type Patterns struct{ Location, Tote, Badge, Command, Order, RMA string }

// DefaultPatterns are the site barcodes the demo and the docs use.
func DefaultPatterns() Patterns {
	return Patterns{
		Location: `^[A-Z]{1,2}-\d{2}-\d{2}-\d{1,2}$`, // zone-aisle-bay-level, e.g. A-01-03-2
		Tote:     `^T\d{5}$`,                         // T00042
		Badge:    `^B\d{4,8}$`,                       // B1234
		Command:  `^CMD:([A-Z0-9-]+)$`,               // CMD:SHORT
		Order:    `^ORD-\d{4,10}$`,                   // ORD-100234
		RMA:      `^RMA-\d{4,10}$`,                   // RMA-5521
	}
}

// sitePattern is one compiled site pattern.
type sitePattern struct {
	kind   Kind
	re     *regexp.Regexp
	prefix string // literal every match starts with: a cheap way to skip
	groups bool
}

// Interpreter reads scans against a site's patterns. It is immutable and
// safe for concurrent use.
type Interpreter struct {
	sites  []sitePattern // command first, then location, tote, badge, order, RMA
	parser gs1.Parser
}

// NewInterpreter compiles the site patterns. The error names the pattern
// that is bad and why.
func NewInterpreter(p Patterns) (*Interpreter, error) {
	in := &Interpreter{}
	for _, s := range []struct {
		kind Kind
		name string
		expr string
	}{
		{KindCommand, "command", p.Command},
		{KindLocation, "location", p.Location},
		{KindTote, "tote", p.Tote},
		{KindBadge, "badge", p.Badge},
		{KindOrder, "order", p.Order},
		{KindRMA, "rma", p.RMA},
	} {
		if s.expr == "" {
			continue
		}
		re, err := regexp.Compile(`^(?:` + s.expr + `)$`)
		if err != nil {
			// Compile the pattern as given for the message, so the
			// error shows the user's text, not the anchored one.
			if _, err2 := regexp.Compile(s.expr); err2 != nil {
				err = err2
			}
			return nil, fmt.Errorf("%s pattern %q is not a valid regular expression: %w", s.name, s.expr, err)
		}
		prefix, _ := re.LiteralPrefix()
		in.sites = append(in.sites, sitePattern{kind: s.kind, re: re, prefix: prefix, groups: re.NumSubexp() > 0})
	}
	return in, nil
}

// WithClock returns a copy of the interpreter that reads the century of
// two-digit GS1 years from now instead of the system clock (for tests and
// replays).
func (in *Interpreter) WithClock(now func() time.Time) *Interpreter {
	c := *in
	c.parser.Now = now
	return &c
}

// SplitAIM splits a leading AIM symbology identifier ("]C1") from the data:
// "]C1010950..." gives ("]C1", "010950..."). Data without one comes back
// whole with aim "".
func SplitAIM(raw string) (aim, data string) {
	if len(raw) >= 3 && raw[0] == ']' && isAlpha(raw[1]) && isAlnum(raw[2]) {
		return raw[:3], raw[3:]
	}
	return "", raw
}

func isAlpha(c byte) bool { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }
func isAlnum(c byte) bool { return isAlpha(c) || (c >= '0' && c <= '9') }

// Expired reports whether the scan's expiry date (AI 17) is before day.
// The product may be used on its expiry date itself. A scan without an
// expiry is never expired.
func (m *Meaning) Expired(day time.Time) bool {
	if m.Expiry.IsZero() {
		return false
	}
	y, mo, d := day.Date()
	today := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	ey, emo, ed := m.Expiry.Date()
	return today.After(time.Date(ey, emo, ed, 0, 0, 0, 0, time.UTC))
}

// CheckExpiry returns an *ExpiredError when the scan's lot is expired on
// day, nil otherwise.
func (m *Meaning) CheckExpiry(day time.Time) error {
	if !m.Expired(day) {
		return nil
	}
	return &ExpiredError{Lot: m.Lot, Expiry: m.Expiry}
}

// ExpiredError refuses an item whose expiry date (AI 17) has passed.
type ExpiredError struct {
	Lot    string    // "" when the scan carried no lot
	Expiry time.Time // the date from AI (17)
}

func (e *ExpiredError) Error() string {
	if e.Lot == "" {
		return fmt.Sprintf("expired on %s", e.Expiry.Format("2006-01-02"))
	}
	return fmt.Sprintf("lot %s expired on %s", e.Lot, e.Expiry.Format("2006-01-02"))
}

// ScanError rejects a scan before any barcode rule applies: empty, too
// long, not UTF-8, control characters, or a symbology carrying data it
// cannot hold.
type ScanError struct {
	Offset int // byte offset of the problem, -1 when none
	Msg    string
}

func (e *ScanError) Error() string { return e.Msg }

var (
	_ error = (*ExpiredError)(nil)
	_ error = (*ScanError)(nil)
)

package gs1

import (
	"strconv"
	"time"
)

// GS is the group separator (ASCII 29) that stands for FNC1 inside scanned
// element strings.
const GS = '\x1d'

// Element is one application identifier and its value as scanned, with the
// typed reading of the value where the AI has one.
type Element struct {
	AI    string // e.g. "01", "3103"
	Value string // as scanned (Digital Link: percent-decoded)

	// Date is set for AIs whose value holds a date: YYMMDD (DD=00 read as
	// the month's last day), YYYYMMDD, and the date-time AIs, whose hour,
	// minute and second are added when present. UTC; zero when the AI has
	// no date.
	Date time.Time

	// Decimal is set (Valid) for AIs whose last digit places the decimal
	// point: 310n-369n measures, 390n-395n amounts, prices and percentages.
	Decimal Decimal

	// Currency is the ISO 4217 numeric code of 391n and 393n amounts.
	Currency string
}

// Decimal is an exact decimal number: Units / 10^Places. (3103) 001250 is
// Units 1250, Places 3, i.e. 1.250.
type Decimal struct {
	Units  int64
	Places int
	Valid  bool
}

// String writes the number with its places, e.g. "1.250"; "" when not Valid.
func (d Decimal) String() string {
	if !d.Valid {
		return ""
	}
	s := strconv.FormatInt(d.Units, 10)
	if d.Places == 0 {
		return s
	}
	for len(s) <= d.Places {
		s = "0" + s
	}
	return s[:len(s)-d.Places] + "." + s[len(s)-d.Places:]
}

// Float64 is the number as a float, for display and arithmetic that
// tolerates rounding (never for money).
func (d Decimal) Float64() float64 {
	f := float64(d.Units)
	for i := 0; i < d.Places; i++ {
		f /= 10
	}
	return f
}

// Problem is the sort of mistake an Error reports, for callers that react
// differently to, say, a wrong check digit and a lost separator.
type Problem int

const (
	ProblemSyntax         Problem = iota + 1 // malformed data: nothing to read, bad brackets, bad URI
	ProblemUnknownAI                         // digits that are no GS1 application identifier
	ProblemLength                            // a value too short or too long for its AI
	ProblemCharset                           // a character the AI does not allow
	ProblemCheckDigit                        // a wrong check digit or check character pair
	ProblemDate                              // an impossible date or time
	ProblemSeparator                         // a variable-length value not ended by a separator
	ProblemContent                           // other content rules (country codes, piece of total, ...)
	ProblemDuplicate                         // one AI twice with different values; in a Digital Link, twice at all
	ProblemExclusive                         // two AIs that may not appear together
	ProblemPairing                           // an AI without the AIs it needs (CheckPairs; (8030) without its key)
	ProblemNotDigitalLink                    // a URI that is no GS1 Digital Link (no primary key in its path)
)

// Error is why GS1 data was rejected, in plain words.
type Error struct {
	AI      string // the AI concerned, "" when none
	Offset  int    // byte offset in the data where the problem starts, -1 when unknown
	Problem Problem
	Msg     string // the whole message, e.g. "AI (17): 31 is not a day of February"
}

func (e *Error) Error() string { return e.Msg }

var _ error = (*Error)(nil)

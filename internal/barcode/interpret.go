package barcode

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/totewms/tote/internal/gs1"
)

// symbology is what the AIM identifier promises about the data.
type symbology int

const (
	symNone   symbology = iota // no identifier: anything goes
	symOther                   // a symbology that may carry site barcodes (Code 128, QR, ...)
	symRetail                  // EAN/UPC: only GTINs
	symGS1                     // GS1-128, GS1 DataMatrix, GS1 QR, GS1 DataBar: only element strings
)

func classify(aim string) symbology {
	switch aim {
	case "":
		return symNone
	case "]E0", "]E3", "]E4":
		return symRetail
	case "]C1", "]d2", "]Q3", "]e0", "]e1", "]e2", "]e3":
		return symGS1
	}
	return symOther
}

// Interpret says what one scan means. aim is the AIM identifier ("" when
// the scanner sends none); data is what follows it, GS as 0x1D.
func (in *Interpreter) Interpret(aim, data string) Meaning {
	var m Meaning
	in.InterpretTo(&m, aim, data)
	return m
}

// room is m.AIs ready for a GS1 parse: room for a typical GS1 scan in one
// allocation instead of growing the slice element by element, made only
// when a parse needs it (a plain GTIN, the commonest scan, has no AIs).
func (m *Meaning) room() []gs1.Element {
	if cap(m.AIs) == 0 {
		m.AIs = make([]gs1.Element, 0, 8)
	}
	return m.AIs
}

// InterpretTo is Interpret into m, reusing m.AIs' room: a caller that keeps
// one Meaning per scanner reads valid GS1 scans without allocating.
//
// Order: screening (empty, too long, not UTF-8, control characters other
// than GS), then commands, then site patterns, then GTIN and GS1 forms.
// Scans whose AIM identifier promises EAN/UPC or GS1 data skip the site
// patterns, so a numeric location pattern can never take a GTIN.
func (in *Interpreter) InterpretTo(m *Meaning, aim, data string) {
	*m = Meaning{Input: data, Symbology: aim, Kind: KindUnknown, AIs: m.AIs[:0]}
	if err := screen(data); err != nil {
		m.Err = err
		return
	}
	sym := classify(aim)
	if sym == symNone || sym == symOther {
		if in.matchSite(m, data) {
			return
		}
	}
	switch sym {
	case symRetail:
		in.retail(m, aim, data)
	case symGS1:
		switch {
		case gs1.LooksLikeDigitalLink(data):
			in.digitalLink(m, data, true)
		default:
			in.elementString(m, data)
		}
	default:
		in.untagged(m, aim, data)
	}
}

// screen rejects what no barcode rule should see.
func screen(data string) error {
	if data == "" {
		return &ScanError{Offset: -1, Msg: "empty scan"}
	}
	if len(data) > MaxScanBytes {
		return &ScanError{Offset: MaxScanBytes, Msg: fmt.Sprintf("scan is %d bytes long; at most %d are accepted", len(data), MaxScanBytes)}
	}
	ascii := true
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c >= 0x80 {
			ascii = false
			continue
		}
		if (c < 0x20 && c != gs1.GS) || c == 0x7f {
			return &ScanError{Offset: i, Msg: fmt.Sprintf("scan contains %s at character %d; only GS (0x1D) is allowed", controlName(c), i+1)}
		}
	}
	if ascii {
		return nil
	}
	for i, r := range data {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(data[i:]); size == 1 {
				return &ScanError{Offset: i, Msg: fmt.Sprintf("scan is not valid UTF-8 (byte 0x%02X at character %d)", data[i], i+1)}
			}
		}
		if r >= 0x80 && r <= 0x9f {
			return &ScanError{Offset: i, Msg: fmt.Sprintf("scan contains control character U+%04X at character %d; only GS (0x1D) is allowed", r, i+1)}
		}
	}
	return nil
}

func controlName(c byte) string {
	switch c {
	case '\r':
		return "a carriage return (0x0D)"
	case '\n':
		return "a line feed (0x0A)"
	case '\t':
		return "a tab (0x09)"
	case 0x1e:
		return "RS (0x1E)"
	case 0x04:
		return "EOT (0x04)"
	}
	return fmt.Sprintf("control character 0x%02X", c)
}

// matchSite tries commands and the site patterns in order.
func (in *Interpreter) matchSite(m *Meaning, data string) bool {
	for i := range in.sites {
		s := &in.sites[i]
		if !strings.HasPrefix(data, s.prefix) || !s.re.MatchString(data) {
			continue
		}
		m.Kind = s.kind
		m.Form = FormPattern
		m.Code = data
		if s.groups {
			if loc := s.re.FindStringSubmatchIndex(data); len(loc) >= 4 && loc[2] >= 0 {
				m.Code = data[loc[2]:loc[3]]
			}
		}
		return true
	}
	return false
}

// retail reads EAN/UPC symbols: ]E0 EAN-13, UPC-A (12 or 13 digits) or
// UPC-E (8 digits); ]E4 EAN-8; ]E3 EAN-13 or UPC-A with a 2- or 5-digit
// add-on.
func (in *Interpreter) retail(m *Meaning, aim, data string) {
	m.Kind = KindGTIN
	switch {
	case aim == "]E4" && len(data) == 8:
		in.gtin(m, FormEAN8, data)
	case aim == "]E0" && len(data) == 13:
		in.gtin(m, FormEAN13, data)
	case aim == "]E0" && len(data) == 12:
		in.gtin(m, FormUPCA, data)
	case aim == "]E0" && len(data) == 8:
		m.Form = FormUPCE
		upca, err := gs1.ExpandUPCE(data)
		if err != nil {
			m.Err = err
			return
		}
		m.GTIN = "00" + upca
	case aim == "]E3" && (len(data) == 15 || len(data) == 18):
		m.AddOn = data[13:]
		in.gtin(m, FormEAN13, data[:13])
	default:
		m.Err = &ScanError{Offset: -1, Msg: fmt.Sprintf("%s data must be an EAN/UPC number (8, 12 or 13 digits), got %d characters", aim, len(data))}
	}
}

// gtin checks a plain GTIN and normalises it to 14 digits.
func (in *Interpreter) gtin(m *Meaning, form, digits string) {
	m.Kind = KindGTIN
	m.Form = form
	if err := gs1.CheckGTIN("GTIN", digits); err != nil {
		m.Err = err
		return
	}
	m.GTIN = gs1.GTIN14(digits)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// untagged reads data whose symbology does not say what it holds.
func (in *Interpreter) untagged(m *Meaning, aim, data string) {
	switch {
	case looksBracketed(data):
		m.Kind = KindGS1
		m.Form = FormBracketed
		ais, err := in.parser.ParseBracketed(data, m.room())
		in.fill(m, ais, err)
	case gs1.LooksLikeDigitalLink(data):
		in.digitalLink(m, data, false)
	case strings.HasPrefix(aim, "]I") && len(data) != 14:
		// Interleaved 2 of 5 of another length carries no GTIN.
	case allDigits(data) && (len(data) == 8 || len(data) == 12 || len(data) == 13 || len(data) == 14):
		form := FormGTIN14
		switch {
		case aim == "]I1" && len(data) == 14:
			form = FormITF14
		case len(data) == 8:
			form = FormEAN8
		case len(data) == 12:
			form = FormUPCA
		case len(data) == 13:
			form = FormEAN13
		}
		in.gtin(m, form, data)
	case strings.IndexByte(data, gs1.GS) >= 0 || strings.HasPrefix(data, "00") || strings.HasPrefix(data, "01") || strings.HasPrefix(data, "02"):
		// Element strings without a GS1 identifier (a keyboard-wedge
		// scanner, or one with AIM identifiers off): taken as GS1 only
		// when they carry a separator or start with the AIs that begin
		// nearly every logistic or trade label, so numeric SKUs stay
		// unknown.
		in.elementString(m, data)
	}
}

// looksBracketed reports data that opens with a known AI in brackets, so
// "(555) 123-4567" stays unknown.
func looksBracketed(data string) bool {
	if len(data) < 4 || data[0] != '(' {
		return false
	}
	end := strings.IndexByte(data, ')')
	return end >= 3 && end <= 5 && gs1.Standard().Lookup(data[1:end]) != nil
}

func (in *Interpreter) elementString(m *Meaning, data string) {
	m.Kind = KindGS1
	m.Form = FormElements
	ais, err := in.parser.ParseElementString(data, m.room())
	in.fill(m, ais, err)
	if err == nil && strings.IndexByte(data, gs1.GS) < 0 && len(ais) > 0 {
		// No separator at all: a wedge scanner may have dropped one and
		// let the last value swallow the AIs after it.
		last := ais[len(ais)-1]
		if value, hidden, ok := in.parser.SplitSwallowed(last); ok {
			m.Uncertain = fmt.Sprintf(
				"AI (%s) %q may hide %s: if the scanner dropped a separator, AI (%s) is %q",
				last.AI, last.Value, describeAIs(hidden), last.AI, value)
			m.Warnings = append(m.Warnings, m.Uncertain)
		}
	}
}

func describeAIs(es []gs1.Element) string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString("(" + e.AI + ")" + e.Value)
	}
	return b.String()
}

func (in *Interpreter) digitalLink(m *Meaning, data string, mustBeGS1 bool) {
	ais, err := in.parser.ParseDigitalLink(data, m.room())
	var ge *gs1.Error
	if err != nil && !mustBeGS1 && errors.As(err, &ge) && ge.Problem == gs1.ProblemNotDigitalLink {
		return // an ordinary web address: unknown, the caller decides
	}
	m.Kind = KindGS1
	m.Form = FormDigitalLink
	in.fill(m, ais, err)
}

// fill sets the meaning from parsed AIs.
func (in *Interpreter) fill(m *Meaning, ais []gs1.Element, err error) {
	m.AIs = ais
	if err != nil {
		m.AIs = ais[:0]
		m.Err = err
		return
	}
	onlySSCC := len(ais) > 0
	for i := range ais {
		e := &ais[i]
		switch e.AI {
		case "00":
			m.SSCC = e.Value
		case "01":
			m.GTIN = e.Value
		case "10":
			m.Lot = e.Value
		case "21":
			m.Serial = e.Value
		case "17":
			m.Expiry = e.Date
		}
		if e.AI != "00" {
			onlySSCC = false
		}
	}
	if onlySSCC {
		m.Kind = KindSSCC
	}
	if perr := in.parser.CheckPairs(ais); perr != nil {
		m.Warnings = append(m.Warnings, perr.Error()+" (GS1 expects them on the same item; another barcode may carry them)")
	}
}

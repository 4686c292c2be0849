// Package hints says what the demo tells its user to type next: the side
// panel's "NEXT" and what F12 scans. It reads a bench's state and never
// decides: the rules it needs are the workflows' own exported functions.
package hints

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
)

// Pick is what a picker would scan next, for the demo's hints and F12.
func Pick(s pick.State) string {
	t, ok := s.Task()
	switch s.Step {
	case pick.StepTote:
		if ok {
			return Tote(t.OrderID)
		}
	case pick.StepLocation:
		if ok {
			return t.Location
		}
	case pick.StepItem:
		if ok {
			if g := strings.TrimPrefix(t.GTIN, "0"); g != "" {
				return g
			}
			return t.SKU
		}
	case pick.StepQuantity:
		if ok {
			return strconv.Itoa(t.Remaining())
		}
	case pick.StepLot:
		return "LOT2611A"
	case pick.StepSerial:
		return fmt.Sprintf("SN%06d", s.Current)
	case pick.StepShort:
		return "1"
	}
	return ""
}

// Pack is what a packer would scan next at a packing bench, for the
// demo's hints and F12, and a note when the next step is not a scan (Enter
// takes the box suggestion, the scale sends the weight). fresh are the
// totes or orders the demo knows are picked and not yet packed.
func Pack(s pack.State, fresh []string) (next, note string) {
	switch s.Step {
	case pack.StepLogin, "":
		return "", "Scan your badge"
	case pack.StepPIN:
		return "", "Type your PIN, Enter"
	case pack.StepOrder, pack.StepDone:
		if len(fresh) > 0 {
			return fresh[0], ""
		}
		return "", "Scan a tote, an order or a pick ticket"
	case pack.StepVerify, pack.StepCount:
		if l, ok := nextUnit(s); ok {
			return unitCode(l), ""
		}
		if s.Step == pack.StepCount {
			return "", "Esc: no line has that many units left"
		}
		if _, open := s.OpenCarton(); open {
			if _, ok := firstLeft(s); ok {
				// Units are left but none may join the open carton
				// (hazmat ships alone): close it first.
				return floor.CmdCloseCarton.Barcode(), ""
			}
		}
		if ok, _ := s.CanComplete(); ok {
			return floor.CmdComplete.Barcode(), ""
		}
		if ok, _ := s.CanPartial(); ok {
			return floor.CmdPartial.Barcode(), ""
		}
	case pack.StepQuantity:
		if l, ok := nextUnit(s); ok {
			if l.SerialControlled {
				return "1", ""
			}
			return strconv.Itoa(l.Picked - l.Verified), ""
		}
	case pack.StepConfirm:
		return "", "Enter to confirm"
	case pack.StepLot:
		l, _ := s.Line(s.Pending.Line)
		for _, lot := range l.Lots {
			if s.VerifiedLot(l.LineNo, lot.Lot) < lot.Qty {
				return lot.Lot, ""
			}
		}
	case pack.StepSerial:
		l, _ := s.Line(s.Pending.Line)
		for _, sn := range l.Serials {
			if !s.SerialVerified(l.LineNo, sn) {
				return sn, ""
			}
		}
	case pack.StepBox:
		return "", "Enter takes the suggestion"
	case pack.StepWeigh, pack.StepMismatch:
		if s.HasScale {
			return "", "The scale sends the weight"
		}
		if c, ok := s.OpenCarton(); ok {
			if b, ok := s.Box(c.Box); ok {
				g, _ := s.ExpectedWeight(c, b)
				return strconv.FormatFloat(math.Round(g), 'f', -1, 64), ""
			}
		}
	case pack.StepSetAside:
		return "", "Enter puts the order aside"
	case pack.StepPartial:
		return "", "Enter ships what is verified"
	case pack.StepHeld:
		return "", "Enter once the goods are on " + s.Holding()
	case pack.StepSupervisor:
		return "", "A supervisor scans their badge"
	case pack.StepSupervisorPIN:
		return "", "The supervisor types their PIN"
	case pack.StepReason:
		return "", "The supervisor types a reason"
	case pack.StepReprint:
		return "1", ""
	case pack.StepReprintReason:
		return "1", ""
	}
	return "", ""
}

// nextUnit is the first line with units left to verify that may go into the
// open carton now.
func nextUnit(s pack.State) (pack.LineStatus, bool) {
	for _, l := range s.Lines() {
		if l.Verified < l.Picked && s.HazmatConflict(l.PackLine) == "" {
			return l, true
		}
	}
	return pack.LineStatus{}, false
}

func firstLeft(s pack.State) (pack.LineStatus, bool) {
	for _, l := range s.Lines() {
		if l.Verified < l.Picked {
			return l, true
		}
	}
	return pack.LineStatus{}, false
}

// unitCode is what to scan for a line: its GTIN (as a GTIN-13 when it has a
// leading 0, as a scanner reads an EAN), else its SKU.
func unitCode(l pack.LineStatus) string {
	if len(l.GTINs) > 0 {
		if g := strings.TrimPrefix(l.GTINs[0], "0"); g != "" {
			return g
		}
	}
	return l.SKU
}

// Tote is the tote the demo suggests for an order: T and the order
// number's last five digits, so a newcomer can tell which tote is which.
// The demo's pick cart uses it too, so hints and totes agree.
func Tote(order string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, order)
	if len(digits) > 5 {
		digits = digits[len(digits)-5:]
	}
	return "T" + strings.Repeat("0", 5-len(digits)) + digits
}

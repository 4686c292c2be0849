package scale

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Weight is one reading.
type Weight struct {
	Grams  float64 // converted from the scale's unit
	Stable bool    // the scale said the weight is settled
	Raw    string  // the reply as received, for the journal and for support
}

// Errors for errors.Is; the error values say more in plain words.
var (
	ErrMotion    = errors.New("weight not stable")
	ErrOverload  = errors.New("scale overloaded")
	ErrUnderload = errors.New("scale under zero")
	ErrNotReady  = errors.New("scale cannot weigh now")
	ErrNoReply   = errors.New("scale did not answer")
	ErrRejected  = errors.New("scale rejected the command")
	ErrBadReply  = errors.New("scale sent a reply tote cannot read")
)

// Plain-words errors the parsers return.
func motion() error {
	return fmt.Errorf("%w: the scale is still moving; wait for it to settle", ErrMotion)
}
func overload() error {
	return fmt.Errorf("%w: too heavy for the scale; take the parcel off", ErrOverload)
}
func underload() error {
	return fmt.Errorf("%w: the scale reads below zero; clear the pan and zero it", ErrUnderload)
}

// gramsPer converts a unit name to grams per unit.
func gramsPer(unit string) (float64, bool) {
	switch strings.ToLower(unit) {
	case "g":
		return 1, true
	case "kg":
		return 1000, true
	case "mg":
		return 0.001, true
	case "t":
		return 1e6, true
	case "lb":
		return 453.59237, true
	case "oz":
		return 28.349523125, true
	}
	return 0, false
}

// parseNumber reads a decimal weight strictly: optional sign, digits, an
// optional point and digits. No exponents, NaN or infinities.
func parseNumber(s string) (float64, error) {
	digits, point := 0, false
	for i, c := range []byte(s) {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !point:
			point = true
		case (c == '-' || c == '+') && i == 0:
		default:
			return 0, fmt.Errorf("weight %q is not a number", s)
		}
	}
	if digits == 0 || digits > 15 {
		return 0, fmt.Errorf("weight %q is not a number", s)
	}
	return strconv.ParseFloat(s, 64)
}

// ParseMTSICS reads one Mettler Toledo MT-SICS reply line to S or SI:
//
//	S S     12.345 kg   stable weight
//	S D     12.345 kg   dynamic (moving): ErrMotion, Weight holds the moving value
//	S A     12.345 kg   accepted as stable (some devices answer so)
//	S I                 cannot weigh now: ErrNotReady
//	S +  /  S -         overload / underload
//	ES, ET, EL          command, transmission or logic error: ErrRejected
//
// The line end (CR LF) may be present or not.
func ParseMTSICS(line []byte) (Weight, error) { return parseMTSICS(line, "") }

// parseMTSICS reads the weight in unit when unit is not "" (a unit override:
// the unit in the reply, if any, is ignored).
func parseMTSICS(line []byte, unit string) (Weight, error) {
	raw := strings.TrimRight(string(line), "\r\n")
	w := Weight{Raw: raw}
	f := strings.Fields(raw)
	if len(f) == 0 {
		return w, fmt.Errorf("%w: empty MT-SICS reply", ErrBadReply)
	}
	switch f[0] {
	case "ES":
		return w, fmt.Errorf("%w: the scale did not understand the command (ES)", ErrRejected)
	case "ET":
		return w, fmt.Errorf("%w: the scale got a garbled command (ET); check the serial settings", ErrRejected)
	case "EL":
		return w, fmt.Errorf("%w: the scale cannot do that now (EL)", ErrRejected)
	case "S":
	default:
		return w, fmt.Errorf("%w: MT-SICS reply %q is not a weight", ErrBadReply, raw)
	}
	if len(f) < 2 {
		return w, fmt.Errorf("%w: MT-SICS reply %q has no status", ErrBadReply, raw)
	}
	switch f[1] {
	case "I":
		return w, fmt.Errorf("%w: the scale is busy (S I); try again", ErrNotReady)
	case "+":
		return w, overload()
	case "-":
		return w, underload()
	case "S", "D", "A":
	default:
		return w, fmt.Errorf("%w: MT-SICS status %q is not S, D, I, + or -", ErrBadReply, f[1])
	}
	if len(f) != 4 && (unit == "" || len(f) != 3) {
		return w, fmt.Errorf("%w: MT-SICS reply %q: want status, value and unit", ErrBadReply, raw)
	}
	v, err := parseNumber(f[2])
	if err != nil {
		return w, fmt.Errorf("%w: %v", ErrBadReply, err)
	}
	if unit == "" {
		unit = f[3]
	}
	per, ok := gramsPer(unit)
	if !ok {
		return w, fmt.Errorf("%w: unknown weight unit %q", ErrBadReply, unit)
	}
	w.Grams = v * per
	if f[1] == "D" {
		return w, motion()
	}
	w.Stable = true
	return w, nil
}

// ParseSCP01 reads an Avery Weigh-Tronix / NCI SCP-01 reply to W:
//
//	LF xxxx.xxUU CR LF hh CR ETX      e.g. "\n0001.26LB\r\n00\r\x03"
//	LF ? CR ETX                       command not understood: ErrRejected
//
// Status byte 1: bit 0 motion, bit 1 at zero. Byte 2: bit 0 under
// capacity, bit 1 over capacity. A third status byte is allowed and ignored.
func ParseSCP01(reply []byte) (Weight, error) { return parseSCP01(reply, "") }

// parseSCP01 reads the weight in unit when unit is not "" (a unit override:
// the unit in the reply, if any, is ignored).
func parseSCP01(reply []byte, unit string) (Weight, error) {
	w := Weight{Raw: string(reply)}
	body, ok := bytes.CutPrefix(reply, []byte{'\n'})
	if !ok {
		return w, fmt.Errorf("%w: SCP-01 reply does not start with LF", ErrBadReply)
	}
	body, ok = bytes.CutSuffix(body, []byte{etx})
	if !ok {
		return w, fmt.Errorf("%w: SCP-01 reply does not end with ETX", ErrBadReply)
	}
	body, ok = bytes.CutSuffix(body, []byte{'\r'})
	if !ok {
		return w, fmt.Errorf("%w: SCP-01 reply has no CR before ETX", ErrBadReply)
	}
	if string(body) == "?" {
		return w, fmt.Errorf("%w: the scale did not understand the command (?)", ErrRejected)
	}
	weight, status, ok := bytes.Cut(body, []byte("\r\n"))
	if !ok {
		return w, fmt.Errorf("%w: SCP-01 reply has no status line", ErrBadReply)
	}
	if len(status) < 2 || len(status) > 3 {
		return w, fmt.Errorf("%w: SCP-01 status %q: want 2 or 3 status bytes", ErrBadReply, status)
	}
	for _, c := range status {
		if c&0xF0 != 0x30 {
			return w, fmt.Errorf("%w: SCP-01 status byte %q is not a status character", ErrBadReply, c)
		}
	}
	switch {
	case status[1]&0x02 != 0:
		return w, overload()
	case status[1]&0x01 != 0:
		return w, underload()
	}
	split := bytes.IndexFunc(weight, func(r rune) bool { return (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') })
	if split < 0 && unit != "" {
		split = len(weight)
	}
	if split <= 0 {
		return w, fmt.Errorf("%w: SCP-01 weight %q has no value and unit", ErrBadReply, weight)
	}
	v, err := parseNumber(strings.TrimSpace(string(weight[:split])))
	if err != nil {
		return w, fmt.Errorf("%w: %v", ErrBadReply, err)
	}
	if unit == "" {
		unit = string(weight[split:])
	}
	per, ok := gramsPer(unit)
	if !ok {
		return w, fmt.Errorf("%w: unknown weight unit %q", ErrBadReply, unit)
	}
	w.Grams = v * per
	if status[0]&0x01 != 0 {
		return w, motion()
	}
	w.Stable = true
	return w, nil
}

const etx = 0x03

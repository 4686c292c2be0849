package labels

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Commands that change how the printer reads the rest of the stream (and
// every later job): tote could not check what follows them, so they are
// refused even when printer settings are allowed.
func streamCommand(name string) (string, bool) {
	switch name {
	case "^CC", "~CC":
		return "changes the format command prefix", true
	case "^CT", "~CT":
		return "changes the control command prefix", true
	case "^CD", "~CD":
		return "changes the parameter delimiter", true
	case "^SZ":
		return "switches the ZPL language version", true
	}
	return "", false
}

// settingCommand reports what a command does when it changes the printer
// beyond this one label: its stored configuration, media handling, memory,
// network, other jobs, or when it prints or feeds more than the label or
// makes the printer talk back on the connection tote reads status from.
// Whole families go by their first letter: J (job control, calibration and
// configuration), K (names, passwords, locale), M (media, darkness, modes),
// N (network), W (wireless, RFID writes, directory and configuration
// printouts) and H (host queries).
func settingCommand(name string) (string, bool) {
	switch name {
	case "^JU":
		return "saves or restores the printer configuration", true
	case "~JR":
		return "resets the printer", true
	case "^JM":
		return "changes the dots per millimetre", true
	case "~JA":
		return "cancels every queued job", true
	case "~JD", "~JE":
		return "switches communication diagnostics", true
	case "^JZ":
		return "changes reprint after error", true
	case "^JB":
		return "initialises (erases) flash memory", true
	case "^KP":
		return "sets the front panel password", true
	case "^MD", "~SD":
		return "changes print darkness", true
	case "^PR":
		return "changes print speed", true
	case "^MM":
		return "changes the print mode (tear off, peel, cut)", true
	case "^MN":
		return "changes media tracking", true
	case "^MT":
		return "changes the media type (thermal or transfer)", true
	case "^MU":
		return "changes the units every later command is read in", true
	case "^LT", "^LS":
		return "shifts every later label", true
	case "^SC":
		return "changes serial port settings", true
	case "^SE":
		return "changes the encoding table", true
	case "^SL", "^SO", "^ST":
		return "changes the real-time clock", true
	case "^SQ", "^SX":
		return "changes ZebraNet alerts", true
	case "^SR":
		return "changes the printhead resistance", true
	case "^SS":
		return "changes media sensor settings", true
	case "~TA":
		return "changes the tear-off position", true
	case "^CW", "^CM", "^CO":
		return "changes font or memory assignments", true
	case "^DF", "~DG", "~DY", "~DB", "~DE", "~DS", "~DT", "~DU", "^IS", "^TO":
		return "stores an object in printer memory", true
	case "^ID", "~EG":
		return "deletes objects from printer memory", true
	case "~PH", "^PH", "^PF", "~PL", "^PN":
		return "feeds media beyond the label", true
	case "~PP", "^PP", "~PS", "~PR":
		return "pauses, resumes or reprints jobs", true
	case "~RO":
		return "resets the printer's counters", true
	}
	if len(name) == 3 {
		switch name[1] {
		case 'J':
			return "controls jobs, calibration or configuration", true
		case 'K':
			return "changes printer names, passwords or locale", true
		case 'M':
			return "changes media handling or print modes", true
		case 'N':
			return "changes network settings", true
		case 'W':
			return "changes wireless or RFID settings, or prints printer information", true
		case 'H':
			return "asks the printer to answer on the connection", true
		}
	}
	return "", false
}

// zplCommand is one command in a ZPL stream: its prefix and two-letter name
// (upper-cased) and its parameters or data, up to the next prefix.
type zplCommand struct {
	at     int
	name   string
	params []byte
}

// splitZPL cuts a ZPL stream at every ^ and ~, as the printer does: a ~
// command is obeyed wherever it appears, even inside field data. It returns
// the bytes before the first command too.
func splitZPL(zpl []byte) (lead []byte, cmds []zplCommand) {
	start := bytes.IndexAny(zpl, "^~")
	if start < 0 {
		return zpl, nil
	}
	lead = zpl[:start]
	for i := start; i < len(zpl); {
		next := len(zpl)
		if j := bytes.IndexAny(zpl[i+1:], "^~"); j >= 0 {
			next = i + 1 + j
		}
		body := zpl[i+1 : next]
		n := min(2, len(body))
		cmds = append(cmds, zplCommand{at: i, name: string(zpl[i]) + strings.ToUpper(string(body[:n])), params: body[n:]})
		i = next
	}
	return lead, cmds
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// MaxCarrierZPL is the largest carrier label tote takes: a 4×6 label with
// its graphics as ASCII hex is well under it.
const MaxCarrierZPL = 512 << 10

// lastingCommand reports a format command whose effect outlives the label:
// tote's own labels set the encoding, width, length and home each time,
// but never reset these, so one carrier label would turn, mirror or invert
// every label printed after it.
func lastingCommand(name string) (string, bool) {
	switch name {
	case "^PO":
		return "turns every later label upside down", true
	case "^PM":
		return "mirrors every later label", true
	case "^LR":
		return "prints every later label in reverse (white on black)", true
	}
	return "", false
}

// drawingCommand is the allow-list: the commands that draw this one label
// (fields, fonts, bar codes, graphics, its size and home, one copy).
// Anything else is refused by name, so a command tote does not know can
// never reach the printer.
func drawingCommand(name string) bool {
	switch name {
	case "^FO", "^FT", "^FS", "^FD", "^FH", "^FB", "^FR", "^FX", "^FV", "^FP", "^FW",
		"^GB", "^GC", "^GD", "^GE", "^GF", "^GS",
		"^CF", "^CI", "^PW", "^LL", "^LH", "^PQ":
		return true
	}
	// ^A (a font for the next field) and ^B (a bar code) with any letter
	// or digit: every font and symbology.
	return len(name) == 3 && name[0] == '^' && (name[1] == 'A' || name[1] == 'B')
}

// recallCommand reports a command that prints an object stored in the
// printer's memory: allowed only with the settings (which may download it).
func recallCommand(name string) bool {
	switch name {
	case "^XG", "^IM", "^IL", "^XF", "^FN":
		return true
	}
	return false
}

// ValidateCarrierZPL checks a label that arrives as ZPL from a carrier or the
// OMS before tote sends it to the printer unchanged. It must hold exactly one
// ^XA…^XZ format with nothing but white space around it, at most
// MaxCarrierZPL bytes, made only of label-drawing commands (drawingCommand:
// fields, fonts, bar codes, graphics, size, home). Commands that change the
// printer beyond this label (see docs/labels.md for the list: ^JU, ~JR, ^JM,
// ~JA, ~JD, ^KP, ^MD, ~SD, ^PR, ^MM, ^MN, ^MT, ^JZ, ^LS, the J, K, M, N, W and
// H families, stored objects, extra feeds) and a print quantity above one
// are refused unless allowSettings is true; with it, such commands may also
// stand outside the format (e.g. a ~DG download). Commands that change the
// command prefix or delimiter, ^PO, ^PM and ^LR (which tote's own labels
// never reset), binary ^GF graphics and any command not on the list are
// always refused. Every refusal names the command.
func ValidateCarrierZPL(zpl []byte, allowSettings bool) error {
	if isBlank(zpl) {
		return errors.New("carrier label is empty")
	}
	if len(zpl) > MaxCarrierZPL {
		return fmt.Errorf("carrier label is %d bytes, more than the %d a label may have", len(zpl), MaxCarrierZPL)
	}
	lead, cmds := splitZPL(zpl)
	if !isBlank(lead) {
		return errors.New("carrier label has text before its first command")
	}
	inside := false
	formats := 0
	for _, c := range cmds {
		if why, bad := streamCommand(c.name); bad {
			return fmt.Errorf("carrier label: %s at byte %d %s; refused", c.name, c.at, why)
		}
		if why, bad := lastingCommand(c.name); bad {
			return fmt.Errorf("carrier label: %s at byte %d %s; refused", c.name, c.at, why)
		}
		switch c.name {
		case "^XA":
			if inside {
				return fmt.Errorf("carrier label: ^XA at byte %d opens a format inside another", c.at)
			}
			if formats > 0 {
				return fmt.Errorf("carrier label: ^XA at byte %d starts a second format; a label must be exactly one ^XA…^XZ", c.at)
			}
			inside, formats = true, formats+1
			continue
		case "^XZ":
			if !inside {
				return fmt.Errorf("carrier label: ^XZ at byte %d closes no format", c.at)
			}
			inside = false
			if !isBlank(c.params) {
				return fmt.Errorf("carrier label: text after ^XZ at byte %d", c.at)
			}
			continue
		case "^GF":
			if p := bytes.TrimLeft(c.params, " "); len(p) > 0 && (p[0] == 'B' || p[0] == 'b' || p[0] == 'C' || p[0] == 'c') {
				return fmt.Errorf("carrier label: ^GF at byte %d holds binary graphics, which tote cannot check; send them as ASCII hex (^GFA)", c.at)
			}
		case "^PQ":
			if q := firstNumber(c.params); q > 1 && !allowSettings {
				return fmt.Errorf("carrier label: ^PQ at byte %d asks for %d copies; refused (print quantities are not allowed)", c.at, q)
			}
		}
		why, setting := settingCommand(c.name)
		if setting && !allowSettings {
			return fmt.Errorf("carrier label: %s at byte %d %s; refused (printer-setting commands are not allowed)", c.name, c.at, why)
		}
		if recallCommand(c.name) && !allowSettings {
			return fmt.Errorf("carrier label: %s at byte %d prints an object stored in the printer; refused (stored objects are not allowed)", c.name, c.at)
		}
		if !setting && !recallCommand(c.name) && !drawingCommand(c.name) {
			return fmt.Errorf("carrier label: %s at byte %d is not a label-drawing command tote allows; refused", printable(c.name), c.at)
		}
		if !inside && !setting {
			return fmt.Errorf("carrier label: %s at byte %d stands outside the ^XA…^XZ format", c.name, c.at)
		}
	}
	switch {
	case formats == 0:
		return errors.New("carrier label has no ^XA…^XZ format")
	case inside:
		return errors.New("carrier label: the format is not closed with ^XZ")
	}
	return nil
}

// printable shows a command name with any control or non-ASCII byte as
// an escape, so an error never carries raw bytes to a screen.
func printable(name string) string {
	return strings.Trim(strconv.QuoteToASCII(name), `"`)
}

// firstNumber is the leading decimal parameter, or 0.
func firstNumber(p []byte) int {
	s, _, _ := strings.Cut(string(p), ",")
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

package sim

import (
	"context"
	"fmt"
	"strings"
)

// ScannerOptions shape every scan a ScannerSim sends:
// Prefix + AIM + data + Suffix.
type ScannerOptions struct {
	Prefix string // sent before each scan; "" for none
	AIM    string // AIM symbology identifier before the data, e.g. "]C1"; "" for none
	Suffix string // CR, LF or CRLF (the default)
}

// ScannerSim is a virtual serial barcode scanner.
type ScannerSim struct {
	line   *line
	prefix string
	aim    string
	suffix string
}

// NewScanner creates a virtual scanner linked at link.
func NewScanner(link string, opt ScannerOptions) (*ScannerSim, error) {
	var suffix string
	switch strings.ToUpper(opt.Suffix) {
	case "", "CRLF":
		suffix = "\r\n"
	case "CR":
		suffix = "\r"
	case "LF":
		suffix = "\n"
	default:
		return nil, fmt.Errorf("suffix %q: want CR, LF or CRLF", opt.Suffix)
	}
	l, err := openLine(link)
	if err != nil {
		return nil, err
	}
	return &ScannerSim{line: l, prefix: opt.Prefix, aim: opt.AIM, suffix: suffix}, nil
}

// Path is the link path the station opens; TTY is the pty behind it.
func (s *ScannerSim) Path() string { return s.line.Path() }
func (s *ScannerSim) TTY() string  { return s.line.TTY() }

// Send sends one scan: prefix, AIM identifier, data, suffix. data goes out as
// given (put "\x1d" in it for GS, or use ExpandGS).
func (s *ScannerSim) Send(data string) error {
	return s.line.write([]byte(s.prefix + s.aim + data + s.suffix))
}

// SendRaw sends bytes exactly as given, e.g. half a scan.
func (s *ScannerSim) SendRaw(b []byte) error { return s.line.write(b) }

// WaitRead waits until the station has read everything sent so far.
func (s *ScannerSim) WaitRead(ctx context.Context) error { return s.line.waitRead(ctx) }

// Queued is how many sent bytes the station has not read yet.
func (s *ScannerSim) Queued() (int, error) { return inputQueued(s.line.tty) }

// Close unplugs the scanner.
func (s *ScannerSim) Close() error { return s.line.close() }

// ExpandGS turns the text "<GS>" into the GS byte (0x1D), so a person can
// type GS1 scans: "]C1010950110153000310ABC123<GS>17261231".
func ExpandGS(s string) string { return strings.ReplaceAll(s, "<GS>", "\x1d") }

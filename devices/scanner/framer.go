package scanner

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Suffix is what ends a scan on the wire.
type Suffix string

// Suffixes a scanner can be configured with.
const (
	// SuffixAuto ends a scan at CR, LF or CR LF (the pair counts once).
	SuffixAuto Suffix = "auto"
	// SuffixCR ends a scan at CR only; an LF is data.
	SuffixCR Suffix = "CR"
	// SuffixLF ends a scan at LF only; a CR is data.
	SuffixLF Suffix = "LF"
	// SuffixCRLF ends a scan at CR LF only; a lone CR or LF is data.
	SuffixCRLF Suffix = "CRLF"
)

// ParseSuffix reads a suffix setting (case-insensitive; "" means auto).
func ParseSuffix(s string) (Suffix, error) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "", "AUTO":
		return SuffixAuto, nil
	case "CR":
		return SuffixCR, nil
	case "LF":
		return SuffixLF, nil
	case "CRLF", "CR LF", "CR+LF":
		return SuffixCRLF, nil
	}
	return "", fmt.Errorf("suffix %q: want CR, LF, CRLF or auto", s)
}

// DefaultMaxFrame is the longest scan accepted when none is configured: room
// for any 2D code a warehouse label carries.
const DefaultMaxFrame = 4096

// displayLimit is how much of a rejected scan is kept for the operator.
const displayLimit = 40

// Errors a Frame can carry, for errors.Is. The Frame's Err says more.
var (
	ErrTooLong       = errors.New("scan too long")
	ErrMissingPrefix = errors.New("scan without the configured prefix")
	ErrCut           = errors.New("scan cut off")
	ErrEmpty         = errors.New("scan without data")
)

// Frame is one scan as it came from a scanner.
type Frame struct {
	Device string    // the scanner's name in the station config
	AIM    string    // AIM symbology identifier such as "]C1", or "" if none was sent
	Data   string    // the scanned data; GS (0x1D) separators are kept
	At     time.Time // when the last byte of the scan arrived
	Err    error     // set for a rejected scan; then Data is cut short for display
}

// Framer turns the bytes a scanner sends into frames:
// [prefix][AIM identifier][data][suffix]. Bytes are buffered across reads, one
// read may hold several frames, and a frame longer than the limit is rejected
// once (as a Frame with ErrTooLong) and the rest of it skipped up to its
// suffix. Empty frames (a bare suffix) are ignored. A Framer does no I/O and
// is not safe for concurrent use.
type Framer struct {
	device string
	prefix []byte
	suffix Suffix
	max    int

	buf       []byte
	afterCR   bool // auto: a CR just ended a frame, so a following LF is its partner
	pendingCR bool // CRLF: a CR arrived and the next byte decides if it ends the frame
	skipping  bool // an over-long frame was reported; drop bytes up to its suffix
}

// NewFramer makes a framer for the named device. maxFrame counts every byte
// between suffixes (prefix and AIM identifier included); 0 means
// DefaultMaxFrame.
func NewFramer(device, prefix string, suffix Suffix, maxFrame int) (*Framer, error) {
	suffix, err := ParseSuffix(string(suffix))
	if err != nil {
		return nil, err
	}
	if maxFrame == 0 {
		maxFrame = DefaultMaxFrame
	}
	if maxFrame < 0 {
		return nil, fmt.Errorf("max frame length %d: must be positive", maxFrame)
	}
	if strings.ContainsAny(prefix, "\r\n") {
		return nil, errors.New("prefix must not contain CR or LF: they end scans")
	}
	if len(prefix) >= maxFrame {
		return nil, fmt.Errorf("prefix of %d bytes leaves no room in frames of at most %d bytes", len(prefix), maxFrame)
	}
	return &Framer{device: device, prefix: []byte(prefix), suffix: suffix, max: maxFrame}, nil
}

// Feed takes the bytes of one read, received at at, and returns the frames
// they complete, in order.
func (f *Framer) Feed(p []byte, at time.Time) []Frame {
	var out []Frame
	for _, c := range p {
		switch f.suffix {
		case SuffixAuto:
			if f.afterCR && c == '\n' {
				f.afterCR = false
				continue
			}
			f.afterCR = c == '\r'
			if c == '\r' || c == '\n' {
				out = f.end(out, at)
				continue
			}
		case SuffixCR:
			if c == '\r' {
				out = f.end(out, at)
				continue
			}
		case SuffixLF:
			if c == '\n' {
				out = f.end(out, at)
				continue
			}
		case SuffixCRLF:
			if f.pendingCR {
				f.pendingCR = false
				if c == '\n' {
					out = f.end(out, at)
					continue
				}
				out = f.add(out, '\r', at)
			}
			if c == '\r' {
				f.pendingCR = true
				continue
			}
		}
		if !f.skipping && len(f.buf) < f.max { // the common case, kept inline
			f.buf = append(f.buf, c)
			continue
		}
		out = f.add(out, c, at)
	}
	return out
}

// add appends one data byte, rejecting the frame when it outgrows the limit.
func (f *Framer) add(out []Frame, c byte, at time.Time) []Frame {
	if f.skipping {
		return out
	}
	if len(f.buf) >= f.max {
		fr := f.frame(f.buf, at)
		fr.Data = display(fr.Data)
		fr.Err = fmt.Errorf("%w: more than %d bytes; the rest of it was skipped", ErrTooLong, f.max)
		out = append(out, fr)
		f.buf = f.buf[:0]
		f.skipping = true
		return out
	}
	f.buf = append(f.buf, c)
	return out
}

// end closes the current frame at a suffix.
func (f *Framer) end(out []Frame, at time.Time) []Frame {
	if f.skipping {
		f.skipping = false
		f.buf = f.buf[:0]
		return out
	}
	if len(f.buf) == 0 {
		return out
	}
	out = append(out, f.frame(f.buf, at))
	f.buf = f.buf[:0]
	return out
}

// Cut ends the stream (the scanner went away): a scan that had begun but not
// ended is returned as a Frame with ErrCut, so the operator can scan again.
// The framer is then ready for a new stream.
func (f *Framer) Cut(at time.Time) (Frame, bool) {
	if f.pendingCR && !f.skipping {
		f.buf = append(f.buf, '\r')
	}
	partial := len(f.buf) > 0 && !f.skipping
	var fr Frame
	if partial {
		fr = f.frame(f.buf, at)
		fr.Data = display(fr.Data)
		fr.Err = fmt.Errorf("%w: the scanner went away in the middle of a scan; scan again", ErrCut)
	}
	f.buf = f.buf[:0]
	f.afterCR, f.pendingCR, f.skipping = false, false, false
	return fr, partial
}

// Pending is how many bytes of an unfinished scan are buffered.
func (f *Framer) Pending() int { return len(f.buf) }

// frame splits raw frame bytes into prefix, AIM identifier and data.
func (f *Framer) frame(raw []byte, at time.Time) Frame {
	fr := Frame{Device: f.device, At: at}
	if len(f.prefix) > 0 {
		if !hasPrefix(raw, f.prefix) {
			fr.Data = display(string(raw))
			fr.Err = fmt.Errorf("%w: expected it to start with %q", ErrMissingPrefix, f.prefix)
			return fr
		}
		raw = raw[len(f.prefix):]
	}
	fr.AIM, fr.Data = SplitAIM(string(raw))
	if fr.Data == "" {
		fr.Err = fmt.Errorf("%w: only a prefix or symbology identifier arrived", ErrEmpty)
	}
	return fr
}

// SplitAIM separates a leading AIM symbology identifier (']' + symbology
// letter + modifier, e.g. "]C1", "]d2", "]Q3") from the data. Without one it
// returns "" and s unchanged.
func SplitAIM(s string) (aim, data string) {
	if len(s) >= 3 && s[0] == ']' && isLetter(s[1]) && (isLetter(s[2]) || (s[2] >= '0' && s[2] <= '9')) {
		return s[:3], s[3:]
	}
	return "", s
}

func isLetter(c byte) bool { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }

func hasPrefix(b, prefix []byte) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == string(prefix)
}

// display shortens rejected data so it fits on the operator's screen.
func display(s string) string {
	if len(s) <= displayLimit {
		return s
	}
	return s[:displayLimit] + "..."
}

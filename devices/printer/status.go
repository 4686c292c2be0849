package printer

import (
	"bytes"
	"fmt"
	"strings"
)

// Status is what a printer said about itself in its ~HS (host status) reply.
type Status struct {
	// Known is false when the printer did not answer (or cannot answer, like
	// a spool); then every other field is zero and means nothing.
	Known bool

	PaperOut     bool // out of labels (media out)
	Paused       bool // paused by the operator or by a fault
	HeadOpen     bool // print head open
	RibbonOut    bool // out of ribbon (thermal transfer)
	BufferFull   bool // receive buffer full: send nothing more for now
	UnderTemp    bool // print head too cold: labels may print faint
	OverTemp     bool // print head too hot: printing stops
	CorruptRAM   bool // configuration lost
	LabelWaiting bool // peel-off mode: a printed label waits to be taken

	FormatsInBuffer int // label formats received and not yet printed
	LabelsRemaining int // labels left to print in the current batch
	LabelLength     int // label length in dots
}

// Ready reports whether a label sent now would print: the status is known
// and nothing stops printing. A cold head or a label waiting to be taken
// does not stop the printer taking jobs.
func (s Status) Ready() bool {
	return s.Known && !s.PaperOut && !s.Paused && !s.HeadOpen && !s.RibbonOut &&
		!s.BufferFull && !s.OverTemp && !s.CorruptRAM
}

// condition is one thing that can be wrong, in the order the operator
// should deal with it.
type condition struct {
	on   bool
	what string // what is wrong
	do   string // what to do
}

func (s Status) conditions() []condition {
	return []condition{
		{s.HeadOpen, "print head open", "close the print head"},
		{s.PaperOut, paperOut, "load labels"},
		{s.RibbonOut, "out of ribbon", "load a new ribbon"},
		{s.OverTemp, "print head too hot", "let the print head cool down"},
		{s.CorruptRAM, "printer memory corrupt", "switch the printer off and on and check its settings"},
		{s.BufferFull, "printer memory full", "wait for the printer to catch up"},
		{s.Paused, "paused", "press pause to resume"},
		{s.UnderTemp, "print head cold", "wait for the print head to warm up if labels print faint"},
		{s.LabelWaiting, "label waiting", "take the printed label"},
	}
}

// Problems lists what is wrong in plain words ("print head open", "out of
// labels"), most urgent first; none when the printer is fine.
func (s Status) Problems() []string {
	if !s.Known {
		return []string{"printer not answering"}
	}
	var out []string
	for _, c := range s.conditions() {
		if c.on {
			out = append(out, c.what)
		}
	}
	return out
}

// Instruction tells the operator what to do, e.g. "Close the print head,
// then load labels, then press pause to resume". It is "" when there is
// nothing to do.
func (s Status) Instruction() string {
	if !s.Known {
		return "Check that the printer is switched on and connected"
	}
	var steps []string
	for _, c := range s.conditions() {
		if c.on {
			steps = append(steps, c.do)
		}
	}
	if len(steps) == 0 {
		return ""
	}
	out := strings.Join(steps, ", then ")
	return strings.ToUpper(out[:1]) + out[1:]
}

// String sums the status up on one line.
func (s Status) String() string {
	switch {
	case !s.Known:
		return "status unknown"
	case len(s.Problems()) == 0:
		return fmt.Sprintf("ready (%d formats in buffer)", s.FormatsInBuffer)
	}
	return strings.Join(s.Problems(), ", ")
}

// ~HS reply layout: three lines, each STX fields ETX CR LF.
const (
	stx = 0x02
	etx = 0x03
)

// ParseHostStatus reads a printer's ~HS reply:
//
//	STX aaa,b,c,dddd,eee,f,g,h,iii,j,k,l ETX CR LF
//	STX mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www ETX CR LF
//	STX xxxx,y ETX CR LF
//
// STX, ETX and the line ends may be missing. The result has Known set. Bad
// input gets an error saying which line and field is wrong.
func ParseHostStatus(reply []byte) (Status, error) {
	lines := splitReply(reply)
	if len(lines) != 3 {
		return Status{}, fmt.Errorf("printer status reply has %d lines, want 3", len(lines))
	}
	var f [3][]string
	for i, want := range [3]int{12, 11, 2} {
		f[i] = strings.Split(lines[i], ",")
		if len(f[i]) != want {
			return Status{}, fmt.Errorf("printer status line %d has %d fields, want %d", i+1, len(f[i]), want)
		}
	}
	p := fieldParser{}
	s := Status{
		Known:           true,
		PaperOut:        p.flag(f[0], 1, 1, "paper out"),
		Paused:          p.flag(f[0], 1, 2, "pause"),
		LabelLength:     p.number(f[0], 1, 3, "label length"),
		FormatsInBuffer: p.number(f[0], 1, 4, "formats in buffer"),
		BufferFull:      p.flag(f[0], 1, 5, "buffer full"),
		CorruptRAM:      p.flag(f[0], 1, 9, "corrupt RAM"),
		UnderTemp:       p.flag(f[0], 1, 10, "under temperature"),
		OverTemp:        p.flag(f[0], 1, 11, "over temperature"),
		HeadOpen:        p.flag(f[1], 2, 2, "head open"),
		RibbonOut:       p.flag(f[1], 2, 3, "ribbon out"),
		LabelWaiting:    p.flag(f[1], 2, 7, "label waiting"),
		LabelsRemaining: p.number(f[1], 2, 8, "labels remaining"),
	}
	if p.err != nil {
		return Status{}, p.err
	}
	return s, nil
}

// splitReply cuts a reply into its lines, dropping STX, ETX, CR and LF.
func splitReply(reply []byte) []string {
	var lines []string
	for _, l := range bytes.FieldsFunc(reply, func(r rune) bool {
		return r == stx || r == etx || r == '\r' || r == '\n'
	}) {
		lines = append(lines, string(l))
	}
	return lines
}

// fieldParser keeps the first error so ParseHostStatus reads as a list.
type fieldParser struct{ err error }

func (p *fieldParser) flag(fields []string, line, i int, name string) bool {
	v := fields[i]
	if p.err == nil && v != "0" && v != "1" {
		p.err = fmt.Errorf("printer status line %d field %d (%s) is %q, want 0 or 1", line, i+1, name, v)
	}
	return v == "1"
}

func (p *fieldParser) number(fields []string, line, i int, name string) int {
	v := fields[i]
	if p.err != nil {
		return 0
	}
	if v == "" || len(v) > 9 {
		p.err = fmt.Errorf("printer status line %d field %d (%s) is %q, want 1 to 9 digits", line, i+1, name, v)
		return 0
	}
	n := 0
	for _, c := range []byte(v) {
		if c < '0' || c > '9' {
			p.err = fmt.Errorf("printer status line %d field %d (%s) is %q, want digits", line, i+1, name, v)
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// paperOut is the problem of a printer out of labels, as Problems says it.
const paperOut = "out of labels"

package barcode

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/totewms/tote/internal/gs1"
)

// Report is the JSON form of one interpreted scan, as `tote barcode parse`
// prints it (one object per line). Empty fields are left out, except
// input, ok, kind and symbology.
type Report struct {
	Input     string        `json:"input"`
	OK        bool          `json:"ok"`
	Kind      Kind          `json:"kind"`
	Symbology string        `json:"symbology"`
	Form      string        `json:"form,omitempty"`
	GTIN      string        `json:"gtin,omitempty"`
	SSCC      string        `json:"sscc,omitempty"`
	Lot       string        `json:"lot,omitempty"`
	Serial    string        `json:"serial,omitempty"`
	Expiry    string        `json:"expiry,omitempty"`  // YYYY-MM-DD
	Expired   *bool         `json:"expired,omitempty"` // against the report's day; only with an expiry
	Code      string        `json:"code,omitempty"`
	AddOn     string        `json:"addon,omitempty"`
	AIs       aiObject      `json:"ais,omitempty"`
	Elements  []ElementJSON `json:"elements,omitempty"`
	Error     string        `json:"error,omitempty"`
	Warnings  []string      `json:"warnings,omitempty"`
}

// ElementJSON is one AI with its title and typed reading.
type ElementJSON struct {
	AI       string `json:"ai"`
	Title    string `json:"title,omitempty"`
	Value    string `json:"value"`
	Date     string `json:"date,omitempty"`     // YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS for date-time AIs
	Decimal  string `json:"decimal,omitempty"`  // exact, e.g. "1.250"
	Currency string `json:"currency,omitempty"` // ISO 4217 numeric
}

// aiObject writes AIs as one JSON object in scan order (AI -> value as
// scanned); encoding/json would sort a map.
type aiObject []gs1.Element

func (a aiObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	seen := map[string]bool{}
	for _, e := range a {
		if seen[e.AI] {
			continue // a repeated AI has the same value, or the scan was rejected
		}
		seen[e.AI] = true
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.AI)
		v, _ := json.Marshal(e.Value)
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// NewReport builds the report of one scan; input is the line as read.
// day decides whether an expiry has passed.
func NewReport(input string, m *Meaning, day time.Time) Report {
	r := Report{
		Input:     input,
		OK:        m.Err == nil,
		Kind:      m.Kind,
		Symbology: m.Symbology,
		Form:      m.Form,
		GTIN:      m.GTIN,
		SSCC:      m.SSCC,
		Lot:       m.Lot,
		Serial:    m.Serial,
		Code:      m.Code,
		AddOn:     m.AddOn,
		Warnings:  m.Warnings,
	}
	if m.Err != nil {
		r.Error = m.Err.Error()
	}
	if !m.Expiry.IsZero() {
		r.Expiry = m.Expiry.Format("2006-01-02")
		expired := m.Expired(day)
		r.Expired = &expired
	}
	if len(m.AIs) > 0 {
		r.AIs = aiObject(m.AIs)
		dict := gs1.Standard()
		for _, e := range m.AIs {
			ej := ElementJSON{AI: e.AI, Value: e.Value, Decimal: e.Decimal.String(), Currency: e.Currency}
			spec := dict.Lookup(e.AI)
			if spec != nil {
				ej.Title = spec.Title
			}
			if !e.Date.IsZero() {
				if spec != nil && spec.HasTime {
					ej.Date = e.Date.Format("2006-01-02T15:04:05")
				} else {
					ej.Date = e.Date.Format("2006-01-02")
				}
			}
			r.Elements = append(r.Elements, ej)
		}
	}
	return r
}

// DecodeGSText turns the text "<GS>" into the GS byte (0x1D), for scans
// written by hand in files and terminals.
func DecodeGSText(s string) string {
	if !strings.Contains(s, "<GS>") {
		return s
	}
	return strings.ReplaceAll(s, "<GS>", "\x1d")
}

// maxLine bounds one input line of ParseLines; longer lines are reported
// and skipped, not read into memory.
const maxLine = 64 << 10

// ParseLines reads scans, one per line (LF or CRLF; GS as the byte 0x1D or
// the text "<GS>"; the AIM identifier, if any, as a prefix), and writes one
// JSON Report per line to w. Blank lines are skipped. It returns how many
// scans it read and how many were rejected; err is a read or write
// failure.
func (in *Interpreter) ParseLines(r io.Reader, w io.Writer, day time.Time) (scans, rejected int, err error) {
	br := bufio.NewReaderSize(r, maxLine)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	var m Meaning
	for {
		line, tooLong, rerr := readLine(br)
		if rerr != nil && rerr != io.EOF {
			return scans, rejected, rerr
		}
		if tooLong {
			scans++
			rejected++
			rep := Report{Input: line[:64] + "…", Kind: KindUnknown,
				Error: fmt.Sprintf("line is longer than %d bytes; a scan holds at most %d", maxLine, MaxScanBytes)}
			if werr := enc.Encode(rep); werr != nil {
				return scans, rejected, werr
			}
		} else if strings.TrimSpace(line) != "" {
			scans++
			aim, data := SplitAIM(DecodeGSText(line))
			in.InterpretTo(&m, aim, data)
			if m.Err != nil {
				rejected++
			}
			rep := NewReport(line, &m, day)
			if werr := enc.Encode(rep); werr != nil {
				return scans, rejected, werr
			}
		}
		if rerr == io.EOF {
			return scans, rejected, nil
		}
	}
}

// readLine reads one line without its terminator. A line longer than the
// reader's buffer is consumed to its end and reported as tooLong, with its
// start in line.
func readLine(br *bufio.Reader) (line string, tooLong bool, err error) {
	b, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		start := string(b)
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = br.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			return "", false, err
		}
		return start, true, err
	}
	s := string(b)
	s = strings.TrimSuffix(s, "\n")
	s = strings.TrimSuffix(s, "\r")
	return s, false, err
}

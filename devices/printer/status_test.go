package printer

import (
	"fmt"
	"strings"
	"testing"
)

// sample is the ~HS reply from the Zebra manual (shared/docs/devices.md).
const sample = "\x02030,0,0,0959,000,0,0,0,000,0,0,0\x03\r\n\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n"

// reply builds a ~HS reply from a Status, the way a printer would.
func reply(s Status) string {
	b := func(on bool) int {
		if on {
			return 1
		}
		return 0
	}
	return fmt.Sprintf("\x02030,%d,%d,%04d,%03d,%d,0,0,000,%d,%d,%d\x03\r\n\x02001,0,%d,%d,1,2,6,%d,%08d,1,000\x03\r\n\x021234,0\x03\r\n",
		b(s.PaperOut), b(s.Paused), s.LabelLength, s.FormatsInBuffer, b(s.BufferFull), b(s.CorruptRAM), b(s.UnderTemp), b(s.OverTemp),
		b(s.HeadOpen), b(s.RibbonOut), b(s.LabelWaiting), s.LabelsRemaining)
}

func TestParseHostStatusSample(t *testing.T) {
	got, err := ParseHostStatus([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := Status{Known: true, LabelLength: 959}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if !got.Ready() || got.Instruction() != "" || len(got.Problems()) != 0 {
		t.Errorf("sample should be ready with nothing to do: %v %q", got.Problems(), got.Instruction())
	}
}

func TestParseHostStatusFields(t *testing.T) {
	cases := []Status{
		{Known: true, PaperOut: true, Paused: true, LabelLength: 1218},
		{Known: true, HeadOpen: true},
		{Known: true, RibbonOut: true, FormatsInBuffer: 3},
		{Known: true, BufferFull: true, FormatsInBuffer: 999},
		{Known: true, UnderTemp: true},
		{Known: true, OverTemp: true, CorruptRAM: true},
		{Known: true, LabelWaiting: true, LabelsRemaining: 12345678},
	}
	for _, want := range cases {
		got, err := ParseHostStatus([]byte(reply(want)))
		if err != nil {
			t.Fatalf("%+v: %v", want, err)
		}
		if got != want {
			t.Errorf("got %+v, want %+v", got, want)
		}
	}
}

func TestParseHostStatusLenientFraming(t *testing.T) {
	// Without STX/ETX, with bare LF line ends: the fields are what matter.
	plain := "030,1,0,0959,002,0,0,0,000,0,0,0\n001,0,1,0,1,2,6,0,00000000,1,000\n1234,0\n"
	got, err := ParseHostStatus([]byte(plain))
	if err != nil {
		t.Fatal(err)
	}
	if !got.PaperOut || !got.HeadOpen || got.FormatsInBuffer != 2 {
		t.Errorf("got %+v", got)
	}
}

func TestParseHostStatusErrors(t *testing.T) {
	cases := map[string]string{
		"": "reply has 0 lines, want 3",
		"\x02030,0,0,0959,000,0,0,0,000,0,0,0\x03\r\n":                       "reply has 1 lines, want 3",
		strings.Replace(sample, "030,0,0,0959,", "030,0,0959,", 1):           "line 1 has 11 fields, want 12",
		strings.Replace(sample, "001,0,0,0,1,2,6,0,", "001,0,0,1,2,6,0,", 1): "line 2 has 10 fields, want 11",
		strings.Replace(sample, "1234,0", "1234", 1):                         "line 3 has 1 fields, want 2",
		strings.Replace(sample, "030,0,0,", "030,2,0,", 1):                   `line 1 field 2 (paper out) is "2", want 0 or 1`,
		strings.Replace(sample, "0959,000", "0959,0x1", 1):                   `line 1 field 5 (formats in buffer) is "0x1", want digits`,
		strings.Replace(sample, "001,0,0,", "001,0,yes,", 1):                 `line 2 field 3 (head open) is "yes", want 0 or 1`,
		strings.Replace(sample, "00000000", "", 1):                           `line 2 field 9 (labels remaining) is "", want 1 to 9 digits`,
		sample + sample: "reply has 6 lines, want 3",
	}
	for in, want := range cases {
		st, err := ParseHostStatus([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseHostStatus(%q) = %v, want error with %q", in, err, want)
		}
		if st.Known {
			t.Errorf("ParseHostStatus(%q) says Known after an error", in)
		}
	}
}

func TestInstructions(t *testing.T) {
	cases := []struct {
		s     Status
		ready bool
		do    string
	}{
		{Status{}, false, "Check that the printer is switched on and connected"},
		{Status{Known: true}, true, ""},
		{Status{Known: true, PaperOut: true}, false, "Load labels"},
		{Status{Known: true, HeadOpen: true}, false, "Close the print head"},
		{Status{Known: true, Paused: true}, false, "Press pause to resume"},
		{Status{Known: true, RibbonOut: true}, false, "Load a new ribbon"},
		{Status{Known: true, PaperOut: true, Paused: true, HeadOpen: true}, false,
			"Close the print head, then load labels, then press pause to resume"},
		{Status{Known: true, BufferFull: true}, false, "Wait for the printer to catch up"},
		{Status{Known: true, UnderTemp: true}, true, "Wait for the print head to warm up if labels print faint"},
		{Status{Known: true, LabelWaiting: true}, true, "Take the printed label"},
	}
	for _, c := range cases {
		if got := c.s.Ready(); got != c.ready {
			t.Errorf("%+v Ready = %v, want %v", c.s, got, c.ready)
		}
		if got := c.s.Instruction(); got != c.do {
			t.Errorf("%+v Instruction = %q, want %q", c.s, got, c.do)
		}
	}
	if got := (Status{Known: true, PaperOut: true, Paused: true}).String(); got != "out of labels, paused" {
		t.Errorf("String = %q", got)
	}
}

// FuzzParseHostStatus checks the parser never panics, that what it accepts
// is Known and survives a round trip through a printer-shaped reply, and
// that Ready agrees with the faults.
func FuzzParseHostStatus(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte(reply(Status{Known: true, PaperOut: true, Paused: true, HeadOpen: true, FormatsInBuffer: 4})))
	f.Add([]byte("030,1,0,0959,002,0,0,0,000,0,0,0\n001,0,1,0,1,2,6,0,00000000,1,000\n1234,0\n"))
	f.Add([]byte("\x02\x03\x02,,\x03"))
	f.Fuzz(func(t *testing.T, in []byte) {
		st, err := ParseHostStatus(in)
		if err != nil {
			if st != (Status{}) {
				t.Fatalf("error %v with a non-zero status %+v", err, st)
			}
			return
		}
		if !st.Known {
			t.Fatal("accepted reply not Known")
		}
		again, err := ParseHostStatus([]byte(reply(st)))
		if err != nil || again != st {
			t.Fatalf("round trip: %+v -> %+v, %v", st, again, err)
		}
		faulted := st.PaperOut || st.Paused || st.HeadOpen || st.RibbonOut || st.BufferFull || st.OverTemp || st.CorruptRAM
		if st.Ready() == faulted {
			t.Fatalf("Ready %v with faults %v", st.Ready(), st.Problems())
		}
		if !st.Ready() && st.Instruction() == "" {
			t.Fatal("not ready and no instruction")
		}
	})
}

func BenchmarkParseHostStatus(b *testing.B) {
	in := []byte(sample)
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := ParseHostStatus(in); err != nil {
			b.Fatal(err)
		}
	}
}

package scanner

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// feedAll feeds each chunk as one read and collects the frames.
func feedAll(f *Framer, chunks ...string) []Frame {
	var out []Frame
	for _, c := range chunks {
		out = append(out, f.Feed([]byte(c), t0)...)
	}
	return out
}

type want struct {
	aim, data string
	err       error
}

func check(t *testing.T, got []Frame, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d frames %+v, want %d %+v", len(got), got, len(wants), wants)
	}
	for i, w := range wants {
		g := got[i]
		if g.AIM != w.aim || g.Data != w.data || !errors.Is(g.Err, w.err) || (w.err == nil && g.Err != nil) {
			t.Errorf("frame %d = {AIM %q Data %q Err %v}, want {AIM %q Data %q Err %v}", i, g.AIM, g.Data, g.Err, w.aim, w.data, w.err)
		}
		if g.Device != "cart-1" {
			t.Errorf("frame %d device %q, want cart-1", i, g.Device)
		}
	}
}

func TestFramer(t *testing.T) {
	gs1 := "]C1010950110153000310ABC123\x1d17261231\r\n"
	cases := []struct {
		name   string
		prefix string
		suffix Suffix
		max    int
		chunks []string
		want   []want
	}{
		{"one scan", "", SuffixAuto, 0, []string{"]E05012345678900\r\n"},
			[]want{{"]E0", "5012345678900", nil}}},
		{"split across reads", "", SuffixAuto, 0, []string{"]C1010950", "1101530003", "10ABC", "123\r", "\n"},
			[]want{{"]C1", "010950110153000310ABC123", nil}}},
		{"several in one read", "", SuffixAuto, 0, []string{"]E0123\r\n]d2ABC\r\n]Q3xyz\r\n"},
			[]want{{"]E0", "123", nil}, {"]d2", "ABC", nil}, {"]Q3", "xyz", nil}}},
		{"GS kept", "", SuffixAuto, 0, []string{gs1},
			[]want{{"]C1", "010950110153000310ABC123\x1d17261231", nil}}},
		{"no AIM", "", SuffixAuto, 0, []string{"TOTE-0042\r"},
			[]want{{"", "TOTE-0042", nil}}},
		{"bracket that is not AIM", "", SuffixAuto, 0, []string{"]1x\r]C\r"},
			[]want{{"", "]1x", nil}, {"", "]C", nil}}},
		{"auto: CR, LF and CRLF each end one scan", "", SuffixAuto, 0, []string{"A\rB\nC\r\nD\n\rE\r"},
			[]want{{"", "A", nil}, {"", "B", nil}, {"", "C", nil}, {"", "D", nil}, {"", "E", nil}}},
		{"auto: CRLF split between reads counts once", "", SuffixAuto, 0, []string{"A\r", "\nB\r", "\n"},
			[]want{{"", "A", nil}, {"", "B", nil}}},
		{"empty lines ignored", "", SuffixAuto, 0, []string{"\r\n\r\n\nA\r\n\r\n"},
			[]want{{"", "A", nil}}},
		{"CR only: LF is data", "", SuffixCR, 0, []string{"A\nB\rC\r"},
			[]want{{"", "A\nB", nil}, {"", "C", nil}}},
		{"LF only: CR is data", "", SuffixLF, 0, []string{"A\rB\nC\n"},
			[]want{{"", "A\rB", nil}, {"", "C", nil}}},
		{"CRLF: lone CR is data, split pair", "", SuffixCRLF, 0, []string{"A\rB\r", "\nC\r\r", "\n"},
			[]want{{"", "A\rB", nil}, {"", "C\r", nil}}},
		{"prefix stripped", "\x02", SuffixAuto, 0, []string{"\x02]E0123\r\n\x02", "]C1456\r\n"},
			[]want{{"]E0", "123", nil}, {"]C1", "456", nil}}},
		{"missing prefix rejected", "\x02", SuffixAuto, 0, []string{"]E0123\r\n"},
			[]want{{"", "]E0123", ErrMissingPrefix}}},
		{"prefix or AIM alone is an empty scan", "\x02", SuffixAuto, 0, []string{"\x02\r\x02]E0\r"},
			[]want{{"", "", ErrEmpty}, {"]E0", "", ErrEmpty}}},
		{"exactly at the limit", "", SuffixAuto, 8, []string{"]E012345\r\n"},
			[]want{{"]E0", "12345", nil}}},
		{"over the limit rejected once, next scan fine", "", SuffixAuto, 8, []string{"]E0123456", "789\r\n]E0OK\r\n"},
			[]want{{"]E0", "12345", ErrTooLong}, {"]E0", "OK", nil}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := NewFramer("cart-1", c.prefix, c.suffix, c.max)
			if err != nil {
				t.Fatal(err)
			}
			check(t, feedAll(f, c.chunks...), c.want)
			if f.Pending() != 0 {
				t.Errorf("%d bytes left pending", f.Pending())
			}
		})
	}
}

func TestFramerOverlongIsCutForDisplay(t *testing.T) {
	f, err := NewFramer("cart-1", "", SuffixAuto, 100)
	if err != nil {
		t.Fatal(err)
	}
	got := f.Feed([]byte(strings.Repeat("9", 1000)+"\r\n"), t0)
	if len(got) != 1 || !errors.Is(got[0].Err, ErrTooLong) {
		t.Fatalf("got %+v, want one ErrTooLong frame", got)
	}
	if len(got[0].Data) > displayLimit+3 {
		t.Errorf("display data %d bytes long, want at most %d", len(got[0].Data), displayLimit+3)
	}
	if !strings.Contains(got[0].Err.Error(), "more than 100 bytes") {
		t.Errorf("message %q does not give the limit", got[0].Err)
	}
}

func TestFramerCut(t *testing.T) {
	f, err := NewFramer("cart-1", "", SuffixAuto, 0)
	if err != nil {
		t.Fatal(err)
	}
	check(t, f.Feed([]byte("]E0111\r\n]E022"), t0), []want{{"]E0", "111", nil}})
	fr, ok := f.Cut(t0)
	if !ok || !errors.Is(fr.Err, ErrCut) || fr.AIM != "]E0" || fr.Data != "22" {
		t.Fatalf("Cut = %+v, %v; want the partial ]E0 22 with ErrCut", fr, ok)
	}
	if _, ok := f.Cut(t0); ok {
		t.Error("second Cut reported a partial scan")
	}
	check(t, f.Feed([]byte("]E0333\r\n"), t0), []want{{"]E0", "333", nil}})
}

func TestNewFramerRejectsBadSettings(t *testing.T) {
	for _, c := range []struct {
		prefix string
		suffix Suffix
		max    int
	}{
		{"", "TAB", 0},
		{"", SuffixAuto, -1},
		{"\r", SuffixAuto, 0},
		{"12345", SuffixAuto, 5},
	} {
		if _, err := NewFramer("x", c.prefix, c.suffix, c.max); err == nil {
			t.Errorf("NewFramer(%q, %q, %d) accepted bad settings", c.prefix, c.suffix, c.max)
		}
	}
}

func TestParseSuffix(t *testing.T) {
	for in, want := range map[string]Suffix{"": SuffixAuto, "auto": SuffixAuto, "cr": SuffixCR, "LF": SuffixLF, "crlf": SuffixCRLF} {
		got, err := ParseSuffix(in)
		if err != nil || got != want {
			t.Errorf("ParseSuffix(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseSuffix("ETX"); err == nil {
		t.Error("ParseSuffix accepted ETX")
	}
}

// FuzzFramer checks that framing does not depend on how the bytes are split
// into reads, never panics, and never lets an accepted frame exceed the
// limit or contain its suffix.
func FuzzFramer(f *testing.F) {
	f.Add([]byte("]C1010950110153000310ABC123\x1d17261231\r\n]E05012345678900\r\n"), []byte{3, 7, 1}, uint8(0), uint16(64))
	f.Add([]byte("A\rB\nC\r\nD\n\r"), []byte{1, 1, 1, 1}, uint8(1), uint16(4))
	f.Add([]byte("\x02]d2ABC\r\n\x02]Q3\r\r\n"), []byte{2}, uint8(3), uint16(16))
	f.Add([]byte(strings.Repeat("x", 300)+"\n"), []byte{100, 150}, uint8(2), uint16(20))
	f.Fuzz(func(t *testing.T, data, splits []byte, mode uint8, max uint16) {
		suffix := []Suffix{SuffixAuto, SuffixCR, SuffixLF, SuffixCRLF}[mode%4]
		limit := int(max%512) + 2
		prefix := ""
		if mode&4 != 0 {
			prefix = "\x02"
		}
		whole, err := NewFramer("f", prefix, suffix, limit)
		if err != nil {
			t.Fatal(err)
		}
		split, _ := NewFramer("f", prefix, suffix, limit)
		want := whole.Feed(data, t0)
		wantCut, wantOK := whole.Cut(t0)

		var got []Frame
		rest := data
		for _, s := range splits {
			n := int(s) % (len(rest) + 1)
			got = append(got, split.Feed(rest[:n], t0)...)
			rest = rest[n:]
		}
		got = append(got, split.Feed(rest, t0)...)
		gotCut, gotOK := split.Cut(t0)

		if len(got) != len(want) {
			t.Fatalf("split reads gave %d frames, one read %d", len(got), len(want))
		}
		for i := range want {
			if got[i].AIM != want[i].AIM || got[i].Data != want[i].Data || (got[i].Err == nil) != (want[i].Err == nil) {
				t.Fatalf("frame %d differs: split %+v, whole %+v", i, got[i], want[i])
			}
		}
		if gotOK != wantOK || gotCut.Data != wantCut.Data {
			t.Fatalf("cut differs: split %+v %v, whole %+v %v", gotCut, gotOK, wantCut, wantOK)
		}
		for _, fr := range want {
			if fr.Err != nil {
				continue
			}
			if fr.Data == "" {
				t.Fatal("accepted a frame without data")
			}
			if n := len(prefix) + len(fr.AIM) + len(fr.Data); n > limit {
				t.Fatalf("accepted frame of %d bytes with limit %d", n, limit)
			}
			switch suffix {
			case SuffixAuto:
				if strings.ContainsAny(fr.Data, "\r\n") {
					t.Fatalf("auto frame holds a terminator: %q", fr.Data)
				}
			case SuffixCR:
				if strings.Contains(fr.Data, "\r") {
					t.Fatalf("CR frame holds CR: %q", fr.Data)
				}
			case SuffixLF:
				if strings.Contains(fr.Data, "\n") {
					t.Fatalf("LF frame holds LF: %q", fr.Data)
				}
			case SuffixCRLF:
				if strings.Contains(fr.Data, "\r\n") {
					t.Fatalf("CRLF frame holds CRLF: %q", fr.Data)
				}
			}
		}
	})
}

// BenchmarkFramer measures framing throughput on typical GS1 scans.
func BenchmarkFramer(b *testing.B) {
	scan := []byte("]C1010950110153000310ABC123\x1d17261231\r\n")
	stream := []byte(strings.Repeat(string(scan), 100))
	f, _ := NewFramer("bench", "", SuffixAuto, 0)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	for b.Loop() {
		if got := f.Feed(stream, t0); len(got) != 100 {
			b.Fatalf("got %d frames", len(got))
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "scans/s")
}

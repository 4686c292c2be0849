package labels

import (
	"strings"
	"testing"
)

func TestSSCC(t *testing.T) {
	cases := []struct {
		prefix string
		ext    int
		serial uint64
		want   string
	}{
		{"0614141", 1, 123456789, "106141411234567897"}, // the GS1 General Specifications example
		// The rest checked with an independent mod-10 computation.
		{"0614141", 0, 1, "006141410000000012"},
		{"4012345", 3, 999999999, "340123459999999999"},
		{"123456789012", 9, 9999, "912345678901299999"},
		{"1234", 0, 0, "012340000000000008"},
	}
	for _, c := range cases {
		got, err := SSCC(c.prefix, c.ext, c.serial)
		if err != nil || got != c.want {
			t.Errorf("SSCC(%q, %d, %d) = %q, %v; want %q", c.prefix, c.ext, c.serial, got, err, c.want)
			continue
		}
		if err := ValidateSSCC(got); err != nil {
			t.Errorf("ValidateSSCC(%q): %v", got, err)
		}
	}
}

func TestSSCCRefuses(t *testing.T) {
	cases := []struct {
		prefix string
		ext    int
		serial uint64
		says   string
	}{
		{"0614141", 1, 1000000000, "does not fit in the 9 digits"},
		{"123456789012", 0, 10000, "does not fit in the 4 digits"},
		{"061", 0, 1, "4 to 12 digits"},
		{"1234567890123", 0, 1, "4 to 12 digits"},
		{"06141A1", 0, 1, "digits only"},
		{"0614141", 10, 1, "extension digit"},
		{"0614141", -1, 1, "extension digit"},
	}
	for _, c := range cases {
		got, err := SSCC(c.prefix, c.ext, c.serial)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("SSCC(%q, %d, %d) = %q, %v; want an error saying %q", c.prefix, c.ext, c.serial, got, err, c.says)
		}
	}
}

func TestValidateSSCC(t *testing.T) {
	for s, says := range map[string]string{
		"106141411234567897":  "",
		"106141411234567890":  "should be 7",
		"10614141123456789":   "18 digits",
		"1061414112345678970": "18 digits",
		"10614141123456789X":  "digits only",
		"":                    "18 digits",
	} {
		err := ValidateSSCC(s)
		if (says == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), says)) {
			t.Errorf("ValidateSSCC(%q) = %v, want %q", s, err, says)
		}
	}
}

func TestCheckElements(t *testing.T) {
	ok := [][]GS1Element{
		{{"00", "106141411234567897"}},
		{{"01", "09501101530003"}, {"10", "ABC-123/x"}, {"21", "7"}},
		{{"400", "SO-2026-004711"}, {"00", "106141411234567897"}},
		{{"420", "10115"}},
	}
	for _, es := range ok {
		if err := checkElements(es, true); err != nil {
			t.Errorf("%s: %v", HumanReadable(es), err)
		}
	}
	bad := []struct {
		es     []GS1Element
		matrix bool
		says   string
	}{
		{nil, false, "no elements"},
		{[]GS1Element{{"00", "106141411234567890"}}, false, "check digit"},
		{[]GS1Element{{"00", "1234"}}, false, "must be 18 characters"},
		{[]GS1Element{{"01", "0950110153000A"}}, false, "digits only"},
		{[]GS1Element{{"10", "ABC^XZ"}}, false, "not in the GS1 character set"},
		{[]GS1Element{{"10", "lot~JA"}}, false, "not in the GS1 character set"},
		{[]GS1Element{{"10", strings.Repeat("A", 21)}}, false, "at most 20"},
		{[]GS1Element{{"10", ""}}, false, "empty value"},
		{[]GS1Element{{"99", "X"}}, false, "not one tote prints"},
		{[]GS1Element{{"400", "SO_1"}}, true, "underscore"},
		{[]GS1Element{{"10", "A>B"}}, false, "invocation character"},
	}
	for _, c := range bad {
		err := checkElements(c.es, c.matrix)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: got %v, want an error saying %q", HumanReadable(c.es), err, c.says)
		}
	}
	if err := checkElements([]GS1Element{{"400", "SO_1"}}, false); err != nil {
		t.Errorf("an underscore is fine in GS1-128: %v", err)
	}
}

func TestGS1Symbols(t *testing.T) {
	es := []GS1Element{{"01", "09501101530003"}, {"10", "ABC123"}, {"21", "S1"}, {"00", "106141411234567897"}}
	got := symbolsText(gs1Symbols(es))
	want := "0109501101530003" + "10ABC123\x1d" + "21S1\x1d" + "00106141411234567897"
	if got != want {
		t.Fatalf("gs1Symbols = %q, want %q", got, want)
	}
}

// TestStationSSCC: the station's number leads the serial reference, so two
// stations never issue the same SSCC, and a station's range that is used
// up is refused, never wrapped into another's.
func TestStationSSCC(t *testing.T) {
	cases := []struct {
		prefix  string
		ext     int
		station int
		n       uint64
		want    string
	}{
		{"0614141", 0, 1, 1, "006141410010000019"},
		{"0614141", 0, 2, 1, "006141410020000016"},
		{"0614141", 0, 999, 999999, "006141419999999994"},
		{"123456789012", 9, 7, 9, "912345678901200797"},
	}
	for _, c := range cases {
		got, err := StationSSCC(c.prefix, c.ext, c.station, c.n)
		if err != nil || got != c.want {
			t.Errorf("StationSSCC(%q, %d, %d, %d) = %q, %v; want %q", c.prefix, c.ext, c.station, c.n, got, err, c.want)
			continue
		}
		if err := ValidateSSCC(got); err != nil {
			t.Errorf("ValidateSSCC(%q): %v", got, err)
		}
	}
	// Every carton of stations 1 and 2 in a range: no SSCC twice.
	seen := map[string]int{}
	for station := 1; station <= 2; station++ {
		for n := uint64(1); n <= 2000; n++ {
			s, err := StationSSCC("0614141", 0, station, n)
			if err != nil {
				t.Fatal(err)
			}
			if other, ok := seen[s]; ok {
				t.Fatalf("station %d issued %s, as station %d did", station, s, other)
			}
			seen[s] = station
		}
	}
	for _, c := range []struct {
		prefix  string
		station int
		n       uint64
		says    string
	}{
		{"0614141", 1, 1000000, "does not fit in the 6 digits"},
		{"0614141", 1, 0, "does not fit"},
		{"0614141", 0, 1, "station number 0 must be 1 to 999"},
		{"0614141", 1000, 1, "station number 1000"},
		{"1234567890123", 1, 1, "leaves no digits"},
		{"123456789012", 1, 10, "at most 9 cartons"},
	} {
		got, err := StationSSCC(c.prefix, 0, c.station, c.n)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("StationSSCC(%q, 0, %d, %d) = %q, %v; want an error saying %q", c.prefix, c.station, c.n, got, err, c.says)
		}
	}
}

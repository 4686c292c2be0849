package gs1

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDigitalLink(t *testing.T) {
	tests := []struct {
		name string
		uri  string
		want []kv
	}{
		{"GTIN only", "https://id.gs1.org/01/09501101530003",
			[]kv{{"01", "09501101530003"}}},
		{"qualifiers and attributes", "https://id.gs1.org/01/09501101530003/10/ABC123?17=261231&3103=000195",
			[]kv{{"01", "09501101530003"}, {"10", "ABC123"}, {"17", "261231"}, {"3103", "000195"}}},
		{"resolver path before the key, lot and serial", "https://example.com/products/gs1/01/09501101530003/10/L1/21/S%2F9?linkType=gs1:pip",
			[]kv{{"01", "09501101530003"}, {"10", "L1"}, {"21", "S/9"}}},
		{"GTIN-13 padded", "https://brand.example/01/4006381333931",
			[]kv{{"01", "04006381333931"}}},
		{"GTIN-12 padded", "http://brand.example/01/042100005264",
			[]kv{{"01", "00042100005264"}}},
		{"SSCC", "https://example.com/00/106141411234567897",
			[]kv{{"00", "106141411234567897"}}},
		{"GLN with extension", "https://example.com/414/5901234567893/254/DOCK-3",
			[]kv{{"414", "5901234567893"}, {"254", "DOCK-3"}}},
		{"a key-like segment in the stem", "https://example.com/01/help/01/09501101530003",
			[]kv{{"01", "09501101530003"}}},
		{"trailing slash and fragment", "https://id.gs1.org/01/09501101530003/#top",
			[]kv{{"01", "09501101530003"}}},
		{"upper-case scheme", "HTTPS://ID.GS1.ORG/01/09501101530003",
			[]kv{{"01", "09501101530003"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := testParser.ParseDigitalLink(tc.uri, nil)
			if err != nil {
				t.Fatalf("ParseDigitalLink(%q): %v", tc.uri, err)
			}
			if !samePairs(pairs(got), tc.want) {
				t.Fatalf("got %v, want %v", pairs(got), tc.want)
			}
		})
	}
}

func TestParseDigitalLinkTypedValues(t *testing.T) {
	es, err := testParser.ParseDigitalLink("https://id.gs1.org/01/09501101530003?17=260200&3103=001250", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC); !es[1].Date.Equal(want) {
		t.Errorf("(17) date %v, want %v", es[1].Date, want)
	}
	if es[2].Decimal.String() != "1.250" {
		t.Errorf("(3103) = %q", es[2].Decimal.String())
	}
}

func TestParseDigitalLinkRejects(t *testing.T) {
	tests := []struct {
		name, uri, msg string
	}{
		{"not a URI", "ftp://id.gs1.org/01/09501101530003",
			"not a GS1 Digital Link URI: it must start https:// or http:// and name a host"},
		{"no key", "https://example.com/about/us",
			"not a GS1 Digital Link URI: no primary key (such as /01/ followed by a GTIN) in the path"},
		{"check digit", "https://id.gs1.org/01/09501101530004",
			"AI (01): GTIN check digit should be 3, not 4"},
		{"qualifiers out of order", "https://id.gs1.org/01/09501101530003/21/S1/10/L1",
			"Digital Link path: after AI (01) the qualifiers may only be /22/…/10/…/21/… or /235/…, in that order"},
		{"mixed qualifier sequences", "https://id.gs1.org/01/09501101530003/10/L1/235/X",
			"Digital Link path: after AI (01) the qualifiers may only be"},
		{"not a DL attribute", "https://id.gs1.org/01/09501101530003?21=S1",
			"AI (21) may not be given in the query of a Digital Link URI"},
		{"unknown query AI", "https://id.gs1.org/01/09501101530003?23=1",
			"Digital Link query: 23 is not a GS1 application identifier"},
		{"bad date in query", "https://id.gs1.org/01/09501101530003?17=260231",
			"AI (17): 31 is not a day of February"},
		{"empty query value", "https://id.gs1.org/01/09501101530003?17=",
			"AI (17) has no value"},
		{"bad escape", "https://id.gs1.org/01/09501101530003?10=%zz",
			"AI (10): bad percent-encoding"},
		{"conflict between path and query", "https://id.gs1.org/01/09501101530003/10/A?10=B",
			`AI (10) is given in both the path and the query of the Digital Link URI ("A" and "B"): a Digital Link URI may give each AI only once`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := testParser.ParseDigitalLink(tc.uri, nil)
			if err == nil {
				t.Fatalf("accepted: %v", pairs(got))
			}
			var ge *Error
			if !errors.As(err, &ge) {
				t.Fatalf("error %T, want *Error", err)
			}
			if len(err.Error()) < len(tc.msg) || err.Error()[:len(tc.msg)] != tc.msg {
				t.Errorf("error %q\nwant  %q", err.Error(), tc.msg)
			}
			if notDL := tc.name == "not a URI" || tc.name == "no key"; notDL != (ge.Problem == ProblemNotDigitalLink) {
				t.Errorf("problem %d: not-a-Digital-Link is %v", ge.Problem, notDL)
			}
		})
	}
}

func TestDigitalLinkRoundTrip(t *testing.T) {
	es, err := testParser.ParseElementString("0109501101530003"+"17261231"+"10AB/C&D=E\x1d"+"21S-1\x1d"+"3103001250", nil)
	if err != nil {
		t.Fatal(err)
	}
	uri, err := testParser.DigitalLink("https://id.example.com/", es)
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://id.example.com/01/09501101530003/10/AB%2FC%26D%3DE/21/S-1?17=261231&3103=001250"; uri != want {
		t.Errorf("DigitalLink = %q\nwant          %q", uri, want)
	}
	back, err := testParser.ParseDigitalLink(uri, nil)
	if err != nil {
		t.Fatalf("ParseDigitalLink(%q): %v", uri, err)
	}
	// Path first, then query: compare as sets of pairs.
	if len(back) != len(es) {
		t.Fatalf("round trip %v -> %q -> %v", pairs(es), uri, pairs(back))
	}
	for _, e := range es {
		found := false
		for _, b := range back {
			if b.AI == e.AI && b.Value == e.Value {
				found = true
			}
		}
		if !found {
			t.Errorf("AI (%s) %q lost in %q", e.AI, e.Value, uri)
		}
	}

	if _, err := testParser.DigitalLink("https://x", []Element{{AI: "10", Value: "A"}}); err == nil {
		t.Error("DigitalLink accepted a lot as primary key")
	}
	if _, err := testParser.DigitalLink("https://x", nil); err == nil {
		t.Error("DigitalLink accepted no elements")
	}
	if _, err := testParser.DigitalLink("https://x", []Element{{AI: "00", Value: "106141411234567897"}, {AI: "21", Value: "X"}}); err == nil {
		t.Error("DigitalLink wrote (21), which is neither a qualifier of (00) nor a data attribute")
	}
}

// Issue 14: the Digital Link URI syntax gives each AI once, in the path or
// in the query, even with the same value. (Element strings differ: see
// TestParseElementStringAccepts, "same AI twice with the same value".)
func TestParseDigitalLinkRepeatedAI(t *testing.T) {
	tests := []struct {
		name, uri, msg string
	}{
		{"same AI in path and query, same value", "https://id.gs1.org/01/09501101530003/10/LOTA?10=LOTA",
			`AI (10) is given in both the path and the query of the Digital Link URI ("LOTA" and "LOTA"): a Digital Link URI may give each AI only once`},
		{"same AI twice in the query", "https://id.gs1.org/01/09501101530003?17=261231&17=261231",
			`AI (17) is given twice in the query of the Digital Link URI ("261231" and "261231")`},
		{"same AI twice in the query, different values", "https://id.gs1.org/01/09501101530003?3103=000195&3103=000196",
			`AI (3103) is given twice in the query of the Digital Link URI ("000195" and "000196")`},
		{"qualifier twice in the path", "https://id.gs1.org/01/09501101530003/10/LOTA/10/LOTA",
			`AI (10) is given twice in the path of the Digital Link URI ("LOTA" and "LOTA")`},
		{"primary key repeated in the query", "https://id.gs1.org/01/09501101530003?01=09501101530003",
			`AI (01) is given in both the path and the query of the Digital Link URI`},
		{"repeat hidden by percent-encoding", "https://id.gs1.org/01/09501101530003/10/LOT%41?10=LOTA",
			`AI (10) is given in both the path and the query of the Digital Link URI ("LOTA" and "LOTA")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := testParser.ParseDigitalLink(tc.uri, nil)
			if err == nil {
				t.Fatalf("accepted: %v", pairs(got))
			}
			var ge *Error
			if !errors.As(err, &ge) || ge.Problem != ProblemDuplicate {
				t.Fatalf("error %v (%T), want a ProblemDuplicate *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), tc.msg) {
				t.Errorf("error %q\nwant  %q", err.Error(), tc.msg)
			}
			if len(got) != 0 {
				t.Errorf("rejected URI returned %v", pairs(got))
			}
		})
	}
}

// Element strings may repeat an AI with the same value; the URI written
// from them gives it once, so it reads back.
func TestDigitalLinkWritesARepeatOnce(t *testing.T) {
	es, err := testParser.ParseElementString("0109501101530003"+"17261231"+"10LOTA\x1d"+"17261231"+"10LOTA", nil)
	if err != nil {
		t.Fatal(err)
	}
	uri, err := testParser.DigitalLink("https://id.gs1.org", es)
	if err != nil {
		t.Fatal(err)
	}
	if want := "https://id.gs1.org/01/09501101530003/10/LOTA?17=261231"; uri != want {
		t.Errorf("DigitalLink = %q, want %q", uri, want)
	}
	if _, err := testParser.ParseDigitalLink(uri, nil); err != nil {
		t.Errorf("ParseDigitalLink(%q): %v", uri, err)
	}
	if _, err := testParser.DigitalLink("https://id.gs1.org", []Element{{AI: "01", Value: "09501101530003"}, {AI: "17", Value: "261231"}, {AI: "17", Value: "261230"}}); err == nil {
		t.Error("DigitalLink wrote one AI with two values")
	}
}

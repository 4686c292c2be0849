package gs1

import (
	"testing"
)

// Seeds beyond the committed corpus in testdata/fuzz.
var fuzzSeeds = []string{
	"010950110153000310ABC123\x1d17261231",
	"0109501101530003\x1d10ABC\x1d",
	"00106141411234567897",
	"0109501101530003" + "10ABCDEFGHIJKLMNOPQRST17261231",
	"\x1d\x1d",
	"8013" + "1987654Ad4X4bL5ttr2310c2K",
	"0109501101530003" + "3932" + "978" + "1299",
	"01095011015300037003261231123021(x",
}

// FuzzParseElementString: the parser never panics, and every accepted
// element string round-trips through the bracketed form and through the
// element string it writes, to the same AIs.
func FuzzParseElementString(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		es, err := testParser.ParseElementString(data, nil)
		if err != nil {
			if len(es) != 0 {
				t.Fatalf("rejected %q but returned %v", data, pairs(es))
			}
			if err.Error() == "" {
				t.Fatalf("empty error message for %q", data)
			}
			return
		}
		if len(es) == 0 {
			t.Fatalf("accepted %q with no elements", data)
		}
		br := Bracketed(es)
		back, err := testParser.ParseBracketed(br, nil)
		if err != nil {
			t.Fatalf("%q -> %q: %v", data, br, err)
		}
		if !samePairs(pairs(back), pairs(es)) {
			t.Fatalf("%q -> %q -> %v, want %v", data, br, pairs(back), pairs(es))
		}
		es2 := testParser.ElementString(es)
		again, err := testParser.ParseElementString(es2, nil)
		if err != nil || !samePairs(pairs(again), pairs(es)) {
			t.Fatalf("%q -> %q -> %v (%v), want %v", data, es2, pairs(again), err, pairs(es))
		}
	})
}

// FuzzParseBracketed: never panics; accepted input reads back the same
// from its element string and from its own bracketed writing.
func FuzzParseBracketed(f *testing.F) {
	f.Add("(01)09501101530003(10)ABC123(17)261231")
	f.Add(`(10)A\(B(21)x`)
	f.Add("(")
	f.Add("(01)(10)")
	f.Fuzz(func(t *testing.T, s string) {
		es, err := testParser.ParseBracketed(s, nil)
		if err != nil {
			return
		}
		again, err := testParser.ParseElementString(testParser.ElementString(es), nil)
		if err != nil || !samePairs(pairs(again), pairs(es)) {
			t.Fatalf("%q -> %v -> %v (%v)", s, pairs(es), pairs(again), err)
		}
		back, err := testParser.ParseBracketed(Bracketed(es), nil)
		if err != nil || !samePairs(pairs(back), pairs(es)) {
			t.Fatalf("%q -> %q -> %v (%v)", s, Bracketed(es), pairs(back), err)
		}
	})
}

// FuzzParseDigitalLink: never panics; an accepted URI holds each AI once;
// accepted URIs written back by DigitalLink read the same AIs.
func FuzzParseDigitalLink(f *testing.F) {
	f.Add("https://id.gs1.org/01/09501101530003/10/ABC123?17=261231&3103=000195")
	f.Add("https://example.com/a/01/4006381333931/21/%2F?linkType=x")
	f.Add("http://x/00/106141411234567897")
	f.Add("https://x/01/09501101530003?17")
	f.Fuzz(func(t *testing.T, uri string) {
		es, err := testParser.ParseDigitalLink(uri, nil)
		if err != nil {
			return
		}
		if len(es) == 0 {
			t.Fatalf("accepted %q with no elements", uri)
		}
		for i := range es {
			if repeats(es[:i], es[i].AI) {
				t.Fatalf("accepted %q with AI (%s) twice", uri, es[i].AI)
			}
		}
		out, err := testParser.DigitalLink("https://id.example.com", es)
		if err != nil {
			return // e.g. two qualifier sequences cannot both be written; reading was still right
		}
		back, err := testParser.ParseDigitalLink(out, nil)
		if err != nil || len(back) != len(es) {
			t.Fatalf("%q -> %q -> %v (%v)", uri, out, pairs(back), err)
		}
	})
}

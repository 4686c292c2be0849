package labels

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestManifest: the manifest counts the parcels on every page, lists each
// SSCC as a GS1-128 barcode (AI 00) with its number, seven to a page, and
// refuses what it cannot print.
func TestManifest(t *testing.T) {
	var ssccs []string
	for n := uint64(1); n <= 9; n++ {
		s, err := StationSSCC("0614141", 0, 3, n)
		if err != nil {
			t.Fatal(err)
		}
		ssccs = append(ssccs, s)
	}
	ls, err := Manifest(ManifestData{Pickup: "DOCK-01-PU00001", Carrier: "OWN FLEET", Station: "DOCK-01", Closed: "2026-11-22 09:30", SSCCs: ssccs})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) != 2 {
		t.Fatalf("%d pages for 9 parcels, want 2", len(ls))
	}
	for p, l := range ls {
		var texts []string
		var codes []string
		for _, it := range l.Items {
			switch x := it.(type) {
			case Text:
				texts = append(texts, x.Value)
			case Barcode:
				if x.Symbology != GS1128 || len(x.Elements) != 1 || x.Elements[0].AI != "00" {
					t.Fatalf("page %d: barcode %+v", p+1, x)
				}
				codes = append(codes, x.Elements[0].Value)
			}
		}
		all := strings.Join(texts, "|")
		for _, want := range []string{"CARRIER MANIFEST", "OWN FLEET", "DOCK-01-PU00001", fmt.Sprintf("PAGE %d OF 2", p+1), "|9|"} {
			if !strings.Contains(all, want) {
				t.Errorf("page %d lacks %q: %s", p+1, want, all)
			}
		}
		from, to := p*7, min(9, (p+1)*7)
		if fmt.Sprint(codes) != fmt.Sprint(ssccs[from:to]) {
			t.Errorf("page %d barcodes %v, want %v", p+1, codes, ssccs[from:to])
		}
		for i := from; i < to; i++ {
			if !strings.Contains(all, fmt.Sprintf("%d OF 9   (00) %s", i+1, ssccs[i])) {
				t.Errorf("page %d lacks parcel %d's line", p+1, i+1)
			}
		}
	}
	zpl, err := ZPLPages(ls, 203)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(zpl, []byte("^XA")); n != 2 {
		t.Fatalf("%d labels in the ZPL", n)
	}
	for _, s := range ssccs {
		if !bytes.Contains(zpl, []byte(s)) {
			t.Errorf("the ZPL lacks %s", s)
		}
	}
	for _, bad := range []ManifestData{
		{Carrier: "UPS", SSCCs: ssccs[:1]},
		{Pickup: "P1", SSCCs: ssccs[:1]},
		{Pickup: "P1", Carrier: "UPS"},
		{Pickup: "P1", Carrier: "UPS", SSCCs: []string{"006141410030000010"}},
		{Pickup: "P1", Carrier: "UPS", SSCCs: make([]string, 1000)},
	} {
		if _, err := Manifest(bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

package labels

import (
	"bytes"
	"strings"
	"testing"
)

// upsLike is shaped like a carrier's 4×6 label: graphics as ASCII hex,
// fonts, Code 128 and a MaxiCode-like field.
const upsLike = `^XA
^CI28^PW812^LL1218^LH0,0
^FO30,30^GFA,16,16,2,FFFF0000FFFF0000FFFF0000FFFF0000^FS
^FO50,120^A0N,40,40^FH^FDJOHN _5EDOE^FS
^FO50,200^BY3^BCN,200,N,N,N^FD>:1Z999AA10123456784^FS
^FO50,450^BXN,6,200^FDdata^FS
^PQ1
^XZ
`

func TestValidateCarrierZPLAccepts(t *testing.T) {
	for name, zpl := range map[string]string{
		"minimal":          "^XA^FO50,50^A0N,30,30^FDHello^FS^XZ",
		"white space":      "\r\n  ^XA^FDx^FS^XZ\r\n\r\n",
		"carrier-like":     upsLike,
		"lower case":       "^xa^fdx^fs^xz",
		"tilde in ^FH hex": "^XA^FH^FD_7EJA^FS^XZ",
	} {
		in := []byte(zpl)
		keep := bytes.Clone(in)
		if err := ValidateCarrierZPL(in, false); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !bytes.Equal(in, keep) {
			t.Errorf("%s: the label was changed", name)
		}
	}
}

func TestValidateCarrierZPLSettings(t *testing.T) {
	// The brief's list and a few from each family: refused by default,
	// accepted when settings are allowed.
	for _, cmd := range []string{
		"^JUS", "~JR", "^JMA", "~JA", "~JD", "^KPA", "^MD10", "~SD15", "^PR4", "^MMT", "^MNY", "^MTD", "^JZY",
		"^LS0", "^LT10", "~JC", "^NSA", "~WC", "~HS", "^HH", "^ID", "~EG", "^SC9600", "^KNname", "~PH", "^PQ2", "~TA000",
	} {
		zpl := []byte("^XA" + cmd + "^FDx^FS^XZ")
		if err := ValidateCarrierZPL(zpl, false); err == nil {
			t.Errorf("%s was accepted without allowSettings", cmd)
		} else if !strings.Contains(err.Error(), "refused") {
			t.Errorf("%s: %v (want the word refused)", cmd, err)
		}
		if err := ValidateCarrierZPL(zpl, true); err != nil {
			t.Errorf("%s with allowSettings: %v", cmd, err)
		}
	}
}

func TestValidateCarrierZPLRefuses(t *testing.T) {
	cases := []struct {
		name, zpl string
		allow     bool
		says      string
	}{
		{"empty", "", true, "empty"},
		{"blank", " \r\n", true, "empty"},
		{"no format", "hello", true, "text before"},
		{"only commands", "^FDx^FS", true, "outside"},
		{"two formats", "^XA^FDa^FS^XZ^XA^FDb^FS^XZ", true, "second format"},
		{"nested", "^XA^XA^FDa^FS^XZ", true, "inside another"},
		{"unclosed", "^XA^FDa^FS", true, "not closed"},
		{"stray close", "^XZ", true, "closes no format"},
		{"text after", "^XA^FDa^FS^XZ trailing", true, "text after"},
		{"text before", "junk^XA^FDa^FS^XZ", true, "text before"},
		{"~JA hidden in field data", "^XA^FDname ~JA^FS^XZ", false, "~JA"},
		{"^XZ injected in data", "^XA^FDname^XZ^XA^FS^XZ", true, "second format"},
		{"prefix change", "^XA^CC+^XZ", true, "prefix"},
		{"control prefix change", "~CT+^XA^XZ", true, "prefix"},
		{"delimiter change", "^XA^CD;^XZ", true, "delimiter"},
		{"ZPL version switch", "^XA^SZ1^XZ", true, "language"},
		{"binary graphics", "^XA^GFB,4,4,1,\x00\x01^\x02^FS^XZ", true, "binary"},
		{"download before the format", "~DGR:X.GRF,2,1,FF00\n^XA^XGR:X.GRF^FS^XZ", false, "refused"},
	}
	for _, c := range cases {
		err := ValidateCarrierZPL([]byte(c.zpl), c.allow)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.says)
		}
	}
	// With settings allowed, a download may stand before the format.
	if err := ValidateCarrierZPL([]byte("~DGR:X.GRF,2,1,FF00\n^XA^XGR:X.GRF,1,1^FS^XZ"), true); err != nil {
		t.Errorf("download with allowSettings: %v", err)
	}
}

func TestOwnLabelsPassCarrierValidation(t *testing.T) {
	for name, ls := range exampleLabels(t) {
		for _, l := range ls {
			for _, dpi := range []int{203, 300} {
				z, err := ZPL(l, dpi)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if err := ValidateCarrierZPL(z, false); err != nil {
					t.Errorf("%s at %d dpi: %v", name, dpi, err)
				}
			}
		}
	}
}

func FuzzValidateCarrierZPL(f *testing.F) {
	f.Add([]byte(upsLike), false)
	f.Add([]byte("^XA^FDx^FS^XZ"), false)
	f.Add([]byte("^XA^FDname ~JA^FS^XZ"), false)
	f.Add([]byte("~DGR:X.GRF,2,1,FF00\n^XA^XGR:X.GRF^FS^XZ"), true)
	f.Add([]byte("^XA^XZ^XA^XZ"), true)
	f.Add([]byte("^xa^mmt^xz"), false)
	f.Fuzz(func(t *testing.T, zpl []byte, allow bool) {
		keep := bytes.Clone(zpl)
		err := ValidateCarrierZPL(zpl, allow)
		if !bytes.Equal(zpl, keep) {
			t.Fatal("the label was changed")
		}
		if err != nil {
			return
		}
		up := bytes.ToUpper(zpl)
		if n := bytes.Count(up, []byte("^XA")); n != 1 {
			t.Fatalf("accepted with %d ^XA", n)
		}
		if n := bytes.Count(up, []byte("^XZ")); n != 1 {
			t.Fatalf("accepted with %d ^XZ", n)
		}
		for _, cmd := range []string{"^CC", "~CC", "^CT", "~CT", "^CD", "~CD"} {
			if bytes.Contains(up, []byte(cmd)) {
				t.Fatalf("accepted with %s", cmd)
			}
		}
		if allow {
			return
		}
		for _, cmd := range []string{"^JU", "~JR", "^JM", "~JA", "~JD", "^KP", "^MD", "~SD", "^PR", "^MM", "^MN", "^MT", "^JZ", "~HS"} {
			if bytes.Contains(up, []byte(cmd)) {
				t.Fatalf("accepted %q without allowSettings", cmd)
			}
		}
	})
}

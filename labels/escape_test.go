package labels

import (
	"strings"
	"testing"
)

func TestFieldHex(t *testing.T) {
	cases := map[string]string{
		"plain":          "plain",
		"^XZ":            "_5EXZ",
		"~JA":            "_7EJA",
		"a_b":            "a_5Fb",
		"tab\there":      "tab_09here",
		"nul\x00del\x7f": "nul_00del_7F",
		"Zoë 😀":          "Zoë 😀",
		"^FD_5E~":        "_5EFD_5F5E_7E",
	}
	for in, want := range cases {
		var b strings.Builder
		fieldHex(&b, in)
		if b.String() != want {
			t.Errorf("fieldHex(%q) = %q, want %q", in, b.String(), want)
		}
	}
}

func FuzzFieldHex(f *testing.F) {
	for _, s := range []string{"", "^XA^FDhi^FS^XZ", "~JA~JR", "_5E", "\x00\x1f\x7f", "Zoë", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		fieldHex(&b, s)
		out := b.String()
		if strings.ContainsAny(out, "^~") {
			t.Fatalf("escaped %q still holds ^ or ~: %q", s, out)
		}
		for i := 0; i < len(out); i++ {
			if out[i] < 0x20 || out[i] == 0x7f {
				t.Fatalf("escaped %q holds control byte 0x%02x", s, out[i])
			}
		}
		if back := unhex(t, out); back != s {
			t.Fatalf("round trip of %q gave %q", s, back)
		}
	})
}

package labels

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

var update = flag.Bool("update", false, "rewrite the golden ZPL files in testdata/golden")

// TestGoldenZPL pins the ZPL of every template, built from its example in
// docs/label-data, at 203 and 300 dpi. Run with -update after a deliberate
// layout change and look at the diff and the rendered labels.
func TestGoldenZPL(t *testing.T) {
	for name, ls := range exampleLabels(t) {
		for _, dpi := range []int{203, 300} {
			got, err := ZPLPages(ls, dpi)
			if err != nil {
				t.Fatalf("%s at %d dpi: %v", name, dpi, err)
			}
			path := filepath.Join("testdata", "golden", fmt.Sprintf("%s-%d.zpl", name, dpi))
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%s (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s:\n%s", name, path, firstDiff(string(want), string(got)))
			}
		}
	}
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant %q\ngot  %q", i+1, a, b)
		}
	}
	return "(same lines)"
}

// TestGoldenHeader checks the parts of every format the issue names.
func TestGoldenHeader(t *testing.T) {
	for name, ls := range exampleLabels(t) {
		for _, dpi := range []int{203, 300} {
			z, err := ZPL(ls[0], dpi)
			if err != nil {
				t.Fatal(err)
			}
			w, h := dots(ls[0].Stock.Width, dpi), dots(ls[0].Stock.Height, dpi)
			head := fmt.Sprintf("^XA^CI28^PW%d^LL%d^LH0,0\n", w, h)
			if !strings.HasPrefix(string(z), head) || !strings.HasSuffix(string(z), "^XZ\n") {
				t.Errorf("%s at %d dpi does not start with %q and end with ^XZ", name, dpi, head)
			}
			if strings.Contains(string(z), "^GF") || strings.Contains(string(z), "~DG") {
				t.Errorf("%s: ZPL carries a bitmap", name)
			}
		}
	}
	if ls := exampleLabels(t)["shipping"]; true {
		z, _ := ZPL(ls[0], 203)
		if !strings.Contains(string(z), "^PW812^LL1218") {
			t.Errorf("4×6 at 203 dpi is not 812×1218 dots")
		}
		z, _ = ZPL(ls[0], 300)
		if !strings.Contains(string(z), "^PW1200^LL1800") {
			t.Errorf("4×6 at 300 dpi is not 1200×1800 dots")
		}
	}
}

// TestFieldsDoNotOverlap: every text and barcode has its own area, so text
// kept in its box never runs into another field.
func TestFieldsDoNotOverlap(t *testing.T) {
	check := func(name string, ls []Label) {
		for _, l := range ls {
			if err := l.Validate(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			for i, a := range l.Items {
				for j := i + 1; j < len(l.Items); j++ {
					b := l.Items[j]
					if _, ok := a.(Box); ok {
						continue
					}
					if _, ok := b.(Box); ok {
						continue
					}
					if a.area().overlaps(b.area()) {
						t.Errorf("%s: item %d %+v overlaps item %d %+v", l.Name, i, a.area(), j, b.area())
					}
				}
			}
		}
	}
	for name, ls := range exampleLabels(t) {
		check(name, ls)
	}
	for name, ls := range injectedLabels(t, strings.Repeat("WWW ", 1250)) {
		check(name+" with long text", ls)
	}
}

// injection is text from orders and the OMS that must print literally.
var injection = []string{
	"^XZ",
	"^XA^FO0,0^FDgotcha^FS^XZ",
	"~JA",
	"~JR~JA^JUS",
	"^FD",
	"_",
	"_5E_7E__",
	"ctl\x00\x01\x02\x1b[31m\x7f end",
	"tab\there\nnew line\r\nCRLF",
	"😀 👩‍👩‍👧‍👦 🇩🇪 emoji",
	"שלום עולם 123",
	"مرحبا بالعالم",
	"\u202eevil\u202c right-to-left override",
	"Zoë Ångström-Müller, Straße",
	strings.Repeat("A", 5000),
	strings.Repeat("^XZ~JA_", 715),
	strings.Repeat("名前 ", 1700),
}

// codeInjection is the same for scanned codes: printable ASCII only.
const codeInjection = "^XZ~JA_<a|b"

// injectedLabels builds every template with s in every text field.
func injectedLabels(t testing.TB, s string) map[string][]Label {
	t.Helper()
	addr := Address{Name: s, Company: s, Line1: s, Line2: s, City: s, Region: s, PostalCode: s, Country: s}
	out := map[string][]Label{}
	must := func(name string, ls []Label, err error) {
		if err != nil {
			t.Fatalf("%s with %.40q: %v", name, s, err)
		}
		out[name] = ls
	}
	l, err := Shipping(ShippingData{
		ShipFrom: addr, ShipTo: addr, Carrier: s, Service: s, TrackingNumber: codeInjection, OrderNumber: s,
		Carton: 2, Cartons: 3, Weight: Weight{Value: 12.5, Unit: "lb"}, SSCC: "106141411234567897",
	})
	must("shipping", []Label{l}, err)
	line := PackSlipLine{SKU: s, Description: s, Quantity: 3}
	ls, err := PackSlip(PackSlipData{OrderNumber: s, ShipTo: addr, Carton: 1, Cartons: 1, SSCC: "106141411234567897",
		InCarton: []PackSlipLine{line, line}, ToCome: []PackSlipLine{line}})
	must("packslip", ls, err)
	l, err = Tote(ToteData{Tote: codeInjection, Zone: s})
	must("tote", []Label{l}, err)
	l, err = Location(LocationData{Location: codeInjection, Description: s})
	must("location", []Label{l}, err)
	l, err = Badge(BadgeData{Name: s, Role: s, Badge: codeInjection})
	must("badge", []Label{l}, err)
	ls, err = CommandSheet(CommandSheetData{Title: s, Commands: []Command{{Code: "CMD:OK", Description: s}}})
	must("commands", ls, err)
	return out
}

// expectedFields is what tote's ZPL must hold for l, item by item: each
// printed line of text, each barcode's content as a scanner reports it, and
// a marker for each box.
func expectedFields(t testing.TB, l Label, dpi int) []string {
	var out []string
	for _, it := range l.Items {
		switch it := it.(type) {
		case Text:
			for _, line := range it.Lines() {
				if line == "" {
					continue
				}
				if !NeedsGraphic(line) {
					out = append(out, "text "+line)
					continue
				}
				x := dots(it.X, dpi)
				bm, err := lineBitmap(line, dots(it.Size, dpi), dots(it.X+it.W, dpi)-x)
				if err != nil {
					t.Fatal(err)
				}
				if bm != nil {
					rowBytes := (bm.w + 7) / 8
					var rows []string
					for y := range bm.h {
						row := make([]byte, rowBytes)
						for x := range bm.w {
							if bm.at(x, y) {
								row[x/8] |= 0x80 >> (x % 8)
							}
						}
						rows = append(rows, fmt.Sprintf("%X", row))
					}
					out = append(out, graphicField(rowBytes, rows))
				}
			}
		case Barcode:
			out = append(out, "code "+scanForm(it))
		case Box:
			out = append(out, "box")
		}
	}
	return out
}

// scanForm is the barcode's content as a scanner sends it: AIM identifier,
// then data with GS between GS1 elements.
func scanForm(b Barcode) string {
	switch b.Symbology {
	case GS1128:
		return "]C1" + symbolsText(gs1Symbols(b.Elements))
	case GS1DataMatrix:
		return "]d2" + symbolsText(gs1Symbols(b.Elements))
	}
	return "]C0" + b.Data
}

// graphicField is how expectedFields and readBack name a ^GFA picture.
func graphicField(rowBytes int, rows []string) string {
	sum := sha256.Sum256([]byte(strings.Join(rows, "/")))
	return fmt.Sprintf("graphic %dx%d %x", rowBytes, len(rows), sum[:8])
}

// fontZeroPrints is what the printer's font 0 prints, written apart from
// the code under test: Latin letters and the punctuation of code page 1252.
func fontZeroPrints(s string) bool {
	for _, r := range s {
		if r >= 0x80 && !unicode.Is(unicode.Latin, r) && !strings.ContainsRune("\u00a0¡¢£¤¥¦§¨©«¬\u00ad®¯°±²³´µ¶·¸¹»¼½¾¿×÷ƒˆ˜–—‘’‚“”„†‡•…‰‹›€™", r) {
			return false
		}
		if r > 0x17F && unicode.Is(unicode.Latin, r) && r != 'ƒ' {
			return false // Latin Extended-B and beyond are not in font 0
		}
	}
	return true
}

// readBack reads tote's ZPL for one label back into the same form as
// expectedFields, with a reader that shares no code with the writer.
func readBack(t testing.TB, zpl string) []string {
	t.Helper()
	var out []string
	for _, f := range parseFields(t, zpl) {
		switch {
		case f.has("GB"):
			out = append(out, "box")
		case f.has("A0"):
			if !f.hex {
				t.Fatalf("text field without ^FH: %q", f.data)
			}
			text := unhex(t, f.data)
			if !fontZeroPrints(text) {
				t.Fatalf("font 0 field holds text font 0 cannot print: %q", text)
			}
			out = append(out, "text "+text)
		case f.has("GFA,"):
			for _, c := range f.cmds {
				if strings.HasPrefix(c, "GFA,") {
					rowBytes, rows, err := decodeGFA(c)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, graphicField(rowBytes, rows))
				}
			}
		case f.has("BC"):
			if !f.hex {
				t.Fatalf("Code 128 field without ^FH: %q", f.data)
			}
			s, err := decodeBC(unhex(t, f.data))
			if err != nil {
				t.Fatal(err)
			}
			id := "]C0"
			if len(s) > 0 && s[0] == fnc1 {
				id = "]C1"
			}
			out = append(out, "code "+id+symbolsText(s))
		case f.has("BX"):
			d, ok := strings.CutPrefix(f.data, "_1")
			if !ok {
				t.Fatalf("Data Matrix without leading FNC1: %q", f.data)
			}
			out = append(out, "code ]d2"+strings.ReplaceAll(d, "_1", "\x1d"))
		default:
			t.Fatalf("unknown field %+v", f)
		}
	}
	return out
}

// TestInjectionPrintsLiterally: order text full of ZPL commands, control
// bytes, emoji, right-to-left text and 5,000-character strings leaves every
// label exactly one format, and every field prints what the data said.
func TestInjectionPrintsLiterally(t *testing.T) {
	for _, s := range injection {
		for name, ls := range injectedLabels(t, s) {
			for _, l := range ls {
				for _, dpi := range []int{203, 300} {
					b, err := ZPL(l, dpi)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					z := string(b)
					if strings.Count(z, "^XA") != 1 || strings.Count(z, "^XZ") != 1 || strings.Contains(z, "~") {
						t.Fatalf("%s with %.40q: not exactly one clean format:\n%s", name, s, z)
					}
					if err := ValidateCarrierZPL(b, false); err != nil {
						t.Fatalf("%s with %.40q: %v", name, s, err)
					}
					if len(b) > 64<<10 {
						t.Fatalf("%s with %.40q: %d bytes of ZPL", name, s, len(b))
					}
					got, want := readBack(t, z), expectedFields(t, l, dpi)
					if strings.Join(got, "\n") != strings.Join(want, "\n") {
						t.Fatalf("%s with %.40q at %d dpi:\nread back %q\nwant      %q", name, s, dpi, got, want)
					}
				}
				for _, it := range l.Items {
					if tx, ok := it.(Text); ok {
						if err := literalLayout(tx.Value, tx.Lines()); err != nil {
							t.Fatalf("%s: %v", name, err)
						}
					}
				}
			}
		}
	}
}

func TestTemplatesRefuseBadData(t *testing.T) {
	var ship ShippingData
	if err := json.Unmarshal(exampleData(t)["shipping"], &ship); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		edit func(d *ShippingData)
		says string
	}{
		{"bad SSCC check digit", func(d *ShippingData) { d.SSCC = "106141411234567890" }, "check digit"},
		{"short SSCC", func(d *ShippingData) { d.SSCC = "1234" }, "18 digits"},
		{"no ship-to name", func(d *ShippingData) { d.ShipTo.Name = " " }, "ship-to address has no name"},
		{"carton past the count", func(d *ShippingData) { d.Carton = 3 }, "carton 3 of 2"},
		{"no weight", func(d *ShippingData) { d.Weight.Value = 0 }, "weight"},
		{"unknown unit", func(d *ShippingData) { d.Weight.Unit = "stone" }, "kg or lb"},
		{"tracking with non-ASCII", func(d *ShippingData) { d.TrackingNumber = "1Zé" }, "printable ASCII"},
		{"tracking with control byte", func(d *ShippingData) { d.TrackingNumber = "1Z\x1d9" }, "printable ASCII"},
		{"no tracking", func(d *ShippingData) { d.TrackingNumber = "" }, "no data"},
		{"one-character tracking", func(d *ShippingData) { d.TrackingNumber = "7" }, "too short"},
		{"tracking with >", func(d *ShippingData) { d.TrackingNumber = "1Z>9" }, "invocation character"},
		{"invalid UTF-8", func(d *ShippingData) { d.Carrier = "\xff" }, "UTF-8"},
	}
	for _, c := range cases {
		d := ship
		c.edit(&d)
		_, err := Shipping(d)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: got %v, want an error saying %q", c.name, err, c.says)
		}
	}
	if _, err := CommandSheet(CommandSheetData{Commands: []Command{{"SHORT", "x"}}}); err == nil {
		t.Error("a command without CMD: was accepted")
	}
	if _, err := CommandSheet(CommandSheetData{Commands: []Command{{"CMD:OK", "a"}, {"CMD:OK", "b"}}}); err == nil {
		t.Error("a command listed twice was accepted")
	}
	if _, err := Tote(ToteData{Tote: strings.Repeat("T", 31)}); err == nil {
		t.Error("a 31-character tote ID was accepted")
	}
	if _, err := PackSlip(PackSlipData{OrderNumber: "1", ShipTo: ship.ShipTo, Carton: 1, Cartons: 1}); err == nil {
		t.Error("an empty pack slip was accepted")
	}
}

func TestPackSlipPages(t *testing.T) {
	var lines []PackSlipLine
	for i := range 40 {
		lines = append(lines, PackSlipLine{SKU: fmt.Sprintf("SKU-%03d", i), Description: "Item", Quantity: i + 1})
	}
	ship := Address{Name: "A", Line1: "B", City: "C", Country: "D"}
	ls, err := PackSlip(PackSlipData{OrderNumber: "SO_1", ShipTo: ship, Carton: 1, Cartons: 1, InCarton: lines[:30], ToCome: lines[30:]})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls) < 3 {
		t.Fatalf("40 lines on %d pages", len(ls))
	}
	seen := map[string]bool{}
	for p, l := range ls {
		for _, it := range l.Items {
			if tx, ok := it.(Text); ok {
				seen[tx.Value] = true
				if tx.Value == fmt.Sprintf("PAGE %d OF %d", p+1, len(ls)) {
					seen["page"+fmt.Sprint(p)] = true
				}
			}
			if _, ok := it.(Barcode); ok {
				t.Errorf("order number SO_1 cannot go in a ZPL Data Matrix, yet page %d has a barcode", p+1)
			}
		}
		if !seen["page"+fmt.Sprint(p)] {
			t.Errorf("page %d has no page number", p+1)
		}
	}
	for _, l := range lines {
		if !seen[l.SKU] {
			t.Errorf("%s is on no page", l.SKU)
		}
	}
	if !seen["STILL TO COME"] && !seen["STILL TO COME (CONTINUED)"] {
		t.Error("no still-to-come section")
	}
}

func TestFromJSON(t *testing.T) {
	for _, c := range []struct {
		template, data, says string
	}{
		{"shipping", `{"carrier": "x", "colour": "red"}`, "unknown field"},
		{"tote", `{"tote": "T1"} {"tote": "T2"}`, "after the JSON object"},
		{"tote", "{\"tote\": \"T1\", \"zone\": \"\xff\"}", "UTF-8"},
		{"tote", `{"tote": 7}`, "cannot unmarshal"},
		{"crate", `{}`, "no label template named"},
		{"badge", `{"name": "A", "badge": ""}`, "badge code"},
	} {
		_, err := FromJSON(c.template, []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("FromJSON(%s, %s) = %v, want an error saying %q", c.template, c.data, err, c.says)
		}
	}
}

func FuzzFromJSON(f *testing.F) {
	for name, data := range exampleData(f) {
		f.Add(name, data)
	}
	f.Add("tote", []byte(`{"tote":"^XZ~JA_>"}`))
	f.Add("badge", []byte(`{"name":"\u0000","badge":"B"}`))
	f.Fuzz(func(t *testing.T, template string, data []byte) {
		ls, err := FromJSON(template, data)
		if err != nil {
			return
		}
		// Whatever a template accepts prints: at both printer resolutions,
		// as one clean format, and as a preview.
		for _, l := range ls {
			for _, dpi := range []int{203, 300} {
				z, err := ZPL(l, dpi)
				if err != nil {
					t.Fatalf("%s accepted but does not print at %d dpi: %v", template, dpi, err)
				}
				if err := ValidateCarrierZPL(z, false); err != nil {
					t.Fatalf("%s: %v\n%s", template, err, z)
				}
			}
			if _, err := Draw(l, 203); err != nil {
				t.Fatalf("%s accepted but does not draw: %v", template, err)
			}
		}
	})
}

// TestAcceptedCodesPrint: a code a template accepts prints at every printer
// resolution and draws, whatever its length and mix of letters and digits.
func TestAcceptedCodesPrint(t *testing.T) {
	patterns := []string{"W", "7", "A1", "12X", "-", "99a"}
	for n := 2; n <= 31; n++ {
		for _, p := range patterns {
			code := strings.Repeat(p, n)[:n]
			var ls []Label
			if l, err := Tote(ToteData{Tote: code}); err == nil {
				ls = append(ls, l)
			}
			if l, err := Location(LocationData{Location: code}); err == nil {
				ls = append(ls, l)
			}
			if l, err := Badge(BadgeData{Name: "A", Badge: code}); err == nil {
				ls = append(ls, l)
			}
			if cs, err := CommandSheet(CommandSheetData{Commands: []Command{{Code: "CMD:" + strings.ToUpper(code), Description: "x"}}}); err == nil {
				ls = append(ls, cs...)
			}
			for _, l := range ls {
				for _, dpi := range []int{203, 300, 600} {
					if _, err := ZPL(l, dpi); err != nil {
						t.Errorf("%s %q accepted but does not print at %d dpi: %v", l.Name, code, dpi, err)
					}
				}
				if _, err := Draw(l, 203); err != nil {
					t.Errorf("%s %q accepted but does not draw: %v", l.Name, code, err)
				}
			}
		}
	}
	if _, err := Badge(BadgeData{Name: "A", Badge: strings.Repeat("W", 30)}); err == nil {
		t.Error("a 30-letter badge code was accepted though it cannot fit the 3×2 in badge")
	}
}

package config

import (
	"reflect"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
)

// labelPrinters are two printers a [pack] section can name.
const labelPrinters = `
[[printers]]
name = "zebra"
transport = "tcp"
address = "10.0.4.21"

[[printers]]
name = "laser"
transport = "spool"
path = "/var/spool/tote/slips"
role = "document"
`

func TestPackLabelSettings(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	src := minimal + `
[pack]
carrier = "UPS"
service = "Ground Saver"
tracking_prefix = "DC1P3"
printer = "zebra"
scale_empty_below_g = 35.5

[pack.ship_from]
name = "Tote Fulfilment Nord"
company = "Tote GmbH"
line1 = "Hafenstraße 12"
line2 = "Tor 4"
city = "Hamburg"
region = "HH"
postal_code = "20457"
country = "DE"
` + labelPrinters
	cfg, err := Parse("/etc/tote/station.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.Pack
	if p.Carrier != "UPS" || p.Service != "Ground Saver" || p.TrackingPrefix != "DC1P3" || p.Printer != "zebra" {
		t.Errorf("label settings: carrier %q service %q prefix %q printer %q", p.Carrier, p.Service, p.TrackingPrefix, p.Printer)
	}
	want := floor.Address{Name: "Tote Fulfilment Nord", Company: "Tote GmbH", Line1: "Hafenstraße 12", Line2: "Tor 4",
		City: "Hamburg", Region: "HH", PostalCode: "20457", Country: "DE"}
	if p.ShipFrom != want {
		t.Errorf("ship_from\n got  %+v\n want %+v", p.ShipFrom, want)
	}
	if p.ScaleEmptyBelowG != 35.5 {
		t.Errorf("scale_empty_below_g %v, want 35.5", p.ScaleEmptyBelowG)
	}
	// The rest of [pack] keeps its defaults.
	if Default().Pack.ScaleEmptyBelowG != 20 {
		t.Errorf("scale_empty_below_g defaults to %v, want 20", Default().Pack.ScaleEmptyBelowG)
	}
	if p.ConfirmQuantityAbove != 10 || len(p.Boxes) != 4 || p.GS1CompanyPrefix != "0614141" {
		t.Errorf("defaults lost: %+v", p)
	}
}

func TestPackLabelDefaults(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	cfg, err := Parse("/etc/tote/station.toml", []byte(minimal+"[pack]\nhazmat_alone = false\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := defaults().Pack
	p := cfg.Pack
	if p.Carrier != d.Carrier || p.Service != d.Service || p.TrackingPrefix != d.TrackingPrefix || p.Printer != "" || p.ShipFrom != d.ShipFrom {
		t.Errorf("got %+v, want the defaults %+v", p, d)
	}
	if d.Carrier == "" || d.TrackingPrefix == "" || d.ShipFrom.IsZero() {
		t.Errorf("defaults are empty: %+v", d)
	}
	// A ship_from given at all replaces the default whole: nothing of the
	// default address is mixed into it.
	cfg, err = Parse("/etc/tote/station.toml", []byte(minimal+"[pack.ship_from]\nname = \"Bench 3\"\nline1 = \"2 Quay\"\ncity = \"Leeds\"\ncountry = \"GB\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (floor.Address{Name: "Bench 3", Line1: "2 Quay", City: "Leeds", Country: "GB"}); cfg.Pack.ShipFrom != want {
		t.Errorf("ship_from %+v, want %+v", cfg.Pack.ShipFrom, want)
	}
}

func TestPackLabelProblems(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	cases := []struct {
		name string
		src  string
		want []want
	}{
		{
			name: "tracking prefix charset and length",
			src:  minimal + "[pack]\ntracking_prefix = \"tt-1\"\n",
			want: []want{{5, "pack.tracking_prefix", `"tt-1" is not valid: use 1 to 10 of A–Z and 0–9`}},
		},
		{
			name: "tracking prefix too long",
			src:  minimal + "[pack]\ntracking_prefix = \"ABCDEFGHIJK\"\n",
			want: []want{{5, "pack.tracking_prefix", "use 1 to 10 of A–Z and 0–9"}},
		},
		{
			name: "tracking prefix as a number",
			src:  minimal + "[pack]\ntracking_prefix = 123\n",
			want: []want{{5, "pack.tracking_prefix", "must be a string in quotes, not the whole number 123"}},
		},
		{
			name: "scale empty threshold zero or negative",
			src:  minimal + "[pack]\nscale_empty_below_g = 0\n",
			want: []want{{5, "pack.scale_empty_below_g", "0 is out of range: must be more than 0 and at most 10000"}},
		},
		{
			name: "scale empty threshold as text",
			src:  minimal + "[pack]\nscale_empty_below_g = \"20g\"\n",
			want: []want{{5, "pack.scale_empty_below_g", "a number"}},
		},
		{
			name: "carrier with an escape sequence",
			src:  minimal + "[pack]\ncarrier = \"UPS\\u001b[2J\"\n",
			want: []want{{5, "pack.carrier", `"UPS\x1b[2J" has a control or formatting character (U+001B) in it`}},
		},
		{
			name: "service with a bidi override",
			src:  minimal + "[pack]\nservice = \"Next \\u202eDay\"\n",
			want: []want{{5, "pack.service", "(U+202E)"}},
		},
		{
			name: "empty and overlong carrier and service",
			src:  minimal + "[pack]\ncarrier = \"  \"\nservice = \"" + strings.Repeat("é", 51) + "\"\n",
			want: []want{
				{5, "pack.carrier", "must not be empty"},
				{6, "pack.service", "is 51 characters long: at most 50"},
			},
		},
		{
			name: "printer that is not configured",
			src:  minimal + "[pack]\nprinter = \"zebar\"\n" + labelPrinters,
			want: []want{{5, "pack.printer", `"zebar" is not a configured printer: the [[printers]] are "zebra", "laser"`}},
		},
		{
			name: "printer named with no printers at all",
			src:  minimal + "[pack]\nprinter = \"zebra\"\n",
			want: []want{{5, "pack.printer", "there is no [[printers]] table"}},
		},
		{
			name: "printer for documents only",
			src:  minimal + "[pack]\nprinter = \"laser\"\n" + labelPrinters,
			want: []want{{5, "pack.printer", `printer "laser" has role = "document": shipping labels need a printer with role = "shipping"`}},
		},
		{
			name: "printer empty",
			src:  minimal + "[pack]\nprinter = \"\"\n" + labelPrinters,
			want: []want{{5, "pack.printer", "must not be empty"}},
		},
		{
			name: "ship_from missing its required keys on its header line",
			src:  minimal + "[pack]\ncarrier = \"UPS\"\n\n[pack.ship_from]\ncompany = \"Tote\"\n",
			want: []want{
				{7, "pack.ship_from.city", `add city = "Springfield" to this [pack.ship_from] table`},
				{7, "pack.ship_from.country", `add country = "US"`},
				{7, "pack.ship_from.line1", "add line1 ="},
				{7, "pack.ship_from.name", `add name = "Tote Fulfilment"`},
			},
		},
		{
			name: "ship_from bad values",
			src: minimal + "[pack.ship_from]\nname = \"Dock\\nRoad\"\nline1 = \"" + strings.Repeat("x", 101) + "\"\ncity = \"Springfield\"\n" +
				"postal_code = \"12345;DROP\"\ncountry = \"usa\"\nregion = 5\n",
			want: []want{
				{5, "pack.ship_from.name", `"Dock\nRoad" has a control or formatting character (U+000A)`},
				{6, "pack.ship_from.line1", "is 101 characters long: at most 100"},
				{8, "pack.ship_from.postal_code", `"12345;DROP" is not a postal code`},
				{9, "pack.ship_from.country", `"usa" is not a country code: use the two capital letters of ISO 3166`},
				{10, "pack.ship_from.region", "must be a string in quotes, not the whole number 5"},
			},
		},
		{
			name: "unknown key in ship_from",
			src:  minimal + "[pack.ship_from]\nname = \"A\"\nline1 = \"B\"\ncity = \"C\"\ncountry = \"US\"\nzip = \"12345\"\n",
			want: []want{{9, "pack.ship_from.zip", "[pack.ship_from] takes name, company, line1, line2, city, region, postal_code, country"}},
		},
		{
			name: "misspelt key in ship_from",
			src:  minimal + "[pack.ship_from]\nname = \"A\"\nline1 = \"B\"\ncity = \"C\"\ncountry = \"US\"\npostalcode = \"12345\"\n",
			want: []want{{9, "pack.ship_from.postalcode", `did you mean "postal_code"?`}},
		},
		{
			name: "ship_from that is not a table",
			src:  minimal + "[pack]\nship_from = \"1 Dock Road\"\n",
			want: []want{{5, "pack.ship_from", "must be a table: write [pack.ship_from] on a line of its own"}},
		},
		{
			name: "misspelt key in pack",
			src:  minimal + "[pack]\ntracking_prefx = \"TT\"\n",
			want: []want{{5, "pack.tracking_prefx", `did you mean "tracking_prefix"?`}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := problems(t, tc.src)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tc.want), (&Errors{List: got}).Error())
			}
			for i, w := range tc.want {
				g := got[i]
				if g.File != "/etc/tote/station.toml" || g.Line != w.line || g.Key != w.key || !strings.Contains(g.Msg, w.msg) {
					t.Errorf("problem %d:\n got  %s\n want /etc/tote/station.toml:%d: %s: …%s…", i, g, w.line, w.key, w.msg)
				}
			}
		})
	}
}

// TestShipFromInline: the address may also be written inline, and its
// problems still name their lines.
func TestShipFromInline(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	src := minimal + "[pack]\nship_from = {name = \"A\", line1 = \"B\", city = \"C\", country = \"U\"}\n"
	got := problems(t, src)
	if len(got) != 1 || got[0].Key != "pack.ship_from.country" || got[0].Line != 5 {
		t.Fatalf("got %v", &Errors{List: got})
	}
	cfg, err := Parse("/etc/tote/station.toml", []byte(strings.Replace(src, `"U"`, `"US"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if want := (floor.Address{Name: "A", Line1: "B", City: "C", Country: "US"}); !reflect.DeepEqual(cfg.Pack.ShipFrom, want) {
		t.Errorf("ship_from %+v", cfg.Pack.ShipFrom)
	}
}

// TestPackTextTakesScriptsThatJoin: [pack] text follows the rule for text
// from outside (floor.CheckText): a Persian name with its ZWNJ is taken, a
// ZWJ that joins no letters is not.
func TestPackTextTakesScriptsThatJoin(t *testing.T) {
	cfg, err := Parse("/etc/tote/station.toml", []byte(minimal+"[pack.ship_from]\nname = \"علی\u200cرضا\"\nline1 = \"خیابان ولیعصر\"\ncity = \"تهران\"\ncountry = \"IR\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Pack.ShipFrom.Name != "علی\u200cرضا" {
		t.Fatalf("ship_from name %q", cfg.Pack.ShipFrom.Name)
	}
	got := problems(t, minimal+"[pack]\ncarrier = \"UPS\u200d\"\n")
	if len(got) != 1 || !strings.Contains(got[0].Msg, "(U+200D)") {
		t.Fatalf("a lone ZWJ: %v", got)
	}
}

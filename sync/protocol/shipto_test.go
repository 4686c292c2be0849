package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/totewms/tote/internal/floor"
)

// shipOrder is an order as an OMS sends it, with every shipping field.
const shipOrder = `{"id":"SO-1","priority":1,"lines":[{"line":1,"sku":"MUG-1","qty":2}],` +
	`"ship_to":{"name":"Zoë O'Brien","company":"Müller & Söhne","line1":"12 Hafenstraße","line2":"Apt 4B","city":"São Paulo","region":"SP","postal_code":"01310-100","country":"BR"},` +
	`"carrier":"UPS","service":"Ground"}`

func TestOrderCarriesShipTo(t *testing.T) {
	var o Order
	if err := strictJSON([]byte(shipOrder), &o); err != nil {
		t.Fatal(err)
	}
	want := Address{Name: "Zoë O'Brien", Company: "Müller & Söhne", Line1: "12 Hafenstraße", Line2: "Apt 4B", City: "São Paulo",
		Region: "SP", PostalCode: "01310-100", Country: "BR"}
	if o.ShipTo != want || o.Carrier != "UPS" || o.Service != "Ground" {
		t.Fatalf("decoded %+v", o)
	}
	if err := o.CheckShipTo(); err != nil {
		t.Fatal(err)
	}
	// To the domain and back, nothing is lost.
	f := o.Floor()
	if f.ShipTo != floor.Address(want) || f.Carrier != "UPS" || f.Service != "Ground" {
		t.Fatalf("floor order %+v", f)
	}
	if back := OrderOf(f); back.ShipTo != want || back.Carrier != "UPS" || back.Service != "Ground" {
		t.Fatalf("OrderOf %+v", back)
	}
	// floor.Address's JSON is the wire's: a station stores it as it came.
	fj, _ := json.Marshal(f.ShipTo)
	wj, _ := json.Marshal(o.ShipTo)
	if !bytes.Equal(fj, wj) {
		t.Fatalf("floor.Address JSON %s, wire %s", fj, wj)
	}
}

func TestOrderWithoutShipTo(t *testing.T) {
	// All three are optional, and an order without them is written without
	// them: older stations and tools see the order they always saw.
	o := Order{ID: "SO-2", Lines: []OrderLine{{Line: 1, SKU: "X", Qty: 1}}}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); strings.Contains(s, "ship_to") || strings.Contains(s, "carrier") || strings.Contains(s, "service") {
		t.Fatalf("an order without shipping fields is written %s", s)
	}
	if err := o.CheckShipTo(); err != nil {
		t.Fatal(err)
	}
	for _, body := range []string{`{"id":"SO-2","lines":[],"ship_to":{}}`, `{"id":"SO-2","lines":[],"ship_to":null}`} {
		var got Order
		if err := strictJSON([]byte(body), &got); err != nil || got.ShipTo != (Address{}) || got.CheckShipTo() != nil {
			t.Fatalf("%s: %+v %v", body, got, err)
		}
	}
	// Unknown fields in the address are refused by the strict decoder the
	// hub uses, like everywhere else in an import.
	var got Order
	if err := strictJSON([]byte(`{"id":"SO-2","lines":[],"ship_to":{"zip":"12345"}}`), &got); err == nil {
		t.Fatal("an unknown address field was accepted")
	}
}

func TestCheckShipToRefuses(t *testing.T) {
	good := Address{Name: "Olivia Smith", Line1: "1 Main St", City: "Springfield", PostalCode: "12345", Country: "US"}
	with := func(f func(a *Address)) Order {
		a := good
		f(&a)
		return Order{ID: "SO-1", ShipTo: a}
	}
	for _, tc := range []struct {
		name  string
		order Order
		want  string
	}{
		{"escape sequence in the city", with(func(a *Address) { a.City = "Spring\x1b[2Jfield" }),
			`the ship-to city "Spring\x1b[2Jfield" has a control or formatting character (U+001B) in it`},
		{"line break in line1", with(func(a *Address) { a.Line1 = "1 Main St\n^XZ" }), "(U+000A)"},
		{"C1 control in the name", with(func(a *Address) { a.Name = "Olivia\u009bSmith" }), "(U+009B)"},
		{"bidi override in line2", with(func(a *Address) { a.Line2 = "Apt \u202e4B" }), `the ship-to line2 "Apt \u202e4B" has a control or formatting character (U+202E)`},
		{"zero-width joiner in the company", with(func(a *Address) { a.Company = "Tote\u200dCo" }), "(U+200D)"},
		{"tab in the region", with(func(a *Address) { a.Region = "CA\t" }), "(U+0009)"},
		{"not valid UTF-8", with(func(a *Address) { a.City = "Spring\xfffield" }), `the ship-to city "Spring\xfffield" is not valid UTF-8`},
		{"replacement character", with(func(a *Address) { a.City = "Spring\ufffdfield" }), "replacement character (U+FFFD)"},
		{"overlong line1", with(func(a *Address) { a.Line1 = strings.Repeat("ß", 101) }), "is 101 characters long; at most 100 are allowed"},
		{"overlong region", with(func(a *Address) { a.Region = strings.Repeat("R", 51) }), "at most 50"},
		{"blank name", with(func(a *Address) { a.Name = "   " }), "the ship-to name is blank"},
		{"no name", with(func(a *Address) { a.Name = "" }), "the ship-to address has no name"},
		{"no line1", with(func(a *Address) { a.Line1 = "" }), "has no line1"},
		{"no city", with(func(a *Address) { a.City = "" }), "has no city"},
		{"no country", with(func(a *Address) { a.Country = "" }), "has no country"},
		{"country in words", with(func(a *Address) { a.Country = "USA" }), `the ship-to country "USA" is not a country code`},
		{"lower-case country", with(func(a *Address) { a.Country = "us" }), "not a country code"},
		{"postal code with punctuation", with(func(a *Address) { a.PostalCode = "12345;DROP" }), `postal_code "12345;DROP" is not a postal code`},
		{"postal code too long", with(func(a *Address) { a.PostalCode = strings.Repeat("1", 21) }), "not a postal code"},
		{"postal code starting with a space", with(func(a *Address) { a.PostalCode = " 12345" }), "not a postal code"},
		{"carrier with an escape", Order{Carrier: "UPS\x1b]0;pwned\x07"}, `the carrier "UPS\x1b]0;pwned\x07" has a control`},
		{"blank service", Order{Service: " "}, "the service is blank"},
		{"overlong service", Order{Service: strings.Repeat("s", 51)}, "at most 50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.order.CheckShipTo()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to say %s", err, tc.want)
			}
			if floor.Printable(err.Error()) != err.Error() {
				t.Fatalf("the error itself is not safe to show: %q", err)
			}
		})
	}
	// What real addresses hold is taken: accents, apostrophes, ampersands,
	// ZPL's ^ and ~ (the label escapes them), non-Latin scripts.
	for _, a := range []Address{
		good,
		{Name: "Zoë O'Brien", Company: "A&B ^Co~", Line1: "Rue de l'Église 5", City: "Liège", PostalCode: "4000", Country: "BE"},
		{Name: "田中 太郎", Line1: "千代田区丸の内1-1", City: "東京", PostalCode: "100-0005", Country: "JP"},
		{Name: "Ana", Line1: "Calle 1", City: "Madrid", Region: "M", PostalCode: "SW1A 1AA", Country: "ES"},
	} {
		if err := (Order{ShipTo: a, Carrier: "OWN FLEET", Service: "NEXT DAY"}).CheckShipTo(); err != nil {
			t.Errorf("%+v refused: %v", a, err)
		}
	}
}

// strictJSON decodes as the hub's admin API does: unknown fields refused,
// one value only.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more after the JSON value")
	}
	return nil
}

// FuzzOrderShipTo decodes an order as the hub's admin API does and checks
// its shipping fields. Whatever the bytes, nothing panics; what is accepted
// is text a terminal and a label can show as it is, within the limits, and
// survives the trip to the domain and back unchanged; what is refused says
// why in a line that is itself safe to show.
func FuzzOrderShipTo(f *testing.F) {
	f.Add([]byte(shipOrder))
	f.Add([]byte(`{"id":"SO-2","lines":[],"ship_to":{}}`))
	f.Add([]byte(`{"id":"SO-3","lines":[],"ship_to":{"name":"A\u001b[31m","line1":"B","city":"C","country":"US"}}`))
	f.Add([]byte(`{"id":"SO-4","lines":[],"ship_to":{"name":"A","line1":"B","city":"C\u202e","country":"us"},"carrier":"\t"}`))
	f.Add([]byte("{\"id\":\"SO-5\",\"lines\":[],\"ship_to\":{\"name\":\"A\xff\",\"line1\":\"B\",\"city\":\"C\",\"country\":\"US\",\"postal_code\":\" 1\"}}"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var o Order
		if strictJSON(body, &o) != nil {
			return
		}
		err := o.CheckShipTo()
		if err != nil {
			if msg := err.Error(); msg == "" || floor.Printable(msg) != msg {
				t.Fatalf("refusal %q is empty or not safe to show", msg)
			}
			return
		}
		a := o.ShipTo
		for _, p := range []struct {
			s   string
			max int
		}{{a.Name, MaxAddressLineLen}, {a.Company, MaxAddressLineLen}, {a.Line1, MaxAddressLineLen}, {a.Line2, MaxAddressLineLen},
			{a.City, MaxAddressLineLen}, {a.Region, MaxRegionLen}, {a.PostalCode, MaxPostalCodeLen}, {a.Country, 2},
			{o.Carrier, MaxCarrierLen}, {o.Service, MaxCarrierLen}} {
			if floor.Printable(p.s) != p.s || utf8.RuneCountInString(p.s) > p.max || strings.ContainsRune(p.s, utf8.RuneError) {
				t.Fatalf("accepted %q (limit %d)", p.s, p.max)
			}
		}
		if a != (Address{}) && (a.Name == "" || a.Line1 == "" || a.City == "" || len(a.Country) != 2) {
			t.Fatalf("accepted an address without its required parts: %+v", a)
		}
		back := OrderOf(o.Floor())
		if back.ShipTo != o.ShipTo || back.Carrier != o.Carrier || back.Service != o.Service || back.CheckShipTo() != nil {
			t.Fatalf("the trip to the domain changed %+v into %+v", o, back)
		}
		wire, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		var again Order
		if err := strictJSON(wire, &again); err != nil || again.ShipTo != o.ShipTo || again.Carrier != o.Carrier || again.Service != o.Service {
			t.Fatalf("%s does not read back: %+v %v", wire, again, err)
		}
	})
}

// BenchmarkCheckShipTo: the check runs on every order of an import; an
// OMS import of tens of thousands of orders must not feel it.
func BenchmarkCheckShipTo(b *testing.B) {
	var o Order
	if err := strictJSON([]byte(shipOrder), &o); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := o.CheckShipTo(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBlankIsAnySpace(t *testing.T) {
	for _, s := range []string{" ", "\u00a0", " \u3000 "} {
		if err := (Order{Carrier: s}).CheckShipTo(); err == nil || !strings.Contains(err.Error(), "blank") {
			t.Errorf("carrier %q: %v", s, err)
		}
	}
}

package hub_test

import (
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/gs1"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func TestParseCursor(t *testing.T) {
	c := hub.Cursor{Hub: "0123456789abcdef", Epoch: 3, Seq: 42, Tag: -7305}
	got, err := hub.ParseCursor(c.String())
	if err != nil || got != c {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "1.0123456789abcdef.3.4", "2.0123456789abcdef.3.4.5", "1.0123456789ABCDEF.3.4.5", "1.0123456789abcdef.0.4.5",
		"1.0123456789abcdef.3.-1.5", "1.0123456789abcdef.3.x.5", "1.short.3.4.5", "1.0123456789abcdef.3.99999999999999999999.5",
		"1.0123456789abcdef.3.0.5", "1.0123456789abcdef.3.4.y"} {
		if _, err := hub.ParseCursor(bad); err == nil || !strings.Contains(err.Error(), "cursor") {
			t.Errorf("ParseCursor(%q) = %v, want an error naming the cursor", bad, err)
		}
	}
}

// FuzzParseCursor: any string either parses to a cursor that prints back
// as the same string, or is refused with a reason.
func FuzzParseCursor(f *testing.F) {
	f.Add("1.0123456789abcdef.3.42.-8811392")
	f.Add("1.0123456789abcdef.1.0.0")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := hub.ParseCursor(s)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if c.String() != s {
			// Only a canonical spelling parses: "01" or "+1" would not print back.
			if again, err := hub.ParseCursor(c.String()); err != nil || again != c {
				t.Fatalf("%q parsed to %+v, which does not round-trip", s, c)
			}
		}
	})
}

func TestParseOrdersCSV(t *testing.T) {
	orders, err := hub.ParseOrdersCSV(strings.NewReader("\ufefforder_id,line_no,sku,qty,priority,ship_by,customer,ship_together\r\n" +
		"SO-1,1,MUG-1,2,1,2026-03-02,\"Smith, Olivia\",\r\nSO-1,2,CAN-1,1,1,2026-03-02,\"Smith, Olivia\",\r\nSO-2,1,CAN-1,3,,2026-03-02T17:00:00Z,Liam,G1\r\n,,,\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 2 || len(orders[0].Lines) != 2 || orders[0].Customer != "Smith, Olivia" || orders[1].ShipTogether != "G1" || orders[1].ShipBy.Hour() != 17 {
		t.Fatalf("parsed %+v", orders)
	}
	for csv, want := range map[string]string{
		"":                                    "empty",
		"order_id,line_no,sku\n":              `no "qty" column`,
		"order_id,line_no,sku,qty,colour\n":   `line 1: unknown column "colour"`,
		"order_id,line_no,sku,qty\n":          "no order lines",
		"order_id,line_no,sku,qty\nA,1,S,0\n": "line 2: order A line 1: quantity 0",
		"order_id,line_no,sku,qty\nA,1,S,1\nA,1,T,1\n":              "line 3: order A: line 1 appears twice",
		"order_id,line_no,sku,qty,priority\nA,1,S,1,1\nA,2,T,1,2\n": "line 3: order A has different priority",
		"order_id,line_no,sku,qty,ship_by\nA,1,S,1,tomorrow\n":      `line 2: ship_by "tomorrow" is not a date`,
		"order_id,line_no,sku,qty\nA,1,S\n":                         "line 2: 3 fields, but the header has 4",
		"order_id,line_no,sku,qty\n\"A,1,S,1\n":                     "line 2",
		"order_id,line_no,sku,qty\nA B,1,S,1\n":                     "line 2: the order id \"A B\" has a space",
		"order_id,order_id,sku,qty\n":                               `column "order_id" appears twice`,
		"order_id,line_no,sku,qty\nA,one,S,1\n":                     `line 2: line_no "one" is not a whole number`,
	} {
		_, err := hub.ParseOrdersCSV(strings.NewReader(csv))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to say %q", csv, err, want)
		}
	}
}

// FuzzParseOrdersCSV: any input is either refused with a reason or gives
// orders that each pass CheckOrder, so their ship-to text is printable,
// each once.
func FuzzParseOrdersCSV(f *testing.F) {
	f.Add("order_id,line_no,sku,qty\nA,1,S,1\n")
	f.Add("order_id,line_no,sku,qty,priority,ship_by,customer,ship_together\nSO-1,1,MUG-1,2,1,2026-03-02,\"Smith, Olivia\",G\nSO-1,2,CAN-1,1,1,2026-03-02,\"Smith, Olivia\",G\n")
	f.Add("qty,sku,line_no,order_id\r\n1,S,1,A\r\n")
	f.Add("order_id,line_no,sku,qty,ship_to_name,ship_to_line1,ship_to_city,ship_to_region,ship_to_postal_code,ship_to_country,carrier,service\n" +
		"SO-1,1,MUG-1,1,Zoë O'Brien,12 Hafenstraße,Hamburg,HH,20457,DE,DHL,Express\nSO-1,2,CAN-1,1,Zoë O'Brien,12 Hafenstraße,Hamburg,HH,20457,DE,DHL,Express\n")
	f.Add("order_id,line_no,sku,qty,ship_to_name,ship_to_line1,ship_to_city,ship_to_country,service\nA,1,S,1,N,L,\x1b[2JC,US,\u202eX\n")
	f.Fuzz(func(t *testing.T, csv string) {
		orders, err := hub.ParseOrdersCSV(strings.NewReader(csv))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		ids := map[string]bool{}
		for _, o := range orders {
			if err := hub.CheckOrder(o); err != nil {
				t.Fatalf("parsed order %+v fails CheckOrder: %v", o, err)
			}
			// An order's rows come together: it is given once, whole.
			if ids[o.ID] {
				t.Fatalf("order %s given twice", o.ID)
			}
			ids[o.ID] = true
			// What an import takes, a screen shows as it is.
			for _, v := range []string{o.ID, o.Customer, o.ShipTogether, o.ShipTo.Name, o.ShipTo.City, o.Carrier} {
				if floor.Printable(v) != v {
					t.Fatalf("order %+v: %q would not show as it is", o, v)
				}
			}
		}
	})
}

// FuzzCheckReference: an item is either refused with a reason that is
// itself printable, or its SKU and description show as they are and its
// GTIN has the right check digit.
func FuzzCheckReference(f *testing.F) {
	f.Add("MUG-1", "Red Mug", "04006381000017")
	f.Add("MUG-1", "Red Mug", "04006381000016")
	f.Add("\u202eMUG", "Evil \x1b[2J", "0400638100001X")
	f.Add("علی-1", "علی\u200cرضا 👩\u200d💻", "09501101530003")
	f.Fuzz(func(t *testing.T, sku, desc, gtin string) {
		err := hub.CheckReference(protocol.Reference{Items: []protocol.Item{{SKU: sku, Description: desc, GTINs: []string{gtin}}}})
		if err != nil {
			if msg := err.Error(); msg == "" || floor.Printable(msg) != msg {
				t.Fatalf("refusal %q is empty or not printable", msg)
			}
			return
		}
		if floor.Printable(sku) != sku || floor.Printable(desc) != desc {
			t.Fatalf("took %q / %q, which would not show as they are", sku, desc)
		}
		if gs1.CheckGTIN("GTIN", gtin) != nil || len(gtin) != 14 {
			t.Fatalf("took GTIN %q", gtin)
		}
	})
}

// FuzzStoryWhat: any payload gives a story line of printable words (no
// terminal control from the floor's text), never a panic.
func FuzzStoryWhat(f *testing.F) {
	for _, s := range []string{`{"order":"SO-1","sku":"MUG-1","qty":2,"location":"A-01","tote":"T1"}`,
		`{"order":"SO-1","sscc":"000000000000000017","reason":"\u001b]0;pwned\u0007"}`, `[1,2]`, `{"qty":1e300}`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		w := hub.StoryWhat(payload)
		if strings.ContainsFunc(w, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
			t.Fatalf("control characters in %q", w)
		}
	})
}

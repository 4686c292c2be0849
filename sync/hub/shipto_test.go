package hub_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// shipFixture is a hub with two items at two locations and ST-01
// registered, and no orders yet.
func shipFixture(t *testing.T) *fixture {
	t.Helper()
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	f := &fixture{Hub: h, token: sitetest.Register(t, h.Store, station)}
	ref := protocol.Reference{
		Locations: []protocol.Location{{Code: "A-01-01-1", Zone: "A", Aisle: 1, Bay: 1, Level: 1, WalkSeq: 1},
			{Code: "A-01-02-1", Zone: "A", Aisle: 1, Bay: 2, Level: 1, WalkSeq: 2}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Red Mug", GTINs: []string{"04006381000017"}, Location: "A-01-02-1"},
			{SKU: "CAN-1", Description: "Candle", GTINs: []string{"04006381000024"}, Location: "A-01-01-1"}},
	}
	if a := f.admin(t, "POST", "/admin/v1/reference", ref); a.status != 200 {
		t.Fatalf("reference: %d %s", a.status, a.body)
	}
	return f
}

var oliviaAddress = protocol.Address{Name: "Zoë O'Brien", Company: "Müller & Söhne", Line1: "12 Hafenstraße", Line2: "Tor 4",
	City: "Hamburg", Region: "HH", PostalCode: "20457", Country: "DE"}

// pulledOrders are the order records of pull pages, by id.
func pulledOrders(pages []protocol.PullResponse) map[string]protocol.Order {
	out := map[string]protocol.Order{}
	for _, p := range pages {
		for _, c := range p.Changes {
			if c.Order != nil {
				out[c.Order.ID] = *c.Order
			}
		}
	}
	return out
}

// TestShipToTravels: an order's ship-to address, carrier and service go
// from the OMS's JSON import through the hub's store and its pull feed to
// the station's store unchanged, and a correction made after the wave went
// out reaches the station too.
func TestShipToTravels(t *testing.T) {
	f := shipFixture(t)
	// SO-2 has no ship-to: a site whose labels come from elsewhere.
	if err := f.Store.SetSetting(ctx, hub.SettingShipToRequired, "false"); err != nil {
		t.Fatal(err)
	}
	orders := protocol.OrderImport{Orders: []protocol.Order{
		{ID: "SO-1", Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}, ShipTo: oliviaAddress, Carrier: "DHL", Service: "Express"},
		{ID: "SO-2", Lines: []protocol.OrderLine{{Line: 1, SKU: "CAN-1", Qty: 2}}},
	}}
	if a := f.admin(t, "POST", "/admin/v1/orders", orders); a.status != 200 {
		t.Fatalf("import: %d %s", a.status, a.body)
	}
	var stored string
	if err := f.Store.DB().R.QueryRow(`SELECT ship_to FROM orders WHERE id='SO-1'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	var back protocol.Address
	if err := json.Unmarshal([]byte(stored), &back); err != nil || back != oliviaAddress {
		t.Fatalf("the hub stored %q", stored)
	}
	if a := f.admin(t, "POST", "/admin/v1/waves", protocol.NewWave{ID: "W-1", Orders: []string{"SO-1", "SO-2"}, Station: station}); a.status != 201 {
		t.Fatalf("wave: %d %s", a.status, a.body)
	}

	pages, cursor := pullAll(t, f.URL, f.token, "", 1000)
	got := pulledOrders(pages)
	if o := got["SO-1"]; o.ShipTo != oliviaAddress || o.Carrier != "DHL" || o.Service != "Express" {
		t.Fatalf("SO-1 pulled as %+v", o)
	}
	if o := got["SO-2"]; o.ShipTo != (protocol.Address{}) || o.Carrier != "" || o.Service != "" {
		t.Fatalf("SO-2 pulled as %+v", o)
	}
	// The wire leaves out what an order does not have.
	raw := call(t, "GET", f.URL+protocol.PathPull, f.token, "", nil)
	if !strings.Contains(string(raw.body), `"ship_to":{"name":"Zoë O'Brien"`) || strings.Count(string(raw.body), `"ship_to"`) != 1 {
		t.Fatalf("pull body: %s", raw.body)
	}

	// The station applies the page and holds the same.
	st := sitetest.OpenStation(t, filepath.Join(t.TempDir(), "station.db"), station)
	applyPages(t, st, pages)
	if s, err := st.OrderShipTo(ctx, "SO-1"); err != nil || s.Address != floor.Address(oliviaAddress) || s.Carrier != "DHL" || s.Service != "Express" {
		t.Fatalf("the station holds %+v %v", s, err)
	}

	// The OMS corrects the address of an order already on the wave: the
	// station that has it is told.
	fixed := orders.Orders[0]
	fixed.ShipTo.Line1 = "14 Hafenstraße"
	fixed.Service = "Economy"
	if a := f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{fixed}}); a.status != 200 {
		t.Fatalf("correction: %d %s", a.status, a.body)
	}
	news, _ := pullAll(t, f.URL, f.token, cursor, 1000)
	if o, ok := pulledOrders(news)["SO-1"]; !ok || o.ShipTo.Line1 != "14 Hafenstraße" || o.Service != "Economy" || o.Carrier != "DHL" {
		t.Fatalf("the correction pulled as %+v (%v)", o, ok)
	}
	applyPages(t, st, news)
	if s, _ := st.OrderShipTo(ctx, "SO-1"); s.Address.Line1 != "14 Hafenstraße" || s.Service != "Economy" {
		t.Fatalf("the station holds %+v after the correction", s)
	}
}

// applyPages converts pulled changes as the replicator does and applies
// them to a station store.
func applyPages(t *testing.T, st *store.Store, pages []protocol.PullResponse) {
	t.Helper()
	for _, p := range pages {
		pulled := store.Pulled{Cursor: p.Cursor, At: time.Now()}
		for _, c := range p.Changes {
			var sc store.Change
			switch {
			case c.Location != nil:
				l := c.Location.Floor()
				sc.Location = &l
			case c.Item != nil:
				it := c.Item.Floor()
				sc.Item = &it
			case c.Order != nil:
				o := c.Order.Floor()
				sc.Order = &o
			case c.Wave != nil:
				w := c.Wave.Floor()
				sc.Wave = &w
			case c.Task != nil:
				tk := c.Task.Floor()
				sc.Task = &tk
			default:
				continue
			}
			pulled.Changes = append(pulled.Changes, sc)
		}
		sum, err := st.ApplyPull(ctx, pulled)
		if err != nil || len(sum.Skipped) > 0 {
			t.Fatalf("apply: %v %v", sum.Skipped, err)
		}
	}
}

// TestHostileShipToIsRefused: text that could drive a terminal or make a
// label read other than it prints is refused at the door, with the reason,
// by every import path, and nothing of the import is stored.
func TestHostileShipToIsRefused(t *testing.T) {
	f := shipFixture(t)
	const good = `{"id":"SO-OK","lines":[{"line":1,"sku":"MUG-1","qty":1}]}`
	order := func(id, shipping string) string {
		return `{"id":"` + id + `","lines":[{"line":1,"sku":"MUG-1","qty":1}],` + shipping + `}`
	}
	addr := func(city string) string {
		return `"ship_to":{"name":"Olivia","line1":"1 Main St","city":"` + city + `","country":"US"}`
	}
	for _, tc := range []struct {
		name, body string
		code       string
		want       string
	}{
		{"escape sequence", order("SO-H1", addr(`Spring\u001b[2J\u001b[Hfield`)), protocol.CodeBadRequest,
			`order 2: order SO-H1: the ship-to city "Spring\x1b[2J\x1b[Hfield" has a control or formatting character (U+001B) in it`},
		{"terminal title", order("SO-H2", `"carrier":"UPS\u001b]0;owned\u0007"`), protocol.CodeBadRequest, "the carrier"},
		{"bidi override", order("SO-H3", addr(`\u202eSpringfield`)), protocol.CodeBadRequest, "(U+202E)"},
		{"C1 control", order("SO-H4", `"service":"Next\u009bDay"`), protocol.CodeBadRequest, "the service"},
		{"line break", order("SO-H5", addr(`Spring\nfield`)), protocol.CodeBadRequest, "(U+000A)"},
		{"bytes that are not UTF-8", order("SO-H6", addr("Spring\xc3\x28field")), protocol.CodeBadRequest, "not valid UTF-8 where it came from"},
		{"overlong", order("SO-H7", addr(strings.Repeat("x", 101))), protocol.CodeBadRequest, "at most 100"},
		{"no country", order("SO-H8", `"ship_to":{"name":"Olivia","line1":"1 Main St","city":"Springfield"}`), protocol.CodeBadRequest, "has no country"},
		{"unknown address field", order("SO-H9", `"ship_to":{"name":"Olivia","line1":"1 Main St","city":"Springfield","country":"US","zip":"1"}`),
			protocol.CodeBadRequest, `unknown field "zip"`},
		{"address as a string", order("SO-H10", `"ship_to":"1 Main St"`), protocol.CodeBadRequest, "not valid JSON for this request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"orders":[` + good + `,` + tc.body + `]}`
			e := call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "application/json", []byte(body)).err(t, 400, tc.code)
			if !strings.Contains(e.Message, tc.want) {
				t.Fatalf("message %q, want it to say %s", e.Message, tc.want)
			}
			if floor.Printable(e.Message) != e.Message {
				t.Fatalf("the refusal itself carries control characters: %q", e.Message)
			}
			// Neither order of the batch is stored.
			var n int
			f.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&n)
			if n != 0 {
				t.Fatalf("%d orders stored after a refused import", n)
			}
		})
	}

	// The CSV path: a raw escape byte in a field.
	csv := "order_id,line_no,sku,qty,ship_to_name,ship_to_line1,ship_to_city,ship_to_country\n" +
		"SO-C1,1,MUG-1,1,Olivia,1 Main St,Springfield,US\nSO-C2,1,MUG-1,1,Liam,2 Oak Ave,\x1b[31mAustin,US\n"
	e := call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "text/csv", []byte(csv)).err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, `line 3: order SO-C2: the ship-to city "\x1b[31mAustin" has a control`) {
		t.Fatalf("CSV refusal %q", e.Message)
	}

	// The site document `tote hub import` reads.
	site := protocol.SiteImport{Orders: []protocol.Order{
		{ID: "SO-S1", Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}},
		{ID: "SO-S2", Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}},
			ShipTo: protocol.Address{Name: "Olivia", Line1: "1 Main St", City: "Springfield", Country: "USA"}},
	}}
	_, err := hub.ImportSite(ctx, f.Store, site, time.Now())
	if err == nil || !strings.Contains(err.Error(), `order 2: order SO-S2: the ship-to country "USA" is not a country code`) {
		t.Fatalf("site import: %v", err)
	}
	// And the store itself refuses, whoever calls it.
	_, err = f.Store.ImportOrders(ctx, site.Orders[1:], time.Now())
	if err == nil || !strings.Contains(err.Error(), "not a country code") {
		t.Fatalf("store import: %v", err)
	}
	var n int
	f.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d orders stored after refused imports", n)
	}
}

func TestParseOrdersCSVShipTo(t *testing.T) {
	head := "order_id,line_no,sku,qty,customer,ship_to_name,ship_to_company,ship_to_line1,ship_to_line2,ship_to_city,ship_to_region,ship_to_postal_code,ship_to_country,carrier,service\n"
	row := func(line, sku, city string) string {
		return fmt.Sprintf("SO-1,%s,%s,1,Olivia Smith,Olivia Smith,\"Smith & Co, Ltd\",1 Main St,Apt 2,%s,IL,62701,US,UPS,Ground\n", line, sku, city)
	}
	orders, err := hub.ParseOrdersCSV(strings.NewReader(head + row("1", "MUG-1", "Springfield") + row("2", "CAN-1", "Springfield")))
	if err != nil {
		t.Fatal(err)
	}
	want := protocol.Address{Name: "Olivia Smith", Company: "Smith & Co, Ltd", Line1: "1 Main St", Line2: "Apt 2", City: "Springfield",
		Region: "IL", PostalCode: "62701", Country: "US"}
	if len(orders) != 1 || len(orders[0].Lines) != 2 || orders[0].ShipTo != want || orders[0].Carrier != "UPS" || orders[0].Service != "Ground" {
		t.Fatalf("parsed %+v", orders)
	}
	// A file without the columns gives orders without an address.
	orders, err = hub.ParseOrdersCSV(strings.NewReader("order_id,line_no,sku,qty\nSO-2,1,MUG-1,1\n"))
	if err != nil || orders[0].ShipTo != (protocol.Address{}) || orders[0].Carrier != "" {
		t.Fatalf("without the columns: %+v %v", orders, err)
	}
	for csv, msg := range map[string]string{
		head + row("1", "MUG-1", "Springfield") + row("2", "CAN-1", "Chicago"): "line 3: order SO-1 has a different ship-to address, carrier or service than on line 2",
		"order_id,line_no,sku,qty,ship_to_name\nSO-3,1,MUG-1,1,Olivia\n":       "line 2: order SO-3: the ship-to address has no line1",
		"order_id,line_no,sku,qty,carrier\nSO-4,1,MUG-1,1,\"UPS\x07\"\n":       "(U+0007)",
		"order_id,line_no,sku,qty,ship_to_zip\n":                               `line 1: unknown column "ship_to_zip"`,
	} {
		if _, err := hub.ParseOrdersCSV(strings.NewReader(csv)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v, want it to say %q", csv, err, msg)
		}
	}
}

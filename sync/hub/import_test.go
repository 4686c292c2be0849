package hub_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
)

// hostile is text no field of an import may carry: it would drive the
// stations' terminals, reorder what an operator reads, or fill the screen.
var hostile = map[string]string{
	"ESC sequence":      "Spring\x1b[2J\x1b[Hfield",
	"terminal title":    "UPS\x1b]0;owned\x07",
	"NUL":               "MUG\x001",
	"C1 control":        "Next\u009bDay",
	"bidi override":     "\u202eevil.exe",
	"bidi isolate":      "a\u2066b\u2069",
	"zero-width space":  "MUG\u200b1",
	"BOM":               "\ufeffMUG",
	"line separator":    "one\u2028two",
	"ZWNJ in Latin":     "Mu\u200cg",
	"10,000 characters": strings.Repeat("x", 10000),
}

// international is text from real customers and catalogues that every
// text field takes as it is; the ones without spaces also make codes.
var international = map[string]string{
	"Persian with ZWNJ":  "علی\u200cرضا",
	"Arabic":             "محمد عبد الله",
	"CJK":                "東京都渋谷区",
	"emoji with ZWJ":     "👩\u200d👩\u200d👧 Family",
	"combining marks":    "Zoe\u0308 Mu\u0308ller",
	"Devanagari and ZWJ": "क्\u200dषत्रिय",
}

// field is one place outside text enters an import, and how the refusal
// names it.
type field struct {
	name string // as the refusal names it: `the <name> "`
	code bool   // an identifier: no spaces or slashes
	ref  func(s string) protocol.Reference
	ord  func(s string) protocol.Order
}

func goodOrder(id string) protocol.Order {
	return protocol.Order{ID: id, Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}, ShipTo: oliviaAddress}
}

var importFields = []field{
	{name: "customer", ord: func(s string) protocol.Order { o := goodOrder("SO-T"); o.Customer = s; return o }},
	{name: "ship-to name", ord: func(s string) protocol.Order { o := goodOrder("SO-T"); o.ShipTo.Name = s; return o }},
	{name: "ship-to city", ord: func(s string) protocol.Order { o := goodOrder("SO-T"); o.ShipTo.City = s; return o }},
	{name: "hold note", ord: func(s string) protocol.Order {
		o := goodOrder("SO-T")
		o.Holds = []protocol.Hold{{Reason: "CHECK", Note: s}}
		return o
	}},
	{name: "order id", code: true, ord: func(s string) protocol.Order { return goodOrder(s) }},
	{name: "ship_together group", code: true, ord: func(s string) protocol.Order { o := goodOrder("SO-T"); o.ShipTogether = s; return o }},
	{name: "hold reason", code: true, ord: func(s string) protocol.Order {
		o := goodOrder("SO-T")
		o.Holds = []protocol.Hold{{Reason: s}}
		return o
	}},
	{name: "operator name", ref: func(s string) protocol.Reference {
		return protocol.Reference{Operators: []protocol.Operator{{Badge: "B77", Name: s, Roles: []string{"picker"}}}}
	}},
	{name: "badge", code: true, ref: func(s string) protocol.Reference {
		return protocol.Reference{Operators: []protocol.Operator{{Badge: s, Name: "Ana", Roles: []string{"picker"}}}}
	}},
	{name: "description", ref: func(s string) protocol.Reference {
		return protocol.Reference{Items: []protocol.Item{{SKU: "NEW-1", Description: s, GTINs: []string{"04006381000031"}}}}
	}},
	{name: "SKU", code: true, ref: func(s string) protocol.Reference {
		return protocol.Reference{Items: []protocol.Item{{SKU: s, Description: "New"}}}
	}},
	{name: "zone", ref: func(s string) protocol.Reference {
		return protocol.Reference{Locations: []protocol.Location{{Code: "Z-01", Zone: s, WalkSeq: 9}}}
	}},
	{name: "position", ref: func(s string) protocol.Reference {
		return protocol.Reference{Locations: []protocol.Location{{Code: "Z-01", Position: s, WalkSeq: 9}}}
	}},
	{name: "location code", code: true, ref: func(s string) protocol.Reference {
		return protocol.Reference{Locations: []protocol.Location{{Code: s, WalkSeq: 9}}}
	}},
}

func (fl field) send(t *testing.T, f *fixture, s string) answer {
	t.Helper()
	if fl.ord != nil {
		return f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{goodOrder("SO-OK"), fl.ord(s)}})
	}
	return f.admin(t, "POST", "/admin/v1/reference", fl.ref(s))
}

// TestImportTextCorpus: every field of an import that comes from outside
// refuses hostile text with the field and the reason, and nothing of the
// batch is stored; and takes international text as it is.
func TestImportTextCorpus(t *testing.T) {
	f := shipFixture(t)
	count := func() (n int) {
		f.Store.DB().R.QueryRow(`SELECT (SELECT COUNT(*) FROM orders) + (SELECT COUNT(*) FROM operators) + (SELECT COUNT(*) FROM items) + (SELECT COUNT(*) FROM locations)`).Scan(&n)
		return n
	}
	for _, fl := range importFields {
		for what, s := range hostile {
			t.Run(fl.name+"/"+what, func(t *testing.T) {
				before := count()
				e := fl.send(t, f, s).err(t, 400, protocol.CodeBadRequest)
				if !strings.Contains(e.Message, "the "+fl.name+" ") {
					t.Fatalf("the refusal %q does not name the %s", e.Message, fl.name)
				}
				if floor.Printable(e.Message) != e.Message {
					t.Fatalf("the refusal itself carries what it refuses: %q", e.Message)
				}
				if len(e.Message) > 600 {
					t.Fatalf("the refusal is %d bytes long: it repeats the text", len(e.Message))
				}
				if n := count(); n != before {
					t.Fatalf("%d records stored by a refused import", n-before)
				}
			})
		}
	}
	for _, fl := range importFields {
		for what, s := range international {
			if fl.code {
				s = strings.ReplaceAll(s, " ", "-")
			}
			t.Run(fl.name+"/"+what, func(t *testing.T) {
				if a := fl.send(t, f, s); a.status != 200 {
					t.Fatalf("%q refused: %d %s", s, a.status, a.body)
				}
			})
		}
	}
	// What was taken is stored as it came.
	var customer string
	if a := f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{func() protocol.Order {
		o := goodOrder("SO-FA")
		o.Customer, o.ShipTo.Name = "علی\u200cرضا", "علی\u200cرضا"
		return o
	}()}}); a.status != 200 {
		t.Fatalf("Persian customer: %d %s", a.status, a.body)
	}
	f.Store.DB().R.QueryRow(`SELECT customer FROM orders WHERE id='SO-FA'`).Scan(&customer)
	if customer != "علی\u200cرضا" {
		t.Fatalf("stored customer %q", customer)
	}

	// The CSV path takes the same rule.
	head := "order_id,line_no,sku,qty,customer,ship_to_name,ship_to_line1,ship_to_city,ship_to_country\n"
	csv := head + "SO-C1,1,MUG-1,1,\"\u202eevil\",Olivia,1 Main St,Springfield,US\n"
	e := call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "text/csv", []byte(csv)).err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, `line 2: order SO-C1: the customer "\u202eevil" has a control or formatting character (U+202E)`) {
		t.Fatalf("CSV refusal %q", e.Message)
	}
	csv = head + "SO-C2,1,MUG-1,1,علی\u200cرضا,علی\u200cرضا,خیابان ولیعصر,تهران,IR\n"
	if a := call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "text/csv", []byte(csv)); a.status != 200 {
		t.Fatalf("Persian CSV: %d %s", a.status, a.body)
	}
}

// TestImportRefusesWhatCannotShip: an item whose GTIN has a wrong check
// digit, and (while the site prints shipping labels, the default) an order
// without a ship-to, are refused at the door with the record, the field
// and the reason, by the admin API, the CSV and the site import.
func TestImportRefusesWhatCannotShip(t *testing.T) {
	f := shipFixture(t)

	// The GTIN the docs once showed: 0400638100001 has check digit 7, not 6.
	bad := protocol.Reference{Items: []protocol.Item{{SKU: "MUG-2", Description: "Blue Mug", GTINs: []string{"04006381000017", "04006381000016"}}}}
	e := f.admin(t, "POST", "/admin/v1/reference", bad).err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, "item 1 (MUG-2): the GTIN 04006381000016 has a wrong check digit: it should end in 7, not 6") {
		t.Fatalf("bad GTIN refused with %q", e.Message)
	}
	if _, err := hub.ImportSite(ctx, f.Store, protocol.SiteImport{Items: bad.Items}, time.Now()); err == nil || !strings.Contains(err.Error(), "wrong check digit") {
		t.Fatalf("site import of a bad GTIN: %v", err)
	}
	var n int
	f.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM items WHERE sku='MUG-2'`).Scan(&n)
	if n != 0 {
		t.Fatal("the item with a bad GTIN was stored")
	}
	for _, g := range []string{"4006381000016", "0400638100001X"} {
		e := f.admin(t, "POST", "/admin/v1/reference", protocol.Reference{Items: []protocol.Item{{SKU: "MUG-2", Description: "Blue Mug", GTINs: []string{g}}}}).err(t, 400, protocol.CodeBadRequest)
		if !strings.Contains(e.Message, "must be 14 digits") {
			t.Fatalf("GTIN %s refused with %q", g, e.Message)
		}
	}

	// One GTIN on two items of a batch: a scan would name two items.
	e = f.admin(t, "POST", "/admin/v1/reference", protocol.Reference{Items: []protocol.Item{
		{SKU: "MUG-2", Description: "Blue Mug", GTINs: []string{"04006381000031"}},
		{SKU: "MUG-3", Description: "Green Mug", GTINs: []string{"04006381000031"}}}}).err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, "item 2 (MUG-3): the GTIN 04006381000031 is also item MUG-2's") {
		t.Fatalf("a GTIN on two items refused with %q", e.Message)
	}

	// No ship-to: JSON, CSV and site document.
	noShipTo := protocol.Order{ID: "SO-NS", Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 1}}}
	e = f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{goodOrder("SO-OK"), noShipTo}}).err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, "order 2: order SO-NS: the ship_to address is missing, and this site prints shipping labels (hub setting ship_to_required)") {
		t.Fatalf("no ship-to refused with %q", e.Message)
	}
	e = call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "text/csv", []byte("order_id,line_no,sku,qty\nSO-NS,1,MUG-1,1\n")).err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, "the ship_to address is missing") {
		t.Fatalf("CSV without ship-to refused with %q", e.Message)
	}
	if _, err := hub.ImportSite(ctx, f.Store, protocol.SiteImport{Orders: []protocol.Order{noShipTo}}, time.Now()); err == nil || !strings.Contains(err.Error(), "ship_to address is missing") {
		t.Fatalf("site import without ship-to: %v", err)
	}
	f.Store.DB().R.QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d orders stored by refused imports", n)
	}
	// A site whose labels come from elsewhere says so once.
	if err := f.Store.SetSetting(ctx, hub.SettingShipToRequired, "false"); err != nil {
		t.Fatal(err)
	}
	if a := f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{noShipTo}}); a.status != 200 {
		t.Fatalf("with ship_to_required=false: %d %s", a.status, a.body)
	}
}

// TestImportSKUCase: scans match SKUs ignoring case, so two items whose
// SKUs differ only in case are refused, in one batch or against the hub;
// an order line in the wrong case is refused with the SKU the hub has.
func TestImportSKUCase(t *testing.T) {
	f := shipFixture(t)
	e := f.admin(t, "POST", "/admin/v1/reference", protocol.Reference{Items: []protocol.Item{{SKU: "Yoga-1", Description: "Mat"}, {SKU: "YOGA-1", Description: "Mat"}}}).
		err(t, 400, protocol.CodeBadRequest)
	if !strings.Contains(e.Message, "differs from the SKU Yoga-1 only in letter case") {
		t.Fatalf("case twins in a batch: %q", e.Message)
	}
	e = f.admin(t, "POST", "/admin/v1/reference", protocol.Reference{Items: []protocol.Item{{SKU: "mug-1", Description: "Mug"}}}).err(t, 409, protocol.CodeConflict)
	if !strings.Contains(e.Message, "the hub has item MUG-1") {
		t.Fatalf("case twin of a stored item: %q", e.Message)
	}
	o := goodOrder("SO-LC")
	o.Lines[0].SKU = "mug-1"
	e = f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{o}}).err(t, 409, protocol.CodeConflict)
	if !strings.Contains(e.Message, "SKU mug-1 is not known at the hub; the hub has MUG-1") {
		t.Fatalf("order line in lower case: %q", e.Message)
	}
}

// TestAdminTextIsChecked: the text of holds, cancellations and carrier
// labels reaches the stations' screens too, so it takes the same rule.
func TestAdminTextIsChecked(t *testing.T) {
	f := shipFixture(t)
	if a := f.admin(t, "POST", "/admin/v1/orders", protocol.OrderImport{Orders: []protocol.Order{goodOrder("SO-1")}}); a.status != 200 {
		t.Fatalf("import: %d %s", a.status, a.body)
	}
	for path, body := range map[string]any{
		"/admin/v1/orders/SO-1/holds":  protocol.Hold{Reason: "CHECK", Note: "call \x1b[2J"},
		"/admin/v1/orders/SO-1/cancel": protocol.CancelRequest{Reason: "\u202eredro"},
		"/admin/v1/orders/SO-1/labels": protocol.Label{Tracking: "1Z1", Carrier: strings.Repeat("U", 10000), Data: "^XA^XZ"},
	} {
		e := f.admin(t, "POST", path, body).err(t, 400, protocol.CodeBadRequest)
		if floor.Printable(e.Message) != e.Message {
			t.Fatalf("%s: the refusal carries what it refuses: %q", path, e.Message)
		}
	}
	if a := f.admin(t, "POST", "/admin/v1/orders/SO-1/holds", protocol.Hold{Reason: "CHECK", Note: "علی\u200cرضا called"}); a.status != 200 {
		t.Fatalf("Persian hold note: %d %s", a.status, a.body)
	}
	var status string
	f.Store.DB().R.QueryRow(`SELECT status FROM orders WHERE id='SO-1'`).Scan(&status)
	if status == "cancelled" {
		t.Fatal("a refused cancellation cancelled the order")
	}
}

// TestDocsExamplesImport: the reference data, JSON orders and CSV that
// docs/hub.md shows import as they are, valid GTINs and ship-to addresses
// included.
func TestDocsExamplesImport(t *testing.T) {
	b, err := os.ReadFile("../../docs/hub.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	between := func(start, end string) string {
		t.Helper()
		_, rest, ok := strings.Cut(doc, start)
		if !ok {
			t.Fatalf("docs/hub.md has no %q", start)
		}
		body, _, ok := strings.Cut(rest, end)
		if !ok {
			t.Fatalf("docs/hub.md: %q is not closed by %q", start, end)
		}
		return body
	}
	h := sitetest.NewHub(t, t.TempDir(), hubstore.Options{}, nil)
	f := &fixture{Hub: h}
	ref := between(`/admin/v1/reference -H "Authorization: Bearer $A" -d '`, "'\n")
	if a := call(t, "POST", f.URL+"/admin/v1/reference", f.Admin, "application/json", []byte(ref)); a.status != 200 {
		t.Fatalf("the reference example: %d %s", a.status, a.body)
	}
	orders := "{\"orders\"" + between("```json\n{\"orders\"", "```")
	if a := call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "application/json", []byte(orders)); a.status != 200 {
		t.Fatalf("the JSON orders example: %d %s", a.status, a.body)
	}
	csv := between("```csv\n", "```")
	if a := call(t, "POST", f.URL+"/admin/v1/orders", f.Admin, "text/csv", []byte(csv)); a.status != 200 {
		t.Fatalf("the CSV example: %d %s", a.status, a.body)
	}
}

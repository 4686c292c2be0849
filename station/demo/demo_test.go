package demo_test

import (
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/protocol"
)

var shipBy = time.Date(2026, 3, 2, 17, 0, 0, 0, time.UTC)

func TestSameSeedSameSite(t *testing.T) {
	a, b := demo.Site(7, shipBy), demo.Site(7, shipBy)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave two different sites")
	}
	c := demo.Site(8, shipBy)
	if reflect.DeepEqual(a.Orders, c.Orders) {
		t.Fatal("two seeds gave the same orders")
	}
	if len(a.Orders) != demo.Orders || len(a.Items) != demo.NumItems || len(a.Locations) != demo.Aisles*demo.Bays*demo.Levels {
		t.Fatalf("%d orders, %d items, %d locations", len(a.Orders), len(a.Items), len(a.Locations))
	}
}

var (
	streetLine = regexp.MustCompile(`^[1-9][0-9]{0,3} [A-Z][a-z]+ (St|Ave|Rd|Blvd|Ln|Dr|Ct|Way)$`)
	zip        = regexp.MustCompile(`^[0-9]{5}$`)
	state      = regexp.MustCompile(`^[A-Z]{2}$`)
)

// TestEveryOrderHasAShipTo: each order goes to its customer at a US
// address the hub's import check accepts, made from the seed alone.
func TestEveryOrderHasAShipTo(t *testing.T) {
	for _, seed := range []uint64{0, 1, 2, 99} {
		site := demo.Site(seed, shipBy)
		cities := map[string]bool{}
		for _, o := range site.Orders {
			a := o.ShipTo
			if a.Name != o.Customer || a.Country != "US" || a.City == "" || !streetLine.MatchString(a.Line1) ||
				!zip.MatchString(a.PostalCode) || !state.MatchString(a.Region) {
				t.Fatalf("seed %d order %s: ship-to %+v", seed, o.ID, a)
			}
			if err := protocol.OrderOf(o).CheckShipTo(); err != nil {
				t.Fatalf("seed %d order %s: the hub would refuse it: %v", seed, o.ID, err)
			}
			cities[a.City] = true
		}
		if len(cities) < 5 {
			t.Errorf("seed %d: all %d orders go to %d cities", seed, len(site.Orders), len(cities))
		}
	}
	// Another time of day changes the ship-by date, not where orders go.
	a, b := demo.Site(1, shipBy), demo.Site(1, shipBy.Add(48*time.Hour))
	for i := range a.Orders {
		if a.Orders[i].ShipTo != b.Orders[i].ShipTo {
			t.Fatalf("order %s goes elsewhere with another ship-by", a.Orders[i].ID)
		}
	}
}

// kinds finds, among the first ten orders, the first with a lot-controlled
// line, the first with a hazmat item and the first whose lines are all
// simple (no lot, serial or hazmat); "" when there is none.
func kinds(site store.Site) (lot, hazmat, simple string) {
	items := map[string]floor.Item{}
	for _, it := range site.Items {
		items[it.SKU] = it
	}
	for _, o := range site.Orders[:10] {
		allSimple := true
		for _, l := range o.Lines {
			it := items[l.SKU]
			if it.LotControlled && lot == "" {
				lot = o.ID
			}
			if it.Hazmat && hazmat == "" {
				hazmat = o.ID
			}
			allSimple = allSimple && !it.LotControlled && !it.SerialControlled && !it.Hazmat
		}
		if allSimple && simple == "" {
			simple = o.ID
		}
	}
	return lot, hazmat, simple
}

// TestFirstTenOrdersShowEveryKind: whatever the seed, a short demo meets a
// simple order, a lot-controlled line and a hazmat item.
func TestFirstTenOrdersShowEveryKind(t *testing.T) {
	for seed := uint64(0); seed < 300; seed++ {
		site := demo.Site(seed, shipBy)
		lot, hazmat, simple := kinds(site)
		if lot == "" || hazmat == "" || simple == "" {
			t.Fatalf("seed %d: first ten orders give lot %q, hazmat %q, simple %q", seed, lot, hazmat, simple)
		}
		if simple != "ORD-100001" {
			t.Fatalf("seed %d: the first order is not simple (the first simple one is %s)", seed, simple)
		}
	}
	// The demo's own seed, as docs and the demo's guide name them.
	if lot, hazmat, simple := kinds(demo.Site(1, shipBy)); lot != "ORD-100004" || hazmat != "ORD-100007" || simple != "ORD-100001" {
		t.Fatalf("seed 1: lot %s, hazmat %s, simple %s", lot, hazmat, simple)
	}
}

// TestTasksFollowOrders: every order line has one pick task at its item's
// home, with the same quantity; forcing a hazmat line kept that true.
func TestTasksFollowOrders(t *testing.T) {
	for _, seed := range []uint64{0, 1, 2} {
		site := demo.Site(seed, shipBy)
		type key struct {
			order string
			line  int
		}
		lines := map[key]floor.OrderLine{}
		for _, o := range site.Orders {
			seen := map[string]bool{}
			for _, l := range o.Lines {
				if seen[l.SKU] {
					t.Fatalf("seed %d order %s has %s twice", seed, o.ID, l.SKU)
				}
				seen[l.SKU] = true
				lines[key{o.ID, l.LineNo}] = l
			}
		}
		if len(site.Tasks) != len(lines) {
			t.Fatalf("seed %d: %d tasks for %d order lines", seed, len(site.Tasks), len(lines))
		}
		for _, tk := range site.Tasks {
			l, ok := lines[key{tk.OrderID, tk.LineNo}]
			if !ok || l.SKU != tk.SKU || l.Qty != tk.Qty {
				t.Fatalf("seed %d task %d does not match its order line %+v", seed, tk.ID, l)
			}
		}
	}
}

func BenchmarkSite(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		demo.Site(1, shipBy)
	}
}

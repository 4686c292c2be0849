package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
)

// Hostile text in every outside field the pick screen shows: the
// location, the SKU, the order, the wave and the operator's name.
const (
	evilLocation = "A-01\x1b[2J-01-1"
	evilSKU      = "\u202eMUG-1"
	evilOrder    = "ORD\u2028-1"
	evilWave     = "W\u200b1\ufeff"
	evilName     = "Ana\u2066 Picker\u2069"
)

// TestHostileOutsideTextOnThePickScreen: the pick screen, its prompt and
// the walk ahead show every outside string through floor.Printable, so an
// escape sequence, a bidi control, a line separator or a zero-width
// character in a location, SKU, order, wave or name never reaches the
// terminal as it is.
func TestHostileOutsideTextOnThePickScreen(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	site := demo.Site(1, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	first := site.Tasks[0]
	for i := range site.Locations {
		if site.Locations[i].Code == first.Location {
			site.Locations[i].Code = evilLocation
		}
	}
	for i := range site.Items {
		if site.Items[i].SKU == first.SKU {
			site.Items[i].SKU = evilSKU
		}
	}
	for i := range site.Orders {
		for j := range site.Orders[i].Lines {
			if site.Orders[i].Lines[j].SKU == first.SKU {
				site.Orders[i].Lines[j].SKU = evilSKU
			}
			if site.Orders[i].ID == first.OrderID {
				site.Orders[i].Lines[j].OrderID = evilOrder
			}
		}
		if site.Orders[i].ID == first.OrderID {
			site.Orders[i].ID = evilOrder
		}
	}
	for i := range site.Tasks {
		t := &site.Tasks[i]
		if t.Location == first.Location {
			t.Location = evilLocation
		}
		if t.SKU == first.SKU {
			t.SKU = evilSKU
		}
		if t.OrderID == first.OrderID {
			t.OrderID = evilOrder
		}
		t.WaveID = evilWave
	}
	site.Waves[0].ID = evilWave
	// demo.Site shares its operators with the other tests: change a copy.
	site.Operators = append([]floor.Operator(nil), site.Operators...)
	site.Operators[0].Name = evilName
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	in, _ := barcode.NewInterpreter(barcode.DefaultPatterns())
	stn, err := station.Open(ctx, st, in, station.Options{ConfirmAbove: 10,
		Now: func() time.Time { return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ss := &syncStation{stn: stn}
	h := &harness{t: t, ss: ss, m: New(ss, nil, stn.Snapshot(), Options{Station: "DEMO-01", Site: "DEMO"})}
	h.send(tea.WindowSizeMsg{Width: 132, Height: 40})

	check := func(when string) {
		t.Helper()
		raw := h.m.render()
		for _, bad := range []string{"\x1b[2J", "\u202e", "\u2028", "\u200b", "\ufeff", "\u2066", "\u2069"} {
			if strings.Contains(raw, bad) {
				t.Fatalf("%s: %q reached the screen:\n%s", when, bad, h.screen())
			}
		}
	}
	check("login")
	h.typeLine(site.Operators[0].Badge)
	check("tote prompt")
	if !strings.Contains(h.screen(), `Scan a tote for ORD\u2028-1`) {
		t.Fatalf("the order is not shown escaped:\n%s", h.screen())
	}
	h.typeLine("T00001")
	check("location step")
	scr := h.screen()
	for _, want := range []string{`Go to A-01\x1b[2J-01-1 and scan`, `W\u200b1\ufeff`, `Ana\u2066 Picker\u2069`, `\u202eMUG-1`} {
		if !strings.Contains(scr, want) {
			t.Fatalf("%s is not shown escaped:\n%s", want, scr)
		}
	}
}

package tui

import (
	"strings"
	"testing"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/packbench"
	"github.com/totewms/tote/station/tui/ui"
)

// fuzzSteps are the pack screens FuzzPackScreen draws.
var fuzzSteps = []pack.Step{pack.StepOrder, pack.StepVerify, pack.StepLot, pack.StepBox, pack.StepWeigh, pack.StepMismatch,
	pack.StepSupervisor, pack.StepReason, pack.StepSetAside, pack.StepPartial, pack.StepHeld, pack.StepDone, pack.StepReprintReason}

// FuzzPackScreen draws every pack screen with OMS text from outside (the
// customer, a description, a SKU, a lot, a hold note, the packer's name)
// at any size: it never panics, every row fits the screen, the screen has
// exactly its height in rows, and no byte of that text reaches the
// terminal as a control character. The styles are switched off so any
// escape in the output could only have come from the data.
func FuzzPackScreen(f *testing.F) {
	f.Add("Café Nordlicht", "Red mug", "MUG-RED", "L42", "no house number", "Pam", uint8(80), uint8(24), uint8(1))
	f.Add("Evil \x1b]0;pwned\x07 ^XA^FDx^XZ", "\x1b[2J\u202eevil", "SKU\x00", "L\x1b[31m", "\x9b1m", "\xff\xfe", uint8(40), uint8(16), uint8(2))
	f.Add(strings.Repeat("W", 300), strings.Repeat("漢", 90), strings.Repeat("Z", 40), "", "", "", uint8(20), uint8(8), uint8(10))
	f.Fuzz(func(t *testing.T, customer, desc, sku, lot, note, name string, w, h, step uint8) {
		width, height := 20+int(w)%181, 8+int(h)%53
		o := fiveLines()
		o.Customer, o.Lines[1].Description, o.Lines[0].SKU = customer, desc, sku
		o.Lines[1].Lots[0].Lot = lot
		o.Holds = []floor.Hold{{Reason: "FRAUD", Note: note}}
		if sku == "" {
			o.Lines[0].SKU = "X"
		}
		s := pack.State{Operator: floor.Operator{Badge: "B2001", Name: name}, Step: fuzzSteps[int(step)%len(fuzzSteps)], Order: o,
			Rules: packbench.Rules(config.Default().Pack), HasScale: step%2 == 0, Shipment: "ORD-0001-1",
			Pending: pack.Pending{Line: 2, Qty: 1, Purpose: pack.PurposeWeight, SupervisorName: name, Carton: 1},
			Cartons: []pack.Carton{
				{No: 1, Box: "BOX-M", Units: []pack.Unit{{Line: 1, SKU: o.Lines[0].SKU, Qty: 2}}, WeightG: 950, Closed: true},
				{No: 2, Box: "BOX-S", Units: []pack.Unit{{Line: 2, SKU: "VIT-C", Qty: 1, Lot: lot}}, WeightG: 400, ExpectedG: 200, ToleranceG: 50}}}
		m := New(nil, nil, station.Outcome{Bench: station.BenchPack, State: s,
			Labels: []floor.PackLabelPayload{{Shipment: "ORD-0001-1", Customer: customer, Carton: 1, SSCC: lot, Tracking: note}}}, Options{Station: "PACK-01"})
		m.st = &ui.Styles{}
		m.help.Styles = help.Styles{}
		next, _ := m.Update(tea.WindowSizeMsg{Width: width, Height: height})
		m = next.(Model)
		m.scale = &ScaleMsg{Scale: name, Grams: 1234, Stable: true, Problem: note, Note: customer}
		m.feedback = floor.Feedback{Level: floor.Warn, Message: customer}
		out := m.render()
		rows := strings.Split(out, "\n")
		if len(rows) != height {
			t.Fatalf("%d rows, screen is %d:\n%s", len(rows), height, out)
		}
		for i, r := range rows {
			if cw := ansi.StringWidth(r); cw > width {
				t.Fatalf("row %d is %d cells, screen is %d: %q", i, cw, width, r)
			}
			for _, c := range r {
				if c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' {
					t.Fatalf("row %d holds control character %U: %q", i, c, r)
				}
			}
			if !utf8.ValidString(r) {
				t.Fatalf("row %d is not UTF-8: %q", i, r)
			}
		}
	})
}

// BenchmarkPackRender measures drawing the verify screen, which Bubble Tea
// does after every message: a small order at 80×24, and a 40-line order
// at 132×40 with the cartons panel. b.ReportMetric gives frames per second.
func BenchmarkPackRender(b *testing.B) {
	big := fiveLines()
	for i := 6; i <= 40; i++ {
		l := big.Lines[0]
		l.LineNo, l.SKU = i, "SKU-"+strings.Repeat("X", i%7)+string(rune('A'+i%26))
		big.Lines = append(big.Lines, l)
	}
	for _, c := range []struct {
		name  string
		order floor.PackOrder
		w, h  int
	}{{"80x24/5-lines", fiveLines(), 80, 24}, {"132x40/40-lines", big, 132, 40}} {
		b.Run(c.name, func(b *testing.B) {
			s := pack.State{Operator: pam, Step: pack.StepVerify, Order: c.order, Rules: packbench.Rules(config.Default().Pack), HasScale: true,
				Cartons: []pack.Carton{{No: 1, Box: "BOX-M", Units: []pack.Unit{{Line: 1, SKU: "MUG-RED", Qty: 2}, {Line: 5, SKU: "CUP-BLU", Qty: 1}}}}}
			m := New(nil, nil, station.Outcome{Bench: station.BenchPack, State: s}, Options{Station: "PACK-01"})
			next, _ := m.Update(tea.WindowSizeMsg{Width: c.w, Height: c.h})
			m = next.(Model)
			b.ReportAllocs()
			for b.Loop() {
				_ = m.render()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}

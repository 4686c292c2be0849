package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station/pack"
)

// BenchmarkKeystroke is what one key of a keyboard-wedge scan costs the
// screen: Update and View for a digit typed on the scan line, as Bubble Tea
// runs them for every key (a 13-digit GTIN is 13 of these before Enter).
// Issue 15 asks for at most 50 µs.
//
//	go test -run '^$' -bench Keystroke -benchmem -count 5 ./station/tui
func BenchmarkKeystroke(b *testing.B) {
	b.Run("pick-80x24", func(b *testing.B) {
		h := newHarness(b, 80, 24, false)
		h.typeLine("B1001")
		h.typeLine("T00001")
		task, _ := h.state().Task()
		h.typeLine(task.Location) // at the item: the scan every unit needs
		typeKeys(b, h.m)
	})
	b.Run("pack-80x24", func(b *testing.B) {
		s := pack.State{Operator: pam, Step: pack.StepVerify, Order: fiveLines(), Rules: config.Default().Pack, HasScale: true,
			Cartons: []pack.Carton{{No: 1, Box: "BOX-M", Units: []pack.Unit{{Line: 1, SKU: "MUG-RED", Qty: 2}, {Line: 5, SKU: "CUP-BLU", Qty: 1}}}}}
		m := NewPack(nil, nil, s, Options{Station: "PACK-01"})
		next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		typeKeys(b, next.(Model))
	})
}

func typeKeys(b *testing.B, m Model) {
	m.View() // the screen as it was before the first key
	digits := "9501101530010"
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%len(digits) == 0 {
			m.line = m.line[:0] // a new scan
		}
		r := rune(digits[i%len(digits)])
		next, _ := m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
		m = next.(Model)
		_ = m.View()
		i++
	}
}

package tui

import (
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/totewms/tote/internal/config"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/packbench"
	"github.com/totewms/tote/station/tui/frame"
)

// BenchmarkKeystroke is what one key of a keyboard-wedge scan costs the
// screen: Update and View for a digit typed on the scan line, as Bubble Tea
// runs them for every key (a 13-digit GTIN is 13 of these before Enter).
// The -drawn runs add the frame the station's terminal is sent for it
// (station/tui/frame, diffed against the last frame). Issue 15 asks for at
// most 50 µs.
//
//	go test -run '^$' -bench Keystroke -benchmem -count 5 ./station/tui
func BenchmarkKeystroke(b *testing.B) {
	b.Run("pick-80x24", func(b *testing.B) {
		h := newHarness(b, 80, 24, false)
		h.typeLine("B1001")
		h.typeLine("T00001")
		task, _ := h.state().Task()
		h.typeLine(task.Location) // at the item: the scan every unit needs
		typeKeys(b, h.m, nil)
	})
	b.Run("pick-80x24-drawn", func(b *testing.B) {
		h := newHarness(b, 80, 24, false)
		h.typeLine("B1001")
		h.typeLine("T00001")
		task, _ := h.state().Task()
		h.typeLine(task.Location)
		typeKeys(b, h.m, frame.NewScreen(io.Discard, 80, 24, colorprofile.TrueColor))
	})
	b.Run("pack-80x24", func(b *testing.B) {
		s := pack.State{Operator: pam, Step: pack.StepVerify, Order: fiveLines(), Rules: packbench.Rules(config.Default().Pack), HasScale: true,
			Cartons: []pack.Carton{{No: 1, Box: "BOX-M", Units: []pack.Unit{{Line: 1, SKU: "MUG-RED", Qty: 2}, {Line: 5, SKU: "CUP-BLU", Qty: 1}}}}}
		m := New(nil, nil, packAt(s), Options{Station: "PACK-01"})
		next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		typeKeys(b, next.(Model), nil)
	})
}

// typeKeys types digits on m's scan line; with scr, each key's frame is
// drawn on it too.
func typeKeys(b *testing.B, m Model, scr *frame.Screen) {
	draw := func(v tea.View) {
		if scr != nil {
			if err := scr.Draw(v); err != nil {
				b.Fatal(err)
			}
		}
	}
	draw(m.View()) // the screen as it was before the first key
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
		draw(m.View())
		i++
	}
}

// BenchmarkOutcomeFrame is what drawing an outcome costs: the whole screen
// anew, as after every scan's outcome (nothing of the last frame is kept).
//
//	go test -run '^$' -bench OutcomeFrame -benchmem ./station/tui
func BenchmarkOutcomeFrame(b *testing.B) {
	h := newHarness(b, 80, 24, false)
	h.typeLine("B1001")
	h.typeLine("T00001")
	task, _ := h.state().Task()
	h.typeLine(task.Location)
	m := h.m
	b.ReportAllocs()
	for b.Loop() {
		next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24}) // a new generation: all of it drawn
		m = next.(Model)
		_ = m.View()
	}
}

// A key typed on the scan line redraws the line, not the screen: the
// screen's other parts, drawn with Lip Gloss, cost about 2,500 allocations
// a frame and a wedge scanner types a dozen keys a scan.
func TestKeystrokeRedrawsOnlyTheLine(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1001")
	h.typeLine("T00001")
	m := h.m
	m.View()
	allocs := testing.AllocsPerRun(100, func() {
		next, _ := m.Update(tea.KeyPressMsg{Code: '7', Text: "7"})
		m = next.(Model)
		m.line = m.line[:0]
		_ = m.View()
	})
	if allocs > 20 {
		t.Fatalf("a key on the scan line costs %.0f allocations: the whole screen is drawn again", allocs)
	}
}

// The screen kept between keys is the screen drawn afresh, after every
// kind of message a walk through the pick cart and the pack bench sends.
func TestKeptScreenIsTheFreshScreen(t *testing.T) {
	check := func(t *testing.T, m Model, what string) {
		t.Helper()
		kept := m.render()
		fresh := m
		fresh.cache = nil
		if want := fresh.render(); kept != want {
			t.Fatalf("after %s the kept screen differs from a fresh one:\n--- kept\n%s\n--- fresh\n%s", what, kept, want)
		}
	}
	h := newHarness(t, 80, 24, true)
	send := func(what string, msg tea.Msg) {
		h.send(msg)
		check(t, h.m, what)
	}
	typeLine := func(s string) {
		for _, r := range s {
			send("key "+string(r), tea.KeyPressMsg{Code: r, Text: string(r)})
		}
		send("Enter", tea.KeyPressMsg{Code: tea.KeyEnter})
	}
	typeLine("B1001")
	typeLine("T0000X")
	send("Backspace", tea.KeyPressMsg{Code: tea.KeyBackspace})
	send("Esc", tea.KeyPressMsg{Code: tea.KeyEscape})
	typeLine("T00001")
	send("F1", tea.KeyPressMsg{Code: tea.KeyF1})
	send("paste", tea.PasteMsg{Content: "A-01"})
	send("resize", tea.WindowSizeMsg{Width: 132, Height: 40})
	send("Esc", tea.KeyPressMsg{Code: tea.KeyEscape})
	task, _ := h.state().Task()
	typeLine(task.Location)
	send("F5", tea.KeyPressMsg{Code: tea.KeyF5})
	send("resize", tea.WindowSizeMsg{Width: 40, Height: 16})
	send("clock", ClockMsg(time.Date(2026, 11, 22, 9, 0, 1, 0, time.UTC)))
	send("sync", SyncMsg{Online: true, Waiting: 3})

	o := fiveLines()
	p, _ := newPackHarness(t, 80, 24, true, Options{}, o)
	for _, s := range []string{"B2001", o.ID, o.Lines[0].SKU, "X"} {
		for _, r := range s {
			p.send(tea.KeyPressMsg{Code: r, Text: string(r)})
			check(t, p.m, "pack key "+string(r))
		}
		p.send(tea.KeyPressMsg{Code: tea.KeyEnter})
		check(t, p.m, "pack Enter")
	}
}

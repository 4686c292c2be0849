package packpage

// The pack page's verify screen: the order's lines, scan each unit.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
)

// verifyScreen is the order on the bench: its lines, the open carton, and
// the prompt of the step (verify, or a quantity, lot or serial over it).
func (m view) verifyScreen(w, h int) string {
	s := m.pack
	prompt := m.prompt(m.verifyPrompt(), w)
	var help string
	if s.Step == pack.StepVerify {
		if ok, why := s.CanComplete(); ok {
			help = m.st.Muted.Render("All verified: F5 pack complete prints the labels")
		} else {
			help = m.st.Muted.Render(twoLines(notComplete(floor.Printable(why), w), w))
		}
	}
	lines := s.Lines()
	cols := m.lineColumns(lines, w)
	var together string
	if o := s.Order; o.ShipTogether != "" {
		together = m.st.Muted.Render(ansi.Truncate(fmt.Sprintf("Ships together (%s)%s", floor.Printable(o.ShipTogether), openOthers(o.GroupOpen)), w, "…"))
	}
	head := m.orderHead(w)
	banner := m.holdBanner(w)
	carton := m.cartonLine(w)
	const table = 5 // the index of the lines in parts
	parts := []part{{Text: head, Keep: keepHead}, {Text: banner, Keep: keepAlert}, {Text: together, Keep: keepExtra},
		{Text: blank, Keep: keepExtra}, {Text: cols.header, Keep: keepDetail}, {Keep: keepMain}, {Text: blank, Keep: keepExtra},
		{Text: carton, Keep: keepMain}, {Text: prompt, Keep: keepPrompt}, {Text: help, Keep: keepDetail}}
	// The lines take as many rows as they can once asides are dropped:
	// all of them if that fits, else fewer with what is hidden counted.
	room := 1
	for n := len(lines); n > 1; n-- {
		parts[table].Text = blankRows(n)
		if ui.Fitting(h, parts)[table] {
			room = n
			break
		}
	}
	parts[table].Text = m.lineTable(lines, cols, room)
	return ui.Fit(h, parts...)
}

// twoLines wraps text to w cells, at most two lines, the second cut short.
// notComplete says what pack complete waits for, as guidance rather than
// a refusal (it shows from the tote's first scan, before anyone presses
// F5), leaving out its "Before F5 pack complete:" where that would push
// the reason past two lines: on a narrow screen the reason (and the way
// out at its end) matters more.
func notComplete(why string, w int) string {
	text := "Before F5 pack complete: " + why
	if len(ui.WrapIn(text, w, 2)) > 2 {
		return why
	}
	return text
}

func twoLines(text string, w int) string {
	lines := ui.WrapIn(text, w, 2)
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = ansi.Truncate(strings.TrimRight(lines[1], " "), w-1, "") + "…"
	}
	return strings.Join(lines, "\n")
}

func openOthers(open []string) string {
	if len(open) == 0 {
		return ""
	}
	return ": " + floor.Printable(strings.Join(open, ", ")) + " not packed yet"
}

func (m view) verifyPrompt() string {
	s := m.pack
	p := s.Pending
	line, _ := s.Line(p.Line)
	sku := floor.Printable(line.SKU)
	verified, picked := s.Progress()
	switch s.Step {
	case pack.StepQuantity:
		return fmt.Sprintf("Type how many units (1–%d), Enter, then scan the item once", picked-verified)
	case pack.StepConfirm:
		if p.Scanned {
			return fmt.Sprintf("Enter or CMD:OK confirms %d × %s · Esc cancels", p.Qty, sku)
		}
		return fmt.Sprintf("Enter or CMD:OK confirms %d units · Esc cancels", p.Qty)
	case pack.StepCount:
		return fmt.Sprintf("Scan the item once: it counts %d units", p.Qty)
	case pack.StepLot:
		return fmt.Sprintf("%s: scan or type the lot (picked: %s)", sku, lotsOf(line))
	case pack.StepSerial:
		return fmt.Sprintf("%s: scan or type the serial number", sku)
	}
	no := len(s.Cartons) + 1
	if c, ok := s.OpenCarton(); ok {
		no = c.No
	}
	switch {
	case picked > 0 && verified == picked:
		if ok, _ := s.CanComplete(); ok {
			return "Every unit is verified: F5 pack complete"
		}
		return "Everything picked is verified: F6 ship partial"
	}
	return fmt.Sprintf("Scan each unit into carton %d", no)
}

func lotsOf(l floor.PackLine) string {
	if len(l.Lots) == 0 {
		return "none recorded"
	}
	parts := make([]string, len(l.Lots))
	for i, lot := range l.Lots {
		parts[i] = fmt.Sprintf("%s ×%d", floor.Printable(lot.Lot), lot.Qty)
	}
	return strings.Join(parts, ", ")
}

// columns are the widths of the line table at one screen width.
type columns struct {
	desc       bool // room for the description and line number
	sku, qty   int
	descW      int
	header     string
	flagsWidth int
}

func (m view) lineColumns(lines []pack.LineStatus, w int) columns {
	c := columns{sku: 4, qty: 3, desc: w >= 60}
	for _, l := range lines {
		c.sku = max(c.sku, min(ansi.StringWidth(floor.Printable(l.SKU)), 14))
		c.qty = max(c.qty, len(qtyText(l)))
	}
	c.flagsWidth = 14
	if c.desc {
		// mark, line no, sku, description, qty, flags, with a space between
		// A description wider than 40 cells pushes the count too far
		// from the SKU to read across.
		c.descW = min(max(w-(1+1+3+1+c.sku+1+1+c.qty+2+c.flagsWidth), 8), 40)
		c.header = m.st.Label.Render(fmt.Sprintf("   LN %-*s %-*s %*s", c.sku, "SKU", c.descW, "DESCRIPTION", c.qty, "QTY"))
	} else {
		c.header = m.st.Label.Render(fmt.Sprintf("  %-*s %*s", c.sku, "SKU", c.qty, "QTY"))
	}
	return c
}

// qtyText is verified/picked, and "of ordered" when the pick was short.
func qtyText(l pack.LineStatus) string {
	t := fmt.Sprintf("%d/%d", l.Verified, l.Picked)
	if l.Picked != l.Ordered {
		t += fmt.Sprintf(" of %d", l.Ordered)
	}
	return t
}

// lineTable shows the lines in at most rows rows: all of them when they
// fit, else a window from the line being worked on, with what is hidden
// counted on the last row.
func (m view) lineTable(lines []pack.LineStatus, c columns, rows int) string {
	s := m.pack
	focus := -1
	for i, l := range lines {
		if s.Pending.Line != 0 && l.LineNo == s.Pending.Line || s.Pending.Line == 0 && focus < 0 && l.Verified < l.Picked {
			focus = i
		}
	}
	from, to, note := 0, len(lines), false
	if len(lines) > rows {
		show := rows - 1
		if note = show >= 1; !note {
			show = max(rows, 1)
		}
		from = max(0, min(focus-1, len(lines)-show))
		to = from + show
	}
	var out []string
	for i := from; i < to; i++ {
		out = append(out, m.lineRow(lines[i], c, i == focus && s.Pending.Line != 0))
	}
	if note {
		out = append(out, m.st.Muted.Render(fmt.Sprintf("  … %d more line(s): %d above, %d below", len(lines)-(to-from), from, len(lines)-to)))
	}
	return strings.Join(out, "\n")
}

func (m view) lineRow(l pack.LineStatus, c columns, current bool) string {
	mark := " "
	switch {
	case current:
		mark = m.st.Prompt.Render("▸")
	case l.Picked > 0 && l.Verified >= l.Picked:
		mark = m.st.Progress.Render("✔")
	}
	var flags []string
	if short := l.Ordered - l.Picked; short > 0 {
		flags = append(flags, m.st.WarnText.Render(fmt.Sprintf("SHORT %d", short)))
	}
	if l.LotControlled {
		flags = append(flags, m.st.Prompt.Render("LOT"))
	}
	if l.SerialControlled {
		flags = append(flags, m.st.Prompt.Render("SERIAL"))
	}
	if l.Hazmat {
		flags = append(flags, m.st.ErrorText.Render("HAZMAT"))
	}
	sku := ansi.Truncate(floor.Printable(l.SKU), c.sku, "…")
	qty := fmt.Sprintf("%*s", c.qty, qtyText(l))
	if l.Verified >= l.Picked && l.Picked > 0 {
		qty = m.st.Progress.Render(qty)
	} else {
		qty = m.st.Value.Render(qty)
	}
	var row string
	if c.desc {
		desc := ansi.Truncate(floor.Printable(l.Description), c.descW, "…")
		row = fmt.Sprintf("%s %3d %s %s %s  ", mark, l.LineNo, pad(sku, c.sku), pad(m.st.Muted.Render(desc), c.descW), qty)
	} else {
		row = fmt.Sprintf("%s %s %s ", mark, pad(sku, c.sku), qty)
	}
	return row + strings.Join(flags, " ")
}

// pad fills s with spaces to w cells (s may hold styles).
func pad(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s)))
}

// cartonLine is the open carton and how many are closed.
func (m view) cartonLine(w int) string {
	s := m.pack
	closed := 0
	for _, c := range s.Cartons {
		if c.Closed {
			closed++
		}
	}
	var left string
	if c, ok := s.OpenCarton(); ok {
		box := m.st.Muted.Render("no box yet")
		if b, ok := s.Box(c.Box); ok {
			box = m.st.Value.Render(floor.Printable(b.Code)) + " " + floor.Printable(b.Name)
		}
		left = m.st.Label.Render("CARTON ") + m.st.Value.Render(strconv.Itoa(c.No)) + " · " + box + " · " +
			m.st.Value.Render(units(c.Count()))
	} else {
		left = m.st.Label.Render("CARTON ") + m.st.Value.Render(strconv.Itoa(len(s.Cartons)+1)) + m.st.Muted.Render(" opens with the next scan")
	}
	right := ""
	if closed > 0 {
		right = m.st.Muted.Render(fmt.Sprintf("%d closed", closed))
	}
	return ui.Spread(left, right, w)
}

package tui

import (
	"fmt"
	"maps"
	"math"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo/hints"
	"github.com/totewms/tote/station/pack"
)

// packOutcome takes a packing bench's outcome: the new state, and what the
// screens keep beside it: the labels it printed (with the SSCC and
// tracking number only the station knows) and the codes it named at the
// order prompt, which the demo offers no more.
func (m *Model) packOutcome(o station.Outcome) {
	m.pack = o.Pack
	m.useHints(o.Named...)
	if len(o.Labels) > 0 {
		m.labels = o.Labels
	}
	m.feedback = o.Feedback
}

// useHints marks demo hints as used: the order is on the bench or was
// refused, so F12 offers the next one.
func (m *Model) useHints(codes ...string) {
	m.hintsUsed = maps.Clone(m.hintsUsed)
	if m.hintsUsed == nil {
		m.hintsUsed = map[string]bool{}
	}
	for _, c := range codes {
		if c != "" {
			m.hintsUsed[c] = true
		}
	}
}

// freshHints are the demo's pack hints not used yet this session.
func (m Model) freshHints() []string {
	var out []string
	for _, h := range m.opts.PackHints {
		if !m.hintsUsed[h] {
			out = append(out, h)
		}
	}
	return out
}

// openUnits is the open carton's unit count, and whether one is open.
func openUnits(s pack.State) (int, bool) {
	c, ok := s.OpenCarton()
	return c.Count(), ok
}

// --- screens -----------------------------------------------------------------

// packScreen draws the packing bench's current step.
func (m Model) packScreen(w, h int) string {
	switch m.pack.Step {
	case pack.StepLogin, pack.StepPIN, "":
		return m.loginScreen(w, h, m.pack.Step == pack.StepPIN, m.st.Muted.Render("Packing bench: a packer's badge"))
	case pack.StepOrder:
		return m.orderScreen(w, h)
	case pack.StepVerify, pack.StepQuantity, pack.StepConfirm, pack.StepCount, pack.StepLot, pack.StepSerial:
		return m.verifyScreen(w, h)
	case pack.StepSetAside:
		return m.setAsideScreen(w, h)
	case pack.StepPartial:
		return m.partialScreen(w, h)
	case pack.StepBox:
		return m.boxScreen(w, h)
	case pack.StepWeigh:
		return m.weighScreen(w, h)
	case pack.StepMismatch:
		return m.mismatchScreen(w, h)
	case pack.StepSupervisor, pack.StepSupervisorPIN, pack.StepReason:
		return m.supervisorScreen(w, h)
	case pack.StepHeld:
		return m.heldScreen(w, h)
	case pack.StepDone, pack.StepReprint, pack.StepReprintReason:
		return m.doneScreen(w, h)
	}
	return m.st.ErrorText.Render("Unknown step "+floor.Printable(string(m.pack.Step))) + "\n" +
		m.st.Prompt.Render("▶ Log out (F10) and in again") + "\n"
}

// part is a block of a screen. When the screen is short of rows, parts with
// the lowest keep go first (the last of equals first), so the prompt, which
// has the highest, is never dropped.
type part struct {
	text string
	keep int
}

// Keep levels, highest kept longest.
const (
	keepPrompt = 100 // what to do now: never dropped
	keepHead   = 90
	keepAlert  = 80 // a hold, a weight off
	keepMain   = 60
	keepDetail = 40
	keepExtra  = 20 // big letters, asides
)

// blank is an empty row of a screen; a part with no text is no part at all.
const blank = " "

// blankRows is n empty rows, "" for none.
func blankRows(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.TrimSuffix(strings.Repeat(blank+"\n", n), "\n")
}

// fit joins the parts that fit in h rows, in order.
func fit(h int, parts ...part) string {
	kept := fitting(h, parts)
	var out []string
	for i, p := range parts {
		if kept[i] {
			out = append(out, p.text)
		}
	}
	return strings.Join(out, "\n")
}

// fitting says which parts fit in h rows.
func fitting(h int, parts []part) []bool {
	kept := make([]bool, len(parts))
	rows := 0
	for i, p := range parts {
		if p.text != "" {
			kept[i] = true
			rows += lipgloss.Height(p.text)
		}
	}
	for rows > h {
		drop := -1
		for i, p := range parts {
			if kept[i] && p.keep < keepPrompt && (drop < 0 || p.keep <= parts[drop].keep) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		kept[drop] = false
		rows -= lipgloss.Height(parts[drop].text)
	}
	return kept
}

// prompt renders what the bench waits for, wrapped rather than cut: it is
// the one thing a packer must always read.
func (m Model) prompt(text string, w int) string {
	return m.st.Prompt.Width(w).Render("▶ " + text)
}

// big renders word in the block font, twice as wide when there is room, or
// "" when it fits neither way.
func big(word string, w int) string {
	if b := bigText(word, w, 2); b != "" {
		return b
	}
	return bigText(word, w, 1)
}

// orderHead is the order line at the top of the pack screens: id, customer,
// and the progress on the right when it fits.
func (m Model) orderHead(w int) string {
	o := m.pack.Order
	left := m.st.Label.Render("ORDER ") + m.st.Value.Render(floor.Printable(o.ID)) + " " + floor.Printable(o.Customer)
	verified, picked := m.pack.Progress()
	right := m.st.Muted.Render(fmt.Sprintf("%d of %d verified", verified, picked))
	if w >= 60 && o.Shipments > 0 {
		right = m.st.Muted.Render(fmt.Sprintf("shipment %d · ", o.Shipments+1)) + right
	}
	return spread(left, right, w)
}

// holdBanner is the order's standing as a block: held orders are verified
// but get no label, cancelled ones must not be packed at all.
func (m Model) holdBanner(w int) string {
	o := m.pack.Order
	switch {
	case o.Status == floor.OrderCancelled:
		return m.st.Error.Width(w).Render(ansi.Truncate(" CANCELLED: do not pack it. Take the goods to "+m.pack.Holding(), w, "…"))
	case len(o.Holds) > 0:
		return m.st.Warn.Width(w).Render(ansi.Truncate(" HOLD "+holdText(o.Holds)+": verify it, but no label prints", w, "…"))
	}
	return ""
}

func holdText(hs []floor.Hold) string {
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = h.Reason
		if h.Note != "" {
			parts[i] += " (" + h.Note + ")"
		}
	}
	return floor.Printable(strings.Join(parts, "; "))
}

func (m Model) orderScreen(w, h int) string {
	var last string
	if n := len(m.labels); n > 0 {
		l := m.labels[0]
		last = m.st.Muted.Render(fmt.Sprintf("Last: %s for %s, %s", floor.Printable(l.Shipment), floor.Printable(l.Customer), cartons(n)))
	}
	word := ""
	if b := big("SCAN ORDER", w); b != "" {
		word = m.st.Big.Render(b)
	}
	return fit(h,
		part{m.st.Title.Render("NEXT ORDER"), keepHead},
		part{blank, keepExtra},
		part{word, keepExtra},
		part{blank, keepExtra},
		part{m.prompt("Scan a tote, an order number or a pick ticket", w), keepPrompt},
		part{last, keepDetail},
	)
}

// verifyScreen is the order on the bench: its lines, the open carton, and
// the prompt of the step (verify, or a quantity, lot or serial over it).
func (m Model) verifyScreen(w, h int) string {
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
	parts := []part{{head, keepHead}, {banner, keepAlert}, {together, keepExtra}, {blank, keepExtra}, {cols.header, keepDetail},
		{"", keepMain}, {blank, keepExtra}, {carton, keepMain}, {prompt, keepPrompt}, {help, keepDetail}}
	// The lines take as many rows as they can once asides are dropped:
	// all of them if that fits, else fewer with what is hidden counted.
	room := 1
	for n := len(lines); n > 1; n-- {
		parts[table].text = blankRows(n)
		if fitting(h, parts)[table] {
			room = n
			break
		}
	}
	parts[table].text = m.lineTable(lines, cols, room)
	return fit(h, parts...)
}

// twoLines wraps text to w cells, at most two lines, the second cut short.
// notComplete says why pack complete is not there yet, leaving out its
// "Not complete:" where that would push the reason past two lines: on a
// narrow screen the reason (and the way out at its end) matters more.
func notComplete(why string, w int) string {
	text := "Not complete: " + why
	if len(wrapIn(text, w, 2)) > 2 {
		return why
	}
	return text
}

func twoLines(text string, w int) string {
	lines := wrapIn(text, w, 2)
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

func (m Model) verifyPrompt() string {
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

func (m Model) lineColumns(lines []pack.LineStatus, w int) columns {
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
func (m Model) lineTable(lines []pack.LineStatus, c columns, rows int) string {
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

func (m Model) lineRow(l pack.LineStatus, c columns, current bool) string {
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
func (m Model) cartonLine(w int) string {
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
	return spread(left, right, w)
}

func (m Model) setAsideScreen(w, h int) string {
	s := m.pack
	verified, _ := s.Progress()
	return fit(h,
		part{m.orderHead(w), keepHead},
		part{blank, keepExtra},
		part{m.st.Big.Render("PUT ASIDE?"), keepMain},
		part{lipgloss.NewStyle().Width(w).Render(fmt.Sprintf("Order %s goes back unpacked: what was verified (%s in %s) is forgotten. Unpack the cartons back into the tote.",
			floor.Printable(s.Order.ID), units(verified), cartons(len(s.Cartons)))), keepDetail},
		part{blank, keepExtra},
		part{m.prompt("Enter or CMD:OK puts it aside · Esc goes on packing", w), keepPrompt},
	)
}

// partialScreen asks before a partial shipment: what ships, what becomes
// a back order.
func (m Model) partialScreen(w, h int) string {
	s := m.pack
	verified, ordered := 0, 0
	var back []string
	for _, l := range s.Order.Lines {
		v := s.Verified(l.LineNo)
		verified += v
		ordered += l.Ordered
		if v < l.Ordered {
			back = append(back, fmt.Sprintf("%d × %s", l.Ordered-v, floor.Printable(l.SKU)))
		}
	}
	return fit(h,
		part{m.orderHead(w), keepHead},
		part{blank, keepExtra},
		part{m.st.Big.Render("SHIP PARTIAL?"), keepMain},
		part{lipgloss.NewStyle().Width(w).Render(fmt.Sprintf("%s of %d ship now in %s. Back order: %s.",
			units(verified), ordered, cartons(len(s.Cartons)), strings.Join(back, ", "))), keepDetail},
		part{blank, keepExtra},
		part{m.prompt("Enter, CMD:OK or F6 ships partial · Esc goes on packing", w), keepPrompt},
	)
}

func (m Model) boxScreen(w, h int) string {
	s := m.pack
	c, _ := s.OpenCarton()
	title := spread(m.st.Title.Render(fmt.Sprintf("CLOSE CARTON %d", c.No)), m.st.Muted.Render("order "+floor.Printable(s.Order.ID)), w)
	contents := m.st.Muted.Render(ansi.Truncate(contentsOf(s, c), w, "…"))
	suggested, err := s.Suggestion()
	var word, about, prompt string
	if err == nil {
		if b := big(suggested.Code, w); b != "" {
			word = m.st.Big.Render(b)
		}
		about = m.st.Label.Render("SUGGESTED ") + m.st.Value.Render(floor.Printable(suggested.Code)) + " " + floor.Printable(suggested.Name)
		if w >= 60 {
			about += m.st.Muted.Render(" " + boxSize(suggested))
		}
		prompt = fmt.Sprintf("Enter takes %s (%s), or scan another box", floor.Printable(suggested.Code), floor.Printable(suggested.Name))
	} else {
		about = m.st.WarnText.Width(w).Render("No suggestion: " + floor.Printable(err.Error()))
		prompt = "Scan the box you choose"
	}
	var boxes []string
	for _, b := range s.Rules.Boxes {
		row := fmt.Sprintf("  %-8s %-12s %s", floor.Printable(b.Code), floor.Printable(b.Name), boxSize(b))
		if w < 60 {
			row = fmt.Sprintf("  %-8s %s", floor.Printable(b.Code), floor.Printable(b.Name))
		}
		if err == nil && b.Code == suggested.Code {
			row = m.st.Value.Render(row + "  ◀")
		}
		boxes = append(boxes, ansi.Truncate(row, w, "…"))
	}
	return fit(h,
		part{title, keepHead},
		part{contents, keepDetail},
		part{word, keepExtra},
		part{about, keepMain},
		part{m.prompt(prompt, w), keepPrompt},
		part{m.st.Label.Render("BOXES"), keepDetail},
		part{strings.Join(boxes, "\n"), keepDetail},
	)
}

func boxSize(b pack.Box) string {
	return fmt.Sprintf("%d×%d×%d mm, %d g", b.LengthMM, b.WidthMM, b.HeightMM, b.TareG)
}

// contentsOf lists a carton's contents per SKU, e.g. "2 × MUG-RED, 1 × VIT-C".
func contentsOf(s pack.State, c pack.Carton) string {
	var skus []string
	qty := map[string]int{}
	for _, u := range c.Units {
		if qty[u.SKU] == 0 {
			skus = append(skus, u.SKU)
		}
		qty[u.SKU] += u.Qty
	}
	parts := make([]string, len(skus))
	for i, sku := range skus {
		parts[i] = fmt.Sprintf("%d × %s", qty[sku], floor.Printable(sku))
	}
	if len(parts) == 0 {
		return "empty"
	}
	return units(c.Count()) + ": " + strings.Join(parts, ", ")
}

// units says how many units, in words: "1 unit", "3 units".
func units(n int) string {
	if n == 1 {
		return "1 unit"
	}
	return strconv.Itoa(n) + " units"
}

// cartons says how many cartons: "1 carton", "2 cartons".
func cartons(n int) string {
	if n == 1 {
		return "1 carton"
	}
	return strconv.Itoa(n) + " cartons"
}

// weighing is what the weigh and mismatch screens know of the open carton.
type weighing struct {
	carton   pack.Carton
	box      pack.Box
	expected float64
	known    bool // every item's weight is on file, so the weight is checked
	tol      float64
}

func (m Model) weighing() weighing {
	s := m.pack
	c, _ := s.OpenCarton()
	b, _ := s.Box(c.Box)
	g, known := s.ExpectedWeight(c, b)
	return weighing{carton: c, box: b, expected: g, known: known, tol: s.Tolerance(g)}
}

func (m Model) expectedLine(wg weighing, w int) string {
	if !wg.known {
		return m.st.WarnText.Width(w).Render("EXPECTED unknown: an item has no weight on file, so the weight is recorded, not checked")
	}
	return m.st.Label.Render("EXPECTED ") + m.st.Value.Render(grams(wg.expected)) + " ± " + grams(wg.tol) +
		m.st.Muted.Render(fmt.Sprintf("  (%s to %s)", grams(max(wg.expected-wg.tol, 0)), grams(wg.expected+wg.tol)))
}

// scaleLine is the live reading, and how it compares with the expected
// weight, so the packer sees a wrong carton before the station says so.
func (m Model) scaleLine(wg weighing, w int) string {
	r := m.scale
	if r == nil {
		return m.st.Label.Render("SCALE ") + m.st.Muted.Render("no reading yet")
	}
	name := ""
	if r.Scale != "" && w >= 60 {
		name = floor.Printable(r.Scale) + " "
	}
	if r.Problem != "" {
		return m.st.Label.Render("SCALE ") + m.st.ErrorText.Render(ansi.Truncate(name+floor.Printable(r.Problem), max(w-6, 1), "…"))
	}
	line := m.st.Label.Render("SCALE ") + name + m.st.Value.Render(kilograms(r.Grams)) + " "
	if !r.Stable {
		return line + m.st.WarnText.Render("moving…")
	}
	if r.Note != "" {
		// Not the carton's weight: no verdict on it, or the packer waits
		// for a check that never comes.
		return line + m.st.WarnText.Render(ansi.Truncate(floor.Printable(r.Note), max(w-ansi.StringWidth(line), 1), "…"))
	}
	line += m.st.Progress.Render("stable")
	if wg.known {
		switch d := r.Grams - wg.expected; {
		case math.Abs(d) <= wg.tol:
			line += m.st.Progress.Render(" ✔ within")
		case d > 0:
			line += m.st.ErrorText.Render(" " + grams(d) + " over")
		default:
			line += m.st.ErrorText.Render(" " + grams(-d) + " under")
		}
	}
	return line
}

func (m Model) weighScreen(w, h int) string {
	s := m.pack
	wg := m.weighing()
	title := spread(m.st.Title.Render(fmt.Sprintf("WEIGH CARTON %d", wg.carton.No))+" "+m.st.Value.Render(floor.Printable(wg.box.Code))+" "+floor.Printable(wg.box.Name),
		m.st.Muted.Render("order "+floor.Printable(s.Order.ID)), w)
	var reading, word, prompt string
	if s.HasScale {
		reading = m.scaleLine(wg, w)
		if r := m.scale; r != nil && r.Problem == "" {
			if b := bigText(strings.ToUpper(kilograms(r.Grams)), w, 1); b != "" {
				style := m.st.Big
				if !r.Stable {
					style = m.st.Muted
				}
				word = style.Render(b)
			}
		}
		prompt = fmt.Sprintf("Put carton %d on the scale: the weight is taken when it settles", wg.carton.No)
	} else {
		reading = m.st.Label.Render("SCALE ") + m.st.Muted.Render("none on this bench: type the weight")
		prompt = fmt.Sprintf("Weigh carton %d and type the weight: 1250 (grams) or 1.25kg, then Enter", wg.carton.No)
	}
	return fit(h,
		part{title, keepHead},
		part{m.st.Muted.Render(ansi.Truncate(contentsOf(s, wg.carton), w, "…")), keepDetail},
		part{blank, keepExtra},
		part{m.expectedLine(wg, w), keepMain},
		part{reading, keepMain},
		part{word, keepExtra},
		part{blank, keepExtra},
		part{m.prompt(prompt, w), keepPrompt},
		part{m.st.Muted.Render("Esc keeps the carton open · a box scan changes the box"), keepDetail},
	)
}

func (m Model) mismatchScreen(w, h int) string {
	s := m.pack
	c, _ := s.OpenCarton()
	var word string
	if b := bigText("WEIGHT OFF", w, 1); b != "" {
		word = m.st.ErrorText.Render(b)
	}
	off := c.WeightG - c.ExpectedG
	dir := "over"
	if off < 0 {
		dir, off = "under", -off
	}
	facts := lipgloss.NewStyle().Width(w).Render(fmt.Sprintf("Carton %d weighs %s, expected %s ± %s: %s %s",
		c.No, grams(c.WeightG), grams(c.ExpectedG), grams(c.ToleranceG), grams(off), dir))
	how, again := "scale", "put it back on the scale"
	reading := m.scaleLine(weighing{carton: c, expected: c.ExpectedG, tol: c.ToleranceG, known: c.ExpectedG > 0}, w)
	if !s.HasScale {
		how, again, reading = "type", "type the weight again", ""
	}
	choice := func(k, what, why string) string {
		if w < 60 {
			return fmt.Sprintf("  %-6s %s", k, what)
		}
		return fmt.Sprintf("  %-6s %-13s %s", k, what, m.st.Muted.Render(why))
	}
	choices := strings.Join([]string{
		choice(how, "weigh again", again),
		choice("F7", "REOPEN", "take everything out, verify it again"),
		choice("F8", "OVERRIDE", "a supervisor accepts "+grams(c.WeightG)),
		choice("box", "another box", "scan it, then weigh again"),
		choice("Esc", "keep it open", "add or take out units"),
	}, "\n")
	return fit(h,
		part{m.st.Error.Width(w).Render(" WEIGHT OFF · carton " + strconv.Itoa(c.No) + " · order " + floor.Printable(s.Order.ID)), keepAlert},
		part{word, keepExtra},
		part{facts, keepHead},
		part{reading, keepDetail},
		part{choices, keepMain},
		part{m.prompt("Weigh again, F7 reopen, F8 override or scan another box", w), keepPrompt},
	)
}

func (m Model) supervisorScreen(w, h int) string {
	s := m.pack
	p := s.Pending
	var word string
	if b := bigText("SUPERVISOR", w, 1); b != "" {
		word = m.st.Big.Render(b)
	}
	var prompt string
	switch s.Step {
	case pack.StepSupervisor:
		prompt = "A supervisor scans their badge · Esc goes back"
	case pack.StepSupervisorPIN:
		prompt = "Supervisor " + floor.Printable(p.Badge) + ": type your PIN, Enter · Esc goes back"
	default:
		prompt = floor.Printable(p.SupervisorName) + ": type the reason (3 to 80 characters), Enter · Esc goes back"
	}
	return fit(h,
		part{m.orderHead(w), keepHead},
		part{blank, keepExtra},
		part{word, keepExtra},
		part{m.st.Title.Render("SUPERVISOR NEEDED") + " " + m.st.Muted.Render(purposeName(p.Purpose)), keepMain},
		part{lipgloss.NewStyle().Width(w).Render(m.st.Label.Render("WHY ") + m.purposeText()), keepMain},
		part{blank, keepExtra},
		part{m.prompt(prompt, w), keepPrompt},
	)
}

func purposeName(p pack.Purpose) string {
	switch p {
	case pack.PurposeWeight:
		return "to accept a weight"
	case pack.PurposeSplit:
		return "to split a ship-together group"
	case pack.PurposeVoid:
		return "to void a shipment"
	}
	return ""
}

// purposeText says in words what the supervisor is asked to allow.
func (m Model) purposeText() string {
	s := m.pack
	o := s.Order
	switch s.Pending.Purpose {
	case pack.PurposeWeight:
		c, _ := s.OpenCarton()
		return fmt.Sprintf("carton %d weighs %s, expected %s ± %s: ship it as weighed?", c.No, grams(c.WeightG), grams(c.ExpectedG), grams(c.ToleranceG))
	case pack.PurposeSplit:
		var parts []string
		if s.Finishing == pack.FinishPartial {
			parts = append(parts, "a partial shipment of "+floor.Printable(o.ID))
		}
		if len(o.GroupOpen) > 0 {
			parts = append(parts, floor.Printable(strings.Join(o.GroupOpen, ", "))+" not packed yet")
		}
		return fmt.Sprintf("order %s ships together with group %s: %s", floor.Printable(o.ID), floor.Printable(o.ShipTogether), strings.Join(parts, "; "))
	case pack.PurposeVoid:
		return fmt.Sprintf("void shipment %s (%s): its labels must come off", floor.Printable(s.Shipment), cartons(len(s.Cartons)))
	}
	return "nothing is waiting for a supervisor: Esc"
}

func (m Model) heldScreen(w, h int) string {
	s := m.pack
	o := s.Order
	word, reason := "HOLD", "ON HOLD: "+holdText(o.Holds)
	if o.Status == floor.OrderCancelled {
		word, reason = "CANCELLED", "CANCELLED by the office"
	}
	var bigWord string
	if b := big(word, w); b != "" {
		bigWord = m.st.ErrorText.Render(b)
	} else {
		bigWord = m.st.ErrorText.Render(word)
	}
	loc := s.Holding()
	var bigLoc string
	if b := bigText(loc, w, 1); b != "" {
		bigLoc = m.st.Big.Render(b)
	}
	verified, _ := s.Progress()
	help := ""
	if o.Status != floor.OrderCancelled {
		k := "F5"
		if s.Finishing == pack.FinishPartial {
			k = "F6"
		}
		help = m.st.Muted.Render("Hold lifted by the office? " + k + " tries the labels again")
	}
	return fit(h,
		part{m.orderHead(w), keepHead},
		part{bigWord, keepAlert},
		part{m.st.Error.Width(w).Render(ansi.Truncate(" NO LABEL · "+reason, w, "…")), keepMain},
		part{m.st.Label.Render("TAKE THE GOODS TO ") + m.st.Value.Render(loc) + m.st.Muted.Render("  "+cartons(len(s.Cartons))+", "+units(verified)), keepMain},
		part{bigLoc, keepExtra},
		part{m.prompt("Take the goods to "+loc+", then press Enter", w), keepPrompt},
		part{help, keepDetail},
	)
}

func (m Model) doneScreen(w, h int) string {
	s := m.pack
	var prompt string
	switch s.Step {
	case pack.StepReprint:
		prompt = fmt.Sprintf("Reprint which carton? Type 1 to %d, Enter · Esc cancels", len(s.Cartons))
	case pack.StepReprintReason:
		reasons := make([]string, len(pack.ReprintReasons))
		for i, r := range pack.ReprintReasons {
			reasons[i] = fmt.Sprintf("%d %s", i+1, r)
		}
		prompt = fmt.Sprintf("Why reprint carton %d? %s, or type it · Esc cancels", s.Pending.Carton, strings.Join(reasons, " · "))
	default:
		prompt = "Scan the next tote, order or pick ticket"
	}
	n, weight := 0, 0.0
	for _, c := range s.Cartons {
		n += c.Count()
		weight += c.WeightG
	}
	kind := "PACKED"
	if s.Partial {
		kind = "PACKED · PARTIAL"
	}
	title := spread(m.st.Title.Render(kind)+" "+m.st.Value.Render(floor.Printable(s.Shipment)), m.st.Muted.Render(floor.Printable(s.Order.Customer)), w)
	summary := m.st.Muted.Render(fmt.Sprintf("order %s · %s · %s · %s", floor.Printable(s.Order.ID), cartons(len(s.Cartons)), units(n), kilograms(weight)))
	table := m.labelTable(w)
	var help string
	if s.Step == pack.StepDone {
		keys := "F9 reprints a label"
		if !s.Shipped {
			keys += " · F11 voids the shipment (supervisor)"
		}
		help = m.st.Muted.Render(keys)
	}
	return fit(h,
		part{title, keepHead},
		part{summary, keepDetail},
		part{blank, keepExtra},
		part{table, keepMain},
		part{blank, keepExtra},
		part{m.prompt(prompt, w), keepPrompt},
		part{help, keepDetail},
	)
}

// labelTable lists the cartons of the shipment with the SSCC and tracking
// number of each label, as the station committed them.
func (m Model) labelTable(w int) string {
	s := m.pack
	n := len(s.Cartons)
	label := func(no int) (floor.PackLabelPayload, bool) {
		for _, l := range m.labels {
			if l.Shipment == s.Shipment && l.Carton == no {
				return l, true
			}
		}
		return floor.PackLabelPayload{}, false
	}
	var rows []string
	if w >= 60 {
		rows = append(rows, m.st.Label.Render(fmt.Sprintf("%-8s %-18s  %-20s %-7s %9s", "CARTON", "SSCC", "TRACKING", "BOX", "WEIGHT")))
	}
	missing := false
	for _, c := range s.Cartons {
		l, ok := label(c.No)
		sscc, tracking := orDash(l.SSCC), orDash(l.Tracking)
		if !ok {
			missing = true
		}
		hz := ""
		if l.Hazmat {
			hz = m.st.ErrorText.Render(" HAZMAT")
		}
		if w >= 60 {
			rows = append(rows, fmt.Sprintf("%-8s %-18s  %-20s %-7s %9s", fmt.Sprintf("%d of %d", c.No, n), sscc, tracking, floor.Printable(c.Box), grams(c.WeightG))+hz)
			continue
		}
		rows = append(rows, fmt.Sprintf("%d/%d %s", c.No, n, m.st.Value.Render(sscc))+hz)
		rows = append(rows, fmt.Sprintf("    %s %s", tracking, m.st.Muted.Render(grams(c.WeightG))))
	}
	if missing {
		rows = append(rows, m.st.Muted.Render("— labels asked for before this screen started: F9 reprints"))
	}
	return strings.Join(rows, "\n")
}

// cartonsPanel lists every carton of the order, for wide screens.
func (m Model) cartonsPanel(w int) string {
	s := m.pack
	var b strings.Builder
	b.WriteString(m.st.Title.Render("CARTONS") + "\n")
	if len(s.Cartons) == 0 {
		b.WriteString(m.st.Muted.Render("none yet: the first scan opens carton 1") + "\n")
	}
	for _, c := range s.Cartons {
		state := m.st.WarnText.Render("open")
		if c.Closed {
			state = m.st.Progress.Render("closed " + grams(c.WeightG))
			if c.Overridden {
				state += m.st.WarnText.Render(" override")
			}
		}
		box := c.Box
		if box == "" {
			box = "—"
		}
		b.WriteString(fmt.Sprintf("%d %-7s %-9s %s\n", c.No, floor.Printable(box), units(c.Count()), state))
		b.WriteString(m.st.Muted.Render(ansi.Truncate("  "+contentsOf(s, c), w, "…")) + "\n")
	}
	return b.String()
}

// packPanelText is the side panel of a packing bench: what to scan next,
// then every key and command barcode, the ones that do nothing now dimmed.
func (m Model) packPanelText(w int) string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("NEXT") + "\n")
	next, note := hints.Pack(m.pack, m.freshHints())
	switch {
	case m.pack.Step == pack.StepLogin && m.opts.Demo:
		b.WriteString("Type a badge, Enter:\n")
		for _, badge := range m.opts.Badges {
			b.WriteString("  " + m.st.Value.Render(floor.Printable(badge)) + "\n")
		}
	case next != "":
		b.WriteString("Type, then Enter:\n  " + m.st.Value.Render(floor.Printable(next)) + "\n")
	case note != "":
		// Wrapped, not cut: the note is the whole instruction.
		b.WriteString(ansi.Wordwrap(note, w, "") + "\n")
	}
	if m.pack.Step == pack.StepPIN || m.pack.Step == pack.StepSupervisorPIN {
		b.WriteString(m.demoPIN(m.pack.Pending.Badge))
	}
	if m.opts.Demo && next != "" {
		b.WriteString(m.st.Muted.Render("F12 scans it for you") + "\n")
	}
	b.WriteString("\n" + m.st.Title.Render("KEYS · BARCODES") + "\n")
	for _, c := range floor.PackCommands {
		k, works := "", true
		switch c.Command {
		case floor.CmdOK:
			k = "Enter"
		case floor.CmdHelp:
			k = m.keys.Help.Help().Key
		default:
			for _, bd := range m.keys.Pack {
				if bd.Command == c.Command {
					k, works = bd.Help().Key, bd.when(m.pack)
				}
			}
		}
		// The barcode names the command; the word is dropped before the
		// barcode is cut.
		row := fmt.Sprintf("%-6s%s", k, c.Command.Barcode())
		if w >= 27 {
			row = fmt.Sprintf("%-6s%-9s%s", k, describe(c.Command), c.Command.Barcode())
		}
		row = lipgloss.NewStyle().MaxWidth(w).Render(row)
		if !works {
			row = m.st.Muted.Render(row)
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}

// grams writes a weight the way the workflow's messages do: whole grams
// when whole, else one decimal.
func grams(g float64) string {
	if g == math.Trunc(g) {
		return strconv.FormatFloat(g, 'f', 0, 64) + " g"
	}
	return strconv.FormatFloat(g, 'f', 1, 64) + " g"
}

// kilograms is a scale's reading, to the gram.
func kilograms(g float64) string {
	return strconv.FormatFloat(g/1000, 'f', 3, 64) + " kg"
}

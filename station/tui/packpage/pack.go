package packpage

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
)

// --- screens -----------------------------------------------------------------

// packScreen draws the packing bench's current step.
func (m view) packScreen(w, h int) string {
	switch m.pack.Step {
	case pack.StepLogin, pack.StepPIN, "":
		return ui.LoginScreen(m.c, w, h, m.pack.Step == pack.StepPIN, m.st.Muted.Render("Packing bench: a packer's badge"))
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

// part is a block of a screen (ui.Fit drops the lowest keep first).
type part = ui.Part

// Keep levels, highest kept longest.
const (
	keepPrompt = ui.KeepPrompt // what to do now: never dropped
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

// prompt renders what the bench waits for, wrapped rather than cut: it is
// the one thing a packer must always read.
func (m view) prompt(text string, w int) string {
	return m.st.Prompt.Width(w).Render("▶ " + text)
}

// big renders word in the block font, twice as wide when there is room, or
// "" when it fits neither way.
func big(word string, w int) string {
	if b := ui.BigText(word, w, 2); b != "" {
		return b
	}
	return ui.BigText(word, w, 1)
}

// orderHead is the order line at the top of the pack screens: id, customer,
// and the progress on the right when it fits.
func (m view) orderHead(w int) string {
	o := m.pack.Order
	left := m.st.Label.Render("ORDER ") + m.st.Value.Render(floor.Printable(o.ID)) + " " + floor.Printable(o.Customer)
	verified, picked := m.pack.Progress()
	right := m.st.Muted.Render(fmt.Sprintf("%d of %d verified", verified, picked))
	if w >= 60 && o.Shipments > 0 {
		right = m.st.Muted.Render(fmt.Sprintf("shipment %d · ", o.Shipments+1)) + right
	}
	return ui.Spread(left, right, w)
}

// holdBanner is the order's standing as a block: held orders are verified
// but get no label, cancelled ones must not be packed at all.
func (m view) holdBanner(w int) string {
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

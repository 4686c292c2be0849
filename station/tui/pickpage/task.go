package pickpage

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/tui/ui"
)

// pickScreen shows the current task: the location big, then the item, the
// quantity, the tote and what to scan next.
func (m view) pickScreen(w, h int) string {
	s := m.state
	switch s.Step {
	case pick.StepDone:
		return m.centred("WAVE DONE", w, h, "Wave "+floor.Printable(s.Wave.ID)+" is picked. A new wave shows here when the office releases one. F10 or CMD:LOGOUT to log out."+m.demoWaveHint())
	case pick.StepNoWork:
		return m.centred("NO WORK", w, h, "No wave is waiting for this station: one shows here when the office releases it. F10 or CMD:LOGOUT to log out."+m.demoWaveHint())
	case pick.StepReturn:
		r, ok := s.PutBack()
		if !ok {
			break
		}
		return m.centred("RETURN TO STOCK", w, h, fmt.Sprintf("Order %s was cancelled. Put %d × %s from tote %s back at %s, then scan the location. Esc: later.",
			floor.Printable(r.Order), r.Qty, floor.Printable(r.SKU), floor.Printable(r.Tote), floor.Printable(r.Location)))
	case pick.StepCountLocation, pick.StepCountQty:
		c, ok := s.Counting()
		if !ok {
			break
		}
		what := "the units"
		if c.SKU != "" {
			what = "the units of " + floor.Printable(c.SKU)
		}
		next := "Go to " + floor.Printable(c.Location) + " and scan the location."
		if s.Step == pick.StepCountQty {
			next = "Count " + what + " at " + floor.Printable(c.Location) + ": type the number, then Enter (0 if none)."
		}
		return m.centred("COUNT "+floor.Printable(c.Location), w, h, "For the supervisor: "+floor.Printable(c.Reason)+". "+next+" Esc: later.")
	case pick.StepWaiting:
		return m.centred("ON HOLD", w, h, "Every task left is of an order on hold ("+floor.Printable(strings.Join(s.Held, ", "))+
			"). They come back when the office releases it. F10 or CMD:LOGOUT to log out.")
	}
	t, ok := s.Task()
	if !ok {
		return m.st.Muted.Render("No task")
	}
	done, total, unitsDone, units := s.Progress()
	pct := 0
	if units > 0 {
		pct = unitsDone * 100 / units
	}
	var b strings.Builder
	head := m.st.Title.Render("GO TO")
	pos := m.st.Muted.Render(fmt.Sprintf("task %d of %d · %d%%", done+1, total, pct))
	b.WriteString(ui.Spread(head, pos, w) + "\n")
	// Rows to spare make the location taller: 5 rows per font row step.
	big, tall := "", min(max((h-7)/5, 1), 3)
	location := floor.Printable(t.Location)
	for _, scale := range []int{2, 1} {
		if big = ui.BigTextTall(location, w, scale, tall); big != "" {
			break
		}
	}
	// The big location needs its rows plus five: the title, the item,
	// take/tote, the order and the prompt. A message that wraps takes a
	// row from the body, so count rows rather than guess.
	if big != "" && h >= lipgloss.Height(big)+5 {
		b.WriteString(m.st.Big.Render(big) + "\n")
	} else {
		b.WriteString(m.st.Big.Render(location) + "\n")
	}
	b.WriteString(m.st.Label.Render("ITEM  ") + m.st.Value.Render(floor.Printable(t.SKU)) + " " + m.st.Muted.Render(floor.Printable(t.Description)) + "\n")
	take := m.st.Label.Render("TAKE  ") + m.st.Value.Render(strconv.Itoa(t.Remaining()))
	if t.QtyPicked > 0 {
		take += m.st.Muted.Render(fmt.Sprintf(" (%d of %d picked)", t.QtyPicked, t.Qty))
	}
	tote := m.st.Label.Render("TOTE ") + m.st.Value.Render(ui.OrDash(s.Tote))
	b.WriteString(ui.Spread(take, tote, w) + "\n")
	order := m.st.Label.Render("ORDER ") + floor.Printable(t.OrderID)
	var flags []string
	if t.LotControlled {
		flags = append(flags, "LOT")
	}
	if t.SerialControlled {
		flags = append(flags, "SERIAL")
	}
	if t.Status == floor.TaskSkipped {
		flags = append(flags, "SKIPPED BEFORE")
	}
	if len(flags) > 0 {
		order += "  " + m.st.Prompt.Render(strings.Join(flags, " "))
	}
	b.WriteString(order + "\n")
	b.WriteString(m.st.Prompt.Render("▶ "+prompt(s, t)) + "\n")
	return b.String()
}

// prompt says what the workflow waits for, in words.
func prompt(s pick.State, t floor.PickTask) string {
	switch s.Step {
	case pick.StepTote:
		return "Scan a tote for " + floor.Printable(t.OrderID)
	case pick.StepLocation:
		return "Go to " + floor.Printable(t.Location) + " and scan the location"
	case pick.StepItem:
		return "Scan " + floor.Printable(t.SKU) + " (" + strconv.Itoa(t.Remaining()) + " to go)"
	case pick.StepQuantity:
		return "Type how many more (1–" + strconv.Itoa(t.Remaining()) + "), then Enter"
	case pick.StepConfirm:
		return "Enter or CMD:OK to confirm " + strconv.Itoa(s.Pending.Qty) + ", Esc to cancel"
	case pick.StepLot:
		return "Scan or type the lot number"
	case pick.StepSerial:
		return "Scan or type the serial number"
	case pick.StepShort:
		return "Why short? " + s.ReasonMenu(" · ")
	case pick.StepSupervisor:
		return "Release a tote: supervisor, scan your badge (Esc cancels)"
	case pick.StepSupervisorPIN:
		return "Supervisor: type your PIN, then Enter"
	case pick.StepReleaseTote:
		return "Supervisor: scan the tote to release"
	case pick.StepReleaseReason:
		return "Why is tote " + floor.Printable(s.Pending.Tote) + " empty? Type it, then Enter"
	}
	return ""
}

// demoWaveHint offers the demo's new wave where a wave is done.
func (m view) demoWaveHint() string {
	if m.opts.Demo && m.opts.DemoNewWave != nil {
		return "\n\nDemo: F12 asks the office for a new wave."
	}
	return ""
}

func (m view) centred(word string, w, h int, line string) string {
	return ui.Centred(m.c, word, w, h, line)
}

package packpage

// The pack page's supervisor screen: approval with a reason.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
)

func (m view) supervisorScreen(w, h int) string {
	s := m.pack
	p := s.Pending
	var word string
	if b := ui.BigText("SUPERVISOR", w, 1); b != "" {
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
	return ui.Fit(h,
		part{Text: m.orderHead(w), Keep: keepHead},
		part{Text: blank, Keep: keepExtra},
		part{Text: word, Keep: keepExtra},
		part{Text: m.st.Title.Render("SUPERVISOR NEEDED") + " " + m.st.Muted.Render(purposeName(p.Purpose)), Keep: keepMain},
		part{Text: lipgloss.NewStyle().Width(w).Render(m.st.Label.Render("WHY ") + m.purposeText()), Keep: keepMain},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.prompt(prompt, w), Keep: keepPrompt},
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
func (m view) purposeText() string {
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

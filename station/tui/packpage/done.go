package packpage

// The pack page's done screen: the shipment and its labels.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"strings"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
)

func (m view) doneScreen(w, h int) string {
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
	title := ui.Spread(m.st.Title.Render(kind)+" "+m.st.Value.Render(floor.Printable(s.Shipment)), m.st.Muted.Render(floor.Printable(s.Order.Customer)), w)
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
	return ui.Fit(h,
		part{Text: title, Keep: keepHead},
		part{Text: summary, Keep: keepDetail},
		part{Text: blank, Keep: keepExtra},
		part{Text: table, Keep: keepMain},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.prompt(prompt, w), Keep: keepPrompt},
		part{Text: help, Keep: keepDetail},
	)
}

// labelTable lists the cartons of the shipment with the SSCC and tracking
// number of each label, as the station committed them.
func (m view) labelTable(w int) string {
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
		sscc, tracking := ui.OrDash(l.SSCC), ui.OrDash(l.Tracking)
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

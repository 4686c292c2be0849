package packpage

// The pack page's weigh screen and the scale line it shares.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"math"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
)

// weighing is what the weigh and mismatch screens know of the open carton.
type weighing struct {
	carton   pack.Carton
	box      pack.Box
	expected float64
	known    bool // every item's weight is on file, so the weight is checked
	tol      float64
}

func (m view) weighing() weighing {
	s := m.pack
	c, _ := s.OpenCarton()
	b, _ := s.Box(c.Box)
	g, known := s.ExpectedWeight(c, b)
	return weighing{carton: c, box: b, expected: g, known: known, tol: s.Tolerance(g)}
}

func (m view) expectedLine(wg weighing, w int) string {
	if !wg.known {
		return m.st.WarnText.Width(w).Render("EXPECTED unknown: an item has no weight on file, so the weight is recorded, not checked")
	}
	return m.st.Label.Render("EXPECTED ") + m.st.Value.Render(grams(wg.expected)) + " ± " + grams(wg.tol) +
		m.st.Muted.Render(fmt.Sprintf("  (%s to %s)", grams(max(wg.expected-wg.tol, 0)), grams(wg.expected+wg.tol)))
}

// scaleLine is the live reading, and how it compares with the expected
// weight, so the packer sees a wrong carton before the station says so.
func (m view) scaleLine(wg weighing, w int) string {
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

func (m view) weighScreen(w, h int) string {
	s := m.pack
	wg := m.weighing()
	title := ui.Spread(m.st.Title.Render(fmt.Sprintf("WEIGH CARTON %d", wg.carton.No))+" "+m.st.Value.Render(floor.Printable(wg.box.Code))+" "+floor.Printable(wg.box.Name),
		m.st.Muted.Render("order "+floor.Printable(s.Order.ID)), w)
	var reading, word, prompt string
	if s.HasScale {
		reading = m.scaleLine(wg, w)
		if r := m.scale; r != nil && r.Problem == "" {
			if b := ui.BigText(strings.ToUpper(kilograms(r.Grams)), w, 1); b != "" {
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
	return ui.Fit(h,
		part{Text: title, Keep: keepHead},
		part{Text: m.st.Muted.Render(ansi.Truncate(contentsOf(s, wg.carton), w, "…")), Keep: keepDetail},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.expectedLine(wg, w), Keep: keepMain},
		part{Text: reading, Keep: keepMain},
		part{Text: word, Keep: keepExtra},
		part{Text: blank, Keep: keepExtra},
		part{Text: m.prompt(prompt, w), Keep: keepPrompt},
		part{Text: m.st.Muted.Render("Esc keeps the carton open · a box scan changes the box"), Keep: keepDetail},
	)
}

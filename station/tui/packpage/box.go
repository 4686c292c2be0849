package packpage

// The pack page's box screen: take the suggested box or scan another.

import (
	"github.com/totewms/tote/station/tui/ui"

	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
)

func (m view) boxScreen(w, h int) string {
	s := m.pack
	c, _ := s.OpenCarton()
	title := ui.Spread(m.st.Title.Render(fmt.Sprintf("CLOSE CARTON %d", c.No)), m.st.Muted.Render("order "+floor.Printable(s.Order.ID)), w)
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
	return ui.Fit(h,
		part{Text: title, Keep: keepHead},
		part{Text: contents, Keep: keepDetail},
		part{Text: word, Keep: keepExtra},
		part{Text: about, Keep: keepMain},
		part{Text: m.prompt(prompt, w), Keep: keepPrompt},
		part{Text: m.st.Label.Render("BOXES"), Keep: keepDetail},
		part{Text: strings.Join(boxes, "\n"), Keep: keepDetail},
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

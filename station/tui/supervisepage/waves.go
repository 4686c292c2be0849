package supervisepage

import (
	"fmt"
	"sort"
	"strings"
)

// The waves: every wave with its orders by state, picked and packed as
// bars, the ETA with its basis, and late orders.
func (b Board) waves(w int) []string {
	var out []string
	if len(b.Waves.Waves) == 0 {
		return []string{"", "No wave is active."}
	}
	barW := max(min(w/4, 30), 6)
	for i, p := range b.Waves.Waves {
		late := ""
		if p.Late > 0 {
			late = fmt.Sprintf(" · %d LATE", p.Late)
		}
		out = append(out, "", cursor(i == b.Cursor)+fmt.Sprintf("%s  %s%s", p.Wave, plural(p.Orders, "order"), late))
		out = append(out, fmt.Sprintf("  picked %s %d/%d %d%%", bar(p.Picked+p.Short, p.Units, barW), p.Picked, p.Units, pct(p.Picked+p.Short, p.Units)))
		out = append(out, fmt.Sprintf("  packed %s %d/%d %d%%", bar(p.Packed, p.Units, barW), p.Packed, p.Units, pct(p.Packed, p.Units)))
		eta := "ETA —"
		if p.ETA != nil {
			eta = "ETA " + p.ETA.UTC().Format("15:04")
		}
		out = append(out, fmt.Sprintf("  %s (%s)", eta, p.Basis))
		if w >= 60 {
			out = append(out, "  "+states(p.ByState)+fmt.Sprintf(" · units short %d · back orders %d", p.Short, p.BackOrders))
		}
	}
	return out
}

func states(m map[string]int) string {
	// The order-life states (docs/order-life.md), in the order an order
	// goes through them.
	order := []string{"released", "picking", "picked", "packing", "packed", "partially_shipped", "shipped",
		"back_ordered", "on_hold", "closed", "cancelled"}
	var parts []string
	for _, s := range order {
		if m[s] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", strings.ReplaceAll(s, "_", " "), m[s]))
		}
	}
	var rest []string
	for s, n := range m {
		if n > 0 && !contains(order, s) {
			rest = append(rest, fmt.Sprintf("%s %d", s, n))
		}
	}
	sort.Strings(rest)
	return strings.Join(append(parts, rest...), " · ")
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

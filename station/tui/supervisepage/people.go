package supervisepage

import "fmt"

// People, as the hub sorted them: who needs help first.
func (b Board) people(w int) []string {
	if len(b.Site.People) == 0 {
		return []string{"", "Nobody has worked yet."}
	}
	var out []string
	if w >= 80 {
		out = append(out, fmt.Sprintf("%-8s %-9s %7s %7s %7s %6s %-22s %s", "BADGE", "STATION", "UNITS/H", "LINES/H", "SHIFT/H", "MIS%", "DOING", "IDLE"))
	} else {
		out = append(out, fmt.Sprintf("%-7s %6s %5s %s", "BADGE", "UNIT/H", "MIS%", "IDLE"))
	}
	for _, p := range b.Site.People {
		idle := ago(secs(p.IdleSeconds))
		if w >= 80 {
			out = append(out, fmt.Sprintf("%-8s %-9s %7.0f %7.0f %7.0f %6.1f %-22s %s", p.Badge, p.Station, p.UnitsHour, p.LinesHour,
				p.UnitsShiftHour, p.MisScansPer100, clip(p.LastEvent, 22), idle))
		} else {
			out = append(out, fmt.Sprintf("%-7s %6.0f %5.1f %s", clip(p.Badge, 7), p.UnitsHour, p.MisScansPer100, idle))
		}
	}
	return out
}

package supervisepage

import "fmt"

// The site's health: each station's last push and pull, events applied
// and refused, and who was last seen there; by station.
func (b Board) health(w int) []string {
	var out []string
	if w >= 80 {
		out = append(out, fmt.Sprintf("%-10s %-10s %-10s %8s %8s %s", "STATION", "LAST PUSH", "LAST PULL", "EVENTS", "REFUSED", "OPERATOR"))
	}
	for _, s := range b.Site.Stations {
		push, pull := "never", "never"
		if s.LastPush != nil {
			push = ago(b.Now.Sub(*s.LastPush)) + " ago"
		}
		if s.LastPull != nil {
			pull = ago(b.Now.Sub(*s.LastPull)) + " ago"
		}
		if w >= 80 {
			out = append(out, fmt.Sprintf("%-10s %-10s %-10s %8d %8d %s", s.ID, push, pull, s.Events, s.Rejected, s.Operator))
		} else {
			out = append(out, fmt.Sprintf("%s push %s", s.ID, push))
		}
	}
	return out
}

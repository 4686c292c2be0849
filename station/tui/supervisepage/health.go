package supervisepage

import (
	"fmt"
	"strings"

	"github.com/totewms/tote/sync/protocol"
)

// The site's health: each station's last push and pull, events applied
// and refused, who was last seen there, and its devices as it reported
// them; a device not connected gets a line of its own. The hub sends the
// stations that need someone first (a printer out of labels, then any
// device down).
func (b Board) health(w int) []string {
	var out []string
	if w >= 80 {
		out = append(out, fmt.Sprintf("%-10s %-10s %-10s %8s %8s %-9s %s", "STATION", "LAST PUSH", "LAST PULL", "EVENTS", "REFUSED", "OPERATOR", "DEVICES"))
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
			out = append(out, fmt.Sprintf("%-10s %-10s %-10s %8d %8d %-9s %s", s.ID, push, pull, s.Events, s.Rejected, s.Operator, devicesSummary(s.Devices)))
		} else {
			out = append(out, fmt.Sprintf("%s push %s", s.ID, push))
		}
		for _, d := range s.Devices {
			if d.Status == "connected" {
				continue
			}
			what := d.Status
			if d.PaperOut {
				what = "OUT OF LABELS"
			} else if d.Reason != "" {
				what += ": " + d.Reason
			}
			out = append(out, fmt.Sprintf("  ✗ %s %s %s", d.Kind, d.Device, what))
		}
	}
	return out
}

// devicesSummary is a station's devices in a few words: how many are
// connected, or that it reported none.
func devicesSummary(ds []protocol.DeviceState) string {
	if len(ds) == 0 {
		return "—"
	}
	up := 0
	for _, d := range ds {
		if d.Status == "connected" {
			up++
		}
	}
	if up == len(ds) {
		return fmt.Sprintf("%d ok", up)
	}
	return strings.TrimSpace(fmt.Sprintf("%d of %d down", len(ds)-up, len(ds)))
}

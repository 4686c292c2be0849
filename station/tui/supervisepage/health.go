package supervisepage

import (
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/sync/protocol"
)

// The site's health: each station online or offline (from its last
// contact with the hub), the events waiting there and the oldest's age,
// its last push and pull, who is signed in, events applied and refused,
// and its devices as it reported them; a device not connected gets a line
// of its own. The hub sends the stations that need someone first (a
// printer out of labels, then any device down, then a station gone
// offline). The badges locked by wrong PINs follow, for the supervisor to
// lift.
func (b Board) health(w int) []string {
	var out []string
	switch {
	case w >= 120:
		out = append(out, "  "+fmt.Sprintf("%-10s %-7s %-12s %-8s %-8s %-9s %7s %7s  %s", "STATION", "STATE", "WAITING", "PUSH", "PULL", "SIGNED IN", "EVENTS", "REFUSED", "DEVICES"))
	case w >= 80:
		out = append(out, "  "+fmt.Sprintf("%-9s %-7s %-11s %-7s %-7s %-9s %s", "STATION", "STATE", "WAITING", "PUSH", "PULL", "SIGNED IN", "DEVICES"))
	}
	for i, s := range b.Site.Stations {
		mark := cursor(i == b.Cursor)
		push, pull := b.since(s.LastPush), b.since(s.LastPull)
		state := stationState(s)
		waiting := "none"
		if s.Waiting > 0 {
			waiting = fmt.Sprint(s.Waiting)
			if s.OldestWaiting != nil {
				waiting += " (" + ago(b.Now.Sub(*s.OldestWaiting)) + ")"
			}
		}
		who := s.SignedIn
		if who == "" {
			who = "—"
		}
		switch {
		case w >= 120:
			out = append(out, mark+fmt.Sprintf("%-10s %-7s %-12s %-8s %-8s %-9s %7d %7d  %s", s.ID, state, waiting, push, pull, who, s.Events, s.Rejected, devicesSummary(s.Devices)))
		case w >= 80:
			out = append(out, mark+fmt.Sprintf("%-9s %-7s %-11s %-7s %-7s %-9s %s", s.ID, state, waiting, push, pull, who, devicesSummary(s.Devices)))
		default:
			out = append(out, mark+fmt.Sprintf("%s %s push %s", s.ID, state, push))
			if s.Waiting > 0 || s.SignedIn != "" {
				out = append(out, fmt.Sprintf("    waiting %s · %s", waiting, who))
			}
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
			out = append(out, fmt.Sprintf("    ✗ %s %s %s", d.Kind, d.Device, what))
		}
	}
	if len(b.Site.Stations) > 0 && w >= 80 {
		out = append(out, fmt.Sprintf("OFFLINE: not heard from for over %s. WAITING: events not at the hub (oldest).", ago(protocol.OfflineAfter)))
	}
	if len(b.Site.BadgeLocks) > 0 {
		out = append(out, "", "LOCKED BADGES (wrong PINs)")
		for _, l := range b.Site.BadgeLocks {
			where := ""
			if l.Station != "" {
				where = " at " + l.Station
			}
			if w >= 80 {
				out = append(out, fmt.Sprintf("  %-9s %-16s locked %s ago%s, %d wrong PINs", l.Badge, l.Name, ago(b.Now.Sub(l.LockedAt)), where, l.Failures))
			} else {
				out = append(out, fmt.Sprintf("  %s locked %s%s", l.Badge, ago(b.Now.Sub(l.LockedAt)), where))
			}
		}
	}
	return out
}

// stationState is online, OFFLINE (shouting: it needs someone) or never
// when the hub has not heard from it yet.
func stationState(s protocol.StationState) string {
	switch {
	case s.LastContact == nil:
		return "never"
	case s.Online:
		return "online"
	}
	return "OFFLINE"
}

// since is how long ago t was, "never" when it was not.
func (b Board) since(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return ago(b.Now.Sub(*t)) + " ago"
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

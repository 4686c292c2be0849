package ui

// The status bar: the station, who is logged in, sync and the work.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/floor"
)

// Status is what the status bar says: the station, who is logged in, the
// bench's work (the page's Work, long and short), whether inputs are still
// saving, and sync as of now.
type Status struct {
	Station         string
	Operator        floor.Operator // zero when nobody is logged in
	Work, ShortWork string
	Saving          bool
	Sync            *SyncMsg // nil when the station does not sync
	Now             time.Time
}

// StatusBar keeps the station and the operator whatever the width: the
// right side says less (no pull time, no wave id, then only the sync word)
// before the left is ever cut.
func StatusBar(st *Styles, m Status, w int) string {
	left := " tote " + m.Station
	if op := m.Operator; op.Badge != "" {
		left += " · " + floor.Printable(op.Name)
	}
	work, shortWork := m.Work, m.ShortWork
	saving := ""
	if m.Saving {
		saving = "saving… "
	}
	var right string
	word := strings.TrimSuffix(m.syncWord(), " · ")
	for _, r := range []string{
		saving + m.syncText(true) + work,
		saving + m.syncText(false) + work,
		saving + m.syncText(false) + shortWork,
		saving + strings.TrimSpace(word+" "+shortWork) + " ",
		strings.TrimSpace(word+" "+shortWork) + " ",
		strings.TrimSpace(word + " " + shortWork), // to the edge
		word + " ",
	} {
		if strings.HasSuffix(r, " · ") { // nothing after the sync part
			r = strings.TrimSuffix(r, " · ") + " "
		}
		right = r
		if lipgloss.Width(left)+1+lipgloss.Width(r) <= w {
			break
		}
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		left = ansi.Truncate(left, max(0, w-lipgloss.Width(right)-1), "…")
		gap = max(1, w-lipgloss.Width(left)-lipgloss.Width(right))
	}
	return st.Bar.Width(w).MaxWidth(w).Render(ansi.Truncate(left+strings.Repeat(" ", gap)+right, w, ""))
}

// syncText is the status bar's sync part, e.g. "online 0↑ pulled 09:12",
// "OFFLINE 2m 10s · 42↑" (ticking), "online 5↑ oldest 3m"; full adds the
// time of the last pull.
func (m Status) syncText(full bool) string {
	y := m.Sync
	if y == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(m.syncWord(), " · "))
	if a := m.offlineFor(); a > 0 {
		b.WriteString(" " + age(a) + " ·")
	}
	b.WriteString(" " + strconv.Itoa(y.Waiting) + "↑")
	if y.Online && y.Waiting > 0 && y.OldestWaiting >= time.Minute {
		b.WriteString(" oldest " + age(y.OldestWaiting))
	}
	if full && !y.LastPull.IsZero() {
		b.WriteString(" pulled " + y.LastPull.Local().Format("15:04"))
	}
	return b.String() + " · "
}

// syncWord is the sync state in one word, "" when the station does not sync.
func (m Status) syncWord() string {
	switch y := m.Sync; {
	case y == nil:
		return ""
	case y.Failing == "build":
		return "UPDATE TOTE · "
	case y.Failing == "quota":
		return "HUB QUOTA FULL · "
	case y.Stopped:
		return "SYNC STOPPED · "
	case y.Failing == "hub":
		return "HUB FAILING · "
	case y.Failing == "store":
		return "STORE FAILING · "
	case y.Online:
		return "online · "
	}
	return "OFFLINE · "
}

// offlineFor is how long the station has not heard from the hub, zero
// when online or not known.
func (m Status) offlineFor() time.Duration {
	y := m.Sync
	if y == nil || y.Online || y.Stopped || y.OfflineSince.IsZero() || m.Now.IsZero() {
		return 0
	}
	return max(m.Now.Sub(y.OfflineSince), 0)
}

// age says a duration the way a person reads it: 40s, 3m 05s, 2h 10m.
func age(d time.Duration) string {
	d = d.Truncate(time.Second)
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d.Seconds())) + "s"
	case d < time.Hour:
		return fmt.Sprintf("%dm %02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
}

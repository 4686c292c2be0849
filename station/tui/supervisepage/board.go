// Package supervisepage draws the supervisor's screens from the hub's
// figures (sync/protocol's WavesView, WaveDetail and SiteView): waves with
// progress, rate and ETA; one wave's orders; people; exceptions; the site's
// health. A Board is what the screens show; Screen draws it in w×h, the
// same input giving the same text (golden tests at 120×40, 80×24, 40×16).
//
// The page (page.go) is the supervisor bench's (station/supervisebench):
// it registers for station.BenchSupervise and makes a Board from the
// bench's supervise.State at each outcome.
package supervisepage

import (
	"fmt"
	"strings"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// View is which screen the board shows.
type View int

// The screens.
const (
	ViewWaves View = iota
	ViewWave       // one wave's orders
	ViewPeople
	ViewExceptions
	ViewHealth
	ViewOrder // one order's lines and story
)

// Key is one key of a screen with the command barcode that does the same.
type Key struct {
	Key, Barcode, What string
}

// Keys are each screen's keys and command barcodes. Letters are never
// keys: a wedge scanner types a command barcode's letters on the scan
// line.
var Keys = map[View][]Key{
	ViewWaves:      {{"↑↓", "", "choose"}, {"Enter", "CMD:SUP-OPEN", "orders"}, {"F7", "CMD:SUP-REASSIGN", "reassign"}, {"F3", "CMD:SUP-PEOPLE", "people"}, {"F4", "CMD:SUP-EXCEPTIONS", "exceptions"}, {"F5", "CMD:SUP-HEALTH", "health"}},
	ViewWave:       {{"↑↓", "", "choose"}, {"Enter", "CMD:SUP-OPEN", "story"}, {"F7", "CMD:SUP-REASSIGN", "reassign"}, {"Esc", "CMD:SUP-BACK", "waves"}},
	ViewOrder:      {{"Esc", "CMD:SUP-BACK", "orders"}, {"F2", "CMD:SUP-WAVES", "waves"}},
	ViewPeople:     {{"F2", "CMD:SUP-WAVES", "waves"}, {"F4", "CMD:SUP-EXCEPTIONS", "exceptions"}, {"F5", "CMD:SUP-HEALTH", "health"}},
	ViewExceptions: {{"↑↓", "", "choose"}, {"F6", "CMD:SUP-RESOLVE", "resolve"}, {"F2", "CMD:SUP-WAVES", "waves"}, {"F3", "CMD:SUP-PEOPLE", "people"}},
	ViewHealth:     {{"↑↓", "", "choose"}, {"F7", "CMD:SUP-REASSIGN", "reassign"}, {"F2", "CMD:SUP-WAVES", "waves"}, {"F3", "CMD:SUP-PEOPLE", "people"}, {"F4", "CMD:SUP-EXCEPTIONS", "exceptions"}},
}

// Board is what the supervisor's screens show.
type Board struct {
	View  View
	Waves protocol.WavesView
	Wave  protocol.WaveDetail
	Site  protocol.SiteView
	// Story is the open order's lines and story (ViewOrder).
	Story protocol.OrderStory
	// Opened is the wave or order the supervisor opened (ViewWave,
	// ViewOrder), named while its figures are not here yet.
	Opened string
	Cursor int
	// AsOf is when the figures were fetched; Online is false when the
	// hub cannot be reached (the screens say the figures are old).
	AsOf   time.Time
	Online bool
	Now    time.Time
	// Resolve is the resolution under way on the exceptions, or a wave's
	// reassignment from the waves or health screens (nil: none).
	Resolve *Resolve
}

// Resolve is a resolution under way: the exception, the actions that
// fit it with the chosen one, the action taken and what is asked now.
type Resolve struct {
	Exception protocol.Conflict
	Actions   []string
	Cursor    int
	Action    string // "" while choosing
	Target    string // the location or cart the action needs
	Ask       string
}

// resolveKeys are the exceptions screen's keys while resolving.
var resolveKeys = map[bool][]Key{
	true:  {{"↑↓", "", "choose"}, {"Enter", "CMD:SUP-RESOLVE", "take"}, {"Esc", "CMD:SUP-BACK", "back"}},
	false: {{"Enter", "", "send"}, {"Esc", "CMD:SUP-BACK", "other action"}},
}

// Screen draws the board's view in w×h: a title line, the view, the keys.
func (b Board) Screen(w, h int) string {
	var body []string
	title := map[View]string{ViewWaves: "WAVES", ViewWave: "WAVE " + b.Wave.Progress.Wave, ViewPeople: "PEOPLE",
		ViewExceptions: "EXCEPTIONS", ViewHealth: "SITE HEALTH", ViewOrder: "ORDER " + b.Story.Order}[b.View]
	switch b.View {
	case ViewWaves:
		body = b.waves(w)
	case ViewWave:
		body = b.orders(w)
	case ViewPeople:
		body = b.people(w)
	case ViewExceptions:
		body = b.exceptions(w)
		if b.Resolve != nil {
			title, body = "RESOLVE "+ExceptionRef(b.Resolve.Exception), b.resolving(w)
		}
	case ViewHealth:
		body = b.health(w)
	case ViewOrder:
		body = b.story(w)
	}
	if b.Resolve != nil && b.Resolve.Exception.ID == 0 && b.Resolve.Action == floor.ResolveReassignWave {
		title, body = "REASSIGN WAVE "+b.Resolve.Exception.Detail.Wave, b.reassigning(w)
	}
	if missing := b.missing(); missing != "" {
		title, body = missing, []string{"", b.notHere()}
	}
	head := spread(title, b.asOf(), w)
	keys := b.keys(w)
	room := max(h-1-len(keys), 0)
	if len(body) > room {
		body = append(body[:max(room-1, 0)], clip(fmt.Sprintf("… %d more", len(body)-room+1), w))
	}
	lines := append([]string{head}, body...)
	for len(lines) < h-len(keys) {
		lines = append(lines, "")
	}
	lines = append(lines, keys...)
	for i := range lines {
		lines[i] = pad(clip(lines[i], w), w)
	}
	return strings.Join(lines[:min(len(lines), h)], "\n")
}

// missing is the title of a wave or order opened whose figures the
// station does not have (yet): "" when it has them.
func (b Board) missing() string {
	switch {
	case b.View == ViewWave && b.Opened != "" && b.Wave.Progress.Wave != b.Opened:
		return "WAVE " + b.Opened
	case b.View == ViewOrder && b.Opened != "" && b.Story.Order != b.Opened:
		return "ORDER " + b.Opened
	}
	return ""
}

func (b Board) notHere() string {
	if b.Online {
		return "Fetching from the office…"
	}
	return "Not fetched yet, and the office is out of reach: Esc to go back"
}

func (b Board) asOf() string {
	if b.AsOf.IsZero() {
		return "OFFLINE · no figures from the office yet"
	}
	at := b.AsOf.UTC().Format("15:04:05")
	if !b.Online {
		return fmt.Sprintf("OFFLINE · as of %s (%s ago)", at, ago(b.Now.Sub(b.AsOf)))
	}
	return "as of " + at
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// keys is the help line: keys with their barcodes where wide enough.
func (b Board) keys(w int) []string {
	var parts []string
	ks := Keys[b.View]
	if b.Resolve != nil {
		ks = resolveKeys[b.Resolve.Action == ""]
		if b.Resolve.Exception.ID == 0 && b.Resolve.Action == floor.ResolveReassignWave {
			ks = []Key{{"Enter", "", "send"}, {"Esc", "CMD:SUP-BACK", "cancel"}}
		}
	}
	for _, k := range ks {
		s := k.Key + " " + k.What
		if w >= 100 && k.Barcode != "" {
			s += " (" + k.Barcode + ")"
		}
		parts = append(parts, s)
	}
	line := strings.Join(parts, " · ")
	if len([]rune(line)) <= w {
		return []string{line}
	}
	// Narrow: two lines of keys, no barcodes.
	half := (len(parts) + 1) / 2
	return []string{strings.Join(parts[:half], " · "), strings.Join(parts[half:], " · ")}
}

// bar is a progress bar of n of total in w cells.
func bar(n, total, w int) string {
	if w <= 0 {
		return ""
	}
	full := 0
	if total > 0 {
		full = min(n*w/total, w)
	}
	return strings.Repeat("█", full) + strings.Repeat("░", w-full)
}

func pct(n, total int) int {
	if total == 0 {
		return 0
	}
	return n * 100 / total
}

func clip(s string, w int) string {
	r := []rune(s)
	if len(r) <= w {
		return s
	}
	if w <= 1 {
		return string(r[:w])
	}
	return string(r[:w-1]) + "…"
}

func pad(s string, w int) string {
	if n := len([]rune(s)); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}

// spread puts a left and right text on one line of w, the right one
// dropped when they do not fit.
func spread(l, r string, w int) string {
	gap := w - len([]rune(l)) - len([]rune(r))
	if gap < 1 {
		if len([]rune(l))+1 < w {
			return l + " " + clip(r, w-len([]rune(l))-1)
		}
		return clip(l, w)
	}
	return l + strings.Repeat(" ", gap) + r
}

func cursor(on bool) string {
	if on {
		return "▶ "
	}
	return "  "
}

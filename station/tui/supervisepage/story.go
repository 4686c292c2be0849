package supervisepage

import (
	"fmt"
	"strings"
)

// One order: its lines (ordered, picked, short), then its story, every
// event from every station in the order it happened on the floor: when,
// where, who, what, and what the office said when it refused one.
func (b Board) story(w int) []string {
	s := b.Story
	head := fmt.Sprintf("%s · %s", orDash(s.Status), plural(len(s.Lines), "line"))
	if s.Wave != "" {
		head += " · wave " + s.Wave
	}
	out := []string{head, ""}
	if w >= 60 {
		out = append(out, fmt.Sprintf("  %-5s %-20s %7s %7s %6s", "LINE", "SKU", "ORDERED", "PICKED", "SHORT"))
	}
	for _, l := range s.Lines {
		if w >= 60 {
			out = append(out, fmt.Sprintf("  %-5d %-20s %7d %7d %6d", l.Line, clip(l.SKU, 20), l.Ordered, l.Picked, l.Short))
		} else {
			out = append(out, fmt.Sprintf("%d %s %d/%d", l.Line, clip(l.SKU, 14), l.Picked, l.Ordered))
		}
	}
	out = append(out, "", "STORY")
	if len(s.Events) == 0 {
		return append(out, "Nothing has happened to this order on the floor yet.")
	}
	if s.More {
		out = append(out, "(the oldest events are left out)")
	}
	for _, e := range s.Events {
		what := e.Type
		if e.What != "" {
			what += ": " + e.What
		}
		if e.Status == "rejected" {
			what += " · REFUSED: " + e.Reason
		}
		var line string
		switch {
		case w >= 100:
			line = fmt.Sprintf("%s  %-9s %-7s %s", e.At.UTC().Format("15:04:05"), clip(e.Station, 9), clip(e.Operator, 7), what)
		case w >= 60:
			line = fmt.Sprintf("%s %-8s %-6s %s", e.At.UTC().Format("15:04"), clip(e.Station, 8), clip(e.Operator, 6), what)
		default: // narrow: a refusal first, the type without its bench
			short := e.Type[strings.Index(e.Type, ".")+1:]
			if e.What != "" {
				short += ": " + e.What
			}
			if e.Status == "rejected" {
				short = "REFUSED " + short
			}
			line = fmt.Sprintf("%s %s %s", e.At.UTC().Format("15:04"), clip(e.Station, 8), short)
		}
		out = append(out, line)
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

package ui

import "strings"

// glyphs is a 5-row block font for location codes (and a scale's reading),
// so they can be read from a step away. Each glyph is 3 cells wide; unknown
// runes are blank.
var glyphs = map[rune][5]string{
	'0': {"███", "█ █", "█ █", "█ █", "███"}, '1': {" █ ", "██ ", " █ ", " █ ", "███"},
	'2': {"███", "  █", "███", "█  ", "███"}, '3': {"███", "  █", " ██", "  █", "███"},
	'4': {"█ █", "█ █", "███", "  █", "  █"}, '5': {"███", "█  ", "███", "  █", "███"},
	'6': {"███", "█  ", "███", "█ █", "███"}, '7': {"███", "  █", " █ ", " █ ", " █ "},
	'8': {"███", "█ █", "███", "█ █", "███"}, '9': {"███", "█ █", "███", "  █", "███"},
	'A': {"███", "█ █", "███", "█ █", "█ █"}, 'B': {"██ ", "█ █", "██ ", "█ █", "██ "},
	'C': {"███", "█  ", "█  ", "█  ", "███"}, 'D': {"██ ", "█ █", "█ █", "█ █", "██ "},
	'E': {"███", "█  ", "██ ", "█  ", "███"}, 'F': {"███", "█  ", "██ ", "█  ", "█  "},
	'G': {"███", "█  ", "█ █", "█ █", "███"}, 'H': {"█ █", "█ █", "███", "█ █", "█ █"},
	'I': {"███", " █ ", " █ ", " █ ", "███"}, 'J': {"  █", "  █", "  █", "█ █", "███"},
	'K': {"█ █", "█ █", "██ ", "█ █", "█ █"}, 'L': {"█  ", "█  ", "█  ", "█  ", "███"},
	'M': {"█ █", "███", "███", "█ █", "█ █"}, 'N': {"██ ", "█ █", "█ █", "█ █", "█ █"},
	'O': {"███", "█ █", "█ █", "█ █", "███"}, 'P': {"███", "█ █", "███", "█  ", "█  "},
	'Q': {"███", "█ █", "█ █", "███", "  █"}, 'R': {"███", "█ █", "██ ", "█ █", "█ █"},
	'S': {"███", "█  ", "███", "  █", "███"}, 'T': {"███", " █ ", " █ ", " █ ", " █ "},
	'U': {"█ █", "█ █", "█ █", "█ █", "███"}, 'V': {"█ █", "█ █", "█ █", "█ █", " █ "},
	'W': {"█ █", "█ █", "███", "███", "█ █"}, 'X': {"█ █", "█ █", " █ ", "█ █", "█ █"},
	'Y': {"█ █", "█ █", "███", " █ ", " █ "}, 'Z': {"███", "  █", " █ ", "█  ", "███"},
	'-': {"   ", "   ", "███", "   ", "   "}, '.': {"   ", "   ", "   ", "   ", " █ "},
}

// BigText renders s in the block font at the given scale (1 or 2 cells per
// font pixel across), and returns "" when it would not fit in width.
func BigText(s string, width, scale int) string { return BigTextTall(s, width, scale, 1) }

// BigTextTall is bigText with each font row repeated tall times, for screens
// with rows to spare.
func BigTextTall(s string, width, scale, tall int) string {
	s = strings.ToUpper(s)
	cols := len([]rune(s))*(3*scale+1) - 1
	if cols > width || scale < 1 {
		return ""
	}
	var rows [5]strings.Builder
	for i, r := range s {
		g, ok := glyphs[r]
		if !ok {
			g = [5]string{"   ", "   ", "   ", "   ", "   "}
		}
		for row := range rows {
			if i > 0 {
				rows[row].WriteByte(' ')
			}
			for _, c := range g[row] {
				for range scale {
					rows[row].WriteRune(c)
				}
			}
		}
	}
	var lines []string
	for i := range rows {
		for range max(tall, 1) {
			lines = append(lines, strings.TrimRight(rows[i].String(), " "))
		}
	}
	return strings.Join(lines, "\n")
}

package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// WrapWords breaks plain text into lines of at most w cells, at spaces only.
// lipgloss and ansi.Wrap also break after every hyphen, which splits the
// floor's codes (A-01-02-5, ORD-100001, a demo folder's path) across two
// lines, where a picker reads them wrong. Only a word wider than the whole
// line is cut, wherever it must be. A line's leading spaces (the message
// line's indent) are kept.
func WrapWords(text string, w int) []string {
	if w < 1 {
		w = 1
	}
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		indent := para[:len(para)-len(strings.TrimLeft(para, " "))]
		if len(indent) >= w {
			indent = ""
		}
		cur, curW, empty := indent, len(indent), true
		for _, word := range strings.Fields(para) {
			ww := ansi.StringWidth(word)
			switch {
			case empty:
				cur, curW = cur+word, curW+ww
			case curW+1+ww <= w:
				cur, curW = cur+" "+word, curW+1+ww
			default:
				lines = append(lines, cur)
				cur, curW = word, ww
			}
			empty = false
			for curW > w {
				head := ansi.Truncate(cur, w, "")
				if head == "" { // one grapheme wider than the line: let it stand
					break
				}
				lines = append(lines, head)
				cur = strings.TrimPrefix(cur, head)
				curW = ansi.StringWidth(cur)
			}
		}
		lines = append(lines, cur)
	}
	return lines
}

// WrapIn wraps text for a place that shows at most n lines. It breaks at
// spaces; only when that needs more than n lines, and breaking after hyphens
// too shows more of the text in those n lines, it does that instead: the end
// of a message (the location goods go back to, say) on screen matters more
// than a code kept whole.
func WrapIn(text string, w, n int) []string {
	lines := WrapWords(text, w)
	if len(lines) <= n {
		return lines
	}
	hy := strings.Split(lipgloss.NewStyle().Width(w).Render(text), "\n")
	for i := range hy {
		hy[i] = strings.TrimRight(hy[i], " ")
	}
	if shown(hy, n) > shown(lines, n) {
		return hy
	}
	return lines
}

// shown counts the cells of text, spaces left out, in the first n lines.
func shown(lines []string, n int) int {
	c := 0
	for _, l := range lines[:min(n, len(lines))] {
		c += ansi.StringWidth(strings.ReplaceAll(l, " ", ""))
	}
	return c
}

package main

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// screen is a small VT100-style emulator: enough of the control sequences a
// Bubble Tea renderer sends (cursor moves, erases, scroll regions, repeats)
// to know what a person would see on the terminal. Colours are ignored.
type screen struct {
	rows, cols int
	cells      [][]string
	x, y       int
	top, bot   int // scroll region, inclusive
	savedX     int
	savedY     int
	last       string
}

func newScreen(rows, cols int) *screen {
	s := &screen{rows: rows, cols: cols}
	s.reset()
	return s
}

func (s *screen) reset() {
	s.cells = make([][]string, s.rows)
	for i := range s.cells {
		s.cells[i] = blankRow(s.cols)
	}
	s.x, s.y, s.top, s.bot = 0, 0, 0, s.rows-1
}

func blankRow(n int) []string {
	r := make([]string, n)
	for i := range r {
		r[i] = " "
	}
	return r
}

// feed interprets a whole output stream from the start.
func (s *screen) feed(out []byte) {
	p := ansi.NewParser()
	var state byte
	for len(out) > 0 {
		seq, width, n, st := ansi.DecodeSequence(out, state, p)
		state = st
		if n == 0 {
			break
		}
		out = out[n:]
		s.apply(seq, width, p)
	}
}

// apply acts on one decoded sequence or character.
func (s *screen) apply(seq []byte, width int, p *ansi.Parser) {
	switch {
	case width > 0:
		s.put(string(seq), width)
	case len(seq) == 1:
		s.control(seq[0])
	case len(seq) > 1 && seq[0] == 0x1b && seq[1] == '[':
		s.csi(p)
	case len(seq) == 2 && seq[0] == 0x1b:
		s.esc(seq[1])
	}
}

func (s *screen) put(g string, w int) {
	if s.x+w > s.cols {
		s.x = 0
		s.lineFeed()
	}
	s.cells[s.y][s.x] = g
	for i := 1; i < w && s.x+i < s.cols; i++ {
		s.cells[s.y][s.x+i] = ""
	}
	s.x += w
	s.last = g
}

func (s *screen) control(c byte) {
	switch c {
	case '\r':
		s.x = 0
	case '\n', '\v', '\f':
		s.lineFeed()
	case '\b':
		s.x = max(0, s.x-1)
	case '\t':
		s.x = min(s.cols-1, (s.x/8+1)*8)
	}
}

func (s *screen) lineFeed() {
	if s.y == s.bot {
		s.scrollUp(1)
		return
	}
	s.y = min(s.rows-1, s.y+1)
}

func (s *screen) scrollUp(n int) {
	for range n {
		copy(s.cells[s.top:s.bot], s.cells[s.top+1:s.bot+1])
		s.cells[s.bot] = blankRow(s.cols)
	}
}

func (s *screen) scrollDown(n int) {
	for range n {
		copy(s.cells[s.top+1:s.bot+1], s.cells[s.top:s.bot])
		s.cells[s.top] = blankRow(s.cols)
	}
}

func (s *screen) esc(c byte) {
	switch c {
	case '7':
		s.savedX, s.savedY = s.x, s.y
	case '8':
		s.x, s.y = s.savedX, s.savedY
	case 'M': // reverse index
		if s.y == s.top {
			s.scrollDown(1)
		} else {
			s.y = max(0, s.y-1)
		}
	case 'D':
		s.lineFeed()
	case 'E':
		s.x = 0
		s.lineFeed()
	}
}

func (s *screen) csi(p *ansi.Parser) {
	cmd := ansi.Cmd(p.Command())
	arg := func(i, def int) int {
		v, ok := p.Param(i, def)
		if !ok || v == 0 {
			return def
		}
		return v
	}
	clampY := func(v int) int { return min(max(v, 0), s.rows-1) }
	clampX := func(v int) int { return min(max(v, 0), s.cols-1) }
	if cmd.Prefix() == '?' {
		if (cmd.Final() == 'h' || cmd.Final() == 'l') && arg(0, 0) == 1049 {
			s.reset() // alternate screen in or out: a blank page
		}
		return
	}
	switch cmd.Final() {
	case 'H', 'f':
		s.y, s.x = clampY(arg(0, 1)-1), clampX(arg(1, 1)-1)
	case 'A':
		s.y = clampY(s.y - arg(0, 1))
	case 'B':
		s.y = clampY(s.y + arg(0, 1))
	case 'C':
		s.x = clampX(s.x + arg(0, 1))
	case 'D':
		s.x = clampX(s.x - arg(0, 1))
	case 'E':
		s.y, s.x = clampY(s.y+arg(0, 1)), 0
	case 'F':
		s.y, s.x = clampY(s.y-arg(0, 1)), 0
	case 'G', '`':
		s.x = clampX(arg(0, 1) - 1)
	case 'd':
		s.y = clampY(arg(0, 1) - 1)
	case 'K':
		row := s.cells[s.y]
		from, to := s.x, s.cols
		switch arg(0, 0) {
		case 1:
			from, to = 0, s.x+1
		case 2:
			from = 0
		}
		for i := from; i < min(to, s.cols); i++ {
			row[i] = " "
		}
	case 'J':
		switch arg(0, 0) {
		case 0:
			for i := s.x; i < s.cols; i++ {
				s.cells[s.y][i] = " "
			}
			for r := s.y + 1; r < s.rows; r++ {
				s.cells[r] = blankRow(s.cols)
			}
		case 1:
			for r := 0; r < s.y; r++ {
				s.cells[r] = blankRow(s.cols)
			}
			for i := 0; i <= s.x && i < s.cols; i++ {
				s.cells[s.y][i] = " "
			}
		default:
			for r := range s.cells {
				s.cells[r] = blankRow(s.cols)
			}
		}
	case 'X':
		for i := s.x; i < min(s.x+arg(0, 1), s.cols); i++ {
			s.cells[s.y][i] = " "
		}
	case 'b':
		for range arg(0, 1) {
			s.put(s.last, 1)
		}
	case '@':
		n := min(arg(0, 1), s.cols-s.x)
		row := s.cells[s.y]
		copy(row[s.x+n:], row[s.x:s.cols-n])
		for i := s.x; i < s.x+n; i++ {
			row[i] = " "
		}
	case 'P':
		n := min(arg(0, 1), s.cols-s.x)
		row := s.cells[s.y]
		copy(row[s.x:], row[s.x+n:])
		for i := s.cols - n; i < s.cols; i++ {
			row[i] = " "
		}
	case 'L', 'M', 'S', 'T':
		n := arg(0, 1)
		top := s.top
		if cmd.Final() == 'L' || cmd.Final() == 'M' {
			s.top = s.y // insert/delete lines act from the cursor's row
		}
		if cmd.Final() == 'M' || cmd.Final() == 'S' {
			s.scrollUp(n)
		} else {
			s.scrollDown(n)
		}
		s.top = top
	case 'r':
		s.top, s.bot = clampY(arg(0, 1)-1), clampY(arg(1, s.rows)-1)
		s.x, s.y = 0, 0
	}
}

// text is the screen as lines of text.
func (s *screen) text() string {
	lines := make([]string, s.rows)
	for i, r := range s.cells {
		lines[i] = strings.TrimRight(strings.Join(r, ""), " ")
	}
	return strings.Join(lines, "\n")
}

package frame

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// vterm is what a terminal shows after a stream: the few sequences a
// Screen may send are acted on, and any other one fails the test (a
// view's text must never reach the terminal as a control).
type vterm struct {
	t          testing.TB
	lenient    bool // a whole program's stream: its modes are not the Screen's
	rows, cols int
	cells      [][]string
	x, y       int
	title      string
}

func newVTerm(t testing.TB, cols, rows int) *vterm {
	v := &vterm{t: t}
	v.resize(cols, rows)
	return v
}

func (v *vterm) resize(cols, rows int) {
	v.rows, v.cols = rows, cols
	v.cells = make([][]string, rows)
	for y := range v.cells {
		v.cells[y] = make([]string, cols)
		for x := range v.cells[y] {
			v.cells[y][x] = " "
		}
	}
	v.x, v.y = 0, 0
}

func (v *vterm) feed(out []byte) {
	v.t.Helper()
	p := ansi.NewParser()
	var state byte
	for len(out) > 0 {
		p.Reset()
		seq, w, n, st := ansi.DecodeSequence(out, state, p)
		if n == 0 {
			break
		}
		out, state = out[n:], st
		switch {
		case w > 0: // no wrapping: the last column is overwritten
			x := min(v.x, v.cols-w)
			v.cells[v.y][x] = string(seq)
			for i := 1; i < w; i++ {
				v.cells[v.y][x+i] = ""
			}
			v.x = min(x+w, v.cols)
		case ansi.HasCsiPrefix(seq):
			v.csi(p, string(seq))
		case ansi.HasOscPrefix(seq) && p.Command() == 2:
			v.title = strings.TrimPrefix(string(p.Data()), "2;")
		case v.lenient:
		default:
			v.t.Fatalf("the terminal was sent %q", seq)
		}
	}
}

func (v *vterm) csi(p *ansi.Parser, seq string) {
	cmd := ansi.Cmd(p.Command())
	arg := func(i, def int) int {
		n, _ := p.Param(i, def)
		return n
	}
	switch {
	case cmd.Final() == 'm' && cmd.Prefix() == 0:
	case cmd.Prefix() == '?' && (cmd.Final() == 'h' || cmd.Final() == 'l') && (arg(0, 0) == 2026 || arg(0, 0) == 25):
	case cmd.Final() == 'H' && cmd.Prefix() == 0:
		v.y, v.x = min(max(arg(0, 1), 1), v.rows)-1, min(max(arg(1, 1), 1), v.cols)-1
	case cmd.Final() == 'K' && cmd.Prefix() == 0:
		from := v.x
		if arg(0, 0) == 2 {
			from = 0
		}
		for x := from; x < v.cols; x++ {
			v.cells[v.y][x] = " "
		}
	case cmd.Final() == 'J' && cmd.Prefix() == 0 && arg(0, 0) == 2:
		v.resize(v.cols, v.rows)
	case v.lenient && cmd.Prefix() != 0:
	default:
		v.t.Fatalf("the terminal was sent %q", seq)
	}
}

func (v *vterm) text() string {
	lines := make([]string, v.rows)
	for y, r := range v.cells {
		lines[y] = strings.TrimRight(strings.Join(r, ""), " ")
	}
	return strings.Join(lines, "\n")
}

// rig is a Screen and the terminal it draws on.
type rig struct {
	t   *testing.T
	out bytes.Buffer
	s   *Screen
	vt  *vterm
}

func newRig(t *testing.T, cols, rows int, p colorprofile.Profile) *rig {
	r := &rig{t: t, vt: newVTerm(t, cols, rows)}
	r.s = NewScreen(&r.out, cols, rows, p)
	return r
}

// draw draws content and returns what was written for it.
func (r *rig) draw(content string) string {
	r.t.Helper()
	r.out.Reset()
	if err := r.s.Draw(tea.NewView(content)); err != nil {
		r.t.Fatal(err)
	}
	r.vt.feed(r.out.Bytes())
	return r.out.String()
}

func (r *rig) shows(want string) {
	r.t.Helper()
	if got := r.vt.text(); got != want {
		r.t.Fatalf("the terminal shows\n%s\nwant\n%s", got, want)
	}
}

func rows(lines ...string) string { return strings.Join(lines, "\n") }

func TestFrameShowsTheView(t *testing.T) {
	r := newRig(t, 20, 4, colorprofile.TrueColor)
	bar := lipgloss.NewStyle().Background(lipgloss.Color("#263238")).Foreground(lipgloss.Color("#F5F5F5")).Width(20).Render("PICK-01")
	r.draw(rows(bar, "", "Scan a tote", "> █"))
	r.shows(rows("PICK-01", "", "Scan a tote", "> █"))
}

// A key on the scan line rewrites that line and nothing else.
func TestOnlyChangedRowsAreWritten(t *testing.T) {
	r := newRig(t, 30, 5, colorprofile.TrueColor)
	r.draw(rows("PICK-01   Ann", "At A-01-01-1", "Scan CAND-435", "> █", "F1 help"))
	out := r.draw(rows("PICK-01   Ann", "At A-01-01-1", "Scan CAND-435", "> 4█", "F1 help"))
	if n := strings.Count(out, "\x1b["); n > 8 || !strings.Contains(out, ansi.CursorPosition(1, 4)) || strings.Contains(out, "Scan") {
		t.Fatalf("one changed line was sent as %q", out)
	}
	r.shows(rows("PICK-01   Ann", "At A-01-01-1", "Scan CAND-435", "> 4█", "F1 help"))
	if out := r.draw(rows("PICK-01   Ann", "At A-01-01-1", "Scan CAND-435", "> 4█", "F1 help")); out != "" {
		t.Fatalf("an unchanged frame was sent as %q", out)
	}
}

// A line that gets shorter loses its tail; a view with fewer lines
// clears the rows below it.
func TestShorterLinesAndViewsLeaveNothingBehind(t *testing.T) {
	r := newRig(t, 20, 4, colorprofile.TrueColor)
	r.draw(rows("Picked 3 × CAND-435", "Next: A-01-02-1", "x", "y"))
	r.draw(rows("Wave complete", "Next"))
	r.shows(rows("Wave complete", "Next", "", ""))
}

// After a resize the whole screen is drawn again at the new size, and a
// line wider than the terminal is cut at its edge, never wrapped.
func TestResizeRedrawsAtTheNewSize(t *testing.T) {
	r := newRig(t, 20, 3, colorprofile.TrueColor)
	r.draw(rows("one", "two", "three"))
	r.vt.resize(10, 4) // the terminal is resized and loses what it showed
	r.s.Resize(10, 4)
	r.draw(rows("a line wider than ten", "two", "three"))
	r.shows(rows("a line wid", "two", "three", ""))
	r.draw(rows("界界界界界界", "two", "three", "four", "five"))
	r.shows(rows("界界界界界", "two", "three", "four"))
}

// Nothing in a view other than text and its styles reaches the terminal:
// a scanned barcode or a name from the office with a control character,
// an escape sequence or bytes that are not UTF-8 shows as text and cannot
// move the cursor, clear the screen or retitle the window.
func TestOnlyTextAndStylesReachTheTerminal(t *testing.T) {
	r := newRig(t, 30, 3, colorprofile.TrueColor)
	r.draw(rows("ok \x1b[2J\x1b]2;owned\a\x1b[5;5Hthere", "bad \xff\xfe byte\r\b\t", "c1 \u009b31m\x1b[?1049l end"))
	r.shows(rows("ok there", "bad \uFFFD byte", "c1 31m end"))
	if r.vt.title != "" {
		t.Fatalf("the view's text set the title %q", r.vt.title)
	}
}

func TestTitleIsPlainText(t *testing.T) {
	r := newRig(t, 10, 2, colorprofile.TrueColor)
	v := tea.NewView("x")
	v.WindowTitle = "tote \x1b]2;x\aPICK-01"
	if err := r.s.Draw(v); err != nil {
		t.Fatal(err)
	}
	r.vt.feed(r.out.Bytes())
	if r.vt.title != "tote ]2;xPICK-01" {
		t.Fatalf("title %q", r.vt.title)
	}
}

// Colours beyond the terminal's are brought down to it, as Bubble Tea's
// renderer did: a 256-colour terminal is never sent a 24-bit colour.
func TestColoursFollowTheTerminal(t *testing.T) {
	styled := lipgloss.NewStyle().Foreground(lipgloss.Color("#C5221F")).Render("Wrong item")
	for _, c := range []struct {
		p          colorprofile.Profile
		want, none string
	}{
		{colorprofile.TrueColor, "38;2;", ""},
		{colorprofile.ANSI256, "38;5;", "38;2;"},
		{colorprofile.Ascii, "", "38;"},
	} {
		r := newRig(t, 20, 1, c.p)
		out := r.draw(styled)
		if c.want != "" && !strings.Contains(out, c.want) || c.none != "" && strings.Contains(out, c.none) {
			t.Errorf("%v: %q", c.p, out)
		}
		r.shows("Wrong item")
	}
}

// A write the terminal refused is not taken as drawn: the next frame is
// drawn whole.
func TestAFailedWriteIsDrawnWholeNextTime(t *testing.T) {
	w := &failing{fail: true}
	s := NewScreen(w, 10, 2, colorprofile.TrueColor)
	if err := s.Draw(tea.NewView("a\nb")); err == nil {
		t.Fatal("a failed write was not told")
	}
	w.fail = false
	if err := s.Draw(tea.NewView("a\nb")); err != nil {
		t.Fatal(err)
	}
	vt := newVTerm(t, 10, 2)
	vt.feed(w.out.Bytes())
	if got := vt.text(); got != "a\nb" {
		t.Fatalf("after a failed write the terminal shows %q", got)
	}
}

type failing struct {
	fail bool
	out  bytes.Buffer
}

func (f *failing) Write(b []byte) (int, error) {
	if f.fail {
		return 0, fmt.Errorf("the terminal is gone")
	}
	return f.out.Write(b)
}

// FuzzScreen: whatever a view holds, the terminal is sent only positions,
// erases, styles and text that fits its width (the term fails on anything
// else), and it ends up showing the view's printable text.
func FuzzScreen(f *testing.F) {
	f.Add("plain\nlines", "next\nframe", 12, 3)
	f.Add("\x1b[31mred\x1b[m\n\x1b]8;;http://x\ax\x1b]8;;\a", "\x1b[2J\x1b[H", 5, 2)
	f.Add("界界\xff\n\u009b2J", "\r\n\r\n\b", 3, 4)
	f.Fuzz(func(t *testing.T, a, b string, cols, rows int) {
		cols, rows = 1+abs(cols)%200, 1+abs(rows)%60
		var out bytes.Buffer
		s := NewScreen(&out, cols, rows, colorprofile.ANSI256)
		vt := newVTerm(t, cols, rows)
		for _, content := range []string{a, b, a} {
			out.Reset()
			if err := s.Draw(tea.NewView(content)); err != nil {
				t.Fatal(err)
			}
			vt.feed(out.Bytes())
			if vt.y >= rows || vt.x > cols {
				t.Fatalf("the cursor left the screen: %d,%d", vt.x, vt.y)
			}
		}
		for y, line := range strings.Split(vt.text(), "\n") {
			if w := ansi.StringWidth(line); w > cols {
				t.Fatalf("row %d is %d cells wide on a %d-cell terminal", y, w, cols)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

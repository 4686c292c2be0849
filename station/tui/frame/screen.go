// Package frame draws a Bubble Tea program's screen as soon as its model has
// taken a message, instead of on Bubble Tea's frame ticker: a scan's outcome
// is on the terminal when Update returns, not up to a frame later.
//
// Screen is the drawing: each frame is compared line by line with the last
// one, and only the lines that changed are written. Program runs a model
// with Bubble Tea's own renderer off and a Screen in its place, and owns the
// terminal's modes (raw input, the alternate screen, the hidden cursor,
// bracketed paste, the keyboard protocol) that the renderer used to set.
package frame

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// Screen is a full-screen terminal drawn by lines: it remembers what each
// row shows and writes only the rows a new frame changes.
type Screen struct {
	out           io.Writer
	profile       colorprofile.Profile
	width, height int
	rows          []string // each row's line as the view gave it, "" when blank
	full          bool     // the next frame redraws every row
	title         string
	cursor        bool // the terminal's cursor is shown
	buf           bytes.Buffer
	line, kept    bytes.Buffer
	colors        colorprofile.Writer
	parser        *ansi.Parser
}

// NewScreen draws on out, a terminal of width × height cells able to show
// the colours of profile (colours beyond it are brought down to it).
func NewScreen(out io.Writer, width, height int, profile colorprofile.Profile) *Screen {
	s := &Screen{out: out, profile: profile, parser: ansi.NewParser()}
	s.colors = colorprofile.Writer{Forward: &s.line, Profile: profile}
	s.Resize(width, height)
	return s
}

// Resize takes the terminal's new size: the next frame is drawn whole, as
// the terminal may have moved or dropped what it showed.
func (s *Screen) Resize(width, height int) {
	s.width, s.height = max(width, 1), max(height, 1)
	s.full = true
}

// Draw shows v: the rows that differ from the last frame, in one write,
// wrapped in a synchronised update so the terminal shows no half frame.
func (s *Screen) Draw(v tea.View) error {
	s.buf.Reset()
	if s.full {
		s.buf.WriteString(ansi.ResetStyle + ansi.CursorHomePosition + ansi.EraseEntireScreen)
		clear(s.rows)
	}
	if len(s.rows) != s.height {
		s.rows = append(s.rows[:0:0], make([]string, s.height)...)
	}
	rest, more := v.Content, true
	for y := 0; y < s.height; y++ {
		line := ""
		if more {
			if i := strings.IndexByte(rest, '\n'); i < 0 {
				line, more = rest, false
			} else {
				line, rest = rest[:i], rest[i+1:]
			}
		}
		if s.full && line == "" || !s.full && line == s.rows[y] {
			continue // blank already, or as it was
		}
		s.buf.WriteString(ansi.CursorPosition(1, y+1))
		if line == "" {
			s.buf.WriteString(ansi.ResetStyle + ansi.EraseEntireLine)
		} else {
			n := s.cells(line)
			s.buf.WriteString(ansi.ResetStyle)
			s.buf.Write(s.line.Bytes())
			s.buf.WriteString(ansi.ResetStyle)
			if n < s.width {
				// Only short of the edge: at the last column the cursor
				// waits on the last character, which the erase would take.
				s.buf.WriteString(ansi.EraseLineRight)
			}
		}
		s.rows[y] = line
	}
	s.full = false
	if v.WindowTitle != s.title {
		s.title = v.WindowTitle
		s.buf.WriteString(ansi.SetWindowTitle(printable(v.WindowTitle)))
	}
	if c := v.Cursor; c != nil {
		s.buf.WriteString(ansi.CursorPosition(min(max(c.X, 0), s.width-1)+1, min(max(c.Y, 0), s.height-1)+1))
	}
	if show := v.Cursor != nil; show != s.cursor {
		s.cursor = show
		if show {
			s.buf.WriteString(ansi.ShowCursor)
		} else {
			s.buf.WriteString(ansi.HideCursor)
		}
	}
	if s.buf.Len() == 0 {
		return nil
	}
	frame := make([]byte, 0, s.buf.Len()+len(ansi.SetModeSynchronizedOutput)+len(ansi.ResetModeSynchronizedOutput))
	frame = append(frame, ansi.SetModeSynchronizedOutput...)
	frame = append(frame, s.buf.Bytes()...)
	frame = append(frame, ansi.ResetModeSynchronizedOutput...)
	if _, err := s.out.Write(frame); err != nil {
		s.full = true // what the terminal shows is not known: all of it next time
		return err
	}
	return nil
}

// Ring sounds the terminal's bell now, between frames.
func (s *Screen) Ring() error {
	_, err := s.out.Write([]byte{'\a'})
	return err
}

// cells puts into s.line what the terminal is sent for line: its
// characters up to the screen's width and its colours and styles (brought
// down to the terminal's profile). Anything else a view might carry (a
// control character, another escape sequence, bytes that are not UTF-8)
// is never sent: it could move the cursor, scroll the screen or change the
// terminal's modes. It returns the cells the line takes.
func (s *Screen) cells(line string) int {
	if !utf8.ValidString(line) {
		line = strings.ToValidUTF8(line, "\uFFFD")
	}
	kept := &s.kept
	kept.Reset()
	styled, n := false, 0
	var state byte
	for len(line) > 0 {
		s.parser.Reset()
		seq, w, read, next := ansi.DecodeSequence(line, state, s.parser)
		if read == 0 {
			break
		}
		line, state = line[read:], next
		switch {
		case w > 0:
			if n+w > s.width {
				line = "" // the rest does not fit: cut, never wrapped
				continue
			}
			kept.WriteString(seq)
			n += w
		case next == ansi.NormalState && ansi.HasCsiPrefix(seq) && s.parser.Command() == 'm':
			kept.WriteString(seq)
			styled = true
		}
	}
	s.line.Reset()
	if styled {
		_, _ = s.colors.Write(kept.Bytes()) // as is in true colour
	} else {
		s.line.Write(kept.Bytes())
	}
	return n
}

// printable is s without control characters, for the window title.
func printable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r >= 0x7f && r < 0xa0 {
			return -1
		}
		return r
	}, s)
}

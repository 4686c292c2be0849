package frame

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
)

// Options say which terminal a Program runs on.
type Options struct {
	In, Out *os.File // nil: the process's standard input and output
	Env     []string // the terminal's environment (TERM, COLORTERM…); nil: the process's
	// NoSignals leaves SIGINT and SIGTERM to the caller (a test's program
	// on a pseudo-terminal).
	NoSignals bool
}

// Program is a Bubble Tea program whose frames the Screen draws: Bubble
// Tea still reads the keyboard and runs Update and the commands; every
// Update is followed at once by its frame.
type Program struct {
	prog    *tea.Program
	in, out *os.File
	env     []string
	screen  *Screen
	restore sync.Once
	undo    func()
}

// setup is what the terminal is told before the first frame, undo after
// the last (with the window's title cleared): the alternate screen, no cursor, no wrapping at the right edge
// (a line the terminal measures wider than we do is cut, never wraps and
// scrolls the screen), bracketed paste, and the keyboard reporting Bubble
// Tea's renderer asks for (xterm's modifyOtherKeys and the kitty protocol's
// disambiguated keys, so Esc is a key and not the start of a sequence).
const (
	setup = ansi.SetModeAltScreenSaveCursor + ansi.HideCursor + ansi.ResetModeAutoWrap +
		ansi.SetModeBracketedPaste + ansi.SetModifyOtherKeys2 + "\x1b[>1u"
	undo = "\x1b]2;\a" + "\x1b[<u" + ansi.ResetModifyOtherKeys + ansi.ResetModeBracketedPaste + ansi.SetModeAutoWrap +
		ansi.ResetStyle + ansi.ShowCursor + ansi.ResetModeAltScreenSaveCursor
)

// New makes the program; Send works from now on and waits for Run.
func New(ctx context.Context, model tea.Model, o Options) *Program {
	p := &Program{in: o.In, out: o.Out, env: o.Env}
	if p.in == nil {
		p.in = os.Stdin
	}
	if p.out == nil {
		p.out = os.Stdout
	}
	if p.env == nil {
		p.env = os.Environ()
	}
	width, height := 80, 24
	if w, h, err := term.GetSize(p.out.Fd()); err == nil && w > 0 && h > 0 {
		width, height = w, h
	}
	p.screen = NewScreen(p.out, width, height, colorprofile.Detect(p.out, p.env))
	opts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithoutRenderer(), tea.WithInput(p.in), tea.WithOutput(p.out),
		tea.WithEnvironment(p.env), tea.WithWindowSize(width, height), tea.WithFilter(p.raw)}
	if o.NoSignals {
		opts = append(opts, tea.WithoutSignalHandler())
	}
	p.prog = tea.NewProgram(drawn{inner: model, p: p}, opts...)
	return p
}

// raw takes a tea.Raw's message before Bubble Tea does: Bubble Tea would
// queue it for its output ticker (up to a frame later), and the bell an
// error outcome rings (tea.Raw("\a")) is meant to sound with the frame
// that shows it. It rings at once, in the same goroutine as the frames.
// Nothing else a tea.Raw carries reaches the terminal: as in a view, only
// text and styles do (Screen).
func (p *Program) raw(_ tea.Model, msg tea.Msg) tea.Msg {
	r, ok := msg.(tea.RawMsg)
	if !ok {
		return msg
	}
	if strings.ContainsRune(fmt.Sprint(r.Msg), '\a') {
		_ = p.screen.Ring() // a bell the terminal did not take is not rung again
	}
	return nil
}

// Send hands msg to the model, as tea.Program.Send.
func (p *Program) Send(msg tea.Msg) { p.prog.Send(msg) }

// Run puts the terminal in raw mode on the alternate screen, runs the
// program until it quits or its context ends, and gives the terminal back
// as it found it. It returns the model's last state.
func (p *Program) Run() (tea.Model, error) {
	if !term.IsTerminal(p.in.Fd()) {
		// Not typed at (input redirected): the keyboard is the terminal's.
		if tty, _, err := tea.OpenTTY(); err == nil {
			p.in = tty
			defer tty.Close()
		}
	}
	if term.IsTerminal(p.in.Fd()) {
		was, err := term.MakeRaw(p.in.Fd())
		if err != nil {
			return nil, fmt.Errorf("the terminal's raw mode: %w", err)
		}
		defer term.Restore(p.in.Fd(), was) //nolint:errcheck // nothing left to tell it to
	}
	if _, err := p.out.WriteString(setup); err != nil {
		return nil, fmt.Errorf("the terminal: %w", err)
	}
	p.undo = func() { _, _ = p.out.WriteString(undo) }
	defer p.giveBack()
	stop := watchSize(p.out, p.prog.Send)
	defer stop()
	m, err := p.prog.Run()
	if d, ok := m.(drawn); ok {
		m = d.inner
	}
	return m, err
}

// giveBack undoes the terminal's setup, once: at the end of Run, or before
// a panic's report so that it is printed on the screen the operator sees.
func (p *Program) giveBack() {
	p.restore.Do(func() {
		if p.undo != nil {
			p.undo()
		}
	})
}

// drawn is the model as Bubble Tea runs it: the model's Update, then its
// frame at once. Bubble Tea's own View of it is empty (its renderer is off).
type drawn struct {
	inner tea.Model
	p     *Program
}

func (d drawn) Init() tea.Cmd { return d.inner.Init() }

func (d drawn) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			d.p.giveBack()
			panic(r)
		}
	}()
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		d.p.screen.Resize(ws.Width, ws.Height)
	}
	m, cmd := d.inner.Update(msg)
	d.inner = m
	// A frame the terminal did not take is drawn whole next time.
	_ = d.p.screen.Draw(m.View())
	return d, cmd
}

func (d drawn) View() tea.View { return tea.View{} }

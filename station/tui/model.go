// Package tui is the station's terminal UI, built with Bubble Tea v2.
//
// One root Model owns the global keys, the scan line and the status bar, and
// draws the screen for the workflow's current step: a pick cart (login.go,
// pick.go) or a packing bench (login.go, pack.go), as Options.Bench says. It
// never does I/O in Update: inputs go to the station with a non-blocking
// Submit, and outcomes come back as OutcomeMsg from a command that waits on
// the station's outcome channel. Serial scanners send ScanMsg and the bench
// scale ScaleMsg the same way.
//
// Every printable key goes to the scan line, because keyboard-wedge scanners
// type their data; actions are on F-keys and command barcodes. The screens
// never decide anything the workflow decides (pick.Apply, pack.Apply): they
// show its state, and every text from outside (OMS data, scans) goes
// through floor.Printable so it can never drive the terminal.
package tui

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/totewms/tote/devices"
	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/pick"
)

// maxLine caps the scan line; the interpreter rejects anything over 4 KB
// anyway, this only keeps a runaway scanner from growing memory.
const maxLine = 8192

// Submitter is the station as the UI sees it.
type Submitter interface {
	Submit(station.Action) bool
}

// Options describe the station for the screens.
type Options struct {
	Station string
	Site    string
	// Demo turns on hints for a newcomer: the side panel starts open and
	// F12 scans the next expected barcode.
	Demo bool
	// Badges to suggest on the login screen (demo only).
	Badges []string
	// PINs of the demo's badges, shown at a PIN prompt so a newcomer can
	// sign in a supervisor (demo only; a real site never has them).
	PINs map[string]string
	// DemoScan, when set, is how F12 scans in the demo: through the virtual
	// serial scanner, so the demo exercises the real serial path.
	DemoScan func(data string) error
	// DemoNewWave, when set, asks the demo's office for a new wave (F12
	// once a wave is done); it returns the new wave's id.
	DemoNewWave func() (string, error)
	// DemoDir is the demo's folder, said on the first screen.
	DemoDir string
	// Devices are the configured devices' names, in config order, so the
	// device line shows them before they first report.
	Devices []devices.State
	// Bench is the workflow the screens are for: "" or station.BenchPick
	// for a pick cart, station.BenchPack for a packing bench (NewPack).
	Bench station.BenchName
	// PackHints are totes or orders the demo knows are picked, for F12 and
	// the side panel's NEXT at a packing bench (demo only).
	PackHints []string
}

// OutcomeMsg carries the station's answer to one input.
type OutcomeMsg station.Outcome

// ScanMsg is a scan from a serial scanner.
type ScanMsg floor.Scan

// DeviceMsg is a device's new state.
type DeviceMsg devices.State

// ScaleMsg is the bench scale's live reading, shown while a carton is
// weighed. The station takes its weights from the scale itself; this is
// only what the packer sees, so the latest one replaces the last.
type ScaleMsg struct {
	Scale   string  // the scale's configured name
	Grams   float64 // the reading
	Stable  bool    // settled: the station only takes stable readings
	Problem string  // why there is no reading (e.g. "overload"), "" when fine
	// Note: why a stable reading is not taken as the carton's weight
	// (pack.LiftFirstNote), "" when it is or nothing waits.
	Note string
}

// SyncMsg is the replicator's state for the status bar: online or not,
// events waiting and the age of the oldest, the last successful pull.
type SyncMsg struct {
	Online        bool
	Waiting       int
	OldestWaiting time.Duration
	LastPull      time.Time
	// Problem is set when sync has stopped and needs a person (a refused
	// token), or the last error while retrying.
	Problem string
	Stopped bool
	// Failing is "hub" when the hub answers but cannot apply (5xx), or
	// "store" when this station's store fails: not "online", whatever
	// else works.
	Failing string
	// News is what the last pull brought that an operator should know
	// (a hold, a cancellation), and when it came.
	News     string
	NewsAt   time.Time
	Rejected int // events the hub rejected: exceptions to resolve
	// Refusals are the rejected events the floor has not acknowledged,
	// oldest first, in plain words (which order, what to do).
	Refusals []station.Refusal
	// OfflineSince is when the station last heard from the hub, set
	// while offline: the status bar counts from it.
	OfflineSince time.Time
}

// ClockMsg is the time, once a second, so the ages on the status bar tick.
type ClockMsg time.Time

// DemoWaveMsg reports the demo office's answer to F12 at the end of a wave.
type DemoWaveMsg struct {
	Wave string
	Err  error
}

// PrintMsg is a printer's queue as the spooler sees it: labels waiting, in
// doubt, and why they wait.
type PrintMsg struct {
	Printer     string
	Waiting     int
	InDoubt     int
	Problem     string // e.g. "out of labels"; "" when printing normally
	Instruction string // e.g. "load labels"
}

// DemoScanFailedMsg reports that the demo's virtual scanner could not send.
type DemoScanFailedMsg struct{ Err error }

// Model is the root model.
type Model struct {
	opts     Options
	st       *Styles     // shared by the model's copies: Bubble Tea copies
	help     *help.Model // the model at every message, so it stays small
	keys     Keys
	sub      Submitter
	outcomes <-chan station.Outcome

	page          Page // the active bench's screens
	width, height int
	state         pick.State // a pick cart's state
	feedback      floor.Feedback
	line          []rune
	panel         bool
	pending       int // inputs submitted whose outcome has not come back
	devices       []devices.State
	sync          *SyncMsg // nil when the station does not sync
	queues        map[string]PrintMsg

	// A packing bench's state and what the screens keep beside it: the
	// scale's latest reading, the last shipment's labels (with the SSCC and
	// tracking number the station gave them), and which demo hints were
	// used already.
	pack      pack.State
	scale     *ScaleMsg
	labels    []floor.PackLabelPayload
	hintsUsed map[string]bool

	// refused is set by submit when the station did not take the input,
	// so Enter can put the typed line back.
	refused bool

	// now is the latest ClockMsg: the status bar's ages count to it.
	now time.Time
	// refusal is the office refusal on the message line, waiting for Esc;
	// toldThrough the last sequence acknowledged here.
	refusal     *station.Refusal
	refusalN    int // notices waiting, the one shown included
	toldThrough int64

	// gen names what the screen shows apart from the scan line: every
	// message but a key that only edits the line gives a new one, and
	// cache keeps the screen drawn for it. A wedge scanner types a scan as
	// a dozen keys; each then redraws only the line, not the screen.
	gen      uint64
	lineOnly bool // set by Update's handlers when only the line changed
	cache    *frameCache
}

// frameCache is the screen drawn for one gen, shared by a model's copies.
type frameCache struct {
	gen       uint64
	top, keys string // above and below the scan line
	prompt    string
	width     int
}

// gens numbers screens; global, so models copied and changed apart never
// share one.
var gens atomic.Uint64

var _ tea.Model = Model{}

// New makes the root model from the station's current state.
func New(sub Submitter, outcomes <-chan station.Outcome, initial pick.State, opts Options) Model {
	h := help.New()
	h.ShortSeparator = "  "
	st := NewStyles()
	m := Model{opts: opts, st: &st, keys: NewKeys(), help: &h, sub: sub, outcomes: outcomes,
		width: 80, height: 24, state: initial, panel: opts.Demo, devices: opts.Devices,
		gen: gens.Add(1), cache: &frameCache{}, page: pickPage{}}
	m.feedback = m.startFeedback(initial.Operator)
	return m
}

// startFeedback is the first message: where the operator resumes, and in
// the demo where its folder is (to open it again: tote demo --dir).
func (m Model) startFeedback(op floor.Operator) floor.Feedback {
	fb := resumeFeedback(op)
	if m.opts.Demo && m.opts.DemoDir != "" {
		dir := "Demo folder: " + m.opts.DemoDir
		if fb.Message != "" {
			dir = fb.Message + ". " + dir
		}
		fb = floor.Feedback{Level: floor.Info, Message: dir}
	}
	return fb
}

// NewPack makes the root model for a packing bench from the station's
// current pack state.
func NewPack(sub Submitter, outcomes <-chan station.Outcome, initial pack.State, opts Options) Model {
	opts.Bench = station.BenchPack
	m := New(sub, outcomes, pick.State{}, opts)
	m.page, m.pack = packPage{}, initial
	m.feedback = m.startFeedback(initial.Operator)
	return m
}

func resumeFeedback(op floor.Operator) floor.Feedback {
	if op.Badge != "" {
		return floor.Feedback{Level: floor.Info, Message: "Resumed where " + floor.Printable(op.Name) + " left off"}
	}
	return floor.Feedback{}
}

// operator is who is logged in on the bench, zero when nobody is.
func (m Model) operator() floor.Operator { return m.page.Operator(m) }

// Init starts waiting for outcomes, and the clock.
func (m Model) Init() tea.Cmd { return tea.Batch(m.waitOutcome(), tick()) }

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return ClockMsg(t) })
}

func (m Model) waitOutcome() tea.Cmd {
	ch := m.outcomes
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		o, ok := <-ch
		if !ok {
			return nil
		}
		return OutcomeMsg(o)
	}
}

// Update handles one message.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.lineOnly = false
	next, cmd := m.update(msg)
	nm := next.(Model)
	if !nm.lineOnly {
		nm.gen = gens.Add(1)
	}
	nm.lineOnly = false
	return nm, cmd
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		if m.opts.Demo && m.panel && msg.Width < 60 && m.operator().Badge != "" && m.width == 80 && m.height == 24 {
			m.panel = false // resumed on a narrow screen: the work, not the panel (F1)
		}
		shown := m.refusalShown()
		m.width, m.height = msg.Width, msg.Height
		if shown { // the notice's form depends on the width
			m.feedback.Message = m.refusalText(*m.refusal, m.refusalN)
		}
		return m, nil
	case ClockMsg:
		m.now = time.Time(msg)
		return m, tick()
	case OutcomeMsg:
		if msg.Action.Refresh {
			// A look for new work: only news when a wave started.
			m.state = msg.State
			if len(msg.Events) > 0 || msg.Err != nil {
				m.feedback = msg.Feedback
			}
			return m, m.waitOutcome()
		}
		m.pending = max(0, m.pending-1)
		if m.opts.Demo && m.panel && m.width < 60 && m.operator().Badge == "" && (msg.State.LoggedIn() || msg.Pack.LoggedIn()) {
			// A narrow screen has no room beside the panel: once the
			// badges it lists are used, the work takes the screen (F1
			// brings the panel back).
			m.panel = false
		}
		m.page.Outcome(&m, station.Outcome(msg))
		cmds := []tea.Cmd{m.waitOutcome()}
		if m.feedback.Level == floor.Error {
			cmds = append(cmds, tea.Raw("\a")) // the bell: pickers are not looking at the screen
		}
		return m, tea.Batch(cmds...)
	case ScanMsg:
		return m.submit(station.Action{Scan: floor.Scan(msg)})
	case DeviceMsg:
		return m.device(devices.State(msg))
	case ScaleMsg:
		m.scale = &msg
		return m, nil
	case PrintMsg:
		was := m.queues[msg.Printer]
		m.queues = maps.Clone(m.queues)
		if m.queues == nil {
			m.queues = map[string]PrintMsg{}
		}
		m.queues[msg.Printer] = msg
		if msg.Problem != "" && msg.Waiting > 0 && (was.Problem != msg.Problem || was.Waiting == 0) {
			m.feedback = floor.Feedback{Level: floor.Error, Message: fmt.Sprintf("Label not printed on %s: %s. %s", msg.Printer, msg.Problem, capitalise(msg.Instruction))}
			return m, tea.Raw("\a")
		}
		return m, nil
	case SyncMsg:
		was := m.sync
		m.sync = &msg
		if msg.Stopped && (was == nil || !was.Stopped) {
			m.feedback = floor.Feedback{Level: floor.Error, Message: "Sync stopped: " + msg.Problem + ". Work goes on; nothing is lost"}
			return m, tea.Raw("\a")
		}
		if m.pickIdle() && (was == nil || !msg.LastPull.Equal(was.LastPull)) {
			// A pull may have brought a wave: the cart shows it at once.
			m.sub.Submit(station.Action{Refresh: true}) // refused only when busy: the next pull asks again
		}
		if cmd := m.showRefusal(msg.Refusals); cmd != nil {
			return m, cmd
		}
		if was != nil && was.Stopped && !msg.Stopped {
			m.feedback = floor.Feedback{Level: floor.OK, Message: "Sync is running again"}
		}
		// Office news never covers an error or a warning still on the
		// screen (a refused scan, a label not printed): those are what the
		// operator must read. The news is in the log either way, and the
		// order on the bench shows its own hold at the next scan.
		fresh := msg.News != "" && !msg.NewsAt.IsZero() && (was == nil || !msg.NewsAt.Equal(was.NewsAt))
		if fresh && m.feedback.Level != floor.Error && m.feedback.Level != floor.Warn {
			m.feedback = floor.Feedback{Level: floor.Info, Message: "From the office: " + msg.News}
		}
		if fresh && m.page.OfficeNow(m) {
			// The cart applies it to the walk now, not at the next scan: a
			// cancelled order's tasks leave, a held one's wait.
			return m.submit(station.Action{Office: true})
		}
		return m, nil
	case DemoWaveMsg:
		if msg.Err != nil {
			m.feedback = floor.Feedback{Level: floor.Error, Message: "Demo office: " + msg.Err.Error()}
			return m, tea.Raw("\a")
		}
		m.feedback = floor.Feedback{Level: floor.OK, Message: "The office released wave " + floor.Printable(msg.Wave) + ": it arrives with the next pull"}
		return m, nil
	case DemoScanFailedMsg:
		m.feedback = floor.Feedback{Level: floor.Error, Message: "Demo scanner: " + msg.Err.Error()}
		return m, tea.Raw("\a")
	case tea.PasteMsg:
		m.typeText(msg.Content)
		m.lineOnly = true
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	return m, nil
}

func (m Model) key(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Quit):
		return m, tea.Quit
	case key.Matches(k, m.keys.Help):
		m.panel = !m.panel
		return m, nil
	case key.Matches(k, m.keys.Submit):
		typed := slices.Clone(m.line)
		data := string(m.line)
		m.line = m.line[:0]
		var a station.Action
		if data == "" && m.page.EnterOK(m) {
			a = station.Action{Command: floor.CmdOK}
		} else {
			aim, data := barcode.SplitAIM(data)
			a = station.Action{Scan: floor.Scan{Source: "keyboard", AIM: aim, Data: data}}
		}
		next, cmd := m.submit(a)
		if nm := next.(Model); nm.refused {
			// Not taken: the typed text stays on the line to send again.
			nm.line, nm.refused = typed, false
			if len(typed) > 0 {
				nm.feedback.Message = "Not taken, the station is busy: your scan is still on the line, press Enter to send it again"
			}
			return nm, cmd
		}
		return next, cmd
	case key.Matches(k, m.keys.Erase):
		if len(m.line) > 0 {
			m.line = m.line[:len(m.line)-1]
		}
		m.lineOnly = true
		return m, nil
	case key.Matches(k, m.keys.Noted) && m.refusalShown() && len(m.line) == 0:
		// Esc on an office refusal: the operator read it. Recorded by
		// the station, so it is not announced again after a restart.
		seq := m.refusal.Seq
		next, cmd := m.submit(station.Action{Acknowledge: seq})
		if nm := next.(Model); !nm.refused {
			nm.toldThrough, nm.refusal = max(nm.toldThrough, seq), nil
			return nm, cmd
		}
		return next, cmd // not taken: the notice comes back with the next status
	case m.opts.Demo && k.String() == "f12":
		hint := m.demoHint()
		if hint == "" && m.opts.DemoNewWave != nil && m.page.NewWave(m) {
			ask := m.opts.DemoNewWave
			m.feedback = floor.Feedback{Level: floor.Info, Message: "Asking the demo office for a new wave…"}
			return m, func() tea.Msg { id, err := ask(); return DemoWaveMsg{Wave: id, Err: err} }
		}
		if hint == "" {
			return m, nil
		}
		if send := m.opts.DemoScan; send != nil {
			return m, func() tea.Msg {
				if err := send(hint); err != nil {
					return DemoScanFailedMsg{err}
				}
				return nil
			}
		}
		return m.submit(station.Action{Scan: floor.Scan{Source: "demo", Data: hint}})
	}
	if p, ok := m.page.Press(m, k); ok {
		if !p.Works && p.Command != floor.CmdCancel {
			msg := p.Label + " does nothing here"
			if p.Why != "" {
				msg += ": " + p.Why
			}
			m.feedback = floor.Feedback{Level: floor.Info, Message: msg}
			return m, nil
		}
		if p.Command == floor.CmdCancel && len(m.line) > 0 {
			m.line = m.line[:0] // Esc first clears what was typed
			m.lineOnly = true
			return m, nil
		}
		return m.submit(station.Action{Command: p.Command})
	}
	if k.Text != "" {
		m.typeText(k.Text)
	}
	m.lineOnly = true
	return m, nil
}

// device records a device's state; a scanner that drops raises an alert,
// because the picker would otherwise scan into nothing.
func (m Model) device(st devices.State) (tea.Model, tea.Cmd) {
	i := slices.IndexFunc(m.devices, func(d devices.State) bool { return d.Device == st.Device && d.Kind == st.Kind })
	was := devices.State{}
	if i < 0 {
		m.devices = append(slices.Clone(m.devices), st)
	} else {
		was = m.devices[i]
		m.devices = slices.Clone(m.devices)
		m.devices[i] = st
	}
	if was.OK() && !st.OK() {
		msg := fmt.Sprintf("%s %s lost: %s", strings.ToUpper(st.Kind[:1])+st.Kind[1:], st.Device, orWhat(st))
		if st.Kind == devices.KindScanner {
			msg += ". Type scans on the keyboard until it is back"
		}
		m.feedback = floor.Feedback{Level: floor.Error, Message: msg}
		return m, tea.Raw("\a")
	}
	if (was.Status == devices.StatusReconnecting || was.Status == devices.StatusError) && st.OK() {
		m.feedback = floor.Feedback{Level: floor.OK, Message: fmt.Sprintf("%s %s is back", st.Kind, st.Device)}
	}
	return m, nil
}

// pickIdle: a pick cart between waves, where a pull may bring work.
func (m Model) pickIdle() bool { return m.page.Idle(m) }

// showRefusal puts the oldest office refusal not yet acknowledged on the
// message line, with the bell when it is new. One already shown comes
// back when the line has nothing more urgent, until Esc acknowledges it.
func (m *Model) showRefusal(rs []station.Refusal) tea.Cmd {
	var open []station.Refusal
	for _, r := range rs {
		if r.Seq > m.toldThrough {
			open = append(open, r)
		}
	}
	if len(open) == 0 {
		m.refusal = nil
		return nil
	}
	r := open[0]
	fresh := m.refusal == nil || m.refusal.Seq != r.Seq
	if !fresh && (m.refusalShown() || m.feedback.Level == floor.Error || m.feedback.Level == floor.Warn) {
		return nil
	}
	m.refusal, m.refusalN = &r, len(open)
	m.feedback = floor.Feedback{Level: floor.Error, Message: m.refusalText(r, len(open))}
	if fresh {
		return tea.Raw("\a")
	}
	return nil
}

// refusalText is the notice as the message line says it: on a narrow
// screen the short form, so the order and what to do fit its two lines.
func (m Model) refusalText(r station.Refusal, n int) string {
	more := ""
	if n > 1 {
		more = fmt.Sprintf(" (1 of %d)", n)
	}
	if m.width < 60 && r.Short != "" {
		return r.Short + more + ". Esc: noted"
	}
	return r.Message + more + ". Esc: noted"
}

// refusalShown reports whether the message line shows the office refusal.
func (m Model) refusalShown() bool {
	if m.refusal == nil {
		return false
	}
	msg := m.feedback.Message
	return strings.HasPrefix(msg, m.refusal.Message) || m.refusal.Short != "" && strings.HasPrefix(msg, m.refusal.Short)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func orWhat(st devices.State) string {
	if st.Reason != "" {
		return st.Status + " (" + st.Reason + ")"
	}
	return st.Status
}

func (m *Model) typeText(s string) {
	for _, r := range s {
		if len(m.line) >= maxLine {
			return
		}
		m.line = append(m.line, r)
	}
}

// submit hands an input to the station. When the station cannot take it,
// the operator is told at once with the bell (the station logs it): an
// input is never dropped without a word.
func (m Model) submit(a station.Action) (tea.Model, tea.Cmd) {
	if !m.sub.Submit(a) {
		m.refused = true
		msg := station.ErrQueueFull.Error()
		if a.Command == "" && a.Weight == nil && a.Scan.Data != "" && !m.secret() {
			msg = "Not taken, the station is busy: scan " + a.Scan.Data + " again"
		}
		m.feedback = floor.Feedback{Level: floor.Error, Message: msg}
		return m, tea.Raw("\a")
	}
	m.refused = false
	m.pending++
	return m, nil
}

// View draws the screen.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "tote " + m.opts.Station
	return v
}

// render builds the screen as text; tests compare it with golden files.
// Only the scan line is drawn anew when nothing else changed.
func (m Model) render() string {
	w := max(m.width, 20)
	c := m.cache
	if c == nil {
		c = &frameCache{}
	}
	if c.gen != m.gen || m.gen == 0 || c.width != w {
		c.top, c.keys = m.renderFixed()
		c.prompt = m.st.Prompt.Render("> ")
		c.gen, c.width = m.gen, w
	}
	return c.top + "\n" + m.inputLine(w, c.prompt) + "\n" + c.keys
}

// renderFixed draws all but the scan line: above it and below it.
func (m Model) renderFixed() (top, keys string) {
	w, h := max(m.width, 20), max(m.height, 8)
	bar := m.statusBar(w)
	if len(m.devices) > 0 {
		bar += "\n" + m.deviceLine(w)
	}
	keys = m.keyLine(w)
	fb := m.feedbackBlock(w)
	bodyH := h - lipgloss.Height(bar) - lipgloss.Height(fb) - 1 - 1
	bodyW := w
	var panel string
	switch {
	case m.panel && w >= 60:
		pw := min(34, w/3)
		bodyW = w - pw - 1
		panel = m.st.Panel.Height(bodyH).MaxHeight(bodyH).Render(clip(m.panelText(pw-2), pw-2, bodyH))
	case w >= 110:
		// Room to spare: the page's view beside the work (the walk
		// ahead, every carton of the order).
		pw := min(44, w/3)
		if beside := m.page.Beside(m, pw-2, bodyH); beside != "" {
			bodyW = w - pw - 1
			panel = m.st.Panel.Height(bodyH).MaxHeight(bodyH).Render(clip(beside, pw-2, bodyH))
		}
	}
	var body string
	if m.panel && w < 60 {
		body = m.panelText(bodyW)
	} else {
		body = m.screen(bodyW, bodyH)
	}
	body = clip(body, bodyW, bodyH)
	body = lipgloss.NewStyle().Width(bodyW).Height(bodyH).MaxHeight(bodyH).Render(body)
	if panel != "" {
		body = lipgloss.JoinHorizontal(lipgloss.Top, body, " ", panel)
	}
	return strings.Join([]string{bar, body, fb}, "\n"), keys
}

func (m Model) screen(w, h int) string { return m.page.Screen(m, w, h) }

// secret reports whether the scan line is a PIN being typed, never shown.
func (m Model) secret() bool { return m.page.Secret(m) }

// demoHint is what F12 scans in the demo: the next barcode the bench waits
// for, "" when there is none to scan.
func (m Model) demoHint() string { return m.page.Hint(m) }

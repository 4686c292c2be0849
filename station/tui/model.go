// Package tui is the station's terminal UI, built with Bubble Tea v2.
//
// One root Model owns the global keys, the scan line, the status bar, the
// device line, the message line and the help line, and routes the rest to
// the active bench's page (a ui.Page, registered by bench name: pickpage,
// packpage), which it opens from the station's snapshot. It never names a
// bench. It never does I/O in Update: inputs go to the station with a
// non-blocking Submit, and outcomes come back as OutcomeMsg from a command
// that waits on the station's outcome channel. A serial scanner's scans go
// to the station by themselves (station/intake: the one route every
// scanner's input takes, the wedge's line at Enter included); the screen
// hears of one from its outcome, or NotTakenMsg. The bench scale's
// readings come as ScaleMsg, for the packer to see.
//
// Every printable key goes to the scan line, because keyboard-wedge scanners
// type their data; actions are on F-keys and command barcodes. The screens
// never decide anything the workflow decides: they show its state, and
// every text from outside (OMS data, scans) goes through floor.Printable so
// it can never drive the terminal.
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
	"github.com/totewms/tote/station/tui/ui"
)

// maxLine caps the scan line; the interpreter rejects anything over 4 KB
// anyway, this only keeps a runaway scanner from growing memory.
const maxLine = 8192

// Submitter is the station as the UI sees it.
type Submitter interface {
	Submit(station.Action) bool
}

// Options describe the station for the screens (see ui.Options).
type Options = ui.Options

// OutcomeMsg carries the station's answer to one input.
type OutcomeMsg station.Outcome

// NotTakenMsg is a device's input the station did not take (its queue
// full): a serial scan goes to the station by itself (station/intake), and
// only this comes back to the screen, which says it with the bell.
type NotTakenMsg station.Action

// DeviceMsg is a device's new state.
type DeviceMsg devices.State

// ScaleMsg is the bench scale's live reading (see ui.ScaleMsg).
type ScaleMsg = ui.ScaleMsg

// SyncMsg is the replicator's state for the status bar (see ui.SyncMsg).
type SyncMsg = ui.SyncMsg

// ClockMsg is the time, once a second, so the ages on the status bar tick.
type ClockMsg time.Time

// DemoWaveMsg reports the demo office's answer to F12 at the end of a wave.
type DemoWaveMsg struct {
	Wave string
	Err  error
}

// PrintMsg is a printer's queue as the spooler sees it (see ui.PrintMsg).
type PrintMsg = ui.PrintMsg

// HintsMsg replaces the demo's hints (Options.Hints): what has reached
// the bench through the hub since it opened (totes, parcels).
type HintsMsg []string

// DemoScanFailedMsg reports that the demo's virtual scanner could not send.
type DemoScanFailedMsg struct{ Err error }

// Model is the root model.
type Model struct {
	opts     Options
	st       *ui.Styles  // shared by the model's copies: Bubble Tea copies
	help     *help.Model // the model at every message, so it stays small
	keys     *ui.Keys
	sub      Submitter
	outcomes <-chan station.Outcome

	page          ui.Page // the active bench's screens, with its state
	width, height int
	feedback      floor.Feedback
	// officeSaid is the office's news just shown, while the bench applies
	// it (Action{Office}): what the bench makes of it is said after it,
	// not instead of it.
	officeSaid string
	line       []rune
	panel      bool
	pending    int // inputs submitted whose outcome has not come back
	devices    []devices.State
	sync       *SyncMsg // nil when the station does not sync
	queues     map[string]PrintMsg

	// scale is the bench scale's latest reading, lent to the page.
	scale *ScaleMsg

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

// New makes the root model from the station's current state (its
// snapshot as an outcome, which names the bench): the page registered for
// that bench draws it.
func New(sub Submitter, outcomes <-chan station.Outcome, initial station.Outcome, opts Options) Model {
	h := help.New()
	h.ShortSeparator = "  "
	st, keys := ui.NewStyles(), ui.NewKeys()
	page := openPage(initial)
	m := Model{opts: opts, st: &st, keys: &keys, help: &h, sub: sub, outcomes: outcomes,
		width: 80, height: 24, panel: opts.Demo, devices: opts.Devices,
		gen: gens.Add(1), cache: &frameCache{}, page: page}
	m.feedback = m.startFeedback(page.Operator())
	return m
}

// openPage is the page registered for the bench o names, opened on o.
func openPage(o station.Outcome) ui.Page {
	if page, ok := ui.Open(o); ok {
		return page
	}
	return noPage{bench: o.Bench}
}

// ctx is what the page draws with.
func (m Model) ctx() ui.Context {
	return ui.Context{Styles: m.st, Keys: m.keys, Opts: &m.opts, Scale: m.scale}
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

func resumeFeedback(op floor.Operator) floor.Feedback {
	if op.Badge != "" {
		return floor.Feedback{Level: floor.Info, Message: "Resumed where " + floor.Printable(op.Name) + " left off"}
	}
	return floor.Feedback{}
}

// operator is who is logged in on the bench, zero when nobody is.
func (m Model) operator() floor.Operator { return m.page.Operator() }

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
		o := station.Outcome(msg)
		wasOut := m.operator().Badge == ""
		if o.Switched { // a visiting bench opened, or the station's own came back
			m.page = openPage(o)
		} else {
			m.page = m.page.Outcome(o)
		}
		// A look for new work (Refresh) is only news when a wave started;
		// a look at the office's news that changed nothing says nothing.
		quiet := o.Action.Refresh && len(o.Events) == 0 && o.Err == nil ||
			o.Action.Office && o.Feedback.Message == ""
		// The pull's refresh or the office news' look may be the one
		// that tells what the news changed: it says so after the office.
		looked := o.Action.Office || o.Action.Refresh
		if !quiet {
			if looked && m.officeSaid != "" && o.Feedback.Level != floor.Error {
				o.Feedback.Message, m.officeSaid = m.officeSaid+". "+o.Feedback.Message, ""
			}
			m.feedback = o.Feedback
		}
		if o.Action.Office {
			m.officeSaid = ""
		}
		// What is saving is what the station still has queued, from
		// every device (a scan typed since is counted again at once).
		m.pending = o.Queued
		if o.Action.Refresh {
			return m, m.waitOutcome()
		}
		if m.opts.Demo && m.panel && m.width < 60 && wasOut && m.operator().Badge != "" {
			// A narrow screen has no room beside the panel: once the
			// badges it lists are used, the work takes the screen (F1
			// brings the panel back).
			m.panel = false
		}
		cmds := []tea.Cmd{m.waitOutcome()}
		if m.feedback.Level == floor.Error {
			cmds = append(cmds, tea.Raw("\a")) // the bell: pickers are not looking at the screen
		}
		return m, tea.Batch(cmds...)
	case NotTakenMsg:
		return m.notTaken(station.Action(msg))
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
		if msg.Failing == "quota" && (was == nil || was.Failing != "quota") {
			// Said once, loudly: the office must act before anything goes up.
			m.feedback = floor.Feedback{Level: floor.Error, Message: msg.Problem + ". Work goes on; nothing is lost: tell the office"}
			return m, tea.Raw("\a")
		}
		if m.idle() && (was == nil || !msg.LastPull.Equal(was.LastPull)) {
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
		// order on the bench shows its own hold at the next scan. A
		// supervisor's answer to an exception met here is read with the
		// error, first: it is often the answer to it (a label resolved).
		fresh := msg.News != "" && !msg.NewsAt.IsZero() && (was == nil || !msg.NewsAt.Equal(was.NewsAt))
		switch {
		case fresh && m.feedback.Level != floor.Error && m.feedback.Level != floor.Warn:
			m.feedback = floor.Feedback{Level: floor.Info, Message: "From the office: " + msg.News}
		case fresh && msg.Told != "":
			m.feedback.Message = "From the office: " + msg.Told + ". " + m.feedback.Message
		}
		if fresh && m.page.OfficeNow() {
			// The cart applies it to the walk now, not at the next scan: a
			// cancelled order's tasks leave, a held one's wait.
			if msg.Told != "" && m.feedback.Level == floor.Info && strings.HasPrefix(m.feedback.Message, "From the office: ") {
				m.officeSaid = "From the office: " + msg.Told
			}
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
	case HintsMsg:
		m.opts.Hints = []string(msg)
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
		if data == "" && m.page.EnterOK() {
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
		if hint == "" && m.opts.DemoNewWave != nil && m.page.NewWave() {
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
	if p, ok := m.page.Press(k); ok {
		// While inputs are still with the station the page's state is
		// behind (a key pressed right after the PIN's Enter): the key goes
		// to the station, whose workflow judges it in turn.
		if !p.Works && p.Command != floor.CmdCancel && m.pending == 0 {
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

// idle: the bench waits for work a pull may bring (a pick cart between
// waves).
func (m Model) idle() bool { return m.page.Idle() }

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

// submit hands an input of the screen's own (the scan line, a key) to the
// station. When the station cannot take it, the operator is told at once
// with the bell (the station logs it): an input is never dropped without a
// word.
func (m Model) submit(a station.Action) (tea.Model, tea.Cmd) {
	if !m.sub.Submit(a) {
		m.refused = true
		return m.notTaken(a)
	}
	m.refused = false
	m.pending++
	return m, nil
}

// notTaken tells the operator an input was not taken: a scan is named, so
// it can be scanned again (a PIN never is).
func (m Model) notTaken(a station.Action) (tea.Model, tea.Cmd) {
	msg := station.ErrQueueFull.Error()
	if a.Command == "" && a.Weight == nil && a.Scan.Data != "" && !m.secret() {
		msg = "Not taken, the station is busy: scan " + a.Scan.Data + " again"
	}
	m.feedback = floor.Feedback{Level: floor.Error, Message: msg}
	return m, tea.Raw("\a")
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
	return c.top + "\n" + ui.ScanLine(m.line, m.secret(), w, c.prompt) + "\n" + c.keys
}

// renderFixed draws all but the scan line: above it and below it.
func (m Model) renderFixed() (top, keys string) {
	w, h := max(m.width, 20), max(m.height, 8)
	work, shortWork := m.page.Work()
	bar := ui.StatusBar(m.st, ui.Status{Station: m.opts.Station, Operator: m.operator(), Work: work, ShortWork: shortWork,
		Saving: m.pending > 0, Sync: m.sync, Now: m.now}, w)
	if len(m.devices) > 0 {
		bar += "\n" + ui.DeviceLine(m.st, m.devices, m.queues, w)
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
		panel = m.st.Panel.Height(bodyH).MaxHeight(bodyH).Render(ui.Clip(m.panelText(pw-2), pw-2, bodyH))
	case w >= 110:
		// Room to spare: the page's view beside the work (the walk
		// ahead, every carton of the order).
		pw := min(44, w/3)
		if beside := m.page.Beside(m.ctx(), pw-2, bodyH); beside != "" {
			bodyW = w - pw - 1
			panel = m.st.Panel.Height(bodyH).MaxHeight(bodyH).Render(ui.Clip(beside, pw-2, bodyH))
		}
	}
	var body string
	if m.panel && w < 60 {
		body = m.panelText(bodyW)
	} else {
		body = m.screen(bodyW, bodyH)
	}
	body = ui.Clip(body, bodyW, bodyH)
	body = lipgloss.NewStyle().Width(bodyW).Height(bodyH).MaxHeight(bodyH).Render(body)
	if panel != "" {
		body = lipgloss.JoinHorizontal(lipgloss.Top, body, " ", panel)
	}
	return strings.Join([]string{bar, body, fb}, "\n"), keys
}

// keyLine is the help line: the page's keys, Esc while an office refusal
// waits to be noted, and the keys answered around the station (Options.More).
func (m Model) keyLine(w int) string {
	keys, sep := m.page.Keys(m.ctx(), w)
	if m.refusalShown() {
		keys = append([]key.Binding{keys[0], m.keys.Noted}, keys[1:]...)
	}
	if len(m.opts.More) > 0 {
		keys = append(slices.Clip(keys), m.opts.More...)
	}
	return ui.HelpLine(*m.help, keys, sep, w)
}

// feedbackBlock is the message line.
func (m Model) feedbackBlock(w int) string { return ui.MessageLine(m.st, m.feedback, w) }

func (m Model) screen(w, h int) string { return m.page.Screen(m.ctx(), w, h) }

// panelText is the side panel F1 toggles: the page's.
func (m Model) panelText(w int) string { return m.page.Panel(m.ctx(), w) }

// secret reports whether the scan line is a PIN being typed, never shown.
func (m Model) secret() bool { return m.page.Secret() }

// demoHint is what F12 scans in the demo: the next barcode the bench waits
// for, "" when there is none to scan.
func (m Model) demoHint() string { return m.page.Hint(m.ctx()) }

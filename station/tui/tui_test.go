package tui

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/station/tui/pickpage"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// syncStation runs each submitted action through the real station at once
// and queues its outcome, so a test can feed outcomes back in order.
type syncStation struct {
	stn *station.Station
	out []station.Outcome
}

func (s *syncStation) Submit(a station.Action) bool {
	s.out = append(s.out, s.stn.Handle(context.Background(), a))
	return true
}

func (s *syncStation) take() []station.Outcome {
	out := s.out
	s.out = nil
	return out
}

// outbox is a station as a test drives it: it takes inputs and hands back
// their outcomes in order.
type outbox interface {
	Submitter
	take() []station.Outcome
}

var (
	_ outbox = (*syncStation)(nil)
	_ outbox = (*packBench)(nil)
)

type harness struct {
	t  testing.TB
	ss outbox
	m  Model
}

func newHarness(t testing.TB, w, h int, demoMode bool) *harness {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	site := demo.Site(1, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	for i := range site.Items { // hostile OMS data on the second task's item
		if site.Items[i].SKU == site.Tasks[1].SKU {
			site.Items[i].Description = "Evil \x1b]0;pwned\x07 \x1b[2J Mug"
		}
	}
	if err := st.LoadSite(ctx, site); err != nil {
		t.Fatal(err)
	}
	in, _ := barcode.NewInterpreter(barcode.DefaultPatterns())
	stn, err := station.Open(ctx, st, in, station.Options{ConfirmAbove: 10,
		Now: func() time.Time { return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ss := &syncStation{stn: stn}
	var badges []string
	for _, op := range demo.Operators {
		badges = append(badges, op.Badge+" "+op.Name)
	}
	m := New(ss, nil, stn.Snapshot(), Options{Station: "DEMO-01", Site: "DEMO", Demo: demoMode, Badges: badges})
	hs := &harness{t: t, ss: ss, m: m}
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
	return hs
}

// send feeds a message and then every outcome the station produced.
func (h *harness) send(msg tea.Msg) tea.Cmd {
	next, cmd := h.m.Update(msg)
	h.m = next.(Model)
	for _, o := range h.ss.take() {
		next, cmd = h.m.Update(OutcomeMsg(o))
		h.m = next.(Model)
	}
	return cmd
}

func (h *harness) typeLine(s string) tea.Cmd {
	for _, r := range s {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
}

func (h *harness) press(code rune) tea.Cmd { return h.send(tea.KeyPressMsg{Code: code}) }

func (h *harness) screen() string { return ansi.Strip(h.m.render()) }

func (h *harness) golden(name string) {
	h.t.Helper()
	got := h.screen()
	lines := strings.Split(got, "\n")
	if len(lines) != h.m.height {
		h.t.Errorf("%s: %d lines, want %d", name, len(lines), h.m.height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > h.m.width {
			h.t.Errorf("%s: line %d is %d cells wide, screen is %d: %q", name, i, w, h.m.width, l)
		}
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(path, []byte(got), 0o644)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatalf("%v (run go test ./station/tui -update)", err)
	}
	if got != string(want) {
		h.t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", name, path, got, want)
	}
}

func (h *harness) state() pick.State { return h.m.page.(pickpage.Page).State() }

// walk drives the demo through login, a tote, a location and an item, taking
// golden snapshots along the way.
func walk(t *testing.T, w, hgt int) {
	size := strconv.Itoa(w) + "x" + strconv.Itoa(hgt)
	h := newHarness(t, w, hgt, true)
	h.golden("login_demo_" + size)
	h.press(tea.KeyF1)
	h.golden("login_" + size)
	h.typeLine("B1001")
	h.golden("tote_" + size)
	task, _ := h.state().Task()
	h.typeLine("T00001")
	h.golden("location_" + size)
	h.typeLine("A-99-99-9")
	h.golden("wrong_location_" + size)
	h.typeLine(task.Location)
	h.golden("item_" + size)
	h.press(tea.KeyF5)
	h.golden("short_" + size)
	h.press(tea.KeyEscape)
	h.press(tea.KeyF2)
	h.golden("quantity_" + size)
}

func TestScreens80x24(t *testing.T) { walk(t, 80, 24) }

func TestWideScreenShowsTheWalkAhead(t *testing.T) {
	h := newHarness(t, 132, 40, false)
	h.typeLine("B1001")
	h.typeLine("T00001")
	h.golden("location_132x40")
	if !strings.Contains(h.screen(), "NEXT UP") {
		t.Fatal("no upcoming tasks on a wide screen")
	}
}
func TestScreens40x16(t *testing.T) { walk(t, 40, 16) }

func TestWrongScanRingsTheBell(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	cmd := h.typeLine("B0000")
	if !strings.Contains(h.screen(), "✖ Unknown badge B0000") {
		t.Fatalf("screen:\n%s", h.screen())
	}
	if !bellIn(cmd) {
		t.Fatal("a rejected scan did not ring the bell")
	}
	cmd = h.typeLine("B1001")
	if bellIn(cmd) {
		t.Fatal("an accepted scan rang the bell")
	}
}

// bellIn runs a command (and a batch's commands) looking for the bell.
func bellIn(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.RawMsg:
		return msg.Msg == "\a"
	case tea.BatchMsg:
		for _, c := range msg {
			if c != nil && isBell(c) {
				return true
			}
		}
	}
	return false
}

func isBell(c tea.Cmd) bool {
	done := make(chan tea.Msg, 1)
	go func() { done <- c() }()
	select {
	case msg := <-done:
		raw, ok := msg.(tea.RawMsg)
		return ok && raw.Msg == "\a"
	case <-time.After(100 * time.Millisecond):
		return false // the outcome waiter blocks: it is not the bell
	}
}

// TestHostileDataIsNeutralised: escape sequences in OMS data or in a scan
// never reach the terminal raw.
func TestHostileDataIsNeutralised(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1001")
	// Find the task whose item is the hostile one, then walk to it.
	for i := 0; i < 400; i++ {
		task, ok := h.state().Task()
		if !ok {
			t.Fatal("ran out of tasks before the hostile item")
		}
		if strings.Contains(task.Description, "Evil") {
			break
		}
		h.press(tea.KeyF4) // skip
		if h.state().Step == pick.StepTote {
			h.typeLine(fmt.Sprintf("T%05d", 1000+i))
		}
	}
	h.typeLine("X\x1b[31mRED\x1b]0;title\x07")
	raw := h.m.render()
	for _, bad := range []string{"\x1b]0;pwned", "\x1b[2J", "\x1b[31mRED", "\x1b]0;title", "\a"} {
		if strings.Contains(raw, bad) {
			t.Fatalf("raw escape %q reached the screen", bad)
		}
	}
	if !strings.Contains(h.screen(), `Evil \x1b]0;pwned\x07`) {
		t.Fatalf("hostile description not shown escaped:\n%s", h.screen())
	}
}

// TestPINIsMasked: the demo's one operator with a PIN is its supervisor,
// whose badge at the cart's login opens the supervisor bench's PIN prompt.
func TestPINIsMasked(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1004")
	if h.superviseState().Step != supervise.StepPIN {
		t.Fatalf("step %s", h.superviseState().Step)
	}
	for _, r := range "2468" {
		h.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	if s := h.screen(); strings.Contains(s, "2468") || !strings.Contains(s, "> ••••") {
		t.Fatalf("PIN visible or not masked:\n%s", s)
	}
	h.send(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !h.superviseState().LoggedIn() {
		t.Fatal("PIN login failed")
	}
}

func TestCommandBarcodeAndKeyAreTheSame(t *testing.T) {
	for _, viaKey := range []bool{true, false} {
		h := newHarness(t, 80, 24, false)
		h.typeLine("B1001")
		h.typeLine("T00001")
		task, _ := h.state().Task()
		h.typeLine(task.Location)
		if viaKey {
			h.press(tea.KeyF5)
		} else {
			h.typeLine(floor.CmdShort.Barcode())
		}
		if h.state().Step != pick.StepShort {
			t.Fatalf("viaKey=%v: step %s", viaKey, h.state().Step)
		}
	}
}

func TestDemoF12ScansTheNextBarcode(t *testing.T) {
	h := newHarness(t, 80, 24, true)
	h.typeLine("B1001")
	for i := 0; i < 12; i++ {
		h.press(tea.KeyF12)
	}
	done, _, _, _ := h.state().Progress()
	if done < 2 {
		t.Fatalf("12 presses of F12 picked %d tasks; screen:\n%s", done, h.screen())
	}
}

func TestScannerDropAlertsTheOperator(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.send(DeviceMsg{Device: "cart-1", Kind: "scanner", Status: "connected"})
	if !strings.Contains(h.screen(), "● cart-1") {
		t.Fatalf("device line missing:\n%s", h.screen())
	}
	cmd := h.send(DeviceMsg{Device: "cart-1", Kind: "scanner", Status: "reconnecting", Reason: "device unplugged"})
	s := h.screen()
	if !strings.Contains(s, "cart-1 RECONNECTING: device unplugged") || !strings.Contains(s, "✖ Scanner cart-1 lost: reconnecting (device unplugged)") {
		t.Fatalf("no alert:\n%s", s)
	}
	if !bellIn(cmd) {
		t.Fatal("a dropped scanner did not ring the bell")
	}
	h.send(DeviceMsg{Device: "cart-1", Kind: "scanner", Status: "connected"})
	if !strings.Contains(h.screen(), "✔ scanner cart-1 is back") {
		t.Fatalf("no recovery notice:\n%s", h.screen())
	}
}

func TestStatusBarShowsSync(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.send(SyncMsg{Online: false, Waiting: 42, OldestWaiting: 3 * time.Minute})
	if bar := strings.Split(h.screen(), "\n")[0]; !strings.Contains(bar, "OFFLINE 42↑") {
		t.Fatalf("status bar: %q", bar)
	}
	cmd := h.send(SyncMsg{Stopped: true, Problem: "the hub refused this station's token (401)"})
	if s := h.screen(); !strings.Contains(s, "SYNC STOPPED") || !strings.Contains(s, "Sync stopped: the hub refused") || !bellIn(cmd) {
		t.Fatalf("stopped sync not shown:\n%s", s)
	}
	h.send(SyncMsg{Online: true, News: "order ORD-100003 held: INCORRECT_ADDRESS", NewsAt: time.Date(2026, 11, 22, 9, 11, 0, 0, time.UTC)})
	if !strings.Contains(h.screen(), "From the office: order ORD-100003 held: INCORRECT_ADDRESS") {
		t.Fatalf("news not shown:\n%s", h.screen())
	}
	h.send(SyncMsg{Online: true, Waiting: 0, Rejected: 1, LastPull: time.Date(2026, 11, 22, 9, 12, 0, 0, time.Local)})
	if bar := strings.Split(h.screen(), "\n")[0]; !strings.Contains(bar, "online 0↑ pulled 09:12") {
		t.Fatalf("status bar: %q", bar)
	}
	// A hub that answers but cannot apply is not "online", and says for
	// how long; nor is a station whose own store fails.
	h.send(ClockMsg(time.Date(2026, 11, 22, 9, 20, 0, 0, time.Local)))
	h.send(SyncMsg{Failing: "hub", Waiting: 7, Problem: "hub error (500)", OfflineSince: time.Date(2026, 11, 22, 9, 17, 30, 0, time.Local)})
	if bar := strings.Split(h.screen(), "\n")[0]; !strings.Contains(bar, "HUB FAILING 2m 30s · 7↑") {
		t.Fatalf("status bar with the hub failing: %q", bar)
	}
	h.send(SyncMsg{Online: true, Failing: "store", Waiting: 7, Problem: "station store: disk full"})
	if bar := strings.Split(h.screen(), "\n")[0]; !strings.Contains(bar, "STORE FAILING") || strings.Contains(bar, "online") {
		t.Fatalf("status bar with the store failing: %q", bar)
	}
	// The hub refuses pushes over the station's quota, or this build.
	h.send(SyncMsg{Failing: "quota", Waiting: 7, Problem: "hub refused the push: station PICK-01's events … over its quota of 1 MiB"})
	if s := h.screen(); !strings.Contains(strings.Split(s, "\n")[0], "HUB QUOTA FULL") || !strings.Contains(s, "quota of 1 MiB") {
		t.Fatalf("the quota refusal not shown:\n%s", s)
	}
	h.send(SyncMsg{Failing: "build", Stopped: true, Problem: "hub refuses this station's tote build: … update tote on the station"})
	if s := h.screen(); !strings.Contains(strings.Split(s, "\n")[0], "UPDATE TOTE") || !strings.Contains(s, "Sync stopped: hub refuses this station") {
		t.Fatalf("the build refusal not shown:\n%s", s)
	}
}

func TestLabelNotPrintedTellsWhatToDo(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.send(DeviceMsg{Device: "zebra-1", Kind: "printer", Status: "connected"})
	cmd := h.send(PrintMsg{Printer: "zebra-1", Waiting: 2, Problem: "out of labels", Instruction: "load labels"})
	s := h.screen()
	if !strings.Contains(s, "✖ Label not printed on zebra-1: out of labels. Load labels") || !strings.Contains(s, "zebra-1 (2 waiting): out of labels — load labels") {
		t.Fatalf("screen:\n%s", s)
	}
	if !bellIn(cmd) {
		t.Fatal("no bell for a held label")
	}
	h.send(PrintMsg{Printer: "zebra-1"})
	if strings.Contains(h.screen(), "waiting") {
		t.Fatalf("queue still shown after it drained:\n%s", h.screen())
	}
}

// TestOfficeNewsNeverCoversAnError: news from a pull waits behind an error
// the operator has not acted on (here a refused scan), and shows once the
// screen has nothing more urgent to say.
func TestOfficeNewsNeverCoversAnError(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("NOT-A-BADGE")
	if h.m.feedback.Level != floor.Error {
		t.Fatalf("a garbled login scan is not an error: %+v", h.m.feedback)
	}
	refused := h.m.feedback.Message
	h.send(SyncMsg{Online: true, News: "order ORD-100003 held: INCORRECT_ADDRESS", NewsAt: time.Date(2026, 11, 22, 9, 11, 0, 0, time.UTC)})
	if s := h.screen(); strings.Contains(s, "From the office") || !strings.Contains(s, refused) {
		t.Fatalf("news covered the refused scan:\n%s", s)
	}
	h.typeLine("B1001")
	if h.m.feedback.Level == floor.Error {
		t.Fatalf("login refused: %+v", h.m.feedback)
	}
	h.send(SyncMsg{Online: true, News: "order ORD-100004 cancelled", NewsAt: time.Date(2026, 11, 22, 9, 12, 0, 0, time.UTC)})
	if !strings.Contains(h.screen(), "From the office: order ORD-100004 cancelled") {
		t.Fatalf("news not shown after the login:\n%s", h.screen())
	}
	// A supervisor's answer to an exception met here is read with the
	// error, before it: the error stays.
	h.send(PrintMsg{Printer: "zebra-1", Waiting: 1, Problem: "out of labels", Instruction: "load labels"})
	told := "Label in doubt: B1004 marked the label printed (on the carton)"
	h.send(SyncMsg{Online: true, News: told, Told: told, NewsAt: time.Date(2026, 11, 22, 9, 13, 0, 0, time.UTC)})
	if f := h.m.feedback; f.Level != floor.Error || !strings.HasPrefix(f.Message, "From the office: "+told+". Label not printed on zebra-1") {
		t.Fatalf("the supervisor's answer with the error: %+v\n%s", f, h.screen())
	}
}

// TestOfficeNewsReachTheCartAtOnce: news of a cancellation takes the
// order's tasks out of the walk as it arrives, not at the next scan.
func TestOfficeNewsReachTheCartAtOnce(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1001")
	task, _ := h.state().Task()
	st := h.ss.(*syncStation).stn.Store()
	if _, err := st.ApplyPull(context.Background(), store.Pulled{Cursor: "c1", Changes: []store.Change{{Cancel: &store.Cancellation{Order: task.OrderID}}}}); err != nil {
		t.Fatal(err)
	}
	h.send(SyncMsg{Online: true, News: "cancelled: " + task.OrderID, NewsAt: time.Date(2026, 11, 22, 9, 12, 0, 0, time.UTC)})
	if now, _ := h.state().Task(); now.OrderID == task.OrderID || !strings.Contains(h.screen(), task.OrderID+" cancelled: its tasks left your walk") {
		t.Fatalf("the cancelled order's task %d is still in hand (%d):\n%s", task.ID, now.ID, h.screen())
	}
}

// TestOfficeWordsStayWithTheCartsNews: a supervisor's resolution and the
// task it sends arrive in one pull. The cart says what the task is, after
// the office's words (who decided, and why), not instead of them.
func TestOfficeWordsStayWithTheCartsNews(t *testing.T) {
	h := newHarness(t, 120, 40, false)
	h.typeLine("B1001")
	task, _ := h.state().Task()
	st := h.ss.(*syncStation).stn.Store()
	more := floor.PickTask{ID: 99001, WaveID: task.WaveID, OrderID: task.OrderID, LineNo: task.LineNo, Location: "A-05-20-5",
		SKU: task.SKU, Qty: 1, Status: floor.TaskOpen, SortKey: 99001}
	if _, err := st.ApplyPull(context.Background(), store.Pulled{Cursor: "c1", Changes: []store.Change{{Task: &more}}}); err != nil {
		t.Fatal(err)
	}
	news := "Short pick on order " + task.OrderID + ": B1004 re-released the remainder to A-05-20-5 (top shelf)"
	h.send(SyncMsg{Online: true, News: news, Told: news, NewsAt: time.Date(2026, 11, 22, 9, 12, 0, 0, time.UTC), LastPull: time.Date(2026, 11, 22, 9, 12, 0, 0, time.UTC)})
	s := h.screen()
	if !strings.Contains(s, "From the office: "+news) || !strings.Contains(s, "from A-05-20-5") {
		t.Fatalf("the office's words and the cart's news of the task:\n%s", s)
	}
}

package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/pick"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/station/tui/ui"
)

// TestOfflineAgeIsLabelledAndTicks: issue 14 (11c). The status bar says
// how long the station has been offline, and the count moves each second.
func TestOfflineAgeIsLabelledAndTicks(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	since := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	h.send(SyncMsg{Online: false, Waiting: 42, OfflineSince: since})
	h.send(ClockMsg(since.Add(2*time.Minute + 10*time.Second)))
	if bar := strings.Split(h.screen(), "\n")[0]; !strings.Contains(bar, "OFFLINE 2m 10s · 42↑") {
		t.Fatalf("status bar: %q", bar)
	}
	h.send(ClockMsg(since.Add(2*time.Minute + 11*time.Second)))
	if bar := strings.Split(h.screen(), "\n")[0]; !strings.Contains(bar, "OFFLINE 2m 11s · 42↑") {
		t.Fatalf("the age did not tick: %q", bar)
	}
	h.send(SyncMsg{Online: true, Waiting: 0, OfflineSince: since})
	if bar := strings.Split(h.screen(), "\n")[0]; strings.Contains(bar, "2m") || !strings.Contains(bar, "online") {
		t.Fatalf("back online: %q", bar)
	}
}

// TestStatusBarKeepsStationAndOperatorAt40: issue 14 (11d).
func TestStatusBarKeepsStationAndOperatorAt40(t *testing.T) {
	h := newHarness(t, 40, 16, false)
	h.typeLine("B1001")
	since := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	h.send(SyncMsg{Online: false, Waiting: 7, OfflineSince: since, LastPull: since})
	h.send(ClockMsg(since.Add(75 * time.Second)))
	bar := strings.Split(h.screen(), "\n")[0]
	if !strings.Contains(bar, "tote DEMO-01 · Ana Picker") || !strings.Contains(bar, "OFFLINE") {
		t.Fatalf("status bar at 40 columns: %q", bar)
	}
}

// TestRefusalNamesTheOrderAndEscAcknowledges: issue 14 (11a). A pick the
// office refused is announced with the order and what to do; Esc
// acknowledges it, durably: it is not announced again, even by a station
// opened afresh on the same store.
func TestRefusalNamesTheOrderAndEscAcknowledges(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1001")
	h.typeLine("T00001")
	task, _ := h.state().Task()
	h.typeLine(task.Location)
	h.typeLine(strings.TrimPrefix(task.GTIN, "0"))
	stn := h.ss.(*syncStation).stn
	st := stn.Store()
	evs, err := st.JournalAfter(ctx, 0, floor.EvUnitsPicked)
	if err != nil || len(evs) != 1 {
		t.Fatalf("picks in the journal: %v, %v", evs, err)
	}
	last, _ := st.LastSeq(ctx)
	if err := st.RecordPush(ctx, store.PushAck{Mark: last, At: time.Now(), Rejections: []store.Rejection{
		{Seq: evs[0].Seq, Reason: "order cancelled centrally: return the goods to stock"}}}); err != nil {
		t.Fatal(err)
	}
	rs, err := stn.Refusals(ctx)
	if err != nil || len(rs) != 1 {
		t.Fatalf("refusals %v, %v", rs, err)
	}
	cmd := h.send(SyncMsg{Online: true, Rejected: 1, Refusals: rs})
	s := h.screen()
	want := "Office refused " + task.OrderID + "'s pick: order cancelled centrally: return the goods to stock. Put 1 × " + task.SKU + " from tote T00001 back to " + task.Location
	if !strings.Contains(strings.Join(strings.Fields(s), " "), want) || !bellIn(cmd) {
		t.Fatalf("want %q with the bell:\n%s", want, s)
	}
	if keys := strings.Split(s, "\n")[23]; !strings.Contains(keys, "Esc noted") {
		t.Fatalf("help line: %q", keys)
	}
	h.press(tea.KeyEscape)
	if h.m.refusal != nil || strings.Contains(h.screen(), "Office refused") {
		t.Fatalf("still shown after Esc:\n%s", h.screen())
	}
	if h.state().Step != pick.StepItem && h.state().Step != pick.StepLocation && h.state().Step != pick.StepTote {
		t.Fatalf("Esc did more than acknowledge: step %s", h.state().Step)
	}
	// The next status (every few seconds) brings the list again: nothing left.
	rs, _ = stn.Refusals(ctx)
	h.send(SyncMsg{Online: true, Rejected: 1, Refusals: rs})
	if len(rs) != 0 || strings.Contains(h.screen(), "Office refused") {
		t.Fatalf("acknowledged refusal back: %v", rs)
	}
	// A restart: a new station on the same store.
	in, _ := barcode.NewInterpreter(barcode.DefaultPatterns())
	again, err := station.Open(ctx, st, in, station.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rs, _ := again.Refusals(ctx); len(rs) != 0 {
		t.Fatalf("acknowledged refusal announced again after a restart: %v", rs)
	}
}

// TestNewWaveAppearsWithoutLoggingOut: issue 14 (11b). A picker waiting
// with no work sees a wave a pull brought at once; the login screen stops
// saying "No wave waiting"; and the scan that starts a wave is applied.
func TestNewWaveAppearsWithoutLoggingOut(t *testing.T) {
	ctx := context.Background()
	open := func(t *testing.T) (*store.Store, store.Site, *harness) {
		st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), "DEMO-01")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		site := demo.Site(1, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
		later := store.Site{Waves: site.Waves, Tasks: site.Tasks}
		site.Waves, site.Tasks = nil, nil
		if err := st.LoadSite(ctx, site); err != nil {
			t.Fatal(err)
		}
		in, _ := barcode.NewInterpreter(barcode.DefaultPatterns())
		stn, err := station.Open(ctx, st, in, station.Options{Now: func() time.Time { return time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC) }})
		if err != nil {
			t.Fatal(err)
		}
		ss := &syncStation{stn: stn}
		h := &harness{t: t, ss: ss, m: New(ss, nil, stn.Snapshot(), Options{Station: "DEMO-01"})}
		h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
		return st, later, h
	}
	pulled := time.Date(2026, 11, 22, 9, 5, 0, 0, time.UTC)

	t.Run("login screen", func(t *testing.T) {
		st, later, h := open(t)
		if !strings.Contains(h.screen(), "No wave waiting") {
			t.Fatalf("screen:\n%s", h.screen())
		}
		if err := st.LoadSite(ctx, later); err != nil {
			t.Fatal(err)
		}
		h.send(SyncMsg{Online: true, LastPull: pulled})
		if s := h.screen(); strings.Contains(s, "No wave waiting") || !strings.Contains(s, "Wave "+demo.WaveID) {
			t.Fatalf("the login screen did not update:\n%s", s)
		}
	})
	t.Run("no work screen", func(t *testing.T) {
		st, later, h := open(t)
		h.typeLine("B1001")
		if h.state().Step != pick.StepNoWork {
			t.Fatalf("step %s", h.state().Step)
		}
		if err := st.LoadSite(ctx, later); err != nil {
			t.Fatal(err)
		}
		h.send(SyncMsg{Online: true, LastPull: pulled})
		if h.state().Step != pick.StepTote || !strings.Contains(h.screen(), "Scan a tote for") {
			t.Fatalf("the wave did not appear: step %s\n%s", h.state().Step, h.screen())
		}
	})
	t.Run("the scan that starts it", func(t *testing.T) {
		st, later, h := open(t)
		h.typeLine("B1001")
		if err := st.LoadSite(ctx, later); err != nil {
			t.Fatal(err)
		}
		h.typeLine("T00001") // no pull yet: this scan wakes the cart
		if h.state().Step != pick.StepLocation || h.state().Tote != "T00001" {
			t.Fatalf("the tote scan was swallowed: step %s tote %q: %s", h.state().Step, h.state().Tote, h.m.feedback.Message)
		}
	})
}

// TestBigLocationStaysWithAWrappedMessageAt40x16: issue 14 (11d). With the
// device line and a refusal that wraps to two lines, the location is still
// in big letters, the status bar keeps the station and the operator, and
// the help line shows F5 and F10.
func TestBigLocationStaysWithAWrappedMessageAt40x16(t *testing.T) {
	h := newHarness(t, 40, 16, false)
	h.send(DeviceMsg{Device: "demo-scanner", Kind: "scanner", Status: "connected"})
	h.send(DeviceMsg{Device: "demo-printer", Kind: "printer", Status: "connected"})
	h.send(SyncMsg{Online: true, LastPull: time.Date(2026, 11, 22, 9, 12, 0, 0, time.UTC)})
	h.typeLine("B1001")
	h.typeLine("T00001")
	h.typeLine("A-99-99-9")
	h.golden("wrong_location_devices_40x16")
	lines := strings.Split(h.screen(), "\n")
	if !strings.Contains(lines[0], "tote DEMO-01 · Ana Picker") {
		t.Errorf("status bar: %q", lines[0])
	}
	if !strings.Contains(h.screen(), "███") {
		t.Errorf("the location is not big:\n%s", h.screen())
	}
	if keys := lines[len(lines)-1]; !strings.Contains(keys, "F5 short") || !strings.Contains(keys, "F10 logout") {
		t.Errorf("help line: %q", keys)
	}
	if fb := strings.Join(lines[12:14], "\n"); !strings.Contains(fb, "Wrong location") || !strings.Contains(fb, "01-02-5") {
		t.Errorf("the message did not wrap onto two lines:\n%s", fb)
	}
}

// TestRefusalAt40x16SaysOrderAndWhatToDo: on a narrow screen the notice
// is the short form, so the order and where the goods go fit its two lines.
func TestRefusalAt40x16SaysOrderAndWhatToDo(t *testing.T) {
	h := newHarness(t, 40, 16, false)
	h.typeLine("B1001")
	h.send(SyncMsg{Online: true, Rejected: 11, Refusals: []station.Refusal{{Seq: 40,
		Message: "Office refused ORD-100006's pick (11 events): order cancelled centrally: return the goods to stock. Put 11 × BACK-018 from tote T00006 back to A-02-03-1",
		Short:   "ORD-100006 cancelled: put 11 × BACK-018 from T00006 back to A-02-03-1"}}})
	h.golden("refusal_40x16")
	lines := strings.Split(h.screen(), "\n")
	// Compared without spaces: the wrap may break after a hyphen.
	fb := strings.Join(strings.Fields(strings.Join(lines[len(lines)-4:len(lines)-2], " ")), "")
	if !strings.Contains(fb, "ORD-100006cancelled:put11×BACK-018fromT00006backtoA-02-03-1") {
		t.Fatalf("notice at 40 columns: %q", fb)
	}
	if !strings.Contains(lines[len(lines)-1], "Esc noted") {
		t.Fatalf("help line %q", lines[len(lines)-1])
	}
}

// TestDemoSaysItsFolder: issue 14 (11f). The demo's first screen says
// where its folder is, also when it resumes.
func TestDemoSaysItsFolder(t *testing.T) {
	stn := openStation(t, nil)
	m := New(stn, nil, stn.Snapshot(), Options{Station: "DEMO-01", Demo: true, DemoDir: "/tmp/tote-demo-1"})
	if m.feedback.Message != "Demo folder: /tmp/tote-demo-1" {
		t.Fatalf("first message %q", m.feedback.Message)
	}
	resumed := stn.Snapshot()
	cart := resumed.State.(pick.State)
	cart.Operator = floor.Operator{Badge: "B1001", Name: "Ana Picker"}
	resumed.State = cart
	m = New(stn, nil, resumed, Options{Station: "DEMO-01", Demo: true, DemoDir: "/tmp/tote-demo-1"})
	if !strings.Contains(m.feedback.Message, "Resumed where Ana Picker left off") || !strings.Contains(m.feedback.Message, "/tmp/tote-demo-1") {
		t.Fatalf("first message on resume %q", m.feedback.Message)
	}
}

// TestMessagesWrapAtSpacesNotInsideCodes: at 40 columns a message that wraps
// keeps the floor's codes whole. It broke after any hyphen ("go to A-" /
// "01-02-5", "/tmp/tote-demo-" / "4209712191"), so the picker read half a
// location and a new user copied half a folder.
func TestMessagesWrapAtSpacesNotInsideCodes(t *testing.T) {
	h := newHarness(t, 40, 16, false)
	h.typeLine("B1001")
	h.typeLine("T00001")
	h.typeLine("A-99-99-9")
	lines := strings.Split(h.screen(), "\n")
	if fb := strings.Join(lines[len(lines)-4:len(lines)-2], "\n"); !strings.Contains(fb, "A-01-02-5") || !strings.Contains(fb, "A-99-99-9") {
		t.Errorf("a location was split by the wrap:\n%s", fb)
	}

	stn := openStation(t, nil)
	dir := "/tmp/tote-demo-4209712191"
	m := New(stn, nil, stn.Snapshot(), Options{Station: "DEMO-01", Demo: true, DemoDir: dir})
	if fb := m.feedbackBlock(40); !strings.Contains(fb, dir) {
		t.Errorf("the demo folder was split by the wrap:\n%s", fb)
	}
}

func TestWrapWords(t *testing.T) {
	cases := []struct {
		text string
		w    int
		want []string
	}{
		{"Wrong location A-99-99-9: go to A-01-02-5", 38, []string{"Wrong location A-99-99-9: go to", "A-01-02-5"}},
		{"a b", 10, []string{"a b"}},
		{"", 10, []string{""}},
		{"ORD-1000000001-LONG-CODE", 10, []string{"ORD-100000", "0001-LONG-", "CODE"}}, // wider than the line: cut
		{"put 11 × BACK-018 back", 12, []string{"put 11 ×", "BACK-018", "back"}},
		{"東京都千代田区", 6, []string{"東京都", "千代田", "区"}}, // wide runes count two cells
		{"one\ntwo three", 5, []string{"one", "two", "three"}},
	}
	for _, c := range cases {
		got := ui.WrapWords(c.text, c.w)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("ui.WrapWords(%q, %d) = %q, want %q", c.text, c.w, got, c.want)
		}
		for _, l := range got {
			if ansi.StringWidth(l) > c.w {
				t.Errorf("ui.WrapWords(%q, %d): line %q is wider than %d", c.text, c.w, l, c.w)
			}
		}
	}
}

// TestWrapInShowsTheEndWhenSpacesCannot: a two-line place keeps codes whole
// when the text fits, and breaks after hyphens only when that shows more.
func TestWrapInShowsTheEndWhenSpacesCannot(t *testing.T) {
	if got := ui.WrapIn("✖ Wrong location A-99-99-9: go to A-01-02-5", 38, 2); got[1] != "A-01-02-5" {
		t.Errorf("fits at spaces: %q", got)
	}
	got := ui.WrapIn("✖ ORD-100006 cancelled: put 11 × BACK-018 from T00006 back to A-02-03-1", 38, 2)
	if len(got) != 2 || !strings.HasSuffix(got[1], "A-02-03-1") {
		t.Errorf("the return location is not on the two lines: %q", got)
	}
}

// TestKeysAroundTheStationOnTheHelpLine: a key answered around the
// station's screen (the demo's Tab to its next station, Options.More) is
// on its help line after the page's keys, and a pack hint sent later
// (HintsMsg) is what F12 offers.
func TestKeysAroundTheStationOnTheHelpLine(t *testing.T) {
	h := newHarness(t, 80, 24, true)
	if strings.Contains(h.screen(), "Tab") {
		t.Fatal("a station without keys around it shows Tab")
	}
	h.m.opts.More = []key.Binding{key.NewBinding(key.WithKeys("tab"), key.WithHelp("Tab", "pack bench"))}
	h.send(ClockMsg(time.Now())) // a new frame
	lines := strings.Split(h.screen(), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "F1 help") || !strings.HasSuffix(strings.TrimSpace(last), "Tab pack bench") {
		t.Fatalf("help line %q: want the page's keys, then Tab pack bench", last)
	}
	h.send(HintsMsg{"T00042"})
	if got := h.m.opts.Hints; len(got) != 1 || got[0] != "T00042" {
		t.Fatalf("pack hints %v after a HintsMsg", got)
	}
}

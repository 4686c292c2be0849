package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/totewms/tote/station/supervise"
	"github.com/totewms/tote/station/tui/supervisepage"
)

func (h *harness) superviseState() supervise.State {
	h.t.Helper()
	p, ok := h.m.page.(supervisepage.Page)
	if !ok {
		h.t.Fatalf("the screen shows %T, not the supervisor's page", h.m.page)
	}
	return p.State()
}

// TestSupervisorVisitsTheCartOnScreen drives the root model over the real
// station: the supervisor's badge at the cart's login opens the
// supervisor's page (the registered page, opened from the outcome), keys
// move through the screens, and F10 gives the screen back to the cart's
// login page. A station without a hub says the figures are not fetched.
func TestSupervisorVisitsTheCartOnScreen(t *testing.T) {
	h := newHarness(t, 80, 24, false)
	h.typeLine("B1004")
	h.typeLine("2468")
	if !h.superviseState().LoggedIn() {
		t.Fatalf("not signed in:\n%s", h.screen())
	}
	s := h.screen()
	for _, want := range []string{"WAVES", "OFFLINE · no figures from the office yet", "Dana Supervisor"} {
		if !strings.Contains(s, want) {
			t.Fatalf("no %q on the supervisor's screen:\n%s", want, s)
		}
	}
	for _, c := range []struct {
		key   rune
		view  supervise.View
		title string
	}{{tea.KeyF3, supervise.ViewPeople, "PEOPLE"}, {tea.KeyF5, supervise.ViewHealth, "SITE HEALTH"},
		{tea.KeyF4, supervise.ViewExceptions, "EXCEPTIONS"}, {tea.KeyF2, supervise.ViewWaves, "WAVES"}} {
		h.press(c.key)
		if v := h.superviseState().View; v != c.view || !strings.Contains(h.screen(), c.title) {
			t.Fatalf("key %v: view %s\n%s", c.key, v, h.screen())
		}
	}
	// A command barcode typed by a wedge scanner: its letters reach the
	// scan line, not keys.
	h.typeLine("CMD:SUP-PEOPLE")
	if v := h.superviseState().View; v != supervise.ViewPeople {
		t.Fatalf("CMD:SUP-PEOPLE: view %s", v)
	}
	h.press(tea.KeyF10)
	if h.state().Step != "login" {
		t.Fatalf("after signing out the cart is at %s", h.state().Step)
	}
	if s := h.screen(); !strings.Contains(s, "LOG IN") || !strings.Contains(s, "Logged out") {
		t.Fatalf("the cart's login is not back:\n%s", s)
	}
}

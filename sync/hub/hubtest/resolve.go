package hubtest

import (
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

// resolutions: a supervisor.exception_resolved event applies only from a
// badge the hub knows as a supervisor; a picker's badge, an unknown one
// (a forged event) and a second resolution are refused; a resolved
// exception leaves the site's queue; release_held lifts the named hold.
func resolutions(t *testing.T, h *hub.Service) {
	site(t, h, 3)
	_, err := h.ImportReference(ctx, protocol.Reference{Operators: []protocol.Operator{
		{Badge: "B1001", Name: "Pia", Roles: []string{"picker"}},
		{Badge: "B1004", Name: "Sam", Roles: []string{"packer", "supervisor"}}}})
	must(t, err)
	register(t, h, "CART-01")
	register(t, h, "SUP-01")
	_, err = h.CreateWave(ctx, protocol.NewWave{ID: "W1", Orders: []string{"SO-1", "SO-2"}, Station: "CART-01"}, at)
	must(t, err)
	cart := &journal{station: "CART-01"}
	_, err = h.Push(ctx, "CART-01", at, []protocol.Event{cart.ev(string(floor.EvUnitsPicked), picked("SO-1", 1, 2)),
		cart.ev(string(floor.EvUnitsPicked), picked("SO-2", 1, 2))})
	must(t, err)
	must(t, h.PlaceHold(ctx, "SO-2", protocol.Hold{Reason: "ADDRESS"}, at))
	must(t, h.CancelOrder(ctx, "SO-1", "customer", at))
	cs, err := h.Conflicts(ctx, 0, 10)
	must(t, err)
	if len(cs) != 1 {
		t.Fatalf("conflicts %+v, want the cancelled pick", cs)
	}
	resolve := func(j *journal, badge string, p floor.ExceptionResolvedPayload) protocol.Outcome {
		t.Helper()
		ev := j.ev(string(floor.EvExceptionResolved), p)
		ev.Operator = badge
		resp, err := h.Push(ctx, j.station, at, []protocol.Event{ev})
		must(t, err)
		return resp.Outcomes[0]
	}
	sup := &journal{station: "SUP-01"}
	ok := floor.ExceptionResolvedPayload{Exception: cs[0].ID, Action: floor.ResolveApproveShort, Reason: "customer agreed"}
	for _, tc := range []struct {
		badge string
		p     floor.ExceptionResolvedPayload
		want  string
	}{
		{"B1001", ok, "not a supervisor"},
		{"B9999", ok, "not a supervisor"},
		{"", ok, "not a supervisor"},
		{"B1004", floor.ExceptionResolvedPayload{Exception: cs[0].ID, Action: "shrug", Reason: "x"}, "is not a resolution"},
		{"B1004", floor.ExceptionResolvedPayload{Exception: cs[0].ID, Action: floor.ResolveReprint}, "needs a reason"},
		{"B1004", floor.ExceptionResolvedPayload{Exception: 999, Action: floor.ResolveReprint, Reason: "x"}, "not known"},
	} {
		// The picker's own cart, or a station claiming a badge.
		if o := resolve(sup, tc.badge, tc.p); o.Status != protocol.Rejected || !strings.Contains(o.Reason, tc.want) {
			t.Fatalf("%s resolving %+v: %+v, want refused (%s)", tc.badge, tc.p, o, tc.want)
		}
	}
	if o := resolve(cart, "B1001", ok); o.Status != protocol.Rejected {
		t.Fatalf("a picker resolving from the cart: %+v", o)
	}
	site, err := h.Site(ctx, 0, at)
	must(t, err)
	if len(site.Exceptions) != 1 {
		t.Fatalf("refused resolutions resolved something: %+v", site.Exceptions)
	}
	if o := resolve(sup, "B1004", ok); o.Status != protocol.Accepted {
		t.Fatalf("the supervisor's resolution: %+v", o)
	}
	if o := resolve(sup, "B1004", ok); o.Status != protocol.Rejected || !strings.Contains(o.Reason, "resolved already") {
		t.Fatalf("a second resolution: %+v", o)
	}
	if site, _ = h.Site(ctx, 0, at); len(site.Exceptions) != 0 {
		t.Fatalf("a resolved exception is still queued: %+v", site.Exceptions)
	}

	// release_held lifts the named hold of the exception's order: a
	// carton of SO-2 under SO-3's SSCC is the exception here.
	register(t, h, "PACK-01")
	pack := &journal{station: "PACK-01"}
	_, err = h.Push(ctx, "PACK-01", at, []protocol.Event{pack.ev("pack.label_requested", label("SO-3", "SH-1", "000000000000000017")),
		pack.ev("pack.label_requested", label("SO-2", "SH-1", "000000000000000017"))})
	must(t, err)
	if site, _ = h.Site(ctx, 0, at); len(site.Exceptions) != 1 || site.Exceptions[0].Order != "SO-2" {
		t.Fatalf("the duplicate SSCC: %+v", site.Exceptions)
	}
	if o := resolve(sup, "B1004", floor.ExceptionResolvedPayload{Exception: site.Exceptions[0].ID, Action: floor.ResolveReleaseHeld,
		Reason: "address checked", Hold: "ADDRESS"}); o.Status != protocol.Accepted {
		t.Fatalf("release held: %+v", o)
	}
	f, err := h.Fulfilment(ctx, "SO-2")
	must(t, err)
	if len(f.Holds) != 0 {
		t.Fatalf("SO-2 is still held: %+v", f.Holds)
	}
}

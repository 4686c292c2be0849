package hubtest

import (
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/protocol"
)

func init() {
	extra = append(extra, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"BadgeLocks", badgeLocks}, struct {
		name string
		fn   func(*testing.T, *hub.Service)
	}{"StationQuota", stationQuota})
}

// badgeChanges are the badge changes of a station's feed after cursor.
func badgeChanges(t *testing.T, h *hub.Service, station, cursor string) ([]protocol.BadgeLock, string) {
	t.Helper()
	resp, err := h.Pull(ctx, station, cursor, 1000, at)
	must(t, err)
	var out []protocol.BadgeLock
	for _, c := range resp.Changes {
		if c.Kind == protocol.KindBadge {
			out = append(out, *c.Badge)
		}
	}
	return out, resp.Cursor
}

func lockOf(t *testing.T, h *hub.Service, badge string) (protocol.BadgeLock, bool) {
	t.Helper()
	bs, err := h.BadgeLocks(ctx)
	must(t, err)
	for _, b := range bs {
		if b.Badge == badge {
			return b, true
		}
	}
	return protocol.BadgeLock{}, false
}

// badgeLocks: the hub adds up the wrong PINs every station reports for a
// badge and locks it at the site's limit, or when a station reports it
// locked; a sign-in does not lift a lock, a supervisor does; every change
// of a lock reaches every station's feed.
func badgeLocks(t *testing.T, h *hub.Service) {
	_, err := h.ImportReference(ctx, protocol.Reference{Operators: []protocol.Operator{
		{Badge: "B1", Name: "Ann", Roles: []string{"picker"}}, {Badge: "B2", Name: "Bob", Roles: []string{"packer"}}}})
	must(t, err)
	must(t, h.SetSetting(ctx, hub.SettingPINMaxFailures, "3"))
	register(t, h, "S1")
	register(t, h, "S2")
	_, c1 := badgeChanges(t, h, "S1", "")
	_, c2 := badgeChanges(t, h, "S2", "")
	s1, s2 := &journal{station: "S1"}, &journal{station: "S2"}
	fail := func(j *journal, typ floor.EventType, badge string, n int) protocol.Event {
		return j.ev(string(typ), floor.PINFailPayload{Badge: badge, Name: "x", Failures: n, Limit: 5})
	}
	push := func(station string, evs ...protocol.Event) {
		t.Helper()
		resp, err := h.Push(ctx, station, at, evs)
		must(t, err)
		for _, o := range resp.Outcomes {
			if o.Status != protocol.Accepted {
				t.Fatalf("event %d: %s %s", o.Seq, o.Status, o.Reason)
			}
		}
	}

	push("S1", fail(s1, floor.EvPINFailed, "B1", 1), fail(s1, floor.EvPINFailed, "B1", 2), fail(s1, floor.EvPINFailed, "NOBODY", 1))
	if b, ok := lockOf(t, h, "B1"); !ok || b.Locked || b.Failures != 2 {
		t.Fatalf("after two wrong PINs: %+v %v, want 2 failures, unlocked", b, ok)
	}
	if _, ok := lockOf(t, h, "NOBODY"); ok {
		t.Fatal("an unknown badge got a record")
	}
	if got, _ := badgeChanges(t, h, "S2", c2); len(got) != 0 {
		t.Fatalf("S2's feed has %+v before any lock", got)
	}
	// The third wrong PIN of the site, at another station, locks the badge.
	push("S2", fail(s2, floor.EvPINFailed, "B1", 1))
	b, ok := lockOf(t, h, "B1")
	if !ok || !b.Locked || b.Failures != 3 || b.Station != "S2" {
		t.Fatalf("after three wrong PINs at two stations: %+v, want locked from S2", b)
	}
	for _, st := range []struct {
		id, cursor string
	}{{"S1", c1}, {"S2", c2}} {
		got, _ := badgeChanges(t, h, st.id, st.cursor)
		if len(got) != 1 || got[0].Badge != "B1" || !got[0].Locked {
			t.Fatalf("%s's feed: %+v, want B1 locked", st.id, got)
		}
	}
	_, c1 = badgeChanges(t, h, "S1", c1)
	// The supervisor's site figures list it with the site's health.
	site, err := h.Site(ctx, 0, at)
	must(t, err)
	if len(site.BadgeLocks) != 1 || site.BadgeLocks[0].Badge != "B1" || !site.BadgeLocks[0].Locked || site.BadgeLocks[0].Station != "S2" {
		t.Fatalf("the site's locked badges: %+v, want B1 from S2", site.BadgeLocks)
	}
	// A sign-in an offline station allowed does not lift it.
	push("S1", s1.ev(string(floor.EvLoggedIn), floor.LoginPayload{Badge: "B1", Name: "Ann"}))
	if b, _ := lockOf(t, h, "B1"); !b.Locked {
		t.Fatal("a sign-in lifted the lock")
	}

	// A supervisor lifts it: every station hears, the count starts again.
	u, err := h.UnlockBadge(hub.WithAudit(ctx, "tk-sup", "POST /admin/v1/badges/B1/unlock", "B1", at), "B1", at)
	must(t, err)
	if u.Locked || u.Failures != 0 || u.UnlockedBy != "tk-sup" {
		t.Fatalf("unlocked: %+v", u)
	}
	if site, err = h.Site(ctx, 0, at); err != nil || len(site.BadgeLocks) != 0 {
		t.Fatalf("the site's locked badges after the unlock: %+v %v", site.BadgeLocks, err)
	}
	got, _ := badgeChanges(t, h, "S1", c1)
	if len(got) != 1 || got[0].Locked {
		t.Fatalf("S1's feed after the unlock: %+v", got)
	}
	audit, err := h.Audit(ctx, 0, 100)
	must(t, err)
	if len(audit) == 0 || audit[len(audit)-1].Actor != "tk-sup" || audit[len(audit)-1].Target != "B1" {
		t.Fatalf("audit after the unlock: %+v", audit)
	}
	_, err = h.UnlockBadge(ctx, "B1", at)
	wantCode(t, err, protocol.CodeConflict, "unlocking a badge that is not locked")
	_, err = h.UnlockBadge(ctx, "B9", at)
	wantCode(t, err, protocol.CodeConflict, "unlocking an unknown badge")

	// A station that locked a badge at its own limit locks it at once.
	push("S2", fail(s2, floor.EvBadgeLocked, "B2", 2))
	if b, _ := lockOf(t, h, "B2"); !b.Locked || b.Station != "S2" {
		t.Fatalf("B2 after S2 locked it: %+v", b)
	}
}

// stationQuota: a push that would take a station past its storage quota
// is refused whole with the reason and changes nothing; a resend of what
// the hub holds is still answered; a raised quota takes the push.
func stationQuota(t *testing.T, h *hub.Service) {
	register(t, h, "S1")
	must(t, h.SetSetting(ctx, hub.SettingStationQuotaMB, "1"))
	j := &journal{station: "S1"}
	big := func() protocol.Event {
		return j.ev("note.added", map[string]string{"text": strings.Repeat("x", 600<<10)})
	}
	first := big()
	resp, err := h.Push(ctx, "S1", at, []protocol.Event{first})
	must(t, err)
	if resp.Mark != 1 {
		t.Fatalf("mark %d after the first push", resp.Mark)
	}
	second := big()
	_, err = h.Push(ctx, "S1", at, []protocol.Event{second})
	wantCode(t, err, protocol.CodeQuota, "a push over the quota")
	if pe := err.(*protocol.Error); pe.Status != 507 || !strings.Contains(pe.Message, "quota of 1 MiB") || !strings.Contains(pe.Message, hub.SettingStationQuotaMB) {
		t.Fatalf("refusal: %v", err)
	}
	evs, err := h.StationEvents(ctx, "S1", 0, 10)
	must(t, err)
	if len(evs) != 1 {
		t.Fatalf("the hub holds %d events after the refused push, want 1", len(evs))
	}
	resp, err = h.Push(ctx, "S1", at, []protocol.Event{first, second})
	wantCode(t, err, protocol.CodeQuota, "a resend with a new event over the quota")
	resp, err = h.Push(ctx, "S1", at, []protocol.Event{first})
	must(t, err)
	if len(resp.Outcomes) != 1 || !resp.Outcomes[0].Duplicate {
		t.Fatalf("a resend of a held event: %+v", resp)
	}
	must(t, h.SetSetting(ctx, hub.SettingStationQuotaMB, "2"))
	resp, err = h.Push(ctx, "S1", at, []protocol.Event{second})
	must(t, err)
	if resp.Mark != 2 {
		t.Fatalf("mark %d after the quota was raised", resp.Mark)
	}
}

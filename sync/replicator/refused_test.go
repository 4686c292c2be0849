package replicator_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/internal/sitetest"
	"github.com/totewms/tote/sync/protocol"
	"github.com/totewms/tote/sync/replicator"
)

// runUntil runs a replicator on st against url until cond holds for its
// status, or fails after 30 s.
func runUntil(t *testing.T, st *store.Store, url, token, what string, cond func(replicator.Status) bool) replicator.Status {
	t.Helper()
	statuses := make(chan replicator.Status, 64)
	rep, err := replicator.New(st, replicator.Options{Hub: url, Token: token, PushInterval: 20 * time.Millisecond,
		PullInterval: 20 * time.Millisecond, OnStatus: func(s replicator.Status) {
			select {
			case statuses <- s:
			default:
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { rep.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case s := <-statuses:
			if cond(s) {
				return s
			}
		case <-deadline:
			t.Fatalf("timed out waiting for %s; status %+v", what, rep.Status())
		}
	}
}

// TestStationShowsTheHubsQuota: a push over the station's storage quota
// at the hub is refused with the reason; the station says HUB QUOTA FULL
// (Failing "quota") with it, and sends again once the office raised it.
func TestStationShowsTheHubsQuota(t *testing.T) {
	dir := t.TempDir()
	h := sitetest.NewHub(t, dir, hubstore.Options{}, nil)
	token := sitetest.Register(t, h.Store, "PACK-01")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(h.Store.SetSetting(context.Background(), hub.SettingStationQuotaMB, "1"))
	st, err := store.Open(context.Background(), filepath.Join(dir, "st.db"), "PACK-01")
	must(err)
	defer st.Close()
	big, _ := json.Marshal(map[string]string{"text": strings.Repeat("x", 700<<10)})
	for range 2 {
		_, err := st.Commit(context.Background(), time.Now(), []floor.Event{{Type: "note.added", Payload: big}}, nil)
		must(err)
	}
	s := runUntil(t, st, h.URL, token, "the quota refusal", func(s replicator.Status) bool { return s.Failing == replicator.FailingQuota })
	if !strings.Contains(s.LastError, "quota of 1 MiB") || s.Stopped != "" {
		t.Fatalf("status over the quota: %+v", s)
	}
	must(h.Store.SetSetting(context.Background(), hub.SettingStationQuotaMB, "4"))
	runUntil(t, st, h.URL, token, "the push after the quota was raised", func(s replicator.Status) bool {
		return s.Waiting == 0 && s.Failing == "" && s.Online
	})
}

// TestStationTooOldForTheHub: a hub that takes stations from v0.9.0 on
// refuses a v0.8.0 station; the station stops and says UPDATE TOTE
// (Failing "build") with the reason.
func TestStationTooOldForTheHub(t *testing.T) {
	dir := t.TempDir()
	h := sitetest.NewHubWith(t, dir, hubstore.Options{}, hub.Options{MinStationBuild: "v0.9.0"}, nil)
	token := sitetest.Register(t, h.Store, "PACK-01")
	defer replicator.SetUserAgentForTest("tote/v0.8.0 (a1b2c3d4e5f6)")()
	st, err := store.Open(context.Background(), filepath.Join(dir, "st.db"), "PACK-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := runUntil(t, st, h.URL, token, "the build refusal", func(s replicator.Status) bool { return s.Failing == replicator.FailingBuild })
	if !strings.Contains(s.Stopped, "older than v0.9.0") || !strings.Contains(s.Stopped, "update tote on the station") {
		t.Fatalf("status of a station too old: %+v", s)
	}
}

// TestWaitingEventsAndOperatorReachTheHubsHealth: a station whose pushes
// the hub refuses over its quota reports what is waiting there (how many,
// the oldest's device time) and who is signed in, to a real hub on
// loopback; the hub's site figures show them with the station online.
// Once the quota is raised the events go and the figures say none wait.
func TestWaitingEventsAndOperatorReachTheHubsHealth(t *testing.T) {
	dir := t.TempDir()
	h := sitetest.NewHub(t, dir, hubstore.Options{}, nil)
	token := sitetest.Register(t, h.Store, "PACK-01")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(h.Store.SetSetting(context.Background(), hub.SettingStationQuotaMB, "1"))
	st, err := store.Open(context.Background(), filepath.Join(dir, "st.db"), "PACK-01")
	must(err)
	defer st.Close()
	big, _ := json.Marshal(map[string]string{"text": strings.Repeat("x", 700<<10)})
	first := time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Millisecond)
	for i := range 3 {
		_, err := st.Commit(context.Background(), first.Add(time.Duration(i)*time.Minute), []floor.Event{{Type: "note.added", Payload: big}},
			&store.Session{Bench: "pack", Operator: "B1001"})
		must(err)
	}
	health := func(what string, cond func(protocol.StationState) bool) protocol.StationState {
		t.Helper()
		var last protocol.StationState
		runUntil(t, st, h.URL, token, what, func(replicator.Status) bool {
			v, err := h.Store.Site(context.Background(), 0, time.Now())
			must(err)
			for _, s := range v.Stations {
				if s.ID == "PACK-01" {
					last = s
				}
			}
			return cond(last)
		})
		return last
	}
	s := health("the waiting events at the hub", func(s protocol.StationState) bool { return s.Waiting > 0 })
	local, err := st.SyncState(context.Background())
	must(err)
	if local.Waiting == 0 || s.Waiting != int64(local.Waiting) || s.OldestWaiting == nil || !s.OldestWaiting.Equal(local.OldestWaiting) ||
		s.SignedIn != "B1001" || !s.Online || s.LastContact == nil {
		t.Fatalf("the hub's health of PACK-01: %+v; the station has %d waiting from %v", s, local.Waiting, local.OldestWaiting)
	}
	must(h.Store.SetSetting(context.Background(), hub.SettingStationQuotaMB, "8"))
	s = health("no events waiting at the hub", func(s protocol.StationState) bool { return s.Waiting == 0 && s.LastPush != nil })
	if s.OldestWaiting != nil || s.SignedIn != "B1001" {
		t.Fatalf("the hub's health after the push: %+v", s)
	}
}

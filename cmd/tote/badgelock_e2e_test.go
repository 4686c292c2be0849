package main

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/protocol"
)

// TestBadgeLockAcrossStationProcesses is issue 19's PIN lockout across
// separate processes: a `tote hub`, two pick carts and a supervisor's
// station, each a `tote station` with its own store. Wrong PINs typed at
// CART-01 lock the badge there (pin_max_failures, 5 by default); the lock
// goes up with CART-01's push, and CART-02 refuses the badge after its
// pull, right PIN or not. The supervisor's health screen lists the lock,
// as do the hub's site figures. The admin unlock reaches both carts, and
// the badge signs in again at each.
func TestBadgeLockAcrossStationProcesses(t *testing.T) {
	dir := t.TempDir()
	bin, err := buildTote()
	if err != nil {
		t.Fatal(err)
	}
	h := startSiteHub(t, dir)
	ids := []string{"CART-01", "CART-02", "SUP-01"}
	tokens := map[string]string{}
	for _, id := range ids {
		tokens[id] = strings.TrimSpace(toteOut(t, bin, "hub", "token", "--db", h.db, "--station", id))
	}
	// The site, with PINs for the picker and a supervisor.
	doc := strings.Replace(siteDocument(), `{"badge":"B1001","name":"Ana Picker","roles":["picker"]}`,
		`{"badge":"B1001","name":"Ana Picker","roles":["picker"],"pin":"246810"},
		 {"badge":"B1004","name":"Dana Supervisor","roles":["supervisor"],"pin":"135790"}`, 1)
	sitePath := filepath.Join(dir, "site.json")
	if err := os.WriteFile(sitePath, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	toteOut(t, bin, "hub", "import", "--db", h.db, sitePath)

	cart1 := startFloorStation(t, dir, "CART-01", h.url, tokens["CART-01"], stationKind{bench: "pick", roles: `"picker"`})
	cart2 := startFloorStation(t, dir, "CART-02", h.url, tokens["CART-02"], stationKind{bench: "pick", roles: `"picker"`})
	sup := startFloorStation(t, dir, "SUP-01", h.url, tokens["SUP-01"], stationKind{bench: "supervise", roles: `"supervisor"`})
	for _, s := range []*floorStation{cart1, cart2, sup} {
		siteWaitUntil(t, s.id+" knows the badges and their PINs", func() bool {
			var n int // the store may still be migrating: an error is "not yet"
			err := s.ro.QueryRow(`SELECT COUNT(*) FROM operators WHERE badge IN ('B1001','B1004') AND pin_hash != ''`).Scan(&n)
			return err == nil && n == 2
		}, s.screen)
	}
	// pinTyped scans the badge, types pin at the prompt and waits for the
	// station to journal want.
	pinTyped := func(s *floorStation, pin string, want floor.EventType) {
		t.Helper()
		from := s.lastSeq()
		const prompt = "type your PIN and press Enter"
		siteWaitUntil(t, s.id+" at its login", func() bool { return !strings.Contains(s.term.screenText(), prompt) }, s.screen)
		s.send("B1001", prompt)
		s.term.typeKeys(pin + "\r")
		siteWaitUntil(t, s.id+" journals "+string(want), func() bool {
			return slices.Contains(types(s.journal(from)), want)
		}, s.screen)
	}
	locked := func(s *floorStation) string {
		return s.query(`SELECT COALESCE((SELECT locked FROM badge_locks WHERE badge='B1001'), 0)`).String
	}

	// Five wrong PINs at CART-01: the fifth locks the badge.
	for range 4 {
		pinTyped(cart1, "000000", floor.EvPINFailed)
	}
	pinTyped(cart1, "000000", floor.EvBadgeLocked)
	cart1.showing("locked")
	if locked(cart1) != "1" {
		t.Fatalf("CART-01 does not hold the lock")
	}
	var bl struct {
		Badges []protocol.BadgeLock `json:"badges"`
	}
	siteWaitUntil(t, "the hub to hold the lock from CART-01", func() bool {
		h.call("GET", "/api/v1/badge-locks", nil, http.StatusOK, &bl)
		return len(bl.Badges) == 1 && bl.Badges[0].Badge == "B1001" && bl.Badges[0].Locked && bl.Badges[0].Station == "CART-01"
	}, cart1.screen)

	// CART-02 refuses the badge after its pull, the right PIN or not.
	siteWaitUntil(t, "CART-02 to learn the lock", func() bool { return locked(cart2) == "1" }, cart2.screen)
	from := cart2.lastSeq()
	if err := cart2.scanner.Send("B1001"); err != nil {
		t.Fatal(err)
	}
	cart2.showing("locked")
	if slices.Contains(types(cart2.journal(from)), floor.EvLoggedIn) {
		t.Fatal("CART-02 let the locked badge in")
	}

	// The supervisor's health screen lists it; so do the hub's figures.
	sup.send("B1004", "type your PIN and press Enter")
	sup.term.typeKeys("135790\r")
	sup.showing("WAVES")
	sup.send("CMD:SUP-HEALTH", "LOCKED BADGES")
	sup.showing("B1001")
	var site protocol.SiteView
	h.call("GET", "/api/v1/site", nil, http.StatusOK, &site)
	if len(site.BadgeLocks) != 1 || site.BadgeLocks[0].Badge != "B1001" || site.BadgeLocks[0].Failures < 5 {
		t.Fatalf("the site's figures: badge locks %+v", site.BadgeLocks)
	}

	// The admin unlock reaches both carts; the badge signs in at each.
	h.call("POST", "/admin/v1/badges/B1001/unlock", nil, http.StatusOK, nil)
	for _, s := range []*floorStation{cart1, cart2} {
		siteWaitUntil(t, s.id+" to learn the unlock", func() bool { return locked(s) == "0" }, s.screen)
	}
	pinTyped(cart2, "246810", floor.EvLoggedIn)
	pinTyped(cart1, "246810", floor.EvLoggedIn)
	var after protocol.SiteView // badge_locks is left out when none is locked
	h.call("GET", "/api/v1/site", nil, http.StatusOK, &after)
	if len(after.BadgeLocks) != 0 {
		t.Fatalf("after the unlock, the site's figures: badge locks %+v", after.BadgeLocks)
	}
	var rec struct {
		Badges []protocol.BadgeLock `json:"badges"`
	}
	h.call("GET", "/api/v1/badge-locks", nil, http.StatusOK, &rec)
	if len(rec.Badges) != 1 || rec.Badges[0].Locked || rec.Badges[0].UnlockedBy == "" {
		t.Fatalf("the hub's record after the unlock: %+v", rec.Badges)
	}
	// The supervisor's screen drops the lock at its next refresh.
	siteWaitUntil(t, "SUP-01's health screen to drop the lock", func() bool {
		return !strings.Contains(sup.term.screenText(), "LOCKED BADGES")
	}, sup.screen)
}

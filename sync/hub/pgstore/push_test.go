package pgstore_test

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/pgstore"
	"github.com/totewms/tote/sync/protocol"
)

// TestPushesDoNotWaitForEachOther: two carts' pushes by one operator,
// each picking into its own tote (a feed change) and moving the shared
// supervisor figures, run together: the second commits while the first
// is held open after writing everything, and the first then commits
// too. The first takes its aggregates' version as it commits, so a
// supervisor who read the figures between the two commits is given the
// first cart's wave when asking for what changed since: versions commit
// in order, as feed sequences do.
func TestPushesDoNotWaitForEachOther(t *testing.T) {
	held, release := make(chan struct{}), make(chan struct{})
	var holding atomic.Bool
	s, err := pgstore.Open(ctx, pgtest.DSN(t), pgstore.Options{InApply: func(station string, _ int64) {
		if station == "CART-01" && holding.CompareAndSwap(false, true) {
			close(held)
			<-release
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC()
	if _, err := s.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}},
		Items: []protocol.Item{{SKU: "MUG-1", Description: "Mug", Location: "A-01"}}}); err != nil {
		t.Fatal(err)
	}
	carts := []string{"CART-01", "CART-02"}
	for _, c := range carts {
		if err := s.RegisterStation(ctx, c, "", hub.HashToken(hub.NewToken(hub.TokenStation)), now); err != nil {
			t.Fatal(err)
		}
		o := protocol.Order{ID: "SO-" + c, ShipTo: protocol.Address{Name: "O", Line1: "1 Main St", City: "X", Country: "US"},
			Lines: []protocol.OrderLine{{Line: 1, SKU: "MUG-1", Qty: 5}}}
		if _, err := s.ImportOrders(ctx, []protocol.Order{o}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateWave(ctx, protocol.NewWave{ID: "W-" + c, Orders: []string{o.ID}, Station: c}, now); err != nil {
			t.Fatal(err)
		}
	}
	pick := func(cart string) []protocol.Event {
		p, _ := json.Marshal(floor.UnitsPayload{TaskPayload: floor.TaskPayload{Task: 1, Order: "SO-" + cart, Line: 1, Location: "A-01", SKU: "MUG-1"},
			Qty: 1, Tote: "T-" + cart})
		return []protocol.Event{{Station: cart, Seq: 1, ID: cart + "-1", Operator: "B1", DeviceTime: now, Type: string(floor.EvUnitsPicked), Payload: p}}
	}
	first := make(chan error, 1)
	go func() {
		_, err := s.Push(ctx, "CART-01", now, pick("CART-01"))
		first <- err
	}()
	<-held
	// A push that waited for the held one would wait for ever: bound it.
	wait, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := s.Push(wait, "CART-02", now, pick("CART-02")); err != nil {
		t.Fatalf("the second cart's push, while the first is open: %v", err)
	}
	between, err := s.Waves(ctx, 0, now)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-first:
		t.Fatalf("the first push finished while held: %v", err)
	default:
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	next, err := s.Waves(ctx, between.Version, now)
	if err != nil || len(next.Waves) != 1 || next.Waves[0].Wave != "W-CART-01" || next.Waves[0].Picked != 1 || next.Version <= between.Version {
		t.Fatalf("what changed since version %d (read between the commits): %+v %v", between.Version, next, err)
	}
	site, err := s.Site(ctx, 0, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(site.People) != 1 || site.People[0].Badge != "B1" || site.People[0].Units != 2 || site.People[0].Scans != 2 {
		t.Fatalf("operator B1's figures after both carts' picks: %+v", site.People)
	}
	// The totes' feed changes took their sequences in commit order.
	rows, err := s.Pool().Query(ctx, `SELECT seq, grp, body FROM changes WHERE kind=$1 ORDER BY seq`, protocol.KindTote)
	if err != nil {
		t.Fatal(err)
	}
	var totes []string
	holds := 0
	for rows.Next() {
		var seq, grp int64
		var body string
		var c protocol.Change
		err := rows.Scan(&seq, &grp, &body)
		if err == nil {
			err = json.Unmarshal([]byte(body), &c)
		}
		if err != nil || grp > seq || c.Tote == nil {
			rows.Close()
			t.Fatalf("tote change %d (group %d): %s %v", seq, grp, body, err)
		}
		if c.Tote.Hold { // the carts' copy, in the same group
			holds++
			continue
		}
		totes = append(totes, c.Tote.Code)
	}
	rows.Close()
	if holds != 2 {
		t.Fatalf("%d holds for the carts, want one per tote", holds)
	}
	if rows.Err() != nil || len(totes) != 2 || totes[0] != "T-CART-02" || totes[1] != "T-CART-01" {
		t.Fatalf("the totes' changes by sequence: %v %v (want the second cart's first: it committed first)", totes, rows.Err())
	}
}

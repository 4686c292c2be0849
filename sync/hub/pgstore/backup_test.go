package pgstore_test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/protocol"
)

func picks(from, to int64) []protocol.Event {
	var evs []protocol.Event
	for seq := from; seq <= to; seq++ {
		p, _ := json.Marshal(floor.RejectPayload{Step: "item", Input: fmt.Sprint("X", seq), Reason: "not the item"})
		evs = append(evs, protocol.Event{Station: "CART-01", Seq: seq, ID: fmt.Sprint("CART-01-", seq), Operator: "B1",
			DeviceTime: time.Now(), Type: string(floor.EvScanRejected), Payload: p})
	}
	return evs
}

// TestRestoreFromPgDump: docs/hub.md's backup (pg_dump) and restore
// (pg_restore into an empty database) give a hub the stations carry on
// with: the same hub id, the mark of the backup (the station resends the
// rest), a cursor from before the backup still good, and one from after
// it sent back to the start.
func TestRestoreFromPgDump(t *testing.T) {
	c := pgtest.Get(t)
	dsn := pgtest.DSN(t)
	s := open(t, dsn)
	if err := s.RegisterStation(ctx, "CART-01", "", "h", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-01"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Push(ctx, "CART-01", time.Now(), picks(1, 3)); err != nil {
		t.Fatal(err)
	}
	before, err := s.Pull(ctx, "CART-01", "", 100, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	dump := filepath.Join(t.TempDir(), "tote.dump")
	if out, err := exec.Command(filepath.Join(c.Bin, "pg_dump"), "--format=custom", "--file="+dump, "--dbname="+dsn).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	if _, err := s.Push(ctx, "CART-01", time.Now(), picks(4, 5)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "A-02"}}}); err != nil {
		t.Fatal(err)
	}
	after, err := s.Pull(ctx, "CART-01", before.Cursor, 100, time.Now())
	if err != nil || len(after.Changes) != 1 {
		t.Fatalf("the pull after the backup: %+v %v", after, err)
	}

	restoredDSN := pgtest.DSN(t)
	if out, err := exec.Command(filepath.Join(c.Bin, "pg_restore"), "--no-owner", "--dbname="+restoredDSN, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	r := open(t, restoredDSN)
	if r.HubID() != s.HubID() {
		t.Fatalf("the restored hub is %s, the backed-up one %s", r.HubID(), s.HubID())
	}
	// The station pushes 4 and 5 again: the hub held up to 3.
	_, err = r.Push(ctx, "CART-01", time.Now(), picks(4, 5))
	if err != nil {
		t.Fatal(err)
	}
	sts, err := r.Stations(ctx)
	if err != nil || len(sts) != 1 || sts[0].Mark != 5 {
		t.Fatalf("stations after the restore and the resend: %+v %v", sts, err)
	}
	if p, err := r.Pull(ctx, "CART-01", before.Cursor, 100, time.Now()); err != nil || p.Reset || len(p.Changes) != 0 {
		t.Fatalf("a cursor from before the backup: %+v %v", p, err)
	}
	// The change after the backup is gone, and a new one takes its place
	// in the feed: the cursor that saw the old one starts again.
	if _, err := r.ImportReference(ctx, protocol.Reference{Locations: []protocol.Location{{Code: "B-01"}}}); err != nil {
		t.Fatal(err)
	}
	if p, err := r.Pull(ctx, "CART-01", after.Cursor, 100, time.Now()); err != nil || !p.Reset {
		t.Fatalf("a cursor from after the backup: %+v %v", p, err)
	}
}

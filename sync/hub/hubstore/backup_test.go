package hubstore_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

// TestBackupRestores: a backup taken while the hub holds events opens as
// a hub with the same id, the same events and marks, and the same tokens;
// what came after the backup is not in it.
func TestBackupRestores(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	token := hub.NewToken(hub.TokenStation)
	if err := hs.RegisterStation(ctx, "ST-01", "", hub.HashToken(token), time.Now()); err != nil {
		t.Fatal(err)
	}
	ev := func(seq int64) protocol.Event {
		e := floor.NewEvent(floor.EvLoggedIn, "B1", floor.LoginPayload{Badge: "B1"})
		return protocol.Event{Station: "ST-01", Seq: seq, ID: "e" + string(rune('0'+seq)), Operator: "B1", DeviceTime: time.Now(), Type: string(e.Type), Payload: e.Payload}
	}
	if _, err := hs.Push(ctx, "ST-01", time.Now(), []protocol.Event{ev(1), ev(2)}); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := hs.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if err := hs.Backup(ctx, backup); err == nil {
		t.Fatal("a backup over an existing file")
	}
	if _, err := hs.Push(ctx, "ST-01", time.Now(), []protocol.Event{ev(3)}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(backup); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v %v", st.Mode(), err)
	}
	restored, err := hubstore.Open(ctx, backup, hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if restored.HubID() != hs.HubID() {
		t.Fatalf("restored hub id %s, was %s", restored.HubID(), hs.HubID())
	}
	evs, err := restored.StationEvents(ctx, "ST-01", 0, 10)
	if err != nil || len(evs) != 2 {
		t.Fatalf("restored events %+v %v", evs, err)
	}
	if p, err := restored.Authenticate(ctx, hub.HashToken(token), time.Now()); err != nil || p.Station != "ST-01" {
		t.Fatalf("the station's token after a restore: %+v %v", p, err)
	}
	// The station pushes again what the backup missed.
	resp, err := restored.Push(ctx, "ST-01", time.Now(), []protocol.Event{ev(3)})
	if err != nil || resp.Mark != 3 || resp.Outcomes[0].Duplicate {
		t.Fatalf("re-push after restore: %+v %v", resp, err)
	}
}

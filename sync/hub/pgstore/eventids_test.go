package pgstore_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/pgstore"
	"github.com/totewms/tote/sync/protocol"
)

func storedEvent(station string, seq int64, id string) protocol.StoredEvent {
	return protocol.StoredEvent{Event: protocol.Event{Station: station, Seq: seq, ID: id, DeviceTime: time.Now(),
		Type: "pick.scan_rejected", Payload: json.RawMessage(`{}`)}, ReceivedAt: time.Now(), Status: protocol.Rejected, Reason: "test"}
}

// held reads who holds ids, on a read snapshot.
func held(t *testing.T, p *pgstore.Postgres, ids ...string) map[string]hub.EventRef {
	t.Helper()
	var out map[string]hub.EventRef
	if err := p.Read(ctx, func(tx hub.StoreTx) (err error) {
		out, err = tx.HeldEventIDs(ids)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEventIDHolders: event_ids names each id's holder, the first by
// station and seq of the events kept with it (as SQLite answers from the
// events), so the events need no index by id; a push expecting its ids
// new that meets a held one runs again careful and is told its holder.
func TestEventIDHolders(t *testing.T) {
	p, err := pgstore.OpenStore(ctx, pgtest.DSN(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	insert := func(evs ...protocol.StoredEvent) {
		t.Helper()
		if err := p.Tx(ctx, func(tx hub.StoreTx) error {
			for _, e := range evs {
				if err := tx.InsertEvent(e); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	insert(storedEvent("CART-02", 1, "X"))
	if got := held(t, p, "X", "Y"); len(got) != 1 || got["X"] != (hub.EventRef{Station: "CART-02", Seq: 1}) {
		t.Fatalf("held after CART-02's event: %+v", got)
	}
	// A refused event kept with X, first by station: it now holds X.
	insert(storedEvent("CART-03", 9, "X"), storedEvent("CART-01", 7, "X"), storedEvent("CART-01", 8, "X"))
	if got := held(t, p, "X"); got["X"] != (hub.EventRef{Station: "CART-01", Seq: 7}) {
		t.Fatalf("held after CART-01's refused events: %+v, want CART-01 seq 7", got)
	}
	insert(storedEvent("CART-09", 2, "X"), storedEvent("CART-08", 1, "X"))
	if got := held(t, p, "X"); got["X"] != (hub.EventRef{Station: "CART-01", Seq: 7}) {
		t.Fatalf("held after later stations' refused events: %+v, want CART-01 seq 7 still", got)
	}

	// A push as the service makes it: ids announced, then its events.
	var attempts int
	var told map[string]hub.EventRef
	push := func(station string, seq int64, id string) {
		t.Helper()
		attempts = 0
		if err := p.Tx(ctx, func(tx hub.StoreTx) error {
			attempts++
			got, err := tx.HeldEventIDs([]string{id})
			if err != nil {
				return err
			}
			told = got
			return tx.InsertEvent(storedEvent(station, seq, id))
		}); err != nil {
			t.Fatal(err)
		}
	}
	push("CART-04", 1, "Z")
	if attempts != 1 || len(told) != 0 {
		t.Fatalf("a new id: %d attempts, told %+v", attempts, told)
	}
	push("CART-05", 1, "Z")
	if attempts != 2 || told["Z"] != (hub.EventRef{Station: "CART-04", Seq: 1}) {
		t.Fatalf("a held id: %d attempts, told %+v; want a careful second attempt told CART-04", attempts, told)
	}
	if got := held(t, p, "Z"); got["Z"] != (hub.EventRef{Station: "CART-04", Seq: 1}) {
		t.Fatalf("Z after CART-05's refused event: %+v", got)
	}
	var idx int
	if err := p.Pool().QueryRow(ctx, `SELECT count(*) FROM pg_indexes WHERE tablename='events' AND indexname='events_event_id'`).Scan(&idx); err != nil || idx != 0 {
		t.Fatalf("events_event_id: %d (%v), want dropped", idx, err)
	}
}

// TestEventIDHoldersMigrated: migration 0019 names the holders of the
// ids claimed before it from the events (the first by station and seq),
// and a claim whose events were never written holds nothing.
func TestEventIDHoldersMigrated(t *testing.T) {
	dsn := pgtest.DSN(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
		t.Fatal(err)
	}
	for _, m := range pgstore.Migrations()[:18] {
		if _, err := conn.Exec(ctx, m.SQL); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := conn.Exec(ctx, `INSERT INTO schema_migrations(version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range []struct {
		station string
		seq     int64
		id      string
	}{{"CART-02", 1, "X"}, {"CART-01", 4, "X"}, {"CART-01", 3, "X"}, {"CART-03", 1, "Y"}} {
		if _, err := conn.Exec(ctx, `INSERT INTO events(station, seq, event_id, device_time, received_at, type, payload, outcome)
			VALUES ($1, $2, $3, '', '', 'pick.scan_rejected', '{}', 'accepted')`, e.station, e.seq, e.id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO event_ids(event_id) VALUES ('X'), ('Y'), ('W')`); err != nil {
		t.Fatal(err)
	}
	p, err := pgstore.OpenStore(ctx, dsn, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	got := held(t, p, "X", "Y", "W")
	want := map[string]hub.EventRef{"X": {Station: "CART-01", Seq: 3}, "Y": {Station: "CART-03", Seq: 1}}
	if len(got) != len(want) || got["X"] != want["X"] || got["Y"] != want["Y"] {
		t.Fatalf("held after migrating: %+v, want %+v", got, want)
	}
}

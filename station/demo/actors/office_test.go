package actors

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/protocol"
)

// officeHub is a real hub store holding the demo site, as the demo's hub does.
func officeHub(t *testing.T) (*hubstore.Store, store.Site) {
	t.Helper()
	ctx := context.Background()
	hs, err := hubstore.Open(ctx, filepath.Join(t.TempDir(), "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hs.Close() })
	if err := hs.RegisterStation(ctx, "DEMO-01", "demo station", hub.HashToken(hub.NewToken(hub.TokenStation)), time.Now()); err != nil {
		t.Fatal(err)
	}
	site := demo.Site(1, time.Now().Add(24*time.Hour))
	if _, err := hub.ImportSite(ctx, hs, protocol.SiteOf(site.Operators, site.Locations, site.Items, site.Orders, site.Waves, site.Tasks, "DEMO-01"), time.Now()); err != nil {
		t.Fatal(err)
	}
	return hs, site
}

// TestOfficeHoldsCancelsAndReleases runs the office's script at once on a
// real hub store: the third order is held and released, the sixth
// cancelled, each step taken (none skipped).
func TestOfficeHoldsCancelsAndReleases(t *testing.T) {
	hs, site := officeHub(t)
	var logs bytes.Buffer
	officeAt(context.Background(), hs, site.Orders, slog.New(slog.NewTextHandler(&logs, nil)), [3]time.Duration{})
	held, cancelled := site.Orders[2].ID, site.Orders[5].ID
	for _, step := range []string{"hold " + held, "cancel " + cancelled, "release " + held} {
		if !strings.Contains(logs.String(), `msg="demo office" step="`+step+`"`) {
			t.Errorf("step %q not taken; log:\n%s", step, logs.String())
		}
	}
	ctx := context.Background()
	f, err := hs.Fulfilment(ctx, cancelled)
	if err != nil || f.Status != "cancelled" {
		t.Errorf("order %s: %+v, %v; want cancelled", cancelled, f, err)
	}
	if f, err := hs.Fulfilment(ctx, held); err != nil || len(f.Holds) != 0 {
		t.Errorf("order %s: holds %+v, %v; want released", held, f.Holds, err)
	}
}

// TestOfficeStopsWithItsContext: a demo closed before the office acts
// leaves the orders as they were.
func TestOfficeStopsWithItsContext(t *testing.T) {
	hs, site := officeHub(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	officeAt(ctx, hs, site.Orders, slog.New(slog.DiscardHandler), [3]time.Duration{time.Hour, time.Hour, time.Hour})
	if f, err := hs.Fulfilment(context.Background(), site.Orders[2].ID); err != nil || len(f.Holds) != 0 || f.Status == "cancelled" {
		t.Errorf("after a stopped office: %+v, %v", f, err)
	}
}

package hubstore_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/hub/hubtest"
)

// TestConformance: the SQLite store passes the suite every hub store must.
func TestConformance(t *testing.T) {
	hubtest.Run(t, func(t *testing.T) hub.Store {
		hs, err := hubstore.OpenStore(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { hs.Close() })
		return hs
	})
}

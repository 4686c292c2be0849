package pgstore_test

import (
	"context"
	"testing"

	"github.com/totewms/tote/internal/pgtest"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubtest"
	"github.com/totewms/tote/sync/hub/pgstore"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestConformance: the PostgreSQL store passes the suite every hub store must.
func TestConformance(t *testing.T) {
	hubtest.Run(t, func(t *testing.T) hub.Store {
		ps, err := pgstore.OpenStore(context.Background(), pgtest.DSN(t), 0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ps.Close() })
		return ps
	})
}

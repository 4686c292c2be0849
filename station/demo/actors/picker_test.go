package actors

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/totewms/tote/internal/barcode"
	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/demo"
	"github.com/totewms/tote/station/store"
)

// TestPickFillsTotesForThePackBench: on the demo site in a real store the
// picker fills n totes through the real pick cart, names them as toteFor
// says, signs out, and journals its picks.
func TestPickFillsTotesForThePackBench(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "station.db"), "DEMO-01")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.LoadSite(ctx, demo.Site(1, time.Now().Add(24*time.Hour))); err != nil {
		t.Fatal(err)
	}
	interp, err := barcode.NewInterpreter(barcode.DefaultPatterns())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	toteFor := func(order string) string { n++; return fmt.Sprintf("T%05d", n) }
	totes, err := Pick(ctx, st, interp, 3, toteFor)
	if err != nil {
		t.Fatal(err)
	}
	if len(totes) != 3 || totes[0] != "T00001" || totes[2] != "T00003" {
		t.Fatalf("totes %v, want T00001..T00003", totes)
	}
	evs, err := st.Journal(ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	picked, shorted, out := 0, 0, false
	for _, e := range evs {
		switch e.Type {
		case floor.EvUnitsPicked:
			picked++
		case floor.EvTaskShort:
			shorted++
		case floor.EvLoggedOut:
			out = true
		}
	}
	if picked == 0 || shorted != 1 || !out {
		t.Errorf("journal: %d picks, %d shorts, signed out %v; want picks, one short, a sign-out", picked, shorted, out)
	}
}

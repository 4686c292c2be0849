package station_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/totewms/tote/internal/floor"
	"github.com/totewms/tote/station/pack"
	"github.com/totewms/tote/station/store"
	"github.com/totewms/tote/sync/hub"
	"github.com/totewms/tote/sync/hub/hubstore"
	"github.com/totewms/tote/sync/replicator"
)

// TestTwoStationsIssueDisjointSSCCs is issue 14's tenth defect: two pack
// benches with default settings issued the same SSCC and tracking number.
// Each bench now learns its station number from the hub (a real hub on
// loopback, pulled by the real replicator) and puts it in both; a bench
// that has no number yet refuses to print.
func TestTwoStationsIssueDisjointSSCCs(t *testing.T) {
	dir := t.TempDir()
	hs, err := hubstore.Open(ctx, filepath.Join(dir, "hub.db"), hubstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	srv := httptest.NewServer(hub.NewServer(hs, hub.Options{}))
	defer srv.Close()

	type carton struct{ sscc, tracking string }
	var got []carton
	for i, id := range []string{"PACK-01", "PACK-02"} {
		token := hub.NewToken(hub.TokenStation)
		if err := hs.RegisterStation(ctx, id, "", hub.HashToken(token), time.Now()); err != nil {
			t.Fatal(err)
		}
		st, err := store.Open(ctx, filepath.Join(dir, id+".db"), id)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		if err := st.LoadSite(ctx, packSite()); err != nil {
			t.Fatal(err)
		}
		picked(t, st)
		b := bench{t, openBench(t, st, packOptions())}
		b.do(typed("B2001"), pack.StepOrder)
		b.do(typed("T00001"), pack.StepVerify)
		b.do(typed(mugGTIN[1:]), pack.StepVerify)
		b.do(typed(mugGTIN[1:]), pack.StepVerify)
		b.do(gs1Lot(lotGTIN, "L42"), pack.StepVerify)
		b.do(key(floor.CmdComplete), pack.StepBox)
		b.do(typed(""), pack.StepWeigh)
		box, _ := b.s.Snapshot().State.(pack.State).Box(b.s.Snapshot().State.(pack.State).Cartons[0].Box)
		weight := typed(strconv.Itoa(800 + box.TareG))

		// Not synced yet: no number, so no label, and nothing shipped.
		o := b.do(weight, pack.StepWeigh)
		if !strings.Contains(o.Feedback.Message, "NO LABEL: this bench has no station number from the hub yet") {
			t.Fatalf("%s without a station number: %q", id, o.Feedback.Message)
		}
		if c, err := st.ShipmentCartons(ctx, "ORD-0001-1"); err != nil || len(c) != 0 {
			t.Fatalf("%s shipped without a station number: %+v %v", id, c, err)
		}

		// One pull from the hub brings the number.
		pullOnce(t, st, srv.URL, token)
		if n, err := st.StationNumber(ctx); err != nil || n != i+1 {
			t.Fatalf("%s learnt station number %d (%v), want %d", id, n, err, i+1)
		}
		b.do(weight, pack.StepDone)
		cs, err := st.ShipmentCartons(ctx, "ORD-0001-1")
		if err != nil || len(cs) != 1 {
			t.Fatalf("%s cartons %+v %v", id, cs, err)
		}
		got = append(got, carton{cs[0].SSCC, cs[0].Tracking})
	}
	if got[0].sscc == got[1].sscc || got[0].tracking == got[1].tracking {
		t.Fatalf("two stations with default settings issued the same numbers: %+v", got)
	}
	want := []carton{{"006141410010000019", "TT00010000000016"}, {"006141410020000016", "TT00020000000015"}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("station %d issued %+v, want %+v", i+1, got[i], want[i])
		}
	}
}

// pullOnce runs the replicator until it has pulled once.
func pullOnce(t *testing.T, st *store.Store, url, token string) {
	t.Helper()
	pulled := make(chan struct{}, 1)
	rep, err := replicator.New(st, replicator.Options{Hub: url, Token: token, PushInterval: time.Hour, PullInterval: 50 * time.Millisecond,
		OnStatus: func(s replicator.Status) {
			if !s.LastPull.IsZero() {
				select {
				case pulled <- struct{}{}:
				default:
				}
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	rctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { rep.Run(rctx); close(done) }()
	defer func() { stop(); <-done }()
	select {
	case <-pulled:
	case <-time.After(30 * time.Second):
		t.Fatalf("no pull within 30s: %+v", rep.Status())
	}
}
